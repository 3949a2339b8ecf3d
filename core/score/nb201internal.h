// SPDX-License-Identifier: MIT
// Private to core/score: the shared frame of the NB201 evaluators (device, input, chunk loop, score).
#pragma once

#include "score/nb201evaluator.h"
#include "score/torchsupport.h"

namespace epsinas::detail {

class Nb201EvaluatorBase : public Nb201Evaluator {
public:
    Nb201EvaluatorBase(const InputBatch& input, const ScoreOptions& options);

    std::vector<CellScore> score(const std::vector<nb201::Cell>& cells, const RunControl& control) override;
    const ScoreOptions& options() const override { return m_options; }

protected:
    /** Appends one result per cell of `cells`, in order. */
    virtual void scoreChunk(const std::vector<nb201::Cell>& cells, std::vector<CellScore>& results) = 0;
    /** Cells handed to one scoreChunk call: the unit of progress and cancellation. */
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

/** The NB201 stem of the reference (conv 3 -> 16, BN with batch statistics), all weights w: [B, 16, S, S]. */
torch::Tensor fullWidthStem(const torch::Tensor& images, double w);

std::unique_ptr<Nb201Evaluator> makeNb201ReferenceEvaluator(const InputBatch& input, const ScoreOptions& options);
std::unique_ptr<Nb201Evaluator> makeNb201FastEvaluator(const InputBatch& input, const ScoreOptions& options);

} // namespace epsinas::detail
