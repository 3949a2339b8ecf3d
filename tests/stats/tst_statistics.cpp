// SPDX-License-Identifier: MIT
#include "stats/statistics.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

using namespace epsinas;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<double> toStd(const QList<double>& values)
{
    return { values.begin(), values.end() };
}

bool close(double actual, double expected, double tolerance = 1e-12)
{
    if (std::isnan(expected))
        return std::isnan(actual);
    return std::abs(actual - expected) <= tolerance;
}

QByteArray describe(double actual, double expected)
{
    return QByteArray("actual ") + QByteArray::number(actual, 'g', 17) + ", expected "
        + QByteArray::number(expected, 'g', 17);
}

// Kendall's tau-b straight from its definition, over all n(n-1)/2 pairs.
double naiveKendall(const std::vector<double>& x, const std::vector<double>& y)
{
    long long concordant = 0, discordant = 0, onlyX = 0, onlyY = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        for (std::size_t j = i + 1; j < x.size(); ++j) {
            const int dx = (x[i] > x[j]) - (x[i] < x[j]);
            const int dy = (y[i] > y[j]) - (y[i] < y[j]);
            if (dx == 0 && dy == 0)
                continue;
            if (dx == 0)
                ++onlyX;
            else if (dy == 0)
                ++onlyY;
            else if (dx == dy)
                ++concordant;
            else
                ++discordant;
        }
    }
    const double pairsX = static_cast<double>(concordant + discordant + onlyY); // pairs not tied in x
    const double pairsY = static_cast<double>(concordant + discordant + onlyX); // pairs not tied in y
    return static_cast<double>(concordant - discordant) / std::sqrt(pairsX * pairsY);
}

// Average rank by counting: rank = 1 + #smaller + (#equal others) / 2.
std::vector<double> naiveRanks(const std::vector<double>& v)
{
    std::vector<double> ranks(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
        double smaller = 0, equal = 0;
        for (std::size_t j = 0; j < v.size(); ++j) {
            smaller += v[j] < v[i] ? 1 : 0;
            equal += (j != i && v[j] == v[i]) ? 1 : 0;
        }
        ranks[i] = 1 + smaller + equal / 2;
    }
    return ranks;
}

double naiveSpearman(const std::vector<double>& x, const std::vector<double>& y)
{
    const std::vector<double> rx = naiveRanks(x), ry = naiveRanks(y);
    const double mean = (static_cast<double>(x.size()) + 1) / 2; // ranks 1..n always average (n+1)/2
    double sxy = 0, sxx = 0, syy = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        sxy += (rx[i] - mean) * (ry[i] - mean);
        sxx += (rx[i] - mean) * (rx[i] - mean);
        syy += (ry[i] - mean) * (ry[i] - mean);
    }
    return sxy / std::sqrt(sxx * syy);
}

} // namespace

class TestStatistics : public QObject {
    Q_OBJECT

private slots:
    void nanPolicyNames_data();
    void nanPolicyNames();
    void unknownNanPolicy();
    void correlations_data();
    void correlations();
    void sizeMismatchThrows();
    void fastKendallMatchesNaive_data();
    void fastKendallMatchesNaive();
    void nanPolicies_data();
    void nanPolicies();
    void nanTargetsAreDropped();
    void topStatistics_data();
    void topStatistics();
    void tiedScoresShareTheCut();
    void tooFewPairs();
};

void TestStatistics::nanPolicyNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("policy");
    QTest::newRow("exclude") << "exclude" << static_cast<int>(NanPolicy::Exclude);
    QTest::newRow("worst") << "worst" << static_cast<int>(NanPolicy::Worst);
    QTest::newRow("best") << "best" << static_cast<int>(NanPolicy::Best);
}

void TestStatistics::nanPolicyNames()
{
    QFETCH(QString, name);
    QFETCH(int, policy);
    QCOMPARE(static_cast<int>(parseNanPolicy(name.toStdString())), policy);
    QCOMPARE(QString::fromStdString(toString(static_cast<NanPolicy>(policy))), name);
}

void TestStatistics::unknownNanPolicy()
{
    try {
        parseNanPolicy("drop");
        QFAIL("no exception for an unknown policy");
    } catch (const std::invalid_argument& error) {
        const QString what = QString::fromUtf8(error.what());
        QVERIFY2(what.contains("'drop'") && what.contains("exclude") && what.contains("worst") && what.contains("best"),
            error.what());
    }
}

