// SPDX-License-Identifier: MIT
#pragma once

#include "spaces/nb201/cell.h"

#include <vector>

namespace epsinas::nb201 {

// Number of one-edge mutants of a cell: each edge takes each of the other ops.
constexpr int kMutantCount = kEdgeCount * (kOpCount - 1);

/** The cells that differ from `cell` in one edge's op (the mutation of ageing evolution on NB201), edge by edge. */
std::vector<Cell> oneEdgeMutants(const Cell& cell);

} // namespace epsinas::nb201
