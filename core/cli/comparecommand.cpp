// SPDX-License-Identifier: MIT
// `epsinas compare`: the paper's table of zero-cost proxies (algorithm §4.2), one row per score column, all of them
// over the same architectures and the same target.
#include "cli/arguments.h"
#include "cli/commands.h"
#include "cli/csvwriter.h"
#include "cli/statisticsarguments.h"

#include "io/inputfile.h"
#include "spaces/spaces.h"
#include "stats/benchmarktable.h"
#include "stats/statistics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

namespace epsinas::cli {

namespace {

// The name of the row of --scores: the metric this project is about.
constexpr const char* kScoresRowName = "epsinas";

std::string compareUsage()
{
    return R"(usage: epsinas compare --bench FILE --target COLUMN --proxies NAME,NAME,... [--scores FILE] [options]

Prints the paper's table of zero-cost proxies (its section 4.2): one row per score column with rho, tau, rho and tau
over the top 10% by target, T10/T10, T64/T5 and n. Every row is computed over the SAME architectures: those where
the target and every compared score count (a score counts unless it is NaN or the space's score rule drops it), so
an architecture that one proxy cannot score is left out of every row. Each row equals what epsinas correlate
--score-column NAME prints for those architectures.

  --bench FILE          a benchmark table with an arch column and the target column
  --bench-key COLUMN    the arch column of --bench (default: detected)
  --target COLUMN       the numeric column of --bench to correlate with (e.g. cifar10_oritest_200ep_nb201)
  --proxies LIST        the numeric columns of the proxies table to compare, comma separated (e.g. synflow,jacov)
  --proxies-file FILE   the table the proxies are read from (default: --bench, whose rows then give the target too)
  --proxies-key COLUMN  the arch column of --proxies-file (default: detected)
  --where COLUMN=VALUE  keep only the rows of the proxies table whose COLUMN reads VALUE (compared as text; may be
                        repeated, every condition must hold), e.g. --where dataset=cifar10 for a table that lists
                        several datasets; without --proxies-file it filters --bench, with it --bench is read whole
  --scores FILE         epsinas's own scores (e.g. from epsinas score, or the authors' released ones): a row named
                        )"
        + std::string(kScoresRowName) + R"(, last, as in the paper
  --score-column NAME   the score column of --scores (default: score)
  --join COLUMN         the column of --scores matched against the architectures (default: its arch column)
  --format FORMAT       table (default: aligned columns and notes for people) | csv (for scripts)
)" + statisticsUsage()
        + R"(
The architectures are the rows of the proxies table (after --where), each architecture's first row; the target is
looked up in --bench and the scores in --scores by the architecture's key, so the key columns of all the tables must
name architectures alike (e.g. --bench-key arch_index --proxies-key arch_index --join arch_index). NaN scores are
always excluded, as in the paper (there is no --nan). Statistics follow the reference's compute_stats
(docs/statistics.md, docs/proxies.md).

Table output: the rows, then the target, how many architectures were used, and how many each column dropped (an
architecture can be dropped by several columns). CSV output: proxy,column,n,spearman,kendall,spearman_top10,
kendall_top10,t10t10,t64t5,dropped, where dropped counts the architectures that column leaves out.
)";
}

// Splits --proxies at its commas into trimmed names; refuses empty and repeated names.
std::vector<std::string> proxyNames(const std::string& list)
{
    std::vector<std::string> names;
    std::set<std::string> seen;
    std::size_t begin = 0;
    while (begin <= list.size()) {
        const std::size_t comma = std::min(list.find(',', begin), list.size());
        std::string name = list.substr(begin, comma - begin);
        name.erase(0, name.find_first_not_of(" \t"));
        name.erase(name.find_last_not_of(" \t") + 1);
        if (name.empty())
            throw UsageError("--proxies: an empty name in '" + excerpt(list) + "'");
        if (!seen.insert(name).second)
            throw UsageError("--proxies: '" + excerpt(name) + "' is named twice");
        names.push_back(std::move(name));
        begin = comma + 1;
    }
    return names;
}

std::vector<RowCondition> rowConditions(const std::vector<std::string>& texts)
{
    std::vector<RowCondition> conditions;
    for (const std::string& text : texts) {
        const std::size_t eq = text.find('=');
        if (eq == std::string::npos || eq == 0)
            throw UsageError("--where: expected COLUMN=VALUE, got '" + excerpt(text) + "'");
        conditions.push_back({ text.substr(0, eq), text.substr(eq + 1) });
    }
    return conditions;
}

// One row of the table: a score column, its values for every candidate architecture, and what came of it.
struct ProxyRow {
    std::string name;
    std::string column;
    std::vector<double> scores;
    std::size_t dropped = 0;
    CorrelationReport report;
};

