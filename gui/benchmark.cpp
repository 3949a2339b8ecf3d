// SPDX-License-Identifier: MIT
#include "benchmark.h"

#include "spaces/nb201/cell.h"
#include "spaces/spaces.h"
#include "stats/benchmarktable.h"
#include "stats/statistics.h"

#include <QDir>
#include <QFileInfo>
#include <QObject>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace epsinas::gui {

const std::vector<double>* BenchmarkData::column(const QString& name) const
{
    const int position = columns.indexOf(name);
    return position < 0 ? nullptr : &byCell[position];
}

const QHash<QString, double>* BenchmarkData::keyColumn(const QString& name) const
{
    const int position = columns.indexOf(name);
    return position < 0 || position >= int(byKey.size()) ? nullptr : &byKey[position];
}

bool lowerIsBetter(const QString& column)
{
    for (const char* hint : { "loss", "perplexity", "ppl", "error" }) {
        if (column.contains(QLatin1String(hint), Qt::CaseInsensitive))
            return true;
    }
    return false;
}

BenchmarkData loadBenchmark(const QString& path)
{
    const BenchmarkTable table = BenchmarkTable::load(path.toStdString(), {}, tableKeys(spaceModule(Space::Nb201)));
    BenchmarkData data;
    data.path = path;
    std::vector<std::string> archs;
    archs.reserve(nb201::kCellCount);
    for (const nb201::Cell& cell : nb201::allCells())
        archs.push_back(cell.toString());
    for (const std::string& name : table.numericColumns()) {
        data.columns.push_back(QString::fromStdString(name));
        data.byCell.push_back(table.lookup(archs, name));
    }
    if (data.columns.isEmpty())
        throw std::runtime_error(QObject::tr("%1 has no numeric column to use as a target").arg(path).toStdString());
    if (const std::vector<double>* official = data.column(QStringLiteral("arch_index"))) {
        data.archIndex.reserve(official->size());
        for (double value : *official)
            data.archIndex.push_back(std::isnan(value) ? -1 : int(value));
    }
    // Cells found in the table; a column may have gaps, so take the fullest.
    int matched = 0;
    for (const auto& values : data.byCell) {
        int count = 0;
        for (double value : values)
            count += !std::isnan(value);
        matched = std::max(matched, count);
    }
    data.matchedCells = matched;
    if (matched == 0)
        throw std::runtime_error(QObject::tr("%1: no row of the architecture column '%2' names an NB201 cell")
                                     .arg(path, QString::fromStdString(table.archColumn()))
                                     .toStdString());
    return data;
}

namespace {
/** The numeric columns of a table whose rows are joined by `keyColumn`, each as values by key. */
BenchmarkData loadKeyedBenchmark(const QString& path, const BenchmarkTable& table)
{
    BenchmarkData data;
    data.path = path;
    const std::string keyName = table.archColumn();
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
        }
        data.matchedCells = std::max(data.matchedCells, matched);
        data.columns.push_back(QString::fromStdString(name));
        data.byKey.push_back(std::move(byKey));
    }
    if (data.columns.isEmpty())
        throw std::runtime_error(QObject::tr("%1 has no numeric column to use as a target").arg(path).toStdString());
    return data;
}
} // namespace

BenchmarkData loadNb101Benchmark(const QString& path)
{
    const BenchmarkTable table = BenchmarkTable::load(path.toStdString(), "hash");
    BenchmarkData data = loadKeyedBenchmark(path, table);
    // The cells themselves, when the table has them, so that they can be scored; BenchmarkTable reads one
    // non-numeric column per load.
    const auto names = table.columns();
    const auto has = [&](const char* name) { return std::find(names.begin(), names.end(), name) != names.end(); };
    if (has("adjacency") && has("ops")) {
        const std::vector<std::string> adjacency = BenchmarkTable::load(path.toStdString(), "adjacency").archs();
        const std::vector<std::string> ops = BenchmarkTable::load(path.toStdString(), "ops").archs();
        for (std::size_t row = 0; row < adjacency.size() && row < ops.size(); ++row) {
            try {
                data.specs.push_back(nb101::Spec::fromColumns(adjacency[row], ops[row]));
            } catch (const ParseError&) {
                // A row that is not a valid cell still has its targets; it just cannot be scored.
            }
        }
    }
    return data;
}

BenchmarkData loadNlpBenchmark(const QString& path)
{
    BenchmarkData data = loadKeyedBenchmark(path, BenchmarkTable::load(path.toStdString(), "recepie_id"));
    // The tables name recipes by id only; the recipes themselves ship as recipes.jsonl.
    const QString recipes = QFileInfo(path).dir().filePath(QStringLiteral("recipes.jsonl"));
    if (QFileInfo::exists(recipes)) {
        data.recipes = nlp::readRecipeFile(recipes.toStdString());
        data.recipesPath = recipes;
    }
    return data;
}

Correlation correlateScores(const std::vector<double>& scores, const std::vector<double>& targets,
    const QString& policy, bool lowerIsBetter, Space space)
{
    CorrelationOptions options;
    options.policy = parseNanPolicy(policy.toStdString());
    options.higherTargetIsBetter = !lowerIsBetter;
    const StatisticsReference reference = spaceModule(space).statisticsReference();
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
