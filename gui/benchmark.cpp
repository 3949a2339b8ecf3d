// SPDX-License-Identifier: MIT
#include "benchmark.h"

#include "spaces/spaces.h"
#include "stats/benchmarktable.h"
#include "stats/statistics.h"

#include <QObject>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace epsinas::gui {

const QHash<QString, double>* BenchmarkData::column(const QString& name) const
{
    const int position = columns.indexOf(name);
    return position < 0 ? nullptr : &byKey[position];
}

bool lowerIsBetter(const QString& column)
{
    for (const char* hint : { "loss", "perplexity", "ppl", "error" }) {
        if (column.contains(QLatin1String(hint), Qt::CaseInsensitive))
            return true;
    }
    return false;
}

QString preferredTarget(const QStringList& columns, const SearchSpace& space)
{
    for (const std::string& hint : space.targetHints()) {
        for (const QString& column : columns) {
            if (column.contains(QString::fromStdString(hint), Qt::CaseInsensitive))
                return column;
        }
    }
    return columns.value(0);
}

BenchmarkData loadBenchmark(const QString& path, const SearchSpace& space)
{
    const BenchmarkTable table = BenchmarkTable::load(path.toStdString(), space.tableKeyColumn(), tableKeys(space));
    BenchmarkData data;
    data.path = path;
    const std::string keyName = table.archColumn();
    const std::string idName = space.tableIdColumn();
    for (const std::string& name : table.numericColumns()) {
        // A numeric key (recepie_id) is not a target.
        if (name == keyName)
            continue;
        const std::vector<double> values = table.column(name);
        QHash<QString, double> byKey;
        byKey.reserve(int(values.size()));
        int matched = 0;
        for (std::size_t row = 0; row < values.size(); ++row) {
            const QString key = QString::fromStdString(table.archs()[row]);
            // The first row of a key wins even when its value is NaN, as in BenchmarkTable::lookup and epsinas
            // correlate (docs/statistics.md): a later row never stands in for it.
            if (key.isEmpty() || byKey.contains(key))
                continue;
            byKey.insert(key, values[row]);
            matched += std::isnan(values[row]) ? 0 : 1;
            if (name == idName && !std::isnan(values[row]))
                data.ids.insert(key, QString::number(values[row], 'f', 0));
        }
        data.matchedCells = std::max(data.matchedCells, matched);
        data.columns.push_back(QString::fromStdString(name));
        data.byKey.push_back(std::move(byKey));
    }
    if (data.columns.isEmpty())
        throw std::runtime_error(QObject::tr("%1 has no numeric column to use as a target").arg(path).toStdString());
    if (data.matchedCells == 0)
        throw std::runtime_error(QObject::tr("%1: no row of the column '%2' names a %3 %4 with a value")
                                     .arg(path, QString::fromStdString(keyName), QString::fromStdString(space.name()),
                                         QString::fromStdString(space.unitName(false)))
                                     .toStdString());
    data.duplicateRows = int(table.duplicateRows().size());
    data.archs = space.tableArchs(path.toStdString(), table.columns());
    return data;
}

Correlation correlateScores(const std::vector<double>& scores, const std::vector<double>& targets,
    const QString& policy, bool lowerIsBetter, const SearchSpace& space)
{
    CorrelationOptions options;
    options.policy = parseNanPolicy(policy.toStdString());
    options.higherTargetIsBetter = !lowerIsBetter;
    const StatisticsReference reference = space.statisticsReference();
    options.scoreRule = reference.rule;
    const CorrelationReport report = correlate(scores, targets, options);
    QStringList departure;
    for (const std::string& phrase :
        departures(options, reference, defaultStatisticsSpace(false).statisticsReference()))
        departure.push_back(QString::fromStdString(phrase));
    return Correlation { int(report.n), int(report.nanCount), report.spearman, report.kendall, report.spearmanTop10,
        report.kendallTop10, report.t10t10, report.t64t5, departure.join(QStringLiteral("; ")) };
}

} // namespace epsinas::gui
