// SPDX-License-Identifier: MIT
#include "spaces/nb201/detail/collapsed.h"
#include "score/detail/jobpool.h"

#include <algorithm>
#include <cmath>

#if defined(__SSE__)
#include <xmmintrin.h>
#endif

namespace epsinas::detail {

namespace {

constexpr double kBatchNormEps = 1e-5;
constexpr int kCellsPerStage = 5;
constexpr int kStageChannels[3] = { 16, 32, 64 };
// Scratch maps a job needs: the four cell nodes, a conv result and the block-to-block carry.
constexpr int kBuffers = 6;

void flushDenormalsOnThisThread()
{
#if defined(__SSE__)
    _mm_setcsr(_mm_getcsr() | 0x8040); // FTZ | DAZ
#endif
}

/** A batch of square one-channel maps, [B, S, S], in a buffer owned by the job. */
template <typename Real> struct Maps {
    Real* data;
    int batch;
    int size;
    std::size_t count() const { return static_cast<std::size_t>(batch) * size * size; }
};

template <typename Real> Maps<Real> resized(std::vector<Real>& buffer, int batch, int size)
{
    buffer.resize(static_cast<std::size_t>(batch) * size * size);
    return { buffer.data(), batch, size };
}

/**
 * 3x3 window sums with zero padding (a conv whose taps are all 1) at `stride`, reading relu(x) when asked, handed
 * to `emit(index, sum, row, column)` for every output position. Separable: rows, then columns of row sums.
 */
template <typename Real, typename Emit> void boxSum(const Maps<Real>& in, int stride, bool relu, Emit&& emit)
{
    const int size = in.size;
    const int outSize = (size - 1) / stride + 1;
    std::vector<Real> rowSums(static_cast<std::size_t>(size) * outSize);
    std::vector<Real> row(size + 2);
    std::size_t index = 0;
    for (int b = 0; b < in.batch; ++b) {
        const Real* image = in.data + static_cast<std::size_t>(b) * size * size;
        for (int i = 0; i < size; ++i) {
            row[0] = row[size + 1] = 0;
            for (int j = 0; j < size; ++j) {
                const Real v = image[i * size + j];
                row[j + 1] = relu ? std::max(v, Real(0)) : v;
            }
            Real* sums = rowSums.data() + static_cast<std::size_t>(i) * outSize;
            for (int jo = 0; jo < outSize; ++jo) {
                const int j = jo * stride + 1;
                sums[jo] = row[j - 1] + row[j] + row[j + 1];
            }
        }
        for (int io = 0; io < outSize; ++io) {
            const int i = io * stride;
            const Real* above = i > 0 ? rowSums.data() + static_cast<std::size_t>(i - 1) * outSize : nullptr;
            const Real* middle = rowSums.data() + static_cast<std::size_t>(i) * outSize;
            const Real* below = i + 1 < size ? rowSums.data() + static_cast<std::size_t>(i + 1) * outSize : nullptr;
            for (int jo = 0; jo < outSize; ++jo) {
                Real sum = above ? above[jo] + middle[jo] : middle[jo];
                if (below)
                    sum += below[jo];
                emit(index++, sum, io, jo);
            }
        }
    }
}

/** BN with batch statistics, gamma = w, beta = 0, as LibTorch applies it: y = x * alpha + beta. */
template <typename Real> struct BatchNorm {
    Real alpha;
    Real beta;
    BatchNorm(const Maps<Real>& x, double sum, double w)
    {
        const std::size_t n = x.count();
        const double mean = sum / static_cast<double>(n);
        double squares = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const double d = static_cast<double>(x.data[i]) - mean;
            squares += d * d;
        }
        const double invStd = 1.0 / std::sqrt(squares / static_cast<double>(n) + kBatchNormEps);
        alpha = static_cast<Real>(invStd * w);
        beta = static_cast<Real>(-mean * invStd * w);
    }
    Real operator()(Real x) const { return x * alpha + beta; }
};

template <typename Real> double sumOf(const Maps<Real>& x)
{
    double sum = 0;
    for (std::size_t i = 0; i < x.count(); ++i)
        sum += x.data[i];
    return sum;
}

template <typename Real> bool allZero(const Maps<Real>& x)
{
    return std::all_of(x.data, x.data + x.count(), [](Real v) { return v == 0; });
}

/** Adds (or on the first term stores, since 0 + a == a) one term into a node's sum. */
template <typename Real> inline void accumulate(Real* target, std::size_t i, Real value, bool first)
{
    target[i] = first ? value : target[i] + value;
}

/** Everything one job needs, living in the buffers of the thread that runs it. */
template <typename Real> class Job {
public:
    Job(std::vector<std::vector<Real>>& buffers, int batch, double w)
        : m_buffers(buffers)
        , m_batch(batch)
        , m_w(w)
    {
    }

    /** ReLU -> conv (all taps w, C_in = channels) -> BN, result in `out`. */
    Maps<Real> reluConvBn(const Maps<Real>& in, int kernel, int stride, int channels, std::vector<Real>& out)
    {
        const Real scale = static_cast<Real>(m_w * channels);
        const int outSize = kernel == 3 ? (in.size - 1) / stride + 1 : in.size;
        Maps<Real> y = resized(out, in.batch, outSize);
        double sum = 0;
        if (kernel == 3) {
            boxSum(in, stride, /*relu=*/true, [&](std::size_t i, Real s, int, int) {
                y.data[i] = s * scale;
                sum += y.data[i];
            });
        } else {
            for (std::size_t i = 0; i < in.count(); ++i) {
                y.data[i] = std::max(in.data[i], Real(0)) * scale;
                sum += y.data[i];
            }
        }
        const BatchNorm<Real> bn(y, sum, m_w);
        for (std::size_t i = 0; i < y.count(); ++i)
            y.data[i] = bn(y.data[i]);
        return y;
    }

    /** Adds op(source) into `target` (stores it when `first`). */
    void addEdge(nb201::Op op, const Maps<Real>& source, int channels, Maps<Real>& target, bool first)
    {
        switch (op) {
        case nb201::Op::None:
            return;
        case nb201::Op::SkipConnect:
            for (std::size_t i = 0; i < source.count(); ++i)
                accumulate(target.data, i, source.data[i], first);
            return;
        case nb201::Op::AvgPool3x3: {
            // count_include_pad=false: border windows divide by the cells inside the image.
            const int last = source.size - 1;
            boxSum(source, 1, /*relu=*/false, [&](std::size_t i, Real s, int row, int column) {
                const int rows = 3 - (row == 0) - (row == last);
                const int columns = 3 - (column == 0) - (column == last);
                accumulate(target.data, i, s / static_cast<Real>(rows * columns), first);
            });
            return;
        }
        case nb201::Op::Conv1x1:
        case nb201::Op::Conv3x3: {
            const Maps<Real> y = reluConvBn(source, op == nb201::Op::Conv3x3 ? 3 : 1, 1, channels, m_buffers[4]);
            for (std::size_t i = 0; i < y.count(); ++i)
                accumulate(target.data, i, y.data[i], first);
            return;
        }
        }
    }

    /** One InferCell; the input lives in buffer 0 and the output is written back there. */
    void inferCell(const nb201::Cell& cell, int size, int channels)
    {
        Maps<Real> nodes[4] = { { m_buffers[0].data(), m_batch, size } };
        for (int node = 1; node <= 3; ++node) {
            nodes[node] = resized(m_buffers[node], m_batch, size);
            bool first = true;
            for (int e = 0; e < nb201::kEdgeCount; ++e) {
                if (nb201::kEdgeTarget[e] != node || cell.op(e) == nb201::Op::None)
                    continue;
                addEdge(cell.op(e), nodes[nb201::kEdgeSource[e]], channels, nodes[node], first);
                first = false;
            }
            if (first) // only `none` inputs: an exact zero node
                std::fill(nodes[node].data, nodes[node].data + nodes[node].count(), Real(0));
        }
        std::swap(m_buffers[0], m_buffers[3]);
    }

    /** ResNetBasicBlock(in -> out, stride 2) on buffer 0, result back in buffer 0. */
    void resnetBlock(int size, int in, int out)
    {
        const Maps<Real> x { m_buffers[0].data(), m_batch, size };
        const Maps<Real> a = reluConvBn(x, 3, 2, in, m_buffers[1]);
        const Maps<Real> b = reluConvBn(a, 3, 1, out, m_buffers[2]);
        Maps<Real> result = resized(m_buffers[5], m_batch, b.size);
        const Real scale = static_cast<Real>(m_w * in);
        std::size_t i = 0;
        for (int n = 0; n < m_batch; ++n) {
            const Real* image = x.data + static_cast<std::size_t>(n) * size * size;
            for (int r = 0; r < b.size; ++r) {
                for (int c = 0; c < b.size; ++c, ++i) {
                    const Real* window = image + 2 * r * size + 2 * c;
                    // AvgPool2d(2) then the 1x1 projection: residual + branch, in the reference's order.
                    const Real pooled = (window[0] + window[1] + window[size] + window[size + 1]) / Real(4);
                    result.data[i] = pooled * scale + b.data[i];
                }
            }
        }
        std::swap(m_buffers[0], m_buffers[5]);
    }

    /** lastact (BN, ReLU), global average pool and the 1-class linear head: one logit per sample. */
    std::vector<double> head(int size)
    {
        const Maps<Real> x { m_buffers[0].data(), m_batch, size };
        const BatchNorm<Real> bn(x, sumOf(x), m_w);
        const Real scale = static_cast<Real>(m_w * kStageChannels[2]);
        std::vector<double> logits(m_batch);
        const int area = size * size;
        for (int n = 0; n < m_batch; ++n) {
            Real sum = 0;
            for (int i = 0; i < area; ++i)
                sum += std::max(bn(x.data[static_cast<std::size_t>(n) * area + i]), Real(0));
            logits[n] = static_cast<double>(sum / static_cast<Real>(area) * scale);
        }
        return logits;
    }

    bool outputIsZero(int size) const { return allZero(Maps<Real> { m_buffers[0].data(), m_batch, size }); }

private:
    std::vector<std::vector<Real>>& m_buffers;
    int m_batch;
    double m_w;
};

} // namespace

