// SPDX-License-Identifier: MIT
#pragma once

#include "space/searchspace.h"
#include "spaces/nb201/cell.h"

#include <vector>

namespace epsinas::nb201 {

/** The reference's constant weights for NAS-Bench-201 (algorithm §2). */
constexpr WeightPair kDefaultWeights { 1e-7, 1.0 };

/**
 * The NAS-Bench-201 space: cells of six edges with five ops each (algorithm §3.1), enumerable (15,625 cells),
 * scored in their canonical form, the reference being the full-width TinyNetwork.
 */
const SearchSpace& space();

/** `cell` as an architecture of space(). */
Arch toArch(const Cell& cell);
std::vector<Arch> toArchs(const std::vector<Cell>& cells);
/** The cell of an architecture of space(); throws std::logic_error for another space's. */
const Cell& cellOf(const Arch& arch);

} // namespace epsinas::nb201
