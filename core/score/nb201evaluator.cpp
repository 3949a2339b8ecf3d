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
    // InferenceMode is thread-local: hold it here, on whichever thread scores.
    c10::InferenceMode inferenceMode;
    std::vector<CellScore> results;
    results.reserve(cells.size());
    const std::size_t step = static_cast<std::size_t>(std::max(1, chunkSize()));
    for (std::size_t begin = 0; begin < cells.size(); begin += step) {
        if (control.cancelled())
            throw Cancelled();
        const std::vector<nb201::Cell> chunk(
            cells.begin() + begin, cells.begin() + std::min(cells.size(), begin + step));
        try {
            scoreChunk(chunk, results);
        } catch (const c10::Error& error) {
            rethrowAsRuntimeError(error, m_options);
        }
        if (control.progress)
            control.progress(results.size(), cells.size());
    }
    return results;
}

CellScore Nb201EvaluatorBase::finish(std::vector<double> outputLow, std::vector<double> outputHigh) const
{
    const ScoreBreakdown breakdown = computeScore(outputLow, outputHigh, m_options.weights, m_options.precision);
    CellScore result;
    result.score = breakdown.score;
    result.mae = breakdown.mae;
    result.mean = breakdown.mean;
    result.nanReason = breakdown.nanReason;
    if (m_options.keepOutputs) {
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
