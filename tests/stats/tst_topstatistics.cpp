// SPDX-License-Identifier: MIT
// The reference's rules for the "top" statistics (docs/statistics.md), one small hand-made case each:
// NumPy's percentile, strict ">" at P90, ">=" at the 64th score, the NAS-Bench-NLP minimise rules and their T10/T10
// denominators, the per-space score rules, and the NaN policies' tie of NaN scores.
#include "stats/statistics.h"

#include <QtTest>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

using namespace epsinas;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

std::vector<double> toStd(const QList<double>& values)
{
    return { values.begin(), values.end() };
}

bool close(double actual, double expected, double tolerance = 1e-12)
{
    if (std::isnan(expected))
        return std::isnan(actual);
    if (std::isinf(expected))
        return actual == expected;
    return std::abs(actual - expected) <= tolerance;
}

QByteArray describe(double actual, double expected)
{
    return QByteArray("actual ") + QByteArray::number(actual, 'g', 17) + ", expected "
        + QByteArray::number(expected, 'g', 17);
}

std::vector<double> ramp(int n, double sign = 1)
{
    std::vector<double> values(n);
    for (int i = 0; i < n; ++i)
        values[i] = sign * i;
    return values;
}

CorrelationOptions withTopSets(TopSets sets)
{
    CorrelationOptions options;
    options.topSets = sets;
    return options;
}

} // namespace

class TestTopStatistics : public QObject {
    Q_OBJECT

private slots:
    void optionNames();
    void variantNamesTheReferenceOrTheDepartures();
    void percentileMatchesNumPy_data();
    void percentileMatchesNumPy();
    void percentileRejectsBadQ();
    void scipyDocumentedCorrelations();
    void top10IsStrictlyAboveP90();
    void t64CountsEveryTieAtThe64thScore();
    void t64NeedsMoreThan64Pairs();
    void lowerIsBetterTopSets();
    void lowerIsBetterT10Denominator();
    void lowerIsBetterT64KeepsHighestScores();
    void scoreRules_data();
    void scoreRules();
    void nlpZeroFollowsTheNanPolicy();
    void nanPolicyTiesInTheTopSets();
};

void TestTopStatistics::optionNames()
{
    for (TopSets sets : { TopSets::Reference, TopSets::TieWeighted })
        QVERIFY(parseTopSets(toString(sets)) == sets);
    for (T10Denominator denominator : { T10Denominator::Reference, T10Denominator::Consistent })
        QVERIFY(parseT10Denominator(toString(denominator)) == denominator);
    QCOMPARE(toString(TopSets::TieWeighted), std::string("tie-weighted"));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parseTopSets("ties"));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parseT10Denominator("P90"));
}

void TestTopStatistics::variantNamesTheReferenceOrTheDepartures()
{
    // References as the spaces declare them (tst_spacerules checks that they do).
    const StatisticsReference nb201 { "nb201", "NAS-Bench-201", ScoreRule::NanOut, false };
    const StatisticsReference nb101 { "nb101", "NAS-Bench-101", ScoreRule::NonPositiveOut, false };
    const StatisticsReference nlp { "nlp", "NAS-Bench-NLP", ScoreRule::ZeroIsNan, true };
    CorrelationOptions options;
    QCOMPARE(
        describeVariant(options, nb201, nlp), std::string("reference: NAS-Bench-201/epsinas_utils.py compute_stats"));
    QVERIFY(departures(options, nb201, nlp).empty());
    options.scoreRule = ScoreRule::NonPositiveOut;
    QCOMPARE(
        describeVariant(options, nb101, nlp), std::string("reference: NAS-Bench-101/epsinas_utils.py compute_stats"));
    options.scoreRule = ScoreRule::ZeroIsNan;
    options.higherTargetIsBetter = false;
    QCOMPARE(describeVariant(options, nlp, nlp),
        std::string("reference: NAS-Bench-NLP/epsinas_utils.py compute_stats (maximize=False)"));
    // The consistent denominator departs only where it changes something: with a loss and the reference top sets.
    options.t10Denominator = T10Denominator::Consistent;
    QCOMPARE(describeVariant(options, nlp, nlp), std::string("departure: consistent T10/T10 denominator"));
    options.higherTargetIsBetter = true;
    QVERIFY(departures(options, nlp, nlp).empty());
    options.policy = NanPolicy::Best;
    options.topSets = TopSets::TieWeighted;
    options.scoreRule = ScoreRule::NanOut;
    options.higherTargetIsBetter = false;
    QCOMPARE(describeVariant(options, nb201, nlp),
        std::string("departure: NaN scores ranked best; tie-weighted top sets; NAS-Bench-NLP's lower-is-better rules "
                    "under the nb201 score rule"));
}

