// SPDX-License-Identifier: MIT
// The one place that lists the built-in search spaces: a new space adds its folder and one line here.
#include "spaces/spaces.h"

#include "spaces/nb101/space.h"
#include "spaces/nb201/mutation.h"
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

namespace {

std::vector<std::string> nb201Mutants(std::string_view arch)
{
    std::vector<std::string> mutants;
    for (const nb201::Cell& mutant : nb201::oneEdgeMutants(nb201::Cell::parse(arch)))
        mutants.push_back(mutant.toString());
    return mutants;
}

} // namespace

ArchMutants spaceMutants(const SearchSpace& space)
{
    // NB101 and NAS-Bench-NLP have no mutation here yet: a mutant of theirs is valid only when the table holds it.
    if (&space == &nb201::space())
        return nb201Mutants;
    return nullptr;
}

} // namespace epsinas
