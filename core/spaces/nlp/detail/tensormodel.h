// SPDX-License-Identifier: MIT
// Private to the NAS-Bench-NLP space: the batched tensor form of the hidden-unit collapse (tensormodel.cpp), and
// what it shares with the plain loops of fast.cpp.
#pragma once

#include "score/detail/torchsupport.h"
#include "spaces/nlp/recipe.h"

#include <array>
#include <map>

namespace epsinas::nlp::detail {

/**
 * The first layer's W·x term per (t, b) for weight w: w·row[j] added over the 400 embedding columns one after the
 * other in the evaluation precision, as the reference's BLAS adds a row; the same for every recipe.
 */
template <typename Real>
std::vector<Real> firstLayerInputTerms(const float* embedding, const std::vector<std::int64_t>& tokens, double w);

/**
 * The collapsed model of fast.cpp for many recipes and both weights in one pass, on any LibTorch device: a row is a
 * (recipe, weight) pair, and every value a step reads or writes is an [R rows, B columns] tensor, picked per row from
 * a bank of [inputs + hidden states + steps, R, B] by the row's operand index. Steps run in lockstep: step s of
 * every recipe at once, each op computed for the rows that have it and chosen per row. The sums of a linear term
 * (w·value added `width` times) are read from tables of exact repeated sums (see RepeatedSums), so the tensor form
 * adds what the loops add. tanh and exp are the C library's on the CPU (so there the two agree to the bit) and
 * CUDA's on the GPU, which may round differently in the last bit.
 */
class TensorModel {
public:
    /** `embedding`: the [10000, 400] float32 table on the CPU; `tokens`: steps × batch; both weights of `weights`. */
    TensorModel(const float* embedding, const std::vector<std::int64_t>& tokens, int steps, int batch,
        const WeightPair& weights, torch::TensorOptions options);

    /**
     * Unit 0 of the last layer's raw output, [2 × recipes, steps × batch] (time-major): the rows of w_lo for every
     * recipe, then those of w_hi.
     */
    torch::Tensor forward(const std::vector<Recipe>& recipes) const;

private:
    /**
     * Sum of `width` copies of every element, added one after the other in float32; width × value in float64.
     */
    torch::Tensor repeatedSum(const torch::Tensor& values, int width) const;

    int m_steps;
    int m_batch;
    WeightPair m_weights;
    torch::TensorOptions m_options;
    torch::Tensor m_inputTerms; // [2, steps, batch]: firstLayerInputTerms for w_lo and w_hi
    // float32: for each width, the repeated sum of every mantissa in [0.5, 1) (2^23 entries).
    std::map<int, torch::Tensor> m_tables;
};

} // namespace epsinas::nlp::detail