void TestTopStatistics::percentileMatchesNumPy_data()
{
    QTest::addColumn<QList<double>>("values");
    QTest::addColumn<double>("q");
    QTest::addColumn<double>("expected");
    // Outputs of NumPy known for certain: np.percentile([1, 2, 3, 4], 90) = 3.7, the median 2.5, and the docstring's
    // example a = [[10, 7, 4], [3, 2, 1]]: np.percentile(a, 50) = 3.5, along axis 0 the first column gives 6.5.
    QTest::newRow("[1,2,3,4] at 90") << QList<double> { 1, 2, 3, 4 } << 90.0 << 3.7;
    QTest::newRow("[1,2,3,4] at 50") << QList<double> { 1, 2, 3, 4 } << 50.0 << 2.5;
    QTest::newRow("docstring a at 50") << QList<double> { 10, 7, 4, 3, 2, 1 } << 50.0 << 3.5;
    QTest::newRow("docstring column 0") << QList<double> { 10, 3 } << 50.0 << 6.5;
    // By hand from h = (n-1) q/100: {15,20,35,40,50} at 40: h = 1.6, 20 + 0.6 * 15 = 29.
    QTest::newRow("h = 1.6") << QList<double> { 15, 20, 35, 40, 50 } << 40.0 << 29.0;
    // Unsorted with a tie: sorted 1 2 2 3, h = 2.7: 2 + 0.7 * 1.
    QTest::newRow("unsorted, tied") << QList<double> { 3, 2, 1, 2 } << 90.0 << 2.7;
    // h on an element: 11 values, h = 10 * 0.9 = 9 exactly.
    QTest::newRow("h whole") << QList<double> { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 } << 90.0 << 9.0;
    QTest::newRow("q = 0") << QList<double> { 4, 1, 3 } << 0.0 << 1.0;
    QTest::newRow("q = 100") << QList<double> { 4, 1, 3 } << 100.0 << 4.0;
    QTest::newRow("one value") << QList<double> { 5 } << 90.0 << 5.0;
    // NumPy's _lerp: a + (b-a)t below t = 0.5, b - (b-a)(1-t) from 0.5; the two differ in the last bit here.
    QTest::newRow("t < 0.5: from below") << QList<double> { 0.3, 0.7 } << 18.0 << 0.3 + (0.7 - 0.3) * 0.18;
    QTest::newRow("t >= 0.5: from above") << QList<double> { 0.2, 0.9 } << 51.0 << 0.9 - (0.9 - 0.2) * (1 - 0.51);
    QTest::newRow("t = 0.5: from above") << QList<double> { 0.1, 0.7 } << 50.0 << 0.7 - (0.7 - 0.1) * 0.5;
    // ±inf follow IEEE arithmetic: h = 1.8 between 2 and inf gives inf - inf; h = 1.2 gives 2 + inf.
    QTest::newRow("inf above, t >= 0.5") << QList<double> { 1, 2, kInf } << 90.0 << kNaN;
    QTest::newRow("inf above, t < 0.5") << QList<double> { 1, 2, kInf } << 60.0 << kInf;
    QTest::newRow("NaN inside") << QList<double> { 1, kNaN, 3 } << 50.0 << kNaN;
    QTest::newRow("empty") << QList<double> {} << 50.0 << kNaN;
}

