// SPDX-License-Identifier: MIT
// The paper's way: the full-width NB101 network of algorithm §3.2 (stem 128, 3 stacks x 3 cells, 1-class head), every
// weight = w, BN gamma = w, beta = 0, batch statistics.
#include "score/runtime.h"
#include "spaces/nb101/detail/internal.h"

#include <functional>
#include <map>

namespace epsinas::detail {

namespace {

constexpr double kBatchNormEps = 1e-5;
// Feature maps of the stem's size alive at once in the forward pass, with LibTorch's own temporaries (measured:
// 138 MB above the process's baseline at batch 16, 16 maps of 8.4 MB).
constexpr double kLiveMaps = 16;

/**
 * Constant-weight tensors of every shape the network needs, created once per (weight, chunk) and reused.
 * `beforeConv` runs before every convolution: at batch 1024 one 3x3 convolution takes seconds and a cell up to five
 * of them, so a cancel is honoured there.
 */
class FullWidthNetwork {
public:
    FullWidthNetwork(double w, torch::TensorOptions options, std::function<void()> beforeConv)
        : m_w(w)
        , m_options(options)
        , m_beforeConv(std::move(beforeConv))
    {
    }

    /** The B logits of the network of `spec` (valid and pruned); `observe` (when set) sees every layer's output. */
    torch::Tensor forward(const nb101::Spec& spec, const torch::Tensor& images, const LayerObserver& observe = {})
    {
        const auto traced = [&observe](const std::string& layer, const torch::Tensor& x) {
            if (observe)
                observe(layer, x);
            return x;
        };
        torch::Tensor x = traced("stem", nb101Stem(images, m_w, nb101::kStemChannels));
        std::int64_t in = nb101::kStemChannels, out = nb101::kStemChannels;
        int cellNumber = 0;
        for (int stack = 0; stack < nb101::kStacks; ++stack) {
            if (stack > 0) {
                x = traced(nb101DownsampleLayer(stack), torch::max_pool2d(x, 2, 2));
                out *= 2;
            }
            for (int i = 0; i < nb101::kCellsPerStack; ++i) {
                x = traced(nb101CellLayer(++cellNumber), cell(spec, x, in, out));
                in = out;
            }
        }
        const torch::Tensor pooled = traced("global pool", x.mean({ 2, 3 }));
        return traced("classifier", torch::linear(pooled, constant({ 1, out }), constant({ 1 }, true)).view(-1));
    }

private:
    /** A tensor of `shape` filled with w (`zero` false) or 0, cached by shape. */
    torch::Tensor constant(std::vector<std::int64_t> shape, bool zero = false)
    {
        torch::Tensor& tensor = m_constants[zero][shape];
        if (!tensor.defined())
            tensor = torch::full(shape, zero ? 0.0 : m_w, m_options);
        return tensor;
    }

    torch::Tensor convBnRelu(const torch::Tensor& x, std::int64_t in, std::int64_t out, int kernel)
    {
        m_beforeConv();
        const torch::Tensor conv
            = torch::conv2d(x, constant({ out, in, kernel, kernel }), /*bias=*/ {}, 1, /*padding=*/kernel / 2);
        // Batch statistics always (track_running_stats=False); gamma = w, beta = 0.
        return torch::relu(torch::batch_norm(conv, constant({ out }), constant({ out }, true),
            /*running_mean=*/ {}, /*running_var=*/ {}, /*training=*/true, /*momentum=*/0.1, kBatchNormEps,
            /*cudnn_enabled=*/true));
    }

