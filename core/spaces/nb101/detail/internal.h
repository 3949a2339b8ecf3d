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
    /** Validates the spec and traces its pruned form, the network that scoring builds. */
    std::optional<SignalFlow> traceValue(const nb101::Spec& spec) override;
    /** The signal flow of a valid, pruned spec. */
    virtual SignalFlow tracePruned(const nb101::Spec& spec) = 0;
};

/**
 * The layer names of an NB101 signal flow, input to output: "stem", "cell 1" ... "cell 9" (counted across the
 * stacks), "downsample 1" and "downsample 2" (the max pools between stacks), then "global pool", "classifier".
 */
std::string nb101CellLayer(int cellNumber);
std::string nb101DownsampleLayer(int downsampleNumber);

/** The NB101 stem, ConvBnRelu(3 -> channels, 3x3) with every weight w and batch statistics: [B, channels, S, S]. */
torch::Tensor nb101Stem(const torch::Tensor& images, double w, std::int64_t channels);

/** The full-width network of algorithm §3.2, built per spec, as the paper does. */
std::unique_ptr<Evaluator> makeNb101ReferenceEvaluator(const InputBatch& input, const ScoreOptions& options);
/** Its exact width-collapsed form (algorithm §4), one spec per CPU thread. */
std::unique_ptr<Evaluator> makeNb101FastEvaluator(const InputBatch& input, const ScoreOptions& options);

} // namespace epsinas::detail
