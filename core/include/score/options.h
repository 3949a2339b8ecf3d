// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <functional>
#include <string>

namespace epsinas {

/** float32 is the reference behaviour (algorithm §1.3); float64 is a labelled departure from it. */
enum class Precision { Float32, Float64 };
enum class Device { Cpu, Cuda };
/** `reference` builds the full-width network as the paper does; `fast` runs the exact width-collapsed form. */
enum class EvaluatorKind { Fast, Reference };

/** The two constant weights, w_lo < w_hi. */
struct WeightPair {
    double low = 1e-7;
    double high = 1.0;
    friend bool operator==(const WeightPair& a, const WeightPair& b) { return a.low == b.low && a.high == b.high; }
};

/**
 * How the fast evaluator computes: Auto = plain loops on the CPU (one cell per thread) and batched tensors on CUDA;
 * Tensors runs the CUDA algorithm on the CPU too, so that it is tested where no GPU is present.
 */
enum class FastBackend { Auto, Tensors };

struct ScoreOptions {
    WeightPair weights;
    Precision precision = Precision::Float32;
    Device device = Device::Cpu;
    EvaluatorKind evaluator = EvaluatorKind::Fast;
    /** CPU threads for LibTorch; 0 = all cores (LibTorch's own default is fewer). */
    int threads = 0;
    /** Cells evaluated together by the fast path; 0 = chosen from the device and available memory. */
    int chunkSize = 0;
    /**
     * Keep both raw output vectors even when the low-weight pass already makes the score NaN (the explorer's
     * histograms want them; whole-space runs skip the second pass for such cells).
     */
    bool keepOutputs = true;
    FastBackend fastBackend = FastBackend::Auto;
};

/**
 * Lets a long computation report progress and stop early; both may be empty. isCancelled is polled between chunks
 * and, by the reference evaluators (seconds to minutes per architecture), inside an architecture's forward pass,
 * possibly from their worker threads: it must be cheap and thread-safe.
 */
struct RunControl {
    std::function<bool()> isCancelled;
    std::function<void(std::size_t done, std::size_t total)> progress;
    bool cancelled() const { return isCancelled && isCancelled(); }
};

/** Thrown when a RunControl asks to stop; results of finished chunks have already been delivered. */
struct Cancelled : std::exception {
    const char* what() const noexcept override { return "cancelled"; }
};

std::string toString(Precision precision);
std::string toString(Device device);
std::string toString(EvaluatorKind kind);
/** Parse "fp32|fp64", "cpu|cuda", "fast|reference", "1e-7,1"; throw std::invalid_argument with a clear message. */
Precision parsePrecision(const std::string& text);
Device parseDevice(const std::string& text);
EvaluatorKind parseEvaluatorKind(const std::string& text);
WeightPair parseWeightPair(const std::string& text);
/** "1e-07,1": the spelling used in store keys and CSV metadata. */
std::string toString(const WeightPair& weights);
/** The shortest decimal spelling that reads back as exactly `value`. */
std::string shortestText(double value);

} // namespace epsinas
