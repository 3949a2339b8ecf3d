// SPDX-License-Identifier: MIT
// The exact width-collapsed NB201 evaluator (algorithm §4.1). With every weight equal to w and BN gamma = w, every
// channel of every feature map is identical, so a width-C network computes what a one-channel network computes
// when each conv carries w*C_in in every tap. Many cells then run at once, one per "channel": tensors here are
// [K cells, B samples, H, W], so a cell's slice is contiguous and BN per cell is BN over a [1, K, B*H, W] view.
#include "score/detail/devicecopy.h"
#include "score/detail/outofmemory.h"
#include "score/runtime.h"
#include "spaces/nb201/detail/collapsed.h"
#include "spaces/nb201/detail/internal.h"

#include <algorithm>
#include <array>
#include <numeric>
#include <unistd.h>

namespace epsinas::detail {

namespace {

constexpr double kBatchNormEps = 1e-5;
constexpr int kCellsPerStage = 5;
constexpr std::array<std::int64_t, 3> kStageChannels { 16, 32, 64 };
// Feature maps alive at once per cell in the chunk (nodes, accumulators, temporaries), for sizing chunks.
constexpr std::int64_t kLiveMapsPerCell = 12;

/** The cells of a chunk that carry one op on one edge, as a contiguous range when they happen to be one. */
struct OpGroup {
    nb201::Op op;
    torch::Tensor positions; // int64 indices into the chunk, on the device
    std::int64_t first = 0, count = 0;
    bool contiguous = false;
};

/** Per edge, the op groups of the chunk's current cells (skipping `none`: it adds an exact 0, algorithm §4.1). */
class EdgeGroups {
public:
    EdgeGroups(const std::vector<nb201::Cell>& cells, torch::Device device)
    {
        for (int e = 0; e < nb201::kEdgeCount; ++e) {
            for (nb201::Op op : nb201::kAllOps) {
                if (op == nb201::Op::None)
                    continue;
                std::vector<std::int64_t> positions;
                for (std::size_t k = 0; k < cells.size(); ++k)
                    if (cells[k].op(e) == op)
                        positions.push_back(static_cast<std::int64_t>(k));
                if (positions.empty())
                    continue;
                OpGroup group { op, {}, positions.front(), static_cast<std::int64_t>(positions.size()) };
                group.contiguous = positions.back() - positions.front() + 1 == group.count;
                if (!group.contiguous)
                    group.positions = toDevice(torch::tensor(positions, torch::kInt64), device);
                m_groups[e].push_back(std::move(group));
            }
        }
    }
    const std::vector<OpGroup>& of(int edge) const { return m_groups[edge]; }

private:
    std::array<std::vector<OpGroup>, nb201::kEdgeCount> m_groups;
};

class CollapsedNetwork {
public:
    CollapsedNetwork(double w, torch::TensorOptions options)
        : m_w(w)
        , m_options(options)
    {
    }

