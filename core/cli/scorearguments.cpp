// SPDX-License-Identifier: MIT
#include "cli/scorearguments.h"

#include "cells/inputfile.h"
#include "score/runtime.h"

namespace epsinas::cli {

namespace {

// Bounds on an arch file: all 423,624 NB101 specs as ADJ:OPS take 40 MiB, and a line holds one architecture.
constexpr std::uint64_t kMaxArchFileBytes = 256ull << 20;
constexpr std::size_t kMaxArchLineBytes = 64 << 10;

} // namespace

ScoreOptions scoreOptions(const Arguments& args, const WeightPair& defaultWeights)
{
    ScoreOptions options;
    options.weights = args.has("weights") ? parseWeightPair(args.value("weights")) : defaultWeights;
    options.precision = parsePrecision(args.value("precision", "fp32"));
    options.evaluator = parseEvaluatorKind(args.value("evaluator", "fast"));
    options.device = parseDevice(args.value("device", "cpu"));
    options.threads = args.intValue("threads", 0, 1);
    if (options.threads > maxCpuThreads())
        throw UsageError("option --threads must be at most " + std::to_string(maxCpuThreads()) + " (4 x the "
            + std::to_string(maxCpuThreads() / 4) + " hardware threads), got " + std::to_string(options.threads));
    options.chunkSize = args.intValue("chunk", 0, 1, kMaxChunk);
    options.keepOutputs = false; // the CSV holds scores only; skip the second pass for cells already NaN
    return options;
}

InputSpec imageInputSpec(const Arguments& args)
{
    InputSpec spec = InputSpec::parse(args.value("input", "grey"));
    spec.batch = args.intValue("batch", 256, 2, kMaxBatchImages);
    spec.offset = args.intValue("offset", 0, 0);
    spec.imageSize = args.intValue("image-size", 32, 4, kMaxImageSize);
    const bool cifar = spec.kind == InputSpec::Kind::Cifar10 || spec.kind == InputSpec::Kind::Cifar100;
    if (args.has("offset") && !cifar)
        throw UsageError("--offset applies to cifar10:/cifar100: inputs only");
    if (args.has("image-size") && cifar)
        throw UsageError("--image-size applies to grey and noise inputs only (CIFAR images are 32x32)");
    return spec;
}

void forEachArchLine(const std::string& path, const std::function<void(const std::string&, std::size_t)>& parse)
{
    InputFile file(path, "arch file", kMaxArchFileBytes);
    for (std::string line; file.readLine(line, kMaxArchLineBytes);) {
        const auto first = line.find_first_not_of(" \t\r");
        if (first == std::string::npos || line[first] == '#')
            continue;
        const auto last = line.find_last_not_of(" \t\r");
        try {
            parse(line.substr(first, last - first + 1), file.lineNumber());
        } catch (const std::exception& error) {
            throw UsageError(file.where() + error.what());
        }
    }
}

} // namespace epsinas::cli
