// SPDX-License-Identifier: MIT
#include "score/nlpinternal.h"
#include "score/scoreformula.h"

#include <ATen/CPUGeneratorImpl.h>

namespace epsinas::nlp {

namespace detail {

namespace {

constexpr std::uint64_t kEmbeddingSeed = 21;

/**
 * U(0, 1) drawn on the CPU from a generator seeded with 21: the same Mersenne Twister stream as
 * torch.manual_seed(21) followed by uniform_ in PyTorch (spec §3.4), without touching the global generator
 * that other code may be drawing from.
 */
torch::Tensor drawEmbedding()
{
    at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(kEmbeddingSeed);
    return torch::empty({ kVocabularySize, kEmbeddingSize }, torch::kFloat32).uniform_(0, 1, generator);
}

} // namespace

EvaluatorBase::EvaluatorBase(const TokenBatch& input, const ScoreOptions& options)
    : m_options(options)
    , m_device(prepareDevice(options))
    , m_input(input)
    , m_embedding(drawEmbedding())
{
}

std::vector<CellScore> EvaluatorBase::score(const std::vector<Recipe>& recipes, const RunControl& control)
{
    // InferenceMode is thread-local: hold it here, on whichever thread scores.
    c10::InferenceMode inferenceMode;
    std::vector<CellScore> results;
    results.reserve(recipes.size());
    const std::size_t step = static_cast<std::size_t>(std::max(1, chunkSize()));
    for (std::size_t begin = 0; begin < recipes.size(); begin += step) {
        if (control.cancelled())
            throw Cancelled();
        const std::vector<Recipe> chunk(
            recipes.begin() + begin, recipes.begin() + std::min(recipes.size(), begin + step));
        try {
            scoreChunk(chunk, results);
        } catch (const c10::Error& error) {
            rethrowAsRuntimeError(error, m_options);
        }
        if (control.progress)
            control.progress(results.size(), recipes.size());
    }
    return results;
}

CellScore EvaluatorBase::finish(std::vector<double> outputLow, std::vector<double> outputHigh) const
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

std::unique_ptr<Evaluator> makeEvaluator(const TokenBatch& input, const ScoreOptions& options)
{
    if (options.evaluator == EvaluatorKind::Reference)
        return detail::makeReferenceEvaluator(input, options);
    return detail::makeFastEvaluator(input, options);
}

} // namespace epsinas::nlp
