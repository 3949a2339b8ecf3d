// SPDX-License-Identifier: MIT
// `epsinas score --space nb101`: NAS-Bench-101 specs through the NB101 evaluators, with the options of NB201.
#include "cli/arguments.h"
#include "cli/commands.h"
#include "cli/csvwriter.h"
#include "cli/progress.h"
#include "cli/scorearguments.h"
#include "cli/scorerun.h"

#include "cells/inputfile.h"
#include "cells/nb101spec.h"
#include "score/nb101evaluator.h"

#include <cstdio>
#include <map>
#include <sstream>

namespace epsinas::cli {

namespace {

// Cells one --sample draws at most: finding distinct hashes slows as they run out (10,000 take 2 s on two cores,
// 50,000 take 27 s, 100,000 more than three minutes).
constexpr long long kMaxSampledSpecs = 10000;

const char* const kNb101Usage
    = R"(usage: epsinas score --space nb101 (--arch SPEC ... | --arch-file FILE | --sample N[:SEED]) [options]

  --arch SPEC           an NB101 cell as ADJ:OPS: the V*V adjacency row-major as 0/1, then the ops joined by '|', e.g.
                        '0110000011000010000100000:input|conv3x3-bn-relu|maxpool3x3|conv1x1-bn-relu|output' (repeatable)
  --arch-file FILE      one ADJ:OPS per line ('#' comments and blank lines ignored), or a CSV whose header has
                        'adjacency' and 'ops' columns (e.g. nb101_specs_1000.csv)
  --sample N[:SEED]     N (at most 10,000) random valid cells with distinct hashes (NB101's own sampler; seed 0 by
                        default)
  --input SPEC          grey (default: image i constant at i/B) | noise[:SEED] | cifar10:PATH | cifar100:PATH
  --batch N             images in the batch (256; at most 65536)   --offset N   first CIFAR record (0)
  --image-size N        side of grey/noise images (32; at most 1024)
  --weights LO,HI       the two constant weights (1e-4,10; other pairs depart from the reference)
  --precision P         fp32 (reference) | fp64 (departure)
  --evaluator E         fast (exact width-collapsed, default) | reference (full-width network, the paper's way)
  --device D            cpu (default) | cuda (reference only; the fast path runs on CPU threads)
  --threads N           CPU threads (default: all cores; at most 4 per hardware thread)
  --chunk N             cells handed to the fast path at once (default 32)
  --out FILE            CSV destination (default: stdout); written whole or not at all
  --store FILE          SQLite result store: reuse stored scores, store new ones chunk by chunk (resumable)
  --shard I/N           score only the I-th (0-based) of N disjoint slices of the requested cells

Cells are evaluated in their pruned form; cells with the same pruned form are scored once.
CSV columns: arch,score,hash,mae,mean,params,nan_reason (NaN written 'nan', %.9g).
)";

std::string trimmed(const std::string& text)
{
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string::npos)
        return {};
    return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

std::vector<std::string> splitCommas(const std::string& line)
{
    std::vector<std::string> fields;
    std::stringstream stream(line);
    for (std::string field; std::getline(stream, field, ',');)
        fields.push_back(trimmed(field));
    return fields;
}

std::vector<nb101::Spec> readArchFile(const std::string& path)
{
    std::vector<nb101::Spec> specs;
    // CSV mode when the first line names the adjacency and ops columns.
    int adjacencyColumn = -1, opsColumn = -1;
    forEachArchLine(path, [&](const std::string& line, std::size_t number) {
        if (number == 1 && line.find("adjacency") != std::string::npos) {
            const std::vector<std::string> header = splitCommas(line);
            for (std::size_t c = 0; c < header.size(); ++c) {
                adjacencyColumn = header[c] == "adjacency" ? int(c) : adjacencyColumn;
                opsColumn = header[c] == "ops" ? int(c) : opsColumn;
            }
            if (adjacencyColumn < 0 || opsColumn < 0)
                throw UsageError("a CSV arch file needs columns named 'adjacency' and 'ops'");
            return;
        }
        if (adjacencyColumn < 0) {
            specs.push_back(nb101::Spec::parse(line));
            return;
        }
        const std::vector<std::string> fields = splitCommas(line);
        if (int(fields.size()) <= std::max(adjacencyColumn, opsColumn))
            throw UsageError("too few fields");
        specs.push_back(nb101::Spec::fromColumns(fields[adjacencyColumn], fields[opsColumn]));
    });
    if (specs.empty())
        throw UsageError("arch file '" + excerpt(path) + "' holds no cell");
    return specs;
}

std::vector<nb101::Spec> sampledSpecs(const std::string& text)
{
    const std::size_t colon = text.find(':');
    try {
        std::size_t used = 0;
        const std::string countText = text.substr(0, colon);
        const long long count = std::stoll(countText, &used);
        std::uint64_t seed = 0;
        if (colon != std::string::npos) {
            std::size_t seedUsed = 0;
            const std::string seedText = text.substr(colon + 1);
            seed = std::stoull(seedText, &seedUsed);
            if (seedUsed != seedText.size() || seedText[0] == '-')
                throw std::invalid_argument("seed");
        }
        if (used != countText.size() || count < 1)
            throw std::invalid_argument("count");
        if (count > kMaxSampledSpecs)
            throw UsageError("--sample draws at most " + std::to_string(kMaxSampledSpecs) + " NB101 cells, got "
                + std::to_string(count) + " (list more in an --arch-file)");
        return nb101::randomSpecs(static_cast<std::size_t>(count), seed);
    } catch (const std::out_of_range&) {
    } catch (const std::invalid_argument&) {
    }
    throw UsageError("--sample expects N or N:SEED with N >= 1, got '" + excerpt(text) + "'");
}

std::vector<nb101::Spec> requestedSpecs(const Arguments& args)
{
    args.requireExactlyOne({ "arch", "arch-file", "sample" });
    if (args.has("sample"))
        return sampledSpecs(args.value("sample"));
    if (args.has("arch-file"))
        return readArchFile(args.value("arch-file"));
    std::vector<nb101::Spec> specs;
    for (const std::string& text : args.values("arch"))
        specs.push_back(nb101::Spec::parse(text));
    return specs;
}

} // namespace

int scoreNb101Command(const std::vector<std::string>& argv)
{
    const Arguments args(argv,
        { "space", "arch", "arch-file", "sample", "input", "batch", "offset", "image-size", "weights", "precision",
            "evaluator", "device", "threads", "chunk", "out", "store", "shard" },
        { "help" });
    if (args.has("help")) {
        std::fputs(kNb101Usage, stdout);
        return 0;
    }
    args.rejectPositional();
    const std::string space = "nb101";

    const std::vector<nb101::Spec> specs = shardSlice(requestedSpecs(args), args);
    const ScoreOptions options = scoreOptions(args, kNb101Weights);
    const InputBatch input = InputBatch::load(imageInputSpec(args));
    // Open the output before the long work, so a bad path fails now rather than after an hour of scoring.
    CsvWriter out(args.value("out", "-"), runFiles(args, { input.spec().path }));

    // Each pruned form is scored once (the network is built from it); the CSV has one row per requested cell.
    DistinctForms<nb101::Spec> forms;
    for (const nb101::Spec& spec : specs) {
        nb101::Spec pruned = spec.pruned();
        forms.add(pruned.toString(), std::move(pruned));
    }
    const auto evaluator = makeNb101Evaluator(input, options);
    const ScoringRun run { space, input.fingerprint(), options, storeOption(args), 64 };
    ProgressReporter progress("scoring", 0);
    std::size_t done = 0;
    const auto scores = forms.score(*evaluator, run, progress, done);
    if (!scores)
        return 130;

    std::size_t nanCount = 0;
    out.row({ "arch", "score", "hash", "mae", "mean", "params", "nan_reason" });
    for (const nb101::Spec& spec : specs) {
        const CellScore& score = scores->at(spec.pruned().toString());
        nanCount += score.isNan() ? 1 : 0;
        out.row({ spec.toString(), formatNumber(score.score), spec.hash(), formatNumber(score.mae),
            formatNumber(score.mean), std::to_string(spec.parameterCount()), score.nanReason });
    }
    out.commit();
    progress.finish("scored " + std::to_string(specs.size()) + " cells (" + std::to_string(scores->size())
        + " distinct, " + std::to_string(done) + " computed), " + std::to_string(nanCount) + " NaN");
    return 0;
}

} // namespace epsinas::cli
