// SPDX-License-Identifier: MIT
// `epsinas score`: one command for every search space, driven by the space's module (core/spaces) and the shared
// pipeline (core/run).
#include "cli/arguments.h"
#include "cli/commands.h"
#include "cli/csvwriter.h"
#include "cli/progress.h"
#include "cli/scorearguments.h"
#include "cli/scorerun.h"

#include "io/inputfile.h"
#include "run/batch.h"
#include "spaces/spaces.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>

namespace epsinas::cli {

namespace {

// The space scored when --space is not given: the paper's first benchmark, and what scripts written before the
// other spaces existed expect.
constexpr const char* kDefaultSpace = "nb201";

/** The value of --space (given as `--space S` or `--space=S`), kDefaultSpace when absent; refused when given twice. */
const SearchSpace& requestedSpace(const std::vector<std::string>& argv)
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
    const SpaceRegistry& spaces = spaceRegistry();
    const std::string key = given.empty() ? kDefaultSpace : given.front();
    const SearchSpace* space = spaces.find(key);
    if (!space)
        throw UsageError("unknown --space '" + excerpt(key) + "' (expected " + spaces.keyList() + ")");
    return *space;
}

std::string usage(const SearchSpace& space)
{
    const bool images = space.inputKind() == InputKind::Images;
    std::string text = "usage: epsinas score [--space S] (--arch STR ... | --arch-file FILE ... | --sample N[:SEED]"
        + std::string(space.enumerate() ? " | --all" : "") + ") [options]\n\n";
    text += "  --space S             " + spaceRegistry().keyList() + " (default " + kDefaultSpace + "); this is "
        + space.key() + ", " + space.name() + "\n";
    text += "  --arch STR            an architecture (repeatable)\n"
            "  --arch-file FILE      a file of them (repeatable):\n"
        + space.syntaxHelp();
    text += "  --sample N[:SEED]     N (at most " + std::to_string(space.sampleLimit()) + ") random "
        + space.unitName(true) + " drawn by the space's sampler (seed 0 by default)\n";
    if (space.enumerate())
        text += "  --all                 all " + std::to_string(space.enumerate()->size()) + " " + space.unitName(true)
            + "\n";
    if (images) {
        text += "  --input SPEC          grey (default: image i constant at i/B) | noise[:SEED] | cifar10:PATH | "
                "cifar100:PATH\n"
                "  --batch N             images in the batch (256; 2 to 65536)  --offset N   first CIFAR record (0)\n"
                "  --image-size N        side of grey/noise images (32; 4 to 1024)\n";
    } else {
        text += "  --input SPEC          synthetic (default: token (t*B+b)*7919 mod 10000) | ptb:FILE[,FILE...] "
                "(tokenised in\n"
                "                        this order, first 70 rows of the stream batchified into B columns)\n"
                "  --batch N             columns of the token batch (256; at most 65536)\n";
    }
    text += "  --weights LO,HI       the two constant weights (" + toString(space.defaultWeights())
        + "; other pairs depart from the reference)\n"
          "  --precision P         fp32 (reference) | fp64 (departure: far fewer NaN, different ranking)\n"
          "  --evaluator E         fast (exact width-collapsed, default) | reference (full-width network, the "
          "paper's way)\n"
          "  --device D            cpu (default) | cuda        --threads N  CPU threads (default: all cores; at "
          "most 4 per hardware thread)\n"
          "  --chunk N             architectures evaluated together by the fast path (default: from the device)\n"
          "  --out FILE            CSV destination (default: stdout); written whole or not at all\n"
          "  --store FILE          SQLite result store: reuse stored scores, store new ones chunk by chunk "
          "(resumable)\n"
          "  --shard I/N           score only the I-th (0-based) of N disjoint slices of the requested "
        + space.unitName(true) + "\n\n";
    text += "Sources may be combined; rows (and shard positions) follow the order --arch-file, --arch, --sample"
        + std::string(space.enumerate() ? ", --all" : "") + ".\n";
    text += space.usageNotes();
    std::string columns;
    for (const std::string& column : space.csvColumns())
        columns += (columns.empty() ? "" : ",") + column;
    text += "CSV columns: " + columns + " (NaN written 'nan', %.9g).\n";
    text += "params: trainable parameters; flops: multiply-accumulates of the conv and linear layers for one input\n"
            "(docs/flops.md).\n";
    return text;
}

/** N or N:SEED of --sample; refused above the space's limit. */
std::pair<std::size_t, std::uint64_t> sampleRequest(const std::string& text, const SearchSpace& space)
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
    if (static_cast<unsigned long long>(count) > space.sampleLimit())
        throw UsageError("--sample draws at most " + std::to_string(space.sampleLimit()) + " " + space.name() + " "
            + space.unitName(true) + ", got " + std::to_string(count) + " (list more in an --arch-file)");
    return { static_cast<std::size_t>(count), seed };
}

