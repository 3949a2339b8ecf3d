// SPDX-License-Identifier: MIT
// `epsinas search` without --scores: it scores the table's architectures itself, with the options of epsinas score.
// Every search must print what the same search prints over the CSV epsinas score writes with those options (the
// scores, the join and the statistics all agree), keep its scores in --store, and refuse options that cannot apply.
#include "../cli/clirun.h"

#include <QtTest>

namespace {

const char* const kOps[] = { "none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3" };

// The key=value lines of a search, less the line that names where the scores came from.
QByteArray withoutScoreSource(const QByteArray& out)
{
    QByteArray kept;
    for (const QByteArray& line : out.split('\n')) {
        if (!line.startsWith("score_source=") && !line.startsWith("scored_now="))
            kept += line + '\n';
    }
    return kept;
}

QString dataDir()
{
    return qEnvironmentVariable("EPSINAS_DATA_DIR");
}

} // namespace

class TestCliSearchScoring : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void matchesTheSearchOverTheScoreCsv_data();
    void matchesTheSearchOverTheScoreCsv();
    void keepsItsScoresInTheStore();
    void readsArchitecturesBesideAnIndexKey();
    void refusesOptionsThatCannotApply_data();
    void refusesOptionsThatCannotApply();
    void nb101TableOnTheFly();
    void nlpTableOnTheFly();

private:
    QString write(const QString& name, const QByteArray& content) { return writeTestFile(m_dir.path(), name, content); }
    /**
     * A bench of the 25 NB201 cells whose first two edges take every op (columns idx, arch_str, valid, test), and
     * beside it cells.txt, the same cells one per line, for epsinas score.
     */
    QString handMadeBench();
    QString cellsFile() const { return QDir(m_dir.path()).filePath("cells.txt"); }
    QTemporaryDir m_dir;
};

QString TestCliSearchScoring::handMadeBench()
{
    QByteArray bench = "idx,arch_str,valid,test\n";
    QByteArray cells;
    for (int i = 0; i < 5; ++i) {
        for (int j = 0; j < 5; ++j) {
            const int index = 5 * i + j;
            const QByteArray cell = QByteArray("|") + kOps[i] + "~0|+|" + kOps[j]
                + "~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|";
            bench += QByteArray::number(index) + "," + cell + "," + QByteArray::number(index) + ","
                + QByteArray::number(100 - index) + "\n";
            cells += cell + "\n";
        }
    }
    write("cells.txt", cells);
    return write("bench.csv", bench);
}

void TestCliSearchScoring::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

void TestCliSearchScoring::matchesTheSearchOverTheScoreCsv_data()
{
    QTest::addColumn<QStringList>("strategy");
    QTest::newRow("random") << QStringList { "--strategy", "random", "--samples", "8", "--runs", "40" };
    QTest::newRow("evolution-both") << QStringList { "--strategy", "evolution-both", "--warmup", "6", "--mutations",
        "3", "--population", "4", "--tournament", "2", "--queries", "10", "--runs", "30", "--select-by", "valid" };
}

void TestCliSearchScoring::matchesTheSearchOverTheScoreCsv()
{
    QFETCH(QStringList, strategy);
    const QString bench = handMadeBench();
    // A scoring setting off the defaults, so that the search must pass its options on, not score with defaults.
    const QStringList scoring { "--input", "noise:3", "--batch", "16", "--weights", "1e-6,1" };
    const QString scores = QDir(m_dir.path()).filePath("scores.csv");
    const CliRun scored
        = runCli(QStringList { "score", "--space", "nb201", "--arch-file", cellsFile(), "--out", scores } + scoring);
    QVERIFY_EXIT(scored, 0);

    const QStringList common
        = QStringList { "search", "--space", "nb201", "--bench", bench, "--target", "test" } + strategy;
    const CliRun fromCsv = runCli(common + QStringList { "--scores", scores });
    QVERIFY_EXIT(fromCsv, 0);
    const CliRun onTheFly = runCli(common + scoring);
    QVERIFY_EXIT(onTheFly, 0);
    const auto values = keyValues(onTheFly.out);
    QCOMPARE(keyValue(values, "score_source"), QString("computed"));
    QCOMPARE(keyValue(values, "candidates"), QString("25"));
    QCOMPARE(keyValue(values, "unmatched"), QString("0"));
    QCOMPARE(keyValue(keyValues(fromCsv.out), "score_source"), scores);
    QCOMPARE(withoutScoreSource(onTheFly.out), withoutScoreSource(fromCsv.out));
    // With the default (grey) input the scores differ, and so, on this table, does some line.
    const CliRun grey = runCli(common);
    QVERIFY_EXIT(grey, 0);
    QVERIFY2(grey.out != onTheFly.out, "the scoring options made no difference");
}

