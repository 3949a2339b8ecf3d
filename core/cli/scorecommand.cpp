// SPDX-License-Identifier: MIT
#include "cli/arguments.h"
#include "cli/commands.h"
#include "cli/csvwriter.h"
#include "cli/progress.h"
#include "cli/scorearguments.h"
#include "cli/scorerun.h"

#include "cells/inputfile.h"
#include "cells/nb201cell.h"
#include "score/nb201evaluator.h"

#include <cstdio>
#include <map>

namespace epsinas::cli {

namespace {

const char* const kScoreUsage
    = R"(usage: epsinas score --space nb201 (--arch STR ... | --arch-file FILE | --all) [options]

  --arch STR            an NB201 cell, e.g. '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|' (repeatable)
  --arch-file FILE      one cell per line ('#' comments and blank lines ignored)
  --all                 all 15,625 cells
  --input SPEC          grey (default: image i constant at i/B) | noise[:SEED] | cifar10:PATH | cifar100:PATH
  --batch N             images in the batch (256; at most 65536)   --offset N   first CIFAR record (0)
  --image-size N        side of grey/noise images (32; at most 1024)
  --weights LO,HI       the two constant weights (1e-7,1; other pairs depart from the reference)
  --precision P         fp32 (reference) | fp64 (departure: far fewer NaN, different ranking)
  --evaluator E         fast (exact width-collapsed, default) | reference (full-width network, the paper's way)
  --device D            cpu (default) | cuda
  --threads N           CPU threads (default: all cores; at most 4 per hardware thread)
  --chunk N             cells evaluated together by the fast path (default: from device and memory)
  --out FILE            CSV destination (default: stdout); written whole or not at all
  --store FILE          SQLite result store: reuse stored scores, store new ones chunk by chunk (resumable)
  --shard I/N           score only the I-th (0-based) of N disjoint slices of the requested cells

CSV columns: arch,score,mae,mean,params,canonical,nan_reason (NaN written 'nan', %.9g).
)";

std::vector<nb201::Cell> readArchFile(const std::string& path)
{
    std::vector<nb201::Cell> cells;
    forEachArchLine(
        path, [&cells](const std::string& line, std::size_t) { cells.push_back(nb201::Cell::parse(line)); });
    if (cells.empty())
        throw UsageError("arch file '" + excerpt(path) + "' holds no cell");
    return cells;
}

/** The value of --space (given as `--space S` or `--space=S`), nb201 when absent; refused when given twice. */
std::string requestedSpace(const std::vector<std::string>& argv)
{
    const std::string inlinePrefix = "--space=";
    std::vector<std::string> given;
    for (std::size_t i = 0; i < argv.size(); ++i) {
        if (argv[i] == "--space" && i + 1 < argv.size())
            given.push_back(argv[++i]);
        else if (argv[i].rfind(inlinePrefix, 0) == 0)
            given.push_back(argv[i].substr(inlinePrefix.size()));
    }
    if (given.size() > 1)
        throw UsageError("option --space given more than once");
    return given.empty() ? "nb201" : given.front();
}

std::vector<nb201::Cell> requestedCells(const Arguments& args)
{
    args.requireExactlyOne({ "arch", "arch-file", "all" });
    if (args.has("all"))
        return nb201::allCells();
    if (args.has("arch-file"))
        return readArchFile(args.value("arch-file"));
    std::vector<nb201::Cell> cells;
    for (const std::string& text : args.values("arch"))
        cells.push_back(nb201::Cell::parse(text));
    return cells;
}

} // namespace

int scoreCommand(const std::vector<std::string>& argv)
{
    const std::string requested = requestedSpace(argv);
    if (requested == "nb101")
        return scoreNb101Command(argv);
    if (requested == "nlp")
        return scoreNlpCommand(argv);
    const Arguments args(argv,
        { "space", "arch", "arch-file", "input", "batch", "offset", "image-size", "weights", "precision", "evaluator",
            "device", "threads", "chunk", "out", "store", "shard" },
        { "all", "help" });
    if (args.has("help")) {
        std::fputs(kScoreUsage, stdout);
        return 0;
    }
    args.rejectPositional();
    const std::string space = args.value("space", "nb201");
    if (space != "nb201")
        throw UsageError("unknown --space '" + excerpt(space) + "' (expected nb201, nb101 or nlp)");

    const std::vector<nb201::Cell> cells = shardSlice(requestedCells(args), args);
    const ScoreOptions options = scoreOptions(args, WeightPair {}); // WeightPair's default is the NB201 pair
    const InputBatch input = InputBatch::load(imageInputSpec(args));
    // Open the output before the long work, so a bad path fails now rather than after an hour of scoring.
    CsvWriter out(args.value("out", "-"), runFiles(args, { input.spec().path }));

    // Each canonical form is scored once; the CSV still has one row per requested cell, in order.
    DistinctForms<nb201::Cell> forms;
    for (const nb201::Cell& cell : cells) {
        nb201::Cell canonical = cell.canonical();
        forms.add(canonical.toString(), std::move(canonical));
    }
    const auto evaluator = makeNb201Evaluator(input, options);
    const ScoringRun run { space, input.fingerprint(), options, storeOption(args),
        options.device == Device::Cuda ? std::size_t { 2048 } : std::size_t { 256 } };
    ProgressReporter progress("scoring", 0);
    std::size_t done = 0;
    const auto scores = forms.score(*evaluator, run, progress, done);
    if (!scores)
        return 130;

    std::size_t nanCount = 0;
    out.row({ "arch", "score", "mae", "mean", "params", "canonical", "nan_reason" });
    for (const nb201::Cell& cell : cells) {
        const nb201::Cell canonical = cell.canonical();
        const CellScore& score = scores->at(canonical.toString());
        nanCount += score.isNan() ? 1 : 0;
        out.row({ cell.toString(), formatNumber(score.score), formatNumber(score.mae), formatNumber(score.mean),
            std::to_string(cell.parameterCount()), canonical.toString(), score.nanReason });
    }
    out.commit();
    progress.finish("scored " + std::to_string(cells.size()) + " cells (" + std::to_string(scores->size())
        + " distinct, " + std::to_string(done) + " computed), " + std::to_string(nanCount) + " NaN");
    return 0;
}

} // namespace epsinas::cli
