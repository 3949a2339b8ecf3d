// SPDX-License-Identifier: MIT
#pragma once

#include "space/arch.h"
#include "space/registry.h"
#include "stats/benchmarktable.h"

#include <cstddef>
#include <optional>
#include <string>
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

/**
 * Ageing evolution's neighbour lists over candidates of `space`: for each, the positions of the other candidates
 * among its mutants (SearchSpace::mutants), each once. A mutant meets a candidate by the table key it would have
 * itself (an NB201 cell's text, an NB101 module hash, which also joins isomorphic specs), or, where that key is an id
 * only a table gives (an NLP recipe id, empty for a mutant), by identityKey; an architecture listed under several
 * positions meets each of them. A candidate without an architecture (nullopt) has no neighbours and is no one's.
 */
std::vector<std::vector<std::size_t>> mutationNeighbours(
    const SearchSpace& space, const std::vector<std::optional<Arch>>& candidates);

} // namespace epsinas
