// SPDX-License-Identifier: MIT
#pragma once

#include "scoringconfig.h"
#include "spaces/nb101/spec.h"
#include "spaces/nlp/recipe.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <vector>

namespace epsinas::gui {

/**
 * A loaded benchmark table, reduced to what the explorer needs: its numeric columns, each resolved to NB201 cell
 * indices once, so picking another target costs nothing.
 */
struct BenchmarkData {
    QString path;
    QStringList columns;
    /** Per column (same order): kCellCount values by cell index, NaN where the table lacks the cell. */
    std::vector<std::vector<double>> byCell;
    /**
     * NB201: the official NAS-Bench-201 index (arch_index) of each cell by enumeration position, -1 where the table
     * lacks the cell; empty when the table has no arch_index column. The official order is not derivable from the
     * cell (spec §3.1), so only a table can supply it.
     */
    std::vector<int> archIndex;
    /** Rows whose architecture is an NB201 cell (NB101: rows with a hash; NLP: rows with a recepie_id). */
    int matchedCells = 0;
    /**
     * NB101 and NLP tables instead: per column (same order), the values by join key (module hash, recepie_id);
     * `byCell` stays empty.
     */
    std::vector<QHash<QString, double>> byKey;
    /** The NB101 cells of a table with `adjacency` and `ops` columns (empty for a hash-only table). */
    std::vector<nb101::Spec> specs;
    /** The NLP recipes the table's ids name, read from `recipesPath` (a recipes.jsonl beside the table). */
    std::vector<nlp::NamedRecipe> recipes;
    QString recipesPath;

    const std::vector<double>* column(const QString& name) const;
    const QHash<QString, double>* keyColumn(const QString& name) const;
};

/** Reads a CSV table; throws std::runtime_error with a message that names the file and the problem. */
BenchmarkData loadBenchmark(const QString& path);
/** Reads an NB101 table, whose rows are joined by their `hash` column; throws like loadBenchmark. */
BenchmarkData loadNb101Benchmark(const QString& path);
/**
 * Reads a NAS-Bench-NLP table, whose rows are joined by their `recepie_id` column, and the recipes of
 * `recipes.jsonl` in the same folder when there is one; throws like loadBenchmark.
 */
BenchmarkData loadNlpBenchmark(const QString& path);

/** Whether a good architecture has a low value in `column`: a loss, a perplexity or an error rate. */
bool lowerIsBetter(const QString& column);

/** A correlation readout under one NaN policy (spec §9.4), with the paper's top statistics (spec §4.1). */
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
 * "best"; the space picks its reference's score rule, and a lower-is-better target follows NAS-Bench-NLP's
 * maximize=False. NaN fields where undefined.
 */
Correlation correlateScores(const std::vector<double>& scores, const std::vector<double>& targets,
    const QString& policy, bool lowerIsBetter = false, Space space = Space::Nb201);

} // namespace epsinas::gui
