// SPDX-License-Identifier: MIT
// Private to the scoring libraries (core/score and the spaces' evaluators): the one header that brings LibTorch into
// a translation unit. It lives outside core/include, so no public header and no GUI file can reach it.
#pragma once

#include "score/input.h"
#include "score/options.h"
#include "score/result.h"
#include "score/scoreformula.h"
#include "space/evaluator.h"

#include <torch/torch.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
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

/** Handed every layer's output by a forward pass that is traced (a signal flow); empty when nothing is traced. */
using LayerObserver = std::function<void(const std::string& layer, const torch::Tensor& output)>;

/**
 * The layers of one weight's traced pass, in order: max |x| and mean |x| (accumulated in double) over the whole
 * tensor, and whether it is exactly 0 everywhere.
 */
class LayerTrace {
public:
    LayerObserver observer();
    /** A layer whose statistics were computed without a tensor (the plain-loop collapsed networks). */
    void record(const std::string& layer, double maxAbs, double meanAbs, bool allZero);
    /** Pairs the w_lo and w_hi traces of one network (the same layers in the same order). */
    static SignalFlow combine(const LayerTrace& low, const LayerTrace& high);

private:
    struct Layer {
        std::string name;
        double maxAbs;
        double meanAbs;
        bool allZero;
    };
    std::vector<Layer> m_layers;
};

/**
 * What every evaluator shares, whatever its space: the options, the prepared device, the chunk loop of score() and
 * the score of two output rows. `Value` is the space's own architecture type (what its Arch values hold).
 */
template <typename Value> class EvaluatorFrame : public Evaluator {
public:
    explicit EvaluatorFrame(const ScoreOptions& options)
        : m_options(options)
        , m_device(prepareDevice(options))
    {
    }

    /** Unpacks the space's values (a programming error throws std::logic_error for another space's) and scores them. */
    std::vector<ArchScore> score(const std::vector<Arch>& archs, const RunControl& control) override
    {
        std::vector<Value> values;
        values.reserve(archs.size());
        for (const Arch& arch : archs)
            values.push_back(arch.value<Value>());
        return scoreValues(values, control);
    }
    const ScoreOptions& options() const override { return m_options; }
    std::optional<SignalFlow> signalFlow(const Arch& arch) override
    {
        const Value& value = arch.value<Value>();
        c10::InferenceMode inferenceMode;
        try {
            return traceValue(value);
        } catch (const c10::Error& error) {
            rethrowAsRuntimeError(error, m_options);
        }
    }

protected:
    /** The signal flow of one value; spaces whose evaluators trace their layers override it. */
    virtual std::optional<SignalFlow> traceValue(const Value& /*value*/) { return std::nullopt; }
    /**
     * Hands `values` to scoreChunk chunk by chunk under InferenceMode (thread-local, so held on whichever thread
     * scores); cancellation and progress are checked between chunks, and LibTorch's errors become messages for the
     * user. A space overrides it to prepare its values first (e.g. one form per function) and then calls it.
     */
    virtual std::vector<ArchScore> scoreValues(const std::vector<Value>& values, const RunControl& control)
    {
        c10::InferenceMode inferenceMode;
        const ControlScope scope(m_control, control);
        std::vector<ArchScore> results;
        results.reserve(values.size());
        const std::size_t step = static_cast<std::size_t>(std::max(1, chunkSize()));
        for (std::size_t begin = 0; begin < values.size(); begin += step) {
            if (control.cancelled())
                throw Cancelled();
            const std::vector<Value> chunk(values.begin() + static_cast<std::ptrdiff_t>(begin),
                values.begin() + static_cast<std::ptrdiff_t>(std::min(values.size(), begin + step)));
            try {
                scoreChunk(chunk, results);
            } catch (const c10::Error& error) {
                rethrowAsRuntimeError(error, m_options);
            }
            if (control.progress)
                control.progress(results.size(), values.size());
        }
        return results;
    }

    /** Appends one result per value of `values`, in order. */
    virtual void scoreChunk(const std::vector<Value>& values, std::vector<ArchScore>& results) = 0;
    /** Architectures handed to one scoreChunk call: the unit of progress and cancellation. */
    virtual int chunkSize() const = 0;

    ArchScore finish(std::vector<double> outputLow, std::vector<double> outputHigh) const
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

/** The frame of the spaces whose networks read images: the input batch on the device, in the options' precision. */
template <typename Value> class ImageEvaluatorFrame : public EvaluatorFrame<Value> {
public:
    ImageEvaluatorFrame(const InputBatch& input, const ScoreOptions& options)
        : EvaluatorFrame<Value>(options)
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