void TestStatistics::correlations_data()
{
    QTest::addColumn<QList<double>>("x");
    QTest::addColumn<QList<double>>("y");
    QTest::addColumn<double>("rho");
    QTest::addColumn<double>("tau");

    QTest::newRow("perfect") << QList<double> { 1, 2, 3, 4, 5 } << QList<double> { 2, 4, 6, 8, 10 } << 1.0 << 1.0;
    QTest::newRow("monotone, not linear")
        << QList<double> { 1, 2, 3, 4, 5 } << QList<double> { 1, 10, 100, 1000, 1e6 } << 1.0 << 1.0;
    QTest::newRow("inverse") << QList<double> { 1, 2, 3, 4, 5 } << QList<double> { 5, 4, 3, 2, 1 } << -1.0 << -1.0;
    QTest::newRow("infinities are extreme values")
        << QList<double> { -qInf(), 0, qInf() } << QList<double> { 1, 2, 3 } << 1.0 << 1.0;

    // x = 1 2 2 3, y = 1 3 2 4. Ranks x 1 2.5 2.5 4, ranks y 1 3 2 4, both mean 2.5.
    // Deviations x -1.5 0 0 1.5, y -1.5 .5 -.5 1.5: Sxy = 4.5, Sxx = 4.5, Syy = 5, rho = 4.5/sqrt(22.5) = sqrt(0.9).
    // Pairs: 5 concordant, 0 discordant, 1 tied in x (2,2) only; tau-b = 5 / sqrt((6-1)(6-0)) = 5/sqrt(30).
    QTest::newRow("ties in x") << QList<double> { 1, 2, 2, 3 } << QList<double> { 1, 3, 2, 4 } << std::sqrt(0.9)
                               << 5 / std::sqrt(30.0);
    QTest::newRow("ties in y") << QList<double> { 1, 3, 2, 4 } << QList<double> { 1, 2, 2, 3 } << std::sqrt(0.9)
                               << 5 / std::sqrt(30.0);

    // x = 1 1 2 2 3, y = 1 1 2 3 2. Ranks x 1.5 1.5 3.5 3.5 5, ranks y 1.5 1.5 3.5 5 3.5, mean 3.
    // Deviations x -1.5 -1.5 .5 .5 2, y -1.5 -1.5 .5 2 .5: Sxy = 2.25+2.25+.25+1+1 = 6.75, Sxx = Syy = 9, rho = .75.
    // Of the 10 pairs: (1,2) tied in both, (3,4) tied in x only, (3,5) tied in y only, (4,5) discordant, 6 concordant.
    // Ties in x = 2, ties in y = 2: tau-b = (6-1) / sqrt((10-2)(10-2)) = 5/8.
    QTest::newRow("joint ties") << QList<double> { 1, 1, 2, 2, 3 } << QList<double> { 1, 1, 2, 3, 2 } << 0.75 << 0.625;

    QTest::newRow("constant x") << QList<double> { 2, 2, 2 } << QList<double> { 1, 2, 3 } << kNaN << kNaN;
    QTest::newRow("constant y") << QList<double> { 1, 2, 3 } << QList<double> { 7, 7, 7 } << kNaN << kNaN;
    QTest::newRow("one pair") << QList<double> { 1 } << QList<double> { 1 } << kNaN << kNaN;
    QTest::newRow("empty") << QList<double> {} << QList<double> {} << kNaN << kNaN;
    QTest::newRow("NaN inside") << QList<double> { 1, kNaN, 3 } << QList<double> { 1, 2, 3 } << kNaN << kNaN;
}

void TestStatistics::correlations()
{
    QFETCH(QList<double>, x);
    QFETCH(QList<double>, y);
    QFETCH(double, rho);
    QFETCH(double, tau);
    const double actualRho = spearman(toStd(x), toStd(y));
    const double actualTau = kendallTauB(toStd(x), toStd(y));
    QVERIFY2(close(actualRho, rho), describe(actualRho, rho));
    QVERIFY2(close(actualTau, tau), describe(actualTau, tau));
}

void TestStatistics::sizeMismatchThrows()
{
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, spearman({ 1, 2, 3 }, { 1, 2 }));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, kendallTauB({ 1, 2, 3 }, { 1, 2 }));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, correlate({ 1, 2, 3 }, { 1, 2 }, NanPolicy::Exclude));
}

void TestStatistics::fastKendallMatchesNaive_data()
{
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("distinctX"); // 0: continuous values
    QTest::addColumn<int>("distinctY");
    QTest::addColumn<unsigned>("seed");
    QTest::newRow("continuous") << 3000 << 0 << 0 << 1u;
    QTest::newRow("many ties") << 3000 << 40 << 25 << 2u;
    QTest::newRow("heavy ties, binary y") << 2500 << 5 << 2 << 3u;
    QTest::newRow("ties in x only") << 2000 << 30 << 0 << 4u;
    QTest::newRow("small") << 7 << 3 << 3 << 5u;
}

