// SPDX-License-Identifier: MIT
// Hostile or careless input to the built `epsinas`: one line on stderr, exit status 2, within seconds; and Ctrl-C
// during a reference run takes effect within seconds (exit status 130).
#include "clirun.h"

#include <QtTest>

#include <csignal>
#include <sys/types.h>

namespace {

const QString kCell = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|";
const QString kSpec = "011001000:input|conv3x3-bn-relu|output";
const QByteArray kRnn = R"("f": {"op": "linear", "input": ["x", "h_prev_0"]}, )"
                        R"("h_new_0": {"op": "activation_tanh", "input": ["f"]})";
// Linux: opening succeeds and the first read fails with EIO, which is how a failing disk shows mid-file.
const QString kUnreadable = "/proc/self/mem";
// What a refusal may take, LibTorch's loading on a busy two-core machine included; the defects took > 30 s, hung,
// or crashed.
constexpr qint64 kRefusalMs = 20000;
// Bytes a one-line refusal may print: a path, the words, and at most ~200 bytes of quoted input.
constexpr int kMessageBytes = 600;

} // namespace

class TestCliHostile : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void refuses_data();
    void refuses();
    void outOfMemoryIsOneLine();
    void optionSpellings();
    void byteOrderMarkIsSkipped();
    void interruptStopsAReferenceRunWithinSeconds_data();
    void interruptStopsAReferenceRunWithinSeconds();

private:
    CliRun run(const QStringList& args, const QString& program = QStringLiteral(EPSINAS_BINARY)) const;
    QString write(const QString& name, const QByteArray& content) const;
    QTemporaryDir m_dir;
};

CliRun TestCliHostile::run(const QStringList& args, const QString& program) const
{
    return runCli(args, m_dir.path(), 120000, program);
}

QString TestCliHostile::write(const QString& name, const QByteArray& content) const
{
    const QString path = m_dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

void TestCliHostile::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFileInfo(QStringLiteral(EPSINAS_BINARY)).isExecutable(), EPSINAS_BINARY);
    QVERIFY(QDir(m_dir.path()).mkdir("adir"));

    constexpr int kDepth = 100000;
    write("deep.jsonl",
        R"({"recepie_id": 1, "recipe": {"f": {"op": "linear", "input": )" + QByteArray(kDepth, '[')
            + QByteArray(kDepth, ']') + "}}}\n");
    write("deep.json", QByteArray(kDepth, '[') + QByteArray(kDepth, ']'));
    write("twice_f.jsonl",
        R"({"recepie_id": 1, "recipe": {"f": {"op": "linear", "input": ["x", "h_prev_0"]}, )"
        R"("f": {"op": "linear", "input": ["h_prev_0"]}, "h_new_0": {"op": "activation_tanh", "input": ["f"]}}})"
        "\n");
    write("twice_id.jsonl", R"({"recepie_id": 1, "recepie_id": 2, "recipe": {)" + kRnn + "}}\n");
    write("twice_recipe.jsonl", R"({"recepie_id": 1, "recipe": {)" + kRnn + R"(}, "recipe": {)" + kRnn + "}}\n");
    for (int count : { 10000, 999 }) {
        QByteArray nodes;
        for (int i = 0; i < count; ++i)
            nodes += "\"n" + QByteArray::number(i) + R"(": {"op": "linear", "input": ["n)"
                + QByteArray::number((i + 1) % count) + "\"]}, ";
        write(QString("cycle%1.jsonl").arg(count),
            R"({"recepie_id": 1, "recipe": {)" + nodes
                + R"("h_new_0": {"op": "activation_tanh", "input": ["n0"]}}})"
                  "\n");
    }
    write("nul.txt",
        QByteArray("|nor_conv_3x3~0|+|nor") + '\0'
            + "_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|\n");
    write("megabyte.txt", QByteArray(1000000, 'x') + "\n");
    write("long.txt", QByteArray(60000, 'x') + "\n");
    write(
        "megabyte.jsonl", R"({"recepie_id": 1, "recipe": {"h_new_0": {"op": ")" + QByteArray(2000000, 'q') + "\"}}}\n");
    QVERIFY(QFile::link(kUnreadable, m_dir.filePath("unreadable.jsonl")));
}