    /**
     * Outputs [K, B] of the chunk's cells for weight w. A cell whose feature map becomes exactly zero stays
     * zero to the end (BN of an all-zero map is 0), so it leaves the chunk at the end of its stage with an all-zero
     * output.
     * `observe` (for one cell only) sees every layer's collapsed map and keeps every cell to the end: a traced pass
     * shows the zero carried through every later layer rather than assuming it.
     */
    torch::Tensor forward(
        std::vector<nb201::Cell> cells, const torch::Tensor& images, const LayerObserver& observe = {})
    {
        const auto traced = [&observe](const std::string& layer, const torch::Tensor& x) {
            if (observe)
                observe(layer, x);
            return x;
        };
        const std::int64_t cellCount = static_cast<std::int64_t>(cells.size());
        const std::int64_t batch = images.size(0);
        // Which row of the output each current chunk position belongs to.
        std::vector<std::int64_t> rows(cells.size());
        std::iota(rows.begin(), rows.end(), 0);

        // The stem is identical for every cell: computed once, as the reference computes it, and broadcast.
        if (!m_stem.defined())
            m_stem = fullWidthStem(images, m_w).narrow(1, 0, 1).transpose(0, 1).contiguous(); // [1,B,H,W]
        torch::Tensor x
            = traced("stem", m_stem.expand({ cellCount, batch, m_stem.size(2), m_stem.size(3) }).contiguous());

        auto groups = std::make_unique<EdgeGroups>(cells, x.device());
        torch::Tensor output = torch::zeros({ cellCount, batch }, m_options);
        int cellNumber = 0;
        for (std::size_t stage = 0; stage < kStageChannels.size(); ++stage) {
            const std::int64_t c = kStageChannels[stage];
            if (stage > 0)
                x = traced(nb201ReductionLayer(int(stage)), resnetBlock(x, kStageChannels[stage - 1], c));
            for (int i = 0; i < kCellsPerStage; ++i) {
                x = traced(nb201CellLayer(++cellNumber), inferCell(*groups, x, c));
                // Finding the zero cells copies a flag per cell to the host, which waits for the device to finish
                // all queued work: done once per stage (the zeros carried meanwhile are exact), before the stages
                // that follow, not after every cell.
                const bool stageEnds = i == kCellsPerStage - 1 && stage + 1 < kStageChannels.size();
                if (!observe && stageEnds && dropZeroCells(x, cells, rows)) {
                    if (cells.empty())
                        return output;
                    groups = std::make_unique<EdgeGroups>(cells, x.device());
                }
            }
        }
        torch::Tensor pooled = traced("global pool", traced("last BN+ReLU", torch::relu(batchNorm(x))).mean({ 2, 3 }));
        // Linear(64 -> 1): 64 identical features times w
        torch::Tensor logits = traced("classifier", pooled.mul(m_w * 64));
        output.index_copy_(0, toDevice(torch::tensor(rows, torch::kInt64), x.device()), logits);
        return output;
    }

private:
    /** 3x3 window sum with zero padding (a conv whose taps are all 1), per (cell, sample) plane. */
    static torch::Tensor boxSum(const torch::Tensor& x, int stride)
    {
        return torch::avg_pool2d(x, 3, stride, 1, /*ceil_mode=*/false, /*count_include_pad=*/true,
            /*divisor_override=*/1);
    }

    /** BN with batch statistics per cell, gamma = w, beta = 0. */
    torch::Tensor batchNorm(const torch::Tensor& x)
    {
        const std::int64_t cells = x.size(0);
        torch::Tensor& gamma = m_gamma[cells];
        if (!gamma.defined()) {
            gamma = torch::full({ cells }, m_w, m_options);
            m_beta[cells] = torch::zeros({ cells }, m_options);
        }
        const auto shape = x.sizes().vec();
        return torch::batch_norm(x.reshape({ 1, cells, shape[1] * shape[2], shape[3] }), gamma, m_beta[cells],
            /*running_mean=*/ {}, /*running_var=*/ {}, /*training=*/true, /*momentum=*/0.1, kBatchNormEps,
            /*cudnn_enabled=*/true)
            .view(shape);
    }

    /** ReLU -> conv (C_in -> C_out, all taps w) -> BN, collapsed: the conv is a box sum times w*C_in. */
    torch::Tensor reluConvBn(const torch::Tensor& x, std::int64_t in, int kernel, int stride)
    {
        torch::Tensor y = torch::relu(x);
        if (kernel == 3)
            y = boxSum(y, stride);
        return batchNorm(y.mul_(m_w * static_cast<double>(in)));
    }

    torch::Tensor resnetBlock(const torch::Tensor& x, std::int64_t in, std::int64_t out)
    {
        torch::Tensor branch = reluConvBn(reluConvBn(x, in, 3, 2), out, 3, 1);
        torch::Tensor residual = torch::avg_pool2d(x, 2, 2).mul_(m_w * static_cast<double>(in));
        return residual.add_(branch);
    }

