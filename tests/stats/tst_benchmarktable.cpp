// SPDX-License-Identifier: MIT
#include "spaces/nb201/space.h"
#include "spaces/spaces.h"
#include "stats/benchmarktable.h"
#include "stats/statistics.h"

#include <QtTest>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

using namespace epsinas;

namespace {

const std::string kCellA
    = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|";
const std::string kCellB = "|none~0|+|skip_connect~0|none~1|+|avg_pool_3x3~0|none~1|nor_conv_1x1~2|";
const std::string kCellC = "|skip_connect~0|+|none~0|none~1|+|none~0|none~1|skip_connect~2|";

// NB201 tables: cells are recognised and spelled alike through the space.
const ArchKeys& cellKeys()
{
    static const ArchKeys keys = tableKeys(nb201::space());
    return keys;
}

// The data directory of the shared benchmark files, or empty when the environment does not name one.
QString dataDir()
{
    return qEnvironmentVariable("EPSINAS_DATA_DIR");
}

} // namespace

class TestBenchmarkTable : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void parsesColumns_data();
    void parsesColumns();
    void lookupNormalisesAndMisses();
    void findsArchColumn_data();
    void findsArchColumn();
    void rawKeysJoin();
    void duplicateKeysFirstRowWins();
    void quotedFields();
    void errors_data();
    void errors();
    void unreadableFile();
    void unknownColumn();
    void realAccuracies();
    void referenceCorrelation();

private:
    std::string write(const QString& name, const QByteArray& content);

    QTemporaryDir m_dir;
};

void TestBenchmarkTable::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

std::string TestBenchmarkTable::write(const QString& name, const QByteArray& content)
{
    QFile file(m_dir.filePath(name));
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
        qFatal("cannot write the test file %s", qPrintable(file.fileName()));
    return file.fileName().toStdString();
}

void TestBenchmarkTable::parsesColumns_data()
{
    QTest::addColumn<QByteArray>("content");
    const QByteArray lf = QByteArray("arch_index,arch_str,acc,note,loss\n") + "0," + kCellA.c_str()
        + ",94.37,best,0.1\n" + "1," + kCellB.c_str() + ",,odd,nan\n" + "\n" + "2," + kCellC.c_str() + ",10.5,x,1e-3\n";
    QByteArray crlf = lf;
    crlf.replace("\n", "\r\n");
    QTest::newRow("LF") << lf;
    QTest::newRow("CRLF") << crlf;
    QTest::newRow("BOM") << QByteArray("\xEF\xBB\xBF") + lf;
    QTest::newRow("BOM + CRLF, no final newline") << QByteArray("\xEF\xBB\xBF") + crlf.chopped(2);
    QTest::newRow("spaces around fields") << QByteArray(lf).replace(",", " , ");
}

void TestBenchmarkTable::parsesColumns()
{
    QFETCH(QByteArray, content);
    const BenchmarkTable table = BenchmarkTable::load(write("table.csv", content));
    QCOMPARE(table.columns(), (std::vector<std::string> { "arch_index", "arch_str", "acc", "note", "loss" }));
    QCOMPARE(table.archColumn(), std::string("arch_str"));
    QCOMPARE(table.numericColumns(), (std::vector<std::string> { "arch_index", "acc", "loss" }));
    QCOMPARE(table.rowCount(), std::size_t { 3 });
    QCOMPARE(table.archs(), (std::vector<std::string> { kCellA, kCellB, kCellC }));

    const std::vector<double> acc = table.column("acc");
    QCOMPARE(acc.size(), std::size_t { 3 });
    QCOMPARE(acc[0], 94.37);
    QVERIFY(std::isnan(acc[1])); // empty field
    QCOMPARE(acc[2], 10.5);
    const std::vector<double> loss = table.column("loss");
    QVERIFY(std::isnan(loss[1])); // literal nan
    QCOMPARE(loss[2], 1e-3);
    QCOMPARE(table.column("arch_index"), (std::vector<double> { 0, 1, 2 }));
}

