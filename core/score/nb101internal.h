// SPDX-License-Identifier: MIT
// Private to core/score: the shared frame of the NB101 evaluators (device, input, chunk loop, score).
#pragma once

#include "score/nb101evaluator.h"
#include "score/torchsupport.h"

namespace epsinas::detail {

class Nb101EvaluatorBase : public Nb101Evaluator {
public:
    Nb101EvaluatorBase(const InputBatch& input, const ScoreOptions& options);

    std::vector<CellScore> score(const std::vector<nb101::Spec>& specs, const RunControl& control) override;
    const ScoreOptions& options() const override { return m_options; }

protected:
    /** Appends one result per spec of `specs` (valid and pruned), in order. */
    virtual void scoreChunk(const std::vector<nb101::Spec>& specs, std::vector<CellScore>& results) = 0;
    /** Specs handed to one scoreChunk call: the unit of progress and cancellation. */
    virtual int chunkSize() const = 0;

    CellScore finish(std::vector<double> outputLow, std::vector<double> outputHigh) const;
    const torch::Tensor& images() const { return m_images; }
    torch::TensorOptions tensorOptions() const { return m_images.options(); }
    torch::Device device() const { return m_device; }

private:
    ScoreOptions m_options;
    torch::Device m_device;
    torch::Tensor m_images;
};

/** The NB101 stem, ConvBnRelu(3 -> channels, 3x3) with every weight w and batch statistics: [B, channels, S, S]. */
torch::Tensor nb101Stem(const torch::Tensor& images, double w, std::int64_t channels);

std::unique_ptr<Nb101Evaluator> makeNb101ReferenceEvaluator(const InputBatch& input, const ScoreOptions& options);
std::unique_ptr<Nb101Evaluator> makeNb101FastEvaluator(const InputBatch& input, const ScoreOptions& options);

} // namespace epsinas::detail
