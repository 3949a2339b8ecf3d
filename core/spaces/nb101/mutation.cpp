// SPDX-License-Identifier: MIT
#include "spaces/nb101/mutation.h"

#include <array>
#include <unordered_set>

namespace epsinas::nb101 {

namespace {

// The ops an interior vertex may take, in the benchmark's order.
constexpr std::array<Op, 3> kInteriorOps { Op::Conv3x3, Op::Conv1x1, Op::MaxPool3x3 };

std::vector<std::vector<bool>> adjacencyOf(const Spec& spec)
{
    const int n = spec.vertexCount();
    std::vector<std::vector<bool>> adjacency(n, std::vector<bool>(n));
    for (int from = 0; from < n; ++from)
        for (int to = 0; to < n; ++to)
            adjacency[from][to] = spec.hasEdge(from, to);
    return adjacency;
}

std::vector<Op> opsOf(const Spec& spec)
{
    std::vector<Op> ops;
    for (int v = 0; v < spec.vertexCount(); ++v)
        ops.push_back(spec.op(v));
    return ops;
}

} // namespace

std::vector<Spec> oneStepMutants(const Spec& spec)
{
    const std::vector<std::vector<bool>> adjacency = adjacencyOf(spec);
    const std::vector<Op> ops = opsOf(spec);
    std::vector<Spec> steps;
    const int n = spec.vertexCount();
    for (int v = 1; v + 1 < n; ++v) {
        for (Op op : kInteriorOps) {
            if (op == ops[v])
                continue;
            std::vector<Op> changed = ops;
            changed[v] = op;
            steps.emplace_back(adjacency, changed);
        }
    }
    for (int from = 0; from < n; ++from) {
        for (int to = from + 1; to < n; ++to) {
            std::vector<std::vector<bool>> flipped = adjacency;
            flipped[from][to] = !flipped[from][to];
            steps.emplace_back(flipped, ops);
        }
    }

    // The parent may itself be invalid (an editor's draft); then it has no hash and every valid step is new.
    std::unordered_set<std::string> hashes;
    if (spec.isValid())
        hashes.insert(spec.hash());
    std::vector<Spec> mutants;
    for (const Spec& step : steps) {
        if (step.isValid() && hashes.insert(step.hash()).second)
            mutants.push_back(step);
    }
    return mutants;
}

} // namespace epsinas::nb101