void TestTopStatistics::percentileMatchesNumPy()
{
    QFETCH(QList<double>, values);
    QFETCH(double, q);
    QFETCH(double, expected);
    const double actual = percentile(toStd(values), q);
    // Exact: the reference's strict comparisons against the percentile make its last bit matter.
    QVERIFY2(std::isnan(expected) ? std::isnan(actual) : actual == expected, describe(actual, expected));
}

void TestTopStatistics::percentileRejectsBadQ()
{
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, percentile({ 1, 2 }, -1));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, percentile({ 1, 2 }, 100.5));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, percentile({ 1, 2 }, kNaN));
}

void TestTopStatistics::scipyDocumentedCorrelations()
{
    // scipy.stats.spearmanr docs: spearmanr([1,2,3,4,5], [5,6,7,8,7]).statistic = 0.8207826816681233.
    const double rho = spearman({ 1, 2, 3, 4, 5 }, { 5, 6, 7, 8, 7 });
    QVERIFY2(close(rho, 0.8207826816681233, 1e-15), describe(rho, 0.8207826816681233));
    // scipy.stats.kendalltau docs: kendalltau([12,2,1,12,2], [1,4,7,1,0]).statistic = -0.47140452079103173 (tau-b).
    const double tau = kendallTauB({ 12, 2, 1, 12, 2 }, { 1, 4, 7, 1, 0 });
    QVERIFY2(close(tau, -0.47140452079103173, 1e-15), describe(tau, -0.47140452079103173));
}

void TestTopStatistics::top10IsStrictlyAboveP90()
{
    // 11 pairs, targets 0..10: P90 = 9 exactly, so only target 10 is "top"; scores swap archs 9 and 10.
    const std::vector<double> targets = ramp(11);
    std::vector<double> scores = ramp(11);
    std::swap(scores[9], scores[10]);
    const CorrelationReport report = correlate(scores, targets, CorrelationOptions {});
    QCOMPARE(report.top10TargetCount, std::size_t { 1 });
    // One pair has no correlation; with ">=" it would be the two pairs (10, 9) and (9, 10), rho = -1.
    QVERIFY(std::isnan(report.spearmanTop10) && std::isnan(report.kendallTop10));
    // Top by score is arch 9 alone, top by target arch 10 alone: no overlap (">=" would give 100).
    QCOMPARE(report.t10DenominatorCount, std::size_t { 1 });
    QVERIFY2(close(report.t10t10, 0), describe(report.t10t10, 0));

    // The tie-weighted departure takes ceil(11/10) = 2 by rank on both sides: {9, 10} both times.
    const CorrelationReport tieWeighted = correlate(scores, targets, withTopSets(TopSets::TieWeighted));
    QCOMPARE(tieWeighted.top10TargetCount, std::size_t { 2 });
    QVERIFY2(close(tieWeighted.t10t10, 100), describe(tieWeighted.t10t10, 100));
}

void TestTopStatistics::t64CountsEveryTieAtThe64thScore()
{
    // 100 pairs, targets 0..99: P95 = 94.05, the top 5% are archs 95..99.
    // Scores: archs 0..59 -> 1000 + i (the 60 highest); archs 60..66 and 95..97 tie at 500 (places 61..70);
    // the other 30 (67..94, 98, 99) -> i, below 500. The 64th highest score is 500, so all 70 count, 3 of them top.
    const std::vector<double> targets = ramp(100);
    std::vector<double> scores(100);
    for (int i = 0; i < 100; ++i) {
        if (i < 60)
            scores[i] = 1000 + i;
        else if (i <= 66 || (i >= 95 && i <= 97))
            scores[i] = 500;
        else
            scores[i] = i;
    }
    const CorrelationReport report = correlate(scores, targets, CorrelationOptions {});
    QCOMPARE(report.t64t5, 3.0);
    // The departure counts the tie by the share of its 10 places that fit in 64: 4/10 each.
    const CorrelationReport tieWeighted = correlate(scores, targets, withTopSets(TopSets::TieWeighted));
    QVERIFY2(close(tieWeighted.t64t5, 1.2), describe(tieWeighted.t64t5, 1.2));
}

