// SPDX-License-Identifier: MIT
// `epsinas compare` run as a script runs it: a hand-computed table, every row equal to what `epsinas correlate` prints
// for the same architectures, bad input refused in one line, and with EPSINAS_DATA_DIR the orderings of the paper's
// proxy table (algorithm §4.2) on the NASLib subset of NB201.
#include "clirun.h"

#include <QtTest>

#include <cmath>
#include <map>

namespace {

CliRun run(const QStringList& args)
{
    return runCli(args);
}

QString dataDir()
{
    return qEnvironmentVariable("EPSINAS_DATA_DIR");
}

// The CSV of compare, each row by its proxy name: column name -> field.
std::map<QString, std::map<QString, QString>> compareRows(const QByteArray& csv)
{
    const QStringList lines = QString::fromUtf8(csv).split('\n', Qt::SkipEmptyParts);
    std::map<QString, std::map<QString, QString>> rows;
    if (lines.isEmpty())
        return rows;
    const QStringList header = lines.front().split(',');
    for (int i = 1; i < lines.size(); ++i) {
        const QStringList fields = lines[i].split(',');
        std::map<QString, QString>& row = rows[fields.front()];
        for (int c = 0; c < header.size() && c < fields.size(); ++c)
            row[header[c]] = fields[c];
    }
    return rows;
}

double number(const std::map<QString, QString>& row, const char* key)
{
    const auto found = row.find(key);
    bool ok = false;
    const double value = found == row.end() ? std::nan("") : found->second.toDouble(&ok);
    return ok ? value : std::nan("");
}

// The statistics both commands print, by the names of compare's CSV and correlate's keys (the same).
const QStringList kStatistics { "n", "spearman", "kendall", "spearman_top10", "kendall_top10", "t10t10", "t64t5" };

// The six proxies of the paper's table (algorithm §4.2), all in the NASLib subset.
const QStringList kPaperProxies { "synflow", "grad_norm", "grasp", "snip", "fisher", "jacov" };

} // namespace

class TestCliCompare : public QObject {
    Q_OBJECT

private slots:
    void helpNamesTheRulesAndOptions();
    void handComputedTable();
    void tableOutputIsAligned();
    void rowsEqualCorrelateOnTheCommonArchitectures();
    void badInput_data();
    void badInput();
    void paperOrderingOnTheNaslibSubset();
    void naslibRowsEqualCorrelate();
    void scoresAloneGiveThePaperRow();

private:
    QString write(const QString& name, const QByteArray& content);
    QString handTable();
    QTemporaryDir m_dir;
};

QString TestCliCompare::write(const QString& name, const QByteArray& content)
{
    return writeTestFile(m_dir.path(), name, content);
}

QString TestCliCompare::handTable()
{
    // Architectures n1..n6 have acc 1..6 and every score; n7 has no score b, n8 no acc: both are out of every row.
    // neg = -acc. On n1..n6 (no ties, so rho = 1 - 6 * sum d^2 / (6 * 35) and tau = (C - D) / 15):
    //   a = 2 1 4 3 5 6: d = 1 -1 1 -1 0 0, sum d^2 = 4, rho = 1 - 24/210 = 0.885714286; discordant (2,1), (4,3):
    //     tau = (13 - 2)/15 = 0.733333333. P90 of 1..6 is 5.5 for acc and a alike (h = 4.5), so the top 10% is n6
    //     by both: T10/T10 = 100.
    //   b = 3 1 2 6 4 5: d = 2 -1 -1 2 -1 -1, sum d^2 = 12, rho = 1 - 72/210 = 0.657142857; discordant (3,1), (3,2),
    //     (6,4), (6,5): tau = (11 - 4)/15 = 0.466666667; b's top 10% is n4, not n6: T10/T10 = 0.
    //   neg: rho = tau = -1, its top 10% is n1: T10/T10 = 0.
    // The top 10% by acc is one architecture, so rho and tau over it are NaN; T64/T5 needs more than 64.
    // With n7 (acc 7, a 7), a alone would give rho 1 - 6 * 4 / (7 * 48) = 0.928571429 instead.
    return write("hand.csv",
        "arch,acc,a,b,neg,note\n"
        "n1,1,2,3,-1,x\n"
        "n2,2,1,1,-2,x\n"
        "n3,3,4,2,-3,x\n"
        "n4,4,3,6,-4,x\n"
        "n5,5,5,4,-5,x\n"
        "n6,6,6,5,-6,x\n"
        "n7,7,7,nan,-7,x\n"
        "n8,,8,7,-8,x\n");
}

