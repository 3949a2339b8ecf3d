// SPDX-License-Identifier: MIT
// The spaces' tensor forms split a chunk in halves when the device runs out of memory
// (core/score/detail/outofmemory.h). A CPU cannot be made to run out of memory on cue, so a fake forward pass does.
#include "outofmemoryprobe.h"

#include <QtTest>

using epsinas::test::HalvingProbe;
using epsinas::test::probeHalving;

namespace {

using Rows = std::vector<std::vector<double>>;

/** One row [v, v + 100] per item. */
Rows itemRows(int count)
{
    Rows rows;
    for (int v = 0; v < count; ++v)
        rows.push_back({ double(v), v + 100.0 });
    return rows;
}

} // namespace

class TestOutOfMemory : public QObject {
    Q_OBJECT

private slots:
    void fittingChunkIsOneCall()
    {
        const HalvingProbe probe = probeHalving(7, 7, false);
        QVERIFY(probe.error.empty());
        QCOMPARE(probe.callSizes, std::vector<std::size_t>({ 7 }));
        QCOMPARE(probe.rows, itemRows(7));
    }

    void splitsUntilThePiecesFitAndKeepsTheOrder()
    {
        const HalvingProbe probe = probeHalving(7, 2, false);
        QVERIFY2(probe.error.empty(), probe.error.c_str());
        // 7 → 3 + 4; 3 → 1 + 2; 4 → 2 + 2.
        QCOMPARE(probe.callSizes, std::vector<std::size_t>({ 7, 3, 1, 2, 4, 2, 2 }));
        QCOMPARE(probe.rows, itemRows(7));
    }

    void joinsThePerWeightLayoutPerWeight()
    {
        // The NLP form: every item's w_lo row, then every item's w_hi row, across the halves too.
        const HalvingProbe probe = probeHalving(5, 3, true);
        QVERIFY2(probe.error.empty(), probe.error.c_str());
        QCOMPARE(probe.callSizes, std::vector<std::size_t>({ 5, 2, 3 }));
        Rows expected;
        for (double offset : { 0.0, 100.0 })
            for (int v = 0; v < 5; ++v)
                expected.push_back({ v + offset });
        QCOMPARE(probe.rows, expected);
    }

    void oneItemThatDoesNotFitIsTheUsersError()
    {
        const HalvingProbe probe = probeHalving(2, 0, false);
        QCOMPARE(probe.callSizes, std::vector<std::size_t>({ 2, 1 }));
        QVERIFY2(probe.error.find("out of memory") != std::string::npos, probe.error.c_str());
        QVERIFY(probe.rows.empty());
    }

    void otherErrorsAreNotRetried()
    {
        const HalvingProbe probe = probeHalving(4, 4, false, /*otherFailure=*/true);
        QCOMPARE(probe.callSizes, std::vector<std::size_t>({ 4 }));
        QVERIFY2(probe.error.find("same device") != std::string::npos, probe.error.c_str());
    }
};

QTEST_GUILESS_MAIN(TestOutOfMemory)
#include "tst_outofmemory.moc"
