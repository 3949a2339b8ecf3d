// SPDX-License-Identifier: MIT
// The paper's way: the full-width TinyNetwork (C=16, N=5, 1-class head) of algorithm §3.1, every weight = w.
#include "score/runtime.h"
#include "spaces/nb201/detail/internal.h"

#include <array>
#include <functional>
#include <map>

namespace epsinas::detail {

namespace {

constexpr double kBatchNormEps = 1e-5;
// Cells per stage and the stage widths of the NB201 network.
constexpr int kCellsPerStage = 5;
constexpr std::array<std::int64_t, 3> kStageChannels { 16, 32, 64 };
// Feature maps of the first stage's size alive at once in the forward pass, with LibTorch's own temporaries
// (measured: 125 MB above the process's baseline at batch 128, 15 maps of 8.4 MB).
constexpr double kLiveMaps = 16;

/**
 * Constant-weight layers of one width, created once per (weight, evaluator) and reused for every cell.
 * `beforeConv` runs before every convolution: at batch 1024 one cell takes seconds, so a cancel is honoured there.
 */
class FullWidthNetwork {
public:
    FullWidthNetwork(double w, torch::TensorOptions options, std::function<void()> beforeConv)
        : m_w(w)
        , m_options(options)
        , m_beforeConv(std::move(beforeConv))
    {
    }

    /** The B logits; `observe` (when set) sees every layer's full-width output. */
    torch::Tensor forward(const nb201::Cell& cell, const torch::Tensor& images, const LayerObserver& observe = {})
    {
        const auto traced = [&observe](const std::string& layer, const torch::Tensor& x) {
            if (observe)
                observe(layer, x);
            return x;
        };
        torch::Tensor x = traced("stem", fullWidthStem(images, m_w));
        int cellNumber = 0;
        for (std::size_t stage = 0; stage < kStageChannels.size(); ++stage) {
            const std::int64_t c = kStageChannels[stage];
            if (stage > 0)
                x = traced(nb201ReductionLayer(int(stage)), resnetBlock(x, kStageChannels[stage - 1], c));
            for (int i = 0; i < kCellsPerStage; ++i)
                x = traced(nb201CellLayer(++cellNumber), inferCell(cell, x, c));
        }
        x = traced("last BN+ReLU", torch::relu(batchNorm(x, 64)));
        x = traced("global pool", torch::adaptive_avg_pool2d(x, { 1, 1 }).flatten(1));
        return traced("classifier", torch::linear(x, weight({ 1, 64 }), torch::zeros({ 1 }, m_options)).view(-1));
    }

private:
    torch::Tensor weight(std::vector<std::int64_t> shape)
    {
        std::string key;
        for (auto d : shape)
            key += std::to_string(d) + ",";
        auto& tensor = m_weights[key];
        if (!tensor.defined())
            tensor = torch::full(shape, m_w, m_options);
        return tensor;
    }

    torch::Tensor conv(const torch::Tensor& x, std::int64_t in, std::int64_t out, int kernel, int stride)
    {
        m_beforeConv();
        return torch::conv2d(x, weight({ out, in, kernel, kernel }), /*bias=*/ {}, stride, /*padding=*/kernel / 2);
    }

    torch::Tensor batchNorm(const torch::Tensor& x, std::int64_t channels)
    {
        // Batch statistics always (track_running_stats=False); gamma = w, beta = 0.
        return torch::batch_norm(x, weight({ channels }), torch::zeros({ channels }, m_options), /*running_mean=*/ {},
            /*running_var=*/ {}, /*training=*/true, /*momentum=*/0.1, kBatchNormEps, /*cudnn_enabled=*/true);
    }

    torch::Tensor reluConvBn(const torch::Tensor& x, std::int64_t in, std::int64_t out, int kernel, int stride)
    {
        return batchNorm(conv(torch::relu(x), in, out, kernel, stride), out);
    }

    torch::Tensor resnetBlock(const torch::Tensor& x, std::int64_t in, std::int64_t out)
    {
        torch::Tensor branch = reluConvBn(reluConvBn(x, in, out, 3, 2), out, out, 3, 1);
        torch::Tensor residual = conv(torch::avg_pool2d(x, 2, 2), in, out, 1, 1);
        return residual + branch;
    }

