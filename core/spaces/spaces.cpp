// SPDX-License-Identifier: MIT
// The one place that lists the built-in search spaces: a new space adds its folder and one line here.
#include "spaces/spaces.h"

#include "spaces/nb101/space.h"
#include "spaces/nb201/space.h"
#include "spaces/nlp/space.h"

#include <stdexcept>

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

ArchMutants spaceMutants(const SearchSpace& space)
{
    if (!space.mutates())
        return {};
    return [&space](std::string_view text) {
        std::vector<std::string> mutants;
        for (const Arch& mutant : space.mutants(space.parse(text)))
            mutants.push_back(space.format(mutant));
        return mutants;
    };
}

} // namespace epsinas