void TestTopStatistics::t64NeedsMoreThan64Pairs()
{
    // The reference computes T64/T5 only for more than 64 pairs.
    QVERIFY(std::isnan(correlate(ramp(64), ramp(64), CorrelationOptions {}).t64t5));
    // 65 pairs, scores = targets 0..64: P95 = 60.8 (top 61..64); the 64 highest scores are 1..64: 4 hits.
    QCOMPARE(correlate(ramp(65), ramp(65), CorrelationOptions {}).t64t5, 4.0);
    // The departure's own rule: 64 pairs suffice.
    QCOMPARE(correlate(ramp(64), ramp(64), withTopSets(TopSets::TieWeighted)).t64t5, 4.0);
}

void TestTopStatistics::lowerIsBetterTopSets()
{
    // 20 losses 0..19: P10 = 1.9, so M = {0, 1}. Scores: arch 0 -> 100 (the best loss, the best score),
    // arch 1 -> 5, archs 2 and 3 -> 48, archs 4..19 -> 30 - i (26 down to 11).
    std::vector<double> scores(20);
    for (int i = 0; i < 20; ++i)
        scores[i] = i == 0 ? 100 : i == 1 ? 5 : i <= 3 ? 48 : 30 - i;
    CorrelationOptions options;
    options.higherTargetIsBetter = false;
    const CorrelationReport report = correlate(scores, ramp(20), options);
    QCOMPARE(report.top10TargetCount, std::size_t { 2 });
    // Over M the score falls as the loss rises: the sign is kept, negative is good.
    QVERIFY2(close(report.spearmanTop10, -1), describe(report.spearmanTop10, -1));
    QVERIFY2(close(report.kendallTop10, -1), describe(report.kendallTop10, -1));
    QVERIFY(report.spearman < 0 && report.kendall < 0);
    // A maximising read of the same losses picks the worst ones instead: M = {18, 19} (P90 = 17.1).
    const CorrelationReport maximising = correlate(scores, ramp(20), CorrelationOptions {});
    QCOMPARE(maximising.top10TargetCount, std::size_t { 2 });
    QVERIFY2(close(maximising.spearmanTop10, -1), describe(maximising.spearmanTop10, -1)); // 12, 11 vs 18, 19
}

void TestTopStatistics::lowerIsBetterT10Denominator()
{
    // The pairs of lowerIsBetterTopSets. Sorted scores: 5, 11..26, 48, 48, 100.
    // P90(score): h = 17.1 between the two 48s, so 48: {score > 48} = {arch 0}. Numerator: M ∩ that = {arch 0}.
    // P10(score): h = 1.9 between 11 and 12, so 11.9: {score < 11.9} = {arch 1 (5), arch 19 (11)}.
    std::vector<double> scores(20);
    for (int i = 0; i < 20; ++i)
        scores[i] = i == 0 ? 100 : i == 1 ? 5 : i <= 3 ? 48 : 30 - i;
    CorrelationOptions options;
    options.higherTargetIsBetter = false;
    const CorrelationReport reference = correlate(scores, ramp(20), options);
    // NAS-Bench-NLP's maximize=False divides by |{score < P10(score)}| (sic): 1/2.
    QCOMPARE(reference.t10DenominatorCount, std::size_t { 2 });
    QVERIFY2(close(reference.t10t10, 50), describe(reference.t10t10, 50));
    options.t10Denominator = T10Denominator::Consistent;
    const CorrelationReport consistent = correlate(scores, ramp(20), options);
    QCOMPARE(consistent.t10DenominatorCount, std::size_t { 1 });
    QVERIFY2(close(consistent.t10t10, 100), describe(consistent.t10t10, 100));
    // With a higher-is-better target the option changes nothing: both divide by |{score > P90(score)}|.
    CorrelationOptions maximising;
    maximising.t10Denominator = T10Denominator::Consistent;
    QCOMPARE(correlate(scores, ramp(20), maximising).t10t10, correlate(scores, ramp(20), CorrelationOptions {}).t10t10);
}

