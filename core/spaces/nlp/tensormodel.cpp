// SPDX-License-Identifier: MIT
// The batched tensor form of the NAS-Bench-NLP hidden-unit collapse (see fast.cpp for the collapse, algorithm §4.1).
//
// Repeated sums: a linear term adds w·value `width` times (400 or 600) one after the other, as the reference's BLAS
// adds a row, and computing width × (w·value) in one rounding instead can flip the NaN status of a recipe whose
// outputs tie to the last bit (fast.cpp). Adding p n times is scale-invariant: multiplying p by 2^k multiplies every
// partial sum by 2^k, whose rounding to 24 significant bits is then the same (partial sums below 2^-126, where floats
// have fewer bits, are exact either way). So the sum depends only on the mantissa of |p|, and a table of the repeated
// sums of all 2^23 float mantissas in [0.5, 1), built on the device once per width by the very additions the loops
// make, gives every sum exactly: sum(p) = sign(p) · table[mantissa] · 2^exponent. In float64 (itself a labelled
// departure from the reference) 2^52 mantissas do not fit a table and `width` launches per term would cost more than
// the pass: the sum is width × p in one rounding, which differs from the loops' sum by ~1e-13 relative.
#include "spaces/nlp/detail/tensormodel.h"

#include "score/detail/devicecopy.h"

#include "spaces/nlp/model.h"

#include <algorithm>
#include <cmath>
#include <mutex>

