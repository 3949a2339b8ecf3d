// SPDX-License-Identifier: MIT
#include "spaces/nlp/space.h"

#include "spaces/nlp/detail/internal.h"
#include "spaces/nlp/mutation.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <filesystem>

namespace epsinas::nlp {

namespace detail {

namespace {

constexpr std::uint64_t kEmbeddingSeed = 21;

/**
 * U(0, 1) drawn on the CPU from a generator seeded with 21: the same Mersenne Twister stream as
 * torch.manual_seed(21) followed by uniform_ in PyTorch (algorithm §1.2, §5), without touching the global generator
 * that other code may be drawing from.
 */
torch::Tensor drawEmbedding()
{
    at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(kEmbeddingSeed);
    return torch::empty({ kVocabularySize, kEmbeddingSize }, torch::kFloat32).uniform_(0, 1, generator);
}

} // namespace

EvaluatorBase::EvaluatorBase(const TokenBatch& input, const ScoreOptions& options)
    : EvaluatorFrame(options)
    , m_input(input)
    , m_embedding(drawEmbedding())
{
}

std::string stepLayer(int layer, int step)
{
    return "layer " + std::to_string(layer) + ", step " + std::to_string(step);
}

} // namespace detail

std::int64_t parameterCount(const Recipe& recipe)
{
    // The decoder's weight is the embedding (tied), but its bias is its own.
    std::int64_t count = std::int64_t { kVocabularySize } * kEmbeddingSize + kVocabularySize;
    for (int layer = 0; layer < kLayerCount; ++layer) {
        const std::int64_t hidden = hiddenSize(layer);
        for (const Step& step : recipe.steps()) {
            if (step.op != Op::Linear)
                continue;
            count += hidden;
            for (const Operand& operand : step.operands)
                count += hidden * (operand.kind == Operand::Kind::Input ? inputSize(layer) : hidden);
        }
    }
    return count;
}

std::int64_t flops(const Recipe& recipe)
{
    // The decoder's matrix product; the embedding is a lookup.
    std::int64_t count = std::int64_t { kVocabularySize } * kEmbeddingSize;
    for (int layer = 0; layer < kLayerCount; ++layer) {
        const std::int64_t hidden = hiddenSize(layer);
        for (const Step& step : recipe.steps())
            if (step.op == Op::Linear)
                for (const Operand& operand : step.operands)
                    count += hidden * (operand.kind == Operand::Kind::Input ? inputSize(layer) : hidden);
    }
    return count;
}

namespace {

// The most recipes one sample() draws: a bound on what a request allocates.
constexpr std::size_t kMaxSample = 100000;
// Recipes drawn for parameterRange(): enough to span the range, cheap enough for a colour scale.
constexpr std::size_t kParameterRangeRecipes = 500;
// Recipes per evaluator call and store transaction in long runs: seconds of the fast path; a reference recipe
// takes seconds to minutes, so each is stored as soon as it is done.
constexpr std::size_t kFastRunChunk = 64;

class NlpSpace final : public SearchSpace {
public:
    std::string key() const override { return "nlp"; }
    std::string name() const override { return "NAS-Bench-NLP"; }
    std::string unitName(bool plural) const override { return plural ? "recipes" : "recipe"; }
    WeightPair defaultWeights() const override { return kDefaultWeights; }
    InputKind inputKind() const override { return InputKind::Tokens; }

    /** A recipe object, or the name of an example (what the paper's search space module calls them). */
    Arch parse(std::string_view text) const override
    {
        return toArch(text.find('{') == std::string_view::npos ? Recipe::example(text) : Recipe::parseJson(text));
    }
    std::string format(const Arch& arch) const override { return recipeOf(arch).toJson(); }
    std::vector<NamedArch> readFile(const std::string& path) const override
    {
        std::vector<NamedArch> recipes;
        for (NamedRecipe& named : readRecipeFile(path))
            recipes.push_back({ std::move(named.id), toArch(named.recipe) });
        return recipes;
    }
    std::vector<NamedArch> examples() const override
    {
        std::vector<NamedArch> recipes;
        for (const char* name : { "rnn", "lstm", "gru" })
            recipes.push_back({ name, toArch(Recipe::example(name)) });
        return recipes;
    }
    /** The LSTM cell of the benchmark's examples. */
    Arch startArch() const override { return toArch(Recipe::example("lstm")); }
    std::string syntaxHelp() const override
    {
        return "  a recipe as one JSON object {\"node\": {\"op\": \"linear\", \"input\": [\"x\", \"h_prev_0\"]}, ...}, "
               "or the\n"
               "  name of an example cell of NAS-Bench-NLP: rnn | lstm | gru (--recipe NAME); recipe files\n"
               "  (--recipe-file) are JSON Lines ({\"recepie_id\": N, \"recipe\": {...}} per line, e.g. recipes.jsonl) "
               "or\n"
               "  a .json file with one such object, an array of them, or a bare recipe object\n";
    }
    std::vector<std::pair<std::string, std::string>> optionAliases() const override
    {
        return { { "recipe", "arch" }, { "recipe-file", "arch-file" } };
    }

