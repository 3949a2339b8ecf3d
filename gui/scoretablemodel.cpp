// SPDX-License-Identifier: MIT
#include "scoretablemodel.h"

#include "scoringconfig.h"

#include <QLocale>
#include <QTextStream>

#include <cmath>
#include <limits>

namespace epsinas::gui {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

QString number(double value)
{
    return std::isnan(value) ? QStringLiteral("NaN") : QString::number(value, 'g', 6);
}

/** RFC 4180 quoting, needed for NaN reasons with commas. */
QString csvField(const QString& text)
{
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) && !text.contains(QLatin1Char('\n')))
        return text;
    QString quoted = text;
    quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}
} // namespace

ScoreTableModel::ScoreTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

int ScoreTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ScoreTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

double ScoreTableModel::target(int row) const
{
    return m_targets.value(m_rows[row].joinKey, kNaN);
}

QVariant ScoreTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Row& row = m_rows[index.row()];
    const ScoredArch& scored = row.scored;
    const SearchSpace& space = scored.arch.space();
    if (role == SortRole) {
        switch (index.column()) {
        case ArchColumn: {
            // Rows with an id sort by it, before those without; an enumerated space sorts in its own order.
            if (space.labelsRowsById())
                return scored.id.isEmpty() ? QVariant(scored.text()) : QVariant(scored.id.toLongLong());
            const std::int64_t position = space.enumerationIndex(scored.arch);
            return position >= 0 ? QVariant(qint64(position)) : QVariant(scored.text());
        }
        case ScoreColumn:
            return scored.score;
        case MaeColumn:
            return scored.mae;
        case MeanColumn:
            return scored.mean;
        case ParametersColumn:
            return row.parameters;
        case TargetColumn:
            return target(index.row());
        case NanReasonColumn:
            return scored.nanReason;
        }
        return {};
    }
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case ArchColumn:
            // An architecture named by id is too long to read in a cell (a recipe's JSON); it is the tooltip instead.
            if (space.labelsRowsById()) {
                const QString unit = QString::fromStdString(space.unitName(false));
                return scored.id.isEmpty() ? tr("edited %1").arg(unit) : tr("%1 %2").arg(unit, scored.id);
            }
            return scored.text();
        case ScoreColumn:
            return number(scored.score);
        case MaeColumn:
            return number(scored.mae);
        case MeanColumn:
            return number(scored.mean);
        case ParametersColumn:
            return QLocale().toString(row.parameters);
        case TargetColumn:
            return hasTargets() ? QVariant(number(target(index.row()))) : QVariant();
        case NanReasonColumn:
            return scored.nanReason;
        }
        return {};
    }
    if (role == Qt::ToolTipRole && index.column() == ArchColumn && space.labelsRowsById())
        return scored.text();
    if (role == Qt::ToolTipRole && scored.isNan())
        return scored.nanReason;
    if (role == Qt::TextAlignmentRole && index.column() != ArchColumn && index.column() != NanReasonColumn)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant ScoreTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case ArchColumn:
        return tr("Arch");
    case ScoreColumn:
        return tr("Score");
    case MaeColumn:
        return tr("MAE");
    case MeanColumn:
        return tr("Mean");
    case ParametersColumn:
        return tr("Parameters");
    case TargetColumn:
        return m_targetName.isEmpty() ? tr("Target") : m_targetName;
    case NanReasonColumn:
        return tr("NaN reason");
    }
    return {};
}

void ScoreTableModel::addScores(const ScoredArchs& scoredRows)
{
    ScoredArchs added;
    int firstChanged = -1;
    int lastChanged = -1;
    for (const ScoredArch& scored : scoredRows) {
        const int existing = rowOfKey(scored.key());
        if (existing < 0) {
            added.push_back(scored);
            continue;
        }
        m_nanCount += int(scored.isNan()) - int(m_rows[existing].scored.isNan());
        m_rows[existing].scored = scored;
        firstChanged = firstChanged < 0 ? existing : std::min(firstChanged, existing);
        lastChanged = std::max(lastChanged, existing);
    }
    if (firstChanged >= 0)
        Q_EMIT dataChanged(index(firstChanged, 0), index(lastChanged, ColumnCount - 1));
    if (added.isEmpty())
        return;
    // A batch may repeat a cell; keep its last score.
    std::vector<Row> rows;
    QHash<QString, int> position;
    for (const ScoredArch& scored : added) {
        const QString key = scored.key();
        const auto hit = position.constFind(key);
        if (hit != position.constEnd()) {
            rows[*hit].scored = scored;
            continue;
        }
        position.insert(key, int(rows.size()));
        rows.push_back(rowOf(scored));
    }
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(rows.size()) - 1);
    for (Row& row : rows) {
        m_rowByKey.insert(row.scored.key(), int(m_rows.size()));
        m_nanCount += row.scored.isNan();
        m_rows.push_back(std::move(row));
    }
    endInsertRows();
}

ScoreTableModel::Row ScoreTableModel::rowOf(const ScoredArch& scored)
{
    const SearchSpace& space = scored.arch.space();
    const NamedArch named { scored.id.toStdString(), scored.arch };
    return Row { scored, space.parameterCount(scored.arch), QString::fromStdString(space.tableKey(named)) };
}

void ScoreTableModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_rowByKey.clear();
    m_nanCount = 0;
    endResetModel();
}

void ScoreTableModel::setTargets(const QString& name, QHash<QString, double> byKey, bool lowerIsBetter)
{
    m_targetName = byKey.isEmpty() ? QString() : name;
    m_targets = std::move(byKey);
    m_lowerIsBetter = lowerIsBetter && !m_targets.isEmpty();
    announceTargets();
}

void ScoreTableModel::announceTargets()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, TargetColumn, TargetColumn);
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, TargetColumn), index(rowCount() - 1, TargetColumn));
}

void ScoreTableModel::writeCsv(QTextStream& out, const QStringList& metadata) const
{
    for (const QString& line : metadata)
        out << "# " << line << '\n';
    // The second column identifies the architecture in its benchmark (SearchSpace::tableIdColumn): its join key, or
    // an id that only a loaded table supplies (empty without one).
    const SearchSpace& space = m_rows.empty() ? defaultSpace() : m_rows.front().scored.arch.space();
    const std::string idColumn = space.tableIdColumn();
    const bool idIsJoinKey = idColumn == space.tableKeyColumn();
    out << "arch," << QString::fromStdString(idColumn) << ",score,mae,mean,parameters";
    if (hasTargets())
        out << ',' << csvField(m_targetName);
    out << ",nan_reason\n";
    for (int row = 0; row < rowCount(); ++row) {
        const ScoredArch& scored = m_rows[row].scored;
        const QString& joinKey = m_rows[row].joinKey;
        out << csvField(scored.text()) << ',' << (idIsJoinKey ? joinKey : m_ids.value(joinKey)) << ','
            << QString::number(scored.score, 'g', 17) << ',' << QString::number(scored.mae, 'g', 17) << ','
            << QString::number(scored.mean, 'g', 17) << ',' << m_rows[row].parameters;
        if (hasTargets())
            out << ',' << QString::number(target(row), 'g', 17);
        out << ',' << csvField(scored.nanReason) << '\n';
    }
}

} // namespace epsinas::gui