template <typename Real>
CollapsedCpuNetwork<Real>::CollapsedCpuNetwork(std::vector<Real> stemLow, std::vector<Real> stemHigh, int batch,
    int imageSize, double weightLow, double weightHigh)
    : m_batch(batch)
    , m_size(imageSize)
    , m_weights { weightLow, weightHigh }
    , m_stem { std::move(stemLow), std::move(stemHigh) }
{
}

template <typename Real>
std::vector<double> CollapsedCpuNetwork<Real>::forward(
    const CollapsedJob& job, std::vector<std::vector<Real>>& buffers) const
{
    const double w = m_weights[job.weightIndex];
    buffers[0] = m_stem[job.weightIndex];
    Job<Real> network(buffers, m_batch, w);
    int size = m_size;
    for (int stage = 0; stage < 3; ++stage) {
        if (stage > 0) {
            network.resnetBlock(size, kStageChannels[stage - 1], kStageChannels[stage]);
            size = (size - 1) / 2 + 1;
        }
        for (int i = 0; i < kCellsPerStage; ++i) {
            network.inferCell(job.cell, size, kStageChannels[stage]);
            // An all-zero map stays zero to the end (BN of zeros is 0): the logits are exactly 0.
            if (network.outputIsZero(size))
                return std::vector<double>(m_batch, 0.0);
        }
    }
    return network.head(size);
}

template <typename Real>
std::vector<std::vector<double>> CollapsedCpuNetwork<Real>::run(
    const std::vector<CollapsedJob>& jobs, int threads) const
{
    std::vector<std::vector<double>> outputs(jobs.size());
    forEachOnThreads(
        jobs.size(), threads,
        [] {
            flushDenormalsOnThisThread();
            return std::vector<std::vector<Real>>(kBuffers);
        },
        [&](std::size_t i, std::vector<std::vector<Real>>& buffers) { outputs[i] = forward(jobs[i], buffers); });
    return outputs;
}

template class CollapsedCpuNetwork<float>;
template class CollapsedCpuNetwork<double>;

} // namespace epsinas::detail
