// SPDX-License-Identifier: MIT
// Private to the NB201 space: the shared frame of its evaluators (device, input, chunk loop, score).
#pragma once

#include "score/detail/torchsupport.h"
#include "spaces/nb201/cell.h"

namespace epsinas::detail {

using Nb201EvaluatorBase = ImageEvaluatorFrame<nb201::Cell>;

/**
 * The layer names of an NB201 signal flow, input to output: "stem", "cell 1" ... "cell 15" (counted across the
 * stages), "reduction 1" and "reduction 2" (the ResNet blocks), then "last BN+ReLU", "global pool", "classifier".
 */
std::string nb201CellLayer(int cellNumber);
std::string nb201ReductionLayer(int reductionNumber);

/** The NB201 stem of the reference (conv 3 -> 16, BN with batch statistics), all weights w: [B, 16, S, S]. */
torch::Tensor fullWidthStem(const torch::Tensor& images, double w);

/** The full-width TinyNetwork of algorithm §3.1, built per cell, as the paper does. */
std::unique_ptr<Evaluator> makeNb201ReferenceEvaluator(const InputBatch& input, const ScoreOptions& options);
/** Its exact width-collapsed form (algorithm §4): plain loops on the CPU, batched tensors on CUDA. */
std::unique_ptr<Evaluator> makeNb201FastEvaluator(const InputBatch& input, const ScoreOptions& options);

} // namespace epsinas::detail
