// SPDX-License-Identifier: MIT
#include "cli/scorearguments.h"

namespace epsinas::cli {

ScoreOptions scoreOptions(const Arguments& args, const WeightPair& defaultWeights)
{
    ScoreOptions options;
    options.weights = args.has("weights") ? parseWeightPair(args.value("weights")) : defaultWeights;
    options.precision = parsePrecision(args.value("precision", "fp32"));
    options.evaluator = parseEvaluatorKind(args.value("evaluator", "fast"));
    options.device = parseDevice(args.value("device", "cpu"));
    options.threads = args.intValue("threads", 0, 1);
    options.chunkSize = args.intValue("chunk", 0, 1);
    options.keepOutputs = false; // the CSV holds scores only; skip the second pass for cells already NaN
    return options;
}

InputSpec imageInputSpec(const Arguments& args)
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

} // namespace epsinas::cli
