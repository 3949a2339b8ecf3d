// SPDX-License-Identifier: MIT
// Private to core/score: the only header that brings LibTorch into a translation unit. Never include it from a
// public header (the GUI must stay torch-free).
#pragma once

#include "score/input.h"
#include "score/options.h"

#include <torch/torch.h>

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

} // namespace detail
} // namespace epsinas
