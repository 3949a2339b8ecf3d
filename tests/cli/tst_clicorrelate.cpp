// SPDX-License-Identifier: MIT
// `epsinas correlate` run as a script runs it: the built executable, its key=value lines and exit codes. With
// EPSINAS_DATA_DIR it must print the paper's table from the authors' released scores (algorithm §8,
// docs/statistics.md).
#include "clirun.h"

#include "spaces/nb201/cell.h"

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

QByteArray cell(int index)
{
    return QByteArray::fromStdString(epsinas::nb201::Cell::fromIndex(index).toString());
}

// Whether the printed number rounds to `expected`, a value the reference printed with `decimals` decimals.
bool roundsTo(const QString& printed, double expected, int decimals)
{
    bool ok = false;
    const double actual = printed.toDouble(&ok);
    return ok && std::abs(actual - expected) <= 0.5 * std::pow(10.0, -decimals) + 1e-12;
}

} // namespace

class TestCliCorrelate : public QObject {
    Q_OBJECT

private slots:
    void helpNamesEveryOptionAndKey();
    void badOptionValues_data();
    void badOptionValues();
    void duplicatesInEitherFile();
    void lowerIsBetterFollowsNasBenchNlp();
    void nb101DropsNonPositiveScores();
    void tieWeightedIsLabelledADeparture();
    void paperTable_data();
    void paperTable();
    void nlpAblationRow();

private:
    QString write(const QString& name, const QByteArray& content);
    // 20 recipes with losses 0..19 and the scores of tst_topstatistics' lowerIsBetter cases, plus one score of 0.
    QStringList lossFiles();
    QTemporaryDir m_dir;
};

QString TestCliCorrelate::write(const QString& name, const QByteArray& content)
{
    return writeTestFile(m_dir.path(), name, content);
}

void TestCliCorrelate::helpNamesEveryOptionAndKey()
{
    const CliRun help = run({ "correlate", "--help" });
    QVERIFY_EXIT(help, 0);
    for (const char* text : { "--space", "--top-sets", "--t10-denominator", "--lower-is-better", "--nan",
             "tie-weighted", "consistent", "duplicate_scores", "duplicate_bench", "zero_as_nan", "nonpositive",
             "stats_variant", "t10_denominator_n", "top10_n", "docs/statistics.md" })
        QVERIFY2(help.out.contains(text), qPrintable(QString(text) + " missing from\n" + help.out));
}

void TestCliCorrelate::badOptionValues_data()
{
    QTest::addColumn<QString>("option");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("space") << "--space"
                           << "nb301"
                           << "--space: unknown score rule 'nb301' (expected nb201, nb101 or nlp)";
    QTest::newRow("top sets") << "--top-sets"
                              << "ties"
                              << "--top-sets: unknown top sets 'ties' (expected reference or tie-weighted)";
    QTest::newRow("denominator") << "--t10-denominator"
                                 << "p90"
                                 << "--t10-denominator: unknown T10/T10 denominator 'p90'";
    QTest::newRow("nan") << "--nan"
                         << "ignore"
                         << "--nan: unknown NaN policy 'ignore'";
}

void TestCliCorrelate::badOptionValues()
{
    QFETCH(QString, option);
    QFETCH(QString, value);
    QFETCH(QString, mentions);
    const QString scores = write("bad_scores.csv", "arch,score\n" + cell(1) + ",0.5\n");
    const QString bench = write("bad_bench.csv", "arch_str,acc\n" + cell(1) + ",90\n");
    const CliRun result = run({ "correlate", "--scores", scores, "--bench", bench, "--target", "acc", option, value });
    QVERIFY_EXIT(result, 2);
    QVERIFY(result.out.isEmpty());
    const QString err = QString::fromUtf8(result.err);
    QCOMPARE(err.count('\n'), 1);
    QVERIFY2(err.contains(mentions), qPrintable(result.describe()));
}

void TestCliCorrelate::duplicatesInEitherFile()
{
    // Five cells whose accuracy rises with their score. The scores file repeats cell 3 (spelled with spaces) with a
    // score that would break the order; the table repeats cell 2 with an accuracy that would. First rows win.
    QByteArray scores = "arch,score\n";
    QByteArray bench = "arch_str,acc\n";
    for (int i = 1; i <= 5; ++i) {
        scores += cell(100 * i) + "," + QByteArray::number(0.1 * i) + "\n";
        bench += cell(100 * i) + "," + QByteArray::number(80 + i) + "\n";
    }
    scores += "\" " + cell(300) + " \",0.9\n";
    bench += cell(200) + ",99\n";
    const CliRun result = run({ "correlate", "--scores", write("dup_scores.csv", scores), "--bench",
        write("dup_bench.csv", bench), "--target", "acc" });
    QVERIFY_EXIT(result, 0);
    const auto values = keyValues(result.out);
    QCOMPARE(keyValue(values, "duplicate_scores"), QString("1"));
    QCOMPARE(keyValue(values, "duplicate_bench"), QString("1"));
    QCOMPARE(keyValue(values, "duplicates"), QString("the first row of each architecture is used"));
    // Counting the repeated row twice would give n = 6; either later row would break rho = 1.
    QCOMPARE(keyValue(values, "n"), QString("5"));
    QCOMPARE(keyValue(values, "unmatched"), QString("0"));
    QCOMPARE(keyValue(values, "spearman"), QString("1"));
    QCOMPARE(keyValue(values, "kendall"), QString("1"));
}

