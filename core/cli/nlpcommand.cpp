// SPDX-License-Identifier: MIT
// `epsinas score --space nlp`: NAS-Bench-NLP recipes through the NLP evaluators.
#include "cli/arguments.h"
#include "cli/commands.h"
#include "cli/csvwriter.h"
#include "cli/progress.h"
#include "cli/scorearguments.h"
#include "cli/scorerun.h"

#include "cells/inputfile.h"
#include "cells/nlprecipe.h"
#include "score/nlpevaluator.h"

#include <cstdio>
#include <map>

namespace epsinas::cli {

namespace {

// Recipes one --sample draws at most: each is kept in memory, and a fast run scores about a hundred a second.
constexpr long long kMaxSampledRecipes = 100000;

const char* const kNlpUsage
    = R"(usage: epsinas score --space nlp (--recipe-file FILE | --recipe NAME | --sample N[:SEED]) ... [options]

  --recipe-file FILE    recipes as JSON Lines ({"recepie_id": N, "recipe": {...}} per line, e.g. recipes.jsonl) or
                        a .json file with one such object, an array of them, or a bare recipe object
  --recipe NAME         an example cell of NAS-Bench-NLP: rnn | lstm | gru (repeatable)
  --sample N[:SEED]     N (at most 100,000) random cells drawn by the benchmark generator's rules (seed 0 by default)
  --input SPEC          synthetic (default: token (t*B+b)*7919 mod 10000) | ptb:FILE[,FILE...] (tokenised in this
                        order, first 70 rows of the stream batchified into B columns)
  --batch N             columns of the token batch (256; at most 65536)
  --weights LO,HI       the two constant weights (1e-5,1e-3; other pairs depart from the reference)
  --precision P         fp32 (reference) | fp64 (departure)
  --evaluator E         fast (exact hidden-unit collapse, default) | reference (the full LSTM-sized model)
  --device D            cpu (default) | cuda (reference only; the fast path runs on CPU threads)
  --threads N           CPU threads (default: all cores; at most 4 per hardware thread)
  --out FILE            CSV destination (default: stdout); written whole or not at all
  --store FILE          SQLite result store: reuse stored scores, store new ones as they are done (resumable)
  --shard I/N           score only the I-th (0-based) of N disjoint slices of the requested recipes

Sources may be combined; rows (and shard positions) follow the order file, examples, samples. arch is the recipe id
(recepie_id, the example name, 'sample-I', or the position in a file without ids). Identical recipes are scored
once; a store keeps them under their one-line JSON, which 'epsinas export' writes as arch.
CSV columns: arch,score,mae,mean,params,nan_reason (NaN written 'nan', %.9g); params counts the trainable
parameters of the PTB model around the recipe, as NAS-Bench-NLP's ptb_num_params does.
Correlate with PTB test loss (lower is better, so a good score correlates negatively):
  epsinas correlate --scores S.csv --bench ptb_final_test_losses.csv --bench-key recepie_id \
      --target ptb_test_loss_final --lower-is-better
)";

std::vector<nlp::NamedRecipe> sampledRecipes(const std::string& text)
{
    const std::size_t colon = text.find(':');
    const std::string countText = text.substr(0, colon);
    const std::string seedText = colon == std::string::npos ? "0" : text.substr(colon + 1);
    std::size_t countUsed = 0, seedUsed = 0;
    long long count = 0;
    unsigned long long seed = 0;
    try {
        count = std::stoll(countText, &countUsed);
        seed = std::stoull(seedText, &seedUsed);
    } catch (const std::exception&) {
        countUsed = 0;
    }
    if (countUsed == 0 || countUsed != countText.size() || seedUsed != seedText.size() || count < 1
        || seedText[0] == '-')
        throw UsageError("--sample expects N or N:SEED with N >= 1, got '" + excerpt(text) + "'");
    if (count > kMaxSampledRecipes)
        throw UsageError(
            "--sample draws at most " + std::to_string(kMaxSampledRecipes) + " recipes, got " + std::to_string(count));
    nlp::RecipeGenerator generator(seed);
    std::vector<nlp::NamedRecipe> recipes;
    for (long long i = 0; i < count; ++i)
        recipes.push_back({ "sample-" + std::to_string(i), generator.next() });
    return recipes;
}

std::vector<nlp::NamedRecipe> requestedRecipes(const Arguments& args)
{
    std::vector<nlp::NamedRecipe> recipes;
    try {
        for (const std::string& path : args.values("recipe-file")) {
            std::vector<nlp::NamedRecipe> file = nlp::readRecipeFile(path);
            recipes.insert(recipes.end(), file.begin(), file.end());
        }
        for (const std::string& name : args.values("recipe"))
            recipes.push_back({ name, nlp::Recipe::example(name) });
    } catch (const nlp::RecipeError& error) {
        throw UsageError(error.what());
    }
    for (const std::string& sample : args.values("sample")) {
        std::vector<nlp::NamedRecipe> drawn = sampledRecipes(sample);
        recipes.insert(recipes.end(), drawn.begin(), drawn.end());
    }
    if (recipes.empty())
        throw UsageError(
            "give at least one of --recipe-file, --recipe, --sample (see epsinas score --space nlp --help)");
    return recipes;
}

} // namespace

