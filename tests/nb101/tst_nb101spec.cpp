// SPDX-License-Identifier: MIT
// NB101 specs without torch: MD5, text form, validation, pruning, the model hash and parameter counts.
#include "spaces/nb101/md5.h"
#include "spaces/nb101/spec.h"

#include <QtTest>

#include <set>
#include <string>
#include <vector>

using namespace epsinas;
using nb101::Spec;

namespace {

// The two specs of algorithm §7.
const char* const kSevenVertices
    = "0110011000000100010000000100000000100000010000000:input|conv3x3-bn-relu|conv1x1-bn-relu|"
      "maxpool3x3|conv3x3-bn-relu|conv3x3-bn-relu|output";
const char* const kChain = "0100001001000000010000000100000001000000010000000:input|conv3x3-bn-relu|conv3x3-bn-relu|"
                           "maxpool3x3|conv1x1-bn-relu|conv3x3-bn-relu|output";

/** Splits a CSV line without quoting (the NB101 tables have none). */
QStringList fields(const QByteArray& line)
{
    return QString::fromUtf8(line).trimmed().split(',');
}

} // namespace

class TestNb101Spec : public QObject {
    Q_OBJECT

private slots:
    void md5MatchesRfc1321_data();
    void md5MatchesRfc1321();
    void textFormRoundTrips();
    void validationNamesTheRule_data();
    void validationNamesTheRule();
    void pruningRemovesDeadVertices();
    void vertexChannelsSplitTheOutput();
    void builtInHashesAndParameters_data();
    void builtInHashesAndParameters();
    void goldenParameterCounts();
    void hashesOfAllStoredSpecs();
    void randomSpecsAreValidDistinctAndSeeded();
};

void TestNb101Spec::md5MatchesRfc1321_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("digest");
    // The test suite of RFC 1321, appendix A.5; the last two cross the 56-byte padding boundary.
    QTest::newRow("empty") << QByteArray("") << "d41d8cd98f00b204e9800998ecf8427e";
    QTest::newRow("a") << QByteArray("a") << "0cc175b9c0f1b6a831c399e269772661";
    QTest::newRow("abc") << QByteArray("abc") << "900150983cd24fb0d6963f7d28e17f72";
    QTest::newRow("message digest") << QByteArray("message digest") << "f96b697d7cb7938d525a2f31aaf161d0";
    QTest::newRow("alphabet") << QByteArray("abcdefghijklmnopqrstuvwxyz") << "c3fcd3d76192e4007dfb496cca67e13b";
    QTest::newRow("alphanumeric") << QByteArray("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
                                  << "d174ab98d277d9f5a5611c2c9f419d9f";
    QTest::newRow("digits") << QByteArray("1234567890").repeated(8) << "57edf4a22be3c955ac49da2e2107b67a";
}

void TestNb101Spec::md5MatchesRfc1321()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, digest);
    QCOMPARE(QString::fromStdString(md5Hex(std::string_view(text.constData(), std::size_t(text.size())))), digest);
}

void TestNb101Spec::textFormRoundTrips()
{
    const Spec spec = Spec::parse(std::string("  ") + kSevenVertices + "\n");
    QCOMPARE(QString::fromStdString(spec.toString()), QString(kSevenVertices));
    QCOMPARE(spec.vertexCount(), 7);
    QCOMPARE(spec.edgeCount(), 9);
    QVERIFY(spec.hasEdge(0, 1) && spec.hasEdge(5, 6) && !spec.hasEdge(1, 2));
    QCOMPARE(spec.op(3), nb101::Op::MaxPool3x3);
    QCOMPARE(Spec::fromColumns(spec.adjacencyString(), spec.opsString()), spec);
    QCOMPARE(Spec({ { false, true }, { false, false } }, { nb101::Op::Input, nb101::Op::Output }).toString(),
        std::string("0100:input|output"));
}