void TestStatistics::fastKendallMatchesNaive()
{
    QFETCH(int, n);
    QFETCH(int, distinctX);
    QFETCH(int, distinctY);
    QFETCH(unsigned, seed);
    std::mt19937 random(seed);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    std::vector<double> x(n), y(n);
    for (int i = 0; i < n; ++i) {
        x[i] = distinctX > 0 ? std::floor(uniform(random) * distinctX) : uniform(random);
        // y is x plus as much noise: tau-b about 0.5, far from both 0 and 1.
        const double mixed = (x[i] / std::max(distinctX, 1) + uniform(random)) / 2;
        y[i] = distinctY > 0 ? std::floor(mixed * distinctY) : mixed;
    }
    const double fast = kendallTauB(x, y);
    const double naive = naiveKendall(x, y);
    QVERIFY2(close(fast, naive, 1e-12), describe(fast, naive));
    const double rho = spearman(x, y);
    const double naiveRho = naiveSpearman(x, y);
    QVERIFY2(close(rho, naiveRho, 1e-10), describe(rho, naiveRho));
}

void TestStatistics::nanPolicies_data()
{
    QTest::addColumn<int>("policy");
    QTest::addColumn<int>("n");
    QTest::addColumn<double>("rho");
    QTest::addColumn<double>("tau");

    // Pairs (score, target): (.1,1) (NaN,2) (.3,3) (.5,4) (NaN,5) (.2,NaN); the last one is always dropped.
    // Exclude keeps (.1,1) (.3,3) (.5,4): perfectly ordered.
    QTest::newRow("exclude") << static_cast<int>(NanPolicy::Exclude) << 3 << 1.0 << 1.0;
    // Worst: score ranks 3 1.5 4 5 1.5 against 1..5. Deviations 0 -1.5 1 2 -1.5 and -2 -1 0 1 2:
    // Sxy = 1.5 + 2 - 3 = .5, Sxx = 9.5, Syy = 10, rho = .5/sqrt(95).
    // Pairs: 5 concordant, 4 discordant, 1 tied in score (the two NaNs): tau-b = 1/sqrt(9*10).
    QTest::newRow("worst") << static_cast<int>(NanPolicy::Worst) << 5 << 0.5 / std::sqrt(95.0) << 1 / std::sqrt(90.0);
    // Best: score ranks 1 4.5 2 3 4.5. Deviations -2 1.5 -1 0 1.5: Sxy = 4 - 1.5 + 3 = 5.5, rho = 5.5/sqrt(95).
    // Pairs: 7 concordant, 2 discordant, 1 tied: tau-b = 5/sqrt(90).
    QTest::newRow("best") << static_cast<int>(NanPolicy::Best) << 5 << 5.5 / std::sqrt(95.0) << 5 / std::sqrt(90.0);
}

void TestStatistics::nanPolicies()
{
    QFETCH(int, policy);
    QFETCH(int, n);
    QFETCH(double, rho);
    QFETCH(double, tau);
    const std::vector<double> scores { 0.1, kNaN, 0.3, 0.5, kNaN, 0.2 };
    const std::vector<double> targets { 1, 2, 3, 4, 5, kNaN };
    const CorrelationReport report = correlate(scores, targets, static_cast<NanPolicy>(policy));
    QCOMPARE(report.n, static_cast<std::size_t>(n));
    QCOMPARE(report.nanCount, std::size_t { 2 });
    QCOMPARE(static_cast<int>(report.options.policy), policy);
    QVERIFY2(close(report.spearman, rho), describe(report.spearman, rho));
    QVERIFY2(close(report.kendall, tau), describe(report.kendall, tau));
}

void TestStatistics::nanTargetsAreDropped()
{
    // A NaN target drops its pair before the policy sees it, NaN score or not.
    const CorrelationReport report
        = correlate({ kNaN, 1, 2, kNaN }, { kNaN, 10, 20, 30 }, NanPolicy::Worst, /*higherTargetIsBetter=*/true);
    QCOMPARE(report.n, std::size_t { 3 });
    QCOMPARE(report.nanCount, std::size_t { 1 });
    QVERIFY2(close(report.spearman, -0.5), describe(report.spearman, -0.5)); // ranks 2 3 1 against 1 2 3
}

void TestStatistics::topStatistics_data()
{
    QTest::addColumn<bool>("higherTargetIsBetter");
    QTest::addColumn<double>("sign");
    QTest::newRow("accuracy (higher is better)") << true << 1.0;
    QTest::newRow("loss (lower is better)") << false << -1.0;
}