    torch::Tensor apply(nb201::Op op, const torch::Tensor& x, std::int64_t c)
    {
        switch (op) {
        case nb201::Op::SkipConnect:
            return x;
        case nb201::Op::Conv1x1:
            return reluConvBn(x, c, 1, 1);
        case nb201::Op::Conv3x3:
            return reluConvBn(x, c, 3, 1);
        case nb201::Op::AvgPool3x3:
            return torch::avg_pool2d(x, 3, 1, 1, /*ceil_mode=*/false, /*count_include_pad=*/false);
        case nb201::Op::None:
            break;
        }
        throw std::logic_error("none edges are not evaluated");
    }

    torch::Tensor inferCell(const EdgeGroups& groups, const torch::Tensor& input, std::int64_t c)
    {
        std::array<torch::Tensor, 4> nodes { input };
        for (int node = 1; node <= 3; ++node) {
            // Starting from zeros and adding edge by edge in arch-string order is the reference's
            // sum(...) order for every cell; cells with only `none` inputs keep an exact 0.
            torch::Tensor sum = torch::zeros_like(input);
            for (int e = 0; e < nb201::kEdgeCount; ++e) {
                if (nb201::kEdgeTarget[e] != node)
                    continue;
                const torch::Tensor& source = nodes[nb201::kEdgeSource[e]];
                for (const OpGroup& group : groups.of(e)) {
                    if (group.contiguous) {
                        sum.narrow(0, group.first, group.count)
                            .add_(apply(group.op, source.narrow(0, group.first, group.count), c));
                    } else {
                        sum.index_add_(0, group.positions, apply(group.op, source.index_select(0, group.positions), c));
                    }
                }
            }
            nodes[node] = sum;
        }
        return nodes[3];
    }

    /** Removes cells whose map is exactly zero; returns whether any was removed. */
    static bool dropZeroCells(torch::Tensor& x, std::vector<nb201::Cell>& cells, std::vector<std::int64_t>& rows)
    {
        const torch::Tensor nonZero = x.ne(0).flatten(1).any(1).to(torch::kCPU);
        const bool* keep = nonZero.data_ptr<bool>();
        std::vector<std::int64_t> kept;
        for (std::int64_t k = 0; k < nonZero.size(0); ++k)
            if (keep[k])
                kept.push_back(k);
        if (kept.size() == cells.size())
            return false;
        std::vector<nb201::Cell> keptCells;
        std::vector<std::int64_t> keptRows;
        for (std::int64_t k : kept) {
            keptCells.push_back(cells[k]);
            keptRows.push_back(rows[k]);
        }
        x = x.index_select(0, toDevice(torch::tensor(kept, torch::kInt64), x.device()));
        cells = std::move(keptCells);
        rows = std::move(keptRows);
        return true;
    }

    double m_w;
    torch::TensorOptions m_options;
    torch::Tensor m_stem;
    std::map<std::int64_t, torch::Tensor> m_gamma, m_beta;
};

bool isConstant(const std::vector<double>& values)
{
    return std::all_of(values.begin(), values.end(), [&](double v) { return v == values.front(); })
        || std::any_of(values.begin(), values.end(), [](double v) { return !std::isfinite(v); });
}

class FastEvaluator final : public Nb201EvaluatorBase {
public:
    FastEvaluator(const InputBatch& input, const ScoreOptions& options)
        : Nb201EvaluatorBase(input, options)
        , m_chunkSize(options.chunkSize > 0 ? options.chunkSize : defaultChunkSize(input))
    {
        if (device().is_cpu()) {
            // The shared stem runs at full width once per weight: its conv output and BN are two 16-channel maps.
            const double mapBytes = double(input.batchSize()) * double(kStageChannels[0]) * input.imageSize()
                * input.imageSize() * (options.precision == Precision::Float32 ? 4 : 8);
            requireMemory(2 * mapBytes, "the NB201 stem at batch " + std::to_string(input.batchSize()),
                "lower --batch or --image-size");
        }
        try {
            buildNetworks(input, options);
        } catch (const c10::Error& error) {
            rethrowAsRuntimeError(error, options);
        }
    }

