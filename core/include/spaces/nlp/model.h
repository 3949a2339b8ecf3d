// SPDX-License-Identifier: MIT
#pragma once

#include "score/options.h"
#include "score/tokeninput.h"
#include "spaces/nlp/recipe.h"

#include <cstdint>

namespace epsinas::nlp {

/** The language model of algorithm §3.3: PTB vocabulary, embedding width, hidden width (the last layer is tied). */
constexpr int kVocabularySize = kDefaultVocabulary;
constexpr int kEmbeddingSize = 400;
constexpr int kHiddenSize = 600;
constexpr int kLayerCount = 3;
/** Time steps of the one input batch (bptt). */
constexpr int kSteps = kDefaultTokenSteps;

/** Hidden width of layer `layer`: 600, except the last, which is as wide as the tied embedding. */
constexpr int hiddenSize(int layer)
{
    return layer == kLayerCount - 1 ? kEmbeddingSize : kHiddenSize;
}
/** Input width of layer `layer`: the embedding for the first, the previous layer's hidden state otherwise. */
constexpr int inputSize(int layer)
{
    return layer == 0 ? kEmbeddingSize : hiddenSize(layer - 1);
}

/** The reference weights for NAS-Bench-NLP (algorithm §2). */
constexpr WeightPair kDefaultWeights { 1e-5, 1e-3 };

/**
 * Trainable parameters of the language model built around `recipe`, counted as NAS-Bench-NLP counts them (its
 * ptb_num_params): the 10,000 × 400 embedding once, since the decoder's weight is tied to it; the decoder's 10,000
 * biases; and, in each of the 3 layers, one MultiLinear per linear node: a hidden × input weight for each input (the
 * input being x, as wide as the layer input, or a hidden-width value) and one hidden-width bias. The other ops have
 * no parameters.
 */
std::int64_t parameterCount(const Recipe& recipe);

/**
 * Multiply-accumulates of one token step of the same model (SearchSpace::flops): in each layer, every linear node's
 * weights once (hidden × input for each of its inputs), then the decoder's 400 × 10,000. The embedding is a lookup and
 * the element-wise ops, activations and biases are not counted.
 */
std::int64_t flops(const Recipe& recipe);

} // namespace epsinas::nlp
