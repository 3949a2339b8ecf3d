// SPDX-License-Identifier: MIT
// Each registered space declares the statistics of its own reference folder (algorithm §1.6): which scores its
// compute_stats counts, whether it ranks a loss (maximize=False), and how its benchmark tables are keyed. The
// statistics library names no space; these are the facts the spaces hand it.
#include "spaces/spaces.h"
#include "stats/benchmarktable.h"
#include "stats/statistics.h"

#include <QtTest>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

using namespace epsinas;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
const std::string kCell
    = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|";

} // namespace

class TestSpaceRules : public QObject {
    Q_OBJECT

private slots:
    void everySpaceDeclaresItsReference();
    void referenceRuleCountsLikeItsComputeStats_data();
    void referenceRuleCountsLikeItsComputeStats();
    void defaultsAreTheFirstFittingSpaces();
    void lossUnderAReferenceWithoutMaximizeFalseDeparts();
    void tableKeys();
};

void TestSpaceRules::everySpaceDeclaresItsReference()
{
    QVERIFY(spaceRegistry().all().size() >= 3);
    for (const SearchSpace* space : spaceRegistry().all()) {
        const StatisticsReference reference = space->statisticsReference();
        // Reports name the rule by the space's key and the reference by its folder, the benchmark's name.
        QCOMPARE(reference.name, space->key());
        QCOMPARE(reference.folder, space->name());
    }
}

void TestSpaceRules::referenceRuleCountsLikeItsComputeStats_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("nan");
    QTest::addColumn<int>("zeroAsNan");
    QTest::addColumn<int>("nonPositive");
    QTest::addColumn<bool>("ranksLosses");
    // Scores 0, -0.5, NaN, 0.25, 0.75, 1 against targets 1..6, as each reference's compute_stats reads them (algorithm
    // §1.6): NB201 drops the NaN only; NB101 requires score > 0 as well; NB-NLP turns the 0 into NaN, and only its
    // compute_stats takes maximize=False.
    QTest::newRow("nb201") << "nb201" << 5 << 1 << 0 << 0 << false;
    QTest::newRow("nb101") << "nb101" << 3 << 1 << 0 << 2 << false;
    QTest::newRow("nlp") << "nlp" << 4 << 2 << 1 << 0 << true;
}

void TestSpaceRules::referenceRuleCountsLikeItsComputeStats()
{
    QFETCH(QString, key);
    QFETCH(int, n);
    QFETCH(int, nan);
    QFETCH(int, zeroAsNan);
    QFETCH(int, nonPositive);
    QFETCH(bool, ranksLosses);
    const StatisticsReference reference = spaceRegistry().get(key.toStdString()).statisticsReference();
    CorrelationOptions options;
    options.scoreRule = reference.rule;
    const CorrelationReport report = correlate({ 0, -0.5, kNaN, 0.25, 0.75, 1 }, { 1, 2, 3, 4, 5, 6 }, options);
    QCOMPARE(report.n, std::size_t(n));
    QCOMPARE(report.nanCount, std::size_t(nan));
    QCOMPARE(report.zeroAsNanCount, std::size_t(zeroAsNan));
    QCOMPARE(report.nonPositiveCount, std::size_t(nonPositive));
    QCOMPARE(reference.ranksLosses, ranksLosses);
}

void TestSpaceRules::defaultsAreTheFirstFittingSpaces()
{
    // What epsinas correlate has always defaulted to: nb201, or nlp with --lower-is-better.
    QCOMPARE(defaultStatisticsSpace(true).key(), std::string("nb201"));
    QCOMPARE(defaultStatisticsSpace(false).key(), std::string("nlp"));
    CorrelationOptions options;
    options.higherTargetIsBetter = false;
    const StatisticsReference loss = defaultStatisticsSpace(false).statisticsReference();
    options.scoreRule = loss.rule;
    QCOMPARE(describeVariant(options, loss, loss),
        std::string("reference: NAS-Bench-NLP/epsinas_utils.py compute_stats (maximize=False)"));
}

void TestSpaceRules::lossUnderAReferenceWithoutMaximizeFalseDeparts()
{
    const StatisticsReference nb101 = spaceRegistry().get("nb101").statisticsReference();
    const StatisticsReference loss = defaultStatisticsSpace(false).statisticsReference();
    CorrelationOptions options;
    options.scoreRule = nb101.rule;
    QCOMPARE(
        describeVariant(options, nb101, loss), std::string("reference: NAS-Bench-101/epsinas_utils.py compute_stats"));
    options.higherTargetIsBetter = false;
    QCOMPARE(describeVariant(options, nb101, loss),
        std::string("departure: NAS-Bench-NLP's lower-is-better rules under the nb101 score rule"));
}

void TestSpaceRules::tableKeys()
{
    // NB201 tables join on the cell, however it is spelled; a field that is no cell is its own key.
    const ArchKeys cells = epsinas::tableKeys(spaceRegistry().get("nb201"));
    QCOMPARE(archKey("  " + kCell + " ", cells), kCell);
    QVERIFY(!cells.key("42"));
    QVERIFY(!cells.key("|bogus~0|"));
    QCOMPARE(cells.what, std::string("NAS-Bench-201 cells"));
    // NB101 tables join on module hashes and NB-NLP ones on recipe ids: their text is the key.
    for (const char* key : { "nb101", "nlp" }) {
        const ArchKeys own = epsinas::tableKeys(spaceRegistry().get(key));
        QVERIFY(!own.key("00005c142e6f48ac74fdcf73e3439874"));
        QVERIFY(!own.key("17"));
        QVERIFY(!own.key(kCell));
    }
}

QTEST_APPLESS_MAIN(TestSpaceRules)
#include "tst_spacerules.moc"
