// SPDX-License-Identifier: MIT
#pragma once

#include "score/input.h"
#include "score/tokeninput.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace epsinas {

/** What a space's networks read: a batch of images, or a batch of token ids. */
enum class InputKind { Images, Tokens };

/**
 * How the user asks for an input batch, whatever its kind: the --input text and the sizes. Options that apply to
 * one kind only are empty when not given, so that giving one to the other kind can be refused.
 */
struct InputRequest {
    std::string spec; // empty: the kind's default (the grey ramp, the synthetic tokens)
    int batch = 256;
    std::optional<std::int64_t> offset; // images: first CIFAR record
    std::optional<int> imageSize; // images: side of grey/noise images
};

/** One loaded input batch of either kind, shared read-only by evaluators; an evaluator factory takes it. */
struct ScoringInput {
    InputKind kind = InputKind::Images;
    std::shared_ptr<const InputBatch> images;
    std::shared_ptr<const TokenBatch> tokens;

    /** Names the source, shape and content, so stored scores are only reused for the same input. */
    std::string fingerprint() const;

    /** Reads or generates the batch; throws std::invalid_argument for a bad request, std::runtime_error for files. */
    static ScoringInput load(InputKind kind, const InputRequest& request);
    /** A batch loaded already. */
    static ScoringInput of(InputBatch images);
    static ScoringInput of(TokenBatch tokens);
};

} // namespace epsinas