namespace epsinas::nlp::detail {

using epsinas::detail::toDevice;

namespace {

constexpr double kLeakyReluSlope = 0.01;
constexpr std::int64_t kMantissaBits = 23; // float32, without the implicit leading bit

/** Per step index s of a chunk: each row's op and operands, as device tensors; built once per chunk. */
struct StepPlan {
    std::array<torch::Tensor, 7> isOp; // [R, 1] bool per Op value; undefined where no row has that op
    std::vector<torch::Tensor> operand; // per operand position: [1, R, B] int64 bank slots, for gather
    std::vector<torch::Tensor> present; // per operand position: [R, 1] bool (rows with fewer operands: false)
    std::vector<torch::Tensor> readsInput; // per operand position: [R, 1] bool, the operand is x
    std::vector<bool> anyInput; // per operand position: some row reads x there
};

int opIndex(Op op)
{
    return static_cast<int>(op);
}

/** tanh or 1 / (1 + exp(-x)) of every element with the C library's functions, as the loops compute them. */
template <typename Real> torch::Tensor cLibraryActivation(Op op, const torch::Tensor& x)
{
    torch::Tensor y = x.contiguous().clone();
    Real* values = y.data_ptr<Real>();
    for (std::int64_t i = 0; i < y.numel(); ++i)
        values[i] = op == Op::Tanh ? std::tanh(values[i]) : Real(1) / (Real(1) + std::exp(-values[i]));
    return y;
}

/**
 * tanh or the sigmoid of every element. On the CPU with the C library's functions, as the loops compute them; on
 * CUDA with the device's (CUDA's tanhf and expf, which can round differently in the last bit: a recurrent cell can
 * amplify that, see docs/benchmarks.md).
 */
torch::Tensor activation(Op op, const torch::Tensor& x)
{
    if (x.is_cpu())
        return x.scalar_type() == torch::kFloat32 ? cLibraryActivation<float>(op, x)
                                                  : cLibraryActivation<double>(op, x);
    return op == Op::Tanh ? x.tanh() : x.neg().exp().add(1).reciprocal();
}

/** Per-recipe bank slots as per-row ones: the w_lo rows, then the w_hi rows. */
torch::Tensor bothWeights(const std::vector<std::int64_t>& perRecipe)
{
    const torch::Tensor once = torch::tensor(perRecipe, torch::kInt64);
    return torch::cat({ once, once });
}

/**
 * The repeated sums of every float32 mantissa for `width` additions, on `options`' device. Built once per device and
 * width for the process (64 MiB for both widths), since evaluators are made again on every change of settings.
 */
torch::Tensor repeatedSumTable(int width, torch::TensorOptions options)
{
    static std::mutex mutex;
    static std::map<std::pair<std::string, int>, torch::Tensor> tables;
    const std::lock_guard<std::mutex> lock(mutex);
    torch::Tensor& table = tables[{ options.device().str(), width }];
    if (!table.defined()) {
        const std::int64_t first = std::int64_t { 1 } << kMantissaBits;
        // Every float in [0.5, 1): the integers 2^23 .. 2^24 - 1 (exact in float32) times 2^-24.
        const torch::Tensor mantissas = torch::arange(first, 2 * first, options.dtype(torch::kFloat32))
                                            .mul(std::ldexp(1.0, -static_cast<int>(kMantissaBits) - 1));
        table = torch::zeros_like(mantissas);
        for (int j = 0; j < width; ++j)
            table.add_(mantissas);
    }
    return table;
}

} // namespace

TensorModel::TensorModel(const float* embedding, const std::vector<std::int64_t>& tokens, int steps, int batch,
    const WeightPair& weights, torch::TensorOptions options)
    : m_steps(steps)
    , m_batch(batch)
    , m_weights(weights)
    , m_options(options)
{
    std::vector<torch::Tensor> terms;
    for (double w : { weights.low, weights.high }) {
        if (options.dtype() == torch::kFloat32) {
            std::vector<float> values = firstLayerInputTerms<float>(embedding, tokens, w);
            terms.push_back(torch::tensor(values, torch::kFloat32));
        } else {
            std::vector<double> values = firstLayerInputTerms<double>(embedding, tokens, w);
            terms.push_back(torch::tensor(values, torch::kFloat64));
        }
    }
    m_inputTerms = torch::stack(terms).view({ 2, steps, batch }).to(options.device());
    if (options.dtype() == torch::kFloat32)
        for (int width : { kEmbeddingSize, kHiddenSize })
            m_tables[width] = repeatedSumTable(width, options);
}

torch::Tensor TensorModel::repeatedSum(const torch::Tensor& values, int width) const
{
    if (m_tables.empty())
        return values.mul(static_cast<double>(width));
    const torch::Tensor magnitude = values.abs();
    const torch::Tensor usable = magnitude.isfinite().logical_and(magnitude.ne(0));
    // Zeros, infinities and NaN sum to themselves (0, ±inf, NaN); every other value is read from the table.
    const torch::Tensor safe = torch::where(usable, magnitude, torch::ones_like(magnitude));
    const torch::Tensor mantissa = std::get<0>(torch::frexp(safe)); // in [0.5, 1), exact
    const torch::Tensor index = mantissa.mul(std::ldexp(1.0, static_cast<int>(kMantissaBits) + 1))
                                    .to(torch::kInt64)
                                    .sub(std::int64_t { 1 } << kMantissaBits);
    const torch::Tensor power = safe.div(mantissa); // 2^exponent, exact
    const torch::Tensor sum = m_tables.at(width).index_select(0, index.flatten()).view_as(values).mul(power);
    return torch::where(usable, torch::where(values.lt(0), sum.neg(), sum), values);
}

torch::Tensor TensorModel::forward(const std::vector<Recipe>& recipes) const
{
    const std::int64_t recipeCount = static_cast<std::int64_t>(recipes.size());
    const std::int64_t rows = 2 * recipeCount;
    const torch::Device device = m_options.device();
    int hiddenSlots = 0, stepCount = 0;
    for (const Recipe& recipe : recipes) {
        hiddenSlots = std::max(hiddenSlots, recipe.hiddenCount());
        stepCount = std::max(stepCount, static_cast<int>(recipe.steps().size()));
    }
    // The bank: slot 0 = x, slots 1..hiddenSlots = h_prev_k, then one slot per step.
    const int firstStepSlot = 1 + hiddenSlots;
    const auto slotOf = [&](const Operand& operand) -> std::int64_t {
        switch (operand.kind) {
        case Operand::Kind::Input:
            return 0;
        case Operand::Kind::Hidden:
            return 1 + operand.index;
        case Operand::Kind::Step:
            break;
        }
        return firstStepSlot + operand.index;
    };
    const auto rowMask = [&](const std::vector<std::uint8_t>& perRecipe) {
        std::vector<std::uint8_t> perRow(perRecipe);
        perRow.insert(perRow.end(), perRecipe.begin(), perRecipe.end());
        return toDevice(torch::tensor(perRow, torch::kBool).view({ rows, 1 }), device);
    };
    std::vector<StepPlan> plans(static_cast<std::size_t>(stepCount));
    for (int s = 0; s < stepCount; ++s) {
        StepPlan& plan = plans[s];
        std::size_t operands = 0;
        for (const Recipe& recipe : recipes)
            if (s < static_cast<int>(recipe.steps().size()))
                operands = std::max(operands, recipe.steps()[s].operands.size());
        for (Op op :
            { Op::Linear, Op::Blend, Op::ElementwiseProd, Op::ElementwiseSum, Op::Tanh, Op::Sigmoid, Op::LeakyRelu }) {
            std::vector<std::uint8_t> has(recipes.size());
            for (std::size_t n = 0; n < recipes.size(); ++n)
                has[n] = s < static_cast<int>(recipes[n].steps().size()) && recipes[n].steps()[s].op == op;
            if (std::find(has.begin(), has.end(), 1) != has.end())
                plan.isOp[opIndex(op)] = rowMask(has);
        }
        for (std::size_t i = 0; i < operands; ++i) {
            std::vector<std::int64_t> slots(recipes.size(), 0);
            std::vector<std::uint8_t> present(recipes.size()), input(recipes.size());
            for (std::size_t n = 0; n < recipes.size(); ++n) {
                if (s >= static_cast<int>(recipes[n].steps().size()))
                    continue;
                const std::vector<Operand>& in = recipes[n].steps()[s].operands;
                if (i < in.size()) {
                    slots[n] = slotOf(in[i]);
                    present[n] = 1;
                    input[n] = in[i].kind == Operand::Kind::Input;
                }
            }
            plan.operand.push_back(
                toDevice(bothWeights(slots), device).view({ 1, rows, 1 }).expand({ 1, rows, m_batch }));
            plan.present.push_back(rowMask(present));
            plan.readsInput.push_back(rowMask(input));
            plan.anyInput.push_back(std::find(input.begin(), input.end(), 1) != input.end());
        }
    }
    // Which step gives h_new_k of each row (rows of recipes with fewer hidden states repeat their last).
    std::vector<torch::Tensor> outputSlots;
    for (int k = 0; k < hiddenSlots; ++k) {
        std::vector<std::int64_t> slots;
        for (const Recipe& recipe : recipes)
            slots.push_back(firstStepSlot + recipe.outputs()[std::min(k, recipe.hiddenCount() - 1)]);
        outputSlots.push_back(toDevice(bothWeights(slots), device).view({ 1, rows, 1 }).expand({ 1, rows, m_batch }));
    }

    // Per row: its weight, in the evaluation precision, and its weight's first-layer input terms.
    const torch::Tensor w = torch::cat({ torch::full({ recipeCount, 1 }, m_weights.low, m_options),
        torch::full({ recipeCount, 1 }, m_weights.high, m_options) });
    const torch::Tensor inputTerms = m_inputTerms.repeat_interleave(recipeCount, 0); // [R, steps, batch]
    const torch::Tensor slope = torch::full({}, kLeakyReluSlope, m_options);
    torch::Tensor bank = torch::zeros({ firstStepSlot + stepCount, rows, m_batch }, m_options);
    torch::Tensor layerInput = torch::zeros({ m_steps, rows, m_batch }, m_options);
    torch::Tensor layerOutput = torch::empty_like(layerInput);
    for (int layer = 0; layer < kLayerCount; ++layer) {
        bank.narrow(0, 1, hiddenSlots).copy_(w.unsqueeze(0).expand({ hiddenSlots, rows, m_batch }));
        for (int t = 0; t < m_steps; ++t) {
            if (layer > 0)
                bank[0].copy_(layerInput[t]);
            for (int s = 0; s < stepCount; ++s) {
                const StepPlan& plan = plans[s];
                std::vector<torch::Tensor> in;
                for (const torch::Tensor& slots : plan.operand)
                    in.push_back(bank.gather(0, slots).squeeze(0));
                // W·in for one input: w·value added `width` times, every unit alike.
                const auto linearTerm = [&](std::size_t i) {
                    const torch::Tensor product = w.mul(in[i]);
                    const int hidden = hiddenSize(layer);
                    const torch::Tensor fromState = repeatedSum(product, hidden);
                    if (!plan.anyInput[i])
                        return fromState;
                    const torch::Tensor fromInput
                        = layer == 0 ? inputTerms.select(1, t) : repeatedSum(product, inputSize(layer));
                    return torch::where(plan.readsInput[i], fromInput, fromState);
                };
                torch::Tensor out;
                const auto choose = [&](Op op, const torch::Tensor& value) {
                    out = out.defined() ? torch::where(plan.isOp[opIndex(op)], value, out) : value;
                };
                if (plan.isOp[opIndex(Op::Linear)].defined()) {
                    // As MultiLinear adds: W_0·in_0 + b first, then W_i·in_i in input order.
                    torch::Tensor sum = linearTerm(0).add(w);
                    for (std::size_t i = 1; i < in.size(); ++i)
                        sum = torch::where(plan.present[i], sum.add(linearTerm(i)), sum);
                    choose(Op::Linear, sum);
                }
                if (plan.isOp[opIndex(Op::Blend)].defined())
                    choose(Op::Blend, in[0].mul(in[1]).add(in[0].neg().add(1).mul(in[2])));
                if (plan.isOp[opIndex(Op::ElementwiseProd)].defined())
                    choose(Op::ElementwiseProd, in[0].mul(in[1]));
                if (plan.isOp[opIndex(Op::ElementwiseSum)].defined())
                    choose(Op::ElementwiseSum, in[0].add(in[1]));
                if (plan.isOp[opIndex(Op::Tanh)].defined())
                    choose(Op::Tanh, activation(Op::Tanh, in[0]));
                if (plan.isOp[opIndex(Op::Sigmoid)].defined())
                    choose(Op::Sigmoid, activation(Op::Sigmoid, in[0]));
                if (plan.isOp[opIndex(Op::LeakyRelu)].defined())
                    choose(Op::LeakyRelu, torch::where(in[0].gt(0), in[0], in[0].mul(slope)));
                bank[firstStepSlot + s].copy_(out);
            }
            std::vector<torch::Tensor> hidden;
            for (const torch::Tensor& slots : outputSlots)
                hidden.push_back(bank.gather(0, slots).squeeze(0));
            for (int k = 0; k < hiddenSlots; ++k)
                bank[1 + k].copy_(hidden[k]);
            layerOutput[t].copy_(hidden[0]);
        }
        std::swap(layerInput, layerOutput);
    }
    return layerInput.permute({ 1, 0, 2 }).reshape({ rows, m_steps * m_batch });
}

} // namespace epsinas::nlp::detail