void TestBenchmarkTable::lookupNormalisesAndMisses()
{
    const BenchmarkTable table = BenchmarkTable::load(
        write("lookup.csv", QByteArray("arch_str,acc\n") + kCellA.c_str() + ",94.37\n" + kCellB.c_str() + ",50\n"), {},
        cellKeys());
    const std::vector<double> values = table.lookup({ kCellB, "  " + kCellA + " ", kCellC, "not an arch", "" }, "acc");
    QCOMPARE(values.size(), std::size_t { 5 });
    QCOMPARE(values[0], 50.0);
    QCOMPARE(values[1], 94.37);
    QVERIFY(std::isnan(values[2]));
    QVERIFY(std::isnan(values[3]));
    QVERIFY(std::isnan(values[4]));
    QCOMPARE(archKey(" " + kCellA, cellKeys()), kCellA);
    QCOMPARE(archKey("abc123", cellKeys()), std::string("abc123"));
    QCOMPARE(archKey(" abc123 "), std::string("abc123"));
}

void TestBenchmarkTable::findsArchColumn_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("requested");
    QTest::addColumn<QString>("expected");
    const QByteArray cells = QByteArray("1,") + kCellA.c_str() + ",3\n2," + kCellB.c_str() + ",4\n";
    QTest::newRow("named arch") << QByteArray("id,arch,acc\n") + cells << QString() << "arch";
    QTest::newRow("named architecture") << QByteArray("id,architecture,acc\n") + cells << QString() << "architecture";
    QTest::newRow("found by content") << QByteArray("id,genotype,acc\n") + cells << QString() << "genotype";
    QTest::newRow("named hash") << QByteArray("hash,acc\nabc,1\ndef,2\n") << QString() << "hash";
    QTest::newRow("requested") << QByteArray("id,genotype,acc\n") + cells << "id"
                               << "id";
}

void TestBenchmarkTable::findsArchColumn()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, requested);
    QFETCH(QString, expected);
    const BenchmarkTable table = BenchmarkTable::load(write("find.csv", content), requested.toStdString(), cellKeys());
    QCOMPARE(QString::fromStdString(table.archColumn()), expected);
    const std::vector<std::string> numeric = table.numericColumns();
    QVERIFY(std::find(numeric.begin(), numeric.end(), expected.toStdString()) == numeric.end());
}

void TestBenchmarkTable::rawKeysJoin()
{
    // NB101 rows are keyed by module hash, which is no NB201 cell: the raw string joins.
    const BenchmarkTable table = BenchmarkTable::load(
        write("nb101.csv", "hash,val_acc_108ep\n00005c142e6f48ac74fdcf73e3439874,0.9\n0000a2bc3b2d1c3f,0.8\n"));
    QCOMPARE(table.lookup({ "0000a2bc3b2d1c3f", "00005c142e6f48ac74fdcf73e3439874", "ffff" }, "val_acc_108ep")[0], 0.8);
    QCOMPARE(table.lookup({ "00005c142e6f48ac74fdcf73e3439874" }, "val_acc_108ep")[0], 0.9);
    QVERIFY(std::isnan(table.lookup({ "ffff" }, "val_acc_108ep")[0]));
}

void TestBenchmarkTable::duplicateKeysFirstRowWins()
{
    const BenchmarkTable table = BenchmarkTable::load(write("dup.csv",
                                                          QByteArray("arch_str,dataset,acc\n") + kCellA.c_str()
                                                              + ",cifar10,90\n" + kCellA.c_str() + ",cifar100,70\n"),
        {}, cellKeys());
    QCOMPARE(table.rowCount(), std::size_t { 2 });
    QCOMPARE(table.lookup({ kCellA }, "acc")[0], 90.0);
    QCOMPARE(table.duplicateRows(), std::vector<std::size_t> { 1 });

    // Duplicates are found by key: the same cell spelled with spaces repeats row 0; an empty arch is no key.
    const BenchmarkTable spelled
        = BenchmarkTable::load(write("dup2.csv",
                                   QByteArray("arch_str,acc\n") + kCellA.c_str() + ",90\n" + kCellB.c_str()
                                       + ",80\n,1\n,2\n \"" + kCellA.c_str() + " \",70\n" + kCellB.c_str() + ",60\n"),
            {}, cellKeys());
    QCOMPARE(spelled.duplicateRows(), (std::vector<std::size_t> { 4, 5 }));
    QCOMPARE(spelled.lookup({ kCellA, kCellB }, "acc"), (std::vector<double> { 90, 80 }));
    const BenchmarkTable unique
        = BenchmarkTable::load(write("unique.csv", QByteArray("arch_str,acc\n") + kCellA.c_str() + ",9\n"));
    QVERIFY(unique.duplicateRows().empty());
}