/** Every requested architecture, in the order of the usage text; an id for each where the space labels by id. */
std::vector<NamedArch> requestedArchs(const Arguments& args, const SearchSpace& space)
{
    std::vector<NamedArch> archs;
    for (const std::string& path : args.values("arch-file")) {
        std::vector<NamedArch> file = space.readFile(path);
        archs.insert(archs.end(), file.begin(), file.end());
    }
    const std::vector<NamedArch> examples = space.examples();
    std::size_t position = 0;
    for (const std::string& text : args.values("arch")) {
        ++position;
        const auto example = std::find_if(
            examples.begin(), examples.end(), [&text](const NamedArch& named) { return named.id == text; });
        if (example != examples.end())
            archs.push_back(*example);
        else
            archs.push_back({ space.labelsRowsById() ? "arch-" + std::to_string(position) : "", space.parse(text) });
    }
    for (const std::string& text : args.values("sample")) {
        const auto [count, seed] = sampleRequest(text, space);
        const std::vector<Arch> drawn = space.sample(count, seed);
        for (std::size_t i = 0; i < drawn.size(); ++i)
            archs.push_back({ space.labelsRowsById() ? "sample-" + std::to_string(i) : "", drawn[i] });
    }
    if (args.has("all")) {
        const std::optional<std::vector<Arch>> all = space.enumerate();
        if (!all)
            throw UsageError("--all: " + space.name() + " is too large to list; use --sample N or --arch-file FILE");
        for (const Arch& arch : *all)
            archs.push_back({ {}, arch });
    }
    if (archs.empty()) {
        // Named as the space's benchmark names them too (e.g. --recipe for a benchmark of recipes).
        const auto option = [&space](const std::string& name) {
            std::string text = "--" + name;
            for (const auto& [alias, aliased] : space.optionAliases())
                text += aliased == name ? " (--" + alias + ")" : "";
            return text;
        };
        throw UsageError("give at least one of " + option("arch") + ", " + option("arch-file") + ", --sample"
            + std::string(space.enumerate() ? ", --all" : "") + " (see epsinas score --space " + space.key()
            + " --help)");
    }
    return archs;
}

std::string field(const std::string& column, const NamedArch& named, const ArchScore& score)
{
    const SearchSpace& space = named.arch.space();
    if (column == "arch")
        return named.id.empty() ? space.format(named.arch) : named.id;
    if (column == "score")
        return formatNumber(score.score);
    if (column == "mae")
        return formatNumber(score.mae);
    if (column == "mean")
        return formatNumber(score.mean);
    if (column == "params")
        return std::to_string(space.parameterCount(named.arch));
    if (column == "flops") {
        const std::optional<std::int64_t> flops = space.flops(named.arch);
        return flops ? std::to_string(*flops) : std::string();
    }
    if (column == "nan_reason")
        return score.nanReason;
    return space.csvField(column, named);
}

} // namespace

int scoreCommand(const std::vector<std::string>& argv)
{
    const SearchSpace& space = requestedSpace(argv);
    const bool images = space.inputKind() == InputKind::Images;
    std::vector<std::string> valueOptions { "space", "arch", "arch-file", "sample", "input", "batch", "weights",
        "precision", "evaluator", "device", "threads", "chunk", "out", "store", "shard" };
    if (images)
        valueOptions.insert(valueOptions.end(), { "offset", "image-size" });
    const Arguments args(argv, valueOptions, { "all", "help" }, space.optionAliases());
    if (args.has("help")) {
        std::fputs(usage(space).c_str(), stdout);
        return 0;
    }
    args.rejectPositional();

    const std::vector<NamedArch> archs = args.has("shard")
        ? run::shardSlice(requestedArchs(args, space), Shard::parse(args.value("shard")))
        : requestedArchs(args, space);
    const ScoreOptions options = scoreOptions(args, space.defaultWeights());
    const ScoringInput input = ScoringInput::load(space.inputKind(), inputRequest(args, space.inputKind()));
    // Open the output before the long work, so a bad path fails now rather than after an hour of scoring.
    CsvWriter out(args.value("out", "-"), runFiles(args, inputFiles(input)));

    std::vector<Arch> requested;
    requested.reserve(archs.size());
    for (const NamedArch& named : archs)
        requested.push_back(named.arch);
    run::Batch batch(requested);
    const auto evaluator = space.makeEvaluator(input, options);
    ProgressReporter progress("scoring", 0);
    std::size_t computed = 0;
    if (!runBatch(batch, *evaluator, run::runKey(space, input, options), storeOption(args), space.runChunk(options),
            space.unitName(true), progress, computed))
        return 130;

    std::size_t nanCount = 0;
    out.row(space.csvColumns());
    for (std::size_t i = 0; i < archs.size(); ++i) {
        const ArchScore& score = batch.formOf(i).score;
        nanCount += score.isNan() ? 1 : 0;
        std::vector<std::string> fields;
        for (const std::string& column : space.csvColumns())
            fields.push_back(field(column, archs[i], score));
        out.row(fields);
    }
    out.commit();
    progress.finish("scored " + std::to_string(archs.size()) + " " + space.unitName(true) + " ("
        + std::to_string(batch.forms().size()) + " distinct, " + std::to_string(computed) + " computed), "
        + std::to_string(nanCount) + " NaN");
    return 0;
}

} // namespace epsinas::cli
