// SPDX-License-Identifier: MIT
// The paper's way: the AWD-style language model of algorithm §3.3 in eval mode (no dropout), every cell weight and bias
// = w, initial hidden states = w, the recipe's cell run step by step over time with LibTorch ops as
// NAS-Bench-NLP's CustomRNN runs it.
#include "score/runtime.h"
#include "spaces/nlp/detail/internal.h"

#include <exception>
#include <thread>

namespace epsinas::nlp::detail {

namespace {

constexpr double kLeakyReluSlope = 0.01;
// Sequences of [steps, batch, 600] alive at once in the forward pass, with LibTorch's own temporaries (measured:
// 135 MB above the process's baseline at batch 128, 6.3 sequences of 21.5 MB).
constexpr double kLiveSequences = 8;

class ReferenceEvaluator final : public EvaluatorBase {
public:
    ReferenceEvaluator(const TokenBatch& input, const ScoreOptions& options)
        : EvaluatorBase(input, options)
    {
        if (device().is_cpu())
            requireMemory(kLiveSequences * input.steps() * double(input.batchSize()) * kHiddenSize
                    * (options.precision == Precision::Float32 ? 4 : 8),
                "the full NAS-Bench-NLP model at batch " + std::to_string(input.batchSize()),
                "lower --batch, or use --evaluator fast");
        try {
            const torch::Tensor tokens = torch::tensor(input.tokens(), torch::kInt64);
            m_embedded = embedding()
                             .index_select(0, tokens)
                             .view({ input.steps(), input.batchSize(), kEmbeddingSize })
                             .to(device(), scalarType(options.precision));
        } catch (const c10::Error& error) {
            rethrowAsRuntimeError(error, options);
        }
    }

protected:
    // Each recipe takes seconds to minutes: report after every one.
    int chunkSize() const override { return 1; }

    void scoreChunk(const std::vector<Recipe>& recipes, std::vector<ArchScore>& results) override
    {
        for (const Recipe& recipe : recipes) {
            std::vector<double> low = toDoubles(forward(recipe, options().weights.low));
            std::vector<double> high = toDoubles(forward(recipe, options().weights.high));
            results.push_back(finish(std::move(low), std::move(high)));
        }
    }

    /** On the calling thread alone: the column blocks of forward() would each see only part of every step. */
    std::optional<SignalFlow> traceValue(const Recipe& recipe) override
    {
        epsinas::detail::LayerTrace low, high;
        forwardColumns(recipe, m_embedded, options().weights.low, low.observer());
        forwardColumns(recipe, m_embedded, options().weights.high, high.observer());
        return epsinas::detail::LayerTrace::combine(low, high);
    }

private:
    /**
     * Unit 0 of the last layer's raw output, [steps, batch]. Batch columns never interact, and Debian's default
     * (netlib) BLAS runs each matrix product on one core, so on the CPU blocks of columns run on threads of their
     * own; every column still goes through the same products in the same order.
     */
    torch::Tensor forward(const Recipe& recipe, double w) const
    {
        const std::int64_t parts = device().is_cpu() ? std::min<std::int64_t>(m_threads, m_embedded.size(1)) : 1;
        if (parts <= 1)
            return forwardColumns(recipe, m_embedded, w);
        const std::vector<torch::Tensor> blocks = m_embedded.chunk(parts, 1);
        std::vector<torch::Tensor> outputs(blocks.size());
        std::vector<std::exception_ptr> failures(blocks.size());
        std::vector<std::thread> workers;
        for (std::size_t i = 0; i < blocks.size(); ++i) {
            workers.emplace_back([&, i] {
                try {
                    c10::InferenceMode inferenceMode; // thread-local, like the guard of score()
                    outputs[i] = forwardColumns(recipe, blocks[i].contiguous(), w);
                } catch (...) {
                    failures[i] = std::current_exception();
                }
            });
        }
        for (std::thread& worker : workers)
            worker.join();
        for (const std::exception_ptr& failure : failures)
            if (failure)
                std::rethrow_exception(failure);
        return torch::cat(outputs, 1);
    }