    /**
     * Cells sharing a canonical form compute the same function: each form is evaluated once per request (the NB201
     * space has 8,765 forms for 15,625 cells), in index order so that cells with the same op on an edge tend to sit
     * in one contiguous range of a chunk.
     */
    std::vector<ArchScore> scoreValues(const std::vector<nb201::Cell>& cells, const RunControl& control) override
    {
        std::map<int, std::size_t> formByIndex;
        for (const nb201::Cell& cell : cells)
            formByIndex.emplace(cell.canonicalIndex(), 0);
        std::vector<nb201::Cell> forms;
        for (auto& [index, position] : formByIndex) {
            position = forms.size();
            forms.push_back(nb201::Cell::fromIndex(index));
        }
        const std::vector<ArchScore> formScores = Nb201EvaluatorBase::scoreValues(forms, control);
        std::vector<ArchScore> results;
        results.reserve(cells.size());
        for (const nb201::Cell& cell : cells)
            results.push_back(formScores[formByIndex[cell.canonicalIndex()]]);
        return results;
    }

protected:
    int chunkSize() const override { return m_chunkSize; }

    /**
     * The batched tensor form on one cell whatever the backend: it runs the layers one at a time as the reference
     * does (and, unlike the CPU loops, keeps denormals, as the reference does), so each layer's map can be read.
     * Every channel of a full-width map equals the collapsed map (algorithm §4.1), so max and mean |x| over it are
     * the full network's.
     */
    std::optional<SignalFlow> traceValue(const nb201::Cell& cell) override
    {
        LayerTrace low, high;
        CollapsedNetwork(options().weights.low, tensorOptions()).forward({ cell }, images(), low.observer());
        CollapsedNetwork(options().weights.high, tensorOptions()).forward({ cell }, images(), high.observer());
        return LayerTrace::combine(low, high);
    }

    /** `forms` are distinct canonical cells (see score()). */
    void scoreChunk(const std::vector<nb201::Cell>& forms, std::vector<ArchScore>& results) override
    {
        std::vector<std::vector<double>> lows, highs(forms.size());
        if (options().keepOutputs) {
            // Both passes of every form are wanted: run them side by side.
            std::vector<std::vector<double>> both = forward(forms, forms);
            lows.assign(both.begin(), both.begin() + forms.size());
            highs.assign(both.begin() + forms.size(), both.end());
        } else {
            lows = forward(forms, {});
            // A constant first row already makes the score NaN: skip the second pass for such forms.
            std::vector<nb201::Cell> needHigh;
            std::vector<std::size_t> needHighForm;
            for (std::size_t f = 0; f < forms.size(); ++f) {
                if (!isConstant(lows[f])) {
                    needHigh.push_back(forms[f]);
                    needHighForm.push_back(f);
                }
            }
            const std::vector<std::vector<double>> computed = forward({}, needHigh);
            for (std::size_t i = 0; i < needHigh.size(); ++i)
                highs[needHighForm[i]] = computed[i];
        }
        for (std::size_t f = 0; f < forms.size(); ++f)
            results.push_back(finish(lows[f], highs[f]));
    }

private:
    /** The collapsed networks of both weights: batched tensors on CUDA (or when asked), plain loops otherwise. */
    void buildNetworks(const InputBatch& input, const ScoreOptions& options)
    {
        if (device().is_cuda() || options.fastBackend == FastBackend::Tensors) {
            m_tensorLow = std::make_unique<CollapsedNetwork>(options.weights.low, tensorOptions());
            m_tensorHigh = std::make_unique<CollapsedNetwork>(options.weights.high, tensorOptions());
        } else if (options.precision == Precision::Float32) {
            m_loops32 = std::make_unique<CollapsedCpuNetwork<float>>(stem<float>(options.weights.low),
                stem<float>(options.weights.high), input.batchSize(), input.imageSize(), options.weights.low,
                options.weights.high);
        } else {
            m_loops64 = std::make_unique<CollapsedCpuNetwork<double>>(stem<double>(options.weights.low),
                stem<double>(options.weights.high), input.batchSize(), input.imageSize(), options.weights.low,
                options.weights.high);
        }
    }

