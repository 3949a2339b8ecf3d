// SPDX-License-Identifier: MIT
// `epsinas search --strategy evolution...` run as a script runs it: a hand-made NB201 table of 25 cells, the
// refusals, and with EPSINAS_DATA_DIR the whole space with the authors' released scores, where evolution must beat
// random search at equal queries and epsinas must speed evolution up.
#include "../cli/clirun.h"

#include <QtTest>

#include <cmath>
#include <map>

namespace {

QByteArray readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<unreadable>");
}

// The chosen_mean column of a trajectory CSV, by query (index 0 is query 1).
std::vector<double> chosenByQuery(const QString& path)
{
    std::vector<double> chosen;
    const QList<QByteArray> lines = readFile(path).trimmed().split('\n');
    const int column = int(lines[0].split(',').indexOf("chosen_mean"));
    for (int i = 1; i < lines.size(); ++i)
        chosen.push_back(lines[i].split(',').value(column).toDouble());
    return chosen;
}

const char* const kOps[] = { "none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3" };

} // namespace

class TestCliEvolution : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void findsTheBestOfAHandMadeTable();
    void readsTheArchitecturesBesideAnIndexKey();
    void writesTheTrajectory();
    void refusesBadOptions_data();
    void refusesBadOptions();
    void wholeSpaceCurves();

private:
    QString write(const QString& name, const QByteArray& content);
    QStringList handMadeFiles();
    QTemporaryDir m_dir;
};

QString TestCliEvolution::write(const QString& name, const QByteArray& content)
{
    return writeTestFile(m_dir.path(), name, content);
}

// The 25 NB201 cells whose edges 0 and 1 take every op (i, j) and the others are fixed, each with 8 one-edge mutants
// in the table. Cell (i, j) has validation 5i + j and test 5i + j + 0.5 (i + j odd): the best by validation, (4, 4),
// has test 24, while the best test is 23.5, (4, 3). Scores equal the validation, a perfect proxy.
QStringList TestCliEvolution::handMadeFiles()
{
    QByteArray bench = "idx,arch_str,valid,test\n";
    QByteArray scores = "idx,score\n";
    for (int i = 0; i < 5; ++i) {
        for (int j = 0; j < 5; ++j) {
            const int index = 5 * i + j;
            const QByteArray arch = QByteArray("|") + kOps[i] + "~0|+|" + kOps[j]
                + "~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|";
            bench += QByteArray::number(index) + "," + arch + "," + QByteArray::number(index) + ","
                + QByteArray::number(index + ((i + j) % 2 ? 0.5 : 0.0)) + "\n";
            scores += QByteArray::number(index) + "," + QByteArray::number(index) + "\n";
        }
    }
    return { "--space", "nb201", "--scores", write("scores.csv", scores), "--join", "idx", "--bench",
        write("bench.csv", bench), "--bench-key", "idx", "--target", "test", "--select-by", "valid" };
}

void TestCliEvolution::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

void TestCliEvolution::findsTheBestOfAHandMadeTable()
{
    // 25 queries of 25 candidates: every run queries them all, so it picks (4, 4) by validation (test 24, rank 2).
    const CliRun plain = runCli(QStringList { "search", "--strategy", "evolution", "--population", "3", "--tournament",
                                    "2", "--queries", "25", "--runs", "20" }
        + handMadeFiles());
    QVERIFY_EXIT(plain, 0);
    auto values = keyValues(plain.out);
    QCOMPARE(keyValue(values, "strategy"), QString("evolution"));
    QCOMPARE(keyValue(values, "candidates"), QString("25"));
    QCOMPARE(keyValue(values, "runs_short"), QString("0"));
    QCOMPARE(keyValue(values, "queries_mean"), QString("25"));
    QCOMPARE(keyValue(values, "chosen_mean"), QString("24"));
    QCOMPARE(keyValue(values, "chosen_rank_mean"), QString("1"));
    QCOMPARE(keyValue(values, "optimum_mean"), QString("24"));
    QCOMPARE(keyValue(values, "select_by"), QString("valid"));

    // The warm-up scores all 25 and starts with the 3 best-scored, (4, 4) first: chosen after the first 3 queries.
    const CliRun warm = runCli(QStringList { "search", "--strategy", "evolution-warmup", "--warmup", "25",
                                   "--population", "3", "--tournament", "2", "--queries", "3", "--runs", "5" }
        + handMadeFiles());
    QVERIFY_EXIT(warm, 0);
    values = keyValues(warm.out);
    QCOMPARE(keyValue(values, "warmup"), QString("25"));
    QCOMPARE(keyValue(values, "mutations"), QString("1"));
    QCOMPARE(keyValue(values, "chosen_mean"), QString("24"));
    QCOMPARE(keyValue(values, "chosen_std"), QString("0"));

    // The same seed prints the same lines; another seed visits other cells.
    const QStringList both = QStringList { "search", "--strategy", "evolution-both", "--warmup", "5", "--mutations",
        "3", "--population", "3", "--tournament", "2", "--queries", "6", "--runs", "30" }
        + handMadeFiles();
    const CliRun once = runCli(both);
    QVERIFY_EXIT(once, 0);
    QCOMPARE(runCli(both).out, once.out);
    QVERIFY(runCli(both + QStringList { "--seed", "4" }).out != once.out);
}

