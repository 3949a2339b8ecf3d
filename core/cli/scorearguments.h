// SPDX-License-Identifier: MIT
// The options `epsinas score` reads the same way in every search space.
#pragma once

#include "cli/arguments.h"

#include "score/input.h"
#include "score/options.h"
#include "store/shard.h"

#include <utility>
#include <vector>

namespace epsinas::cli {

/**
 * --weights (default: the space's reference pair `defaultWeights`), --precision, --evaluator, --device, --threads
 * and --chunk, for a run whose CSV holds scores only.
 */
ScoreOptions scoreOptions(const Arguments& args, const WeightPair& defaultWeights);

/** The image batch of the NB201 and NB101 spaces: --input, --batch, --offset, --image-size. */
InputSpec imageInputSpec(const Arguments& args);

/** The items at the positions of the --shard slice, in order; all of them without --shard. */
template <typename Item> std::vector<Item> shardSlice(std::vector<Item> items, const Arguments& args)
{
    if (!args.has("shard"))
        return items;
    const Shard shard = Shard::parse(args.value("shard"));
    std::vector<Item> slice;
    for (std::size_t i = 0; i < items.size(); ++i)
        if (shard.contains(i))
            slice.push_back(std::move(items[i]));
    return slice;
}

} // namespace epsinas::cli