    torch::Tensor edge(nb201::Op op, const torch::Tensor& x, std::int64_t c)
    {
        switch (op) {
        case nb201::Op::None:
            return x.mul(0.); // not zeros_like: inf/NaN propagate exactly as in the reference
        case nb201::Op::SkipConnect:
            return x;
        case nb201::Op::Conv1x1:
            return reluConvBn(x, c, c, 1, 1);
        case nb201::Op::Conv3x3:
            return reluConvBn(x, c, c, 3, 1);
        case nb201::Op::AvgPool3x3:
            return torch::avg_pool2d(x, 3, 1, 1, /*ceil_mode=*/false, /*count_include_pad=*/false);
        }
        throw std::logic_error("unknown NB201 op");
    }

    torch::Tensor inferCell(const nb201::Cell& cell, const torch::Tensor& input, std::int64_t c)
    {
        std::array<torch::Tensor, 4> nodes { input };
        for (int node = 1; node <= 3; ++node) {
            torch::Tensor sum;
            for (int e = 0; e < nb201::kEdgeCount; ++e) {
                if (nb201::kEdgeTarget[e] != node)
                    continue;
                torch::Tensor term = edge(cell.op(e), nodes[nb201::kEdgeSource[e]], c);
                sum = sum.defined() ? sum + term : term;
            }
            nodes[node] = sum;
        }
        return nodes[3];
    }

    double m_w;
    torch::TensorOptions m_options;
    std::function<void()> m_beforeConv;
    std::map<std::string, torch::Tensor> m_weights;
};

class ReferenceEvaluator final : public Nb201EvaluatorBase {
public:
    ReferenceEvaluator(const InputBatch& input, const ScoreOptions& options)
        : Nb201EvaluatorBase(input, options)
    {
        if (!device().is_cpu())
            return; // a CUDA device that runs out says so, and rethrowAsRuntimeError turns that into a message
        const double mapBytes = double(input.batchSize()) * kStageChannels[0] * input.imageSize() * input.imageSize()
            * (options.precision == Precision::Float32 ? 4 : 8);
        requireMemory(kLiveMaps * mapBytes,
            "the full-width NB201 network at batch " + std::to_string(input.batchSize()),
            "lower --batch or --image-size, or use --evaluator fast");
    }

protected:
    void scoreChunk(const std::vector<nb201::Cell>& cells, std::vector<ArchScore>& results) override
    {
        const std::function<void()> checkpoint = [this] { throwIfCancelled(); };
        FullWidthNetwork low(options().weights.low, tensorOptions(), checkpoint);
        FullWidthNetwork high(options().weights.high, tensorOptions(), checkpoint);
        for (const nb201::Cell& cell : cells) {
            const torch::Tensor outputLow = low.forward(cell, images());
            const torch::Tensor outputHigh = high.forward(cell, images());
            results.push_back(finish(toDoubles(outputLow), toDoubles(outputHigh)));
        }
    }
    int chunkSize() const override { return 1; }

    std::optional<SignalFlow> traceValue(const nb201::Cell& cell) override
    {
        const std::function<void()> checkpoint = [this] { throwIfCancelled(); };
        LayerTrace low, high;
        FullWidthNetwork(options().weights.low, tensorOptions(), checkpoint).forward(cell, images(), low.observer());
        FullWidthNetwork(options().weights.high, tensorOptions(), checkpoint).forward(cell, images(), high.observer());
        return LayerTrace::combine(low, high);
    }
};

} // namespace

std::string nb201CellLayer(int cellNumber)
{
    return "cell " + std::to_string(cellNumber);
}

std::string nb201ReductionLayer(int reductionNumber)
{
    return "reduction " + std::to_string(reductionNumber);
}

torch::Tensor fullWidthStem(const torch::Tensor& images, double w)
{
    const std::int64_t channels = kStageChannels[0];
    const torch::TensorOptions options = images.options();
    const torch::Tensor conv = torch::conv2d(images, torch::full({ channels, 3, 3, 3 }, w, options), /*bias=*/ {},
        /*stride=*/1, /*padding=*/1);
    return torch::batch_norm(conv, torch::full({ channels }, w, options), torch::zeros({ channels }, options),
        /*running_mean=*/ {}, /*running_var=*/ {}, /*training=*/true, /*momentum=*/0.1, kBatchNormEps,
        /*cudnn_enabled=*/true);
}

std::unique_ptr<Evaluator> makeNb201ReferenceEvaluator(const InputBatch& input, const ScoreOptions& options)
{
    return std::make_unique<ReferenceEvaluator>(input, options);
}

} // namespace epsinas::detail
