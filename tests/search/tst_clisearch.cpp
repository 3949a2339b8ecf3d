// SPDX-License-Identifier: MIT
// `epsinas search` run as a script runs it: the built executable, its key=value lines, its trajectory file and its
// refusals. With EPSINAS_DATA_DIR it must reproduce the paper's random-search table (spec §4.3) from the authors'
// released scores.
#include "../cli/clirun.h"

#include <QtTest>

#include <cmath>
#include <map>

namespace {

double number(const std::map<QString, QString>& values, const char* key)
{
    bool ok = false;
    const double parsed = keyValue(values, key).toDouble(&ok);
    return ok ? parsed : std::nan("");
}

QString dataDir()
{
    return qEnvironmentVariable("EPSINAS_DATA_DIR");
}

QByteArray readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<unreadable>");
}

} // namespace

class TestCliSearch : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void helpNamesEveryOptionAndKey();
    void picksTheBestScoredOfAHandMadeTable();
    void writesTheTrajectory();
    void refusesBadOptions_data();
    void refusesBadOptions();
    void requiresATarget();
    void neverWritesOverItsInputs();
    void paperTable_data();
    void paperTable();

private:
    QString write(const QString& name, const QByteArray& content);
    QStringList handMadeFiles();
    QTemporaryDir m_dir;
};

QString TestCliSearch::write(const QString& name, const QByteArray& content)
{
    return writeTestFile(m_dir.path(), name, content);
}

// Six candidates a..f with accuracies 10..60; scores rank them except that the best (f) scores NaN and e has the best
// score: the whole table's pick is e (50), its rank 2, the optimum 60. The scores file lists a twice; the table's g
// (the best accuracy of all) has no score row and h no target, so neither is a candidate.
QStringList TestCliSearch::handMadeFiles()
{
    const QString bench
        = write("bench.csv", "arch,acc,loss\na,10,6\nb,20,5\nc,30,4\nd,40,3\ne,50,2\nf,60,1\ng,70,0\nh,nan,0\n");
    const QString scores
        = write("scores.csv", "arch,score,other\na,1,9\nb,2,8\nc,3,7\nd,4,6\ne,5,5\nf,nan,4\na,99,0\n");
    return { "--scores", scores, "--bench", bench };
}

void TestCliSearch::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

void TestCliSearch::helpNamesEveryOptionAndKey()
{
    const CliRun help = runCli({ "search", "--help" });
    QVERIFY_EXIT(help, 0);
    for (const char* text : { "--strategy", "--samples", "--runs", "--seed", "--scores", "--score-column", "--join",
             "--bench", "--bench-key", "--target", "--lower-is-better", "--trajectory", "chosen_mean", "chosen_std",
             "optimum_mean", "optimum_std", "random_mean", "random_std", "chosen_rank_mean", "runs_without_choice",
             "unmatched", "evolution-both", "--select-by" })
        QVERIFY2(help.out.contains(text), qPrintable(QString(text) + " missing from\n" + help.out));
    const CliRun usage = runCli({ "--help" });
    QVERIFY(usage.out.contains("search "));
}

void TestCliSearch::picksTheBestScoredOfAHandMadeTable()
{
    const QStringList files = handMadeFiles();
    const CliRun accuracy
        = runCli(QStringList { "search", "--samples", "6", "--runs", "7", "--target", "acc" } + files);
    QVERIFY_EXIT(accuracy, 0);
    auto values = keyValues(accuracy.out);
    QCOMPARE(keyValue(values, "strategy"), QString("random"));
    QCOMPARE(keyValue(values, "samples"), QString("6"));
    QCOMPARE(keyValue(values, "runs"), QString("7"));
    QCOMPARE(keyValue(values, "candidates"), QString("6"));
    QCOMPARE(keyValue(values, "unscored"), QString("1"));
    QCOMPARE(keyValue(values, "unmatched"), QString("1"));
    QCOMPARE(keyValue(values, "duplicate_scores"), QString("1"));
    QCOMPARE(keyValue(values, "chosen_mean"), QString("50"));
    QCOMPARE(keyValue(values, "chosen_std"), QString("0"));
    QCOMPARE(keyValue(values, "optimum_mean"), QString("60"));
    QCOMPARE(keyValue(values, "chosen_rank_mean"), QString("2"));
    QCOMPARE(keyValue(values, "runs_without_choice"), QString("0"));

    // Another score column, and a loss: the scores 9..4 pick a (loss 6), the optimum is f (loss 1), a's rank 6.
    const CliRun loss = runCli(QStringList { "search", "--samples", "6", "--runs", "3", "--target", "loss",
                                   "--score-column", "other", "--lower-is-better" }
        + files);
    QVERIFY_EXIT(loss, 0);
    values = keyValues(loss.out);
    QCOMPARE(keyValue(values, "chosen_mean"), QString("6"));
    QCOMPARE(keyValue(values, "optimum_mean"), QString("1"));
    QCOMPARE(keyValue(values, "chosen_rank_mean"), QString("6"));
    QCOMPARE(keyValue(values, "target_order"), QString("lower is better"));

    // The same seed prints the same lines; another seed draws other architectures.
    const QStringList sampled = QStringList { "search", "--samples", "2", "--runs", "50", "--target", "acc" } + files;
    const CliRun once = runCli(sampled);
    QVERIFY_EXIT(once, 0);
    QCOMPARE(runCli(sampled).out, once.out);
    QVERIFY(runCli(sampled + QStringList { "--seed", "9" }).out != once.out);
}

