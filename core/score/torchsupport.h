// SPDX-License-Identifier: MIT
// Private to core/score: the only header that brings LibTorch into a translation unit. Never include it from a
// public header (the GUI must stay torch-free).
#pragma once

#include "score/input.h"
#include "score/nb201evaluator.h"
#include "score/options.h"

#include <torch/torch.h>

#include <algorithm>
#include <vector>

namespace epsinas {

struct InputBatch::Data {
    InputSpec spec;
    torch::Tensor images; // [B, 3, S, S] float32, CPU
    std::string fingerprint;
};

namespace detail {

/** Checks that `options` can run here, sets threads and (CUDA) disables TF32; returns the device to use. */
torch::Device prepareDevice(const ScoreOptions& options);
torch::ScalarType scalarType(Precision precision);
std::vector<double> toDoubles(const torch::Tensor& values);
/** Turns LibTorch's errors into messages for a user (out of memory, missing CUDA). */
[[noreturn]] void rethrowAsRuntimeError(const c10::Error& error, const ScoreOptions& options);

/** The CellScore of two raw output rows (spec §1.5); the rows are kept when options.keepOutputs. */
CellScore finishScore(std::vector<double> outputLow, std::vector<double> outputHigh, const ScoreOptions& options);

/**
 * The frame every evaluator's score() shares: `scoreChunk(chunk, results)` appends one result per item, chunk by
 * chunk, under InferenceMode (thread-local, so held on whichever thread scores); cancellation and progress are
 * checked between chunks, and LibTorch's errors become messages for the user.
 */
template <typename Item, typename ScoreChunk>
std::vector<CellScore> scoreInChunks(const std::vector<Item>& items, int chunkSize, const RunControl& control,
    const ScoreOptions& options, ScoreChunk&& scoreChunk)
{
    c10::InferenceMode inferenceMode;
    std::vector<CellScore> results;
    results.reserve(items.size());
    const std::size_t step = static_cast<std::size_t>(std::max(1, chunkSize));
    for (std::size_t begin = 0; begin < items.size(); begin += step) {
        if (control.cancelled())
            throw Cancelled();
        const std::vector<Item> chunk(items.begin() + static_cast<std::ptrdiff_t>(begin),
            items.begin() + static_cast<std::ptrdiff_t>(std::min(items.size(), begin + step)));
        try {
            scoreChunk(chunk, results);
        } catch (const c10::Error& error) {
            rethrowAsRuntimeError(error, options);
        }
        if (control.progress)
            control.progress(results.size(), items.size());
    }
    return results;
}

} // namespace detail
} // namespace epsinas
