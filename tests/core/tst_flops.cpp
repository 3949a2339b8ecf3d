// SPDX-License-Identifier: MIT
// SearchSpace::flops (multiply-accumulates of conv and linear layers for one input) against counts we did not make:
// NAS-Bench-Suite-Zero's `flops` column (NASLib) for every CIFAR-10 row of the NB201 subset and every row of the NB101
// subset, through the relation docs/flops.md derives (NASLib also counts BN, ReLU and pooling), and hand-derived
// values for the NAS-Bench-NLP examples.
#include "spaces/nb101/space.h"
#include "spaces/nb101/spec.h"
#include "spaces/nb201/cell.h"
#include "spaces/nb201/space.h"
#include "spaces/nlp/model.h"
#include "spaces/nlp/recipe.h"
#include "spaces/nlp/space.h"
#include "spaces/spaces.h"

#include <QtTest>

#include <cmath>
#include <cstdint>

using namespace epsinas;

namespace {

// NASLib writes MFLOPs; its values are exact integers of operations once multiplied back.
constexpr double kMega = 1e6;
// Output elements of one NB201 cell's op, summed over one cell of each stage: 16·32² + 32·16² + 64·8².
constexpr std::int64_t kNb201CellElements = 16 * 32 * 32 + 32 * 16 * 16 + 64 * 8 * 8;
// NB201 cells per stage.
constexpr std::int64_t kNb201CellsPerStage = 5;

/** A CSV file as rows of fields, the header first; empty when the file cannot be read. */
QList<QStringList> readCsv(const QString& path)
{
    QFile file(path);
    QList<QStringList> rows;
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return rows;
    while (!file.atEnd()) {
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (!line.isEmpty())
            rows << line.split(',');
    }
    return rows;
}

/** The data folder, or an empty string when EPSINAS_DATA_DIR is not set. */
QString dataDir()
{
    return qEnvironmentVariable("EPSINAS_DATA_DIR");
}

} // namespace

class TestFlops : public QObject {
    Q_OBJECT

private slots:
    void nb201ByHand_data();
    void nb201ByHand();
    void nb201MatchesNaslib();
    void nb101MatchesNaslib();
    void nlpExamples_data();
    void nlpExamples();
    void spacesAnswer();
};

void TestFlops::nb201ByHand_data()
{
    QTest::addColumn<QString>("cell");
    QTest::addColumn<qint64>("flops");
    // Outside the cells: stem 32²·3·16·9 = 442,368; each residual block, on the halved map, a strided 3x3 conv
    // (16²·16·32·9 = 8²·32·64·9 = 1,179,648), a 3x3 conv (2,359,296) and a 1x1 projection (131,072): 3,670,016,
    // twice; head 64·1. In every stage a 3x3 conv edge
    // costs 5 cells · 2,359,296 (32²·16·16·9 = 16²·32·32·9 = 8²·64·64·9), a 1x1 edge 5 · 262,144.
    const qint64 outside = 442368 + 2 * 3670016 + 64;
    QTest::newRow("all none") << "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|" << outside;
    QTest::newRow("skip and pool cost nothing")
        << "|skip_connect~0|+|avg_pool_3x3~0|none~1|+|none~0|none~1|skip_connect~2|" << outside;
    QTest::newRow("all conv3x3") << "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|"
                                    "nor_conv_3x3~2|"
                                 << outside + 6 * 3 * 5 * qint64(2359296);
    QTest::newRow("one of each conv") << "|nor_conv_1x1~0|+|none~0|none~1|+|none~0|none~1|nor_conv_3x3~2|"
                                      << outside + 3 * 5 * qint64(2359296 + 262144);
}

void TestFlops::nb201ByHand()
{
    QFETCH(QString, cell);
    QFETCH(qint64, flops);
    QCOMPARE(qint64(nb201::Cell::parse(cell.toStdString()).flops()), flops);
}

void TestFlops::nb201MatchesNaslib()
{
    if (dataDir().isEmpty())
        QSKIP("EPSINAS_DATA_DIR is not set: the comparison needs the NASLib NB201 subset");
    const QList<QStringList> rows = readCsv(dataDir() + "/nb201/nb201_naslib_zc_subset.csv");
    QVERIFY(!rows.isEmpty());
    const int archColumn = rows[0].indexOf("arch_str"), datasetColumn = rows[0].indexOf("dataset");
    const int flopsColumn = rows[0].indexOf("flops");
    QVERIFY(archColumn >= 0 && datasetColumn >= 0 && flopsColumn >= 0);
    // NASLib (the NB201 API's counter) adds what we leave out: per conv edge ReLU (1 per element) and BN (2),
    // 3 · 5 · kNb201CellElements = 430,080; per 3x3 average pool 9 per output element, 1,290,240; and outside the
    // cells a constant 160,832 (BN/ReLU of stem, residual blocks and last BN 131,072, the 2x2 pools 24,576, the
    // global pool 4,096, and 1,088 we could not attribute). Its head has the 10 CIFAR-10 classes.
    const std::int64_t perConv = 3 * kNb201CellsPerStage * kNb201CellElements;
    const std::int64_t perPool = 9 * kNb201CellsPerStage * kNb201CellElements;
    constexpr std::int64_t kOutsideCells = 160832;
    int compared = 0;
    QStringList wrong;
    for (const QStringList& row : rows.mid(1)) {
        if (row[datasetColumn] != "cifar10")
            continue;
        const nb201::Cell cell = nb201::Cell::parse(row[archColumn].toStdString());
        std::int64_t convs = 0, pools = 0;
        for (nb201::Op op : cell.ops()) {
            convs += op == nb201::Op::Conv3x3 || op == nb201::Op::Conv1x1;
            pools += op == nb201::Op::AvgPool3x3;
        }
        const std::int64_t naslib = std::llround(row[flopsColumn].toDouble() * kMega);
        if (cell.flops(10) + perConv * convs + perPool * pools + kOutsideCells != naslib)
            wrong << row[archColumn] + " (ours " + QString::number(cell.flops(10)) + ", NASLib " + row[flopsColumn]
                    + ")";
        ++compared;
    }
    QCOMPARE(compared, 491);
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong.mid(0, 5).join("; ")));
}