void TestCliSearch::writesTheTrajectory()
{
    const QString path = m_dir.filePath("trajectory.csv");
    const CliRun result
        = runCli(QStringList { "search", "--samples", "6", "--runs", "4", "--target", "acc", "--trajectory", path }
            + handMadeFiles());
    QVERIFY_EXIT(result, 0);
    const QList<QByteArray> lines = readFile(path).trimmed().split('\n');
    QCOMPARE(lines.size(), 7);
    QCOMPARE(lines[0], QByteArray("query,optimum_mean,optimum_std,chosen_mean,chosen_std,chosen_runs"));
    // After all six queries every run has seen the whole table.
    QCOMPARE(lines[6], QByteArray("6,60,0,50,0,4"));
    QVERIFY(lines[1].startsWith("1,"));
}

void TestCliSearch::refusesBadOptions_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("more samples than candidates") << QStringList { "--samples", "7" } << "choose at most 6";
    QTest::newRow("no samples") << QStringList { "--samples", "0" } << "--samples must be at least 1";
    QTest::newRow("samples not a number") << QStringList { "--samples", "ten" } << "--samples expects an integer";
    QTest::newRow("no runs") << QStringList { "--runs", "0" } << "--runs must be from 1 to 100000";
    QTest::newRow("too many runs") << QStringList { "--runs", "100001" } << "--runs must be from 1 to 100000";
    QTest::newRow("negative seed") << QStringList { "--seed", "-1" } << "--seed must be at least 0";
    QTest::newRow("unknown strategy") << QStringList { "--strategy", "greedy" } << "unknown strategy 'greedy'";
    QTest::newRow("evolution without --select-by")
        << QStringList { "--strategy", "evolution" } << "--select-by is required for evolution";
    QTest::newRow("evolution option") << QStringList { "--population", "10" }
                                      << "--population applies to the evolution strategies";
    QTest::newRow("unknown space") << QStringList { "--space", "nb301" } << "unknown space 'nb301'";
    QTest::newRow("unknown score column") << QStringList { "--score-column", "zen" } << "no column 'zen'";
    QTest::newRow("positional") << QStringList { "extra" } << "unexpected argument 'extra'";
    QTest::newRow("unknown target") << QStringList { "--target", "accuracy" } << "no column 'accuracy'";
    QTest::newRow("missing scores") << QStringList { "--scores", "/nonexistent/scores.csv" }
                                    << "/nonexistent/scores.csv";
    QTest::newRow("target without value") << QStringList { "--target" } << "option --target needs a value";
    QTest::newRow("nothing joins") << QStringList { "--join", "score" } << "check --join and --bench-key";
    QTest::newRow("trajectory folder") << QStringList { "--trajectory", "/" } << "cannot write '/'";
}

void TestCliSearch::refusesBadOptions()
{
    QFETCH(QStringList, options);
    QFETCH(QString, mentions);
    // Options given twice are refused, so a row's --target or --scores replaces the default one.
    QStringList args { "search" };
    if (!options.contains("--target"))
        args << "--target"
             << "acc";
    const QStringList files = handMadeFiles();
    if (!options.contains("--scores"))
        args << files[0] << files[1];
    args << files[2] << files[3];
    const CliRun result = runCli(args + options);
    QVERIFY_REFUSED(result);
    QVERIFY2(QString::fromUtf8(result.err).contains(mentions), qPrintable(result.describe()));
}

void TestCliSearch::requiresATarget()
{
    const CliRun result = runCli(QStringList { "search" } + handMadeFiles());
    QVERIFY_REFUSED(result);
    QVERIFY2(result.err.contains("--target is required"), qPrintable(result.describe()));
}