void TestCliSearchScoring::keepsItsScoresInTheStore()
{
    const QString bench = handMadeBench();
    const QString store = QDir(m_dir.path()).filePath("kept.sqlite");
    const QStringList search { "search", "--bench", bench, "--target", "test", "--samples", "5", "--runs", "10",
        "--store", store };
    const CliRun first = runCli(search);
    QVERIFY_EXIT(first, 0);
    const int distinct = keyValue(keyValues(first.out), "scored_now").toInt();
    // 25 cells, fewer distinct forms: edge 0 as `none` with edge 1 leaves the same functions in several cells.
    QVERIFY2(distinct > 0 && distinct <= 25, qPrintable(first.describe()));
    const CliRun second = runCli(search);
    QVERIFY_EXIT(second, 0);
    QCOMPARE(keyValue(keyValues(second.out), "scored_now"), QString("0"));
    QCOMPARE(withoutScoreSource(second.out), withoutScoreSource(first.out));
    // The store is epsinas score's: the same cells with the same (default) options are all read from it.
    const CliRun score = runCli({ "score", "--arch-file", cellsFile(), "--store", store, "--out",
        QDir(m_dir.path()).filePath("fromstore.csv") });
    QVERIFY_EXIT(score, 0);
    QVERIFY2(score.err.contains(QByteArray::number(distinct) + " of " + QByteArray::number(distinct) + " distinct"),
        qPrintable(score.describe()));
}

void TestCliSearchScoring::readsArchitecturesBesideAnIndexKey()
{
    // Keyed by idx, the table's cells are read from its arch_str column, as evolution's mutations are.
    const QString bench = handMadeBench();
    const CliRun byIndex = runCli(
        { "search", "--bench", bench, "--bench-key", "idx", "--target", "test", "--samples", "5", "--runs", "10" });
    QVERIFY_EXIT(byIndex, 0);
    const CliRun byText = runCli({ "search", "--bench", bench, "--target", "test", "--samples", "5", "--runs", "10" });
    QVERIFY_EXIT(byText, 0);
    QCOMPARE(withoutScoreSource(byIndex.out), withoutScoreSource(byText.out));
}

void TestCliSearchScoring::refusesOptionsThatCannotApply_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("scoring option with --scores") << QStringList { "--scores", "SCORES", "--input", "grey" };
    QTest::newRow("store with --scores") << QStringList { "--scores", "SCORES", "--store", "s.sqlite" };
    QTest::newRow("score column without --scores") << QStringList { "--score-column", "score" };
    QTest::newRow("join without --scores") << QStringList { "--join", "idx" };
    QTest::newRow("bad input") << QStringList { "--input", "cifar10:/nonexistent/batch.bin" };
    QTest::newRow("bad weights") << QStringList { "--weights", "1,0.5" };
    QTest::newRow("offset of a generated input") << QStringList { "--offset", "3" };
    QTest::newRow("offset of a token space") << QStringList { "--space", "nlp", "--offset", "3" };
    QTest::newRow("no architecture in the key column") << QStringList { "--space", "nb101" };
}

