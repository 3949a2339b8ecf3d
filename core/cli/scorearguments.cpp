// SPDX-License-Identifier: MIT
#include "cli/scorearguments.h"

#include "score/runtime.h"

namespace epsinas::cli {

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

InputRequest inputRequest(const Arguments& args, InputKind kind)
{
    InputRequest request;
    request.spec = args.value("input");
    if (kind == InputKind::Tokens) {
        request.batch = args.intValue("batch", 256, 1, kMaxTokenColumns);
        return request;
    }
    request.batch = args.intValue("batch", 256, 2, kMaxBatchImages);
    const InputSpec spec = InputSpec::parse(request.spec.empty() ? "grey" : request.spec);
    const bool cifar = spec.kind == InputSpec::Kind::Cifar10 || spec.kind == InputSpec::Kind::Cifar100;
    if (args.has("offset") && !cifar)
        throw UsageError("--offset applies to cifar10:/cifar100: inputs only");
    if (args.has("image-size") && cifar)
        throw UsageError("--image-size applies to grey and noise inputs only (CIFAR images are 32x32)");
    if (args.has("offset"))
        request.offset = args.intValue("offset", 0, 0);
    if (args.has("image-size"))
        request.imageSize = args.intValue("image-size", 32, 4, kMaxImageSize);
    return request;
}

std::vector<std::string> inputFiles(const ScoringInput& input)
{
    if (input.images)
        return input.images->spec().path.empty() ? std::vector<std::string> {}
                                                 : std::vector<std::string> { input.images->spec().path };
    return input.tokens ? input.tokens->spec().paths : std::vector<std::string> {};
}

} // namespace epsinas::cli
