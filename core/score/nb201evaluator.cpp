// SPDX-License-Identifier: MIT
#include "score/nb201internal.h"
#include "score/scoreformula.h"

namespace epsinas {

namespace detail {

CellScore finishScore(std::vector<double> outputLow, std::vector<double> outputHigh, const ScoreOptions& options)
{
    const ScoreBreakdown breakdown = computeScore(outputLow, outputHigh, options.weights, options.precision);
    CellScore result;
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

} // namespace detail

std::unique_ptr<Nb201Evaluator> makeNb201Evaluator(const InputBatch& input, const ScoreOptions& options)
{
    if (options.evaluator == EvaluatorKind::Reference)
        return detail::makeNb201ReferenceEvaluator(input, options);
    return detail::makeNb201FastEvaluator(input, options);
}

} // namespace epsinas