void TestCliSearchScoring::refusesOptionsThatCannotApply()
{
    QFETCH(QStringList, args);
    const QString bench = handMadeBench();
    const QString scores = write("given-scores.csv", "arch,score\n|none~0|+|none~0|none~1|+|none~0|none~1|none~2|,1\n");
    args.replaceInStrings("SCORES", scores);
    const QString trajectory = QDir(m_dir.path()).filePath("refused-trajectory.csv");
    const CliRun refused = runCli(
        QStringList { "search", "--bench", bench, "--target", "test", "--samples", "5", "--trajectory", trajectory }
        + args);
    QVERIFY_REFUSED(refused);
    QVERIFY(!QFileInfo::exists(trajectory));
}

void TestCliSearchScoring::nb101TableOnTheFly()
{
    if (dataDir().isEmpty())
        QSKIP("EPSINAS_DATA_DIR is not set");
    // The first 120 specs of the NB101 table, keyed by hash, their cells in its adjacency and ops columns.
    QFile table(QDir(dataDir()).filePath("nb101/nb101_specs_1000.csv"));
    QVERIFY(table.open(QIODevice::ReadOnly));
    QByteArray head;
    for (int line = 0; line < 121 && !table.atEnd(); ++line)
        head += table.readLine();
    const QString bench = write("nb101.csv", head);
    const QString scores = QDir(m_dir.path()).filePath("nb101-scores.csv");
    QVERIFY_EXIT(runCli({ "score", "--space", "nb101", "--arch-file", bench, "--out", scores }), 0);
    const QStringList common { "search", "--space", "nb101", "--bench", bench, "--target", "val_acc_108ep", "--samples",
        "30", "--runs", "50" };
    const CliRun fromCsv = runCli(common + QStringList { "--scores", scores, "--join", "hash", "--bench-key", "hash" });
    QVERIFY_EXIT(fromCsv, 0);
    const CliRun onTheFly = runCli(common);
    QVERIFY_EXIT(onTheFly, 0);
    QCOMPARE(keyValue(keyValues(onTheFly.out), "candidates"), QString("120"));
    QCOMPARE(withoutScoreSource(onTheFly.out), withoutScoreSource(fromCsv.out));
}

void TestCliSearchScoring::nlpTableOnTheFly()
{
    if (dataDir().isEmpty())
        QSKIP("EPSINAS_DATA_DIR is not set");
    // Keyed by recepie_id, the recipes read from recipes.jsonl beside the table; a loss, lower is better.
    const QString bench = QDir(dataDir()).filePath("nasbench_nlp/nlp_archs_wt2_ptb.csv");
    const QString scores = QDir(m_dir.path()).filePath("nlp-scores.csv");
    QVERIFY_EXIT(runCli({ "score", "--space", "nlp", "--recipe-file",
                     QDir(dataDir()).filePath("nasbench_nlp/recipes.jsonl"), "--out", scores }),
        0);
    const QStringList common { "search", "--space", "nlp", "--bench", bench, "--target", "ptb_test_loss_final",
        "--lower-is-better", "--samples", "50", "--runs", "50" };
    const CliRun fromCsv = runCli(common + QStringList { "--scores", scores, "--bench-key", "recepie_id" });
    QVERIFY_EXIT(fromCsv, 0);
    const CliRun onTheFly = runCli(common);
    QVERIFY_EXIT(onTheFly, 0);
    const auto values = keyValues(onTheFly.out);
    // Every recipe with a PTB loss has its recipe in recipes.jsonl.
    QCOMPARE(keyValue(values, "unmatched"), QString("0"));
    QVERIFY(keyValue(values, "candidates").toInt() > 300);
    QCOMPARE(withoutScoreSource(onTheFly.out), withoutScoreSource(fromCsv.out));
}

QTEST_GUILESS_MAIN(TestCliSearchScoring)
#include "tst_clisearchscoring.moc"
