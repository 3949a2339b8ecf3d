// SPDX-License-Identifier: MIT
// The exact hidden-unit collapse of the NAS-Bench-NLP model (algorithm §4.1). With every MultiLinear weight and bias
// equal to w and every initial hidden state equal to w, all units of every node are identical: a linear node gives
// each unit w × (sum over its inputs of that input's feature sum) + w, and the elementwise ops and activations act
// unit by unit. So the model runs on one scalar per (node, time step, batch column) instead of a hidden vector, and
// no width × width product is ever formed. Plain loops, one recipe per thread, both weights in turn.
//
// Rounding: the reference's matrix products (netlib BLAS, Debian's default) add a row's products w·feature one
// after the other in the evaluation precision, then add the bias. Outputs that are equal up to a few ulps (a
// sigmoid near 0.5, say) are stretched to [0, 1] by the min-max normalisation, so computing w × (width × value) in
// one rounding instead moves float32 scores by up to ~1e-4 and can flip the NaN status of a cell whose outputs tie
// to the last bit. The collapse therefore forms the same products and adds them in the same order: width
// additions per linear input and batch column, vectorised across the batch.
#include "score/detail/jobpool.h"
#include "score/detail/outofmemory.h"
#include "spaces/nlp/detail/internal.h"
#include "spaces/nlp/detail/tensormodel.h"

#include <cmath>

