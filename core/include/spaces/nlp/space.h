// SPDX-License-Identifier: MIT
#pragma once

#include "space/searchspace.h"
#include "spaces/nlp/model.h"
#include "spaces/nlp/recipe.h"

namespace epsinas::nlp {

/**
 * The NAS-Bench-NLP space: recurrent cell recipes (algorithm §3.3), open-ended (sampled by the benchmark's
 * generator, or read from its recipe files), named in tables by their recepie_id.
 */
const SearchSpace& space();

/** `recipe` as an architecture of space(). */
Arch toArch(const Recipe& recipe);
std::vector<Arch> toArchs(const std::vector<Recipe>& recipes);
/** The recipe of an architecture of space(); throws std::logic_error for another space's. */
const Recipe& recipeOf(const Arch& arch);

} // namespace epsinas::nlp