    torch::Tensor cell(const nb101::Spec& spec, const torch::Tensor& input, std::int64_t in, std::int64_t out)
    {
        const int last = spec.vertexCount() - 1;
        const std::vector<int> channels = spec.vertexChannels(static_cast<int>(in), static_cast<int>(out));
        std::vector<torch::Tensor> vertices(spec.vertexCount());
        std::vector<torch::Tensor> concat;
        for (int t = 1; t < last; ++t) {
            const std::int64_t c = channels[t];
            // The sum in the reference's order: truncated interior sources by index, then the input projection.
            torch::Tensor sum;
            auto add = [&sum](const torch::Tensor& term) { sum = sum.defined() ? sum + term : term; };
            for (int source = 1; source < t; ++source)
                if (spec.hasEdge(source, t))
                    add(vertices[source].narrow(1, 0, c));
            if (spec.hasEdge(0, t))
                add(convBnRelu(input, in, c, 1));
            switch (spec.op(t)) {
            case nb101::Op::Conv3x3:
                vertices[t] = convBnRelu(sum, c, c, 3);
                break;
            case nb101::Op::Conv1x1:
                vertices[t] = convBnRelu(sum, c, c, 1);
                break;
            case nb101::Op::MaxPool3x3:
                vertices[t] = torch::max_pool2d(sum, 3, 1, 1);
                break;
            default:
                throw std::logic_error("an interior NB101 vertex holds input or output");
            }
            if (spec.hasEdge(t, last))
                concat.push_back(vertices[t]);
        }
        if (concat.empty())
            return convBnRelu(input, in, out, 1);
        torch::Tensor output = concat.size() == 1 ? concat.front() : torch::cat(concat, 1);
        if (spec.hasEdge(0, last))
            output = output + convBnRelu(input, in, out, 1);
        return output;
    }

    double m_w;
    torch::TensorOptions m_options;
    std::function<void()> m_beforeConv;
    std::map<std::vector<std::int64_t>, torch::Tensor> m_constants[2];
};

class ReferenceEvaluator final : public Nb101EvaluatorBase {
public:
    ReferenceEvaluator(const InputBatch& input, const ScoreOptions& options)
        : Nb101EvaluatorBase(input, options)
    {
        if (!device().is_cpu())
            return; // a CUDA device that runs out says so, and rethrowAsRuntimeError turns that into a message
        const double mapBytes = double(input.batchSize()) * nb101::kStemChannels * input.imageSize() * input.imageSize()
            * (options.precision == Precision::Float32 ? 4 : 8);
        requireMemory(kLiveMaps * mapBytes,
            "the full-width NB101 network at batch " + std::to_string(input.batchSize()),
            "lower --batch or --image-size, or use --evaluator fast");
    }

protected:
    void scoreChunk(const std::vector<nb101::Spec>& specs, std::vector<ArchScore>& results) override
    {
        // One spec takes seconds to minutes: a cancel is honoured before every convolution.
        const std::function<void()> checkpoint = [this] { throwIfCancelled(); };
        FullWidthNetwork low(options().weights.low, tensorOptions(), checkpoint);
        FullWidthNetwork high(options().weights.high, tensorOptions(), checkpoint);
        for (const nb101::Spec& spec : specs) {
            const torch::Tensor outputLow = low.forward(spec, images());
            const torch::Tensor outputHigh = high.forward(spec, images());
            results.push_back(finish(toDoubles(outputLow), toDoubles(outputHigh)));
        }
    }
    int chunkSize() const override { return 1; }

    SignalFlow tracePruned(const nb101::Spec& spec) override
    {
        const std::function<void()> checkpoint = [this] { throwIfCancelled(); };
        LayerTrace low, high;
        FullWidthNetwork(options().weights.low, tensorOptions(), checkpoint).forward(spec, images(), low.observer());
        FullWidthNetwork(options().weights.high, tensorOptions(), checkpoint).forward(spec, images(), high.observer());
        return LayerTrace::combine(low, high);
    }
};

} // namespace

torch::Tensor nb101Stem(const torch::Tensor& images, double w, std::int64_t channels)
{
    const torch::TensorOptions options = images.options();
    const torch::Tensor conv = torch::conv2d(images, torch::full({ channels, 3, 3, 3 }, w, options), /*bias=*/ {},
        /*stride=*/1, /*padding=*/1);
    return torch::relu(torch::batch_norm(conv, torch::full({ channels }, w, options),
        torch::zeros({ channels }, options), /*running_mean=*/ {}, /*running_var=*/ {}, /*training=*/true,
        /*momentum=*/0.1, kBatchNormEps, /*cudnn_enabled=*/true));
}

std::unique_ptr<Evaluator> makeNb101ReferenceEvaluator(const InputBatch& input, const ScoreOptions& options)
{
    return std::make_unique<ReferenceEvaluator>(input, options);
}

} // namespace epsinas::detail
