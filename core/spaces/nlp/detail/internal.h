// SPDX-License-Identifier: MIT
// Private to the NAS-Bench-NLP space: the shared frame of its evaluators (device, embedding, chunk loop, score).
#pragma once

#include "score/detail/torchsupport.h"
#include "score/tokeninput.h"
#include "spaces/nlp/model.h"

namespace epsinas::nlp::detail {

// The device and conversion helpers shared with the other search spaces.
using epsinas::detail::rethrowAsRuntimeError;
using epsinas::detail::scalarType;
using epsinas::detail::toDoubles;

class EvaluatorBase : public epsinas::detail::EvaluatorFrame<Recipe> {
public:
    EvaluatorBase(const TokenBatch& input, const ScoreOptions& options);

protected:
    const TokenBatch& input() const { return m_input; }
    /** The embedding of algorithm §1.2, [10000, 400] float32 on the CPU; the same for both weights. */
    const torch::Tensor& embedding() const { return m_embedding; }

private:
    TokenBatch m_input;
    torch::Tensor m_embedding;
};

/**
 * The layer names of an NLP signal flow, input to output: "layer 1, step 1" ... "layer 3, step 70" (the cell's
 * h_new_0 at every time step of every RNN layer: the recurrence unrolled), then "output", the last layer's unit 0
 * at every step, which is what the score takes.
 */
std::string stepLayer(int layer, int step);

/** The AWD-style model of algorithm §3.3 with LibTorch (on options.device), as the paper runs it. */
std::unique_ptr<Evaluator> makeReferenceEvaluator(const TokenBatch& input, const ScoreOptions& options);
/** The exact hidden-unit collapse (algorithm §4) as plain loops on the CPU, one recipe per thread. */
std::unique_ptr<Evaluator> makeFastEvaluator(const TokenBatch& input, const ScoreOptions& options);

} // namespace epsinas::nlp::detail