    /** `observe` (when set) sees h_new_0 at every step of every layer, then the output. */
    torch::Tensor forwardColumns(const Recipe& recipe, const torch::Tensor& embedded, double w,
        const epsinas::detail::LayerObserver& observe = {}) const
    {
        torch::Tensor sequence = embedded;
        for (int layer = 0; layer < kLayerCount; ++layer)
            sequence = runLayer(recipe, sequence, layer, w, observe);
        const torch::Tensor output = sequence.select(2, 0);
        if (observe)
            observe("output", output);
        return output;
    }

    /** One CustomRNN layer over the whole sequence: the output at each step is h_new_0. */
    torch::Tensor runLayer(const Recipe& recipe, const torch::Tensor& sequence, int layer, double w,
        const epsinas::detail::LayerObserver& observe) const
    {
        const int inputWidth = inputSize(layer);
        const int hiddenWidth = hiddenSize(layer);
        const torch::TensorOptions tensorOptions = sequence.options();
        const std::int64_t batch = sequence.size(1);
        // Every MultiLinear weight and bias is the constant w: one tensor per shape serves all of them.
        const torch::Tensor inputWeight = torch::full({ hiddenWidth, inputWidth }, w, tensorOptions);
        const torch::Tensor hiddenWeight = torch::full({ hiddenWidth, hiddenWidth }, w, tensorOptions);
        const torch::Tensor bias = torch::full({ hiddenWidth }, w, tensorOptions);

        std::vector<torch::Tensor> hidden(recipe.hiddenCount(), torch::full({ batch, hiddenWidth }, w, tensorOptions));
        std::vector<torch::Tensor> values(recipe.steps().size());
        std::vector<torch::Tensor> outputs;
        outputs.reserve(sequence.size(0));
        for (std::int64_t t = 0; t < sequence.size(0); ++t) {
            const torch::Tensor x = sequence[t];
            auto operand = [&](const Operand& o) -> const torch::Tensor& {
                switch (o.kind) {
                case Operand::Kind::Input:
                    return x;
                case Operand::Kind::Hidden:
                    return hidden[o.index];
                case Operand::Kind::Step:
                    break;
                }
                return values[o.index];
            };
            for (std::size_t s = 0; s < recipe.steps().size(); ++s) {
                // A node of a large recipe at a large batch takes long enough to check before each one.
                throwIfCancelled();
                const Step& step = recipe.steps()[s];
                const auto& in = step.operands;
                switch (step.op) {
                case Op::Linear: {
                    // MultiLinear: W_0·in_0 + b, then + W_i·in_i for every further input, in input order.
                    auto weight = [&](const Operand& o) -> const torch::Tensor& {
                        return o.kind == Operand::Kind::Input ? inputWeight : hiddenWeight;
                    };
                    torch::Tensor sum = torch::linear(operand(in[0]), weight(in[0]), bias);
                    for (std::size_t i = 1; i < in.size(); ++i)
                        sum = sum + torch::linear(operand(in[i]), weight(in[i]));
                    values[s] = sum;
                    break;
                }
                case Op::Blend:
                    values[s] = operand(in[0]) * operand(in[1]) + torch::rsub(operand(in[0]), 1) * operand(in[2]);
                    break;
                case Op::ElementwiseProd:
                    values[s] = operand(in[0]) * operand(in[1]);
                    break;
                case Op::ElementwiseSum:
                    values[s] = operand(in[0]) + operand(in[1]);
                    break;
                case Op::Tanh:
                    values[s] = torch::tanh(operand(in[0]));
                    break;
                case Op::Sigmoid:
                    values[s] = torch::sigmoid(operand(in[0]));
                    break;
                case Op::LeakyRelu:
                    values[s] = torch::leaky_relu(operand(in[0]), kLeakyReluSlope);
                    break;
                }
            }
            for (int k = 0; k < recipe.hiddenCount(); ++k)
                hidden[k] = values[recipe.outputs()[k]];
            if (observe)
                observe(stepLayer(layer + 1, int(t) + 1), hidden[0]);
            outputs.push_back(hidden[0]);
        }
        return torch::stack(outputs);
    }

    int m_threads = at::get_num_threads(); // as prepareDevice set them: options().threads, at most maxCpuThreads()
    torch::Tensor m_embedded; // [steps, batch, 400] on the device, in the evaluation precision
};

} // namespace

std::unique_ptr<Evaluator> makeReferenceEvaluator(const TokenBatch& input, const ScoreOptions& options)
{
    return std::make_unique<ReferenceEvaluator>(input, options);
}

} // namespace epsinas::nlp::detail