namespace epsinas::nlp::detail {

template <typename Real>
std::vector<Real> firstLayerInputTerms(const float* embedding, const std::vector<std::int64_t>& tokens, double weight)
{
    const Real w = static_cast<Real>(weight);
    std::vector<Real> rowTerm(kVocabularySize);
    std::vector<bool> done(kVocabularySize, false);
    std::vector<Real> terms;
    terms.reserve(tokens.size());
    for (std::int64_t token : tokens) {
        if (!done[token]) {
            const float* row = embedding + token * kEmbeddingSize;
            Real sum = 0;
            for (int j = 0; j < kEmbeddingSize; ++j)
                sum += w * static_cast<Real>(row[j]);
            rowTerm[token] = sum;
            done[token] = true;
        }
        terms.push_back(rowTerm[token]);
    }
    return terms;
}

template std::vector<float> firstLayerInputTerms<float>(const float*, const std::vector<std::int64_t>&, double);
template std::vector<double> firstLayerInputTerms<double>(const float*, const std::vector<std::int64_t>&, double);

namespace {

constexpr double kLeakyReluSlope = 0.01;
// Recipes per scoreChunk call: small enough for live progress, large enough to keep every thread busy.
constexpr int kRecipesPerChunk = 32;
// Recipes per pass of the tensor form: all 344 of the benchmark's file in one (the steps run in lockstep, so a pass
// costs the same kernel launches for 1 recipe as for 512); a chunk that does not fit is halved.
constexpr int kTensorRecipesPerChunk = 512;
// Batch columns summed together in the linear terms: two SSE or one AVX register of floats.
constexpr std::size_t kLanes = 8;

/** The collapsed model for one token batch; Real is float (the reference precision) or double. */
template <typename Real> class CollapsedModel {
public:
    /**
     * `embedding`: the [10000, 400] table in float32; `tokens`: the batch, steps × batch. The first layer's x term
     * is the same for every recipe, so it is summed here once per weight.
     */
    CollapsedModel(const float* embedding, const std::vector<std::int64_t>& tokens, int steps, int batch,
        const WeightPair& weights)
        : m_steps(steps)
        , m_batch(batch)
        , m_weights { weights.low, weights.high }
    {
        for (int i = 0; i < 2; ++i)
            m_inputTerms[i] = firstLayerInputTerms<Real>(embedding, tokens, m_weights[i]);
    }

    /**
     * Unit 0 of the last layer's raw output for weight `weightIndex` (0 = w_lo), steps × batch, time-major. With a
     * `trace`, h_new_0 of every step and layer is recorded: one value per column stands for all its units.
     */
    std::vector<double> forward(
        const Recipe& recipe, int weightIndex, epsinas::detail::LayerTrace* trace = nullptr) const
    {
        const Real w = static_cast<Real>(m_weights[weightIndex]);
        const std::size_t batch = static_cast<std::size_t>(m_batch);
        const std::size_t stepCount = recipe.steps().size();
        std::vector<Real> layerInput(m_inputTerms[weightIndex].size()); // unit value of x per (t, b), layers >= 1
        std::vector<Real> layerOutput(layerInput.size());
        std::vector<std::vector<Real>> hidden(recipe.hiddenCount(), std::vector<Real>(batch));
        std::vector<std::vector<Real>> values(stepCount, std::vector<Real>(batch));
        std::vector<Real> terms(batch);

        for (int layer = 0; layer < kLayerCount; ++layer) {
            for (auto& state : hidden)
                std::fill(state.begin(), state.end(), w);
            for (int t = 0; t < m_steps; ++t) {
                const std::size_t row = static_cast<std::size_t>(t) * batch;
                auto unit = [&](const Operand& o) -> const Real* {
                    switch (o.kind) {
                    case Operand::Kind::Input:
                        return layerInput.data() + row;
                    case Operand::Kind::Hidden:
                        return hidden[o.index].data();
                    case Operand::Kind::Step:
                        break;
                    }
                    return values[o.index].data();
                };
                // W·in for one input, every unit alike: w·value added `width` times, as the BLAS adds a row. Blocks
                // of kLanes columns in local arrays keep the additions in vector registers.
                auto linearTerm = [&](const Operand& o) -> const Real* {
                    if (layer == 0 && o.kind == Operand::Kind::Input)
                        return m_inputTerms[weightIndex].data() + row;
                    const int width = o.kind == Operand::Kind::Input ? inputSize(layer) : hiddenSize(layer);
                    const Real* value = unit(o);
                    for (std::size_t first = 0; first < batch; first += kLanes) {
                        const std::size_t count = std::min(kLanes, batch - first);
                        Real product[kLanes] = {}, sum[kLanes] = {};
                        for (std::size_t k = 0; k < count; ++k)
                            product[k] = w * value[first + k];
                        for (int j = 0; j < width; ++j)
                            for (std::size_t k = 0; k < kLanes; ++k)
                                sum[k] += product[k];
                        std::copy(sum, sum + count, terms.begin() + first);
                    }
                    return terms.data();
                };
                for (std::size_t s = 0; s < stepCount; ++s) {
                    const Step& step = recipe.steps()[s];
                    Real* out = values[s].data();
                    const auto& in = step.operands;
                    switch (step.op) {
                    case Op::Linear: {
                        // As MultiLinear adds: W_0·in_0 + b first, then W_i·in_i in input order.
                        const Real* first = linearTerm(in[0]);
                        for (std::size_t b = 0; b < batch; ++b)
                            out[b] = first[b] + w;
                        for (std::size_t i = 1; i < in.size(); ++i) {
                            const Real* next = linearTerm(in[i]);
                            for (std::size_t b = 0; b < batch; ++b)
                                out[b] += next[b];
                        }
                        break;
                    }
                    case Op::Blend: {
                        const Real *a = unit(in[0]), *p = unit(in[1]), *q = unit(in[2]);
                        for (std::size_t b = 0; b < batch; ++b)
                            out[b] = a[b] * p[b] + (Real(1) - a[b]) * q[b];
                        break;
                    }
                    case Op::ElementwiseProd: {
                        const Real *p = unit(in[0]), *q = unit(in[1]);
                        for (std::size_t b = 0; b < batch; ++b)
                            out[b] = p[b] * q[b];
                        break;
                    }
                    case Op::ElementwiseSum: {
                        const Real *p = unit(in[0]), *q = unit(in[1]);
                        for (std::size_t b = 0; b < batch; ++b)
                            out[b] = p[b] + q[b];
                        break;
                    }
                    case Op::Tanh: {
                        const Real* p = unit(in[0]);
                        for (std::size_t b = 0; b < batch; ++b)
                            out[b] = std::tanh(p[b]);
                        break;
                    }
                    case Op::Sigmoid: {
                        const Real* p = unit(in[0]);
                        for (std::size_t b = 0; b < batch; ++b)
                            out[b] = Real(1) / (Real(1) + std::exp(-p[b]));
                        break;
                    }
                    case Op::LeakyRelu: {
                        const Real* p = unit(in[0]);
                        const Real slope = static_cast<Real>(kLeakyReluSlope);
                        for (std::size_t b = 0; b < batch; ++b)
                            out[b] = p[b] > Real(0) ? p[b] : p[b] * slope;
                        break;
                    }
                    }
                }
                for (int k = 0; k < recipe.hiddenCount(); ++k)
                    hidden[k] = values[recipe.outputs()[k]];
                std::copy(hidden[0].begin(), hidden[0].end(), layerOutput.begin() + row);
                if (trace)
                    record(*trace, stepLayer(layer + 1, t + 1), hidden[0]);
            }
            std::swap(layerInput, layerOutput);
        }
        if (trace)
            record(*trace, "output", layerInput);
        return std::vector<double>(layerInput.begin(), layerInput.end());
    }

private:
    static void record(epsinas::detail::LayerTrace& trace, const std::string& layer, const std::vector<Real>& values)
    {
        double maxAbs = 0, sum = 0;
        bool zero = true;
        for (Real v : values) {
            const double magnitude = std::abs(static_cast<double>(v));
            // NaN sticks, as in a tensor's max().
            if (!std::isnan(maxAbs) && !(magnitude <= maxAbs))
                maxAbs = magnitude;
            sum += magnitude;
            zero = zero && v == 0;
        }
        trace.record(layer, maxAbs, sum / static_cast<double>(values.size()), zero);
    }

    int m_steps;
    int m_batch;
    double m_weights[2];
    std::vector<Real> m_inputTerms[2]; // per weight: W·x of the first layer per (t, b)
};

class FastEvaluator final : public EvaluatorBase {
public:
    FastEvaluator(const TokenBatch& input, const ScoreOptions& options)
        : EvaluatorBase(input, options)
        , m_threads(options.threads > 0 ? options.threads : at::get_num_threads())
    {
        const torch::Tensor table = embedding().contiguous();
        const float* rows = table.data_ptr<float>();
        // The plain loops also trace the signal flow on CUDA: one recipe, where a batched pass gains nothing.
        if (options.precision == Precision::Float32) {
            m_model32 = std::make_unique<CollapsedModel<float>>(
                rows, input.tokens(), input.steps(), input.batchSize(), options.weights);
        } else {
            m_model64 = std::make_unique<CollapsedModel<double>>(
                rows, input.tokens(), input.steps(), input.batchSize(), options.weights);
        }
        if (device().is_cuda() || options.fastBackend == FastBackend::Tensors) {
            try {
                c10::InferenceMode inferenceMode;
                m_tensors = std::make_unique<TensorModel>(rows, input.tokens(), input.steps(), input.batchSize(),
                    options.weights, torch::TensorOptions().device(device()).dtype(scalarType(options.precision)));
            } catch (const c10::Error& error) {
                rethrowAsRuntimeError(error, options);
            }
        }
    }

protected:
    int chunkSize() const override
    {
        if (options().chunkSize > 0)
            return options().chunkSize;
        return m_tensors ? kTensorRecipesPerChunk : kRecipesPerChunk;
    }

