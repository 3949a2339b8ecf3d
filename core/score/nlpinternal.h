// SPDX-License-Identifier: MIT
// Private to core/score: the shared frame of the NAS-Bench-NLP evaluators (device, embedding, chunk loop, score).
#pragma once

#include "score/nlpevaluator.h"
#include "score/torchsupport.h"

namespace epsinas::nlp::detail {

// The device and conversion helpers shared with the other search spaces.
using epsinas::detail::rethrowAsRuntimeError;
using epsinas::detail::scalarType;
using epsinas::detail::toDoubles;

class EvaluatorBase : public epsinas::detail::EvaluatorFrame<Evaluator, Recipe> {
public:
    EvaluatorBase(const TokenBatch& input, const ScoreOptions& options);

protected:
    const TokenBatch& input() const { return m_input; }
    /** The embedding of spec §1.2, [10000, 400] float32 on the CPU; the same for both weights. */
    const torch::Tensor& embedding() const { return m_embedding; }

private:
    TokenBatch m_input;
    torch::Tensor m_embedding;
};

std::unique_ptr<Evaluator> makeReferenceEvaluator(const TokenBatch& input, const ScoreOptions& options);
std::unique_ptr<Evaluator> makeFastEvaluator(const TokenBatch& input, const ScoreOptions& options);

} // namespace epsinas::nlp::detail
