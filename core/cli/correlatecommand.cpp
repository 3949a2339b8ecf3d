// SPDX-License-Identifier: MIT
#include "cli/arguments.h"
#include "cli/commands.h"
#include "cli/csvwriter.h"
#include "cli/statisticsarguments.h"

#include "io/inputfile.h"
#include "spaces/spaces.h"
#include "stats/benchmarktable.h"
#include "stats/statistics.h"

#include <cmath>
#include <cstdio>

namespace epsinas::cli {

namespace {

// The usage text; the spaces, their score rules and the defaults come from the registry.
std::string correlateUsage()
{
    return R"(usage: epsinas correlate --scores FILE --bench FILE --target COLUMN [options]

  --scores FILE         a CSV with an arch column and a score column (e.g. from epsinas score)
  --score-column NAME   the score column (default: score)
  --join COLUMN         the column of --scores matched against the arch column of --bench (default: the scores
                        file's arch column); e.g. --join hash for tables keyed by module hash
  --bench FILE          a benchmark table with an arch column and numeric columns
  --bench-key COLUMN    the arch column of --bench (default: detected); e.g. recepie_id for tables keyed by recipe id
  --target COLUMN       the numeric column of --bench to correlate with (e.g. cifar10_oritest_200ep_nb201)
  --nan POLICY          exclude (the paper's statistics, default) | worst | best: where NaN scores rank
)" + statisticsUsage()
        + R"(
Statistics follow the reference's compute_stats (docs/statistics.md): over the pairs used, the top 10% by target
is target > P90(target) (< P10 for a loss), T10/T10 = 100 * |top target and score > P90(score)| / denominator,
T64/T5 = |target > P95(target) (< P5) and score >= the 64th highest score|, defined for more than 64 pairs.
Duplicates: when an architecture has several rows in --scores or in --bench, its first row is used and the others
are counted (duplicate_scores, duplicate_bench), never used.

Prints key=value lines: n (pairs used), nan (pairs with a NaN score), unmatched (scored archs missing from the
table), nan_policy, spearman, kendall, spearman_top10, kendall_top10, t10t10, t64t5, target, target_order, then
zero_as_nan (of the nan pairs, scores of 0 that the space's rule made NaN), nonpositive (pairs left out by a rule
that drops scores <= 0), duplicate_scores, duplicate_bench, duplicates (the rule), score_rule (the space),
top_sets, t10_denominator, stats_variant (reference, or what departs), top10_n (pairs in the top 10% by target),
t10_denominator_n.
)";
}

} // namespace

int correlateCommand(const std::vector<std::string>& argv)
{
    const Arguments args(argv,
        { "scores", "score-column", "join", "bench", "bench-key", "target", "nan", "space", "top-sets",
            "t10-denominator" },
        { "lower-is-better", "help" });
    if (args.has("help")) {
        std::fputs(correlateUsage().c_str(), stdout);
        return 0;
    }
    args.rejectPositional();
    for (const char* required : { "scores", "bench", "target" })
        if (!args.has(required))
            throw UsageError(std::string("--") + required + " is required (see epsinas correlate --help)");
    const StatisticsChoice choice = statisticsChoice(args, true);
    const CorrelationOptions& options = choice.options;
    const SearchSpace* space = choice.space;
    const StatisticsReference& reference = choice.reference;

    const BenchmarkTable scoresTable
        = BenchmarkTable::load(args.value("scores"), args.value("join"), tableKeys(*space));
    const std::vector<double> allScores = scoresTable.column(args.value("score-column", "score"));
    const BenchmarkTable bench = BenchmarkTable::load(args.value("bench"), args.value("bench-key"), tableKeys(*space));

    // One pair per architecture: the first row of each, in both files (the table's lookup() reads its first row).
    const std::vector<std::size_t>& duplicateScores = scoresTable.duplicateRows();
    std::vector<bool> isDuplicate(scoresTable.rowCount(), false);
    for (std::size_t row : duplicateScores)
        isDuplicate[row] = true;
    std::vector<std::string> archs;
    std::vector<double> scores;
    for (std::size_t row = 0; row < scoresTable.rowCount(); ++row) {
        if (isDuplicate[row])
            continue;
        archs.push_back(scoresTable.archs()[row]);
        scores.push_back(allScores[row]);
    }
    const std::vector<double> targets = bench.lookup(archs, args.value("target"));

    std::size_t unmatched = 0;
    for (double target : targets)
        unmatched += std::isnan(target) ? 1 : 0;
    const CorrelationReport report = correlate(scores, targets, options);
    // The keys of earlier versions first, in their order, so that scripts reading them keep working.
    std::printf("n=%zu\nnan=%zu\nunmatched=%zu\nnan_policy=%s\n", report.n, report.nanCount, unmatched,
        toString(options.policy).c_str());
    std::printf("spearman=%s\nkendall=%s\nspearman_top10=%s\nkendall_top10=%s\nt10t10=%s\nt64t5=%s\n",
        formatNumber(report.spearman).c_str(), formatNumber(report.kendall).c_str(),
        formatNumber(report.spearmanTop10).c_str(), formatNumber(report.kendallTop10).c_str(),
        formatNumber(report.t10t10).c_str(), formatNumber(report.t64t5).c_str());
    std::printf("target=%s\ntarget_order=%s\n", args.value("target").c_str(),
        options.higherTargetIsBetter ? "higher is better"
                                     : "lower is better (a loss: a good score correlates negatively)");
    std::printf("zero_as_nan=%zu\nnonpositive=%zu\nduplicate_scores=%zu\nduplicate_bench=%zu\n"
                "duplicates=the first row of each architecture is used\n",
        report.zeroAsNanCount, report.nonPositiveCount, duplicateScores.size(), bench.duplicateRows().size());
    std::printf(
        "score_rule=%s\ntop_sets=%s\nt10_denominator=%s\nstats_variant=%s\ntop10_n=%zu\nt10_denominator_n=%zu\n",
        reference.name.c_str(),
        (toString(options.topSets) + (options.topSets == TopSets::TieWeighted ? " (departure)" : "")).c_str(),
        t10DenominatorText(options).c_str(), describeVariant(options, reference, choice.lossReference).c_str(),
        report.top10TargetCount, report.t10DenominatorCount);
    return 0;
}

} // namespace epsinas::cli
