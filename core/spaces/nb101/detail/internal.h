// SPDX-License-Identifier: MIT
// Private to the NB101 space: the shared frame of its evaluators (device, input, chunk loop, score).
#pragma once

#include "score/detail/torchsupport.h"
#include "spaces/nb101/spec.h"

namespace epsinas::detail {

class Nb101EvaluatorBase : public ImageEvaluatorFrame<nb101::Spec> {
public:
    using ImageEvaluatorFrame::ImageEvaluatorFrame;

protected:
    /** Validates every spec (one error for a bad spec before any work), then scores their pruned forms. */
    std::vector<ArchScore> scoreValues(const std::vector<nb101::Spec>& specs, const RunControl& control) override;
};

/** The NB101 stem, ConvBnRelu(3 -> channels, 3x3) with every weight w and batch statistics: [B, channels, S, S]. */
torch::Tensor nb101Stem(const torch::Tensor& images, double w, std::int64_t channels);

/** The full-width network of algorithm §3.2, built per spec, as the paper does. */
std::unique_ptr<Evaluator> makeNb101ReferenceEvaluator(const InputBatch& input, const ScoreOptions& options);
/** Its exact width-collapsed form (algorithm §4), one spec per CPU thread. */
std::unique_ptr<Evaluator> makeNb101FastEvaluator(const InputBatch& input, const ScoreOptions& options);

} // namespace epsinas::detail
