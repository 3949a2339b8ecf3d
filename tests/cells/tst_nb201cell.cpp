// SPDX-License-Identifier: MIT
#include "spaces/nb201/cell.h"

#include <QtTest>

#include <array>
#include <set>
#include <string>
#include <vector>

using namespace epsinas;
using nb201::Cell;
using nb201::Op;

namespace {

const std::string kCellA
    = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|";
const std::string kCellB
    = "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|";
const std::string kCellC = "|nor_conv_1x1~0|+|none~0|avg_pool_3x3~1|+|skip_connect~0|none~1|nor_conv_3x3~2|";
const std::string kAllSkip
    = "|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|";
const std::string kAllConv3
    = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|";
const std::string kAllNone = "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|";

Cell uniform(Op op)
{
    return Cell({ op, op, op, op, op, op });
}

// Independent of Cell::canonical(): is there a path 0 -> 3 whose edges are all in `allowed`?
template <typename Allowed> bool hasPath(const Cell& cell, Allowed allowed)
{
    std::array<bool, 4> reached { true, false, false, false };
    for (int e = 0; e < nb201::kEdgeCount; ++e) // edges are listed in topological order of their targets
        if (allowed(cell.op(e)) && reached[nb201::kEdgeSource[e]])
            reached[nb201::kEdgeTarget[e]] = true;
    return reached[3];
}

} // namespace

class TestNb201Cell : public QObject {
    Q_OBJECT

private slots:
    void enumeration();
    void roundTripAllCells();
    void parsesKnownStrings_data();
    void parsesKnownStrings();
    void rejects_data();
    void rejects();
    void rejectsEveryPrefixAndDeletion();
    void fromIndexOutOfRange();
    void parameterCount_data();
    void parameterCount();
    void parameterCountRange();
    void canonicalDeadNode3();
    void canonicalDisconnectedClass();
    void canonicalSwapsNodes1And2();
    void canonicalDeadEdgesExample();
    void canonicalKeepsLiveEdges();
    void canonicalIsIdempotent();
    void convFreePath_data();
    void convFreePath();
    void convFreePathCount();
};

void TestNb201Cell::enumeration()
{
    const std::vector<Cell> cells = nb201::allCells();
    QCOMPARE(int(cells.size()), nb201::kCellCount);
    QCOMPARE(nb201::kCellCount, 15625);
    QCOMPARE(cells.front(), uniform(Op::None));
    QCOMPARE(cells.back(), uniform(Op::AvgPool3x3));
    // Index = base-5 number, edge 0 most significant.
    QCOMPARE(Cell::fromIndex(1).op(5), Op::SkipConnect);
    QCOMPARE(Cell::fromIndex(5 * 5 * 5 * 5 * 5).op(0), Op::SkipConnect);
    QCOMPARE(std::string(nb201::opName(Op::Conv3x3)), std::string("nor_conv_3x3"));
}

void TestNb201Cell::roundTripAllCells()
{
    const std::vector<Cell> cells = nb201::allCells();
    std::set<std::string> strings;
    for (int i = 0; i < int(cells.size()); ++i) {
        const Cell& cell = cells[i];
        QCOMPARE(cell.index(), i);
        QCOMPARE(Cell::fromIndex(i), cell);
        const std::string text = cell.toString();
        Cell parsed;
        try {
            parsed = Cell::parse(text);
        } catch (const ParseError& error) {
            QFAIL(qPrintable(QString("parse(toString(cell %1)) threw: %2").arg(i).arg(error.what())));
        }
        if (parsed != cell)
            QFAIL(qPrintable(QString("parse(toString(cell %1)) differs: %2").arg(i).arg(QString::fromStdString(text))));
        QCOMPARE(parsed.toString(), text);
        strings.insert(text);
    }
    QCOMPARE(int(strings.size()), nb201::kCellCount);
}

