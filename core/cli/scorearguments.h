// SPDX-License-Identifier: MIT
// The options `epsinas score` reads the same way in every search space.
#pragma once

#include "cli/arguments.h"

#include "score/options.h"
#include "space/scoringinput.h"

#include <string>
#include <vector>

namespace epsinas::cli {

// Architectures handed to an evaluator at once: far above any default, and a bound on what a chunk allocates.
constexpr int kMaxChunk = 1 << 16;

/**
 * --weights (default: the space's reference pair `defaultWeights`), --precision, --evaluator, --device, --threads
 * and --chunk, for a run whose CSV holds scores only.
 */
ScoreOptions scoreOptions(const Arguments& args, const WeightPair& defaultWeights);

/**
 * The input batch a run asks for: --input and --batch (images: 2 to kMaxBatchImages, tokens: 1 to
 * kMaxTokenColumns), and for images --offset (CIFAR only) and --image-size (4 to kMaxImageSize; grey and noise
 * only).
 */
InputRequest inputRequest(const Arguments& args, InputKind kind);

/** The files the input was read from (a CIFAR file, the PTB texts); none for generated inputs. */
std::vector<std::string> inputFiles(const ScoringInput& input);

} // namespace epsinas::cli