void TestCliHostile::refuses_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("mentions");
    const QString dir = m_dir.filePath("adir");
    const QStringList nb201 { "score", "--arch", kCell, "--batch", "16" };
    const QStringList nb101 { "score", "--space", "nb101", "--arch", kSpec, "--batch", "16" };
    const QStringList nlp { "score", "--space", "nlp", "--recipe", "rnn", "--batch", "16" };
    const QStringList nlpFile { "score", "--space", "nlp", "--recipe-file" };

    // JSON: nesting and duplicate keys.
    QTest::newRow("100k-deep JSON line") << nlpFile + QStringList { "deep.jsonl" } << "nests deeper than 16 levels";
    QTest::newRow("100k-deep JSON file") << nlpFile + QStringList { "deep.json" } << "nests deeper than 16 levels";
    QTest::newRow("node f twice") << nlpFile + QStringList { "twice_f.jsonl" }
                                  << "twice_f.jsonl:1: duplicate key 'f' in 'recipe'";
    QTest::newRow("recepie_id twice") << nlpFile + QStringList { "twice_id.jsonl" }
                                      << "twice_id.jsonl:1: duplicate key 'recepie_id'";
    QTest::newRow("recipe twice") << nlpFile + QStringList { "twice_recipe.jsonl" }
                                  << "twice_recipe.jsonl:1: duplicate key 'recipe'";
    // Sizes: threads, batch, image size, chunk, samples, memory.
    QTest::newRow("--threads 100000") << nb201 + QStringList { "--threads", "100000" } << "--threads must be at most";
    QTest::newRow("--batch 2000000000") << QStringList { "score", "--arch", kCell, "--batch", "2000000000" }
                                        << "--batch must be from 2 to 65536";
    QTest::newRow("--batch 1e11") << QStringList { "score", "--arch", kCell, "--batch", "99999999999" }
                                  << "--batch must be from 2 to 65536";
    QTest::newRow("nlp --batch 2000000000") << QStringList { "score", "--space", "nlp", "--recipe", "rnn", "--batch",
        "2000000000" } << "--batch must be from 1 to 65536";
    QTest::newRow("--image-size") << nb201 + QStringList { "--image-size", "100000" }
                                  << "--image-size must be from 4 to 1024";
    QTest::newRow("--chunk") << nb201 + QStringList { "--chunk", "1000000" } << "--chunk must be from 1 to 65536";
    QTest::newRow("nb101 --sample") << QStringList { "score", "--space", "nb101", "--sample", "423624" }
                                    << "--sample draws at most 10000 NAS-Bench-101 cells";
    QTest::newRow("nlp --sample") << QStringList { "score", "--space", "nlp", "--sample", "1000000000" }
                                  << "--sample draws at most 100000 NAS-Bench-NLP recipes";
    QTest::newRow("input beyond memory") << QStringList { "score", "--arch", kCell, "--batch", "65536", "--image-size",
        "1024" } << "the input batch (65536 images of 3x1024x1024) needs 768.0 GiB of memory";
    QTest::newRow("reference beyond memory") << QStringList { "score", "--space", "nb101", "--arch", kSpec,
        "--evaluator", "reference", "--batch", "8192", "--image-size", "64" }
                                             << "the full-width NB101 network at batch 8192 needs 256.0 GiB";
    // Read errors, directories.
    QTest::newRow("read error: arch file") << QStringList { "score", "--arch-file", kUnreadable }
                                           << "cannot read arch file '/proc/self/mem': Input/output error";
    QTest::newRow("read error: nb101 arch file") << QStringList { "score", "--space", "nb101", "--arch-file",
        kUnreadable } << "cannot read arch file '/proc/self/mem': Input/output error";
    QTest::newRow("read error: .json") << nlpFile + QStringList { kUnreadable }
                                       << "cannot read recipe file '/proc/self/mem': Input/output error";
    QTest::newRow("read error: .jsonl") << nlpFile + QStringList { "unreadable.jsonl" }
                                        << "unreadable.jsonl': Input/output error";
    QTest::newRow("read error: PTB text") << nlp + QStringList { "--input", "ptb:" + kUnreadable }
                                          << "cannot read text file '/proc/self/mem': Input/output error";
    QTest::newRow("directory: arch file")
        << QStringList { "score", "--arch-file", dir } << "arch file '" + dir + "' is a directory";
    QTest::newRow("directory: nb101 arch file")
        << QStringList { "score", "--space", "nb101", "--arch-file", dir } << "arch file '" + dir + "' is a directory";
    QTest::newRow("directory: recipes") << nlpFile + QStringList { dir } << "recipe file '" + dir + "' is a directory";
    QTest::newRow("directory: PTB text") << nlp + QStringList { "--input", "ptb:" + dir }
                                         << "text file '" + dir + "' is a directory";
    QTest::newRow("directory: CIFAR") << nb201 + QStringList { "--input", "cifar10:" + dir }
                                      << "CIFAR-10 file '" + dir + "' is a directory";
    // Options.
    QTest::newRow("--space twice") << QStringList { "score", "--space", "nb201", "--space", "nb101", "--sample", "1" }
                                   << "option --space given more than once";
    QTest::newRow("--space= twice") << QStringList { "score", "--space=nb101", "--space", "nlp" }
                                    << "option --space given more than once";
    QTest::newRow("--all=1") << QStringList { "score", "--all=1" } << "--all takes no value";
    QTest::newRow("--help=yes") << QStringList { "score", "--space", "nlp", "--help=yes" } << "--help takes no value";
    QTest::newRow("value forgotten") << nb201 + QStringList { "--out", "--batch", "16" }
                                     << "--out needs a value, got the option '--batch'";
    QTest::newRow("--batch ' 16'") << QStringList { "score", "--arch", kCell, "--batch", " 16" }
                                   << "--batch expects an integer, got ' 16'";
    // Messages: a NUL byte, long lines, long cycles, control characters.
    QTest::newRow("NUL byte") << QStringList { "score", "--arch-file", "nul.txt", "--batch", "16" }
                              << "unknown op 'nor\\x00_conv_3x3'";
    QTest::newRow("1 MB line") << QStringList { "score", "--arch-file", "megabyte.txt" }
                               << "megabyte.txt:1: the line is longer than 64 KiB";
    QTest::newRow("1 MB nb101 line") << QStringList { "score", "--space", "nb101", "--arch-file", "megabyte.txt" }
                                     << "megabyte.txt:1: the line is longer than 64 KiB";
    QTest::newRow("2 MB JSON line") << nlpFile + QStringList { "megabyte.jsonl" }
                                    << "megabyte.jsonl:1: the line is longer than 1 MiB";
    QTest::newRow("60 KB bad line") << QStringList { "score", "--arch-file", "long.txt" } << "(60000 bytes)'";
    QTest::newRow("60 KB nb101 line") << QStringList { "score", "--space", "nb101", "--arch-file", "long.txt" }
                                      << "(60000 bytes)' is not an NB101 spec";
    QTest::newRow("100 KB argument") << QStringList { "score", "--arch", QString(100000, 'x') } << "(100000 bytes)'";
    QTest::newRow("100 KB --precision") << nb201 + QStringList { "--precision", QString(100000, 'p') }
                                        << "unknown precision 'ppp";
    QTest::newRow("10k-node cycle") << nlpFile + QStringList { "cycle10000.jsonl" }
                                    << "an object in 'recipe' has more than 1000 keys";
    QTest::newRow("999-node cycle") << nlpFile
            + QStringList {
                  "cycle999.jsonl"
              } << "the recipe has a cycle: n0 -> n998 -> n997 -> n996 -> … -> n3 -> n2 -> n1 -> n0 (999 nodes)";
    QTest::newRow("escape sequence") << QStringList { "score", "--arch", "\x1b[2J|x~0|" } << "'\\x1b[2J|x~0|'";
}

