// SPDX-License-Identifier: MIT
#include "spaces/nlp/mutation.h"

#include <algorithm>
#include <set>
#include <string>

namespace epsinas::nlp {

namespace {

/** The values a node may read: x, the cell's h_prev_k, and every node. */
std::vector<std::string> sourcesOf(const Recipe& recipe)
{
    std::vector<std::string> sources { "x" };
    for (int k = 0; k < recipe.hiddenCount(); ++k)
        sources.push_back("h_prev_" + std::to_string(k));
    for (const Node& node : recipe.nodes())
        sources.push_back(node.name);
    return sources;
}

} // namespace

std::vector<Recipe> oneStepMutants(const Recipe& recipe)
{
    const std::vector<Node>& nodes = recipe.nodes();
    std::size_t inputCount = 0;
    for (const Node& node : nodes)
        inputCount += node.inputs.size();
    if (nodes.size() > std::size_t(kMaxMutatedNodes) || inputCount > std::size_t(kMaxMutatedInputs))
        return {};

    std::set<std::string> seen { recipe.toJson() };
    std::vector<Recipe> mutants;
    const auto keep = [&](std::vector<Node> step) {
        try {
            Recipe mutant = Recipe::fromNodes(std::move(step));
            if (seen.insert(mutant.toJson()).second)
                mutants.push_back(std::move(mutant));
        } catch (const RecipeError&) {
            // A step the recipe rules refuse (e.g. a cycle, or a sum reading x) is no mutant.
        }
    };
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        for (Op op : kAllOps) {
            if (op == nodes[i].op)
                continue;
            std::vector<Node> step = nodes;
            step[i].op = op;
            keep(std::move(step));
        }
    }
    const std::vector<std::string> sources = sourcesOf(recipe);
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const std::vector<std::string>& inputs = nodes[i].inputs;
        for (std::size_t slot = 0; slot < inputs.size(); ++slot) {
            for (const std::string& source : sources) {
                if (std::find(inputs.begin(), inputs.end(), source) != inputs.end())
                    continue;
                std::vector<Node> step = nodes;
                step[i].inputs[slot] = source;
                keep(std::move(step));
            }
        }
    }
    return mutants;
}

} // namespace epsinas::nlp
