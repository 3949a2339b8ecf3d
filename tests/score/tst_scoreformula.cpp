// SPDX-License-Identifier: MIT
#include "score/scoreformula.h"

#include <QtTest>

#include <cmath>
#include <limits>
#include <vector>

using namespace epsinas;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

const WeightPair kWeights { 1e-7, 1.0 };

// Hand-computed values go through a few double operations on both sides: allow the last bits only.
bool close(double actual, double expected)
{
    return std::abs(actual - expected) <= 1e-12 * std::abs(expected);
}

QString describe(const ScoreBreakdown& r)
{
    return QString("score=%1 mae=%2 mean=%3 reason='%4'")
        .arg(r.score, 0, 'g', 17)
        .arg(r.mae, 0, 'g', 17)
        .arg(r.mean, 0, 'g', 17)
        .arg(QString::fromStdString(r.nanReason));
}

} // namespace

class TestScoreFormula : public QObject {
    Q_OBJECT

private slots:
    void handExamples_data();
    void handExamples();
    void tiesAtMinimumAllDropped();
    void nanColumnStillCountsInMean();
    void constantRow_data();
    void constantRow();
    void noSurvivingColumn();
    void infiniteOutput();
    void lengthMismatch();
    void float32VersusFloat64Normalisation();
    void float32RoundingOfNormalisedValues();
    void invariantUnderAffineRescaling();
};

void TestScoreFormula::handExamples_data()
{
    QTest::addColumn<QList<double>>("low");
    QTest::addColumn<QList<double>>("high");
    QTest::addColumn<double>("mae");
    QTest::addColumn<double>("mean");
    QTest::addColumn<int>("droppedLow");
    QTest::addColumn<int>("droppedHigh");

    // ŷlo = [0, .25, .5, 1], ŷhi = [0, .5, .25, 1]; column 0 drops out. MAE = (.25+.25+0)/3, M = 3.5/6 → 2/7.
    QTest::newRow("single minimum") << QList<double> { 0, 1, 2, 4 } << QList<double> { 1, 3, 2, 5 } << 0.5 / 3
                                    << 3.5 / 6 << 1 << 1;
    // ŷlo = [0,0,0,.5,1] (three tied at the minimum), ŷhi = [0,0,.25,.75,1]. MAE over columns 3, 4 = (.25+0)/2;
    // M over the 5 surviving entries (.5, 1, .25, .75, 1) = 3.5/5.
    QTest::newRow("ties at minimum") << QList<double> { 2, 2, 2, 3, 4 } << QList<double> { 5, 5, 6, 8, 9 } << 0.25 / 2
                                     << 3.5 / 5 << 3 << 2;
    // NaN in a raw output: nanmin/nanmax skip it. ŷlo = [NaN,0,.5,1], ŷhi = [.25,0,.25,1]. MAE over columns
    // 2, 3 = (.25+0)/2; M over (.5, 1, .25, .25, 1) = 3/5: column 0 still counts through its high entry.
    QTest::newRow("nan input") << QList<double> { kNaN, 0, 1, 2 } << QList<double> { 1, 0, 1, 4 } << 0.25 / 2 << 3.0 / 5
                               << 1 << 1;
    // Negative outputs are ordinary: ŷlo = [1, 0, .5], ŷhi = [0, .5, 1]. MAE over column 2 = .5; M = (1+.5+.5+1)/4.
    QTest::newRow("negative outputs") << QList<double> { -1, -3, -2 } << QList<double> { -8, -6, -4 } << 0.5 << 3.0 / 4
                                      << 1 << 1;
}

void TestScoreFormula::handExamples()
{
    QFETCH(QList<double>, low);
    QFETCH(QList<double>, high);
    QFETCH(double, mae);
    QFETCH(double, mean);
    QFETCH(int, droppedLow);
    QFETCH(int, droppedHigh);
    for (Precision precision : { Precision::Float32, Precision::Float64 }) {
        const ScoreBreakdown r = computeScore(std::vector<double>(low.begin(), low.end()),
            std::vector<double>(high.begin(), high.end()), kWeights, precision);
        QVERIFY2(r.nanReason.empty(), qPrintable(describe(r)));
        QVERIFY2(close(r.mae, mae), qPrintable(describe(r)));
        QVERIFY2(close(r.mean, mean), qPrintable(describe(r)));
        QVERIFY2(close(r.score, mae / mean), qPrintable(describe(r)));
        QCOMPARE(r.droppedLow, droppedLow);
        QCOMPARE(r.droppedHigh, droppedHigh);
        QCOMPARE(int(r.normalizedLow.size()), int(low.size()));
        QCOMPARE(int(r.normalizedHigh.size()), int(high.size()));
    }
}

