// SPDX-License-Identifier: MIT
// Private to core/score: the shared frame of the NB201 evaluators (device, input, chunk loop, score).
#pragma once

#include "score/nb201evaluator.h"
#include "score/torchsupport.h"

namespace epsinas::detail {

using Nb201EvaluatorBase = ImageEvaluatorFrame<Nb201Evaluator, nb201::Cell>;

/** The NB201 stem of the reference (conv 3 -> 16, BN with batch statistics), all weights w: [B, 16, S, S]. */
torch::Tensor fullWidthStem(const torch::Tensor& images, double w);

std::unique_ptr<Nb201Evaluator> makeNb201ReferenceEvaluator(const InputBatch& input, const ScoreOptions& options);
std::unique_ptr<Nb201Evaluator> makeNb201FastEvaluator(const InputBatch& input, const ScoreOptions& options);

} // namespace epsinas::detail