void TestTopStatistics::lowerIsBetterT64KeepsHighestScores()
{
    // 100 losses 0..99: P5 = 4.95, the top 5% are archs 0..4. Scores -i, except arch 0 -> -1000.
    // The 64 highest scores are archs 1..64, of which 1..4 are top by loss: 4 (the 64 lowest scores would give 1).
    std::vector<double> scores = ramp(100, -1);
    scores[0] = -1000;
    CorrelationOptions options;
    options.higherTargetIsBetter = false;
    const CorrelationReport report = correlate(scores, ramp(100), options);
    QCOMPARE(report.t64t5, 4.0);
    QVERIFY(report.spearman < -0.9);
}

void TestTopStatistics::scoreRules_data()
{
    QTest::addColumn<int>("rule");
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("nan");
    QTest::addColumn<int>("zeroAsNan");
    QTest::addColumn<int>("nonPositive");
    QTest::addColumn<double>("rho");
    // Pairs (score, target): (0,1) (.4,2) (-.1,3) (NaN,4) (.2,5) (.3,6).
    // NB201 keeps the 0 and the -0.1: scores 0 .4 -.1 .2 .3 rank 2 5 1 3 4 against 1 2 3 5 6 (ranks 1..5):
    // d = 1 3 -2 -1 -1, sum d^2 = 16, rho = 1 - 6*16/120 = 0.2.
    QTest::newRow("nb201") << int(ScoreRule::NanOut) << 5 << 1 << 0 << 0 << 0.2;
    // NB101 drops score <= 0: (.4,2) (.2,5) (.3,6), score ranks 3 1 2: d = 2 -1 -1, rho = 1 - 36/24 = -0.5.
    QTest::newRow("nb101") << int(ScoreRule::NonPositiveOut) << 3 << 1 << 0 << 2 << -0.5;
    // NLP turns the 0 into NaN: (.4,2) (-.1,3) (.2,5) (.3,6), score ranks 4 1 2 3: d = 3 -1 -1 -1, rho = 1 - 72/60.
    QTest::newRow("nlp") << int(ScoreRule::ZeroIsNan) << 4 << 2 << 1 << 0 << -0.2;
}

void TestTopStatistics::scoreRules()
{
    QFETCH(int, rule);
    QFETCH(int, n);
    QFETCH(int, nan);
    QFETCH(int, zeroAsNan);
    QFETCH(int, nonPositive);
    QFETCH(double, rho);
    CorrelationOptions options;
    options.scoreRule = static_cast<ScoreRule>(rule);
    const CorrelationReport report = correlate({ 0, 0.4, -0.1, kNaN, 0.2, 0.3 }, { 1, 2, 3, 4, 5, 6 }, options);
    QCOMPARE(report.n, std::size_t(n));
    QCOMPARE(report.nanCount, std::size_t(nan));
    QCOMPARE(report.zeroAsNanCount, std::size_t(zeroAsNan));
    QCOMPARE(report.nonPositiveCount, std::size_t(nonPositive));
    QVERIFY2(close(report.spearman, rho), describe(report.spearman, rho));
}

