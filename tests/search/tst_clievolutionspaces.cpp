// SPDX-License-Identifier: MIT
// `epsinas search --strategy evolution` on NB101 and NAS-Bench-NLP, whose tables key rows by a hash or an id and hold
// the architectures beside (adjacency and ops columns; recipes.jsonl): hand-made stars of one architecture and its
// mutants, where every run must reach the centre, and with EPSINAS_DATA_DIR the real tables, with a table column as
// the score.
#include "../cli/clirun.h"

#include "spaces/nb101/spec.h"

#include <QtTest>

#include <map>

using namespace epsinas;

namespace {

QString dataFile(const char* relative)
{
    const QString dir = qEnvironmentVariable("EPSINAS_DATA_DIR");
    return dir.isEmpty() ? QString() : dir + "/" + relative;
}

/** `key,score` rows from two columns of a CSV table: a column of the table itself as the zero-cost score. */
QByteArray scoresFromColumn(const QString& path, const QString& keyColumn, const QString& scoreColumn)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
    const QList<QByteArray> header = lines[0].trimmed().split(',');
    const int key = int(header.indexOf(keyColumn.toUtf8()));
    const int score = int(header.indexOf(scoreColumn.toUtf8()));
    if (key < 0 || score < 0)
        qFatal("%s lacks %s or %s", qPrintable(path), qPrintable(keyColumn), qPrintable(scoreColumn));
    QByteArray scores = "arch,score\n";
    for (int i = 1; i < lines.size(); ++i) {
        const QList<QByteArray> fields = lines[i].trimmed().split(',');
        scores += fields[key] + "," + (fields[score].isEmpty() ? QByteArray("nan") : fields[score]) + "\n";
    }
    return scores;
}

const char* const kChainOps
    = "input|conv3x3-bn-relu|conv3x3-bn-relu|conv3x3-bn-relu|conv3x3-bn-relu|conv3x3-bn-relu|output";

} // namespace

class TestCliEvolutionSpaces : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void nb101ReachesTheCentreOfAStar();
    void nlpReachesTheCentreOfAStar();
    void refusesATableWithoutItsArchitectures();
    void nb101Table();
    void nb101TableWithoutSpecsIsRefused();
    void nlpTable();

private:
    QString write(const QString& name, const QByteArray& content);
    QTemporaryDir m_dir;
};

QString TestCliEvolutionSpaces::write(const QString& name, const QByteArray& content)
{
    return writeTestFile(m_dir.path(), name, content);
}

void TestCliEvolutionSpaces::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

void TestCliEvolutionSpaces::nb101ReachesTheCentreOfAStar()
{
    // The 7-vertex chain and 20 of its one-step neighbours, built here: each interior vertex made conv1x1 (not also
    // maxpool3x3: the two would be neighbours of each other), and each skip i -> j (j > i + 1) added. A neighbour's
    // only neighbour in the table is the chain (the op changed back, or the skip removed), keyed, as NB101 tables
    // are, by the module hash.
    const std::string chain = "0100000001000000010000000100000001000000010000000";
    std::vector<std::pair<std::string, std::string>> specs { { chain, kChainOps } };
    for (int v = 1; v <= 5; ++v) {
        QStringList ops = QString(kChainOps).split('|');
        ops[v] = "conv1x1-bn-relu";
        specs.push_back({ chain, ops.join('|').toStdString() });
    }
    for (int from = 0; from < 7; ++from) {
        for (int to = from + 2; to < 7; ++to) {
            std::string skip = chain;
            skip[std::size_t(7 * from + to)] = '1';
            specs.push_back({ skip, kChainOps });
        }
    }
    QCOMPARE(specs.size(), std::size_t(21));
    // The chain has the best validation (100) and test (1.0); neighbour k has validation k, test k / 100.
    QByteArray bench = "hash,adjacency,ops,valid,test\n";
    QByteArray scores = "hash,score\n";
    for (std::size_t k = 0; k < specs.size(); ++k) {
        const QByteArray hash
            = QByteArray::fromStdString(nb101::Spec::fromColumns(specs[k].first, specs[k].second).hash());
        const double valid = k == 0 ? 100 : double(k);
        bench += hash + "," + QByteArray::fromStdString(specs[k].first) + ","
            + QByteArray::fromStdString(specs[k].second) + "," + QByteArray::number(valid) + ","
            + QByteArray::number(valid / 100) + "\n";
        scores += hash + "," + QByteArray::number(k) + "\n";
    }
    const QStringList files { "--space", "nb101", "--scores", write("nb101_scores.csv", scores), "--join", "hash",
        "--bench", write("nb101_bench.csv", bench), "--target", "test", "--select-by", "valid" };
    // P = K = 1, Q = 2: a run that draws the chain mutates it into a neighbour, one that draws a neighbour mutates it
    // into the chain; either way it makes its 2 queries and chooses the chain.
    const CliRun result = runCli(QStringList { "search", "--strategy", "evolution", "--population", "1", "--tournament",
                                     "1", "--queries", "2", "--runs", "40" }
        + files);
    QVERIFY_EXIT(result, 0);
    const auto values = keyValues(result.out);
    QCOMPARE(keyValue(values, "candidates"), QString("21"));
    QCOMPARE(keyValue(values, "runs_short"), QString("0"));
    QCOMPARE(keyValue(values, "queries_mean"), QString("2"));
    QCOMPARE(keyValue(values, "chosen_mean"), QString("1"));
    QCOMPARE(keyValue(values, "chosen_std"), QString("0"));
    QCOMPARE(keyValue(values, "chosen_rank_mean"), QString("1"));
    // Not every run drew the chain first.
    QVERIFY2(keyValue(values, "random_mean") != "1", qPrintable(result.describe()));
}