void TestCliCompare::helpNamesTheRulesAndOptions()
{
    const CliRun help = run({ "compare", "--help" });
    QVERIFY_EXIT(help, 0);
    for (const char* text : { "--proxies", "--proxies-file", "--proxies-key", "--where", "--scores", "--join",
             "--format", "--space", "--lower-is-better", "--top-sets", "--t10-denominator", "SAME architectures",
             "no --nan", "dropped", "docs/proxies.md", "epsinas correlate" })
        QVERIFY2(help.out.contains(text), qPrintable(QString(text) + " missing from\n" + help.out));
    const CliRun overview = run({ "--help" });
    QVERIFY2(overview.out.contains("compare"), qPrintable(overview.describe()));
}

void TestCliCompare::handComputedTable()
{
    const QString table = handTable();
    const CliRun result
        = run({ "compare", "--bench", table, "--target", "acc", "--proxies", "a, b,neg,acc", "--format", "csv" });
    QVERIFY_EXIT(result, 0);
    auto rows = compareRows(result.out);
    QCOMPARE(int(rows.size()), 4);
    struct Expected {
        const char* proxy;
        double rho, tau, t10t10;
        int dropped;
    };
    for (const Expected& expected :
        { Expected { "a", 0.885714286, 0.733333333, 100, 0 }, Expected { "b", 0.657142857, 0.466666667, 0, 1 },
            Expected { "neg", -1, -1, 0, 0 }, Expected { "acc", 1, 1, 100, 0 } }) {
        const auto& row = rows[expected.proxy];
        QCOMPARE(row.at("n"), QString("6"));
        QVERIFY2(std::abs(number(row, "spearman") - expected.rho) < 1e-8, qPrintable(result.describe()));
        QVERIFY2(std::abs(number(row, "kendall") - expected.tau) < 1e-8, qPrintable(result.describe()));
        QCOMPARE(number(row, "t10t10"), expected.t10t10);
        QCOMPARE(row.at("spearman_top10"), QString("nan"));
        QCOMPARE(row.at("kendall_top10"), QString("nan"));
        QCOMPARE(row.at("t64t5"), QString("nan"));
        QCOMPARE(row.at("dropped").toInt(), expected.dropped);
    }
    // Alone, a keeps n7: the common architectures are what makes its row differ from correlate over its own.
    const CliRun alone = run({ "compare", "--bench", table, "--target", "acc", "--proxies", "a", "--format", "csv" });
    QVERIFY_EXIT(alone, 0);
    rows = compareRows(alone.out);
    QCOMPARE(rows["a"].at("n"), QString("7"));
    QVERIFY2(std::abs(number(rows["a"], "spearman") - 0.928571429) < 1e-8, qPrintable(alone.describe()));
}

void TestCliCompare::tableOutputIsAligned()
{
    const CliRun result = run({ "compare", "--bench", handTable(), "--target", "acc", "--proxies", "a,b,neg" });
    QVERIFY_EXIT(result, 0);
    const QStringList lines = QString::fromUtf8(result.out).split('\n');
    QVERIFY2(lines.size() > 5, qPrintable(result.describe()));
    QCOMPARE(lines[0].simplified(), QString("proxy rho tau rho_top10 tau_top10 T10/T10 T64/T5 n"));
    QCOMPARE(lines[1].simplified(), QString("a 0.8857 0.7333 nan nan 100.00 nan 6"));
    QCOMPARE(lines[2].simplified(), QString("b 0.6571 0.4667 nan nan 0.00 nan 6"));
    QCOMPARE(lines[3].simplified(), QString("neg -1.0000 -1.0000 nan nan 0.00 nan 6"));
    // Right-aligned columns: every row is as long as the header, and the numbers end where its names do.
    for (int i = 1; i <= 3; ++i)
        QCOMPARE(lines[i].size(), lines[0].size());
    QCOMPARE(lines[1].indexOf("0.8857") + 6, lines[0].indexOf("rho") + 3);
    QVERIFY2(result.out.contains("6 used by every row, of the 8"), qPrintable(result.describe()));
    QVERIFY2(
        result.out.contains("dropped: 1 without the target, 0 by a, 1 by b, 0 by neg"), qPrintable(result.describe()));
}