void TestTopStatistics::nlpZeroFollowsTheNanPolicy()
{
    // Under NLP's rule a 0 is a NaN like any other: ranked worst with the NaN, tied with it. Pairs (score, target):
    // (0,1) (NaN,2) (.5,3) (.7,4): worst ranks 1.5 1.5 3 4 against 1 2 3 4. Deviations -1 -1 .5 1.5 and
    // -1.5 -.5 .5 1.5: Sxy = 4.5, Sxx = 4.5, Syy = 5, rho = sqrt(0.9).
    CorrelationOptions options;
    options.scoreRule = ScoreRule::ZeroIsNan;
    options.policy = NanPolicy::Worst;
    const CorrelationReport report = correlate({ 0, kNaN, 0.5, 0.7 }, { 1, 2, 3, 4 }, options);
    QCOMPARE(report.n, std::size_t { 4 });
    QCOMPARE(report.nanCount, std::size_t { 2 });
    QCOMPARE(report.zeroAsNanCount, std::size_t { 1 });
    QVERIFY2(close(report.spearman, std::sqrt(0.9)), describe(report.spearman, std::sqrt(0.9)));
    // NB101's drop happens whatever the policy: the 0 is gone, the NaN ranked worst.
    options.scoreRule = ScoreRule::NonPositiveOut;
    const CorrelationReport nb101 = correlate({ 0, kNaN, 0.5, 0.7 }, { 1, 2, 3, 4 }, options);
    QCOMPARE(nb101.n, std::size_t { 3 });
    QCOMPARE(nb101.nonPositiveCount, std::size_t { 1 });
    QVERIFY2(close(nb101.spearman, 1), describe(nb101.spearman, 1));
}

void TestTopStatistics::nanPolicyTiesInTheTopSets()
{
    // 100 pairs, targets 0..99, the top 10% 90..99 and top 5% 95..99 (P90 = 89.1, P95 = 94.05).
    // Scores i for archs 0..79, NaN for 80..99: every NaN shares one score beyond all others.
    const std::vector<double> targets = ramp(100);
    std::vector<double> scores(100);
    for (int i = 0; i < 100; ++i)
        scores[i] = i >= 80 ? kNaN : i;

    CorrelationOptions options;
    options.policy = NanPolicy::Best;
    const CorrelationReport best = correlate(scores, targets, options);
    QCOMPARE(best.nanCount, std::size_t { 20 });
    // P90(score) falls on the tie of 20, and "score > P90" is strict: no pair is top-10% by score, T10/T10 is 0/0.
    QCOMPARE(best.t10DenominatorCount, std::size_t { 0 });
    QVERIFY(std::isnan(best.t10t10));
    // The top 10% by target all carry the tied score: no correlation among them.
    QVERIFY(std::isnan(best.spearmanTop10));
    // The 64th highest score is finite (arch 36): the 64 are archs 36..99, holding the top 5% (all NaN).
    QCOMPARE(best.t64t5, 5.0);

    options.policy = NanPolicy::Worst;
    const CorrelationReport worst = correlate(scores, targets, options);
    // Top by score: archs 70..79, none of them top by target; the 64 highest: archs 16..79, none top either.
    QCOMPARE(worst.t10DenominatorCount, std::size_t { 10 });
    QVERIFY2(close(worst.t10t10, 0), describe(worst.t10t10, 0));
    QCOMPARE(worst.t64t5, 0.0);
    // The NLP quirk's denominator looks at the bottom 10% of scores, which is all NaN under Worst: 0/0.
    options.higherTargetIsBetter = false;
    const CorrelationReport worstLoss = correlate(scores, ramp(100, -1), options);
    QCOMPARE(worstLoss.t10DenominatorCount, std::size_t { 0 });
    QVERIFY(std::isnan(worstLoss.t10t10));

    // 70 NaN scores (archs 30..99) ranked best: the 64th highest score is the tie itself, so ">=" takes all 70 in.
    for (int i = 30; i < 80; ++i)
        scores[i] = kNaN;
    options = CorrelationOptions {};
    options.policy = NanPolicy::Best;
    QCOMPARE(correlate(scores, targets, options).t64t5, 5.0);
    options.topSets = TopSets::TieWeighted;
    const double shared = correlate(scores, targets, options).t64t5;
    QVERIFY2(close(shared, 5 * 64.0 / 70), describe(shared, 5 * 64.0 / 70));
}

QTEST_GUILESS_MAIN(TestTopStatistics)
#include "tst_topstatistics.moc"
