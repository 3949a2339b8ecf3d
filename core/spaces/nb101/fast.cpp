// SPDX-License-Identifier: MIT
// The exact width-collapsed NB101 evaluator (algorithm §4.1). With every weight equal to w and BN gamma = w, all
// channels of a vertex's tensor are identical, so a vertex is one [B, S, S] map; a cell's output concatenates vertices
// with different values, so a feature map between cells is a few (map, channel count) groups. A conv over a grouped
// input sums the groups weighted by their channel counts; BN (batch statistics per channel), ReLU and pooling act per
// group. The network is then tiny, and each (spec, weight) runs start to finish on one CPU thread in plain loops. On
// CUDA (or with FastBackend::Tensors) the same computation runs batched, many specs per pass (tensornetwork.cpp).
#include "score/detail/jobpool.h"
#include "score/detail/outofmemory.h"
#include "spaces/nb101/detail/internal.h"
#include "spaces/nb101/detail/tensornetwork.h"

#include <algorithm>
#include <cmath>

namespace epsinas::detail {

namespace {

constexpr double kBatchNormEps = 1e-5;
// Specs handed to the thread pool at once: enough jobs to keep every core busy between progress reports.
constexpr int kDefaultChunk = 32;
// Specs per pass of the tensor form on CUDA: ~20 MiB each at batch 256, so ~10 GiB; a chunk that does not fit is
// halved (forwardHalvingOnOutOfMemory).
constexpr int kCudaChunk = 512;
// Maps of [B, S, S] alive at once per spec in a pass of the tensor form (groups, vertices, sums, double copies).
constexpr std::int64_t kLiveMapsPerSpec = 20;
// Memory for one pass of the tensor form on the CPU, where it runs to be tested: larger passes waste less time in
// per-op overhead, up to kCpuTensorChunk specs.
constexpr std::int64_t kCpuTensorBytes = 256ll << 20;
constexpr std::int64_t kCpuTensorChunk = 64;

/** A batch of square one-channel maps, [B, S, S]. */
template <typename Real> struct Maps {
    std::vector<Real> values;
    int batch = 0;
    int size = 0;
    Maps() = default;
    Maps(int batch_, int size_)
        : values(static_cast<std::size_t>(batch_) * size_ * size_)
        , batch(batch_)
        , size(size_)
    {
    }
    std::size_t count() const { return values.size(); }
    Real* plane(int b) { return values.data() + static_cast<std::size_t>(b) * size * size; }
    const Real* plane(int b) const { return values.data() + static_cast<std::size_t>(b) * size * size; }
};

/** Channels that all hold the same map. */
template <typename Real> struct Group {
    Maps<Real> maps;
    int channels = 0;
};

/** BN with batch statistics (gamma = w, beta = 0) then ReLU, in place, applied as LibTorch does: x*alpha+beta. */
template <typename Real> void batchNormRelu(Maps<Real>& x, double w)
{
    const std::size_t n = x.count();
    double sum = 0;
    for (Real v : x.values)
        sum += v;
    const double mean = sum / static_cast<double>(n);
    double squares = 0;
    for (Real v : x.values) {
        const double d = static_cast<double>(v) - mean;
        squares += d * d;
    }
    const double invStd = 1.0 / std::sqrt(squares / static_cast<double>(n) + kBatchNormEps);
    const Real alpha = static_cast<Real>(invStd * w);
    const Real beta = static_cast<Real>(-mean * invStd * w);
    for (Real& v : x.values)
        v = std::max(v * alpha + beta, Real(0));
}

/** `scale` times the 3x3 window sums with zero padding: a 3x3 conv whose taps all equal w, collapsed. */
template <typename Real> Maps<Real> boxSum(const Maps<Real>& x, Real scale)
{
    const int s = x.size;
    Maps<Real> y(x.batch, s);
    std::vector<Real> rows(static_cast<std::size_t>(s) * s);
    for (int b = 0; b < x.batch; ++b) {
        const Real* in = x.plane(b);
        for (int i = 0; i < s; ++i) {
            const Real* row = in + i * s;
            Real* out = rows.data() + i * s;
            for (int j = 0; j < s; ++j)
                out[j] = (j > 0 ? row[j - 1] : Real(0)) + row[j] + (j + 1 < s ? row[j + 1] : Real(0));
        }
        Real* out = y.plane(b);
        for (int i = 0; i < s; ++i) {
            const Real* middle = rows.data() + i * s;
            for (int j = 0; j < s; ++j) {
                Real sum = i > 0 ? middle[j - s] + middle[j] : middle[j];
                if (i + 1 < s)
                    sum += middle[j + s];
                out[i * s + j] = sum * scale;
            }
        }
    }
    return y;
}

/** MaxPool2d(3, stride 1, padding 1): the padding never wins, so each window is clipped to the image. */
template <typename Real> Maps<Real> maxPool3x3(const Maps<Real>& x)
{
    const int s = x.size;
    Maps<Real> y(x.batch, s);
    std::vector<Real> rows(static_cast<std::size_t>(s) * s);
    for (int b = 0; b < x.batch; ++b) {
        const Real* in = x.plane(b);
        for (int i = 0; i < s; ++i) {
            for (int j = 0; j < s; ++j) {
                Real m = in[i * s + j];
                if (j > 0)
                    m = std::max(m, in[i * s + j - 1]);
                if (j + 1 < s)
                    m = std::max(m, in[i * s + j + 1]);
                rows[i * s + j] = m;
            }
        }
        Real* out = y.plane(b);
        for (int i = 0; i < s; ++i) {
            for (int j = 0; j < s; ++j) {
                Real m = rows[i * s + j];
                if (i > 0)
                    m = std::max(m, rows[(i - 1) * s + j]);
                if (i + 1 < s)
                    m = std::max(m, rows[(i + 1) * s + j]);
                out[i * s + j] = m;
            }
        }
    }
    return y;
}

/** MaxPool2d(2, stride 2), the downsampling between stacks (odd sizes drop the last row and column). */
template <typename Real> Maps<Real> maxPool2x2(const Maps<Real>& x)
{
    const int s = x.size;
    Maps<Real> y(x.batch, s / 2);
    for (int b = 0; b < x.batch; ++b) {
        const Real* in = x.plane(b);
        Real* out = y.plane(b);
        for (int i = 0; i < y.size; ++i) {
            for (int j = 0; j < y.size; ++j) {
                const Real* window = in + 2 * i * s + 2 * j;
                out[i * y.size + j] = std::max(std::max(window[0], window[1]), std::max(window[s], window[s + 1]));
            }
        }
    }
    return y;
}

template <typename Real> bool allZero(const std::vector<Group<Real>>& groups)
{
    return std::all_of(groups.begin(), groups.end(), [](const Group<Real>& group) {
        return std::all_of(group.maps.values.begin(), group.maps.values.end(), [](Real v) { return v == 0; });
    });
}

/**
 * Records the statistics of the full-width tensor that `x` stands for: a group's map is every one of its channels,
 * so the maximum is over the groups and the mean weighs each group by its channel count.
 */
template <typename Real> void record(LayerTrace* trace, const std::string& layer, const std::vector<Group<Real>>& x)
{
    if (!trace)
        return;
    double maxAbs = 0, weightedSum = 0, elements = 0;
    bool zero = true;
    for (const Group<Real>& group : x) {
        double sum = 0;
        for (Real v : group.maps.values) {
            const double magnitude = std::abs(static_cast<double>(v));
            // NaN sticks, as in a tensor's max().
            if (!std::isnan(maxAbs) && !(magnitude <= maxAbs))
                maxAbs = magnitude;
            sum += magnitude;
            zero = zero && v == 0;
        }
        weightedSum += sum * group.channels;
        elements += static_cast<double>(group.maps.count()) * group.channels;
    }
    trace->record(layer, maxAbs, weightedSum / elements, zero);
}

/** The collapsed network of one weight; every method is const, so threads share it. */
template <typename Real> class CollapsedNetwork {
public:
    CollapsedNetwork(Maps<Real> stem, double w)
        : m_stem(std::move(stem))
        , m_w(w)
    {
    }

    /**
     * The B logits of `spec` (valid and pruned). With a `trace`, every layer is recorded and the pass runs to the
     * end even after the map becomes zero, so the zero carried through the later layers is computed, not assumed.
     */
    std::vector<double> forward(const nb101::Spec& spec, LayerTrace* trace = nullptr) const
    {
        std::vector<Group<Real>> x { { m_stem, nb101::kStemChannels } };
        record(trace, "stem", x);
        int in = nb101::kStemChannels, out = nb101::kStemChannels;
        int cellNumber = 0;
        for (int stack = 0; stack < nb101::kStacks; ++stack) {
            if (stack > 0) {
                for (Group<Real>& group : x)
                    group.maps = maxPool2x2(group.maps);
                record(trace, nb101DownsampleLayer(stack), x);
                out *= 2;
            }
            for (int i = 0; i < nb101::kCellsPerStack; ++i) {
                x = cell(spec, x, in, out);
                record(trace, nb101CellLayer(++cellNumber), x);
                in = out;
                // An all-zero map stays zero to the end (BN of zeros is 0, pools and convs of zeros are 0).
                if (!trace && allZero(x))
                    return std::vector<double>(m_stem.batch, 0.0);
            }
        }
        // Mean over H, W, then Linear(out -> 1) with weight w: every channel of a group adds the same mean.
        std::vector<Group<Real>> pooled;
        for (const Group<Real>& group : x) {
            Maps<Real> means(m_stem.batch, 1);
            const int area = group.maps.size * group.maps.size;
            for (int b = 0; b < m_stem.batch; ++b) {
                const Real* plane = group.maps.plane(b);
                double planeSum = 0;
                for (int i = 0; i < area; ++i)
                    planeSum += plane[i];
                means.values[b] = static_cast<Real>(planeSum / area);
            }
            pooled.push_back({ std::move(means), group.channels });
        }
        record(trace, "global pool", pooled);
        std::vector<double> logits(m_stem.batch);
        for (int b = 0; b < m_stem.batch; ++b) {
            double sum = 0;
            for (const Group<Real>& group : pooled)
                sum += static_cast<double>(group.maps.values[b]) * group.channels;
            logits[b] = static_cast<double>(static_cast<Real>(m_w * sum));
        }
        if (trace) {
            Maps<Real> classifier(m_stem.batch, 1);
            std::copy(logits.begin(), logits.end(), classifier.values.begin());
            record(trace, "classifier", std::vector<Group<Real>> { { std::move(classifier), 1 } });
        }
        return logits;
    }

private:
    /** ConvBnRelu(C_in -> any, 1x1) of a grouped input: the groups summed, weighted by w * channels. */
    Maps<Real> projection(const std::vector<Group<Real>>& x) const
    {
        Maps<Real> y(x.front().maps.batch, x.front().maps.size);
        for (std::size_t g = 0; g < x.size(); ++g) {
            const Real scale = static_cast<Real>(m_w * x[g].channels);
            const std::vector<Real>& source = x[g].maps.values;
            for (std::size_t i = 0; i < y.count(); ++i)
                y.values[i] = g == 0 ? source[i] * scale : y.values[i] + source[i] * scale;
        }
        batchNormRelu(y, m_w);
        return y;
    }

    std::vector<Group<Real>> cell(const nb101::Spec& spec, const std::vector<Group<Real>>& input, int in, int out) const
    {
        const int last = spec.vertexCount() - 1;
        const std::vector<int> channels = spec.vertexChannels(in, out);
        std::vector<Maps<Real>> vertices(spec.vertexCount());
        for (int t = 1; t < last; ++t) {
            // Sum in the reference's order (interior sources by index, then the input projection); truncating a
            // vertex to fewer channels leaves its map unchanged.
            Maps<Real> sum;
            auto add = [&sum](const Maps<Real>& term) {
                if (sum.values.empty()) {
                    sum = term;
                    return;
                }
                for (std::size_t i = 0; i < sum.count(); ++i)
                    sum.values[i] += term.values[i];
            };
            for (int source = 1; source < t; ++source)
                if (spec.hasEdge(source, t))
                    add(vertices[source]);
            if (spec.hasEdge(0, t))
                add(projection(input));
            const Real scale = static_cast<Real>(m_w * channels[t]);
            switch (spec.op(t)) {
            case nb101::Op::Conv3x3:
                vertices[t] = boxSum(sum, scale);
                batchNormRelu(vertices[t], m_w);
                break;
            case nb101::Op::Conv1x1:
                for (Real& v : sum.values)
                    v *= scale;
                batchNormRelu(sum, m_w);
                vertices[t] = std::move(sum);
                break;
            case nb101::Op::MaxPool3x3:
                vertices[t] = maxPool3x3(sum);
                break;
            default:
                throw std::logic_error("an interior NB101 vertex holds input or output");
            }
        }
        std::vector<Group<Real>> output;
        for (int t = 1; t < last; ++t)
            if (spec.hasEdge(t, last))
                output.push_back({ std::move(vertices[t]), channels[t] });
        if (output.empty())
            return { { projection(input), out } };
        if (spec.hasEdge(0, last)) {
            // The projection to C_out is added to every channel of the concatenation.
            const Maps<Real> projected = projection(input);
            for (Group<Real>& group : output)
                for (std::size_t i = 0; i < projected.count(); ++i)
                    group.maps.values[i] += projected.values[i];
        }
        return output;
    }

    Maps<Real> m_stem;
    double m_w;
};

/** One unit of work for a thread: a spec at one of the two weights. */
struct Job {
    const nb101::Spec* spec;
    int weightIndex; // 0 = w_lo, 1 = w_hi
};

bool isConstant(const std::vector<double>& values)
{
    return std::all_of(values.begin(), values.end(), [&](double v) { return v == values.front(); })
        || std::any_of(values.begin(), values.end(), [](double v) { return !std::isfinite(v); });
}

template <typename Real> class Networks {
public:
    Networks(Maps<Real> stemLow, Maps<Real> stemHigh, const WeightPair& weights)
        : m_networks { CollapsedNetwork<Real>(std::move(stemLow), weights.low),
            CollapsedNetwork<Real>(std::move(stemHigh), weights.high) }
    {
    }

    /** Runs the jobs on up to `threads` fresh threads; returns the B logits of each job, in job order. */
    std::vector<std::vector<double>> run(const std::vector<Job>& jobs, int threads) const
    {
        std::vector<std::vector<double>> outputs(jobs.size());
        forEachOnThreads(
            jobs.size(), threads, [] { return 0; },
            [&](std::size_t i, int) { outputs[i] = m_networks[jobs[i].weightIndex].forward(*jobs[i].spec); });
        return outputs;
    }

    /** The signal flow of one spec, on the calling thread. */
    SignalFlow trace(const nb101::Spec& spec) const
    {
        LayerTrace low, high;
        m_networks[0].forward(spec, &low);
        m_networks[1].forward(spec, &high);
        return LayerTrace::combine(low, high);
    }

private:
    CollapsedNetwork<Real> m_networks[2];
};

class FastEvaluator final : public Nb101EvaluatorBase {
public:
    FastEvaluator(const InputBatch& input, const ScoreOptions& options)
        : Nb101EvaluatorBase(input, options)
    {
        try {
            // The plain loops also trace the signal flow on CUDA: one spec, where a batched pass gains nothing.
            if (options.precision == Precision::Float32)
                m_float = std::make_unique<Networks<float>>(
                    stem<float>(options.weights.low), stem<float>(options.weights.high), options.weights);
            else
                m_double = std::make_unique<Networks<double>>(
                    stem<double>(options.weights.low), stem<double>(options.weights.high), options.weights);
            if (device().is_cuda() || options.fastBackend == FastBackend::Tensors) {
                c10::InferenceMode inferenceMode;
                for (int i = 0; i < 2; ++i) {
                    const double w = i == 0 ? options.weights.low : options.weights.high;
                    m_tensors[i]
                        = std::make_unique<Nb101TensorNetwork>(nb101Stem(images(), w, 1).select(1, 0).contiguous(), w);
                }
            }
        } catch (const c10::Error& error) {
            rethrowAsRuntimeError(error, options);
        }
    }

protected:
    int chunkSize() const override
    {
        if (options().chunkSize > 0)
            return options().chunkSize;
        if (!m_tensors[0])
            return kDefaultChunk;
        if (device().is_cuda())
            return kCudaChunk;
        const std::int64_t bytesPerSpec = kLiveMapsPerSpec * images().size(0) * images().size(2) * images().size(3)
            * static_cast<std::int64_t>(images().element_size());
        return static_cast<int>(std::clamp<std::int64_t>(kCpuTensorBytes / bytesPerSpec, 1, kCpuTensorChunk));
    }