void TestCliCompare::rowsEqualCorrelateOnTheCommonArchitectures()
{
    // 300 architectures with ties, NaN scores in two columns and NaN targets, so that every statistic is defined
    // (more than 64 pairs, a top 10% of many) and the common architectures are a strict subset.
    QByteArray all = "arch,acc,p,q,r\n";
    QByteArray common = "arch,acc,p,q,r\n";
    for (int i = 0; i < 300; ++i) {
        const int acc = (i * 37) % 101;
        const QByteArray p = i % 17 == 0 ? "nan" : QByteArray::number((i * 53) % 89);
        const QByteArray q = i % 11 == 0 ? "nan" : QByteArray::number(acc + (i * 29) % 40);
        const QByteArray r = QByteArray::number(-acc + (i * 7) % 13);
        const QByteArray target = i % 23 == 0 ? "" : QByteArray::number(acc);
        const QByteArray line = "m" + QByteArray::number(i) + "," + target + "," + p + "," + q + "," + r + "\n";
        all += line;
        if (!target.isEmpty() && p != "nan" && q != "nan")
            common += line;
    }
    const QString allFile = write("all.csv", all);
    const QString commonFile = write("common.csv", common);
    const CliRun compared
        = run({ "compare", "--bench", allFile, "--target", "acc", "--proxies", "p,q,r", "--format", "csv" });
    QVERIFY_EXIT(compared, 0);
    auto rows = compareRows(compared.out);
    for (const QString proxy : { "p", "q", "r" }) {
        const CliRun correlated = run(
            { "correlate", "--scores", commonFile, "--score-column", proxy, "--bench", commonFile, "--target", "acc" });
        QVERIFY_EXIT(correlated, 0);
        const auto values = keyValues(correlated.out);
        for (const QString& statistic : kStatistics)
            QVERIFY2(rows[proxy][statistic] == values.at(statistic),
                qPrintable(proxy + " " + statistic + ": " + rows[proxy][statistic] + " vs " + values.at(statistic)));
        QVERIFY2(values.at("spearman_top10") != "nan" && values.at("t64t5") != "nan", qPrintable(correlated.out));
    }
    QCOMPARE(rows["r"].at("dropped"), QString("0"));
}