void TestCliEvolutionSpaces::nlpReachesTheCentreOfAStar()
{
    // rnn under ids 1 and 4, and two of its mutants: h_new_0 = sigm(f) (2), and h_new_0 = tanh(h_prev_0) (3), which
    // are two steps apart. The recipes lie beside the table, as recipes.jsonl does beside the NLP tables.
    const QByteArray f = R"("f": {"op": "linear", "input": ["x", "h_prev_0"]})";
    QByteArray recipes;
    const auto line = [&](int id, const QByteArray& op, const QByteArray& input) {
        recipes += "{\"recepie_id\": " + QByteArray::number(id) + ", \"recipe\": {" + f + ", \"h_new_0\": {\"op\": \""
            + op + "\", \"input\": [\"" + input + "\"]}}}\n";
    };
    line(1, "activation_tanh", "f");
    line(2, "activation_sigm", "f");
    line(3, "activation_tanh", "h_prev_0");
    line(4, "activation_tanh", "f");
    write("recipes.jsonl", recipes);
    // Losses: the two rnn ids have the lowest validation and test loss.
    const QByteArray bench = "recepie_id,valid_loss,test_loss\n1,4,4.5\n2,5,5.5\n3,6,6.5\n4,4,4.5\n";
    const QByteArray scores = "arch,score\n1,1\n2,2\n3,3\n4,4\n";
    const QStringList files { "--space", "nlp", "--scores", write("nlp_scores.csv", scores), "--bench",
        write("nlp_bench.csv", bench), "--bench-key", "recepie_id", "--target", "test_loss", "--select-by",
        "valid_loss", "--lower-is-better" };
    // A run that draws a mutant reaches one of the rnn ids, one that draws an rnn id reaches a mutant: 2 queries each.
    const CliRun result = runCli(QStringList { "search", "--strategy", "evolution", "--population", "1", "--tournament",
                                     "1", "--queries", "2", "--runs", "40" }
        + files);
    QVERIFY_EXIT(result, 0);
    const auto values = keyValues(result.out);
    QCOMPARE(keyValue(values, "candidates"), QString("4"));
    QCOMPARE(keyValue(values, "runs_short"), QString("0"));
    QCOMPARE(keyValue(values, "queries_mean"), QString("2"));
    QCOMPARE(keyValue(values, "chosen_mean"), QString("4.5"));
    QCOMPARE(keyValue(values, "chosen_std"), QString("0"));
    QCOMPARE(keyValue(values, "target_order"), QString("lower is better"));

    // The zero-cost mutation filter proposes among the same neighbours: every run still queries an rnn id.
    const CliRun filtered = runCli(QStringList { "search", "--strategy", "evolution-zc-mutation", "--mutations", "4",
                                       "--population", "1", "--tournament", "1", "--queries", "2", "--runs", "40" }
        + files);
    QVERIFY_EXIT(filtered, 0);
    QCOMPARE(keyValue(keyValues(filtered.out), "chosen_mean"), QString("4.5"));
    QCOMPARE(keyValue(keyValues(filtered.out), "runs_short"), QString("0"));
}

void TestCliEvolutionSpaces::refusesATableWithoutItsArchitectures()
{
    // An NLP table in a folder without recipes.jsonl, and an NB101 table of hashes without adjacency and ops.
    QVERIFY(QDir(m_dir.path()).mkpath("bare"));
    const QString nlpScores = write("bare/nlp_scores.csv", "arch,score\n1,1\n2,2\n");
    const QString nlpBench = write("bare/nlp_bench.csv", "recepie_id,valid_loss,test_loss\n1,4,4.5\n2,5,5.5\n");
    const CliRun nlp = runCli({ "search", "--space", "nlp", "--strategy", "evolution", "--population", "1",
        "--tournament", "1", "--queries", "1", "--scores", nlpScores, "--bench", nlpBench, "--bench-key", "recepie_id",
        "--target", "test_loss", "--select-by", "valid_loss", "--lower-is-better" });
    QVERIFY_REFUSED(nlp);
    QVERIFY2(nlp.err.contains("evolution needs the architectures themselves"), qPrintable(nlp.describe()));
    const QByteArray hash = QByteArray::fromStdString(nb101::Spec::parse("0100:input|output").hash());
    const QString nb101Scores = write("bare/nb101_scores.csv", "hash,score\n" + hash + ",1\n");
    const QString nb101Bench = write("bare/nb101_bench.csv", "hash,valid,test\n" + hash + ",1,1\n");
    const CliRun nb101 = runCli({ "search", "--space", "nb101", "--strategy", "evolution", "--population", "1",
        "--tournament", "1", "--queries", "1", "--scores", nb101Scores, "--join", "hash", "--bench", nb101Bench,
        "--target", "test", "--select-by", "valid" });
    QVERIFY_REFUSED(nb101);
    QVERIFY2(nb101.err.contains("evolution needs the architectures themselves"), qPrintable(nb101.describe()));
}

