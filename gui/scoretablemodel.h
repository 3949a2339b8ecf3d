// SPDX-License-Identifier: MIT
#pragma once

#include "scoreresult.h"

#include <QAbstractTableModel>
#include <QHash>

#include <optional>
#include <vector>

class QTableView;
class QTextStream;

namespace epsinas::gui {

/**
 * Every cell scored under the current config, one row per cell, plus its parameter count and, when a benchmark
 * table is loaded, its target value. The scatter, the table view and the CSV export all read from here.
 *
 * A row is either part of the set (a batch: Score All, a table's architectures) or a hand edit. Edits are shown and
 * exported, but the correlations are over the set alone, so editing never changes ρ, τ or n; an edit that a batch
 * scores later joins the set.
 */
class ScoreTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        /** The row's number, 1 for the first row scored: a stable name for a row in the table and in talk. */
        IndexColumn,
        /** The architecture's id in its benchmark (SearchSpace::tableIdColumn), empty where it is not known. */
        IdColumn,
        ArchColumn,
        ScoreColumn,
        MaeColumn,
        MeanColumn,
        ParametersColumn,
        TargetColumn,
        NanReasonColumn,
        ColumnCount
    };
    /** Raw values (numbers as double, NaN included) for sorting and plotting. */
    static constexpr int SortRole = Qt::UserRole;
    /** Where a row came from; see the class comment. */
    enum class Origin { Batch, Edit };

    explicit ScoreTableModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /**
     * Adds new rows of the set at the end and updates rows already present (by ScoredArch::key()); a present hand
     * edit joins the set.
     */
    void addScores(const ScoredArchs& rows);
    /**
     * Shows a hand-edited architecture's score: it updates its row when the architecture is already present (a
     * row of the set stays one), else adds a row marked as an edit, which the correlations leave out.
     */
    void addEdit(const ScoredArch& scored);
    void clear();
    /** Target values by join key (SearchSpace::tableKey, BenchmarkData::byKey); empty to drop them. */
    void setTargets(const QString& name, QHash<QString, double> byKey, bool lowerIsBetter = false);
    const QString& targetName() const { return m_targetName; }
    bool hasTargets() const { return !m_targets.isEmpty(); }
    /** The target is a loss or an error: a good score correlates negatively with it. */
    bool targetLowerIsBetter() const { return m_lowerIsBetter; }

    const ScoredArch& scored(int row) const { return m_rows[row].scored; }
    qint64 parameters(int row) const { return m_rows[row].parameters; }
    /** The row's FLOPs (SearchSpace::flops); nullopt where its space does not count them. */
    std::optional<qint64> flops(int row) const { return m_rows[row].flops; }
    Origin origin(int row) const { return m_rows[row].origin; }
    /** How many rows are hand edits, outside the set. */
    int editCount() const { return m_editCount; }
    /** The target of a row; NaN without a table or when the table lacks the cell. */
    double target(int row) const;
    /** The row with ScoredArch::key() `key`, or -1 when it has not been scored. */
    int rowOfKey(const QString& key) const { return m_rowByKey.value(key, -1); }
    /** NaN-scored rows of the set (hand edits not counted). */
    int nanCount() const { return m_nanCount; }

    /**
     * The benchmark's ids by join key (BenchmarkData::ids), written in the CSV's id column where that column is not
     * the join key itself; empty when no loaded table supplies them.
     */
    void setBenchmarkIds(QHash<QString, QString> byKey);
    /** The id of a row in its benchmark (IdColumn); empty where it is not known. */
    QString benchmarkId(int row) const;
    /** Writes all rows as CSV, after `#`-prefixed lines of `metadata`. */
    void writeCsv(QTextStream& out, const QStringList& metadata) const;

private:
    /** Tells views that the target column's name and values changed. */
    void announceTargets();
    QString headerToolTip(int section) const;

    struct Row {
        ScoredArch scored;
        qint64 parameters = 0;
        std::optional<qint64> flops;
        /** What tables are joined on (SearchSpace::tableKey). */
        QString joinKey;
        Origin origin = Origin::Batch;
    };
    static Row rowOf(const ScoredArch& scored, Origin origin);
    /** Stores `scored` in the present row `row`; a batch makes it a row of the set. */
    void update(int row, const ScoredArch& scored, Origin origin);
    std::vector<Row> m_rows;
    QHash<QString, int> m_rowByKey;
    QString m_targetName;
    QHash<QString, double> m_targets;
    QHash<QString, QString> m_ids;
    bool m_lowerIsBetter = false;
    int m_nanCount = 0;
    int m_editCount = 0;
};

/**
 * Sets up a view of the model (through any proxy) to be readable: one line per row in a fixed-pitch font, long
 * architectures elided in the middle with the full text as tooltip, columns sized to their contents.
 */
void configureScoreTable(QTableView* view);

} // namespace epsinas::gui
