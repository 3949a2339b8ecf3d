// SPDX-License-Identifier: MIT
// The one place that lists the built-in search spaces: a new space adds its folder and one line here.
#include "spaces/spaces.h"

#include "spaces/nb101/space.h"
#include "spaces/nb201/space.h"
#include "spaces/nlp/space.h"

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

} // namespace epsinas
