// SPDX-License-Identifier: MIT
#include "score/nb201internal.h"
#include "score/scoreformula.h"

namespace epsinas {

namespace detail {

Nb201EvaluatorBase::Nb201EvaluatorBase(const InputBatch& input, const ScoreOptions& options)
    : m_options(options)
    , m_device(prepareDevice(options))
{
    try {
        m_images = input.data().images.to(m_device, scalarType(options.precision));
    } catch (const c10::Error& error) {
        rethrowAsRuntimeError(error, options);
    }
}

std::vector<CellScore> Nb201EvaluatorBase::score(const std::vector<nb201::Cell>& cells, const RunControl& control)
{
    return scoreInChunks(cells, chunkSize(), control, m_options,
        [this](const std::vector<nb201::Cell>& chunk, std::vector<CellScore>& results) { scoreChunk(chunk, results); });
}

CellScore Nb201EvaluatorBase::finish(std::vector<double> outputLow, std::vector<double> outputHigh) const
{
    return finishScore(std::move(outputLow), std::move(outputHigh), m_options);
}

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
