// SPDX-License-Identifier: MIT
// The one place that lists the built-in search spaces: a new space adds its folder and one line here.
#include "spaces/spaces.h"

#include "spaces/nb101/space.h"
#include "spaces/nb201/space.h"
#include "spaces/nlp/space.h"

#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

namespace epsinas {

SpaceRegistry& spaceRegistry()
{
    static SpaceRegistry registry = [] {
        SpaceRegistry builtin;
        builtin.add(nb201::space());
        builtin.add(nb101::space());
        builtin.add(nlp::space());
        return builtin;
    }();
    return registry;
}

const SearchSpace& defaultStatisticsSpace(bool higherTargetIsBetter)
{
    for (const SearchSpace* space : spaceRegistry().all()) {
        if (higherTargetIsBetter || space->statisticsReference().ranksLosses)
            return *space;
    }
    throw std::logic_error(higherTargetIsBetter ? "no search space is registered"
                                                : "no registered search space ranks a lower-is-better target");
}

ArchKeys tableKeys(const SearchSpace& space)
{
    return { [&space](std::string_view field) { return space.tableFieldKey(field); },
        space.name() + " " + space.unitName(true) };
}

std::vector<std::vector<std::size_t>> mutationNeighbours(
    const SearchSpace& space, const std::vector<std::optional<Arch>>& candidates)
{
    const auto meetingKey = [&space](const Arch& arch) {
        const std::string key = space.tableKey({ {}, arch });
        return key.empty() ? "identity " + space.identityKey(arch) : "key " + key;
    };
    std::unordered_map<std::string, std::vector<std::size_t>> positions;
    for (std::size_t i = 0; i < candidates.size(); ++i)
        if (candidates[i])
            positions[meetingKey(*candidates[i])].push_back(i);
    std::vector<std::vector<std::size_t>> neighbours(candidates.size());
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        if (!candidates[i])
            continue;
        std::unordered_set<std::size_t> met;
        for (const Arch& mutant : space.mutants(*candidates[i])) {
            const auto found = positions.find(meetingKey(mutant));
            if (found == positions.end())
                continue;
            for (std::size_t position : found->second)
                if (position != i && met.insert(position).second)
                    neighbours[i].push_back(position);
        }
    }
    return neighbours;
}

} // namespace epsinas
