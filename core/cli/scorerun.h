// SPDX-License-Identifier: MIT
#pragma once

#include "cli/arguments.h"
#include "cli/progress.h"
#include "run/batch.h"

#include <string>
#include <vector>

namespace epsinas::cli {

/**
 * --store: empty when not given. A given name that is no file (empty, ":memory:", a "file:" URI) is a UsageError, so
 * that a run never seems to store what it keeps nowhere.
 */
std::string storeOption(const Arguments& args);

/**
 * Every file a score run reads or keeps, which its --out must never replace: `inputs` (the files of --input; empty
 * entries are ignored), each --arch-file, and the --store database with its journal files.
 */
std::vector<std::string> runFiles(const Arguments& args, const std::vector<std::string>& inputs);

/**
 * Drives `batch` to its end, the part of `epsinas score` every space shares: the forms `storePath` holds under
 * `key` first (when a store is given), then the rest `chunk` forms at a time, each chunk written to the store in one
 * transaction. The first Ctrl-C or SIGTERM asks the evaluator to stop (between chunks, and inside a reference
 * architecture); a second one ends the process at once with status 130, removing the CSV's temporary (the store
 * keeps its committed chunks: SQLite transactions). `unit` names the architectures in messages ("cells").
 * Returns false when interrupted (after telling the user); `computed` counts the forms scored rather than read.
 */
bool runBatch(run::Batch& batch, Evaluator& evaluator, const RunKey& key, const std::string& storePath,
    std::size_t chunk, const std::string& unit, ProgressReporter& progress, std::size_t& computed);

} // namespace epsinas::cli
