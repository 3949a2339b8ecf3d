// SPDX-License-Identifier: MIT
#pragma once

#include "scoringconfig.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <vector>

namespace epsinas::gui {

/**
 * A loaded benchmark table, reduced to what the explorer needs: its numeric columns, each resolved once to values by
 * the space's join key (SearchSpace::tableKey), so picking another target costs nothing.
 */
struct BenchmarkData {
    QString path;
    QStringList columns;
    /** Per column (same order): the values by join key; the first row of a key wins, even when its value is NaN. */
    std::vector<QHash<QString, double>> byKey;
    /**
     * The benchmark's own id of each row by join key (SearchSpace::tableIdColumn, e.g. NB201's arch_index), where
     * the table has that column and it is not the join key itself; empty otherwise.
     */
    QHash<QString, QString> ids;
    /** Join keys with a value in the fullest column: the architectures the table knows. */
    int matchedCells = 0;
    /** Rows whose architecture an earlier row already named; the earlier row's values are the ones used. */
    int duplicateRows = 0;
    /** The architectures the table names and the space can read (SearchSpace::tableArchs), to be scored. */
    std::vector<NamedArch> archs;

    const QHash<QString, double>* column(const QString& name) const;
};

/**
 * Reads a CSV table of `space`'s architectures, joined by the space's key column; throws std::runtime_error with a
 * message that names the file and the problem.
 */
BenchmarkData loadBenchmark(const QString& path, const SearchSpace& space);

/** Whether a good architecture has a low value in `column`: a loss, a perplexity or an error rate. */
bool lowerIsBetter(const QString& column);

/** The target a user most likely wants among `columns`, by the space's hints; the first column otherwise. */
QString preferredTarget(const QStringList& columns, const SearchSpace& space);

/** A correlation readout under one NaN policy (algorithm §1.6), with the paper's top statistics (algorithm §8). */
struct Correlation {
    int n = 0;
    int nanCount = 0;
    double spearman = 0;
    double kendall = 0;
    double spearmanTop10 = 0;
    double kendallTop10 = 0;
    double t10t10 = 0;
    double t64t5 = 0;
    /** Empty when these are the reference's statistics, else what departs (e.g. the NaN policy). */
    QString departure;
};

/**
 * Correlates scores with targets as `epsinas correlate` does (docs/statistics.md): `policy` is "exclude", "worst" or
 * "best"; `space` picks its reference's score rule, and a lower-is-better target follows the reference's
 * maximize=False. NaN fields where undefined.
 */
Correlation correlateScores(const std::vector<double>& scores, const std::vector<double>& targets,
    const QString& policy, bool lowerIsBetter, const SearchSpace& space);

} // namespace epsinas::gui
