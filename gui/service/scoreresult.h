// SPDX-License-Identifier: MIT
#pragma once

#include "cells/nb201cell.h"
#include "score/nb201evaluator.h"

#include <QMetaType>
#include <QString>
#include <QVector>

namespace epsinas::gui {

/**
 * The live score of one cell as it crosses from the worker thread to the GUI: a plain value, stamped with the
 * generation of the request so the receiver can drop results for cells that are no longer current.
 */
struct ScoreResult {
    quint64 generation = 0;
    nb201::Cell cell;
    /** Includes both raw output vectors, for the histograms. */
    CellScore score;
    double milliseconds = 0;
    /** Where it ran, as the status bar shows it. */
    QString device;
};

/** One row of the results table: what batch runs and the store deliver (no raw outputs, to stay small). */
struct ScoredCell {
    nb201::Cell cell;
    double score = 0;
    double mae = 0;
    double mean = 0;
    QString nanReason;

    bool isNan() const { return !nanReason.isEmpty(); }
    static ScoredCell from(const nb201::Cell& cell, const CellScore& score);
};

using ScoredCells = QVector<ScoredCell>;

inline ScoredCell ScoredCell::from(const nb201::Cell& cell, const CellScore& score)
{
    return ScoredCell { cell, score.score, score.mae, score.mean, QString::fromStdString(score.nanReason) };
}

} // namespace epsinas::gui

Q_DECLARE_METATYPE(epsinas::gui::ScoreResult)
Q_DECLARE_METATYPE(epsinas::gui::ScoredCell)
Q_DECLARE_METATYPE(epsinas::gui::ScoredCells)
