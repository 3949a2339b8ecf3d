// SPDX-License-Identifier: MIT
#include "cli/arguments.h"
#include "cli/commands.h"
#include "cli/csvwriter.h"

#include "stats/benchmarktable.h"
#include "stats/statistics.h"

#include <cmath>
#include <cstdio>

namespace epsinas::cli {

namespace {
const char* const kCorrelateUsage = R"(usage: epsinas correlate --scores FILE --bench FILE --target COLUMN [options]

  --scores FILE         a CSV with an arch column and a score column (e.g. from epsinas score)
  --score-column NAME   the score column (default: score)
  --join COLUMN         the column of --scores matched against the arch column of --bench (default: the scores
                        file's arch column); e.g. --join hash for NB101 tables keyed by hash
  --bench FILE          a benchmark table with an arch column and numeric columns
  --bench-key COLUMN    the arch column of --bench (default: detected); e.g. recepie_id for NAS-Bench-NLP tables
  --target COLUMN       the numeric column of --bench to correlate with (e.g. cifar10_oritest_200ep_nb201)
  --nan POLICY          exclude (the paper's statistics, default) | worst | best: where NaN scores rank
  --lower-is-better     the target is a loss: "top" means lowest target (correlations keep their sign)

Prints key=value lines: n (pairs used), nan (pairs with a NaN score), unmatched (scored archs missing from the
table), nan_policy, spearman, kendall, spearman_top10, kendall_top10, t10t10, t64t5, target, target_order.
)";
} // namespace

int correlateCommand(const std::vector<std::string>& argv)
{
    const Arguments args(argv, { "scores", "score-column", "join", "bench", "bench-key", "target", "nan" },
        { "lower-is-better", "help" });
    if (args.has("help")) {
        std::fputs(kCorrelateUsage, stdout);
        return 0;
    }
    for (const char* required : { "scores", "bench", "target" })
        if (!args.has(required))
            throw UsageError(std::string("--") + required + " is required (see epsinas correlate --help)");
    const NanPolicy policy = parseNanPolicy(args.value("nan", "exclude"));
    const bool higherIsBetter = !args.has("lower-is-better");

    const BenchmarkTable scoresTable = BenchmarkTable::load(args.value("scores"), args.value("join"));
    const std::vector<double> scores = scoresTable.column(args.value("score-column", "score"));
    const BenchmarkTable bench = BenchmarkTable::load(args.value("bench"), args.value("bench-key"));
    const std::vector<double> targets = bench.lookup(scoresTable.archs(), args.value("target"));

    std::size_t unmatched = 0;
    for (double target : targets)
        unmatched += std::isnan(target) ? 1 : 0;
    const CorrelationReport report = correlate(scores, targets, policy, higherIsBetter);
    std::printf("n=%zu\nnan=%zu\nunmatched=%zu\nnan_policy=%s\n", report.n, report.nanCount, unmatched,
        toString(policy).c_str());
    std::printf("spearman=%s\nkendall=%s\nspearman_top10=%s\nkendall_top10=%s\nt10t10=%s\nt64t5=%s\n",
        formatNumber(report.spearman).c_str(), formatNumber(report.kendall).c_str(),
        formatNumber(report.spearmanTop10).c_str(), formatNumber(report.kendallTop10).c_str(),
        formatNumber(report.t10t10).c_str(), formatNumber(report.t64t5).c_str());
    std::printf("target=%s\ntarget_order=%s\n", args.value("target").c_str(),
        higherIsBetter ? "higher is better" : "lower is better (a loss: a good score correlates negatively)");
    return 0;
}

} // namespace epsinas::cli
