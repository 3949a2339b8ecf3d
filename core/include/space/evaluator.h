// SPDX-License-Identifier: MIT
#pragma once

#include "score/options.h"
#include "score/result.h"
#include "score/signalflow.h"
#include "space/arch.h"

#include <optional>
#include <vector>

namespace epsinas {

/**
 * Scores architectures of one space under fixed options and one input batch. Implementations own their LibTorch
 * state, so one evaluator belongs to one thread at a time.
 */
class Evaluator {
public:
    virtual ~Evaluator() = default;
    /**
     * Scores `archs` (all of the evaluator's space) in order. `control` may report progress and cancel, which throws
     * Cancelled. Throws std::runtime_error for device problems (no CUDA, out of memory) with a message for the user.
     */
    virtual std::vector<ArchScore> score(const std::vector<Arch>& archs, const RunControl& control = {}) = 0;
    virtual const ScoreOptions& options() const = 0;
    /**
     * The signal after every layer of `arch`'s network for both weights, computed as score() computes the outputs
     * (the explainer's signal-flow step); nullopt where the space's evaluator does not trace its layers. Throws as
     * score() does.
     */
    virtual std::optional<SignalFlow> signalFlow(const Arch& /*arch*/) { return std::nullopt; }
};

} // namespace epsinas
