// SPDX-License-Identifier: MIT
#pragma once

#include "cells/nb201cell.h"
#include "score/input.h"
#include "score/options.h"

#include <memory>
#include <string>
#include <vector>

namespace epsinas {

/** Everything one evaluation yields for one cell; a plain value. */
struct CellScore {
    double score = 0;
    double mae = 0;
    double mean = 0;
    /** Raw network outputs for w_lo and w_hi (one per sample); empty when not kept (ScoreOptions::keepOutputs). */
    std::vector<double> outputLow, outputHigh;
    /** Why the score is NaN, e.g. "w=1e-07: all outputs equal (underflow to 0)"; empty for a number. */
    std::string nanReason;
    bool isNan() const { return !nanReason.empty(); }
};

/**
 * Scores NB201 cells under fixed options and one input batch. Implementations own their LibTorch state, so one
 * evaluator belongs to one thread at a time.
 */
class Nb201Evaluator {
public:
    virtual ~Nb201Evaluator() = default;
    /**
     * Scores `cells` in order. `control` may report progress and cancel between chunks (throwing Cancelled).
     * Throws std::runtime_error for device problems (no CUDA, out of memory) with a message for the user.
     */
    virtual std::vector<CellScore> score(const std::vector<nb201::Cell>& cells, const RunControl& control = {}) = 0;
    virtual const ScoreOptions& options() const = 0;
};

/** Throws std::runtime_error when the options cannot be honoured (e.g. CUDA requested but not available). */
std::unique_ptr<Nb201Evaluator> makeNb201Evaluator(const InputBatch& input, const ScoreOptions& options);

} // namespace epsinas