void TestCliHostile::refuses()
{
    QFETCH(QStringList, args);
    QFETCH(QString, mentions);
    const CliRun refused = run(args);
    QVERIFY2(refused.started && refused.finished && refused.exitCode == 2, qPrintable(refused.describe()));
    QVERIFY2(refused.out.isEmpty(), qPrintable(refused.describe()));
    QVERIFY2(refused.err.endsWith('\n') && refused.err.count('\n') == 1, qPrintable(refused.describe()));
    QVERIFY2(!refused.err.contains('\0'), qPrintable(refused.describe()));
    QVERIFY2(refused.err.size() <= kMessageBytes, qPrintable(refused.describe()));
    QVERIFY2(refused.elapsedMs <= kRefusalMs, qPrintable(refused.describe()));
    QVERIFY2(QString::fromUtf8(refused.err).contains(mentions),
        qPrintable("'" + mentions + "' missing: " + refused.describe()));
    QVERIFY2(!refused.err.contains("9223372036854775807"), qPrintable(refused.describe()));
}

void TestCliHostile::outOfMemoryIsOneLine()
{
    // Under a 3 GB address-space limit the 12 GiB input batch passes the check against the machine's memory (where
    // it has that much) and LibTorch's allocation fails; without it, the check refuses. Either way: one line.
    const CliRun refused
        = run({ "-c", "ulimit -v 3000000 && exec \"$0\" score --arch '" + kCell + "' --batch 65536 --image-size 128",
                  QStringLiteral(EPSINAS_BINARY) },
            "/bin/sh");
    QVERIFY2(refused.finished && refused.exitCode == 2, qPrintable(refused.describe()));
    QVERIFY2(refused.err.count('\n') == 1 && !refused.err.contains("frame #"), qPrintable(refused.describe()));
    QVERIFY2(refused.err.contains("out of memory for the input batch (65536 images of 3x128x128; lower --batch)")
            || refused.err.contains("needs 12.0 GiB of memory"),
        qPrintable(refused.describe()));
}

