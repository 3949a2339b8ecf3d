// SPDX-License-Identifier: MIT
#pragma once

#include "space/registry.h"
#include "stats/benchmarktable.h"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace epsinas {

/** The process-wide registry, holding the built-in search spaces (core/spaces/spaces.cpp lists them). */
SpaceRegistry& spaceRegistry();

/**
 * The space whose reference statistics apply when none is named: for a lower-is-better target the registry's first
 * whose compute_stats ranks one (maximize=False), else the registry's first. Its reference is also the one whose
 * lower-is-better rules a loss follows under a space without them. Throws std::logic_error when no space fits.
 */
const SearchSpace& defaultStatisticsSpace(bool higherTargetIsBetter);

/**
 * How a benchmark table of `space` recognises and joins its architectures: SearchSpace::tableFieldKey, named in
 * messages as the benchmark's units (e.g. "NAS-Bench-201 cells"). `space` must outlive the table.
 */
ArchKeys tableKeys(const SearchSpace& space);

/** The architectures one mutation away from an architecture of a space, as table fields (arch strings). */
using ArchMutants = std::function<std::vector<std::string>(std::string_view arch)>;

/**
 * How ageing evolution mutates architectures of `space` (SearchSpace::mutants, on the space's text); empty for a
 * space without a mutation. The function throws ParseError for text that is not one of the space's architectures.
 */
ArchMutants spaceMutants(const SearchSpace& space);

} // namespace epsinas