    void scoreChunk(const std::vector<Recipe>& recipes, std::vector<ArchScore>& results) override
    {
        if (m_tensors) {
            std::vector<std::vector<double>> outputs = forwardTensors(recipes);
            for (std::size_t n = 0; n < recipes.size(); ++n)
                results.push_back(finish(std::move(outputs[n]), std::move(outputs[recipes.size() + n])));
            return;
        }
        std::vector<ArchScore> scores(recipes.size());
        epsinas::detail::forEachOnThreads(
            recipes.size(), m_threads, [] { return 0; },
            [&](std::size_t i, int) { scores[i] = finish(forward(recipes[i], 0), forward(recipes[i], 1)); });
        for (ArchScore& score : scores)
            results.push_back(std::move(score));
    }

    std::optional<SignalFlow> traceValue(const Recipe& recipe) override
    {
        epsinas::detail::LayerTrace low, high;
        if (m_model32) {
            m_model32->forward(recipe, 0, &low);
            m_model32->forward(recipe, 1, &high);
        } else {
            m_model64->forward(recipe, 0, &low);
            m_model64->forward(recipe, 1, &high);
        }
        return epsinas::detail::LayerTrace::combine(low, high);
    }

private:
    std::vector<double> forward(const Recipe& recipe, int weightIndex) const
    {
        return m_model32 ? m_model32->forward(recipe, weightIndex) : m_model64->forward(recipe, weightIndex);
    }

    /**
     * The tensor form on `recipes`: the w_lo outputs of every recipe, then the w_hi ones. The halves of a split (when
     * the device runs out of memory) are joined per weight, so the order holds.
     */
    std::vector<std::vector<double>> forwardTensors(const std::vector<Recipe>& recipes) const
    {
        const auto forward = [this](const std::vector<Recipe>& part) {
            return m_tensors->forward(part).view({ 2, static_cast<std::int64_t>(part.size()), -1 });
        };
        const torch::Tensor outputs
            = epsinas::detail::forwardHalvingOnOutOfMemory(recipes, forward, /*itemDimension=*/1);
        return epsinas::detail::toDoubleRows(outputs.view({ 2 * outputs.size(1), outputs.size(2) }));
    }

    int m_threads;
    std::unique_ptr<TensorModel> m_tensors;
    std::unique_ptr<CollapsedModel<float>> m_model32;
    std::unique_ptr<CollapsedModel<double>> m_model64;
};

} // namespace

std::unique_ptr<Evaluator> makeFastEvaluator(const TokenBatch& input, const ScoreOptions& options)
{
    return std::make_unique<FastEvaluator>(input, options);
}

} // namespace epsinas::nlp::detail