    SignalFlow tracePruned(const nb101::Spec& spec) override
    {
        return m_float ? m_float->trace(spec) : m_double->trace(spec);
    }

    void scoreChunk(const std::vector<nb101::Spec>& specs, std::vector<ArchScore>& results) override
    {
        std::vector<Job> jobs;
        for (const nb101::Spec& spec : specs)
            jobs.push_back({ &spec, 0 });
        if (options().keepOutputs)
            for (const nb101::Spec& spec : specs)
                jobs.push_back({ &spec, 1 });
        std::vector<std::vector<double>> outputs = run(jobs);
        std::vector<std::vector<double>> highs(specs.size());
        if (options().keepOutputs) {
            for (std::size_t i = 0; i < specs.size(); ++i)
                highs[i] = std::move(outputs[specs.size() + i]);
        } else {
            // A constant first row already makes the score NaN: skip the second pass for such specs.
            std::vector<Job> needHigh;
            std::vector<std::size_t> positions;
            for (std::size_t i = 0; i < specs.size(); ++i) {
                if (!isConstant(outputs[i])) {
                    needHigh.push_back({ &specs[i], 1 });
                    positions.push_back(i);
                }
            }
            std::vector<std::vector<double>> computed = run(needHigh);
            for (std::size_t k = 0; k < positions.size(); ++k)
                highs[positions[k]] = std::move(computed[k]);
        }
        for (std::size_t i = 0; i < specs.size(); ++i)
            results.push_back(finish(std::move(outputs[i]), std::move(highs[i])));
    }

private:
    /** One channel of the stem's output for weight w, [B, S, S], computed with LibTorch as the reference does. */
    template <typename Real> Maps<Real> stem(double w) const
    {
        c10::InferenceMode inferenceMode;
        const torch::Tensor output = nb101Stem(images(), w, 1).select(1, 0).contiguous().to(torch::kCPU);
        Maps<Real> maps(static_cast<int>(output.size(0)), static_cast<int>(output.size(1)));
        std::copy(output.data_ptr<Real>(), output.data_ptr<Real>() + output.numel(), maps.values.begin());
        return maps;
    }