void TestFlops::nb101MatchesNaslib()
{
    if (dataDir().isEmpty())
        QSKIP("EPSINAS_DATA_DIR is not set: the comparison needs the NASLib NB101 subset");
    const QList<QStringList> rows = readCsv(dataDir() + "/nb101/nb101_naslib_zc_500.csv");
    QVERIFY(!rows.isEmpty());
    const int adjacencyColumn = rows[0].indexOf("adjacency"), opsColumn = rows[0].indexOf("ops");
    const int flopsColumn = rows[0].indexOf("flops");
    QVERIFY(adjacencyColumn >= 0 && opsColumn >= 0 && flopsColumn >= 0);
    // NASLib adds 3 per element that a conv-BN-ReLU writes (ReLU 1, BN 2: stem, projections, vertex convs), 9 per
    // element a 3x3 max-pool vertex writes, and 1 per element the two 2x2 max-pools between stacks read
    // (128·32² + 256·16² = 196,608). The global mean is not counted; its head has 10 classes.
    constexpr std::int64_t kDownsamplePools = 128 * 32 * 32 + 256 * 16 * 16;
    int compared = 0;
    QStringList wrong;
    for (const QStringList& row : rows.mid(1)) {
        const nb101::Spec spec = nb101::Spec::parse((row[adjacencyColumn] + ":" + row[opsColumn]).toStdString());
        const nb101::Spec pruned = spec.pruned();
        const int last = pruned.vertexCount() - 1;
        std::int64_t convElements = 128 * 32 * 32, poolElements = 0;
        int in = 128, out = 128, side = 32;
        for (int stack = 0; stack < 3; ++stack) {
            if (stack > 0) {
                out *= 2;
                side /= 2;
            }
            for (int cell = 0; cell < 3; ++cell) {
                const std::vector<int> channels = pruned.vertexChannels(in, out);
                for (int v = 1; v < last; ++v) {
                    const std::int64_t elements = std::int64_t { side } * side * channels[v];
                    convElements += pruned.hasEdge(0, v) ? elements : 0;
                    if (pruned.op(v) == nb101::Op::MaxPool3x3)
                        poolElements += elements;
                    else
                        convElements += elements;
                }
                convElements += pruned.hasEdge(0, last) ? std::int64_t { side } * side * out : 0;
                in = out;
            }
        }
        const std::int64_t naslib = std::llround(row[flopsColumn].toDouble() * kMega);
        if (spec.flops(10) + 3 * convElements + 9 * poolElements + kDownsamplePools != naslib)
            wrong << row[opsColumn] + " (ours " + QString::number(spec.flops(10)) + ", NASLib " + row[flopsColumn]
                    + ")";
        ++compared;
    }
    QCOMPARE(compared, 500);
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong.mid(0, 5).join("; ")));
}

void TestFlops::nlpExamples_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<qint64>("flops");
    // One token step. Decoder 400 × 10,000 = 4,000,000 (the embedding is a lookup). A linear node on x and h_prev_0:
    // layer 0 600·400 + 600·600 = 600,000; layer 1 600·600 + 600·600 = 720,000; layer 2 (hidden 400) 400·600 + 400·400
    // = 400,000; 1,720,000 over the three layers (the parameters less the biases). The GRU's third linear reads rh
    // instead of h_prev_0, which is as wide.
    QTest::newRow("rnn: 1 linear") << "rnn" << qint64(4000000 + 1 * 1720000);
    QTest::newRow("gru: 3 linears") << "gru" << qint64(4000000 + 3 * 1720000);
    QTest::newRow("lstm: 4 linears") << "lstm" << qint64(4000000 + 4 * 1720000);
}

void TestFlops::nlpExamples()
{
    QFETCH(QString, name);
    QFETCH(qint64, flops);
    QCOMPARE(qint64(nlp::flops(nlp::Recipe::example(name.toStdString()))), flops);
}

void TestFlops::spacesAnswer()
{
    // Through the seam: every built-in space says, and says what its structure says.
    const SearchSpace* nb201 = spaceRegistry().find("nb201");
    const SearchSpace* nb101 = spaceRegistry().find("nb101");
    const SearchSpace* nlp = spaceRegistry().find("nlp");
    QVERIFY(nb201 && nb101 && nlp);
    const Arch cell = nb201->parse("|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|");
    QCOMPARE(nb201->flops(cell), std::optional<std::int64_t>(nb201::cellOf(cell).flops()));
    for (const NamedArch& example : nlp->examples())
        QCOMPARE(nlp->flops(example.arch), std::optional<std::int64_t>(nlp::flops(nlp::recipeOf(example.arch))));
    for (const Arch& spec : nb101->sample(5, 3))
        QCOMPARE(nb101->flops(spec), std::optional<std::int64_t>(nb101::specOf(spec).flops()));
}

QTEST_APPLESS_MAIN(TestFlops)
#include "tst_flops.moc"