void TestCliEvolution::readsTheArchitecturesBesideAnIndexKey()
{
    // Keyed by the arch strings themselves, the same table gives the same search as keyed by idx.
    QStringList byArch = handMadeFiles();
    byArch.removeAt(byArch.indexOf("--join") + 1);
    byArch.removeAt(byArch.indexOf("--join"));
    byArch.removeAt(byArch.indexOf("--bench-key") + 1);
    byArch.removeAt(byArch.indexOf("--bench-key"));
    const QString bench = byArch[byArch.indexOf("--bench") + 1];
    // A scores file keyed by arch: the bench's own table (score = valid).
    byArch[byArch.indexOf("--scores") + 1] = bench;
    const QStringList options { "search", "--strategy", "evolution-zc-mutation", "--population", "4", "--tournament",
        "2", "--queries", "12", "--runs", "10", "--score-column", "valid" };
    const CliRun arch = runCli(options + byArch);
    QVERIFY_EXIT(arch, 0);
    QStringList byIndex = handMadeFiles();
    byIndex[byIndex.indexOf("--scores") + 1] = bench;
    const CliRun index = runCli(options + byIndex);
    QVERIFY_EXIT(index, 0);
    QCOMPARE(keyValue(keyValues(arch.out), "chosen_mean"), keyValue(keyValues(index.out), "chosen_mean"));
    QCOMPARE(arch.out, index.out);
}

void TestCliEvolution::writesTheTrajectory()
{
    const QString path = m_dir.filePath("trajectory.csv");
    const CliRun result = runCli(QStringList { "search", "--strategy", "evolution", "--population", "3", "--queries",
                                     "25", "--runs", "4", "--trajectory", path }
        + handMadeFiles());
    QVERIFY_EXIT(result, 0);
    const QList<QByteArray> lines = readFile(path).trimmed().split('\n');
    QCOMPARE(lines.size(), 26);
    QCOMPARE(lines[0], QByteArray("query,chosen_mean,chosen_std,runs"));
    QVERIFY(lines[1].startsWith("1,"));
    // After all 25 queries every run holds (4, 4).
    QCOMPARE(lines[25], QByteArray("25,24,0,4"));
    const std::vector<double> chosen = chosenByQuery(path);
    QVERIFY(chosen.front() < chosen.back());
}

void TestCliEvolution::refusesBadOptions_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("samples") << QStringList { "--strategy", "evolution", "--samples", "5" }
                             << "--samples applies to random search";
    QTest::newRow("warm-up of plain evolution") << QStringList { "--strategy", "evolution", "--warmup", "5" }
                                                << "--warmup applies to evolution-warmup and evolution-both";
    QTest::newRow("mutations of the warm-up") << QStringList { "--strategy", "evolution-warmup", "--mutations", "5" }
                                              << "--mutations applies to evolution-zc-mutation and evolution-both";
    QTest::newRow("more queries than candidates")
        << QStringList { "--strategy", "evolution", "--queries", "26" } << "to the candidates (25), got 26";
    QTest::newRow("tournament above population") << QStringList { "--strategy", "evolution", "--population", "3",
        "--tournament", "4" } << "tournament must be from 1 to the population (3)";
    QTest::newRow("warm-up below population") << QStringList { "--strategy", "evolution-both", "--population", "10",
        "--warmup", "4" } << "warm-up must be from the population (10)";
    QTest::newRow("default warm-up above candidates") << QStringList { "--strategy", "evolution-warmup" } << "got 3000";
    QTest::newRow("no population") << QStringList { "--strategy", "evolution", "--population", "0" }
                                   << "--population must be at least 1";
    QTest::newRow("unknown select column")
        << QStringList { "--strategy", "evolution", "--select-by", "zen" } << "no column 'zen'";
}

