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
 * What every evaluator shares, whatever its space: the options, the prepared device, the chunk loop of score() and
 * the score of two output rows. `Interface` is the space's public evaluator class (it declares score() over
 * `Arch`, the space's architectures, and options()).
 */
template <typename Interface, typename Arch> class EvaluatorFrame : public Interface {
public:
    explicit EvaluatorFrame(const ScoreOptions& options)
        : m_options(options)
        , m_device(prepareDevice(options))
    {
    }

    /**
     * Hands `archs` to scoreChunk chunk by chunk under InferenceMode (thread-local, so held on whichever thread
     * scores); cancellation and progress are checked between chunks, and LibTorch's errors become messages for the
     * user.
     */
    std::vector<CellScore> score(const std::vector<Arch>& archs, const RunControl& control) override
    {
        c10::InferenceMode inferenceMode;
        const ControlScope scope(m_control, control);
        std::vector<CellScore> results;
        results.reserve(archs.size());
        const std::size_t step = static_cast<std::size_t>(std::max(1, chunkSize()));
        for (std::size_t begin = 0; begin < archs.size(); begin += step) {
            if (control.cancelled())
                throw Cancelled();
            const std::vector<Arch> chunk(archs.begin() + static_cast<std::ptrdiff_t>(begin),
                archs.begin() + static_cast<std::ptrdiff_t>(std::min(archs.size(), begin + step)));
            try {
                scoreChunk(chunk, results);
            } catch (const c10::Error& error) {
                rethrowAsRuntimeError(error, m_options);
            }
            if (control.progress)
                control.progress(results.size(), archs.size());
        }
        return results;
    }
    const ScoreOptions& options() const override { return m_options; }

protected:
    /** Appends one result per architecture of `archs`, in order. */
    virtual void scoreChunk(const std::vector<Arch>& archs, std::vector<CellScore>& results) = 0;
    /** Architectures handed to one scoreChunk call: the unit of progress and cancellation. */
    virtual int chunkSize() const = 0;

    CellScore finish(std::vector<double> outputLow, std::vector<double> outputHigh) const
    {
        return finishScore(std::move(outputLow), std::move(outputHigh), m_options);
    }
    torch::Device device() const { return m_device; }
    /**
     * Throws Cancelled when the running score() call is asked to stop: evaluators that spend seconds on one
     * architecture call it inside the forward pass, so that a cancel or a newer edit is not kept waiting.
     */
    void throwIfCancelled() const
    {
        if (m_control && m_control->cancelled())
            throw Cancelled();
    }

private:
    /** Points the frame at the control of the running score() call, and away from it when the call ends. */
    struct ControlScope {
        ControlScope(const RunControl*& slot, const RunControl& control)
            : m_slot(slot)
        {
            m_slot = &control;
        }
        ~ControlScope() { m_slot = nullptr; }
        ControlScope(const ControlScope&) = delete;
        ControlScope& operator=(const ControlScope&) = delete;
        const RunControl*& m_slot;
    };

    ScoreOptions m_options;
    torch::Device m_device;
    const RunControl* m_control = nullptr;
};

/** The frame of the image spaces (NB201, NB101): the input batch on the device, in the options' precision. */
template <typename Interface, typename Arch> class ImageEvaluatorFrame : public EvaluatorFrame<Interface, Arch> {
public:
    ImageEvaluatorFrame(const InputBatch& input, const ScoreOptions& options)
        : EvaluatorFrame<Interface, Arch>(options)
    {
        try {
            m_images = input.data().images.to(this->device(), scalarType(options.precision));
        } catch (const c10::Error& error) {
            rethrowAsRuntimeError(error, options);
        }
    }

protected:
    const torch::Tensor& images() const { return m_images; }
    torch::TensorOptions tensorOptions() const { return m_images.options(); }

private:
    torch::Tensor m_images;
};

} // namespace detail
} // namespace epsinas
