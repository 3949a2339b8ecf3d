// SPDX-License-Identifier: MIT
// `epsinas score --space nlp` and the recepie_id join of `epsinas correlate`, driven through the built executable.
#include "spaces/nlp/recipe.h"

#include <QtTest>

#include <fstream>

class TestNlpCli : public QObject {
    Q_OBJECT

private slots:
    void scoresExamplesAndFiles();
    void reportsBadInput();
    void correlatesByRecipeId();

private:
    struct Run {
        int exitCode = -1;
        QString out, err;
    };
    static Run run(const QStringList& args);
    QTemporaryDir m_dir;
};

TestNlpCli::Run TestNlpCli::run(const QStringList& args)
{
    QProcess process;
    process.start(QStringLiteral(EPSINAS_BINARY), args);
    Run result;
    if (!process.waitForFinished(120000))
        return result;
    result.exitCode = process.exitCode();
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

void TestNlpCli::scoresExamplesAndFiles()
{
    const Run help = run({ "score", "--space", "nlp", "--help" });
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.contains("--recipe-file"));

    const Run examples = run({ "score", "--space", "nlp", "--recipe", "rnn", "--recipe", "gru" });
    QCOMPARE(examples.exitCode, 0);
    const QStringList lines = examples.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines[0], QString("arch,score,mae,mean,params,flops,nan_reason"));
    QVERIFY2(lines[1].startsWith("rnn,0.6048"), qPrintable(lines[1]));
    QVERIFY2(lines[2].startsWith("gru,0.0635"), qPrintable(lines[2]));
    // The parameter counts of tst_nlpparameters, as NAS-Bench-NLP reports them for its PTB models.
    QCOMPARE(lines[1].section(',', 4, 4), QString("5731600"));
    QCOMPARE(lines[2].section(',', 4, 4), QString("9174800"));

    const QString file = m_dir.filePath("two.jsonl");
    std::ofstream(file.toStdString()) << R"({"recepie_id": 1000000, "recipe": )"
                                      << epsinas::nlp::Recipe::example("rnn").toJson() << "}\n"
                                      << R"({"recepie_id": 1000002, "recipe": )"
                                      << epsinas::nlp::Recipe::example("gru").toJson() << "}\n";
    const QString out = m_dir.filePath("scores.csv");
    const Run scored = run({ "score", "--space", "nlp", "--recipe-file", file, "--out", out });
    QCOMPARE(scored.exitCode, 0);
    QFile csv(out);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QStringList rows = QString::fromUtf8(csv.readAll()).trimmed().split('\n');
    QCOMPARE(rows.size(), 3);
    QVERIFY(rows[1].startsWith("1000000,0.6048"));
    QVERIFY(rows[2].startsWith("1000002,0.0635"));
}

void TestNlpCli::reportsBadInput()
{
    const Run none = run({ "score", "--space", "nlp" });
    QCOMPARE(none.exitCode, 2);
    QVERIFY2(none.err.contains("give at least one of --arch (--recipe), --arch-file (--recipe-file), --sample"),
        qPrintable(none.err));
    const Run unknown = run({ "score", "--space", "nlp", "--recipe", "transformer" });
    QCOMPARE(unknown.exitCode, 2);
    QVERIFY2(unknown.err.contains("unknown example recipe 'transformer'"), qPrintable(unknown.err));
    const Run input
        = run({ "score", "--space", "nlp", "--recipe", "rnn", "--input", "ptb:" + m_dir.filePath("no.txt") });
    QCOMPARE(input.exitCode, 2);
    QVERIFY2(input.err.contains("cannot read text file"), qPrintable(input.err));
}

void TestNlpCli::correlatesByRecipeId()
{
    const QString scores = m_dir.filePath("s.csv");
    const QString losses = m_dir.filePath("losses.csv");
    std::ofstream(scores.toStdString()) << "arch,score\n7,0.9\n8,0.5\n9,0.1\n10,nan\n";
    std::ofstream(losses.toStdString()) << "recepie_id,ptb_test_loss_final\n7,4.5\n8,4.9\n9,5.2\n10,4.0\n";
    const Run result = run({ "correlate", "--scores", scores, "--bench", losses, "--bench-key", "recepie_id",
        "--target", "ptb_test_loss_final", "--lower-is-better" });
    QCOMPARE(result.exitCode, 0);
    QVERIFY2(result.out.contains("n=3\nnan=1\nunmatched=0\n"), qPrintable(result.out));
    QVERIFY2(result.out.contains("spearman=-1\n"), qPrintable(result.out));
    QVERIFY(result.out.contains("target_order=lower is better"));
}

QTEST_GUILESS_MAIN(TestNlpCli)
#include "tst_nlpcli.moc"
