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

    /** Adds new cells at the end and updates cells already present. */
    void addScores(const ScoredCells& cells);
    void clear();
    /** Target values indexed by NB201 cell index (kCellCount entries, NaN where unknown); empty to drop them. */
    void setTargets(const QString& name, std::vector<double> byCell, bool lowerIsBetter = false);
    /**
     * Target values by join key: the module hash of NB101 cells, the recepie_id of NLP recipes (their tables are
     * joined so); empty to drop them.
     */
    void setTargetsByKey(const QString& name, QHash<QString, double> byKey, bool lowerIsBetter = false);
    const QString& targetName() const { return m_targetName; }
    bool hasTargets() const { return !m_targets.empty() || !m_targetsByKey.isEmpty(); }
    /** The target is a loss or an error: a good score correlates negatively with it. */
    bool targetLowerIsBetter() const { return m_lowerIsBetter; }

    const ScoredCell& scored(int row) const { return m_rows[row].scored; }
    qint64 parameters(int row) const { return m_rows[row].parameters; }
    /** The target of a row; NaN without a table or when the table lacks the cell. */
    double target(int row) const;
    /** The row of a cell, or -1 when it has not been scored. */
    int rowOfCell(const nb201::Cell& cell) const { return rowOfKey(cellKey(cell)); }
    /** The row of the cell with ScoredCell::key() `key`, or -1. */
    int rowOfKey(const QString& key) const { return m_rowByKey.value(key, -1); }
    int nanCount() const { return m_nanCount; }

    /**
     * The official NB201 index of each cell by enumeration position (BenchmarkData::archIndex; -1 unknown), written
     * as the arch_index column of the CSV; empty when no loaded table supplies it.
     */
    void setArchIndex(std::vector<int> byCell) { m_archIndex = std::move(byCell); }

    /** Writes all rows as CSV, after `#`-prefixed lines of `metadata`. */
    void writeCsv(QTextStream& out, const QStringList& metadata) const;

private:
    /** The official NB201 index of `cell` as CSV text, empty when unknown. */
    QString archIndexText(const nb201::Cell& cell) const;
    /** Tells views that the target column's name and values changed. */
    void announceTargets();

    struct Row {
        ScoredCell scored;
        qint64 parameters = 0;
        /** What tables are joined on: the NB101 module hash, the NLP recepie_id; empty for NB201 (by cell). */
        QString joinKey;
    };
    static Row rowOf(const ScoredCell& scored);
    std::vector<Row> m_rows;
    QHash<QString, int> m_rowByKey;
    QString m_targetName;
    std::vector<double> m_targets;
    std::vector<int> m_archIndex;
    QHash<QString, double> m_targetsByKey;
    bool m_lowerIsBetter = false;
    int m_nanCount = 0;
};

} // namespace epsinas::gui