void TestNb101Spec::validationNamesTheRule_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message");
    QTest::newRow("no colon") << "0100"
                              << "expected ADJ:OPS";
    QTest::newRow("unknown op") << "0100:input|conv5x5|output"
                                << "unknown NB101 op 'conv5x5'";
    QTest::newRow("sizes") << "01000:input|output"
                           << "sizes must match";
    QTest::newRow("bad character") << "0200:input|output"
                                   << "only 0 and 1";
    QTest::newRow("too many vertices") << QString(64, '0')
            + ":input|maxpool3x3|maxpool3x3|maxpool3x3|maxpool3x3|maxpool3x3|maxpool3x3|output"
                                       << "8 vertices";
    QTest::newRow("one vertex") << "0:input"
                                << "1 vertices";
    QTest::newRow("lower triangular") << "010001010:input|maxpool3x3|output"
                                      << "edge 2 -> 1 does not go forward";
    QTest::newRow("self loop") << "0101:input|output"
                               << "edge 1 -> 1 does not go forward";
    QTest::newRow("input first") << "010001000:maxpool3x3|input|output"
                                 << "the first vertex must be 'input'";
    QTest::newRow("output last") << "010001000:input|output|maxpool3x3"
                                 << "the last vertex must be 'output'";
    QTest::newRow("interior op") << "010001000:input|input|output"
                                 << "interior vertices must be";
    QTest::newRow("no path") << "010000000:input|maxpool3x3|output"
                             << "no path from the input";
    // 7 vertices, 10 edges, all on input-output paths.
    QTest::newRow("too many edges") << "0111100"
                                       "0000011"
                                       "0000011"
                                       "0000011"
                                       "0000011"
                                       "0000001"
                                       "0000000:input|conv3x3-bn-relu|conv3x3-bn-relu|conv3x3-bn-relu|conv3x3-bn-relu|"
                                       "conv3x3-bn-relu|output"
                                    << "at most 9 are allowed";
}

void TestNb101Spec::validationNamesTheRule()
{
    QFETCH(QString, text);
    QFETCH(QString, message);
    try {
        Spec::parse(text.toStdString());
        QFAIL(qPrintable("no error for " + text));
    } catch (const ParseError& error) {
        QVERIFY2(QString(error.what()).contains(message), error.what());
    }
}

void TestNb101Spec::pruningRemovesDeadVertices()
{
    // Vertex 2 has no input (dead start), vertex 3 reaches nothing (dead end), vertex 5 is isolated: they go, and so
    // do their edges.
    const Spec spec
        = Spec::parse("0101000"
                      "0000101"
                      "0000100"
                      "0000000"
                      "0000001"
                      "0000000"
                      "0000000"
                      ":input|conv3x3-bn-relu|maxpool3x3|conv1x1-bn-relu|conv3x3-bn-relu|maxpool3x3|output");
    QCOMPARE(spec.problem(), std::string());
    QCOMPARE(spec.liveVertices(), (1u << 0) | (1u << 1) | (1u << 4) | (1u << 6));
    const Spec pruned = spec.pruned();
    QCOMPARE(QString::fromStdString(pruned.toString()),
        QString("0100001100010000:input|conv3x3-bn-relu|conv3x3-bn-relu|output"));
    QCOMPARE(spec.hash(), pruned.hash());
    QCOMPARE(spec.parameterCount(), pruned.parameterCount());
    QCOMPARE(pruned.pruned(), pruned);

    // 12 edges as written but 2 on input-output paths: valid, since NB101 counts the edges of the pruned spec.
    const Spec dangling = Spec::parse("0100000"
                                      "0000001"
                                      "0001111"
                                      "0000111"
                                      "0000011"
                                      "0000001"
                                      "0000000"
                                      ":input|conv3x3-bn-relu|maxpool3x3|maxpool3x3|maxpool3x3|maxpool3x3|output");
    QCOMPARE(dangling.edgeCount(), 12);
    QCOMPARE(QString::fromStdString(dangling.pruned().toString()), QString("010001000:input|conv3x3-bn-relu|output"));
}

void TestNb101Spec::vertexChannelsSplitTheOutput()
{
    // Vertices 2, 3, 4 feed the output: 128 = 43 + 43 + 42, the +1 going to the lower vertices first; vertex 1 only
    // feeds vertex 2 and takes its width.
    const Spec spec = Spec::parse("010110"
                                  "001000"
                                  "000001"
                                  "000001"
                                  "000001"
                                  "000000"
                                  ":input|conv1x1-bn-relu|conv3x3-bn-relu|maxpool3x3|conv3x3-bn-relu|output");
    QCOMPARE(spec.problem(), std::string());
    QCOMPARE(spec.vertexChannels(64, 128), (std::vector<int> { 64, 43, 43, 43, 42, 128 }));
}

void TestNb101Spec::builtInHashesAndParameters_data()
{
    QTest::addColumn<QString>("adjacency");
    QTest::addColumn<QString>("ops");
    QTest::addColumn<QString>("hash");
    QTest::addColumn<qint64>("parameters"); // 10-class TensorFlow network: NB101's trainable_parameters, or -1
    // Rows 1, 500 and 1000 of nb101/nb101_specs_1000.csv.
    QTest::newRow("row 1") << "0100110001000000010010000010000001000000010000000"
                           << "input|conv3x3-bn-relu|maxpool3x3|conv3x3-bn-relu|conv3x3-bn-relu|conv1x1-bn-relu|output"
                           << "00005c142e6f48ac74fdcf73e3439874" << qint64(8555530);
    QTest::newRow("row 500") << "0100100001000000010100000100000001000000010000000"
                             << "input|conv1x1-bn-relu|conv1x1-bn-relu|conv3x3-bn-relu|conv1x1-bn-relu|conv1x1-bn-relu|"
                                "output"
                             << "004e33836d25fd13b161b2ea954d1078" << qint64(15201674);
    QTest::newRow("row 1000") << "010001001011000101000010000001000000"
                              << "input|maxpool3x3|conv1x1-bn-relu|conv3x3-bn-relu|conv1x1-bn-relu|output"
                              << "009f9d11471f33a7c1bcb429d4191ea3" << qint64(2431775);
    // The smallest cells, from nb101/nb101_naslib_zc_500.csv (no parameter count there).
    QTest::newRow("input-output") << "0100"
                                  << "input|output"
                                  << "043721b9c7fe8c5fad811d47d83132ec" << qint64(-1);
    QTest::newRow("one conv1x1") << "011001000"
                                 << "input|conv1x1-bn-relu|output"
                                 << "09fc2d10bdd6225e167a6f81a22a3f06" << qint64(-1);
}