void TestNb201Cell::parsesKnownStrings_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QList<int>>("ops");
    QTest::newRow("spec example A") << QString::fromStdString(kCellA) << QList<int> { 3, 3, 3, 1, 3, 3 };
    QTest::newRow("spec example B") << QString::fromStdString(kCellB) << QList<int> { 4, 2, 1, 2, 1, 1 };
    QTest::newRow("spec example C") << QString::fromStdString(kCellC) << QList<int> { 2, 0, 4, 1, 0, 3 };
    QTest::newRow("all none") << QString::fromStdString(kAllNone) << QList<int> { 0, 0, 0, 0, 0, 0 };
}

void TestNb201Cell::parsesKnownStrings()
{
    QFETCH(QString, text);
    QFETCH(QList<int>, ops);
    const Cell cell = Cell::parse(text.toStdString());
    for (int e = 0; e < nb201::kEdgeCount; ++e)
        QCOMPARE(int(cell.op(e)), ops[e]);
    QCOMPARE(QString::fromStdString(cell.toString()), text);
}

void TestNb201Cell::rejects_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("mentions");
    QTest::newRow("unknown op") << "|nor_conv_5x5~0|+|none~0|none~1|+|none~0|none~1|none~2|"
                                << QStringList { "nor_conv_5x5", "unknown op" };
    QTest::newRow("unknown op in node 3")
        << "|none~0|+|none~0|none~1|+|none~0|max_pool_3x3~1|none~2|" << QStringList { "max_pool_3x3" };
    QTest::newRow("op case matters") << "|None~0|+|none~0|none~1|+|none~0|none~1|none~2|" << QStringList { "None" };
    QTest::newRow("node 2 one edge") << "|none~0|+|none~0|+|none~0|none~1|none~2|"
                                     << QStringList { "node 2", "2 edge", "found 1" };
    QTest::newRow("node 1 two edges") << "|none~0|none~1|+|none~0|none~1|+|none~0|none~1|none~2|"
                                      << QStringList { "node 1", "1 edge" };
    QTest::newRow("node 3 four edges") << "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|none~3|"
                                       << QStringList { "node 3", "3 edge" };
    QTest::newRow("node 3 two edges") << "|none~0|+|none~0|none~1|+|none~0|none~1|"
                                      << QStringList { "node 3", "found 2" };
    QTest::newRow("wrong ~k") << "|none~0|+|none~0|none~2|+|none~0|none~1|none~2|" << QStringList { "~1", "~2" };
    QTest::newRow("wrong ~k first edge") << "|none~1|+|none~0|none~1|+|none~0|none~1|none~2|"
                                         << QStringList { "~0", "~1" };
    QTest::newRow("non-numeric ~k") << "|none~0|+|none~0|none~x|+|none~0|none~1|none~2|" << QStringList { "~x" };
    QTest::newRow("missing ~k") << "|none|+|none~0|none~1|+|none~0|none~1|none~2|" << QStringList { "op~k", "none" };
    QTest::newRow("missing '+'") << "|none~0|+|none~0|none~1||none~0|none~1|none~2|"
                                 << QStringList { "'+'", "found 2" };
    QTest::newRow("missing first '+'") << "|none~0||none~0|none~1|+|none~0|none~1|none~2|" << QStringList { "node 1" };
    QTest::newRow("no '+' at all") << "|none~0|" << QStringList { "'+'", "3 nodes" };
    QTest::newRow("extra node") << "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|+|none~0|"
                                << QStringList { "3 nodes", "more" };
    QTest::newRow("empty string") << "" << QStringList { "'+'" };
    QTest::newRow("missing leading bar") << "none~0|+|none~0|none~1|+|none~0|none~1|none~2|"
                                         << QStringList { "node 1", "'|'" };
    QTest::newRow("missing trailing bar")
        << "|none~0|+|none~0|none~1|+|none~0|none~1|none~2" << QStringList { "node 3", "'|'" };
    QTest::newRow("missing bars node 2") << "|none~0|+none~0|none~1+|none~0|none~1|none~2|"
                                         << QStringList { "node 2", "'|'" };
    QTest::newRow("only separators") << "|+|+|" << QStringList { "node 1" };
    QTest::newRow("surrounding space") << " |none~0|+|none~0|none~1|+|none~0|none~1|none~2|"
                                       << QStringList { "node 1" };
}

