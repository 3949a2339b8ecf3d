// SPDX-License-Identifier: MIT
#include "score/scoreformula.h"
#include "score/result.h"

#include <cmath>
#include <limits>

namespace epsinas {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// NaN reason for a row that cannot be normalised, or empty when it can.
template <typename Real>
std::string normalise(const std::vector<double>& raw, std::vector<double>& normalized, double weight)
{
    Real lowest = std::numeric_limits<Real>::infinity();
    Real highest = -std::numeric_limits<Real>::infinity();
    bool anyNumber = false;
    bool anyInfinite = false;
    for (double value : raw) {
        if (std::isnan(value))
            continue; // nanmin/nanmax skip NaN
        anyNumber = true;
        anyInfinite = anyInfinite || std::isinf(value);
        lowest = std::min(lowest, static_cast<Real>(value));
        highest = std::max(highest, static_cast<Real>(value));
    }
    const std::string prefix = "w=" + shortestText(weight) + ": ";
    normalized.assign(raw.size(), kNaN);
    if (!anyNumber)
        return prefix + "every output is NaN";
    if (anyInfinite)
        return prefix + "outputs overflow to infinity";
    if (lowest == highest) {
        return prefix
            + (lowest == 0 ? "all outputs equal (underflow to 0)"
                           : "all outputs equal (" + shortestText(static_cast<double>(lowest)) + ")");
    }
    const Real range = highest - lowest;
    for (std::size_t i = 0; i < raw.size(); ++i)
        if (!std::isnan(raw[i]))
            normalized[i] = static_cast<double>((static_cast<Real>(raw[i]) - lowest) / range);
    return {};
}

int dropZeros(std::vector<double>& row)
{
    int dropped = 0;
    for (double& value : row) {
        if (value == 0) {
            value = kNaN;
            ++dropped;
        }
    }
    return dropped;
}

} // namespace

ScoreBreakdown computeScore(const std::vector<double>& outputLow, const std::vector<double>& outputHigh,
    const WeightPair& weights, Precision precision)
{
    ScoreBreakdown result;
    const bool single = precision == Precision::Float32;
    std::string reasonLow = single ? normalise<float>(outputLow, result.normalizedLow, weights.low)
                                   : normalise<double>(outputLow, result.normalizedLow, weights.low);
    // An empty high row means the second pass was skipped because the first already makes the score NaN.
    const bool highSkipped = outputHigh.empty() && !reasonLow.empty();
    std::string reasonHigh;
    if (!highSkipped)
        reasonHigh = single ? normalise<float>(outputHigh, result.normalizedHigh, weights.high)
                            : normalise<double>(outputHigh, result.normalizedHigh, weights.high);
    result.droppedLow = dropZeros(result.normalizedLow);
    result.droppedHigh = dropZeros(result.normalizedHigh);

    double sumDifference = 0, sumValues = 0;
    long columns = 0, values = 0;
    const std::size_t n = std::min(result.normalizedLow.size(), result.normalizedHigh.size());
    for (std::size_t i = 0; i < n; ++i) {
        const double a = result.normalizedLow[i], b = result.normalizedHigh[i];
        if (!std::isnan(a)) {
            sumValues += a;
            ++values;
        }
        if (!std::isnan(b)) {
            sumValues += b;
            ++values;
        }
        if (!std::isnan(a) && !std::isnan(b)) {
            sumDifference += std::abs(a - b);
            ++columns;
        }
    }
    result.mae = columns > 0 ? sumDifference / columns : kNaN;
    result.mean = values > 0 ? sumValues / values : kNaN;
    result.score = result.mae / result.mean;

    if (!reasonLow.empty() || !reasonHigh.empty())
        result.nanReason
            = reasonLow.empty() ? reasonHigh : (reasonHigh.empty() ? reasonLow : reasonLow + "; " + reasonHigh);
    else if (outputLow.size() != outputHigh.size())
        result.nanReason = "the two output vectors differ in length";
    else if (columns == 0)
        result.nanReason = "no sample is above the minimum in both passes";
    else if (std::isnan(result.score))
        result.nanReason = "mean normalised output is 0";
    if (!result.nanReason.empty())
        result.score = kNaN;
    return result;
}

ArchScore finishScore(std::vector<double> outputLow, std::vector<double> outputHigh, const ScoreOptions& options)
{
    const ScoreBreakdown breakdown = computeScore(outputLow, outputHigh, options.weights, options.precision);
    ArchScore result;
    result.score = breakdown.score;
    result.mae = breakdown.mae;
    result.mean = breakdown.mean;
    result.nanReason = breakdown.nanReason;
    if (options.keepOutputs) {
        result.outputLow = std::move(outputLow);
        result.outputHigh = std::move(outputHigh);
    }
    return result;
}

} // namespace epsinas
