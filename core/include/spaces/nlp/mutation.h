// SPDX-License-Identifier: MIT
#pragma once

#include "spaces/nlp/recipe.h"

#include <vector>

namespace epsinas::nlp {

/**
 * The largest recipe oneStepMutants() mutates, in nodes and in node inputs: twice the benchmark's largest cells
 * (15 nodes, 27 inputs in recipes.jsonl). Each mutant is checked by Recipe::fromNodes, so the work grows as
 * (nodes x ops + inputs x sources) x a recipe's check; the bound keeps a hostile table's recipes from taking hours.
 */
constexpr int kMaxMutatedNodes = 32;
constexpr int kMaxMutatedInputs = 64;

/**
 * The mutation of ageing evolution on NAS-Bench-NLP: the recipes one step from `recipe`, where a step changes the op
 * of one node (to any other op) or rewires one input of one node to another source (x, an h_prev_k of the cell, or
 * another node) that the node does not read yet. Node names, their order and the other inputs stay. A step is kept
 * only if Recipe::fromNodes accepts it (input counts, only linear nodes read x, no cycle, the outputs h_new_k all
 * computed), so a rewire that makes a node dead (read by no output) is kept, as the recipe rules allow it; the
 * benchmark generator's own rules (it reads x and every h_prev_k) are not asked for.
 *
 * Mutants are distinct by their JSON (the space's identity key) and none equals the parent; ops node by node, then
 * rewires input by input. A recipe above kMaxMutatedNodes or kMaxMutatedInputs has none.
 */
std::vector<Recipe> oneStepMutants(const Recipe& recipe);

} // namespace epsinas::nlp
