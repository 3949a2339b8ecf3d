// SPDX-License-Identifier: MIT
#include "scoretablemodel.h"

#include "scoringconfig.h"

#include <QFontDatabase>
#include <QHeaderView>
#include <QLocale>
#include <QTableView>
#include <QTextStream>

#include <cmath>
#include <limits>

namespace epsinas::gui {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The widest an automatically sized column gets, in characters of the fixed font: an NB201 arch string fits.
constexpr int kMaxColumnCharacters = 100;
// Columns are sized to this many rows' contents, and again while the table is shorter than that.
constexpr int kRowsToFit = 200;

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
    const bool edit = row.origin == Origin::Edit;
    if (role == SortRole) {
        switch (index.column()) {
        case IndexColumn:
            return index.row() + 1;
        case IdColumn: {
            // Numeric ids sort as numbers; unknown ones (invalid) after all others.
            const QString id = benchmarkId(index.row());
            bool numeric = false;
            const qint64 value = id.toLongLong(&numeric);
            return id.isEmpty() ? QVariant() : numeric ? QVariant(value) : QVariant(id);
        }
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
        case IndexColumn:
            return edit ? tr("%1 (edit)").arg(index.row() + 1) : QString::number(index.row() + 1);
        case IdColumn:
            return benchmarkId(index.row());
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
    if (role == Qt::ToolTipRole) {
        QStringList lines;
        if (edit)
            lines << tr("A hand edit: shown, but not counted in ρ, τ or n, which are over the scored set.");
        // The full text, since the cell elides long architectures.
        if (index.column() == ArchColumn)
            lines << scored.text();
        if (scored.isNan())
            lines << scored.nanReason;
        return lines.isEmpty() ? QVariant() : QVariant(lines.join(QLatin1Char('\n')));
    }
    if (role == Qt::FontRole && (edit || index.column() == ArchColumn || index.column() == IdColumn)) {
        // Architecture strings and hashes line up in a fixed-pitch font; edits are set apart in italics.
        QFont font = index.column() == ArchColumn || index.column() == IdColumn
            ? QFontDatabase::systemFont(QFontDatabase::FixedFont)
            : QFont();
        font.setItalic(edit);
        return font;
    }
    if (role == Qt::TextAlignmentRole && index.column() != ArchColumn && index.column() != NanReasonColumn
        && index.column() != IdColumn)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant ScoreTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::ToolTipRole)
        return headerToolTip(section);
    switch (section) {
    case IndexColumn:
        return tr("#");
    case IdColumn: {
        const std::string column = m_rows.empty() ? std::string() : m_rows.front().scored.arch.space().tableIdColumn();
        return column.empty() ? tr("Id") : QString::fromStdString(column);
    }
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

QString ScoreTableModel::headerToolTip(int section) const
{
    switch (section) {
    case IndexColumn:
        return tr("Row number, in the order the rows were scored. Hand edits are marked \"(edit)\": they are "
                  "shown, but the correlations are over the other rows only.");
    case IdColumn: {
        // Named by the space of the rows shown: each space's tables have their own id column.
        const QString column
            = m_rows.empty() ? QString() : QString::fromStdString(m_rows.front().scored.arch.space().tableIdColumn());
        return column.isEmpty()
            ? tr("The architecture's id in its benchmark; empty until a table that has one is loaded.")
            : tr("The architecture's id in its benchmark (the table's %1 column); empty until a table that has it "
                 "is loaded.")
                  .arg(column);
    }
    case ArchColumn:
        return tr("The architecture in its space's text form; hover a cell for the full text.");
    case ScoreColumn:
        return tr("The epsinas score: the mean absolute error between the two weight settings' normalised outputs, "
                  "divided by their mean (higher ranks better).");
    case MaeColumn:
        return tr("Mean absolute difference between the normalised outputs at the two shared weights.");
    case MeanColumn:
        return tr("Mean of the normalised outputs at the two shared weights.");
    case ParametersColumn:
        return tr("Trainable parameters of the network the architecture builds.");
    case TargetColumn:
        return m_targetName.isEmpty() ? tr("The benchmark value to correlate with; open a benchmark table first.")
                                      : tr("%1 from the loaded benchmark table; empty where the table lacks the "
                                           "architecture.")
                                            .arg(m_targetName);
    case NanReasonColumn:
        return tr("Why the score is NaN, where it is.");
    }
    return {};
}

void ScoreTableModel::update(int row, const ScoredArch& scored, Origin origin)
{
    Row& present = m_rows[row];
    const bool wasCounted = present.origin == Origin::Batch;
    const bool counted = wasCounted || origin == Origin::Batch;
    m_nanCount += int(counted && scored.isNan()) - int(wasCounted && present.scored.isNan());
    m_editCount += int(!counted) - int(!wasCounted);
    present.scored = scored;
    if (counted)
        present.origin = Origin::Batch;
}

void ScoreTableModel::addEdit(const ScoredArch& scored)
{
    const int existing = rowOfKey(scored.key());
    if (existing >= 0) {
        update(existing, scored, Origin::Edit);
        Q_EMIT dataChanged(index(existing, 0), index(existing, ColumnCount - 1));
        return;
    }
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    m_rowByKey.insert(scored.key(), row);
    m_rows.push_back(rowOf(scored, Origin::Edit));
    ++m_editCount;
    endInsertRows();
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
        update(existing, scored, Origin::Batch);
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
        rows.push_back(rowOf(scored, Origin::Batch));
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

ScoreTableModel::Row ScoreTableModel::rowOf(const ScoredArch& scored, Origin origin)
{
    const SearchSpace& space = scored.arch.space();
    const NamedArch named { scored.id.toStdString(), scored.arch };
    return Row { scored, space.parameterCount(scored.arch), space.flops(scored.arch),
        QString::fromStdString(space.tableKey(named)), origin };
}

void ScoreTableModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_rowByKey.clear();
    m_nanCount = 0;
    m_editCount = 0;
    endResetModel();
}

void ScoreTableModel::setBenchmarkIds(QHash<QString, QString> byKey)
{
    m_ids = std::move(byKey);
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, IdColumn), index(rowCount() - 1, IdColumn));
}

QString ScoreTableModel::benchmarkId(int row) const
{
    const SearchSpace& space = m_rows[row].scored.arch.space();
    const QString& joinKey = m_rows[row].joinKey;
    return space.tableIdColumn() == space.tableKeyColumn() ? joinKey : m_ids.value(joinKey);
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
    out << "arch," << QString::fromStdString(space.tableIdColumn()) << ",score,mae,mean,parameters";
    if (hasTargets())
        out << ',' << csvField(m_targetName);
    out << ",nan_reason\n";
    for (int row = 0; row < rowCount(); ++row) {
        const ScoredArch& scored = m_rows[row].scored;
        out << csvField(scored.text()) << ',' << csvField(benchmarkId(row)) << ','
            << QString::number(scored.score, 'g', 17) << ',' << QString::number(scored.mae, 'g', 17) << ','
            << QString::number(scored.mean, 'g', 17) << ',' << m_rows[row].parameters;
        if (hasTargets())
            out << ',' << QString::number(target(row), 'g', 17);
        out << ',' << csvField(scored.nanReason) << '\n';
    }
}

void configureScoreTable(QTableView* view)
{
    // One line per row: word wrap broke NB201 arch strings at "|", and rows of one height scroll fast.
    view->setWordWrap(false);
    view->setTextElideMode(Qt::ElideMiddle);
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    QHeaderView* rows = view->verticalHeader();
    rows->setSectionResizeMode(QHeaderView::Fixed);
    rows->setDefaultSectionSize(std::max(QFontMetrics(fixed).height(), view->fontMetrics().height()) + 6);
    QHeaderView* columns = view->horizontalHeader();
    columns->setSectionResizeMode(QHeaderView::Interactive);
    columns->setTextElideMode(Qt::ElideRight);
    columns->setStretchLastSection(true);
    columns->setMaximumSectionSize(QFontMetrics(fixed).horizontalAdvance(QLatin1Char('m')) * kMaxColumnCharacters);
    // Sizing to contents reads this many rows, not all 15,625.
    columns->setResizeContentsPrecision(kRowsToFit);
    QAbstractItemModel* model = view->model();
    if (!model)
        return;
    // Size the columns while the first rows arrive (the first may be a lone edit) and after a reset, not on every
    // chunk of a long batch: the user may have resized them since.
    const auto fit = [view] { view->resizeColumnsToContents(); };
    QObject::connect(model, &QAbstractItemModel::rowsInserted, view, [fit](const QModelIndex&, int first) {
        if (first < kRowsToFit)
            fit();
    });
    QObject::connect(model, &QAbstractItemModel::modelReset, view, fit);
    // A new target names its column anew: fit that column to it.
    QObject::connect(
        model, &QAbstractItemModel::headerDataChanged, view, [view](Qt::Orientation orientation, int first, int last) {
            for (int column = first; orientation == Qt::Horizontal && column <= last; ++column)
                view->resizeColumnToContents(column);
        });
    fit();
}

} // namespace epsinas::gui
