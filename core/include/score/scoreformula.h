// SPDX-License-Identifier: MIT
#pragma once

#include "score/options.h"
#include "score/result.h"

#include <string>
#include <vector>

namespace epsinas {

/**
 * The epsinas score of two raw output vectors (algorithm §1.4), with what the explorer shows about it. Normalisation
 * runs in the evaluation precision, as numpy does on the reference's float32 outputs; means accumulate in double.
 */
struct ScoreBreakdown {
    double score = 0;
    /** nanmean |ŷ_lo − ŷ_hi| over columns where both entries survive the zero-to-NaN rule. */
    double mae = 0;
    /** nanmean over all surviving entries of both rows. */
    double mean = 0;
    /** Min-max normalised outputs (NaN where the zero-to-NaN rule or a constant row removed them). */
    std::vector<double> normalizedLow, normalizedHigh;
    /** Entries of each row removed by the zero-to-NaN rule (the row minimum and all samples tied with it). */
    int droppedLow = 0, droppedHigh = 0;
    /** Empty when the score is a number; otherwise why not, in words a user can act on. */
    std::string nanReason;
};

ScoreBreakdown computeScore(const std::vector<double>& outputLow, const std::vector<double>& outputHigh,
    const WeightPair& weights, Precision precision);

/** The ArchScore of two raw output rows under `options`; the rows are kept in it when options.keepOutputs. */
ArchScore finishScore(std::vector<double> outputLow, std::vector<double> outputHigh, const ScoreOptions& options);

} // namespace epsinas