QStringList TestCliCorrelate::lossFiles()
{
    // Losses 0..19 for ids 0..19; scores: id 0 -> 100, id 1 -> 5, ids 2, 3 -> 48, ids 4..19 -> 30 - id; id 20 has
    // loss 3.5 and a score of 0. Without id 20: P10(loss) = 1.9, so the top 10% are ids 0 and 1; {score > P90 = 48}
    // = {id 0}; {score < P10(score) = 11.9} = {ids 1, 19} (tst_topstatistics derives these).
    QByteArray scores = "id,score\n";
    QByteArray losses = "id,loss\n";
    for (int id = 0; id < 20; ++id) {
        const double score = id == 0 ? 100 : id == 1 ? 5 : id <= 3 ? 48 : 30 - id;
        scores += QByteArray::number(id) + "," + QByteArray::number(score) + "\n";
        losses += QByteArray::number(id) + "," + QByteArray::number(id) + "\n";
    }
    scores += "20,0\n";
    losses += "20,3.5\n";
    return { write("nlp_scores.csv", scores), write("nlp_losses.csv", losses) };
}

void TestCliCorrelate::lowerIsBetterFollowsNasBenchNlp()
{
    const QStringList files = lossFiles();
    const QStringList common { "correlate", "--scores", files[0], "--join", "id", "--bench", files[1], "--bench-key",
        "id", "--target", "loss", "--lower-is-better" };
    const CliRun reference = run(common);
    QVERIFY_EXIT(reference, 0);
    auto values = keyValues(reference.out);
    // The NLP rule by default: the 0 is NaN, so the 20 pairs above remain.
    QCOMPARE(keyValue(values, "score_rule"), QString("nlp"));
    QCOMPARE(keyValue(values, "zero_as_nan"), QString("1"));
    QCOMPARE(keyValue(values, "nan"), QString("1"));
    QCOMPARE(keyValue(values, "n"), QString("20"));
    QCOMPARE(keyValue(values, "stats_variant"),
        QString("reference: NAS-Bench-NLP/epsinas_utils.py compute_stats (maximize=False)"));
    QCOMPARE(keyValue(values, "top10_n"), QString("2"));
    QCOMPARE(keyValue(values, "spearman_top10"), QString("-1"));
    // 1 / |{score < P10(score)}| = 1/2 (sic).
    QCOMPARE(keyValue(values, "t10_denominator_n"), QString("2"));
    QCOMPARE(keyValue(values, "t10t10"), QString("50"));
    QVERIFY2(keyValue(values, "t10_denominator").contains("P10"), qPrintable(reference.describe()));

    const CliRun consistent = run(common + QStringList { "--t10-denominator", "consistent" });
    QVERIFY_EXIT(consistent, 0);
    values = keyValues(consistent.out);
    QCOMPARE(keyValue(values, "t10_denominator_n"), QString("1"));
    QCOMPARE(keyValue(values, "t10t10"), QString("100"));
    QCOMPARE(keyValue(values, "stats_variant"), QString("departure: consistent T10/T10 denominator"));

    // The NB201 rule keeps the 0 (ranked lowest, at loss 3.5): 21 pairs, and no reference function combines the two.
    const CliRun nb201 = run(common + QStringList { "--space", "nb201" });
    QVERIFY_EXIT(nb201, 0);
    values = keyValues(nb201.out);
    QCOMPARE(keyValue(values, "n"), QString("21"));
    QCOMPARE(keyValue(values, "zero_as_nan"), QString("0"));
    QVERIFY2(keyValue(values, "stats_variant").startsWith("departure: NAS-Bench-NLP's lower-is-better rules"),
        qPrintable(nb201.describe()));
}

void TestCliCorrelate::nb101DropsNonPositiveScores()
{
    const QStringList files = lossFiles();
    const CliRun result = run({ "correlate", "--scores", files[0], "--join", "id", "--bench", files[1], "--bench-key",
        "id", "--target", "loss", "--space", "nb101", "--nan", "worst" });
    QVERIFY_EXIT(result, 0);
    const auto values = keyValues(result.out);
    // NB101's score > 0 drops the 0 whatever the NaN policy; it is not a NaN.
    QCOMPARE(keyValue(values, "nonpositive"), QString("1"));
    QCOMPARE(keyValue(values, "nan"), QString("0"));
    QCOMPARE(keyValue(values, "n"), QString("20"));
    QCOMPARE(keyValue(values, "stats_variant"), QString("departure: NaN scores ranked worst"));
}