void TestBenchmarkTable::quotedFields()
{
    const BenchmarkTable table = BenchmarkTable::load(write("quoted.csv",
        QByteArray("\"arch_str\",\"acc\",comment\n\"") + kCellA.c_str() + "\", \"1.5\" ,\"a, \"\"quoted\"\" note\"\n"));
    QCOMPARE(table.archs(), std::vector<std::string> { kCellA });
    QCOMPARE(table.column("acc"), std::vector<double> { 1.5 });
    QCOMPARE(table.numericColumns(), std::vector<std::string> { "acc" });
}

void TestBenchmarkTable::errors_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QStringList>("fragments"); // each must appear in the message, after the file path
    const QByteArray row = QByteArray(kCellA.c_str()) + ",1\n";
    QTest::newRow("empty file") << QByteArray() << QStringList { "empty file" };
    QTest::newRow("only blank lines") << QByteArray("\r\n \n\n") << QStringList { "empty file" };
    QTest::newRow("ragged row, too few") << QByteArray("arch_str,acc\n") + row + "x\n" + row
                                         << QStringList { ":3:", "expected 2 fields", "found 1" };
    QTest::newRow("ragged row, too many, after a blank line") << QByteArray("arch_str,acc\r\n\r\n") + row
            + QByteArray(kCellB.c_str()) + ",1,2\r\n" << QStringList { ":4:", "expected 2 fields", "found 3" };
    QTest::newRow("no arch column") << QByteArray(
        "id,acc\n1,2\n3,4\n") << QStringList { ":1:", "no architecture column", "NAS-Bench-201 cells", "id, acc" };
    QTest::newRow("no arch column, one bad cell")
        << QByteArray("cell,acc\n") + row + "|none~0|+|bogus~0|none~1|+|none~0|none~1|none~2|,2\n"
        << QStringList { "no architecture column" };
    QTest::newRow("unterminated quote") << QByteArray("arch_str,acc\n\"abc,1\n")
                                        << QStringList { ":2:", "unterminated quote" };
    QTest::newRow("duplicate column") << QByteArray("arch_str,acc,acc\n") << QStringList { ":1:", "'acc'", "twice" };
    QTest::newRow("unnamed column") << QByteArray("arch_str,,acc\n") << QStringList { ":1:", "column 2", "no name" };
}

void TestBenchmarkTable::errors()
{
    QFETCH(QByteArray, content);
    QFETCH(QStringList, fragments);
    const std::string path = write("bad.csv", content);
    try {
        BenchmarkTable::load(path, {}, cellKeys());
        QFAIL("no exception");
    } catch (const std::runtime_error& error) {
        const QString what = QString::fromUtf8(error.what());
        QVERIFY2(what.startsWith(QString::fromStdString(path)), error.what());
        for (const QString& fragment : fragments)
            QVERIFY2(what.contains(fragment), error.what());
    }
}

void TestBenchmarkTable::unreadableFile()
{
    // A missing file and a directory: the message names the path.
    for (const std::string& path : { m_dir.filePath("missing.csv").toStdString(), m_dir.path().toStdString() }) {
        try {
            BenchmarkTable::load(path);
            QFAIL("no exception");
        } catch (const std::runtime_error& error) {
            QVERIFY2(QString::fromUtf8(error.what()).contains(QString::fromStdString("'" + path + "'")), error.what());
        }
    }
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, BenchmarkTable::load("x.csv", "no_such_column"));
}