void TestCliCompare::badInput_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("mentions");
    const QString table = "@hand";
    QTest::newRow("no target") << QStringList { "--bench", table, "--proxies", "a" } << "--target is required";
    QTest::newRow("nothing to compare") << QStringList { "--bench", table, "--target", "acc" } << "nothing to compare";
    QTest::newRow("unknown proxy") << QStringList { "--bench", table, "--target", "acc", "--proxies", "a,synflow" }
                                   << "no column 'synflow'";
    QTest::newRow("non-numeric proxy") << QStringList { "--bench", table, "--target", "acc", "--proxies", "note" }
                                       << "column 'note' of";
    QTest::newRow("unknown target") << QStringList { "--bench", table, "--target", "top1", "--proxies", "a" }
                                    << "no column 'top1'";
    QTest::newRow("empty proxy name") << QStringList { "--bench", table, "--target", "acc", "--proxies", "a,,b" }
                                      << "--proxies: an empty name";
    QTest::newRow("proxy twice") << QStringList { "--bench", table, "--target", "acc", "--proxies", "a,b,a" }
                                 << "--proxies: 'a' is named twice";
    QTest::newRow("missing file") << QStringList { "--bench", "@missing", "--target", "acc", "--proxies", "a" }
                                  << "missing.csv";
    QTest::newRow("missing proxies file") << QStringList { "--bench", table, "--target", "acc", "--proxies-file",
        "@missing", "--proxies", "a" } << "missing.csv";
    QTest::newRow("where without =") << QStringList { "--bench", table, "--target", "acc", "--proxies", "a", "--where",
        "note" } << "--where: expected COLUMN=VALUE";
    QTest::newRow("where unknown column") << QStringList { "--bench", table, "--target", "acc", "--proxies", "a",
        "--where", "dataset=cifar10" } << "no column 'dataset' to select rows by";
    QTest::newRow("where no row") << QStringList { "--bench", table, "--target", "acc", "--proxies", "a", "--where",
        "note=y" } << "no row where note is 'y' (its values include x)";
    QTest::newRow("format") << QStringList { "--bench", table, "--target", "acc", "--proxies", "a", "--format", "json" }
                            << "--format: expected table or csv";
    QTest::newRow("proxies key alone") << QStringList { "--bench", table, "--target", "acc", "--proxies", "a",
        "--proxies-key", "arch" } << "--proxies-key needs --proxies-file";
    QTest::newRow("join alone") << QStringList { "--bench", table, "--target", "acc", "--proxies", "a", "--join",
        "arch" } << "--join needs --scores";
    QTest::newRow("space") << QStringList { "--bench", table, "--target", "acc", "--proxies", "a", "--space", "nb301" }
                           << "--space: unknown score rule 'nb301'";
    QTest::newRow("nan policy") << QStringList { "--bench", table, "--target", "acc", "--proxies", "a", "--nan",
        "worst" } << "unknown option --nan";
    QTest::newRow("no common architecture") << QStringList { "--bench", table, "--target", "acc", "--scores", "@other",
        "--proxies", "a" } << "no architecture has the target and every compared score (of 8 in";
    // The message says which column dropped them all: here the scores file, which names none of the architectures.
    QTest::newRow("no common architecture, which column") << QStringList { "--bench", table, "--target", "acc",
        "--scores", "@other", "--proxies", "a" } << ": 1 without acc, 0 by a, 7 by epsinas)";
}

void TestCliCompare::badInput()
{
    QFETCH(QStringList, args);
    QFETCH(QString, mentions);
    const QString hand = handTable();
    const QString other = write("other.csv", "arch,score\nz1,0.5\nz2,0.7\n");
    for (QString& arg : args) {
        if (arg == "@hand")
            arg = hand;
        else if (arg == "@other")
            arg = other;
        else if (arg == "@missing")
            arg = m_dir.filePath("missing.csv");
    }
    const CliRun result = run(QStringList { "compare" } + args);
    QVERIFY_REFUSED(result);
    QVERIFY2(QString::fromUtf8(result.err).contains(mentions), qPrintable(result.describe()));
}