void TestNb201Cell::rejects()
{
    QFETCH(QString, text);
    QFETCH(QStringList, mentions);
    try {
        Cell::parse(text.toStdString());
        QFAIL("parse accepted a malformed string");
    } catch (const ParseError& error) {
        const QString message = QString::fromUtf8(error.what());
        for (const QString& part : mentions)
            QVERIFY2(message.contains(part), qPrintable("'" + part + "' missing from: " + message));
        // The message quotes the offending string so the user can find it.
        QVERIFY2(message.contains(text), qPrintable(message));
    }
}

void TestNb201Cell::rejectsEveryPrefixAndDeletion()
{
    // No crash and a ParseError (never another exception) for every proper prefix and one-character deletion.
    for (const std::string& valid : { kCellA, kCellB, kCellC, kAllNone }) {
        for (std::size_t length = 0; length < valid.size(); ++length) {
            const std::string text = valid.substr(0, length);
            QVERIFY_THROWS_EXCEPTION(ParseError, Cell::parse(text));
        }
        for (std::size_t i = 0; i < valid.size(); ++i) {
            const std::string text = valid.substr(0, i) + valid.substr(i + 1);
            QVERIFY_THROWS_EXCEPTION(ParseError, Cell::parse(text));
        }
    }
}

void TestNb201Cell::fromIndexOutOfRange()
{
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, Cell::fromIndex(-1));
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, Cell::fromIndex(nb201::kCellCount));
}

void TestNb201Cell::parameterCount_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("parameters");
    // Algorithm §3.1 / §7, 1-class head.
    QTest::newRow("A") << QString::fromStdString(kCellA) << qint64(1287921);
    QTest::newRow("B") << QString::fromStdString(kCellB) << qint64(128721);
    QTest::newRow("C") << QString::fromStdString(kCellC) << qint64(343761);
    QTest::newRow("all skip") << QString::fromStdString(kAllSkip) << qint64(72721);
    QTest::newRow("all none") << QString::fromStdString(kAllNone) << qint64(72721);
    QTest::newRow("all conv3x3") << QString::fromStdString(kAllConv3) << qint64(1530961);
}

void TestNb201Cell::parameterCount()
{
    QFETCH(QString, text);
    QFETCH(qint64, parameters);
    QCOMPARE(qint64(Cell::parse(text.toStdString()).parameterCount()), parameters);
    QCOMPARE(qint64(Cell::parse(text.toStdString()).parameterCount(1)), parameters);
}

void TestNb201Cell::parameterCountRange()
{
    // Algorithm §3.1: 72,721 for cells that are all none/skip/pool, up to 1,530,961 for all-conv3x3.
    std::int64_t lowest = std::numeric_limits<std::int64_t>::max(), highest = 0;
    for (const Cell& cell : nb201::allCells()) {
        const std::int64_t count = cell.parameterCount();
        lowest = std::min(lowest, count);
        highest = std::max(highest, count);
        bool convFree = true;
        for (Op op : cell.ops())
            convFree = convFree && op != Op::Conv1x1 && op != Op::Conv3x3;
        if (convFree)
            QCOMPARE(qint64(count), qint64(72721));
    }
    QCOMPARE(qint64(lowest), qint64(72721));
    QCOMPARE(qint64(highest), qint64(1530961));
    // Each conv adds its weights and BN gamma/beta in all 15 cells, whatever the head.
    const Cell one({ Op::None, Op::None, Op::None, Op::None, Op::None, Op::Conv1x1 });
    QCOMPARE(qint64(one.parameterCount()), qint64(72721 + 5 * ((16 * 16 + 32) + (32 * 32 + 64) + (64 * 64 + 128))));
}

