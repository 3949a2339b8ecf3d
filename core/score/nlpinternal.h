// SPDX-License-Identifier: MIT
// Private to core/score: the shared frame of the NAS-Bench-NLP evaluators (device, embedding, chunk loop, score).
#pragma once

#include "score/nlpevaluator.h"
#include "score/torchsupport.h"

namespace epsinas::nlp::detail {

// The device and conversion helpers shared with the other search spaces.
using epsinas::detail::prepareDevice;
using epsinas::detail::rethrowAsRuntimeError;
using epsinas::detail::scalarType;
using epsinas::detail::toDoubles;

class EvaluatorBase : public Evaluator {
public:
    EvaluatorBase(const TokenBatch& input, const ScoreOptions& options);

    std::vector<CellScore> score(const std::vector<Recipe>& recipes, const RunControl& control) override;
    const ScoreOptions& options() const override { return m_options; }

protected:
    /** Appends one result per recipe of `recipes`, in order. */
    virtual void scoreChunk(const std::vector<Recipe>& recipes, std::vector<CellScore>& results) = 0;
    /** Recipes handed to one scoreChunk call: the unit of progress and cancellation. */
    virtual int chunkSize() const = 0;

    CellScore finish(std::vector<double> outputLow, std::vector<double> outputHigh) const;
    const TokenBatch& input() const { return m_input; }
    torch::Device device() const { return m_device; }
    /** The embedding of spec §1.2, [10000, 400] float32 on the CPU; the same for both weights. */
    const torch::Tensor& embedding() const { return m_embedding; }

private:
    ScoreOptions m_options;
    torch::Device m_device;
    TokenBatch m_input;
    torch::Tensor m_embedding;
};

std::unique_ptr<Evaluator> makeReferenceEvaluator(const TokenBatch& input, const ScoreOptions& options);
std::unique_ptr<Evaluator> makeFastEvaluator(const TokenBatch& input, const ScoreOptions& options);

} // namespace epsinas::nlp::detail