void TestScoreFormula::tiesAtMinimumAllDropped()
{
    // Every sample tied at the row minimum becomes NaN, not just one of them.
    const ScoreBreakdown r = computeScore({ 2, 2, 2, 3, 4 }, { 5, 5, 6, 8, 9 }, kWeights, Precision::Float32);
    for (int i = 0; i < 3; ++i)
        QVERIFY(std::isnan(r.normalizedLow[i]));
    QCOMPARE(r.normalizedLow[3], 0.5);
    QCOMPARE(r.normalizedLow[4], 1.0);
    QVERIFY(std::isnan(r.normalizedHigh[0]));
    QVERIFY(std::isnan(r.normalizedHigh[1]));
    QCOMPARE(r.normalizedHigh[2], 0.25);
    QVERIFY2(close(r.score, (0.25 / 2) / (3.5 / 5)), qPrintable(describe(r))); // 0.178571...
}

void TestScoreFormula::nanColumnStillCountsInMean()
{
    // Column 0 is NaN in the low row only (raw NaN), column 1 in both (the minima). The MAE uses columns 2 and 3;
    // the mean pools every non-NaN entry of both rows, so ŷhi[0] = .25 counts there.
    const ScoreBreakdown r = computeScore({ kNaN, 0, 1, 2 }, { 1, 0, 1, 4 }, kWeights, Precision::Float32);
    QVERIFY(std::isnan(r.normalizedLow[0]));
    QCOMPARE(r.normalizedHigh[0], 0.25);
    QVERIFY2(close(r.mae, 0.125), qPrintable(describe(r)));
    QVERIFY2(close(r.mean, 0.6), qPrintable(describe(r)));
    QVERIFY2(close(r.score, 0.125 / 0.6), qPrintable(describe(r)));
    // Had the column been dropped from the mean as well, M would be 2.5/4 and the score 0.2.
    QVERIFY(!close(r.score, 0.125 / (2.5 / 4)));
}

void TestScoreFormula::constantRow_data()
{
    QTest::addColumn<QList<double>>("low");
    QTest::addColumn<QList<double>>("high");
    QTest::addColumn<QStringList>("mentions");
    QTest::newRow("low underflow to 0") << QList<double> { 0, 0, 0, 0 } << QList<double> { 1, 2, 3, 4 }
                                        << QStringList { "all outputs equal", "1e-07", "underflow" };
    QTest::newRow("low constant nonzero")
        << QList<double> { 3, 3, 3, 3 } << QList<double> { 1, 2, 3, 4 } << QStringList { "all outputs equal" };
    QTest::newRow("high constant") << QList<double> { 1, 2, 3, 4 } << QList<double> { 7, 7, 7, 7 }
                                   << QStringList { "all outputs equal", "w=1" };
    QTest::newRow("both constant") << QList<double> { 0, 0, 0 } << QList<double> { 0, 0, 0 }
                                   << QStringList { "all outputs equal" };
    // Two values that are equal once rounded to float32 make a constant row in the reference precision.
    QTest::newRow("equal in float32") << QList<double> { 1.0, 1.0 + 1e-9, 1.0 } << QList<double> { 1, 2, 3 }
                                      << QStringList { "all outputs equal" };
}

void TestScoreFormula::constantRow()
{
    QFETCH(QList<double>, low);
    QFETCH(QList<double>, high);
    QFETCH(QStringList, mentions);
    const ScoreBreakdown r = computeScore(std::vector<double>(low.begin(), low.end()),
        std::vector<double>(high.begin(), high.end()), kWeights, Precision::Float32);
    QVERIFY2(std::isnan(r.score), qPrintable(describe(r)));
    const QString reason = QString::fromStdString(r.nanReason);
    for (const QString& part : mentions)
        QVERIFY2(reason.contains(part), qPrintable("'" + part + "' missing from: " + reason));
}

void TestScoreFormula::noSurvivingColumn()
{
    // ŷlo = [0,0,1] → [NaN,NaN,1]; ŷhi = [0,1,0] → [NaN,1,NaN]: no column survives in both rows, MAE = nanmean([])
    // is NaN and so is the score.
    const ScoreBreakdown r = computeScore({ 5, 5, 6 }, { 0, 1, 0 }, kWeights, Precision::Float32);
    QVERIFY2(std::isnan(r.score), qPrintable(describe(r)));
    QVERIFY(!r.nanReason.empty());
}

void TestScoreFormula::infiniteOutput()
{
    // numpy: (y - min)/(inf - min) is 0 or NaN everywhere, so the score is NaN.
    const double inf = std::numeric_limits<double>::infinity();
    const ScoreBreakdown r = computeScore({ 0, 1, inf }, { 1, 2, 3 }, kWeights, Precision::Float32);
    QVERIFY2(std::isnan(r.score), qPrintable(describe(r)));
    QVERIFY2(QString::fromStdString(r.nanReason).contains("inf"), qPrintable(describe(r)));
}