    /** One channel of the stem's output for weight w, [B, S, S], computed as the reference computes it. */
    template <typename Real> std::vector<Real> stem(double w) const
    {
        c10::InferenceMode inferenceMode;
        const torch::Tensor output = fullWidthStem(images(), w).select(1, 0).contiguous().to(torch::kCPU);
        return std::vector<Real>(output.data_ptr<Real>(), output.data_ptr<Real>() + output.numel());
    }

    /** Outputs of `low` cells at w_lo followed by `high` cells at w_hi. */
    std::vector<std::vector<double>> forward(const std::vector<nb201::Cell>& low, const std::vector<nb201::Cell>& high)
    {
        if (m_tensorLow) {
            std::vector<std::vector<double>> outputs;
            for (auto [cells, network] : { std::pair { &low, m_tensorLow.get() }, { &high, m_tensorHigh.get() } }) {
                if (cells->empty())
                    continue;
                CollapsedNetwork& weightNetwork = *network; // a lambda cannot capture a structured binding in C++17
                const auto forward
                    = [&](const std::vector<nb201::Cell>& part) { return weightNetwork.forward(part, images()); };
                for (std::vector<double>& output : toDoubleRows(forwardHalvingOnOutOfMemory(*cells, forward)))
                    outputs.push_back(std::move(output));
            }
            return outputs;
        }
        std::vector<CollapsedJob> jobs;
        for (const nb201::Cell& cell : low)
            jobs.push_back({ cell, 0 });
        for (const nb201::Cell& cell : high)
            jobs.push_back({ cell, 1 });
        const int threads = at::get_num_threads();
        return m_loops32 ? m_loops32->run(jobs, threads) : m_loops64->run(jobs, threads);
    }

    int defaultChunkSize(const InputBatch& input) const
    {
        const std::int64_t elementBytes = options().precision == Precision::Float32 ? 4 : 8;
        const std::int64_t bytesPerCell
            = kLiveMapsPerCell * input.batchSize() * input.imageSize() * input.imageSize() * elementBytes;
        // CUDA: large chunks amortise kernel launches; ~16 GB at batch 256. A device with less memory splits
        // chunks on the first out-of-memory error (forwardHalvingOnOutOfMemory).
        if (device().is_cuda())
            return static_cast<int>(std::clamp<std::int64_t>((16ll << 30) / bytesPerCell, 1, 2048));
        // CPU: never take more than a quarter of the free memory.
        const std::int64_t freeBytes = static_cast<std::int64_t>(sysconf(_SC_AVPHYS_PAGES)) * sysconf(_SC_PAGESIZE);
        return static_cast<int>(std::clamp<std::int64_t>(freeBytes / 4 / bytesPerCell, 1, 32));
    }

    int m_chunkSize;
    std::unique_ptr<CollapsedNetwork> m_tensorLow, m_tensorHigh;
    std::unique_ptr<CollapsedCpuNetwork<float>> m_loops32;
    std::unique_ptr<CollapsedCpuNetwork<double>> m_loops64;
};

} // namespace

std::unique_ptr<Evaluator> makeNb201FastEvaluator(const InputBatch& input, const ScoreOptions& options)
{
    return std::make_unique<FastEvaluator>(input, options);
}

} // namespace epsinas::detail
