// SPDX-License-Identifier: MIT
// Private to core/score: the shared frame of the NB101 evaluators (device, input, chunk loop, score).
#pragma once

#include "score/nb101evaluator.h"
#include "score/torchsupport.h"

namespace epsinas::detail {

class Nb101EvaluatorBase : public ImageEvaluatorFrame<Nb101Evaluator, nb101::Spec> {
public:
    using ImageEvaluatorFrame::ImageEvaluatorFrame;

    /** Validates every spec (one error for a bad spec before any work), then scores their pruned forms. */
    std::vector<CellScore> score(const std::vector<nb101::Spec>& specs, const RunControl& control) override;
};

/** The NB101 stem, ConvBnRelu(3 -> channels, 3x3) with every weight w and batch statistics: [B, channels, S, S]. */
torch::Tensor nb101Stem(const torch::Tensor& images, double w, std::int64_t channels);

std::unique_ptr<Nb101Evaluator> makeNb101ReferenceEvaluator(const InputBatch& input, const ScoreOptions& options);
std::unique_ptr<Nb101Evaluator> makeNb101FastEvaluator(const InputBatch& input, const ScoreOptions& options);

} // namespace epsinas::detail