std::string fixed(double value, int decimals)
{
    if (std::isnan(value))
        return "nan";
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

// T64/T5 is a count under the reference rules and a weighted count under tie-weighted top sets.
std::string count(double value)
{
    if (std::isnan(value))
        return "nan";
    char text[64];
    std::snprintf(text, sizeof text, "%.6g", value);
    return text;
}

void printTable(const std::vector<ProxyRow>& rows)
{
    const std::vector<std::string> headers { "rho", "tau", "rho_top10", "tau_top10", "T10/T10", "T64/T5", "n" };
    std::size_t nameWidth = std::string("proxy").size();
    for (const ProxyRow& row : rows)
        nameWidth = std::max(nameWidth, row.name.size());
    std::vector<std::vector<std::string>> cells;
    for (const ProxyRow& row : rows) {
        const CorrelationReport& r = row.report;
        cells.push_back({ fixed(r.spearman, 4), fixed(r.kendall, 4), fixed(r.spearmanTop10, 4),
            fixed(r.kendallTop10, 4), fixed(r.t10t10, 2), count(r.t64t5), std::to_string(r.n) });
    }
    std::vector<std::size_t> widths;
    for (std::size_t c = 0; c < headers.size(); ++c) {
        std::size_t width = headers[c].size();
        for (const auto& line : cells)
            width = std::max(width, line[c].size());
        widths.push_back(width);
    }
    std::printf("%-*s", int(nameWidth), "proxy");
    for (std::size_t c = 0; c < headers.size(); ++c)
        std::printf("  %*s", int(widths[c]), headers[c].c_str());
    std::printf("\n");
    for (std::size_t i = 0; i < rows.size(); ++i) {
        std::printf("%-*s", int(nameWidth), rows[i].name.c_str());
        for (std::size_t c = 0; c < headers.size(); ++c)
            std::printf("  %*s", int(widths[c]), cells[i][c].c_str());
        std::printf("\n");
    }
}

std::string conditionsText(const std::vector<RowCondition>& where)
{
    std::string text;
    for (const RowCondition& condition : where)
        text += (text.empty() ? "" : " and ") + condition.column + "=" + condition.value;
    return text;
}

} // namespace