    std::string usageNotes() const override
    {
        return "arch is the recipe id (recepie_id, the example name, 'sample-I', or the position in a file without\n"
               "ids). Identical recipes are scored once; a store keeps them under their one-line JSON, which\n"
               "'epsinas export' writes as arch. params counts the trainable parameters of the PTB model around the\n"
               "recipe, as NAS-Bench-NLP's ptb_num_params does. Correlate with PTB test loss (lower is better, so a\n"
               "good score correlates negatively):\n"
               "  epsinas correlate --scores S.csv --bench ptb_final_test_losses.csv --bench-key recepie_id \\\n"
               "      --target ptb_test_loss_final --lower-is-better\n";
    }

    std::vector<Arch> sample(std::size_t count, std::uint64_t seed) const override
    {
        RecipeGenerator generator(seed);
        std::vector<Arch> recipes;
        recipes.reserve(count);
        for (std::size_t i = 0; i < count; ++i)
            recipes.push_back(toArch(generator.next()));
        return recipes;
    }
    std::size_t sampleLimit() const override { return kMaxSample; }

    bool mutates() const override { return true; }
    std::vector<Arch> mutants(const Arch& arch) const override { return toArchs(oneStepMutants(recipeOf(arch))); }

    std::int64_t parameterCount(const Arch& arch) const override { return nlp::parameterCount(recipeOf(arch)); }
    std::optional<std::int64_t> flops(const Arch& arch) const override { return nlp::flops(recipeOf(arch)); }

    std::unique_ptr<Evaluator> makeEvaluator(const ScoringInput& input, const ScoreOptions& options) const override
    {
        if (!input.tokens)
            throw std::invalid_argument("NAS-Bench-NLP networks read tokens, not images");
        if (options.evaluator == EvaluatorKind::Reference)
            return detail::makeReferenceEvaluator(*input.tokens, options);
        return detail::makeFastEvaluator(*input.tokens, options);
    }
    std::size_t runChunk(const ScoreOptions& options) const override
    {
        return options.evaluator == EvaluatorKind::Reference ? 1 : kFastRunChunk;
    }

    bool labelsRowsById() const override { return true; }

    // Tables name recipes by recepie_id only; the recipes themselves ship as recipes.jsonl beside them.
    std::string tableKeyColumn() const override { return "recepie_id"; }
    std::string tableKey(const NamedArch& named) const override { return named.id; }
    std::vector<NamedArch> tableArchs(const std::string& path, const std::vector<std::string>&) const override
    {
        const std::filesystem::path recipes = std::filesystem::path(path).parent_path() / "recipes.jsonl";
        std::error_code error;
        if (!std::filesystem::exists(recipes, error))
            return {};
        return readFile(recipes.string());
    }
    std::vector<std::string> targetHints() const override { return { "test_loss", "loss" }; }
    // Parameter counts depend only on the linear nodes; generated recipes span the benchmark's range.
    std::pair<std::int64_t, std::int64_t> parameterRange() const override
    {
        const std::vector<Arch> recipes = sample(kParameterRangeRecipes, /*seed=*/1);
        std::int64_t low = parameterCount(recipes.front());
        std::int64_t high = low;
        for (const Arch& recipe : recipes) {
            low = std::min(low, parameterCount(recipe));
            high = std::max(high, parameterCount(recipe));
        }
        return { low, high };
    }
    std::vector<std::string> csvColumns() const override
    {
        return { "arch", "score", "mae", "mean", "params", "flops", "nan_reason" };
    }

    /**
     * NAS-Bench-NLP/epsinas_utils.py: a score of exactly 0 is NaN, and its compute_stats(maximize=False) ranks a loss
     * (lower is better).
     */
    StatisticsReference statisticsReference() const override { return { key(), name(), ScoreRule::ZeroIsNan, true }; }
};

} // namespace

const SearchSpace& space()
{
    static const NlpSpace instance;
    return instance;
}

Arch toArch(const Recipe& recipe)
{
    return Arch(space(), recipe);
}

std::vector<Arch> toArchs(const std::vector<Recipe>& recipes)
{
    std::vector<Arch> archs;
    archs.reserve(recipes.size());
    for (const Recipe& recipe : recipes)
        archs.push_back(toArch(recipe));
    return archs;
}

const Recipe& recipeOf(const Arch& arch)
{
    return arch.value<Recipe>();
}

} // namespace epsinas::nlp
