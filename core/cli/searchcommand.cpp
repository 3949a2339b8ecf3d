// SPDX-License-Identifier: MIT
#include "cli/arguments.h"
#include "cli/commands.h"
#include "cli/csvwriter.h"
#include "cli/progress.h"
#include "cli/scorearguments.h"
#include "cli/scorerun.h"

#include "io/inputfile.h"
#include "run/batch.h"
#include "search/evolution.h"
#include "search/randomsearch.h"
#include "space/parseerror.h"
#include "spaces/spaces.h"
#include "stats/benchmarktable.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

namespace epsinas::cli {

namespace {

// The ageing-evolution strategies: plain, with the zero-cost warm-up, with the zero-cost mutation filter, and both.
constexpr const char* kEvolutionStrategies[]
    = { "evolution", "evolution-warmup", "evolution-zc-mutation", "evolution-both" };
// The options only ageing evolution reads.
constexpr const char* kEvolutionOptions[]
    = { "population", "tournament", "queries", "warmup", "mutations", "select-by" };
// W when a warm-up strategy is not given --warmup: the paper's Integration.ipynb scores 3,000 architectures.
constexpr int kDefaultWarmup = 3000;
// M when a zero-cost-mutation strategy is not given --mutations (our choice; the notebook's value is not known here).
constexpr int kDefaultMutations = 10;
// The options of epsinas score that score the candidates on the fly, when no --scores file gives their scores.
constexpr const char* kScoringOptions[] = { "input", "batch", "offset", "image-size", "weights", "precision",
    "evaluator", "device", "threads", "chunk", "store" };
// The ones only image inputs read.
constexpr const char* kImageOptions[] = { "offset", "image-size" };

std::string searchUsage()
{
    return R"(usage: epsinas search --strategy random (--scores FILE | scoring options) --bench FILE --target COLUMN
                      [options]
       epsinas search --strategy evolution|evolution-warmup|evolution-zc-mutation|evolution-both
                      (--scores FILE | scoring options) --bench FILE --select-by COLUMN --target COLUMN [options]

Random search with a zero-cost score (the paper's table of "the top-scored of N random architectures"): each run
draws N of the scored architectures of the benchmark table without replacement and picks the one with the highest
score (a NaN score never wins); the table's target judges the pick. Ageing evolution (Real et al. 2019) "trains"
an architecture by looking up --select-by, one query per new architecture, and reports the --target of the best one
found; the warm-up and zero-cost-mutation strategies use the score. A mutation is the space's own step (NB201: one
edge's op; NB101: one op or one edge; nlp: one node's op or one input) to another candidate of the table; a small
table holds few of an architecture's mutants, and one without any there is never mutated. NB101 and nlp read the
architectures beside their keys (adjacency and ops columns; recipes.jsonl). docs/search.md describes both. The
scores come from a CSV (--scores) or, without one, from scoring the table's architectures with the options of
epsinas score.

  --space SPACE         how the tables' arch columns are read (default )"
        + spaceRegistry().all().front()->key() + "; " + spaceRegistry().keyList() + R"()
  --strategy NAME       random (default), evolution, evolution-warmup, evolution-zc-mutation, evolution-both
  --samples N           architectures drawn per run (default 1000; at most the table's candidates)
  --runs R              independent runs (default 500, evolution 100; at most )"
        + std::to_string(search::kMaxRandomSearchRuns) + R"()
  --seed S              run r draws from a generator seeded by (S, r) (default 0)
  --scores FILE         a CSV of precomputed scores with an arch column (e.g. from epsinas score, or the authors'
                        released nb201_epsinas_reference_scores.csv)
  --score-column NAME   the score column (default: score), e.g. epsinas_cifar10
  --join COLUMN         the column of --scores matched against the arch column of --bench (default: the scores
                        file's arch column), e.g. arch_index
  --input, --batch, --offset, --image-size, --weights, --precision, --evaluator, --device, --threads, --chunk,
  --store               without --scores: score the candidates first, as epsinas score --space SPACE does with
                        these options (defaults: the reference's; see epsinas score --space SPACE --help); --store
                        keeps the scores for the next search and for epsinas score
  --bench FILE          the benchmark table: its architectures (the first row of each) that have a finite target
                        and a score (from a row in --scores, whose score may be NaN, or computed) are the candidates
  --bench-key COLUMN    the arch column of --bench (default: detected; without --scores the space's table key,
                        e.g. hash for nb101, recepie_id for nlp), e.g. arch_index
  --target COLUMN       the numeric column of --bench that judges the pick (e.g. cifar10_oritest_200ep_nb201)
  --lower-is-better     the target is a loss: the optimum is the lowest target
  --population P        evolution: the population (default 10)
  --tournament K        evolution: members sampled per tournament, the best by --select-by is the parent
                        (default 5, or P if smaller)
  --queries Q           evolution: the budget of queries (lookups of new architectures; default 300)
  --warmup W            evolution-warmup/-both: random architectures scored (no queries), the P best start the
                        population (default 3000)
  --mutations M         evolution-zc-mutation/-both: mutations proposed per child, the best-scored is kept
                        (default 10)
  --select-by COLUMN    evolution: the numeric column of --bench that training yields (e.g.
                        cifar10valid_xvalid_200ep_nb201); selection uses it, --target only reports
  --trajectory FILE     random: a CSV, per query q = 1..N: mean and std over runs of the best target among the first q
                        draws (optimum_*) and of the target of the best-scored among them (chosen_*); written whole
                        or not at all; evolution: per query q = 1..Q, mean and std over runs of the target of
                        the best-by-select-by architecture queried so far (chosen_*)

Random search prints key=value lines: strategy, samples, runs, seed, score_source (the --scores file, or
"computed"), scored_now (distinct forms scored by this run, not read from --store; 0 with --scores), candidates,
unscored (candidates whose score is NaN), unmatched (table architectures with a target but no score row, or none
that can be scored: not candidates), runs_without_choice (draws without a scored candidate, left out of chosen_*),
chosen_mean, chosen_std (the pick's target), optimum_mean, optimum_std (the best target of each draw), random_mean,
random_std (the first drawn architecture: one uniformly random one per draw), chosen_rank_mean (1 + the drawn
architectures with a better target than the pick), target, target_order, std (the convention), duplicate_scores,
duplicate_bench.
Evolution prints strategy, population, tournament, queries, warmup, mutations, runs, seed, score_source, scored_now,
candidates, unscored, unmatched, runs_short (runs that found fewer than Q new architectures), queries_mean,
chosen_mean, chosen_std (the target of the best-by-select-by architecture queried), optimum_mean, optimum_std (the
best target of all candidates; std 0), random_mean, random_std (each run's first drawn architecture),
chosen_rank_mean (1 + the candidates with a better target), select_by, target, target_order, std, duplicate_scores,
duplicate_bench.
)";
}

/**
 * Where a search's scores come from: the --scores file, or the space's evaluator with the options of epsinas score,
 * which are read (and the input batch loaded) before any long work, so that a bad option fails at once.
 */
struct ScoreSource {
    /** The input batch when scoring on the fly; nullopt with --scores. */
    std::optional<ScoringInput> input;
    ScoreOptions options;
    /** Every file the search reads or keeps, which --trajectory must never replace. */
    std::vector<std::string> files;
};

ScoreSource scoreSource(const Arguments& args, const SearchSpace& space)
{
    ScoreSource source;
    source.files = { args.value("bench") };
    if (args.has("scores")) {
        for (const char* option : kScoringOptions)
            if (args.has(option))
                throw UsageError(std::string("--") + option
                    + " applies when the search scores its candidates itself, not with --scores");
        source.files.push_back(args.value("scores"));
        return source;
    }
    for (const char* option : { "score-column", "join" })
        if (args.has(option))
            throw UsageError(std::string("--") + option + " reads a --scores file, which is not given");
    if (space.inputKind() != InputKind::Images)
        for (const char* option : kImageOptions)
            if (args.has(option))
                throw UsageError(
                    std::string("--") + option + " applies to image inputs; " + space.name() + " reads tokens");
    source.options = scoreOptions(args, space.defaultWeights());
    source.input = ScoringInput::load(space.inputKind(), inputRequest(args, space.inputKind()));
    const std::vector<std::string> files = runFiles(args, inputFiles(*source.input));
    source.files.insert(source.files.end(), files.begin(), files.end());
    return source;
}

/**
 * The --trajectory file's writer, or none: its destination is checked (and locked) before any work, and is never
 * one of the files the search reads or keeps.
 */
std::unique_ptr<CsvWriter> openTrajectory(const Arguments& args, const ScoreSource& source)
{
    if (!args.has("trajectory"))
        return nullptr;
    return std::make_unique<CsvWriter>(args.value("trajectory"), source.files);
}

/** Whether every architecture field of `table` names one of the space's architectures (rather than an id). */
bool namesArchitectures(const BenchmarkTable& table, const SearchSpace& space)
{
    for (const std::string& arch : table.archs())
        if (!arch.empty() && !space.tableFieldKey(arch))
            return false;
    return true;
}

/**
 * The architecture each row of `bench` names, nullopt for a row that names none: where the space's tables hold keys
 * only (an NB101 hash, an NLP recipe id), the architectures tableArchs() reads (from the table's columns or a file
 * beside it), joined by tableKey(); else the row's own text, parsed, from the arch column or, when that holds ids
 * (e.g. --bench-key arch_index), from the column the table detects.
 */
std::vector<std::optional<Arch>> benchArchitectures(
    const std::string& path, const BenchmarkTable& bench, const SearchSpace& space)
{
    const ArchKeys keys = tableKeys(space);
    std::vector<std::optional<Arch>> archs(bench.rowCount());
    const std::vector<NamedArch> listed = space.tableArchs(path, bench.columns());
    if (!listed.empty()) {
        std::unordered_map<std::string, Arch> byKey;
        for (const NamedArch& named : listed)
            byKey.emplace(archKey(space.tableKey(named), keys), named.arch);
        for (std::size_t row = 0; row < bench.rowCount(); ++row) {
            const auto found = byKey.find(archKey(bench.archs()[row], keys));
            if (found != byKey.end())
                archs[row] = found->second;
        }
        return archs;
    }
    std::optional<BenchmarkTable> texts;
    try {
        texts = namesArchitectures(bench, space) ? bench : BenchmarkTable::load(path, {}, keys);
    } catch (const std::runtime_error&) {
        // No column names architectures (e.g. a table of hashes alone): none can be read.
        return archs;
    }
    for (std::size_t row = 0; row < texts->rowCount() && row < archs.size(); ++row) {
        if (texts->archs()[row].empty())
            continue;
        try {
            archs[row] = space.parse(texts->archs()[row]);
        } catch (const ParseError&) {
            // A row that is no valid architecture keeps its targets for other uses; it cannot be a candidate.
        }
    }
    return archs;
}

/** The candidates of a search: the benchmark rows with a finite target and a score, each with its score. */
struct LoadedCandidates {
    search::Candidates candidates;
    std::size_t unscored = 0;
    /** Table rows with a target but no row in the scores file (or no architecture to score): not candidates. */
    std::size_t unmatched = 0;
    std::size_t duplicateScores = 0;
    std::size_t duplicateBench = 0;
    /** The --select-by value of each candidate, when given. */
    std::vector<double> selectBy;
    /** The row of --bench of each candidate. */
    std::vector<std::size_t> rows;
    /** What the scores are: the --scores file, or "computed". */
    std::string scoreSource;
    /** Distinct forms the evaluator scored in this run (not read from --store). */
    std::size_t scoredNow = 0;
    /** The architecture of each candidate, where it was asked for and could be read; what evolution mutates. */
    std::vector<std::optional<Arch>> archs;
};

/**
 * The candidates, their targets and their scores (read, or computed with the source's evaluator and kept in
 * --store), and, when scored here or `withArchitectures`, their architectures; nullopt when the user interrupted
 * the scoring (after telling them).
 */
std::optional<LoadedCandidates> loadCandidates(const Arguments& args, const SearchSpace& space,
    const ScoreSource& source, bool higherTargetIsBetter, bool withArchitectures)
{
    const ArchKeys keys = tableKeys(space);
    const bool precomputed = !source.input;
    std::optional<BenchmarkTable> scoresTable;
    const std::string scoreColumn = args.value("score-column", "score");
    if (precomputed) {
        scoresTable = BenchmarkTable::load(args.value("scores"), args.value("join"), keys);
        // Refuses an unknown score column by name before the join.
        scoresTable->column(scoreColumn);
    }
    const BenchmarkTable bench = BenchmarkTable::load(
        args.value("bench"), args.value("bench-key", precomputed ? std::string() : space.tableKeyColumn()), keys);
    const std::vector<double> allTargets = bench.column(args.value("target"));
    const std::vector<double> allSelect
        = args.has("select-by") ? bench.column(args.value("select-by")) : std::vector<double>(bench.rowCount(), 0.0);

    // One candidate per architecture: the first row of each key in both files, as epsinas correlate pairs them.
    std::vector<bool> isDuplicate(bench.rowCount(), false);
    for (std::size_t row : bench.duplicateRows())
        isDuplicate[row] = true;
    // An architecture the scores file has no row for was never scored, so it is no candidate (a table of the whole
    // space searched with scores of a subset searches the subset); a row with a NaN score was scored, and stays one.
    std::unordered_set<std::string> scored;
    std::vector<std::optional<Arch>> architectures;
    if (precomputed) {
        for (const std::string& arch : scoresTable->archs()) {
            if (!arch.empty())
                scored.insert(archKey(arch, keys));
        }
    }
    if (!precomputed || withArchitectures)
        architectures = benchArchitectures(args.value("bench"), bench, space);
    LoadedCandidates loaded;
    loaded.candidates.higherTargetIsBetter = higherTargetIsBetter;
    std::vector<std::string> archs;
    std::vector<Arch> toScore;
    for (std::size_t row = 0; row < bench.rowCount(); ++row) {
        if (isDuplicate[row] || bench.archs()[row].empty() || !std::isfinite(allTargets[row])
            || !std::isfinite(allSelect[row]))
            continue;
        const bool hasScore
            = precomputed ? scored.count(archKey(bench.archs()[row], keys)) > 0 : architectures[row].has_value();
        if (!hasScore) {
            ++loaded.unmatched;
            continue;
        }
        archs.push_back(bench.archs()[row]);
        if (!precomputed)
            toScore.push_back(*architectures[row]);
        if (!architectures.empty())
            loaded.archs.push_back(architectures[row]);
        loaded.candidates.targets.push_back(allTargets[row]);
        loaded.selectBy.push_back(allSelect[row]);
        loaded.rows.push_back(row);
    }
    if (archs.empty())
        throw UsageError(precomputed
                ? "no architecture of '" + excerpt(args.value("bench")) + "' with a target has a row in '"
                    + excerpt(args.value("scores")) + "' (check --join and --bench-key)"
                : "no row of '" + excerpt(args.value("bench")) + "' with a target names " + keys.what
                    + " that can be scored (check --bench-key)");
    loaded.duplicateBench = bench.duplicateRows().size();
    if (precomputed) {
        loaded.candidates.scores = scoresTable->lookup(archs, scoreColumn);
        loaded.duplicateScores = scoresTable->duplicateRows().size();
        loaded.scoreSource = args.value("scores");
    } else {
        run::Batch batch(toScore);
        const std::unique_ptr<Evaluator> evaluator = space.makeEvaluator(*source.input, source.options);
        ProgressReporter progress("scoring", 0);
        if (!runBatch(batch, *evaluator, run::runKey(space, *source.input, source.options), storeOption(args),
                space.runChunk(source.options), space.unitName(true), progress, loaded.scoredNow))
            return std::nullopt;
        progress.finish("scored " + std::to_string(toScore.size()) + " candidate " + space.unitName(true) + " ("
            + std::to_string(batch.forms().size()) + " distinct, " + std::to_string(loaded.scoredNow) + " computed)");
        for (std::size_t i = 0; i < toScore.size(); ++i)
            loaded.candidates.scores.push_back(batch.formOf(i).score.score);
        loaded.scoreSource = "computed";
    }
    for (double score : loaded.candidates.scores)
        loaded.unscored += std::isnan(score) ? 1 : 0;
    return loaded;
}

void printScoreSource(const LoadedCandidates& loaded)
{
    std::printf("score_source=%s\nscored_now=%zu\n", loaded.scoreSource.c_str(), loaded.scoredNow);
}

void writeEvolutionTrajectory(CsvWriter& writer, const search::EvolutionResult& result)
{
    writer.row({ "query", "chosen_mean", "chosen_std", "runs" });
    for (std::size_t i = 0; i < result.trajectory.size(); ++i) {
        const search::Summary& point = result.trajectory[i];
        writer.row(
            { std::to_string(i + 1), formatNumber(point.mean), formatNumber(point.std), std::to_string(point.n) });
    }
    writer.commit();
}

void writeTrajectory(CsvWriter& writer, const search::RandomSearchResult& result)
{
    writer.row({ "query", "optimum_mean", "optimum_std", "chosen_mean", "chosen_std", "chosen_runs" });
    for (std::size_t i = 0; i < result.trajectory.size(); ++i) {
        const search::TrajectoryPoint& point = result.trajectory[i];
        writer.row({ std::to_string(i + 1), formatNumber(point.optimum.mean), formatNumber(point.optimum.std),
            formatNumber(point.chosen.mean), formatNumber(point.chosen.std), std::to_string(point.chosen.n) });
    }
    writer.commit();
}

int evolutionCommand(const Arguments& args, const std::string& strategy, const SearchSpace& space)
{
    if (!space.mutates())
        throw UsageError("--strategy " + strategy + ": the " + space.key()
            + " space has no mutation yet, so only random search is offered for it");
    if (args.has("samples"))
        throw UsageError("--samples applies to random search; evolution's budget is --queries");
    if (!args.has("select-by"))
        throw UsageError("--select-by is required for evolution (the column training yields, e.g. a validation "
                         "accuracy; --target only reports)");
    const bool warmup = strategy == "evolution-warmup" || strategy == "evolution-both";
    const bool zeroCostMutation = strategy == "evolution-zc-mutation" || strategy == "evolution-both";
    if (!warmup && args.has("warmup"))
        throw UsageError("--warmup applies to evolution-warmup and evolution-both, not to " + strategy);
    if (!zeroCostMutation && args.has("mutations"))
        throw UsageError("--mutations applies to evolution-zc-mutation and evolution-both, not to " + strategy);
    search::EvolutionOptions options;
    options.population = std::size_t(args.intValue("population", 10, 1));
    // The default tournament shrinks with a smaller population rather than refusing it; a given one is checked.
    options.tournament = std::size_t(args.intValue("tournament", int(std::min<std::size_t>(5, options.population)), 1));
    options.queries = std::size_t(args.intValue("queries", 300, 1));
    options.warmup = warmup ? std::size_t(args.intValue("warmup", kDefaultWarmup, 1)) : 0;
    options.mutations = zeroCostMutation ? std::size_t(args.intValue("mutations", kDefaultMutations, 1)) : 1;
    options.runs = std::size_t(args.intValue("runs", 100, 1, int(search::kMaxRandomSearchRuns)));
    options.seed = std::uint64_t(args.intValue("seed", 0, 0));
    options.trajectory = args.has("trajectory");
    const bool higherTargetIsBetter = !args.has("lower-is-better");

    const ScoreSource source = scoreSource(args, space);
    std::unique_ptr<CsvWriter> trajectory = openTrajectory(args, source);

    const std::optional<LoadedCandidates> candidates = loadCandidates(args, space, source, higherTargetIsBetter, true);
    if (!candidates)
        return 130;
    const LoadedCandidates& loaded = *candidates;
    if (std::none_of(loaded.archs.begin(), loaded.archs.end(), [](const auto& arch) { return arch.has_value(); }))
        throw UsageError("evolution needs the architectures themselves: no column of '" + excerpt(args.value("bench"))
            + "' names " + tableKeys(space).what + ", and none are found beside it (check --bench-key)");
    search::EvolutionCandidates input { loaded.candidates, loaded.selectBy, mutationNeighbours(space, loaded.archs) };
    search::EvolutionResult result;
    try {
        result = search::evolutionSearch(input, options);
    } catch (const std::invalid_argument& error) {
        throw UsageError(error.what());
    }
    if (trajectory)
        writeEvolutionTrajectory(*trajectory, result);

    std::size_t queries = 0;
    for (const search::EvolutionRun& run : result.runs)
        queries += run.queries;
    std::printf("strategy=%s\npopulation=%zu\ntournament=%zu\nqueries=%zu\nwarmup=%zu\nmutations=%zu\n",
        strategy.c_str(), options.population, options.tournament, options.queries, options.warmup, options.mutations);
    std::printf("runs=%zu\nseed=%llu\n", options.runs, static_cast<unsigned long long>(options.seed));
    printScoreSource(loaded);
    std::printf("candidates=%zu\nunscored=%zu\nunmatched=%zu\nruns_short=%zu\nqueries_mean=%s\n",
        loaded.candidates.targets.size(), loaded.unscored, loaded.unmatched, result.runsShort,
        formatNumber(double(queries) / double(options.runs)).c_str());
    std::printf("chosen_mean=%s\nchosen_std=%s\noptimum_mean=%s\noptimum_std=0\nrandom_mean=%s\nrandom_std=%s\n",
        formatNumber(result.chosen.mean).c_str(), formatNumber(result.chosen.std).c_str(),
        formatNumber(result.optimum).c_str(), formatNumber(result.random.mean).c_str(),
        formatNumber(result.random.std).c_str());
    std::printf("chosen_rank_mean=%s\nselect_by=%s\ntarget=%s\ntarget_order=%s\n",
        formatNumber(result.chosenRank.mean).c_str(), args.value("select-by").c_str(), args.value("target").c_str(),
        higherTargetIsBetter ? "higher is better" : "lower is better");
    std::printf("std=population (ddof=0, as numpy.std)\nduplicate_scores=%zu\nduplicate_bench=%zu\n",
        loaded.duplicateScores, loaded.duplicateBench);
    return 0;
}

} // namespace

int searchCommand(const std::vector<std::string>& argv)
{
    const Arguments args(argv,
        { "space", "strategy", "samples", "runs", "seed", "scores", "score-column", "join", "bench", "bench-key",
            "target", "trajectory", "population", "tournament", "queries", "warmup", "mutations", "select-by", "input",
            "batch", "offset", "image-size", "weights", "precision", "evaluator", "device", "threads", "chunk",
            "store" },
        { "lower-is-better", "help" });
    if (args.has("help")) {
        std::fputs(searchUsage().c_str(), stdout);
        return 0;
    }
    args.rejectPositional();
    const std::string strategy = args.value("strategy", "random");
    bool evolution = false;
    for (const char* name : kEvolutionStrategies)
        evolution = evolution || strategy == name;
    if (!evolution && strategy != "random")
        throw UsageError("--strategy: unknown strategy '" + excerpt(strategy)
            + "' (expected random, evolution, evolution-warmup, evolution-zc-mutation or evolution-both)");
    for (const char* required : { "bench", "target" })
        if (!args.has(required))
            throw UsageError(std::string("--") + required + " is required (see epsinas search --help)");
    const SearchSpace* space = spaceRegistry().all().front();
    if (args.has("space")) {
        space = spaceRegistry().find(args.value("space"));
        if (!space)
            throw UsageError("--space: unknown space '" + excerpt(args.value("space")) + "' (expected "
                + spaceRegistry().keyList() + ")");
    }
    if (evolution)
        return evolutionCommand(args, strategy, *space);
    for (const char* option : kEvolutionOptions)
        if (args.has(option))
            throw UsageError(std::string("--") + option + " applies to the evolution strategies, not to random");
    search::RandomSearchOptions options;
    options.samples = std::size_t(args.intValue("samples", 1000, 1));
    options.runs = std::size_t(args.intValue("runs", 500, 1, int(search::kMaxRandomSearchRuns)));
    options.seed = std::uint64_t(args.intValue("seed", 0, 0));
    options.trajectory = args.has("trajectory");
    const bool higherTargetIsBetter = !args.has("lower-is-better");

    const ScoreSource source = scoreSource(args, *space);
    std::unique_ptr<CsvWriter> trajectory = openTrajectory(args, source);

    const std::optional<LoadedCandidates> candidates
        = loadCandidates(args, *space, source, higherTargetIsBetter, false);
    if (!candidates)
        return 130;
    const LoadedCandidates& loaded = *candidates;
    search::RandomSearchResult result;
    try {
        result = search::randomSearch(loaded.candidates, options);
    } catch (const std::invalid_argument& error) {
        throw UsageError(error.what());
    }
    if (trajectory)
        writeTrajectory(*trajectory, result);

    std::printf("strategy=%s\nsamples=%zu\nruns=%zu\nseed=%llu\n", strategy.c_str(), options.samples, options.runs,
        static_cast<unsigned long long>(options.seed));
    printScoreSource(loaded);
    std::printf("candidates=%zu\nunscored=%zu\nunmatched=%zu\nruns_without_choice=%zu\n",
        loaded.candidates.targets.size(), loaded.unscored, loaded.unmatched, result.runsWithoutChoice);
    std::printf("chosen_mean=%s\nchosen_std=%s\noptimum_mean=%s\noptimum_std=%s\nrandom_mean=%s\nrandom_std=%s\n",
        formatNumber(result.chosen.mean).c_str(), formatNumber(result.chosen.std).c_str(),
        formatNumber(result.optimum.mean).c_str(), formatNumber(result.optimum.std).c_str(),
        formatNumber(result.random.mean).c_str(), formatNumber(result.random.std).c_str());
    std::printf("chosen_rank_mean=%s\ntarget=%s\ntarget_order=%s\n", formatNumber(result.chosenRank.mean).c_str(),
        args.value("target").c_str(), higherTargetIsBetter ? "higher is better" : "lower is better");
    std::printf("std=population (ddof=0, as numpy.std)\nduplicate_scores=%zu\nduplicate_bench=%zu\n",
        loaded.duplicateScores, loaded.duplicateBench);
    return 0;
}

} // namespace epsinas::cli
