// SPDX-License-Identifier: MIT
#pragma once

#include "spaces/nb101/spec.h"

#include <vector>

namespace epsinas::nb101 {

/**
 * The mutation of ageing evolution on NB101: the valid specs one step from `spec`, where a step changes the op of
 * one interior vertex (to another of conv3x3-bn-relu, conv1x1-bn-relu, maxpool3x3) or flips one edge i -> j, i < j
 * (adds it or removes it). Validity is Spec::problem()'s: an input -> output path and at most 9 edges once pruned.
 *
 * A mutant keeps the parent's vertices as the step left them, unpruned, as NASBench's own mutation works on the full
 * matrix: a vertex an edge removal cuts off stays there for a later step to reconnect. There is one mutant per NB101
 * module hash (so they differ by identityKey, the pruned form, too), the first one found (ops vertex by vertex, then
 * edges row-major), and none with the parent's hash: a step that leaves a dead vertex's op changed, or yields a graph
 * isomorphic to the parent's, is no mutation. At most 10 op steps and 21 edge steps: O(1) specs to check.
 */
std::vector<Spec> oneStepMutants(const Spec& spec);

} // namespace epsinas::nb101