void TestNb201Cell::canonicalDeadNode3()
{
    // Every cell whose node 3 only receives `none` computes zero: one key, the all-none cell's.
    const int allNone = uniform(Op::None).index();
    QCOMPARE(allNone, 0);
    int checked = 0;
    for (const Cell& cell : nb201::allCells()) {
        if (cell.op(3) != Op::None || cell.op(4) != Op::None || cell.op(5) != Op::None)
            continue;
        QCOMPARE(cell.canonicalIndex(), allNone);
        QCOMPARE(cell.canonical(), uniform(Op::None));
        ++checked;
    }
    QCOMPARE(checked, 125);
}

void TestNb201Cell::canonicalDisconnectedClass()
{
    // The all-none key is shared by exactly the cells with no path of non-none edges from input to output:
    // 341 cells (algorithm §1.5: 341 of the 6,399 NaN-scored cells have no path at all).
    int disconnected = 0;
    for (const Cell& cell : nb201::allCells()) {
        const bool connected = hasPath(cell, [](Op op) { return op != Op::None; });
        QCOMPARE(cell.canonicalIndex() == 0, !connected);
        disconnected += connected ? 0 : 1;
    }
    QCOMPARE(disconnected, 341);
}

void TestNb201Cell::canonicalSwapsNodes1And2()
{
    // With no edge 1 -> 2, nodes 1 and 2 are interchangeable: swapping them (their input edges 0->1 / 0->2 and
    // their output edges 1->3 / 2->3) gives the same key.
    int pairs = 0, distinct = 0;
    for (const Cell& cell : nb201::allCells()) {
        if (cell.op(2) != Op::None)
            continue;
        const Cell swapped({ cell.op(1), cell.op(0), Op::None, cell.op(3), cell.op(5), cell.op(4) });
        QCOMPARE(swapped.canonicalIndex(), cell.canonicalIndex());
        ++pairs;
        distinct += swapped != cell ? 1 : 0;
    }
    QCOMPARE(pairs, 3125);
    QVERIFY(distinct > 0);
    // A concrete pair: conv3x3 on node 1's path vs on node 2's path.
    QCOMPARE(Cell::parse("|nor_conv_3x3~0|+|avg_pool_3x3~0|none~1|+|skip_connect~0|nor_conv_1x1~1|skip_connect~2|")
                 .canonical(),
        Cell::parse("|avg_pool_3x3~0|+|nor_conv_3x3~0|none~1|+|skip_connect~0|skip_connect~1|nor_conv_1x1~2|")
            .canonical());
}

void TestNb201Cell::canonicalDeadEdgesExample()
{
    // Node 1 receives only none, so edges 1->2 and 1->3 add exact zeros; the remaining cell is skip 0->2->3, the
    // same function as skip 0->1->3 (nodes 1 and 2 swapped).
    const Cell dead = Cell::parse("|none~0|+|skip_connect~0|nor_conv_3x3~1|+|none~0|nor_conv_1x1~1|skip_connect~2|");
    const Cell chain = Cell::parse("|skip_connect~0|+|none~0|none~1|+|none~0|skip_connect~1|none~2|");
    QCOMPARE(dead.canonicalIndex(), chain.canonicalIndex());
    QCOMPARE(
        dead.canonical().toString(), std::string("|none~0|+|skip_connect~0|none~1|+|none~0|none~1|skip_connect~2|"));
    // An edge into a node that cannot reach the output is dead too (node 2 feeds nothing).
    const Cell noOut = Cell::parse("|skip_connect~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|none~0|skip_connect~1|none~2|");
    QCOMPARE(noOut.canonicalIndex(), chain.canonicalIndex());
}

