// SPDX-License-Identifier: MIT
#pragma once

#include "cells/nb101spec.h"
#include "score/input.h"
#include "score/nb201evaluator.h" // CellScore
#include "score/options.h"

#include <memory>
#include <vector>

namespace epsinas {

/** The constant weights of the NB101 experiments (spec §2): the default of every NB101 run. */
constexpr WeightPair kNb101Weights { 1e-4, 10.0 };

/**
 * Scores NB101 specs under fixed options and one input batch; the same results and NaN reasons as for NB201. Specs
 * must be valid (nb101::Spec::problem() empty); each is evaluated in its pruned form. Implementations own their
 * LibTorch state, so one evaluator belongs to one thread at a time.
 */
class Nb101Evaluator {
public:
    virtual ~Nb101Evaluator() = default;
    /**
     * Scores `specs` in order. `control` may report progress and cancel between chunks (throwing Cancelled). Throws
     * ParseError for an invalid spec and std::runtime_error for device problems, with a message for the user.
     */
    virtual std::vector<CellScore> score(const std::vector<nb101::Spec>& specs, const RunControl& control = {}) = 0;
    virtual const ScoreOptions& options() const = 0;
};

/**
 * `reference` builds the full-width network of spec §3.2 per spec; `fast` runs its exact width-collapsed form
 * (spec §9.1), one spec per CPU thread. Throws std::runtime_error when the options cannot be honoured.
 */
std::unique_ptr<Nb101Evaluator> makeNb101Evaluator(const InputBatch& input, const ScoreOptions& options);

} // namespace epsinas