void TestCliEvolution::refusesBadOptions()
{
    QFETCH(QStringList, options);
    QFETCH(QString, mentions);
    // Options given twice are refused, so a row's --space, --select-by or --queries replaces the default one.
    QStringList files = handMadeFiles();
    for (const char* replaced : { "--space", "--select-by" }) {
        if (options.contains(replaced)) {
            files.removeAt(files.indexOf(replaced) + 1);
            files.removeAt(files.indexOf(replaced));
        }
    }
    QStringList args { "search" };
    if (!options.contains("--queries"))
        args << "--queries"
             << "10";
    const CliRun result = runCli(args + files + options);
    QVERIFY_REFUSED(result);
    QVERIFY2(QString::fromUtf8(result.err).contains(mentions), qPrintable(result.describe()));
}

void TestCliEvolution::wholeSpaceCurves()
{
    const QString dataDir = qEnvironmentVariable("EPSINAS_DATA_DIR");
    if (dataDir.isEmpty())
        QSKIP("EPSINAS_DATA_DIR is not set");
    const QString accuracies = dataDir + "/nb201/nb201_accuracies.csv";
    const QStringList common { "search", "--space", "nb201", "--runs", "100", "--seed", "0", "--bench", accuracies,
        "--bench-key", "arch_index", "--target", "cifar10_oritest_200ep_nb201" };
    const QStringList scores { "--scores", dataDir + "/nb201/nb201_epsinas_reference_scores.csv", "--join",
        "arch_index", "--score-column", "epsinas_cifar10" };
    std::map<QString, std::vector<double>> curves;
    for (const char* strategy : { "evolution", "evolution-warmup", "evolution-zc-mutation", "evolution-both" }) {
        const QString path = m_dir.filePath(QString(strategy) + ".csv");
        const CliRun result = runCli(common + scores
            + QStringList { "--strategy", strategy, "--queries", "300", "--select-by",
                "cifar10valid_xvalid_200ep_nb201", "--trajectory", path });
        QVERIFY_EXIT(result, 0);
        const auto values = keyValues(result.out);
        QCOMPARE(keyValue(values, "candidates"), QString("15625"));
        QCOMPARE(keyValue(values, "runs_short"), QString("0"));
        QVERIFY(keyValue(values, "chosen_mean").toDouble() <= keyValue(values, "optimum_mean").toDouble());
        curves[strategy] = chosenByQuery(path);
        QCOMPARE(curves[strategy].size(), std::size_t(300));
    }
    // Random search that trains every draw and keeps the best by validation: the validation column as the score.
    const QString randomPath = m_dir.filePath("random.csv");
    const CliRun random = runCli(common
        + QStringList { "--strategy", "random", "--samples", "300", "--scores", accuracies, "--join", "arch_index",
            "--score-column", "cifar10valid_xvalid_200ep_nb201", "--trajectory", randomPath });
    QVERIFY_EXIT(random, 0);
    const std::vector<double> randomCurve = chosenByQuery(randomPath);

    // Measured with 500 runs (docs/search.md): random 93.96 and evolution 94.34 at 300 queries; at 10 queries
    // evolution 93.06 (its first 10 are random) and the warm-up 94.23; at 50 the zero-cost mutation 94.22 and at 100
    // both 94.37 against evolution's 94.00 and 94.19. The margins are many standard errors of 100 runs.
    const auto at = [](const std::vector<double>& curve, std::size_t query) { return curve.at(query - 1); };
    QVERIFY2(at(curves["evolution"], 300) > at(randomCurve, 300) + 0.2, "evolution does not beat random search");
    QVERIFY2(at(curves["evolution-warmup"], 10) > at(curves["evolution"], 10) + 0.5, "the warm-up does not help");
    QVERIFY2(at(curves["evolution-zc-mutation"], 50) > at(curves["evolution"], 50) + 0.1,
        "the zero-cost mutation does not help");
    QVERIFY2(at(curves["evolution-both"], 100) > at(curves["evolution"], 100) + 0.1, "both do not help");
}

QTEST_GUILESS_MAIN(TestCliEvolution)
#include "tst_clievolution.moc"