void TestNb201Cell::canonicalKeepsLiveEdges()
{
    // With every edge non-none every edge lies on an input-output path: nothing is dead and nodes 1, 2 are not
    // interchangeable, so each of these 4,096 cells is its own key and any two of them differ.
    std::set<int> keys;
    for (const Cell& cell : nb201::allCells()) {
        bool allLive = true;
        for (Op op : cell.ops())
            allLive = allLive && op != Op::None;
        if (!allLive)
            continue;
        QCOMPARE(cell.canonicalIndex(), cell.index());
        keys.insert(cell.canonicalIndex());
    }
    QCOMPARE(int(keys.size()), 4 * 4 * 4 * 4 * 4 * 4);
    // Cells that differ on one live edge of a chain have different keys.
    const Cell a = Cell::parse("|nor_conv_3x3~0|+|none~0|none~1|+|none~0|skip_connect~1|none~2|");
    for (Op op : { Op::SkipConnect, Op::Conv1x1, Op::AvgPool3x3 }) {
        Cell b = a;
        b.setOp(0, op);
        QVERIFY(a.canonicalIndex() != b.canonicalIndex());
        Cell c = a;
        c.setOp(4, op == Op::SkipConnect ? Op::Conv3x3 : op);
        QVERIFY(a.canonicalIndex() != c.canonicalIndex());
    }
    // Adding a parallel live edge changes the function.
    Cell d = a;
    d.setOp(3, Op::SkipConnect);
    QVERIFY(a.canonicalIndex() != d.canonicalIndex());
}

void TestNb201Cell::canonicalIsIdempotent()
{
    for (const Cell& cell : nb201::allCells()) {
        const Cell canonical = cell.canonical();
        QCOMPARE(canonical.canonical(), canonical);
        QVERIFY(canonical.index() <= cell.index());
        // Dead edges and isomorphic nodes cannot create or remove a conv-free path.
        QCOMPARE(canonical.hasConvFreePath(), cell.hasConvFreePath());
    }
}

void TestNb201Cell::convFreePath_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("expected");
    QTest::newRow("A") << QString::fromStdString(kCellA) << true; // skip 0->3
    QTest::newRow("B") << QString::fromStdString(kCellB) << true; // pool 0->1, skip 1->3
    QTest::newRow("C") << QString::fromStdString(kCellC) << true; // skip 0->3
    QTest::newRow("all skip") << QString::fromStdString(kAllSkip) << true;
    QTest::newRow("all conv3x3") << QString::fromStdString(kAllConv3) << false;
    QTest::newRow("all none") << QString::fromStdString(kAllNone) << false;
    QTest::newRow("pool then conv") << "|avg_pool_3x3~0|+|none~0|none~1|+|none~0|nor_conv_1x1~1|none~2|" << false;
    QTest::newRow("pool-skip-pool chain")
        << "|avg_pool_3x3~0|+|none~0|skip_connect~1|+|nor_conv_3x3~0|none~1|avg_pool_3x3~2|" << true;
}

void TestNb201Cell::convFreePath()
{
    QFETCH(QString, text);
    QFETCH(bool, expected);
    QCOMPARE(Cell::parse(text.toStdString()).hasConvFreePath(), expected);
}

void TestNb201Cell::convFreePathCount()
{
    // Algorithm §1.5: exactly 6,399 of the 15,625 cells have no conv-free path (the NaN-scored ones).
    int without = 0;
    for (const Cell& cell : nb201::allCells()) {
        const bool independent = hasPath(cell, [](Op op) { return op == Op::SkipConnect || op == Op::AvgPool3x3; });
        QCOMPARE(cell.hasConvFreePath(), independent);
        without += cell.hasConvFreePath() ? 0 : 1;
    }
    QCOMPARE(without, 6399);
}

QTEST_GUILESS_MAIN(TestNb201Cell)
#include "tst_nb201cell.moc"
