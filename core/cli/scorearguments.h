// SPDX-License-Identifier: MIT
// The options `epsinas score` reads the same way in every search space.
#pragma once

#include "cli/arguments.h"

#include "score/input.h"
#include "score/options.h"
#include "store/shard.h"

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace epsinas::cli {

// Architectures handed to an evaluator at once: far above any default, and a bound on what a chunk allocates.
constexpr int kMaxChunk = 1 << 16;

/**
 * --weights (default: the space's reference pair `defaultWeights`), --precision, --evaluator, --device, --threads
 * and --chunk, for a run whose CSV holds scores only.
 */
ScoreOptions scoreOptions(const Arguments& args, const WeightPair& defaultWeights);

/**
 * The image batch of the NB201 and NB101 spaces: --input, --batch (2 to kMaxBatchImages), --offset, --image-size (4
 * to kMaxImageSize).
 */
InputSpec imageInputSpec(const Arguments& args);

/**
 * Calls `parse(line, number)` for every line of the arch file `path` that is neither blank nor a '#' comment, with
 * surrounding blanks removed; whatever `parse` throws becomes a UsageError that begins "PATH:N: ". The file may
 * hold 256 MiB in lines of at most 64 KiB; a directory, a read error or a longer line is an error naming the file.
 */
void forEachArchLine(const std::string& path, const std::function<void(const std::string&, std::size_t)>& parse);

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
