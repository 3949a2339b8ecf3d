// SPDX-License-Identifier: MIT
#pragma once

#include "cells/nb101spec.h"
#include "cells/nb201cell.h"
#include "score/nb201evaluator.h"
#include "scoringconfig.h"

#include <QMetaType>
#include <QString>
#include <QVector>

namespace epsinas::gui {

/**
 * The live score of one cell as it crosses from the worker thread to the GUI: a plain value, stamped with the
 * generation of the request so the receiver can drop results for cells that are no longer current. `cell` is the
 * NB201 cell, `spec` the NB101 spec; only the one of `space` is meaningful.
 */
struct ScoreResult {
    quint64 generation = 0;
    nb201::Cell cell;
    /** Includes both raw output vectors, for the histograms. */
    CellScore score;
    double milliseconds = 0;
    /** Where it ran, as the status bar shows it. */
    QString device;
    Space space = Space::Nb201;
    nb101::Spec spec;
};

/**
 * One row of the results table: what batch runs and the store deliver (no raw outputs, to stay small). Like
 * ScoreResult, it holds an NB201 cell or an NB101 spec, as `space` says.
 */
struct ScoredCell {
    nb201::Cell cell;
    double score = 0;
    double mae = 0;
    double mean = 0;
    QString nanReason;
    Space space = Space::Nb201;
    nb101::Spec spec;

    bool isNan() const { return !nanReason.isEmpty(); }
    /** The arch string of the space (NB201 cell string, NB101 `ADJ:OPS`). */
    QString arch() const;
    /** Identifies the architecture within its space: NB201 cell index, NB101 pruned spec (one per function). */
    QString key() const;
    static ScoredCell from(const nb201::Cell& cell, const CellScore& score);
    static ScoredCell from(const nb101::Spec& spec, const CellScore& score);
};

using ScoredCells = QVector<ScoredCell>;

/** The key() of the row that `cell` gets. */
inline QString cellKey(const nb201::Cell& cell)
{
    return QString::number(cell.index());
}

/** The key() of the row that `spec` gets; specs that prune to the same cell share it. */
inline QString specKey(const nb101::Spec& spec)
{
    return QString::fromStdString(spec.pruned().toString());
}

inline QString ScoredCell::arch() const
{
    return QString::fromStdString(space == Space::Nb101 ? spec.toString() : cell.toString());
}

inline QString ScoredCell::key() const
{
    return space == Space::Nb101 ? specKey(spec) : cellKey(cell);
}

inline ScoredCell ScoredCell::from(const nb201::Cell& cell, const CellScore& score)
{
    ScoredCell scored;
    scored.cell = cell;
    scored.score = score.score;
    scored.mae = score.mae;
    scored.mean = score.mean;
    scored.nanReason = QString::fromStdString(score.nanReason);
    return scored;
}

inline ScoredCell ScoredCell::from(const nb101::Spec& spec, const CellScore& score)
{
    ScoredCell scored = from(nb201::Cell {}, score);
    scored.space = Space::Nb101;
    scored.spec = spec;
    return scored;
}

} // namespace epsinas::gui

Q_DECLARE_METATYPE(epsinas::gui::ScoreResult)
Q_DECLARE_METATYPE(epsinas::gui::ScoredCell)
Q_DECLARE_METATYPE(epsinas::gui::ScoredCells)
