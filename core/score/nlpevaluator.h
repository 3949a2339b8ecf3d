// SPDX-License-Identifier: MIT
#pragma once

#include "cells/nlprecipe.h"
#include "score/nb201evaluator.h" // CellScore, shared by every search space
#include "score/nlpinput.h"
#include "score/options.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace epsinas::nlp {

/** The reference weights for NAS-Bench-NLP (spec §2). */
constexpr WeightPair kDefaultWeights { 1e-5, 1e-3 };

/**
 * Trainable parameters of the language model of spec §3.3 built around `recipe`, counted as NAS-Bench-NLP counts
 * them (its ptb_num_params): the 10,000 × 400 embedding once, since the decoder's weight is tied to it; the
 * decoder's 10,000 biases; and, in each of the 3 layers, one MultiLinear per linear node: a hidden × input weight
 * for each input (the input being x, as wide as the layer input, or a hidden-width value) and one hidden-width bias.
 * The other ops have no parameters.
 */
std::int64_t parameterCount(const Recipe& recipe);

/**
 * Scores NAS-Bench-NLP recipes under fixed options and one token batch. The output scored is unit 0 of the last
 * layer's raw output over all steps × batch positions, time-major (spec §1.4). One evaluator belongs to one thread
 * at a time.
 */
class Evaluator {
public:
    virtual ~Evaluator() = default;
    /**
     * Scores `recipes` in order. `control` may report progress and cancel between chunks (throwing Cancelled).
     * Throws std::runtime_error for device problems (no CUDA, out of memory) with a message for the user.
     */
    virtual std::vector<CellScore> score(const std::vector<Recipe>& recipes, const RunControl& control = {}) = 0;
    virtual const ScoreOptions& options() const = 0;
};

/**
 * `reference` runs the AWD-style model of spec §3.3 with LibTorch (on options.device); `fast` runs the exact
 * hidden-unit collapse of spec §1.8 as plain loops on the CPU, one recipe per thread, whatever the device.
 * Throws std::runtime_error when the options cannot be honoured.
 */
std::unique_ptr<Evaluator> makeEvaluator(const TokenBatch& input, const ScoreOptions& options);

} // namespace epsinas::nlp
