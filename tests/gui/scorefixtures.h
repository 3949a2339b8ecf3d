// SPDX-License-Identifier: MIT
#pragma once

// Scored NAS-Bench-201 cells for the scatter, table and export tests, made up but deterministic.

#include "scoreresult.h"

#include "spaces/nb201/space.h"

#include <QHash>
#include <QSettings>
#include <QString>

#include <cmath>
#include <limits>

namespace fixtures {

/**
 * Fresh settings for a test of the explorer, small and quick: a 16-image batch, one thread, no start-up sample (the
 * test mode of QStandardPaths keeps them apart from a user's).
 */
inline void quickScoringSettings()
{
    QSettings settings;
    settings.clear();
    settings.setValue("Scoring/batch", 16);
    settings.setValue("Scoring/threads", 1);
    settings.setValue("Scoring/sampleSize", 0);
}

/** Cell `index` of the enumerated NB201 space, scored `score` (NaN with a reason when `score` is NaN). */
inline epsinas::gui::ScoredArch cell(int index, double score)
{
    epsinas::gui::ScoredArch scored;
    scored.arch = epsinas::nb201::toArch(epsinas::nb201::Cell::fromIndex(index));
    scored.score = score;
    scored.mae = score / 2;
    scored.mean = 0.5;
    if (std::isnan(score))
        scored.nanReason = QStringLiteral("w=1e-07: all outputs equal, min = max");
    return scored;
}

/** The key NB201 tables join on (SearchSpace::tableKey): the cell's arch string. */
inline QString tableKey(int index)
{
    return QString::fromStdString(epsinas::nb201::Cell::fromIndex(index).toString());
}

/** 40 cells spread over the space, every fifth NaN, the others scored in the order of their index. */
inline epsinas::gui::ScoredArchs set()
{
    epsinas::gui::ScoredArchs cells;
    for (int i = 0; i < 40; ++i)
        cells.push_back(cell(i * 389, i % 5 == 0 ? std::numeric_limits<double>::quiet_NaN() : 0.01 * i));
    return cells;
}

/** An accuracy for every cell that grows with the index, with some noise, by table key. */
inline QHash<QString, double> accuracies()
{
    QHash<QString, double> targets;
    for (int i = 0; i < epsinas::nb201::kCellCount; ++i)
        targets.insert(tableKey(i), 70 + i * 1e-3 + std::fmod(i * 0.37, 3));
    return targets;
}

} // namespace fixtures
