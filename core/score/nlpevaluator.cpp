// SPDX-License-Identifier: MIT
#include "score/nlpinternal.h"

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
    : EvaluatorFrame(options)
    , m_input(input)
    , m_embedding(drawEmbedding())
{
}

} // namespace detail

std::int64_t parameterCount(const Recipe& recipe)
{
    // The decoder's weight is the embedding (tied), but its bias is its own.
    std::int64_t count = std::int64_t { kVocabularySize } * kEmbeddingSize + kVocabularySize;
    for (int layer = 0; layer < kLayerCount; ++layer) {
        const std::int64_t hidden = hiddenSize(layer);
        for (const Step& step : recipe.steps()) {
            if (step.op != Op::Linear)
                continue;
            count += hidden;
            for (const Operand& operand : step.operands)
                count += hidden * (operand.kind == Operand::Kind::Input ? inputSize(layer) : hidden);
        }
    }
    return count;
}

std::unique_ptr<Evaluator> makeEvaluator(const TokenBatch& input, const ScoreOptions& options)
{
    if (options.evaluator == EvaluatorKind::Reference)
        return detail::makeReferenceEvaluator(input, options);
    return detail::makeFastEvaluator(input, options);
}

} // namespace epsinas::nlp
