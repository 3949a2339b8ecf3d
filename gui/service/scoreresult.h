// SPDX-License-Identifier: MIT
#pragma once

#include "scoringconfig.h"
#include "spaces/nb101/spec.h"
#include "spaces/nb201/cell.h"
#include "spaces/nb201/space.h"
#include "spaces/nlp/recipe.h"

#include <QMetaType>
#include <QString>
#include <QVector>

namespace epsinas::gui {

/**
 * The live score of one cell as it crosses from the worker thread to the GUI: a plain value, stamped with the
 * generation of the request so the receiver can drop results for cells that are no longer current. `cell` is the
 * NB201 cell, `spec` the NB101 spec, `recipe` the NLP recipe; only the one of `space` is meaningful.
 */
struct ScoreResult {
    quint64 generation = 0;
    nb201::Cell cell;
    /** Includes both raw output vectors, for the histograms. */
    ArchScore score;
    double milliseconds = 0;
    /** Where it ran, as the status bar shows it. */
    QString device;
    Space space = Space::Nb201;
    nb101::Spec spec;
    nlp::Recipe recipe;
};

/**
 * One row of the results table: what batch runs and the store deliver (no raw outputs, to stay small). Like
 * ScoreResult, it holds an NB201 cell, an NB101 spec or an NLP recipe, as `space` says.
 */
struct ScoredCell {
    nb201::Cell cell;
    double score = 0;
    double mae = 0;
    double mean = 0;
    QString nanReason;
    Space space = Space::Nb201;
    nb101::Spec spec;
    nlp::Recipe recipe;
    /** The recipe's recepie_id in NAS-Bench-NLP, the join key of its tables; empty when unknown. */
    QString recipeId;

    bool isNan() const { return !nanReason.isEmpty(); }
    /** The arch string of the space (NB201 cell string, NB101 `ADJ:OPS`, NLP recipe JSON). */
    QString arch() const;
    /**
     * Identifies the row within its space: NB201 cell index, NB101 pruned spec (one per function); an NLP recipe by
     * its recepie_id when it has one (NAS-Bench-NLP trained identical recipes under several ids, each a data point)
     * and by its JSON otherwise.
     */
    QString key() const;
    /**
     * Identifies the function the architecture computes, the key its score is stored under: the canonical NB201
     * cell, the pruned NB101 spec, the NLP recipe JSON. Rows with the same function key share one score.
     */
    std::string functionKey() const;
    static ScoredCell from(const nb201::Cell& cell, const ArchScore& score);
    static ScoredCell from(const nb101::Spec& spec, const ArchScore& score);
    static ScoredCell from(const nlp::Recipe& recipe, const QString& recipeId, const ArchScore& score);
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

/** The key() of the row that `recipe` gets when it has the id `recipeId` (empty: none). */
inline QString recipeKey(const nlp::Recipe& recipe, const QString& recipeId)
{
    return recipeId.isEmpty() ? QString::fromStdString(recipe.toJson()) : QStringLiteral("recepie_id ") + recipeId;
}

inline QString ScoredCell::arch() const
{
    switch (space) {
    case Space::Nb101:
        return QString::fromStdString(spec.toString());
    case Space::Nlp:
        return QString::fromStdString(recipe.toJson());
    case Space::Nb201:
        break;
    }
    return QString::fromStdString(cell.toString());
}

inline QString ScoredCell::key() const
{
    switch (space) {
    case Space::Nb101:
        return specKey(spec);
    case Space::Nlp:
        return recipeKey(recipe, recipeId);
    case Space::Nb201:
        break;
    }
    return cellKey(cell);
}

inline std::string ScoredCell::functionKey() const
{
    switch (space) {
    case Space::Nb101:
        return spec.pruned().toString();
    case Space::Nlp:
        return recipe.toJson();
    case Space::Nb201:
        break;
    }
    return cell.canonical().toString();
}

inline ScoredCell ScoredCell::from(const nb201::Cell& cell, const ArchScore& score)
{
    ScoredCell scored;
    scored.cell = cell;
    scored.score = score.score;
    scored.mae = score.mae;
    scored.mean = score.mean;
    scored.nanReason = QString::fromStdString(score.nanReason);
    return scored;
}

inline ScoredCell ScoredCell::from(const nb101::Spec& spec, const ArchScore& score)
{
    ScoredCell scored = from(nb201::Cell {}, score);
    scored.space = Space::Nb101;
    scored.spec = spec;
    return scored;
}

inline ScoredCell ScoredCell::from(const nlp::Recipe& recipe, const QString& recipeId, const ArchScore& score)
{
    ScoredCell scored = from(nb201::Cell {}, score);
    scored.space = Space::Nlp;
    scored.recipe = recipe;
    scored.recipeId = recipeId;
    return scored;
}

} // namespace epsinas::gui

Q_DECLARE_METATYPE(epsinas::gui::ScoreResult)
Q_DECLARE_METATYPE(epsinas::gui::ScoredCell)
Q_DECLARE_METATYPE(epsinas::gui::ScoredCells)
