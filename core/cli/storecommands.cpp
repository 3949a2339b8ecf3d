// SPDX-License-Identifier: MIT
#include "cli/arguments.h"
#include "cli/commands.h"
#include "cli/csvwriter.h"

#include "store/resultstore.h"

#include <cstdio>

namespace epsinas::cli {

namespace {
const char* const kExportUsage = R"(usage: epsinas export --store FILE [--out FILE]

Writes every score held in the store as CSV: arch,score,mae,mean,nan_reason,space,input,weights,precision,evaluator
(one row per cell and run; arch is the cell as scored: the canonical NB201 cell, the pruned NB101 cell, or the
NAS-Bench-NLP recipe as one-line JSON, which --recipe-file reads back from a .jsonl file; evaluator is fast or
reference, or 'unrecorded' for scores stored by an epsinas older than schema 2, which did not keep it).
)";
const char* const kMergeUsage = R"(usage: epsinas merge OUT IN...

Adds the scores of the stores IN... to the store OUT (created if missing), in one transaction. A cell present
twice keeps the first value; differing values are counted as conflicts.
)";
} // namespace

int exportCommand(const std::vector<std::string>& argv)
{
    const Arguments args(argv, { "store", "out" }, { "help" });
    if (args.has("help")) {
        std::fputs(kExportUsage, stdout);
        return 0;
    }
    if (!args.has("store"))
        throw UsageError("--store FILE is required");
    const ResultStore store = ResultStore::openReadOnly(args.value("store"));
    CsvWriter out(args.value("out", "-"));
    // evaluator comes last, so that scripts reading the columns of schema-1 exports by position keep working.
    out.row({ "arch", "score", "mae", "mean", "nan_reason", "space", "input", "weights", "precision", "evaluator" });
    std::size_t rows = 0;
    for (const RunKey& run : store.runs()) {
        for (const StoredScore& score : store.all(run)) {
            out.row({ score.cell, formatNumber(score.score), formatNumber(score.mae), formatNumber(score.mean),
                score.nanReason, run.space, run.input, run.weights, run.precision, run.evaluator });
            ++rows;
        }
    }
    out.commit();
    std::fprintf(stderr, "exported %zu scores\n", rows);
    return 0;
}

int mergeCommand(const std::vector<std::string>& argv)
{
    const Arguments args(argv, {}, { "help" });
    if (args.has("help")) {
        std::fputs(kMergeUsage, stdout);
        return 0;
    }
    if (args.positional().size() < 2)
        throw UsageError("usage: epsinas merge OUT IN...");
    const std::vector<std::string> inputs(args.positional().begin() + 1, args.positional().end());
    const MergeStats stats = ResultStore::merge(args.positional().front(), inputs);
    std::fprintf(stderr, "merged %zu stores: %zu scores added, %zu already present, %zu conflicts (kept first)\n",
        inputs.size(), stats.added, stats.duplicates, stats.conflicts);
    return 0;
}

} // namespace epsinas::cli
