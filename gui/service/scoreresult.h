// SPDX-License-Identifier: MIT
#pragma once

#include "score/result.h"
#include "score/signalflow.h"
#include "space/searchspace.h"

#include <QMetaType>
#include <QString>
#include <QVector>

namespace epsinas::gui {

/**
 * The live score of one architecture as it crosses from the worker thread to the GUI: a plain value, stamped with
 * the generation of the request so the receiver can drop results for architectures that are no longer current.
 */
struct ScoreResult {
    quint64 generation = 0;
    Arch arch;
    /** Includes both raw output vectors, for the histograms. */
    ArchScore score;
    double milliseconds = 0;
    /** Where it ran, as the status bar shows it. */
    QString device;
};

/**
 * One row of the results table: what batch runs and the store deliver (no raw outputs, to stay small). A row is an
 * architecture, under the id its benchmark gives it where it has one (NAS-Bench-NLP trained identical recipes under
 * several recepie_ids, each a data point of its own).
 */
struct ScoredArch {
    Arch arch;
    /** The architecture's id in its benchmark (e.g. a recepie_id), or empty when it has none or it is unknown. */
    QString id;
    double score = 0;
    double mae = 0;
    double mean = 0;
    QString nanReason;

    bool isNan() const { return !nanReason.isEmpty(); }
    /** The architecture as text (the space's format: an arch string, `ADJ:OPS`, recipe JSON). */
    QString text() const { return QString::fromStdString(arch.space().format(arch)); }
    /** Identifies the row: by its id when it has one, by the space's identity key otherwise. */
    QString key() const { return rowKey(arch, id); }
    /** What its score is stored under (SearchSpace::functionKey): rows with one function key share a score. */
    std::string functionKey() const { return arch.space().functionKey(arch); }

    /** The key() of the row that `arch` gets under `id` (empty: none). */
    static QString rowKey(const Arch& arch, const QString& id)
    {
        return id.isEmpty() ? QString::fromStdString(arch.space().identityKey(arch)) : QStringLiteral("id ") + id;
    }
    static ScoredArch from(const Arch& arch, const QString& id, const ArchScore& score)
    {
        return ScoredArch { arch, id, score.score, score.mae, score.mean, QString::fromStdString(score.nanReason) };
    }
};

using ScoredArchs = QVector<ScoredArch>;

} // namespace epsinas::gui

// Signals of editors and the scatter carry architectures.
Q_DECLARE_METATYPE(epsinas::Arch)
Q_DECLARE_METATYPE(epsinas::gui::ScoreResult)
Q_DECLARE_METATYPE(epsinas::gui::ScoredArchs)
Q_DECLARE_METATYPE(epsinas::SignalFlow)
