// SPDX-License-Identifier: MIT
#pragma once

#include "score/input.h"
#include "score/options.h"
#include "score/tokeninput.h"
#include "space/searchspace.h"

#include <QString>

#include <optional>

namespace epsinas::gui {

/** The search spaces the explorer edits; each has its own cells, evaluator, weights and stored scores. */
enum class Space { Nb201, Nb101, Nlp };

/** Every space, in the order the explorer offers them. */
constexpr Space kAllSpaces[] = { Space::Nb201, Space::Nb101, Space::Nlp };

/** The short key of a space ("nb201", "nb101", "nlp"): settings values, store run keys, the --space option. */
QString spaceKey(Space space);
/** The space named `key`, or nothing when the key is unknown. */
std::optional<Space> parseSpace(const QString& key);
/** The benchmark's name, e.g. "NAS-Bench-101". */
QString spaceName(Space space);
/** What the architectures of `space` are called in counts: "cells", or "recipes" for NAS-Bench-NLP. */
QString unitName(Space space);
/** The core module of `space`. */
const SearchSpace& spaceModule(Space space);
/** The constant weights of the reference for `space` (algorithm §2). */
WeightPair defaultWeights(Space space);

/**
 * Everything that decides what a score is (input, weights, precision, evaluator) plus where it runs and where
 * results persist. The service compares configs to know when shown scores have become invalid.
 */
struct ScoringConfig {
    Space space = Space::Nb201;
    /** The image batch of NB201 and NB101. */
    InputSpec input;
    /** The token batch of NAS-Bench-NLP; its batch size follows input.batch. */
    TokenSpec tokens;
    ScoreOptions options;
    /** SQLite file of the results store; empty for none. */
    QString storePath;

    /** True when scores computed under `other` are the scores this config would compute. */
    bool sameScoresAs(const ScoringConfig& other) const;
    /** One line for status bars and CSV headers, e.g. "grey ×256, w=1e-07,1, fp32, fast". */
    QString describe() const;
    /** The token batch the NLP evaluators read: tokens, with the batch size of input. */
    TokenSpec tokenSpec() const;

    friend bool operator==(const ScoringConfig& a, const ScoringConfig& b);
    friend bool operator!=(const ScoringConfig& a, const ScoringConfig& b) { return !(a == b); }
};

} // namespace epsinas::gui