void TestCliCompare::paperOrderingOnTheNaslibSubset()
{
    if (dataDir().isEmpty())
        QSKIP("EPSINAS_DATA_DIR is not set");
    const QString nb201 = dataDir() + "/nb201/";
    const QStringList common { "compare", "--bench", nb201 + "nb201_accuracies.csv", "--bench-key", "arch_index",
        "--target", "cifar10_oritest_200ep_nb201", "--proxies-file", nb201 + "nb201_naslib_zc_subset.csv",
        "--proxies-key", "arch_index", "--where", "dataset=cifar10", "--proxies", kPaperProxies.join(','), "--format",
        "csv" };

    // The six proxies alone: every CIFAR-10 row of the subset counts. The paper (15,625 archs): fisher lowest,
    // synflow highest in rho; the subset keeps both.
    const CliRun proxies = run(common);
    QVERIFY_EXIT(proxies, 0);
    auto rows = compareRows(proxies.out);
    QCOMPARE(int(rows.size()), kPaperProxies.size());
    for (const QString& proxy : kPaperProxies) {
        QCOMPARE(rows[proxy].at("n"), QString("491"));
        QVERIFY2(number(rows["fisher"], "spearman") <= number(rows[proxy], "spearman"), qPrintable(proxies.out));
        QVERIFY2(number(rows["synflow"], "spearman") >= number(rows[proxy], "spearman"), qPrintable(proxies.out));
    }

    // With the authors' epsinas scores: only the architectures they could score (finite) remain, for every row.
    // As in the paper, epsinas's rho and tau exceed every other proxy's and fisher's rho is the lowest.
    const CliRun withScores = run(common
        + QStringList { "--scores", nb201 + "nb201_epsinas_reference_scores.csv", "--join", "arch_index",
            "--score-column", "epsinas_cifar10" });
    QVERIFY_EXIT(withScores, 0);
    rows = compareRows(withScores.out);
    const auto& epsinas = rows["epsinas"];
    QCOMPARE(epsinas.at("column"), QString("epsinas_cifar10"));
    const QString n = epsinas.at("n");
    // The released scores are NaN for 6,399 of 15,625 cells: a large part of the subset goes.
    QVERIFY2(n.toInt() > 200 && n.toInt() < 400, qPrintable(withScores.out));
    QCOMPARE(epsinas.at("dropped").toInt(), 491 - n.toInt());
    for (const QString& proxy : kPaperProxies) {
        QCOMPARE(rows[proxy].at("n"), n);
        QVERIFY2(number(epsinas, "spearman") > number(rows[proxy], "spearman"), qPrintable(withScores.out));
        QVERIFY2(number(epsinas, "kendall") > number(rows[proxy], "kendall"), qPrintable(withScores.out));
        QVERIFY2(number(rows["fisher"], "spearman") <= number(rows[proxy], "spearman"), qPrintable(withScores.out));
    }
    QVERIFY2(number(rows["synflow"], "spearman") > number(rows["fisher"], "spearman"), qPrintable(withScores.out));

    // Without --where the first row of an architecture is its ImageNet16-120 row: the filter is what picks CIFAR-10.
    QStringList unfiltered = common;
    unfiltered.removeAt(unfiltered.indexOf("--where") + 1);
    unfiltered.removeOne("--where");
    unfiltered.removeAt(unfiltered.indexOf("--format") + 1);
    unfiltered.removeOne("--format");
    const CliRun firstRows = run(unfiltered);
    QVERIFY_EXIT(firstRows, 0);
    QVERIFY2(firstRows.out.contains("duplicates: 982 rows of the proxies table"), qPrintable(firstRows.out));
}

