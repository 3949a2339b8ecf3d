// SPDX-License-Identifier: MIT
#pragma once

#include "scoreresult.h"

#include <QAbstractTableModel>
#include <QHash>

#include <vector>

class QTextStream;

namespace epsinas::gui {

/**
 * Every cell scored under the current config, one row per cell, plus its parameter count and, when a benchmark
 * table is loaded, its target value. The scatter, the table view and the CSV export all read from here.
 */
class ScoreTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
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

    explicit ScoreTableModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /** Adds new rows at the end and updates rows already present (by ScoredArch::key()). */
    void addScores(const ScoredArchs& rows);
    void clear();
    /** Target values by join key (SearchSpace::tableKey, BenchmarkData::byKey); empty to drop them. */
    void setTargets(const QString& name, QHash<QString, double> byKey, bool lowerIsBetter = false);
    const QString& targetName() const { return m_targetName; }
    bool hasTargets() const { return !m_targets.isEmpty(); }
    /** The target is a loss or an error: a good score correlates negatively with it. */
    bool targetLowerIsBetter() const { return m_lowerIsBetter; }

    const ScoredArch& scored(int row) const { return m_rows[row].scored; }
    qint64 parameters(int row) const { return m_rows[row].parameters; }
    /** The target of a row; NaN without a table or when the table lacks the cell. */
    double target(int row) const;
    /** The row with ScoredArch::key() `key`, or -1 when it has not been scored. */
    int rowOfKey(const QString& key) const { return m_rowByKey.value(key, -1); }
    int nanCount() const { return m_nanCount; }

    /**
     * The benchmark's ids by join key (BenchmarkData::ids), written in the CSV's id column where that column is not
     * the join key itself; empty when no loaded table supplies them.
     */
    void setBenchmarkIds(QHash<QString, QString> byKey) { m_ids = std::move(byKey); }
    /** Writes all rows as CSV, after `#`-prefixed lines of `metadata`. */
    void writeCsv(QTextStream& out, const QStringList& metadata) const;

private:
    /** Tells views that the target column's name and values changed. */
    void announceTargets();

    struct Row {
        ScoredArch scored;
        qint64 parameters = 0;
        /** What tables are joined on (SearchSpace::tableKey). */
        QString joinKey;
    };
    static Row rowOf(const ScoredArch& scored);
    std::vector<Row> m_rows;
    QHash<QString, int> m_rowByKey;
    QString m_targetName;
    QHash<QString, double> m_targets;
    QHash<QString, QString> m_ids;
    bool m_lowerIsBetter = false;
    int m_nanCount = 0;
};

} // namespace epsinas::gui