void TestBenchmarkTable::unknownColumn()
{
    const BenchmarkTable table = BenchmarkTable::load(
        write("columns.csv", QByteArray("arch_str,acc,loss,note\n") + kCellA.c_str() + ",1,2,text\n"));
    for (const std::string& name : { std::string("accuracy"), std::string("note") }) {
        try {
            table.column(name);
            QFAIL("no exception");
        } catch (const std::invalid_argument& error) {
            const QString what = QString::fromUtf8(error.what());
            QVERIFY2(
                what.contains(QString::fromStdString("'" + name + "'")) && what.contains("acc, loss"), error.what());
        }
    }
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, table.lookup({ kCellA }, "accuracy"));
}

void TestBenchmarkTable::realAccuracies()
{
    if (dataDir().isEmpty())
        QSKIP("EPSINAS_DATA_DIR is not set");
    const std::string path = (dataDir() + "/nb201/nb201_accuracies.csv").toStdString();
    // How fast it loads is measured by the harness (epsinas-bench --table), not here.
    const BenchmarkTable table = BenchmarkTable::load(path);

    QCOMPARE(table.rowCount(), std::size_t { 15625 });
    QCOMPARE(table.archColumn(), std::string("arch_str"));
    const std::vector<std::string> numeric = table.numericColumns();
    QVERIFY(std::find(numeric.begin(), numeric.end(), "cifar10_oritest_200ep_nb201") != numeric.end());
    const double accuracy = table.lookup({ kCellA }, "cifar10_oritest_200ep_nb201")[0];
    QVERIFY2(std::isfinite(accuracy) && accuracy > 90 && accuracy <= 100, QByteArray::number(accuracy));
}

void TestBenchmarkTable::referenceCorrelation()
{
    if (dataDir().isEmpty())
        QSKIP("EPSINAS_DATA_DIR is not set");
    const BenchmarkTable accuracies = BenchmarkTable::load((dataDir() + "/nb201/nb201_accuracies.csv").toStdString());
    // The released scores carry only the NB201 index: key them by it and join through the accuracies' arch_index.
    const BenchmarkTable reference
        = BenchmarkTable::load((dataDir() + "/nb201/nb201_epsinas_reference_scores.csv").toStdString(), "arch_index");
    std::vector<std::string> indices;
    for (double index : accuracies.column("arch_index"))
        indices.push_back(std::to_string(static_cast<long long>(index)));
    const std::vector<double> scores = reference.lookup(indices, "epsinas_cifar10");
    const std::vector<double> targets = accuracies.column("cifar10_oritest_200ep_nb201");

    // Figures from the data README and algorithm §8, recomputed independently from the same two files.
    const CorrelationReport exclude = correlate(scores, targets, NanPolicy::Exclude);
    QCOMPARE(exclude.n, std::size_t { 9226 });
    QCOMPARE(exclude.nanCount, std::size_t { 6399 });
    QVERIFY2(std::abs(exclude.spearman - 0.869) <= 0.001, QByteArray::number(exclude.spearman));
    QVERIFY2(std::abs(exclude.kendall - 0.688) <= 0.001, QByteArray::number(exclude.kendall));
    QVERIFY2(std::abs(exclude.spearmanTop10 - 0.505) <= 0.001, QByteArray::number(exclude.spearmanTop10));
    QVERIFY2(std::abs(exclude.kendallTop10 - 0.358) <= 0.001, QByteArray::number(exclude.kendallTop10));
    QVERIFY2(std::abs(exclude.t10t10 - 67.06) <= 0.01, QByteArray::number(exclude.t10t10));
    // The reference's T64/T5 (docs/statistics.md); tst_paperstatistics checks the whole table.
    QCOMPARE(exclude.t64t5, 62.0);

    // Algorithm §1.6: NaN ranked worst leaves almost no correlation, ranked best about 0.59.
    const CorrelationReport worst = correlate(scores, targets, NanPolicy::Worst);
    QCOMPARE(worst.n, std::size_t { 15625 });
    QCOMPARE(worst.nanCount, std::size_t { 6399 });
    QVERIFY2(std::abs(worst.spearman - 0.0055) <= 0.001, QByteArray::number(worst.spearman));
    const CorrelationReport best = correlate(scores, targets, NanPolicy::Best);
    QVERIFY2(std::abs(best.spearman - 0.589) <= 0.001, QByteArray::number(best.spearman));
}

QTEST_GUILESS_MAIN(TestBenchmarkTable)
#include "tst_benchmarktable.moc"