    std::vector<std::vector<double>> run(const std::vector<Job>& jobs) const
    {
        if (!m_tensors[0]) {
            const int threads = at::get_num_threads();
            return m_float ? m_float->run(jobs, threads) : m_double->run(jobs, threads);
        }
        // The tensor form: one batched pass per weight over that weight's specs.
        std::vector<std::vector<double>> outputs(jobs.size());
        for (int weightIndex = 0; weightIndex < 2; ++weightIndex) {
            std::vector<nb101::Spec> specs;
            std::vector<std::size_t> positions;
            for (std::size_t i = 0; i < jobs.size(); ++i) {
                if (jobs[i].weightIndex == weightIndex) {
                    specs.push_back(*jobs[i].spec);
                    positions.push_back(i);
                }
            }
            if (specs.empty())
                continue;
            const Nb101TensorNetwork& network = *m_tensors[weightIndex];
            const auto forward = [&](const std::vector<nb101::Spec>& part) { return network.forward(part); };
            std::vector<std::vector<double>> computed = toDoubleRows(forwardHalvingOnOutOfMemory(specs, forward));
            for (std::size_t k = 0; k < positions.size(); ++k)
                outputs[positions[k]] = std::move(computed[k]);
        }
        return outputs;
    }

    std::unique_ptr<Networks<float>> m_float;
    std::unique_ptr<Networks<double>> m_double;
    std::unique_ptr<Nb101TensorNetwork> m_tensors[2];
};

} // namespace

std::unique_ptr<Evaluator> makeNb101FastEvaluator(const InputBatch& input, const ScoreOptions& options)
{
    return std::make_unique<FastEvaluator>(input, options);
}

} // namespace epsinas::detail
