// SPDX-License-Identifier: MIT
// `epsinas score --space nb101`: NAS-Bench-101 specs through the NB101 evaluators, with the options of NB201.
#include "cli/arguments.h"
#include "cli/commands.h"
#include "cli/csvwriter.h"
#include "cli/progress.h"

#include "cells/nb101spec.h"
#include "score/nb101evaluator.h"
#include "store/shard.h"
#ifdef EPSINAS_HAVE_STORE
#include "store/resultstore.h"
#endif

#include <atomic>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

namespace epsinas::cli {

namespace {

const char* const kNb101Usage
    = R"(usage: epsinas score --space nb101 (--arch SPEC ... | --arch-file FILE | --sample N[:SEED]) [options]

  --arch SPEC           an NB101 cell as ADJ:OPS: the V*V adjacency row-major as 0/1, then the ops joined by '|', e.g.
                        '0110000011000010000100000:input|conv3x3-bn-relu|maxpool3x3|conv1x1-bn-relu|output' (repeatable)
  --arch-file FILE      one ADJ:OPS per line ('#' comments and blank lines ignored), or a CSV whose header has
                        'adjacency' and 'ops' columns (e.g. nb101_specs_1000.csv)
  --sample N[:SEED]     N random valid cells with distinct hashes (NB101's own sampler; seed 0 by default)
  --input SPEC          grey (default: image i constant at i/B) | noise[:SEED] | cifar10:PATH | cifar100:PATH
  --batch N             images in the batch (256)          --offset N   first CIFAR record (0)
  --image-size N        side of grey/noise images (32)
  --weights LO,HI       the two constant weights (1e-4,10; other pairs depart from the reference)
  --precision P         fp32 (reference) | fp64 (departure)
  --evaluator E         fast (exact width-collapsed, default) | reference (full-width network, the paper's way)
  --device D            cpu (default) | cuda (reference only; the fast path runs on CPU threads)
  --threads N           CPU threads (default: all cores)
  --chunk N             cells handed to the fast path at once (default 32)
  --out FILE            CSV destination (default: stdout); written whole or not at all
  --store FILE          SQLite result store: reuse stored scores, store new ones chunk by chunk (resumable)
  --shard I/N           score only the I-th (0-based) of N disjoint slices of the requested cells

Cells are evaluated in their pruned form; cells with the same pruned form are scored once.
CSV columns: arch,score,hash,mae,mean,params,nan_reason (NaN written 'nan', %.9g).
)";

std::atomic<bool> g_interrupted { false };

void onInterrupt(int)
{
    g_interrupted = true;
}

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
    std::ifstream file(path);
    if (!file)
        throw UsageError("cannot read arch file '" + path + "'");
    std::vector<nb101::Spec> specs;
    // CSV mode when the first line names the adjacency and ops columns.
    int adjacencyColumn = -1, opsColumn = -1;
    std::string line;
    for (int number = 1; std::getline(file, line); ++number) {
        line = trimmed(line);
        if (line.empty() || line[0] == '#')
            continue;
        try {
            if (number == 1 && line.find("adjacency") != std::string::npos) {
                const std::vector<std::string> header = splitCommas(line);
                for (std::size_t c = 0; c < header.size(); ++c) {
                    adjacencyColumn = header[c] == "adjacency" ? int(c) : adjacencyColumn;
                    opsColumn = header[c] == "ops" ? int(c) : opsColumn;
                }
                if (adjacencyColumn < 0 || opsColumn < 0)
                    throw UsageError("a CSV arch file needs columns named 'adjacency' and 'ops'");
                continue;
            }
            if (adjacencyColumn < 0) {
                specs.push_back(nb101::Spec::parse(line));
                continue;
            }
            const std::vector<std::string> fields = splitCommas(line);
            if (int(fields.size()) <= std::max(adjacencyColumn, opsColumn))
                throw UsageError("too few fields");
            specs.push_back(nb101::Spec::fromColumns(fields[adjacencyColumn], fields[opsColumn]));
        } catch (const std::exception& error) {
            throw UsageError(path + ":" + std::to_string(number) + ": " + error.what());
        }
    }
    if (specs.empty())
        throw UsageError("arch file '" + path + "' holds no cell");
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
        return nb101::randomSpecs(static_cast<std::size_t>(count), seed);
    } catch (const std::out_of_range&) {
    } catch (const std::invalid_argument& error) {
        if (std::string(error.what()).find("distinct") != std::string::npos)
            throw UsageError(error.what());
    }
    throw UsageError("--sample expects N or N:SEED with N >= 1, got '" + text + "'");
}

std::vector<nb101::Spec> requestedSpecs(const Arguments& args)
{
    const int sources = (args.has("arch") ? 1 : 0) + (args.has("arch-file") ? 1 : 0) + (args.has("sample") ? 1 : 0);
    if (sources != 1)
        throw UsageError("give exactly one of --arch, --arch-file, --sample");
    if (args.has("sample"))
        return sampledSpecs(args.value("sample"));
    if (args.has("arch-file"))
        return readArchFile(args.value("arch-file"));
    std::vector<nb101::Spec> specs;
    for (const std::string& text : args.values("arch"))
        specs.push_back(nb101::Spec::parse(text));
    return specs;
}

ScoreOptions scoreOptions(const Arguments& args)
{
    ScoreOptions options;
    options.weights = parseWeightPair(args.value("weights", toString(kNb101Weights)));
    options.precision = parsePrecision(args.value("precision", "fp32"));
    options.evaluator = parseEvaluatorKind(args.value("evaluator", "fast"));
    options.device = parseDevice(args.value("device", "cpu"));
    options.threads = args.intValue("threads", 0, 1);
    options.chunkSize = args.intValue("chunk", 0, 1);
    options.keepOutputs = false; // the CSV holds scores only; skip the second pass for cells already NaN
    return options;
}

InputSpec inputSpec(const Arguments& args)
{
    InputSpec spec = InputSpec::parse(args.value("input", "grey"));
    spec.batch = args.intValue("batch", 256, 2);
    spec.offset = args.intValue("offset", 0, 0);
    spec.imageSize = args.intValue("image-size", 32, 4);
    const bool cifar = spec.kind == InputSpec::Kind::Cifar10 || spec.kind == InputSpec::Kind::Cifar100;
    if (args.has("offset") && !cifar)
        throw UsageError("--offset applies to cifar10:/cifar100: inputs only");
    if (args.has("image-size") && cifar)
        throw UsageError("--image-size applies to grey and noise inputs only (CIFAR images are 32x32)");
    return spec;
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
    if (!args.positional().empty())
        throw UsageError("unexpected argument '" + args.positional().front() + "'");
    const std::string space = "nb101";

    std::vector<nb101::Spec> specs = requestedSpecs(args);
    if (args.has("shard")) {
        const Shard shard = Shard::parse(args.value("shard"));
        std::vector<nb101::Spec> slice;
        for (std::size_t i = 0; i < specs.size(); ++i)
            if (shard.contains(i))
                slice.push_back(specs[i]);
        specs = std::move(slice);
    }
    const ScoreOptions options = scoreOptions(args);
    const InputBatch input = InputBatch::load(inputSpec(args));
    // Open the output before the long work, so a bad path fails now rather than after an hour of scoring.
    CsvWriter out(args.value("out", "-"));

    // Each pruned form is scored once (the network is built from it); the CSV has one row per requested cell.
    std::map<std::string, CellScore> scores;
    std::vector<nb101::Spec> pending;
    for (const nb101::Spec& spec : specs) {
        const nb101::Spec pruned = spec.pruned();
        if (scores.emplace(pruned.toString(), CellScore {}).second)
            pending.push_back(pruned);
    }

#ifdef EPSINAS_HAVE_STORE
    std::optional<ResultStore> store;
    const RunKey run { space, input.fingerprint(), toString(options.weights), toString(options.precision) };
    if (args.has("store")) {
        store = ResultStore::open(args.value("store"));
        std::vector<std::string> keys;
        for (const nb101::Spec& spec : pending)
            keys.push_back(spec.toString());
        const auto stored = store->lookup(run, keys);
        std::vector<nb101::Spec> missing;
        for (const nb101::Spec& spec : pending) {
            const auto found = stored.find(spec.toString());
            if (found == stored.end()) {
                missing.push_back(spec);
                continue;
            }
            CellScore& score = scores[spec.toString()];
            score.score = found->second.score;
            score.mae = found->second.mae;
            score.mean = found->second.mean;
            score.nanReason = found->second.nanReason;
        }
        if (missing.size() < pending.size())
            std::fprintf(stderr, "%zu of %zu distinct cells already in %s\n", pending.size() - missing.size(),
                pending.size(), args.value("store").c_str());
        pending = std::move(missing);
    }
#else
    if (args.has("store"))
        throw UsageError("this build has no result store (SQLite was not found when it was built)");
#endif

    const auto evaluator = makeNb101Evaluator(input, options);
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    ProgressReporter progress("scoring", pending.size());
    // A store transaction per chunk: an interrupted run loses at most one chunk of work.
    const std::size_t chunkSize = 64;
    std::size_t done = 0;
    try {
        for (std::size_t begin = 0; begin < pending.size(); begin += chunkSize) {
            const std::vector<nb101::Spec> chunk(
                pending.begin() + begin, pending.begin() + std::min(pending.size(), begin + chunkSize));
            RunControl control;
            control.isCancelled = [] { return g_interrupted.load(); };
            control.progress = [&](std::size_t chunkDone, std::size_t) { progress.update(done + chunkDone); };
            const std::vector<CellScore> results = evaluator->score(chunk, control);
#ifdef EPSINAS_HAVE_STORE
            if (store) {
                std::vector<StoredScore> rows;
                for (std::size_t i = 0; i < chunk.size(); ++i)
                    rows.push_back({ chunk[i].toString(), results[i].score, results[i].mae, results[i].mean,
                        results[i].nanReason });
                store->write(run, rows);
            }
#endif
            for (std::size_t i = 0; i < chunk.size(); ++i)
                scores[chunk[i].toString()] = results[i];
            done += chunk.size();
            progress.update(done);
        }
    } catch (const Cancelled&) {
        progress.finish("interrupted after " + std::to_string(done) + " distinct cells"
            + (args.has("store") ? "; they are stored: run the same command again to resume" : ""));
        return 130;
    }

    std::size_t nanCount = 0;
    out.row({ "arch", "score", "hash", "mae", "mean", "params", "nan_reason" });
    for (const nb101::Spec& spec : specs) {
        const CellScore& score = scores[spec.pruned().toString()];
        nanCount += score.isNan() ? 1 : 0;
        out.row({ spec.toString(), formatNumber(score.score), spec.hash(), formatNumber(score.mae),
            formatNumber(score.mean), std::to_string(spec.parameterCount()), score.nanReason });
    }
    out.commit();
    progress.finish("scored " + std::to_string(specs.size()) + " cells (" + std::to_string(scores.size())
        + " distinct, " + std::to_string(done) + " computed), " + std::to_string(nanCount) + " NaN");
    return 0;
}

} // namespace epsinas::cli