int compareCommand(const std::vector<std::string>& argv)
{
    const Arguments args(argv,
        { "bench", "bench-key", "target", "proxies", "proxies-file", "proxies-key", "where", "scores", "score-column",
            "join", "format", "space", "top-sets", "t10-denominator" },
        { "lower-is-better", "help" });
    if (args.has("help")) {
        std::fputs(compareUsage().c_str(), stdout);
        return 0;
    }
    args.rejectPositional();
    for (const char* required : { "bench", "target" })
        if (!args.has(required))
            throw UsageError(std::string("--") + required + " is required (see epsinas compare --help)");
    if (!args.has("proxies") && !args.has("scores"))
        throw UsageError("nothing to compare: give --proxies, --scores or both (see epsinas compare --help)");
    if (args.has("proxies-key") && !args.has("proxies-file"))
        throw UsageError("--proxies-key needs --proxies-file (without it the proxies are read from --bench, keyed by "
                         "--bench-key)");
    for (const char* scoresOption : { "score-column", "join" })
        if (args.has(scoresOption) && !args.has("scores"))
            throw UsageError(std::string("--") + scoresOption + " needs --scores");
    const std::string format = args.value("format", "table");
    if (format != "table" && format != "csv")
        throw UsageError("--format: expected table or csv, got '" + excerpt(format) + "'");
    const std::vector<std::string> proxies
        = args.has("proxies") ? proxyNames(args.value("proxies")) : std::vector<std::string>();
    const std::vector<RowCondition> where = rowConditions(args.values("where"));
    const StatisticsChoice choice = statisticsChoice(args, false);
    const ArchKeys keys = tableKeys(*choice.space);
    const std::string target = args.value("target");

    // Without --proxies-file the proxies and the target come from one table, filtered once.
    const bool separateProxies = args.has("proxies-file");
    const std::string proxiesPath = separateProxies ? args.value("proxies-file") : args.value("bench");
    const BenchmarkTable proxiesTable = BenchmarkTable::load(
        proxiesPath, separateProxies ? args.value("proxies-key") : args.value("bench-key"), keys, where);
    const BenchmarkTable bench
        = separateProxies ? BenchmarkTable::load(args.value("bench"), args.value("bench-key"), keys) : proxiesTable;

    // The candidates: each architecture's first row in the proxies table, as correlate reads a scores file.
    std::vector<bool> isDuplicate(proxiesTable.rowCount(), false);
    for (std::size_t row : proxiesTable.duplicateRows())
        isDuplicate[row] = true;
    std::vector<std::string> archs;
    std::vector<std::size_t> rowOfCandidate;
    for (std::size_t row = 0; row < proxiesTable.rowCount(); ++row) {
        if (!isDuplicate[row]) {
            archs.push_back(proxiesTable.archs()[row]);
            rowOfCandidate.push_back(row);
        }
    }
    const std::vector<double> targets = bench.lookup(archs, target);

    std::vector<ProxyRow> rows;
    for (const std::string& proxy : proxies) {
        const std::vector<double> values = proxiesTable.column(proxy);
        ProxyRow row { proxy, proxy, {}, 0, {} };
        for (std::size_t tableRow : rowOfCandidate)
            row.scores.push_back(values[tableRow]);
        rows.push_back(std::move(row));
    }
    std::size_t duplicateScores = 0;
    if (args.has("scores")) {
        const BenchmarkTable scoresTable = BenchmarkTable::load(args.value("scores"), args.value("join"), keys);
        const std::string column = args.value("score-column", "score");
        ProxyRow row { kScoresRowName, column, scoresTable.lookup(archs, column), 0, {} };
        duplicateScores = scoresTable.duplicateRows().size();
        rows.push_back(std::move(row));
    }

    // The architectures every row uses: the target and every score count there.
    std::size_t missingTargets = 0;
    std::vector<std::size_t> used;
    for (std::size_t i = 0; i < archs.size(); ++i) {
        if (std::isnan(targets[i])) {
            ++missingTargets;
            continue;
        }
        bool counted = true;
        for (ProxyRow& row : rows) {
            if (!pairIsUsed(row.scores[i], targets[i], choice.options)) {
                ++row.dropped;
                counted = false;
            }
        }
        if (counted)
            used.push_back(i);
    }
    if (used.empty()) {
        // Which column emptied the set, so that a rule that drops a proxy's every score (e.g. nb101's score > 0 for a
        // proxy whose scores are negative) shows at once.
        std::string drops;
        for (const ProxyRow& row : rows)
            drops += ", " + std::to_string(row.dropped) + " by " + excerpt(row.name);
        throw UsageError("no architecture has the target and every compared score (of " + std::to_string(archs.size())
            + " in " + excerpt(proxiesPath) + ": " + std::to_string(missingTargets) + " without " + excerpt(target)
            + drops + ")");
    }
    std::vector<double> usedTargets;
    for (std::size_t i : used)
        usedTargets.push_back(targets[i]);
    for (ProxyRow& row : rows) {
        std::vector<double> usedScores;
        for (std::size_t i : used)
            usedScores.push_back(row.scores[i]);
        row.report = correlate(usedScores, usedTargets, choice.options);
    }

    if (format == "csv") {
        CsvWriter csv("-");
        csv.row({ "proxy", "column", "n", "spearman", "kendall", "spearman_top10", "kendall_top10", "t10t10", "t64t5",
            "dropped" });
        for (const ProxyRow& row : rows) {
            const CorrelationReport& r = row.report;
            csv.row({ row.name, row.column, std::to_string(r.n), formatNumber(r.spearman), formatNumber(r.kendall),
                formatNumber(r.spearmanTop10), formatNumber(r.kendallTop10), formatNumber(r.t10t10),
                formatNumber(r.t64t5), std::to_string(row.dropped) });
        }
        csv.commit();
        return 0;
    }
    printTable(rows);
    std::printf("\ntarget: %s of %s (%s)\n", target.c_str(), args.value("bench").c_str(),
        choice.options.higherTargetIsBetter ? "higher is better"
                                            : "lower is better: a good score correlates negatively");
    std::printf("architectures: %zu used by every row, of the %zu in %s%s%s: those where the target and every "
                "score count\n",
        used.size(), archs.size(), proxiesPath.c_str(), where.empty() ? "" : " with ", conditionsText(where).c_str());
    std::string dropped = "dropped: " + std::to_string(missingTargets) + " without the target";
    for (const ProxyRow& row : rows)
        dropped += ", " + std::to_string(row.dropped) + " by " + row.name;
    std::printf("%s (an architecture can be dropped by several columns)\n", dropped.c_str());
    if (args.has("scores"))
        std::printf("%s: column %s of %s\n", kScoresRowName, rows.back().column.c_str(), args.value("scores").c_str());
    const std::size_t duplicateRows = proxiesTable.duplicateRows().size();
    const std::size_t duplicateBench = separateProxies ? bench.duplicateRows().size() : 0;
    if (duplicateRows + duplicateBench + duplicateScores > 0)
        std::printf("duplicates: %zu rows of the proxies table, %zu of --bench, %zu of --scores repeat an "
                    "architecture; the first row of each is used\n",
            duplicateRows, duplicateBench, duplicateScores);
    std::printf("statistics: %s; score rule %s; T10/T10 divides by %s\n",
        describeVariant(choice.options, choice.reference, choice.lossReference).c_str(), choice.reference.name.c_str(),
        t10DenominatorText(choice.options).c_str());
    return 0;
}

} // namespace epsinas::cli