void TestCliCompare::naslibRowsEqualCorrelate()
{
    if (dataDir().isEmpty())
        QSKIP("EPSINAS_DATA_DIR is not set");
    const QString nb201 = dataDir() + "/nb201/";
    // The CIFAR-10 rows of the subset with the authors' score of each, where it is finite: the architectures compare
    // must use. Read here with Qt, not with the table reader under test.
    QFile scoresFile(nb201 + "nb201_epsinas_reference_scores.csv");
    QFile subsetFile(nb201 + "nb201_naslib_zc_subset.csv");
    QVERIFY(scoresFile.open(QIODevice::ReadOnly) && subsetFile.open(QIODevice::ReadOnly));
    std::map<QByteArray, QByteArray> scoreOf;
    for (const QByteArray& line : scoresFile.readAll().split('\n')) {
        const QList<QByteArray> fields = line.split(',');
        if (fields.size() == 3)
            scoreOf[fields[0]] = fields[1];
    }
    const QList<QByteArray> lines = subsetFile.readAll().split('\n');
    const QList<QByteArray> header = lines.front().split(',');
    const int datasetColumn = int(header.indexOf("dataset"));
    QVERIFY(datasetColumn > 0 && header.front() == "arch_index");
    QByteArray joined = "arch_index," + lines.front().split(',').mid(datasetColumn + 1).join(',') + ",epsinas\n";
    int kept = 0;
    for (const QByteArray& line : lines) {
        const QList<QByteArray> fields = line.split(',');
        if (fields.size() != header.size() || fields[datasetColumn] != "cifar10")
            continue;
        const QByteArray score = scoreOf[fields[0]];
        if (score.isEmpty() || score == "nan")
            continue;
        joined += fields[0] + "," + fields.mid(datasetColumn + 1).join(',') + "," + score + "\n";
        ++kept;
    }
    const QString joinedFile = write("naslib_cifar10_scored.csv", joined);

    const CliRun compared = run({ "compare", "--bench", nb201 + "nb201_accuracies.csv", "--bench-key", "arch_index",
        "--target", "cifar10_oritest_200ep_nb201", "--proxies-file", nb201 + "nb201_naslib_zc_subset.csv",
        "--proxies-key", "arch_index", "--where", "dataset=cifar10", "--proxies", kPaperProxies.join(','), "--scores",
        nb201 + "nb201_epsinas_reference_scores.csv", "--join", "arch_index", "--score-column", "epsinas_cifar10",
        "--format", "csv" });
    QVERIFY_EXIT(compared, 0);
    auto rows = compareRows(compared.out);
    QCOMPARE(rows["epsinas"].at("n"), QString::number(kept));
    for (const QString& proxy : kPaperProxies + QStringList { "epsinas" }) {
        const CliRun correlated = run({ "correlate", "--scores", joinedFile, "--join", "arch_index", "--score-column",
            proxy, "--bench", nb201 + "nb201_accuracies.csv", "--bench-key", "arch_index", "--target",
            "cifar10_oritest_200ep_nb201" });
        QVERIFY_EXIT(correlated, 0);
        const auto values = keyValues(correlated.out);
        for (const QString& statistic : kStatistics)
            QVERIFY2(rows[proxy][statistic] == values.at(statistic),
                qPrintable(proxy + " " + statistic + ": " + rows[proxy][statistic] + " vs " + values.at(statistic)));
    }
}

void TestCliCompare::scoresAloneGiveThePaperRow()
{
    if (dataDir().isEmpty())
        QSKIP("EPSINAS_DATA_DIR is not set");
    // Over the whole space (the released scores, all 15,625 cells, as the proxies table) the epsinas row is the
    // paper's: 0.8687 / 0.5046 / 0.6878 / 0.3578 / 67.06 / 62 over 9,226 (algorithm §4.1, §4.2a).
    const QString nb201 = dataDir() + "/nb201/";
    const QString scores = nb201 + "nb201_epsinas_reference_scores.csv";
    const CliRun result = run({ "compare", "--bench", nb201 + "nb201_accuracies.csv", "--bench-key", "arch_index",
        "--target", "cifar10_oritest_200ep_nb201", "--proxies-file", scores, "--proxies-key", "arch_index", "--proxies",
        "epsinas_cifar10", "--scores", scores, "--join", "arch_index", "--score-column", "epsinas_cifar10", "--format",
        "csv" });
    QVERIFY_EXIT(result, 0);
    auto rows = compareRows(result.out);
    for (const char* proxy : { "epsinas_cifar10", "epsinas" }) {
        const auto& row = rows[proxy];
        QCOMPARE(row.at("n"), QString("9226"));
        QCOMPARE(row.at("dropped"), QString("6399"));
        QCOMPARE(std::round(number(row, "spearman") * 1e4) / 1e4, 0.8687);
        QCOMPARE(std::round(number(row, "spearman_top10") * 1e4) / 1e4, 0.5046);
        QCOMPARE(std::round(number(row, "kendall") * 1e4) / 1e4, 0.6878);
        QCOMPARE(std::round(number(row, "kendall_top10") * 1e4) / 1e4, 0.3578);
        QCOMPARE(std::round(number(row, "t10t10") * 1e2) / 1e2, 67.06);
        QCOMPARE(row.at("t64t5"), QString("62"));
    }
}

QTEST_GUILESS_MAIN(TestCliCompare)
#include "tst_clicompare.moc"
