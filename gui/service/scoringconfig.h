// SPDX-License-Identifier: MIT
#pragma once

#include "score/input.h"
#include "score/options.h"
#include "score/tokeninput.h"
#include "space/scoringinput.h"
#include "space/searchspace.h"

#include <QString>

namespace epsinas::gui {

/** The space the explorer starts in when nothing else is asked for: the registry's first. */
const SearchSpace& defaultSpace();
/** The space whose key is `key` (any case), or nullptr. */
const SearchSpace* findSpace(const QString& key);
/** What the space's architectures are called in counts: "cells", "recipes". */
QString unitName(const SearchSpace& space);
/** A constant weight as every panel writes it: the shortest text that reads back as the same double ("1e-07"). */
QString weightText(double weight);

/**
 * Everything that decides what a score is (space, input, weights, precision, evaluator) plus where it runs and
 * where results persist. The service compares configs to know when shown scores have become invalid.
 */
struct ScoringConfig {
    /** Never null: a space of the registry. */
    const SearchSpace* space = &defaultSpace();
    /** The image batch of spaces whose networks read images. */
    InputSpec input;
    /** The token batch of spaces whose networks read tokens; its batch size follows input.batch. */
    TokenSpec tokens;
    ScoreOptions options;
    /** SQLite file of the results store; empty for none. */
    QString storePath;

    /** True when scores computed under `other` are the scores this config would compute. */
    bool sameScoresAs(const ScoringConfig& other) const;
    /** One line for status bars and CSV headers, e.g. "grey ×256, w=1e-07,1, fp32, fast". */
    QString describe() const;
    /** The token batch the space reads: tokens, with the batch size of input. */
    TokenSpec tokenSpec() const;
    /** Reads or generates the input of the space's kind; throws like ScoringInput::load. */
    ScoringInput loadInput() const;

    friend bool operator==(const ScoringConfig& a, const ScoringConfig& b);
    friend bool operator!=(const ScoringConfig& a, const ScoringConfig& b) { return !(a == b); }
};

} // namespace epsinas::gui
