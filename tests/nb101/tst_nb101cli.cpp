// SPDX-License-Identifier: MIT
// `epsinas score --space nb101` through the built executable: CSV columns, deduplication, sampling, exit codes.
#include <QtTest>

namespace {

struct Run {
    int exitCode = -1;
    QString out, err;
};

Run epsinas(const QStringList& arguments)
{
    QProcess process;
    process.start(QStringLiteral(EPSINAS_BINARY), arguments);
    process.waitForFinished(120000);
    return { process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
        QString::fromUtf8(process.readAllStandardError()) };
}

const QString kConv = "011001000:input|conv3x3-bn-relu|output";

} // namespace

class TestNb101Cli : public QObject {
    Q_OBJECT

private slots:
    void scoresGivenSpecs();
    void readsArchFiles();
    void samples();
    void rejectsBadSpecs();
};

void TestNb101Cli::scoresGivenSpecs()
{
    // The same pruned cell twice (the second with a dead vertex) is computed once but listed twice.
    const Run run = epsinas({ "score", "--space", "nb101", "--arch", kConv, "--arch",
        "0101"
        "0001"
        "0001"
        "0000:input|conv3x3-bn-relu|maxpool3x3|output",
        "--batch", "8" });
    QCOMPARE(run.exitCode, 0);
    const QStringList lines = run.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines[0], QString("arch,score,hash,mae,mean,params,flops,nan_reason"));
    QVERIFY(lines[1].startsWith(kConv + ","));
    QVERIFY(lines[1].contains(",d32d0b26d534203b48d866facd98cc3e,"));
    QCOMPARE(lines[2].section(',', 1), lines[1].section(',', 1)); // same pruned cell: same score, hash, params
    QVERIFY2(run.err.contains("2 cells (1 distinct"), qPrintable(run.err));
}

void TestNb101Cli::readsArchFiles()
{
    QTemporaryDir dir;
    const QString lines = dir.filePath("specs.txt"), csv = dir.filePath("specs.csv");
    QFile file(lines);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(("# comment\n\n" + kConv + "\n").toUtf8());
    file.close();
    QFile table(csv);
    QVERIFY(table.open(QIODevice::WriteOnly));
    table.write("hash,adjacency,ops\nx,011001000,input|conv3x3-bn-relu|output\n");
    table.close();
    const Run fromLines = epsinas({ "score", "--space", "nb101", "--arch-file", lines, "--batch", "8" });
    const Run fromCsv = epsinas({ "score", "--space", "nb101", "--arch-file", csv, "--batch", "8" });
    QCOMPARE(fromLines.exitCode, 0);
    QCOMPARE(fromCsv.out, fromLines.out);
}

void TestNb101Cli::samples()
{
    const Run run = epsinas({ "score", "--space", "nb101", "--sample", "3:11", "--batch", "8" });
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.out.trimmed().split('\n').size(), 4);
    QCOMPARE(epsinas({ "score", "--space", "nb101", "--sample", "3:11", "--batch", "8" }).out, run.out);
}

void TestNb101Cli::rejectsBadSpecs()
{
    const Run backwards = epsinas({ "score", "--space", "nb101", "--arch", "0110:input|output" });
    QCOMPARE(backwards.exitCode, 2);
    QVERIFY2(backwards.err.contains("upper triangular"), qPrintable(backwards.err));
    const Run noPath = epsinas({ "score", "--space", "nb101", "--arch", "010000000:input|maxpool3x3|output" });
    QCOMPARE(noPath.exitCode, 2);
    QVERIFY2(noPath.err.contains("no path"), qPrintable(noPath.err));
    QCOMPARE(epsinas({ "score", "--space", "nb101", "--sample", "x" }).exitCode, 2);
}

QTEST_GUILESS_MAIN(TestNb101Cli)
#include "tst_nb101cli.moc"