void TestCliEvolutionSpaces::nb101Table()
{
    const QString table = dataFile("nb101/nb101_specs_1000.csv");
    if (table.isEmpty())
        QSKIP("EPSINAS_DATA_DIR is not set");
    // The 12-epoch validation accuracy as the score, selection by the 36-epoch one, the 108-epoch one reported.
    const QString scores = write("nb101_table_scores.csv", scoresFromColumn(table, "hash", "val_acc_12ep"));
    const QStringList options { "search", "--space", "nb101", "--scores", scores, "--bench", table, "--target",
        "val_acc_108ep", "--select-by", "val_acc_36ep", "--population", "10", "--queries", "100", "--runs", "50" };
    const CliRun plain = runCli(QStringList(options) << "--strategy"
                                                     << "evolution");
    QVERIFY_EXIT(plain, 0);
    const auto values = keyValues(plain.out);
    QCOMPARE(keyValue(values, "candidates"), QString("1000"));
    QCOMPARE(keyValue(values, "unmatched"), QString("0"));
    // 43 of the 1,000 specs have a mutant in the table, in small groups: no run finds 90 new specs by mutation.
    QCOMPARE(keyValue(values, "runs_short"), QString("50"));
    const double queries = keyValue(values, "queries_mean").toDouble();
    QVERIFY2(queries > 10 && queries < 20, qPrintable(plain.describe()));
    const double chosen = keyValue(values, "chosen_mean").toDouble();
    QVERIFY2(
        chosen > keyValue(values, "random_mean").toDouble() && chosen <= keyValue(values, "optimum_mean").toDouble(),
        qPrintable(plain.describe()));

    // The warm-up starts with the 10 best-scored of all 1,000: the same population in every run.
    const CliRun warm = runCli(QStringList(options) << "--strategy"
                                                    << "evolution-warmup"
                                                    << "--warmup"
                                                    << "1000");
    QVERIFY_EXIT(warm, 0);
    QVERIFY2(keyValue(keyValues(warm.out), "chosen_mean").toDouble() > keyValue(values, "random_mean").toDouble(),
        qPrintable(warm.describe()));
}

void TestCliEvolutionSpaces::nb101TableWithoutSpecsIsRefused()
{
    // The 30k table has hashes without specs: evolution cannot mutate its rows, and says so in one line.
    const QString table = dataFile("nb101/nb101_hash_accuracies_30k.csv");
    if (table.isEmpty())
        QSKIP("EPSINAS_DATA_DIR is not set");
    const QString scores = write("nb101_30k_scores.csv", scoresFromColumn(table, "hash", "val_acc_12ep"));
    const CliRun result = runCli({ "search", "--space", "nb101", "--strategy", "evolution", "--scores", scores,
        "--bench", table, "--target", "val_acc_108ep", "--select-by", "val_acc_36ep" });
    QVERIFY_REFUSED(result);
    QVERIFY2(result.err.contains("evolution needs the architectures themselves"), qPrintable(result.describe()));
}

void TestCliEvolutionSpaces::nlpTable()
{
    const QString table = dataFile("nasbench_nlp/nlp_archs_wt2_ptb.csv");
    if (table.isEmpty())
        QSKIP("EPSINAS_DATA_DIR is not set");
    // The best WikiText-2 validation loss as the score, the final one selects, the final test loss is reported.
    const QString scores = write("nlp_table_scores.csv", scoresFromColumn(table, "recepie_id", "wt2_val_loss_min"));
    const CliRun result = runCli({ "search", "--space", "nlp", "--strategy", "evolution", "--scores", scores, "--bench",
        table, "--bench-key", "recepie_id", "--target", "wt2_test_loss_final", "--select-by", "wt2_val_loss_final",
        "--lower-is-better", "--population", "10", "--queries", "50", "--runs", "50" });
    QVERIFY_EXIT(result, 0);
    const auto values = keyValues(result.out);
    // 345 logs of 344 ids, of which 340 have a finite final loss.
    QCOMPARE(keyValue(values, "candidates"), QString("340"));
    QCOMPARE(keyValue(values, "duplicate_bench"), QString("1"));
    QCOMPARE(keyValue(values, "runs_short"), QString("50"));
    const double chosen = keyValue(values, "chosen_mean").toDouble();
    QVERIFY2(
        chosen < keyValue(values, "random_mean").toDouble() && chosen >= keyValue(values, "optimum_mean").toDouble(),
        qPrintable(result.describe()));
}

QTEST_GUILESS_MAIN(TestCliEvolutionSpaces)
#include "tst_clievolutionspaces.moc"
