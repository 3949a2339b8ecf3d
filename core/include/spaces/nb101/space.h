// SPDX-License-Identifier: MIT
#pragma once

#include "space/searchspace.h"
#include "spaces/nb101/spec.h"

#include <vector>

namespace epsinas::nb101 {

/** The constant weights of the NB101 experiments (algorithm §2): the default of every NB101 run. */
constexpr WeightPair kDefaultWeights { 1e-4, 10.0 };

/**
 * The NAS-Bench-101 space: cell DAGs of up to 7 vertices and 9 edges (algorithm §3.2), 423,624 valid cells (not
 * enumerated here; sampled, or read from tables), scored in their pruned form.
 */
const SearchSpace& space();

/** `spec` as an architecture of space(). */
Arch toArch(const Spec& spec);
std::vector<Arch> toArchs(const std::vector<Spec>& specs);
/** The spec of an architecture of space(); throws std::logic_error for another space's. */
const Spec& specOf(const Arch& arch);

} // namespace epsinas::nb101
