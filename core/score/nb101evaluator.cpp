// SPDX-License-Identifier: MIT
#include "score/nb101internal.h"
#include "score/scoreformula.h"

namespace epsinas {

namespace detail {

Nb101EvaluatorBase::Nb101EvaluatorBase(const InputBatch& input, const ScoreOptions& options)
    : m_options(options)
    , m_device(prepareDevice(options))
{
    try {
        m_images = input.data().images.to(m_device, scalarType(options.precision));
    } catch (const c10::Error& error) {
        rethrowAsRuntimeError(error, options);
    }
}

std::vector<CellScore> Nb101EvaluatorBase::score(const std::vector<nb101::Spec>& specs, const RunControl& control)
{
    // Both evaluators build the pruned spec; checking here gives one error for a bad spec before any work.
    std::vector<nb101::Spec> pruned;
    pruned.reserve(specs.size());
    for (const nb101::Spec& spec : specs) {
        spec.validate();
        pruned.push_back(spec.pruned());
    }
    // InferenceMode is thread-local: hold it here, on whichever thread scores.
    c10::InferenceMode inferenceMode;
    std::vector<CellScore> results;
    results.reserve(specs.size());
    const std::size_t step = static_cast<std::size_t>(std::max(1, chunkSize()));
    for (std::size_t begin = 0; begin < pruned.size(); begin += step) {
        if (control.cancelled())
            throw Cancelled();
        const std::vector<nb101::Spec> chunk(
            pruned.begin() + begin, pruned.begin() + std::min(pruned.size(), begin + step));
        try {
            scoreChunk(chunk, results);
        } catch (const c10::Error& error) {
            rethrowAsRuntimeError(error, m_options);
        }
        if (control.progress)
            control.progress(results.size(), specs.size());
    }
    return results;
}

CellScore Nb101EvaluatorBase::finish(std::vector<double> outputLow, std::vector<double> outputHigh) const
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

std::unique_ptr<Nb101Evaluator> makeNb101Evaluator(const InputBatch& input, const ScoreOptions& options)
{
    if (options.evaluator == EvaluatorKind::Reference)
        return detail::makeNb101ReferenceEvaluator(input, options);
    return detail::makeNb101FastEvaluator(input, options);
}

} // namespace epsinas