void TestStatistics::topStatistics()
{
    QFETCH(bool, higherTargetIsBetter);
    QFETCH(double, sign);
    // 100 archs, target i (negated for a loss, so the same archs are best). Top 10% by target: 90..99 (target above
    // P90 = 89.1, or below P10 = -89.1 for the loss); top 5%: 95..99 (P95 = 94.05).
    // Scores: i, except 87..89 -> 2000 + i, 90..96 -> 1000 + i, 97..99 -> .5, 1.5, 2.5.
    std::vector<double> scores(100), targets(100);
    for (int i = 0; i < 100; ++i) {
        targets[i] = sign * i;
        scores[i] = i;
        if (i >= 87 && i <= 89)
            scores[i] = 2000 + i;
        else if (i >= 90 && i <= 96)
            scores[i] = 1000 + i;
        else if (i >= 97)
            scores[i] = i - 96.5;
    }
    const CorrelationReport report = correlate(scores, targets, NanPolicy::Exclude, higherTargetIsBetter);
    QCOMPARE(report.n, std::size_t { 100 });
    // Within 90..99, score ranks 4..10 for 90..96 and 1..3 for 97..99 against target ranks 1..10:
    // d = 3 (7 times) and -7 (3 times), sum d^2 = 63 + 147 = 210, rho = 1 - 6*210/(10*99) = -3/11.
    // 21 + 3 concordant pairs inside the two groups, 7*3 = 21 discordant across them: tau = 3/45 = 1/15.
    QVERIFY2(close(report.spearmanTop10, sign * -3.0 / 11), describe(report.spearmanTop10, sign * -3.0 / 11));
    QVERIFY2(close(report.kendallTop10, sign / 15), describe(report.kendallTop10, sign / 15));
    // Top 10% by score (above P90 = 86 + 0.1 * (1090 - 86)): 87..89 and 90..96, of which 90..96 are top by target:
    // 70%. For the loss the reference divides by |{score < P10(score) = 6.9}| = 10 as well (sic, docs/statistics.md).
    QVERIFY2(close(report.t10t10, 70), describe(report.t10t10, 70));
    // 64 best scores: 87..96 and then 33..86; of the top 5% by target (95..99) only 95 and 96 are among them.
    QVERIFY2(close(report.t64t5, 2), describe(report.t64t5, 2));
    QVERIFY(report.spearman * sign > 0.5);
}

void TestStatistics::tiedScoresShareTheCut()
{
    // The tie-weighted departure: equal scores could each be "the best", so each counts by the share of the tie
    // that fits the cut.
    std::vector<double> targets(100);
    for (int i = 0; i < 100; ++i)
        targets[i] = i;
    CorrelationOptions options;
    options.topSets = TopSets::TieWeighted;
    const std::vector<double> constant(100, 1.0);
    const CorrelationReport flat = correlate(constant, targets, options);
    QVERIFY(std::isnan(flat.spearman));
    QVERIFY2(close(flat.t10t10, 10), describe(flat.t10t10, 10)); // 10 top archs at weight 10/100, over 10
    QVERIFY2(close(flat.t64t5, 3.2), describe(flat.t64t5, 3.2)); // 5 top archs at weight 64/100

    // Best policy, 20 NaN scores among them the 5 best targets: the 20 tie for the first 20 places.
    std::vector<double> scores(100);
    for (int i = 0; i < 100; ++i)
        scores[i] = i >= 80 ? kNaN : i;
    options.policy = NanPolicy::Best;
    const CorrelationReport best = correlate(scores, targets, options);
    QCOMPARE(best.nanCount, std::size_t { 20 });
    // Top 10 by score: a random half of the 20 NaN archs 80..99, 10 of which (90..99) are top by target: 5 of 10.
    QVERIFY2(close(best.t10t10, 50), describe(best.t10t10, 50));
    // The 64 best scores hold all 20 NaN archs (including 95..99) and 44 finite ones.
    QVERIFY2(close(best.t64t5, 5), describe(best.t64t5, 5));
    options.policy = NanPolicy::Worst;
    const CorrelationReport worst = correlate(scores, targets, options);
    QVERIFY2(close(worst.t10t10, 0), describe(worst.t10t10, 0));
    QVERIFY2(close(worst.t64t5, 0), describe(worst.t64t5, 0));
}

void TestStatistics::tooFewPairs()
{
    std::vector<double> values(63);
    for (int i = 0; i < 63; ++i)
        values[i] = i;
    const CorrelationReport report = correlate(values, values, NanPolicy::Exclude);
    QCOMPARE(report.n, std::size_t { 63 });
    QVERIFY(std::isnan(report.t64t5));
    QVERIFY2(close(report.t10t10, 100), describe(report.t10t10, 100));

    const CorrelationReport empty = correlate({ kNaN, 1 }, { 1, kNaN }, NanPolicy::Exclude);
    QCOMPARE(empty.n, std::size_t { 0 });
    QCOMPARE(empty.nanCount, std::size_t { 1 });
    QVERIFY(std::isnan(empty.spearman) && std::isnan(empty.kendall) && std::isnan(empty.spearmanTop10)
        && std::isnan(empty.kendallTop10) && std::isnan(empty.t10t10) && std::isnan(empty.t64t5));
}

QTEST_GUILESS_MAIN(TestStatistics)
#include "tst_statistics.moc"
