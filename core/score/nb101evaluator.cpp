// SPDX-License-Identifier: MIT
#include "score/nb101internal.h"

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
    return scoreInChunks(pruned, chunkSize(), control, m_options,
        [this](const std::vector<nb101::Spec>& chunk, std::vector<CellScore>& results) { scoreChunk(chunk, results); });
}

CellScore Nb101EvaluatorBase::finish(std::vector<double> outputLow, std::vector<double> outputHigh) const
{
    return finishScore(std::move(outputLow), std::move(outputHigh), m_options);
}

} // namespace detail

std::unique_ptr<Nb101Evaluator> makeNb101Evaluator(const InputBatch& input, const ScoreOptions& options)
{
    if (options.evaluator == EvaluatorKind::Reference)
        return detail::makeNb101ReferenceEvaluator(input, options);
    return detail::makeNb101FastEvaluator(input, options);
}

} // namespace epsinas
