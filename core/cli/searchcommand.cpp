// SPDX-License-Identifier: MIT
#include "cli/arguments.h"
#include "cli/commands.h"
#include "cli/csvwriter.h"

#include "io/inputfile.h"
#include "search/randomsearch.h"
#include "spaces/spaces.h"
#include "stats/benchmarktable.h"

#include <cmath>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <unordered_set>

namespace epsinas::cli {

namespace {

// The strategies of the command's contract that this version does not run yet; named so that a script asking for
// one learns that, not that it misspelt it.
constexpr const char* kPlannedStrategies[]
    = { "evolution", "evolution-warmup", "evolution-zc-mutation", "evolution-both" };

std::string searchUsage()
{
    return R"(usage: epsinas search --strategy random --scores FILE --bench FILE --target COLUMN [options]

Random search with a zero-cost score (the paper's table of "the top-scored of N random architectures"): each run
draws N of the scored architectures of the benchmark table without replacement and picks the one with the highest
score (a NaN score never wins); the table's target judges the pick. docs/search.md describes it.

  --space SPACE         how the tables' arch columns are read (default )"
        + spaceRegistry().all().front()->key() + "; " + spaceRegistry().keyList() + R"()
  --strategy NAME       random (default; ageing evolution is not implemented yet)
  --samples N           architectures drawn per run (default 1000; at most the table's candidates)
  --runs R              independent runs (default 500; at most )"
        + std::to_string(search::kMaxRandomSearchRuns) + R"()
  --seed S              run r draws from a generator seeded by (S, r) (default 0)
  --scores FILE         a CSV of precomputed scores with an arch column (e.g. from epsinas score, or the authors'
                        released nb201_epsinas_reference_scores.csv)
  --score-column NAME   the score column (default: score), e.g. epsinas_cifar10
  --join COLUMN         the column of --scores matched against the arch column of --bench (default: the scores
                        file's arch column), e.g. arch_index
  --bench FILE          the benchmark table: its architectures (the first row of each) that have a finite target
                        and a row in --scores (whose score may be NaN) are the candidates
  --bench-key COLUMN    the arch column of --bench (default: detected), e.g. arch_index
  --target COLUMN       the numeric column of --bench that judges the pick (e.g. cifar10_oritest_200ep_nb201)
  --lower-is-better     the target is a loss: the optimum is the lowest target
  --trajectory FILE     a CSV, per query q = 1..N: mean and std over runs of the best target among the first q
                        draws (optimum_*) and of the target of the best-scored among them (chosen_*); written whole
                        or not at all

Prints key=value lines: strategy, samples, runs, seed, candidates, unscored (candidates whose score is NaN),
unmatched (table architectures with a target but no score row: not candidates), runs_without_choice (draws
without a scored candidate, left out of chosen_*), chosen_mean, chosen_std (the pick's target), optimum_mean,
optimum_std (the best target of each draw), random_mean, random_std (the first drawn architecture: one uniformly
random one per draw), chosen_rank_mean (1 + the drawn architectures with a better target than the pick), target,
target_order, std (the convention), duplicate_scores, duplicate_bench.
)";
}

/** The candidates of a search: the benchmark rows with a finite target and a score row, each with its score. */
struct LoadedCandidates {
    search::Candidates candidates;
    std::size_t unscored = 0;
    /** Table rows with a target but no row in the scores file: not candidates. */
    std::size_t unmatched = 0;
    std::size_t duplicateScores = 0;
    std::size_t duplicateBench = 0;
};

LoadedCandidates loadCandidates(const Arguments& args, const SearchSpace& space, bool higherTargetIsBetter)
{
    const BenchmarkTable scoresTable = BenchmarkTable::load(args.value("scores"), args.value("join"), tableKeys(space));
    const std::string scoreColumn = args.value("score-column", "score");
    // Refuses an unknown score column by name before the join.
    scoresTable.column(scoreColumn);
    const BenchmarkTable bench = BenchmarkTable::load(args.value("bench"), args.value("bench-key"), tableKeys(space));
    const std::vector<double> allTargets = bench.column(args.value("target"));

    // One candidate per architecture: the first row of each key in both files, as epsinas correlate pairs them.
    std::vector<bool> isDuplicate(bench.rowCount(), false);
    for (std::size_t row : bench.duplicateRows())
        isDuplicate[row] = true;
    // An architecture the scores file has no row for was never scored, so it is no candidate (a table of the whole
    // space searched with scores of a subset searches the subset); a row with a NaN score was scored, and stays one.
    const ArchKeys keys = tableKeys(space);
    std::unordered_set<std::string> scored;
    for (const std::string& arch : scoresTable.archs()) {
        if (!arch.empty())
            scored.insert(archKey(arch, keys));
    }
    LoadedCandidates loaded;
    loaded.candidates.higherTargetIsBetter = higherTargetIsBetter;
    std::vector<std::string> archs;
    for (std::size_t row = 0; row < bench.rowCount(); ++row) {
        if (isDuplicate[row] || bench.archs()[row].empty() || !std::isfinite(allTargets[row]))
            continue;
        if (!scored.count(archKey(bench.archs()[row], keys))) {
            ++loaded.unmatched;
            continue;
        }
        archs.push_back(bench.archs()[row]);
        loaded.candidates.targets.push_back(allTargets[row]);
    }
    if (archs.empty())
        throw UsageError("no architecture of '" + excerpt(args.value("bench")) + "' with a target has a row in '"
            + excerpt(args.value("scores")) + "' (check --join and --bench-key)");
    loaded.candidates.scores = scoresTable.lookup(archs, scoreColumn);
    for (double score : loaded.candidates.scores)
        loaded.unscored += std::isnan(score) ? 1 : 0;
    loaded.duplicateScores = scoresTable.duplicateRows().size();
    loaded.duplicateBench = bench.duplicateRows().size();
    return loaded;
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

} // namespace

int searchCommand(const std::vector<std::string>& argv)
{
    const Arguments args(argv,
        { "space", "strategy", "samples", "runs", "seed", "scores", "score-column", "join", "bench", "bench-key",
            "target", "trajectory" },
        { "lower-is-better", "help" });
    if (args.has("help")) {
        std::fputs(searchUsage().c_str(), stdout);
        return 0;
    }
    args.rejectPositional();
    const std::string strategy = args.value("strategy", "random");
    for (const char* planned : kPlannedStrategies) {
        if (strategy == planned)
            throw UsageError("--strategy " + strategy + " is not implemented yet; only random is");
    }
    if (strategy != "random")
        throw UsageError("--strategy: unknown strategy '" + excerpt(strategy) + "' (expected random)");
    for (const char* required : { "scores", "bench", "target" })
        if (!args.has(required))
            throw UsageError(std::string("--") + required + " is required (see epsinas search --help)");
    const SearchSpace* space = spaceRegistry().all().front();
    if (args.has("space")) {
        space = spaceRegistry().find(args.value("space"));
        if (!space)
            throw UsageError("--space: unknown space '" + excerpt(args.value("space")) + "' (expected "
                + spaceRegistry().keyList() + ")");
    }
    search::RandomSearchOptions options;
    options.samples = std::size_t(args.intValue("samples", 1000, 1));
    options.runs = std::size_t(args.intValue("runs", 500, 1, int(search::kMaxRandomSearchRuns)));
    options.seed = std::uint64_t(args.intValue("seed", 0, 0));
    options.trajectory = args.has("trajectory");
    const bool higherTargetIsBetter = !args.has("lower-is-better");

    // The trajectory's destination is checked (and locked) before any work, and never one of the inputs.
    std::unique_ptr<CsvWriter> trajectory;
    if (options.trajectory)
        trajectory = std::make_unique<CsvWriter>(
            args.value("trajectory"), std::vector<std::string> { args.value("scores"), args.value("bench") });

    const LoadedCandidates loaded = loadCandidates(args, *space, higherTargetIsBetter);
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