int scoreNlpCommand(const std::vector<std::string>& argv)
{
    const Arguments args(argv,
        { "space", "recipe-file", "recipe", "sample", "input", "batch", "weights", "precision", "evaluator", "device",
            "threads", "out", "store", "shard" },
        { "help" });
    if (args.has("help")) {
        std::fputs(kNlpUsage, stdout);
        return 0;
    }
    args.rejectPositional();
    const std::string space = "nlp";

    const std::vector<nlp::NamedRecipe> named = shardSlice(requestedRecipes(args), args);
    const ScoreOptions options = scoreOptions(args, nlp::kDefaultWeights);
    nlp::TokenSpec spec = nlp::TokenSpec::parse(args.value("input", "synthetic"));
    spec.batch = args.intValue("batch", 256, 1, nlp::kMaxTokenColumns);
    const nlp::TokenBatch input = nlp::TokenBatch::load(spec);
    // Open the output before the long work, so a bad path fails now rather than after the scoring.
    CsvWriter out(args.value("out", "-"), runFiles(args, input.spec().paths));

    // Identical recipes (the benchmark has ids that share one) are scored once; the CSV has one row per request.
    DistinctForms<nlp::Recipe> forms;
    for (const nlp::NamedRecipe& entry : named)
        forms.add(entry.recipe.toJson(), entry.recipe);
    const auto evaluator = nlp::makeEvaluator(input, options);
    // A reference recipe takes seconds to minutes, so each is stored as soon as it is done; the fast path does tens
    // to hundreds a second.
    const std::size_t chunkSize = options.evaluator == EvaluatorKind::Reference ? 1 : 64;
    const ScoringRun run { space, input.fingerprint(), options, storeOption(args), chunkSize };
    ProgressReporter progress("scoring", 0);
    std::size_t done = 0;
    const auto scores = forms.score(*evaluator, run, progress, done);
    if (!scores)
        return 130;

    std::size_t nanCount = 0;
    out.row({ "arch", "score", "mae", "mean", "params", "nan_reason" });
    for (const nlp::NamedRecipe& entry : named) {
        const CellScore& score = scores->at(entry.recipe.toJson());
        nanCount += score.isNan() ? 1 : 0;
        out.row({ entry.id, formatNumber(score.score), formatNumber(score.mae), formatNumber(score.mean),
            std::to_string(nlp::parameterCount(entry.recipe)), score.nanReason });
    }
    out.commit();
    progress.finish("scored " + std::to_string(named.size()) + " recipes (" + std::to_string(scores->size())
        + " distinct, " + std::to_string(done) + " computed), " + std::to_string(nanCount) + " NaN");
    return 0;
}

} // namespace epsinas::cli
