// SPDX-License-Identifier: MIT
#include "scoretablemodel.h"

#include "spaces/nlp/space.h"

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
    const Row& entry = m_rows[row];
    if (entry.scored.space != Space::Nb201)
        return m_targetsByKey.value(entry.joinKey, kNaN);
    return m_targets.empty() ? kNaN : m_targets[entry.scored.cell.index()];
}

QVariant ScoreTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Row& row = m_rows[index.row()];
    const ScoredCell& scored = row.scored;
    if (role == SortRole) {
        switch (index.column()) {
        case ArchColumn:
            switch (scored.space) {
            case Space::Nb101:
                return scored.arch();
            case Space::Nlp:
                // Recipes with an id sort by it, before edited ones.
                return scored.recipeId.isEmpty() ? QVariant(scored.arch()) : QVariant(scored.recipeId.toLongLong());
            case Space::Nb201:
                break;
            }
            return scored.cell.index();
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
            // A recipe's JSON is too long for a cell; it is the tooltip instead.
            if (scored.space == Space::Nlp)
                return scored.recipeId.isEmpty() ? tr("edited recipe") : tr("recipe %1").arg(scored.recipeId);
            return scored.arch();
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
    if (role == Qt::ToolTipRole && index.column() == ArchColumn && scored.space == Space::Nlp)
        return scored.arch();
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

void ScoreTableModel::addScores(const ScoredCells& cells)
{
    ScoredCells added;
    int firstChanged = -1;
    int lastChanged = -1;
    for (const ScoredCell& scored : cells) {
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
    for (const ScoredCell& scored : added) {
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

ScoreTableModel::Row ScoreTableModel::rowOf(const ScoredCell& scored)
{
    switch (scored.space) {
    case Space::Nb101:
        return Row { scored, scored.spec.parameterCount(), QString::fromStdString(scored.spec.hash()) };
    case Space::Nlp:
        return Row { scored, nlp::parameterCount(scored.recipe), scored.recipeId };
    case Space::Nb201:
        break;
    }
    return Row { scored, scored.cell.parameterCount(), {} };
}

void ScoreTableModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_rowByKey.clear();
    m_nanCount = 0;
    endResetModel();
}

void ScoreTableModel::setTargets(const QString& name, std::vector<double> byCell, bool lowerIsBetter)
{
    m_targetName = byCell.empty() ? QString() : name;
    m_targets = std::move(byCell);
    m_targetsByKey.clear();
    m_lowerIsBetter = lowerIsBetter && !m_targets.empty();
    announceTargets();
}

void ScoreTableModel::setTargetsByKey(const QString& name, QHash<QString, double> byKey, bool lowerIsBetter)
{
    m_targetName = byKey.isEmpty() ? QString() : name;
    m_targetsByKey = std::move(byKey);
    m_targets.clear();
    m_lowerIsBetter = lowerIsBetter && !m_targetsByKey.isEmpty();
    announceTargets();
}

void ScoreTableModel::announceTargets()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, TargetColumn, TargetColumn);
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, TargetColumn), index(rowCount() - 1, TargetColumn));
}

QString ScoreTableModel::archIndexText(const nb201::Cell& cell) const
{
    const int official = m_archIndex.empty() ? -1 : m_archIndex[cell.index()];
    return official < 0 ? QString() : QString::number(official);
}

void ScoreTableModel::writeCsv(QTextStream& out, const QStringList& metadata) const
{
    for (const QString& line : metadata)
        out << "# " << line << '\n';
    // The second column identifies the cell in its benchmark: the official NB201 arch_index (empty unless a loaded
    // table supplies it), the NB101 module hash, the NLP recepie_id.
    const Space space = m_rows.empty() ? Space::Nb201 : m_rows.front().scored.space;
    const char* const idColumn = space == Space::Nb101 ? "hash" : space == Space::Nlp ? "recepie_id" : "arch_index";
    out << "arch," << idColumn << ",score,mae,mean,parameters";
    if (hasTargets())
        out << ',' << csvField(m_targetName);
    out << ",nan_reason\n";
    for (int row = 0; row < rowCount(); ++row) {
        const ScoredCell& scored = m_rows[row].scored;
        out << csvField(scored.arch()) << ','
            << (space == Space::Nb201 ? archIndexText(scored.cell) : m_rows[row].joinKey) << ','
            << QString::number(scored.score, 'g', 17) << ',' << QString::number(scored.mae, 'g', 17) << ','
            << QString::number(scored.mean, 'g', 17) << ',' << m_rows[row].parameters;
        if (hasTargets())
            out << ',' << QString::number(target(row), 'g', 17);
        out << ',' << csvField(scored.nanReason) << '\n';
    }
}

} // namespace epsinas::gui