void TestCliSearch::neverWritesOverItsInputs()
{
    const QStringList files = handMadeFiles();
    const QByteArray bench = readFile(files[3]);
    const CliRun overBench
        = runCli(QStringList { "search", "--samples", "2", "--target", "acc", "--trajectory", files[3] } + files);
    QVERIFY_REFUSED(overBench);
    QCOMPARE(readFile(files[3]), bench);

    // A run refused after the trajectory was opened leaves an earlier trajectory as it was, and no temporary.
    const QString kept = write("kept.csv", "an earlier trajectory\n");
    const CliRun refused
        = runCli(QStringList { "search", "--samples", "60", "--target", "acc", "--trajectory", kept } + files);
    QVERIFY_REFUSED(refused);
    QCOMPARE(readFile(kept), QByteArray("an earlier trajectory\n"));
    const QStringList left = QDir(m_dir.path()).entryList(QStringList { "*epsinas-*" }, QDir::Files | QDir::Hidden);
    QVERIFY2(left.isEmpty(), qPrintable(left.join(", ")));
}

void TestCliSearch::paperTable_data()
{
    QTest::addColumn<QString>("scoreColumn");
    QTest::addColumn<QString>("target");
    QTest::addColumn<int>("samples");
    QTest::addColumn<double>("chosen");
    QTest::addColumn<double>("chosenTolerance");
    QTest::addColumn<double>("optimum");
    QTest::addColumn<double>("optimumTolerance");
    // Spec §4.3 (logs_*samples.txt of the authors' release): the chosen architecture's mean test accuracy over 500
    // runs, within the tolerances; the optimum of each draw more loosely (its own sampling noise is smaller,
    // but the authors' draws are not recoverable).
    QTest::newRow("CIFAR-10 N=1000") << "epsinas_cifar10"
                                     << "cifar10_oritest_200ep_nb201" << 1000 << 93.86 << 0.15 << 94.20 << 0.1;
    QTest::newRow("CIFAR-10 N=100") << "epsinas_cifar10"
                                    << "cifar10_oritest_200ep_nb201" << 100 << 93.39 << 0.15 << 93.85 << 0.1;
    QTest::newRow("ImageNet16-120 N=1000") << "epsinas_imagenet16"
                                           << "imagenet16_xtest_200ep_nb201" << 1000 << 45.42 << 0.35 << 46.59 << 0.2;
    QTest::newRow("ImageNet16-120 N=100") << "epsinas_imagenet16"
                                          << "imagenet16_xtest_200ep_nb201" << 100 << 44.20 << 0.35 << 45.63 << 0.2;
}

void TestCliSearch::paperTable()
{
    if (dataDir().isEmpty())
        QSKIP("EPSINAS_DATA_DIR is not set");
    QFETCH(QString, scoreColumn);
    QFETCH(QString, target);
    QFETCH(int, samples);
    QFETCH(double, chosen);
    QFETCH(double, chosenTolerance);
    QFETCH(double, optimum);
    QFETCH(double, optimumTolerance);
    const CliRun result = runCli({ "search", "--space", "nb201", "--strategy", "random", "--samples",
        QString::number(samples), "--runs", "500", "--seed", "0", "--scores",
        dataDir() + "/nb201/nb201_epsinas_reference_scores.csv", "--join", "arch_index", "--score-column", scoreColumn,
        "--bench", dataDir() + "/nb201/nb201_accuracies.csv", "--bench-key", "arch_index", "--target", target });
    QVERIFY_EXIT(result, 0);
    qInfo("%s", result.out.constData());
    const auto values = keyValues(result.out);
    QCOMPARE(keyValue(values, "candidates"), QString("15625"));
    QCOMPARE(keyValue(values, "unscored"), QString("6399"));
    QCOMPARE(keyValue(values, "runs_without_choice"), QString("0"));
    QVERIFY2(std::abs(number(values, "chosen_mean") - chosen) <= chosenTolerance, qPrintable(result.describe()));
    QVERIFY2(std::abs(number(values, "optimum_mean") - optimum) <= optimumTolerance, qPrintable(result.describe()));
    // The pick must beat a random architecture by far (paper: 87.40 and 33.67) and stay below the optimum.
    QVERIFY(number(values, "chosen_mean") > number(values, "random_mean") + 5);
    QVERIFY(number(values, "chosen_mean") < number(values, "optimum_mean"));
}

QTEST_GUILESS_MAIN(TestCliSearch)
#include "tst_clisearch.moc"