void TestCliHostile::optionSpellings()
{
    // `--space=nb101` was "unknown --space 'nb101'": both spellings choose the space.
    const CliRun inlineSpace = run({ "score", "--space=nb101", "--arch", kSpec, "--batch", "8" });
    QVERIFY2(inlineSpace.exitCode == 0, qPrintable(inlineSpace.describe()));
    const CliRun separate = run({ "score", "--space", "nb101", "--arch", kSpec, "--batch", "8" });
    QCOMPARE(inlineSpace.out, separate.out);
    QVERIFY(inlineSpace.out.startsWith("arch,score,hash,"));
    const CliRun nlp = run({ "score", "--space=nlp", "--recipe", "rnn", "--batch=8" });
    QVERIFY2(nlp.exitCode == 0 && nlp.out.startsWith("arch,score,mae"), qPrintable(nlp.describe()));
}

void TestCliHostile::byteOrderMarkIsSkipped()
{
    // A UTF-8 byte-order mark at the start of a file (Windows editors write one) is not part of the first line.
    const QByteArray bom = "\xef\xbb\xbf";
    const CliRun nb201 = run({ "score", "--arch-file", write("bom.txt", bom + kCell.toUtf8() + "\n"), "--batch", "8" });
    QVERIFY2(nb201.exitCode == 0 && nb201.out.contains(kCell.toUtf8()), qPrintable(nb201.describe()));
    const CliRun nb101 = run({ "score", "--space", "nb101", "--arch-file",
        write("bom.csv", bom + "adjacency,ops\n011001000,input|conv3x3-bn-relu|output\n"), "--batch", "8" });
    QVERIFY2(nb101.exitCode == 0 && nb101.out.contains(kSpec.toUtf8()), qPrintable(nb101.describe()));
    const CliRun nlp = run({ "score", "--space", "nlp", "--batch", "8", "--recipe-file",
        write("bom.jsonl", bom + R"({"recepie_id": 5, "recipe": {)" + kRnn + "}}\n") });
    QVERIFY2(nlp.exitCode == 0 && nlp.out.contains("\n5,"), qPrintable(nlp.describe()));
}

void TestCliHostile::interruptStopsAReferenceRunWithinSeconds_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("boundMs");
    // NB201 at batch 1024: one forward pass took 84 s and was checked only between the two weights; now every
    // convolution is a checkpoint, the longest (16 channels) a fraction of a second; 10 s leaves room for load.
    QTest::newRow("nb201") << QStringList { "score", "--arch", kCell, "--evaluator", "reference", "--batch", "1024" }
                           << 10000;
    // NB101 at batch 1024: a cell of five 3x3 convolutions at 128 channels took 63 s and was checked only between
    // cells; now before every convolution, and one takes 4-9 s on two busy cores, so 30 s.
    QTest::newRow("nb101") << QStringList { "score", "--space", "nb101", "--arch",
        "0100000001000000010000000100000001000000010000000:input|conv3x3-bn-relu|conv3x3-bn-relu|conv3x3-bn-relu|"
        "conv3x3-bn-relu|conv3x3-bn-relu|output",
        "--evaluator", "reference", "--batch", "1024" }
                           << 30000;
}

void TestCliHostile::interruptStopsAReferenceRunWithinSeconds()
{
    QFETCH(QStringList, args);
    QFETCH(int, boundMs);
    QProcess process;
    process.start(QStringLiteral(EPSINAS_BINARY), args);
    QVERIFY(process.waitForStarted(30000));
    // Wait until the run catches SIGINT (bit 1 of SigCgt: its handler is installed when scoring starts), then let
    // it get into the first forward pass.
    const QString status = QString("/proc/%1/status").arg(process.processId());
    QElapsedTimer waited;
    waited.start();
    bool catching = false;
    while (!catching && waited.elapsed() < 60000 && process.state() == QProcess::Running) {
        QFile file(status);
        if (file.open(QIODevice::ReadOnly))
            for (const QByteArray& line : file.readAll().split('\n'))
                if (line.startsWith("SigCgt:"))
                    catching = (line.mid(7).trimmed().toULongLong(nullptr, 16) >> (SIGINT - 1)) & 1u;
        if (!catching)
            QTest::qWait(50);
    }
    QVERIFY2(catching, "the run never installed its SIGINT handler");
    QTest::qWait(2000);
    QVERIFY2(process.state() == QProcess::Running, "the run ended before it could be interrupted");
    QElapsedTimer latency;
    latency.start();
    ::kill(static_cast<pid_t>(process.processId()), SIGINT);
    const bool ended = process.waitForFinished(boundMs);
    const qint64 elapsed = latency.elapsed();
    if (!ended) {
        process.kill();
        process.waitForFinished();
    }
    qInfo("SIGINT to exit: %lld ms", elapsed);
    QVERIFY2(ended, qPrintable(QString("still running %1 ms after SIGINT").arg(elapsed)));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 130);
    QVERIFY(process.readAllStandardOutput().isEmpty());
}

QTEST_GUILESS_MAIN(TestCliHostile)
#include "tst_clihostile.moc"