void TestNb101Spec::builtInHashesAndParameters()
{
    QFETCH(QString, adjacency);
    QFETCH(QString, ops);
    QFETCH(QString, hash);
    QFETCH(qint64, parameters);
    const Spec spec = Spec::fromColumns(adjacency.toStdString(), ops.toStdString());
    QCOMPARE(QString::fromStdString(spec.hash()), hash);
    if (parameters >= 0)
        QCOMPARE(qint64(spec.parameterCount(10)), parameters);
}

void TestNb101Spec::goldenParameterCounts()
{
    // Algorithm §7: the PyTorch network epsinas builds, 1-class head.
    QCOMPARE(Spec::parse(kSevenVertices).parameterCount(), std::int64_t(4970426));
    QCOMPARE(Spec::parse(kChain).parameterCount(), std::int64_t(30674561));
}

void TestNb101Spec::hashesOfAllStoredSpecs()
{
    const QString dataDir = qEnvironmentVariable("EPSINAS_DATA_DIR");
    if (dataDir.isEmpty())
        QSKIP("EPSINAS_DATA_DIR is not set: the 1,000 stored NB101 hashes are checked only with the shared data");
    QFile file(QDir(dataDir).filePath("nb101/nb101_specs_1000.csv"));
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable("cannot read " + file.fileName()));
    const QStringList header = fields(file.readLine());
    const int hashColumn = header.indexOf("hash"), adjacencyColumn = header.indexOf("adjacency"),
              opsColumn = header.indexOf("ops"), parametersColumn = header.indexOf("trainable_parameters");
    QVERIFY(hashColumn >= 0 && adjacencyColumn >= 0 && opsColumn >= 0 && parametersColumn >= 0);
    int rows = 0;
    QStringList wrong;
    while (!file.atEnd()) {
        const QStringList row = fields(file.readLine());
        if (row.size() < header.size())
            continue;
        ++rows;
        const Spec spec = Spec::fromColumns(row[adjacencyColumn].toStdString(), row[opsColumn].toStdString());
        if (QString::fromStdString(spec.hash()) != row[hashColumn])
            wrong << row[hashColumn] + " (hash " + QString::fromStdString(spec.hash()) + ")";
        // Parameter counts of the benchmark's own 10-class networks.
        if (spec.parameterCount(10) != row[parametersColumn].toLongLong())
            wrong << row[hashColumn] + " (parameters " + QString::number(spec.parameterCount(10)) + ")";
        QCOMPARE(spec.pruned(), spec); // the tables hold pruned specs
    }
    QCOMPARE(rows, 1000);
    QVERIFY2(wrong.isEmpty(), qPrintable(QString::number(wrong.size()) + " wrong: " + wrong.mid(0, 5).join("; ")));
}

void TestNb101Spec::randomSpecsAreValidDistinctAndSeeded()
{
    const std::vector<Spec> specs = nb101::randomSpecs(200, 7);
    QCOMPARE(specs.size(), std::size_t(200));
    std::set<std::string> hashes;
    for (const Spec& spec : specs) {
        QVERIFY2(spec.isValid(), spec.problem().c_str());
        QCOMPARE(spec.pruned(), spec);
        hashes.insert(spec.hash());
    }
    QCOMPARE(hashes.size(), specs.size());
    QVERIFY(nb101::randomSpecs(200, 7) == specs);
    QVERIFY(nb101::randomSpecs(5, 8) != std::vector<Spec>(specs.begin(), specs.begin() + 5));
    // A prefix of a longer draw: `--sample 10:7` scores the first ten of `--sample 200:7`.
    QVERIFY(nb101::randomSpecs(10, 7) == std::vector<Spec>(specs.begin(), specs.begin() + 10));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, nb101::randomSpecs(nb101::kSpecCount + 1, 0));
}

QTEST_GUILESS_MAIN(TestNb101Spec)
#include "tst_nb101spec.moc"
