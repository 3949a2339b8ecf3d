// SPDX-License-Identifier: MIT
#pragma once

#include "cli/progress.h"
#include "score/nb201evaluator.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace epsinas::cli {

/** What identifies a scoring run in a result store, and where that store is (empty: no store). */
struct ScoringRun {
    std::string space;
    std::string inputFingerprint;
    ScoreOptions options;
    std::string storePath;
    /** Forms per evaluator call and per store transaction: an interrupted run loses at most one chunk. */
    std::size_t chunkSize = 256;
};

/** Scores the forms at the given positions of the request; one result per position, in order. */
using ScoreForms = std::function<std::vector<CellScore>(const std::vector<std::size_t>& positions, const RunControl&)>;

/**
 * The part of `epsinas score` every space shares: takes the distinct forms (by key) from the store where present,
 * scores the rest chunk by chunk (Ctrl-C / SIGTERM stop between chunks), writes each chunk to the store in one
 * transaction. Returns the score of every key, or nothing when interrupted (after telling the user).
 */
std::optional<std::map<std::string, CellScore>> scoreDistinct(const std::vector<std::string>& keys,
    const ScoringRun& run, const ScoreForms& score, ProgressReporter& progress, std::size_t& computed);

} // namespace epsinas::cli
