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
(one row per architecture and run; arch is the architecture as scored, the space's text form of its canonical
representative, e.g. a canonical cell, or a recipe as one-line JSON, which --recipe-file reads back from a .jsonl
file; evaluator is fast or reference, or 'unrecorded' for scores stored by an epsinas older than schema 2, which
did not keep it).
The store is only read: it may lie in a read-only folder. --out is written whole or not at all, and never over
the store itself.
)";
const char* const kMergeUsage = R"(usage: epsinas merge OUT IN...

Adds the scores of the stores IN... to the store OUT (created if missing), in one transaction. A cell present
twice keeps the first value; differing values are counted as conflicts. Every IN is opened and checked before
OUT is touched, and is only read (it may lie in a read-only folder); if anything fails, OUT is left as it was
(a missing OUT is not created). OUT may not also be an IN.
)";
} // namespace

int exportCommand(const std::vector<std::string>& argv)
{
    const Arguments args(argv, { "store", "out" }, { "help" });
    if (args.has("help")) {
        std::fputs(kExportUsage, stdout);
        return 0;
    }
    args.rejectPositional();
    if (!args.has("store"))
        throw UsageError("--store FILE is required");
    const std::string storePath = args.value("store");
    const ResultStore store = ResultStore::openReadOnly(storePath);
    CsvWriter out(args.value("out", "-"), ResultStore::files(storePath));
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
        throw UsageError("usage: epsinas merge OUT IN... (at least one IN)");
    const std::string& outPath = args.positional().front();
    const std::vector<std::string> inputs(args.positional().begin() + 1, args.positional().end());
    // Compared as files (device and inode, or the resolved path of a missing one), so that a symlink or another
    // spelling of OUT is caught too: merging a store into itself only looks like work.
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        if (sameFile(inputs[i], outPath))
            throw UsageError("OUT '" + outPath + "' is also given as an input ('" + inputs[i] + "')");
        for (std::size_t j = 0; j < i; ++j)
            if (sameFile(inputs[i], inputs[j]))
                throw UsageError("'" + inputs[i] + "' is given twice as an input");
    }
    const MergeStats stats = ResultStore::merge(outPath, inputs);
    std::fprintf(stderr, "merged %zu stores: %zu scores added, %zu already present, %zu conflicts (kept first)\n",
        inputs.size(), stats.added, stats.duplicates, stats.conflicts);
    return 0;
}

} // namespace epsinas::cli