void TestScoreFormula::lengthMismatch()
{
    const ScoreBreakdown r = computeScore({ 0, 1, 2 }, { 0, 1 }, kWeights, Precision::Float32);
    QVERIFY2(std::isnan(r.score), qPrintable(describe(r)));
    QVERIFY(!r.nanReason.empty());
}

void TestScoreFormula::float32VersusFloat64Normalisation()
{
    // 1 + 1e-9 rounds to 1 in float32, so in fp32 samples 0 and 1 tie at the minimum and both drop out:
    //   ŷlo = [N, N, 1], ŷhi = [N, 1, .5] → MAE = |1 - .5| = .5 over column 2; M = (1 + 1 + .5)/3 → 0.6.
    // In fp64 sample 1 survives with ŷlo = 1e-9 (as double arithmetic gives it):
    //   MAE = (|d - 1| + .5)/2, M = (d + 1 + 1 + .5)/4 → about 1.2.
    const std::vector<double> low { 1.0, 1.0 + 1e-9, 2.0 };
    const std::vector<double> high { 0, 2, 1 };

    const ScoreBreakdown single = computeScore(low, high, kWeights, Precision::Float32);
    QCOMPARE(single.droppedLow, 2);
    QVERIFY2(close(single.mae, 0.5), qPrintable(describe(single)));
    QVERIFY2(close(single.mean, 2.5 / 3), qPrintable(describe(single)));
    QVERIFY2(close(single.score, 0.6), qPrintable(describe(single)));

    const double d = ((1.0 + 1e-9) - 1.0) / (2.0 - 1.0);
    const ScoreBreakdown full = computeScore(low, high, kWeights, Precision::Float64);
    QCOMPARE(full.droppedLow, 1);
    QCOMPARE(full.normalizedLow[1], d);
    const double mae = (std::abs(d - 1.0) + 0.5) / 2, mean = (d + 1 + 1 + 0.5) / 4;
    QVERIFY2(close(full.mae, mae), qPrintable(describe(full)));
    QVERIFY2(close(full.mean, mean), qPrintable(describe(full)));
    QVERIFY2(close(full.score, mae / mean), qPrintable(describe(full)));
}

void TestScoreFormula::float32RoundingOfNormalisedValues()
{
    // numpy normalises the float32 outputs in float32: (1 - 0) / 3 is 1.0f/3.0f, not 1/3.
    const ScoreBreakdown single = computeScore({ 0, 1, 3 }, { 0, 2, 3 }, kWeights, Precision::Float32);
    QCOMPARE(single.normalizedLow[1], double(1.0f / 3.0f));
    QCOMPARE(single.normalizedHigh[1], double(2.0f / 3.0f));
    const ScoreBreakdown full = computeScore({ 0, 1, 3 }, { 0, 2, 3 }, kWeights, Precision::Float64);
    QCOMPARE(full.normalizedLow[1], 1.0 / 3.0);
    QCOMPARE(full.normalizedHigh[1], 2.0 / 3.0);
    QVERIFY(single.normalizedLow[1] != full.normalizedLow[1]);
    // MAE = |1/3 - 2/3| over column 1 (column 2 is 1 in both); M = (1/3 + 1 + 2/3 + 1)/4.
    QVERIFY2(close(full.score, ((1.0 / 3.0) / 2) / (3.0 / 4)), qPrintable(describe(full)));
    const double a = double(1.0f / 3.0f), b = double(2.0f / 3.0f);
    QVERIFY2(close(single.score, (std::abs(a - b) / 2) / ((a + 1 + b + 1) / 4)), qPrintable(describe(single)));
}

void TestScoreFormula::invariantUnderAffineRescaling()
{
    // Min-max normalisation removes any positive scale and shift of a row (powers of two keep it exact).
    const std::vector<double> low { 0.1, 0.7, 0.3, 0.9, 0.2, 0.2 };
    const std::vector<double> high { 3, 1, 4, 1, 5, 9 };
    std::vector<double> lowScaled, highScaled;
    for (double v : low)
        lowScaled.push_back(v * 0x1p-80);
    for (double v : high)
        highScaled.push_back(v * 8 + 16);
    const ScoreBreakdown a = computeScore(low, high, kWeights, Precision::Float64);
    const ScoreBreakdown b = computeScore(lowScaled, highScaled, kWeights, Precision::Float64);
    QVERIFY(std::isfinite(a.score));
    QVERIFY2(close(b.score, a.score), qPrintable(describe(a) + " vs " + describe(b)));
}

QTEST_GUILESS_MAIN(TestScoreFormula)
#include "tst_scoreformula.moc"
