// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

namespace epsinas {

/** Everything one evaluation yields for one architecture; a plain value. */
struct ArchScore {
    double score = 0;
    double mae = 0;
    double mean = 0;
    /** Raw network outputs for w_lo and w_hi (one per sample); empty when not kept (ScoreOptions::keepOutputs). */
    std::vector<double> outputLow, outputHigh;
    /** Why the score is NaN, e.g. "w=1e-07: all outputs equal (underflow to 0)"; empty for a number. */
    std::string nanReason;
    bool isNan() const { return !nanReason.empty(); }
};

} // namespace epsinas