void TestCliCorrelate::tieWeightedIsLabelledADeparture()
{
    const QStringList files = lossFiles();
    const CliRun result = run({ "correlate", "--scores", files[0], "--join", "id", "--bench", files[1], "--bench-key",
        "id", "--target", "loss", "--top-sets", "tie-weighted" });
    QVERIFY_EXIT(result, 0);
    const auto values = keyValues(result.out);
    QCOMPARE(keyValue(values, "top_sets"), QString("tie-weighted (departure)"));
    QCOMPARE(keyValue(values, "stats_variant"), QString("departure: tie-weighted top sets"));
    QCOMPARE(keyValue(values, "score_rule"), QString("nb201"));
    QCOMPARE(keyValue(values, "top10_n"), QString("3")); // ceil(21/10)
}

void TestCliCorrelate::paperTable_data()
{
    QTest::addColumn<QString>("scoreColumn");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QList<double>>("expected"); // rho, rho top-10%, tau, tau top-10%, T10/T10, T64/T5
    QTest::newRow("CIFAR-10") << "epsinas_cifar10"
                              << "cifar10_oritest_200ep_nb201"
                              << QList<double> { 0.8687, 0.5046, 0.6878, 0.3578, 67.06, 62 };
    QTest::newRow("ImageNet16-120") << "epsinas_imagenet16"
                                    << "imagenet16_xtest_200ep_nb201"
                                    << QList<double> { 0.8485, 0.5337, 0.6665, 0.3691, 71.51, 59 };
}

void TestCliCorrelate::paperTable()
{
    if (dataDir().isEmpty())
        QSKIP("EPSINAS_DATA_DIR is not set");
    QFETCH(QString, scoreColumn);
    QFETCH(QString, target);
    QFETCH(QList<double>, expected);
    const CliRun result = run({ "correlate", "--scores", dataDir() + "/nb201/nb201_epsinas_reference_scores.csv",
        "--join", "arch_index", "--score-column", scoreColumn, "--bench", dataDir() + "/nb201/nb201_accuracies.csv",
        "--bench-key", "arch_index", "--target", target });
    QVERIFY_EXIT(result, 0);
    qInfo("%s", result.out.constData());
    const auto values = keyValues(result.out);
    QCOMPARE(keyValue(values, "n"), QString("9226"));
    QCOMPARE(keyValue(values, "nan"), QString("6399"));
    QCOMPARE(keyValue(values, "unmatched"), QString("0"));
    QCOMPARE(keyValue(values, "duplicate_scores"), QString("0"));
    QCOMPARE(keyValue(values, "duplicate_bench"), QString("0"));
    QCOMPARE(keyValue(values, "stats_variant"), QString("reference: NAS-Bench-201/epsinas_utils.py compute_stats"));
    const char* keys[] = { "spearman", "spearman_top10", "kendall", "kendall_top10", "t10t10" };
    const int decimals[] = { 4, 4, 4, 4, 2 };
    for (int i = 0; i < 5; ++i)
        QVERIFY2(roundsTo(keyValue(values, keys[i]), expected[i], decimals[i]),
            qPrintable(QString("%1: expected %2\n").arg(keys[i]).arg(expected[i]) + result.describe()));
    QCOMPARE(keyValue(values, "t64t5"), QString::number(expected[5]));
}

void TestCliCorrelate::nlpAblationRow()
{
    if (dataDir().isEmpty())
        QSKIP("EPSINAS_DATA_DIR is not set");
    // NAS-Bench-NLP/Ablations.ipynb cell 8, row [1e-05, 0.001]: compute_stats(scores, losses), maximize=True.
    const QString file = dataDir() + "/nasbench_nlp/epsinas_reference_ptb_5000.csv";
    const CliRun result = run({ "correlate", "--scores", file, "--join", "row", "--score-column", "epsinas_score",
        "--bench", file, "--bench-key", "row", "--target", "ptb_test_loss_final", "--space", "nlp" });
    QVERIFY_EXIT(result, 0);
    qInfo("%s", result.out.constData());
    const auto values = keyValues(result.out);
    QCOMPARE(keyValue(values, "n"), QString("3879"));
    QCOMPARE(keyValue(values, "zero_as_nan"), QString("13"));
    QCOMPARE(keyValue(values, "stats_variant"), QString("reference: NAS-Bench-NLP/epsinas_utils.py compute_stats"));
    const char* keys[] = { "spearman", "spearman_top10", "kendall", "kendall_top10", "t10t10" };
    const double printed[] = { -0.34, 0.11, -0.23, 0.09, 3.87 };
    for (int i = 0; i < 5; ++i)
        QVERIFY2(roundsTo(keyValue(values, keys[i]), printed[i], 2),
            qPrintable(QString("%1: expected %2\n").arg(keys[i]).arg(printed[i]) + result.describe()));
    QCOMPARE(keyValue(values, "t64t5"), QString("2"));
}

QTEST_GUILESS_MAIN(TestCliCorrelate)
#include "tst_clicorrelate.moc"
