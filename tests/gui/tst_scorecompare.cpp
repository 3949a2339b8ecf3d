// SPDX-License-Identifier: MIT
// The score panel's comparison with a pinned architecture: the outlines in the histograms, the compare line and
// that pinning moves nothing.
#include "scorepanel.h"

#include "score/scoreformula.h"
#include "spaces/nb201/space.h"

#include <QDir>
#include <QLabel>
#include <QTest>

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

using epsinas::Precision;
using epsinas::WeightPair;
using epsinas::gui::ScorePanel;
using epsinas::gui::ScoreResult;
using epsinas::gui::ScoringConfig;
namespace nb201 = epsinas::nb201;

namespace {
// Samples per batch: enough for distinct outputs, small enough to keep the test fast on two cores.
constexpr int kBatch = 64;
// The panel's size in the explorer's score dock at 1366×768.
const QSize kPanelSize(560, 570);
// The histograms in the panel's order, as pinnedBars() and the plot's axis rects number them.
enum HistogramIndex { kRawLow = 0, kRawHigh = 1, kNormalised = 2, kDelta = 3 };

// The ResNet-like cell: a skip connection gives a conv-free path, so it has a score.
const char* const kResNet = "|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|none~2|";
// Every edge a skip connection: a score near 5e-5, nothing distinguishes the samples (issue 14's preset).
const char* const kAllSkip
    = "|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|";
// Every edge a 3×3 convolution: every path goes through one, NaN (underflow at w_lo, algorithm §1.6).
const char* const kAllConv
    = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|";
// No path from input to output: every output 0 at both weights, NaN.
const char* const kNoPath = "|nor_conv_3x3~0|+|skip_connect~0|nor_conv_1x1~1|+|none~0|none~1|none~2|";

/** `cell` scored by the real NB201 evaluator on its default input, both output rows kept, as the explorer does. */
ScoreResult scoreOf(const char* cell)
{
    ScoringConfig config;
    config.space = &nb201::space();
    config.input.batch = kBatch;
    config.options.weights = nb201::space().defaultWeights();
    ScoreResult result;
    result.arch = nb201::toArch(nb201::Cell::parse(cell));
    result.score = nb201::space().makeEvaluator(config.loadInput(), config.options)->score({ result.arch }).front();
    result.milliseconds = 12;
    result.device = QStringLiteral("CPU");
    return result;
}

/** The scored results, each computed once: the evaluator is the slow part of every test here. */
const ScoreResult& scored(const char* cell)
{
    static QHash<QString, ScoreResult> cache;
    const QString key = QString::fromLatin1(cell);
    if (!cache.contains(key))
        cache.insert(key, scoreOf(cell));
    return cache[key];
}

WeightPair weights()
{
    return nb201::space().defaultWeights();
}

void show(ScorePanel& panel, const ScoreResult& result)
{
    panel.showResult(result, weights(), Precision::Float32);
}

void pin(ScorePanel& panel, const ScoreResult& result)
{
    panel.pin(result, weights(), Precision::Float32);
}

QCPBars* currentBars(const ScorePanel& panel, const char* name)
{
    return panel.plot()->findChild<QCPBars*>(QString::fromLatin1(name));
}

double total(const QCPBars* bars)
{
    double sum = 0;
    for (const QCPBarsData& bar : *bars->data())
        sum += bar.value;
    return sum;
}

QVector<double> keys(const QCPBars* bars)
{
    QVector<double> all;
    for (const QCPBarsData& bar : *bars->data())
        all.push_back(bar.key);
    return all;
}

/** log10|y| of the non-zero outputs: what the raw histograms count by default. */
std::vector<double> logMagnitudes(const std::vector<double>& outputs)
{
    std::vector<double> kept;
    for (double value : outputs) {
        if (value != 0 && std::isfinite(value))
            kept.push_back(std::log10(std::abs(value)));
    }
    return kept;
}

int finiteCount(const std::vector<double>& values)
{
    return int(std::count_if(values.begin(), values.end(), [](double v) { return std::isfinite(v); }));
}

/** How many samples |Δ| has: those left in both normalised rows. */
int deltaCount(const epsinas::ScoreBreakdown& breakdown)
{
    int samples = 0;
    for (std::size_t i = 0; i < breakdown.normalizedLow.size() && i < breakdown.normalizedHigh.size(); ++i)
        samples += std::isfinite(breakdown.normalizedLow[i]) && std::isfinite(breakdown.normalizedHigh[i]);
    return samples;
}

/** `values` counted into the bins that `bars` has (its keys ± half its width; the last bin takes the top edge). */
QVector<double> recount(const QCPBars* bars, const std::vector<double>& values)
{
    const QVector<double> centres = keys(bars);
    QVector<double> counts(centres.size(), 0);
    const double lowEdge = centres.front() - bars->width() / 2;
    for (double value : values) {
        const int bin = std::clamp(int(std::floor((value - lowEdge) / bars->width())), 0, int(centres.size()) - 1);
        counts[bin] += 1;
    }
    return counts;
}

QVector<double> counts(const QCPBars* bars)
{
    QVector<double> all;
    for (const QCPBarsData& bar : *bars->data())
        all.push_back(bar.value);
    return all;
}

/** The numbers as the panel prints them: four significant digits. */
QString number(double value)
{
    return QString::number(value, 'g', 4);
}

QString signedNumber(double value)
{
    return (value > 0 ? QStringLiteral("+") : QString()) + number(value);
}

QString signedPercent(double percent)
{
    const QString digits
        = std::abs(percent) >= 10 ? QString::number(percent, 'f', 0) : QString::number(percent, 'g', 2);
    return (percent > 0 ? QStringLiteral("+") : QString()) + digits;
}

QStringList pinnedNotes(const ScorePanel& panel)
{
    QStringList notes;
    for (int i = 0; i < panel.plot()->itemCount(); ++i) {
        if (auto* text = qobject_cast<QCPItemText*>(panel.plot()->item(i)); text && text->text().contains("pinned"))
            notes << text->text();
    }
    return notes;
}
} // namespace

class TestScoreCompare : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void rawOverlayHoldsThePinnedOutputs_data();
    void rawOverlayHoldsThePinnedOutputs();
    void normalisedAndDeltaOverlays();
    void linearScaleCountsTheZeros();
    void compareLine_data();
    void compareLine();
    void nanWording_data();
    void nanWording();
    void pinnedZeroHasNoPercentage();
    void otherSettingsAreNamed();
    void notScoredCurrent();
    void unpinClears();
    void pinningMovesNothing();
    void screenshots();
};

void TestScoreCompare::rawOverlayHoldsThePinnedOutputs_data()
{
    QTest::addColumn<QString>("pinnedCell");
    QTest::addColumn<QString>("currentCell");
    QTest::newRow("resnet over all-skip") << kResNet << kAllSkip;
    QTest::newRow("all-skip over resnet") << kAllSkip << kResNet;
    // A NaN pinned score still has raw outputs: w_hi's are outlined, w_lo's are all 0 (nothing on a log scale).
    QTest::newRow("all-conv (NaN) over resnet") << kAllConv << kResNet;
}

void TestScoreCompare::rawOverlayHoldsThePinnedOutputs()
{
    QFETCH(QString, pinnedCell);
    QFETCH(QString, currentCell);
    const ScoreResult& pinned = scored(qPrintable(pinnedCell));
    const ScoreResult& current = scored(qPrintable(currentCell));
    ScorePanel panel;
    panel.resize(kPanelSize);
    show(panel, current);
    pin(panel, pinned);
    QVERIFY(panel.isPinned());
    QCOMPARE(QString::fromStdString(panel.pinned().arch.space().format(panel.pinned().arch)), pinnedCell);
    QVERIFY(panel.logMagnitude());

    const struct {
        int index;
        const char* current;
        const std::vector<double>& pinnedOutputs;
        const std::vector<double>& currentOutputs;
    } rows[] = { { kRawLow, "rawLowBars", pinned.score.outputLow, current.score.outputLow },
        { kRawHigh, "rawHighBars", pinned.score.outputHigh, current.score.outputHigh } };
    for (const auto& row : rows) {
        QCPBars* outline = panel.pinnedBars(row.index);
        QCPBars* fill = currentBars(panel, row.current);
        QVERIFY(outline && fill);
        QCOMPARE(outline->keyAxis(), fill->keyAxis());
        const std::vector<double> pinnedValues = logMagnitudes(row.pinnedOutputs);
        const std::vector<double> currentValues = logMagnitudes(row.currentOutputs);
        QCOMPARE(total(outline), double(pinnedValues.size()));
        QCOMPARE(total(fill), double(currentValues.size()));
        if (pinnedValues.empty()) {
            QCOMPARE(outline->dataCount(), 0);
            QVERIFY2(pinnedNotes(panel).join(' ').contains(
                         QStringLiteral("pinned: all %1 outputs are exactly 0").arg(kBatch)),
                qPrintable(pinnedNotes(panel).join(" | ")));
            continue;
        }
        // Shared bins: the same centres and width for the outline and the fill.
        QCOMPARE(keys(outline), keys(fill));
        QCOMPARE(outline->width(), fill->width());
        // The bins span both rows exactly: the lowest edge is the lowest of both, the highest edge the highest.
        std::vector<double> both = pinnedValues;
        both.insert(both.end(), currentValues.begin(), currentValues.end());
        const auto [lowest, highest] = std::minmax_element(both.begin(), both.end());
        const double lowEdge = keys(fill).front() - fill->width() / 2;
        const double highEdge = keys(fill).back() + fill->width() / 2;
        QVERIFY2(std::abs(lowEdge - *lowest) < 1e-9 && std::abs(highEdge - *highest) < 1e-9,
            qPrintable(
                QStringLiteral("bins %1..%2, data %3..%4").arg(lowEdge).arg(highEdge).arg(*lowest).arg(*highest)));
        // Each bar counts the pinned values in its bin.
        QCOMPARE(counts(outline), recount(outline, pinnedValues));
        QCOMPARE(counts(fill), recount(fill, currentValues));
        // Both fit on the axes.
        const QCPRange axis = fill->keyAxis()->range();
        QVERIFY(axis.contains(*lowest) && axis.contains(*highest));
    }
}

void TestScoreCompare::normalisedAndDeltaOverlays()
{
    const ScoreResult& pinned = scored(kResNet);
    const ScoreResult& current = scored(kAllSkip);
    ScorePanel panel;
    show(panel, current);
    pin(panel, pinned);
    const epsinas::ScoreBreakdown breakdown
        = epsinas::computeScore(pinned.score.outputLow, pinned.score.outputHigh, weights(), Precision::Float32);
    QCOMPARE(total(panel.pinnedBars(kNormalised)), double(finiteCount(breakdown.normalizedLow)));
    QCOMPARE(total(panel.pinnedBars(kNormalised, true)), double(finiteCount(breakdown.normalizedHigh)));
    QCOMPARE(total(panel.pinnedBars(kDelta)), double(deltaCount(breakdown)));
    QVERIFY(deltaCount(breakdown) > 0);
    QCOMPARE(keys(panel.pinnedBars(kNormalised)), keys(currentBars(panel, "normalisedLowBars")));
    QCOMPARE(keys(panel.pinnedBars(kNormalised, true)), keys(currentBars(panel, "normalisedHighBars")));
    QCOMPARE(keys(panel.pinnedBars(kDelta)), keys(currentBars(panel, "deltaBars")));
    // The legend names the two outlines while pinned.
    auto* legend = qobject_cast<QCPLegend*>(panel.plot()->axisRects().at(kNormalised)->insetLayout()->elementAt(0));
    QVERIFY(legend);
    QCOMPARE(legend->itemCount(), 4);
    QVERIFY(legend->hasItemWithPlottable(panel.pinnedBars(kNormalised)));
    QVERIFY(legend->hasItemWithPlottable(panel.pinnedBars(kNormalised, true)));
    // The pinned MAE is drawn as its own line, at the pinned breakdown's MAE.
    bool pinnedMae = false;
    for (int i = 0; i < panel.plot()->itemCount(); ++i) {
        auto* line = qobject_cast<QCPItemStraightLine*>(panel.plot()->item(i));
        if (line && line->visible() && line->point1->coords().x() == breakdown.mae)
            pinnedMae = true;
    }
    QVERIFY(pinnedMae);
}

void TestScoreCompare::linearScaleCountsTheZeros()
{
    // On a linear scale the exact zeros are counted too: the all-conv cell's w_lo outline holds all its samples.
    const ScoreResult& pinned = scored(kAllConv);
    ScorePanel panel;
    show(panel, scored(kResNet));
    pin(panel, pinned);
    QCOMPARE(panel.pinnedBars(kRawLow)->dataCount(), 0);
    panel.setLogMagnitude(false);
    QCOMPARE(total(panel.pinnedBars(kRawLow)), double(finiteCount(pinned.score.outputLow)));
    QCOMPARE(total(panel.pinnedBars(kRawHigh)), double(finiteCount(pinned.score.outputHigh)));
    QCOMPARE(keys(panel.pinnedBars(kRawLow)), keys(currentBars(panel, "rawLowBars")));
    QCOMPARE(counts(panel.pinnedBars(kRawHigh)), recount(panel.pinnedBars(kRawHigh), pinned.score.outputHigh));
}

void TestScoreCompare::compareLine_data()
{
    QTest::addColumn<QString>("pinnedCell");
    QTest::addColumn<QString>("currentCell");
    QTest::newRow("higher") << kAllSkip << kResNet;
    QTest::newRow("lower") << kResNet << kAllSkip;
    QTest::newRow("same") << kResNet << kResNet;
}

void TestScoreCompare::compareLine()
{
    QFETCH(QString, pinnedCell);
    QFETCH(QString, currentCell);
    const ScoreResult& pinned = scored(qPrintable(pinnedCell));
    const ScoreResult& current = scored(qPrintable(currentCell));
    QVERIFY(!pinned.score.isNan() && !current.score.isNan());
    ScorePanel panel;
    panel.resize(kPanelSize);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QCOMPARE(panel.compareText(), QString());
    pin(panel, pinned);
    show(panel, current);
    const double delta = current.score.score - pinned.score.score;
    const QString expected = QStringLiteral("Pinned %1 · current %2 · Δ %3 (%4 %) · pinned %5")
                                 .arg(number(pinned.score.score), number(current.score.score), signedNumber(delta),
                                     signedPercent(100 * delta / pinned.score.score), pinnedCell);
    QCOMPARE(panel.compareText(), expected);
    if (pinnedCell == currentCell)
        QVERIFY(panel.compareText().contains(QStringLiteral("Δ 0 (0 %)")));
    else
        QVERIFY(panel.compareText().contains(delta > 0 ? QStringLiteral("Δ +") : QStringLiteral("Δ -")));
    // The line is cut to the dock's width at the architecture's text, never in the numbers; the tooltip has it all.
    QCoreApplication::processEvents();
    auto* line = panel.findChild<QLabel*>(QStringLiteral("scoreCompare"));
    QVERIFY(line);
    QVERIFY(line->text().endsWith(QChar(0x2026)));
    QVERIFY2(line->text().contains(QStringLiteral("%1 %)").arg(signedPercent(100 * delta / pinned.score.score))),
        qPrintable(line->text()));
    QVERIFY(line->toolTip().contains(pinnedCell));
}

void TestScoreCompare::nanWording_data()
{
    QTest::addColumn<QString>("pinnedCell");
    QTest::addColumn<QString>("currentCell");
    QTest::addColumn<QString>("wording");
    QTest::newRow("pinned NaN") << kAllConv << kResNet << QStringLiteral("no Δ: pinned is NaN: ");
    QTest::newRow("current NaN") << kResNet << kAllConv << QStringLiteral("no Δ: current is NaN: ");
    QTest::newRow("both NaN") << kAllConv << kNoPath << QStringLiteral("no Δ: both are NaN");
}

void TestScoreCompare::nanWording()
{
    QFETCH(QString, pinnedCell);
    QFETCH(QString, currentCell);
    QFETCH(QString, wording);
    const ScoreResult& pinned = scored(qPrintable(pinnedCell));
    const ScoreResult& current = scored(qPrintable(currentCell));
    ScorePanel panel;
    pin(panel, pinned);
    show(panel, current);
    const QString text = panel.compareText();
    QVERIFY2(text.contains(wording), qPrintable(text));
    // The reason is the core's own, of whichever is NaN.
    for (const ScoreResult* result : { &pinned, &current }) {
        if (result->score.isNan())
            QVERIFY2(text.contains(QString::fromStdString(result->score.nanReason)), qPrintable(text));
    }
    QVERIFY(text.startsWith(QStringLiteral("Pinned %1 · current %2 · ")
                                .arg(pinned.score.isNan() ? QStringLiteral("NaN") : number(pinned.score.score),
                                    current.score.isNan() ? QStringLiteral("NaN") : number(current.score.score))));
    for (const char* never : { "nan%", "nan %", "NaN %", "%)", "Δ +", "Δ -" })
        QVERIFY2(!text.contains(QLatin1String(never)), qPrintable(text));
}

void TestScoreCompare::pinnedZeroHasNoPercentage()
{
    // Two equal rows: every |Δ| is 0, so the score is exactly 0, a number without a percentage of it.
    const std::vector<double> outputs { 0.5, 1.0, 2.0, 4.0, 8.0 };
    epsinas::ScoreOptions options;
    options.weights = weights();
    ScoreResult zero;
    zero.score = epsinas::finishScore(outputs, outputs, options);
    QVERIFY(!zero.score.isNan());
    QCOMPARE(zero.score.score, 0.0);
    ScorePanel panel;
    pin(panel, zero);
    const ScoreResult& current = scored(kResNet);
    show(panel, current);
    QCOMPARE(panel.compareText(),
        QStringLiteral("Pinned 0 · current %1 · Δ %2 (no percentage of a pinned 0)")
            .arg(number(current.score.score), signedNumber(current.score.score)));
}

void TestScoreCompare::otherSettingsAreNamed()
{
    ScorePanel panel;
    panel.pin(scored(kResNet), { 1e-5, 2.0 }, Precision::Float64);
    show(panel, scored(kAllSkip));
    QVERIFY2(panel.compareText().contains(QStringLiteral("pinned at w_lo = 1e-05, w_hi = 2, float64")),
        qPrintable(panel.compareText()));
    pin(panel, scored(kResNet));
    QVERIFY(!panel.compareText().contains(QStringLiteral("pinned at")));
}

void TestScoreCompare::notScoredCurrent()
{
    ScorePanel panel;
    pin(panel, scored(kResNet));
    QVERIFY2(panel.compareText().startsWith(
                 QStringLiteral("Pinned %1 · current — · no current score").arg(number(scored(kResNet).score.score))),
        qPrintable(panel.compareText()));
    show(panel, scored(kAllSkip));
    QVERIFY(panel.pinnedBars(kRawHigh)->dataCount() > 0);
    panel.showNotScored(QStringLiteral("not a valid cell"));
    QVERIFY2(panel.compareText().contains(QStringLiteral("no Δ: current not scored")), qPrintable(panel.compareText()));
    // The histograms are empty for an architecture without a result, outlines included.
    for (int index = 0; index < 4; ++index)
        QCOMPARE(panel.pinnedBars(index)->dataCount(), 0);
}

void TestScoreCompare::unpinClears()
{
    const ScoreResult& current = scored(kAllSkip);
    ScorePanel panel;
    panel.resize(kPanelSize);
    show(panel, current);
    const QVector<double> alone = keys(currentBars(panel, "rawLowBars"));
    const QCPRange aloneAxis = panel.plot()->axisRects().at(kRawLow)->axis(QCPAxis::atBottom)->range();
    pin(panel, scored(kResNet));
    QVERIFY(keys(currentBars(panel, "rawLowBars")) != alone);
    panel.unpin();
    QVERIFY(!panel.isPinned());
    QCOMPARE(panel.compareText(), QString());
    for (int index = 0; index < 4; ++index)
        QCOMPARE(panel.pinnedBars(index)->dataCount(), 0);
    QCOMPARE(panel.pinnedBars(kNormalised, true)->dataCount(), 0);
    // The current bins and axes are the current architecture's alone again.
    QCOMPARE(keys(currentBars(panel, "rawLowBars")), alone);
    QCOMPARE(panel.plot()->axisRects().at(kRawLow)->axis(QCPAxis::atBottom)->range(), aloneAxis);
    auto* legend = qobject_cast<QCPLegend*>(panel.plot()->axisRects().at(kNormalised)->insetLayout()->elementAt(0));
    QCOMPARE(legend->itemCount(), 2);
    const double mae
        = epsinas::computeScore(current.score.outputLow, current.score.outputHigh, weights(), Precision::Float32).mae;
    for (int i = 0; i < panel.plot()->itemCount(); ++i) {
        if (auto* line = qobject_cast<QCPItemStraightLine*>(panel.plot()->item(i)); line && line->visible())
            QCOMPARE(line->point1->coords().x(), mae);
    }
    QVERIFY(pinnedNotes(panel).isEmpty());
    // A later result is not compared.
    show(panel, scored(kResNet));
    QCOMPARE(panel.compareText(), QString());
    QCOMPARE(panel.pinnedBars(kRawHigh)->dataCount(), 0);
}

void TestScoreCompare::pinningMovesNothing()
{
    ScorePanel panel;
    panel.resize(kPanelSize);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    show(panel, scored(kResNet));
    QCoreApplication::processEvents();
    const QRect plot = panel.plot()->geometry();
    const QSize minimum = panel.minimumSizeHint();
    pin(panel, scored(kAllConv));
    show(panel, scored(kAllSkip));
    QCoreApplication::processEvents();
    QCOMPARE(panel.plot()->geometry(), plot);
    QCOMPARE(panel.minimumSizeHint(), minimum);
    // The longest wording, both NaN with both reasons, still takes one line.
    show(panel, scored(kNoPath));
    QCoreApplication::processEvents();
    QCOMPARE(panel.plot()->geometry(), plot);
    panel.unpin();
    QCoreApplication::processEvents();
    QCOMPARE(panel.plot()->geometry(), plot);
    // And the panel fits the dock: the plot keeps its minimum height at the dock's size.
    QVERIFY(panel.plot()->height() >= panel.plot()->minimumHeight());
}

void TestScoreCompare::screenshots()
{
    // Renders a comparison at the dock's size for a person to look at, when asked to (EPSINAS_PANEL_SHOTS=DIR).
    const QString directory = qEnvironmentVariable("EPSINAS_PANEL_SHOTS");
    if (directory.isEmpty())
        QSKIP("EPSINAS_PANEL_SHOTS not set");
    ScorePanel panel;
    panel.resize(kPanelSize);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    const auto shoot = [&](const QString& name) {
        QCoreApplication::processEvents();
        panel.plot()->replot();
        return panel.grab().save(QDir(directory).filePath(name));
    };
    pin(panel, scored(kResNet));
    show(panel, scored(kAllSkip));
    QVERIFY(shoot(QStringLiteral("compare-resnet-allskip.png")));
    show(panel, scored(kAllConv));
    QVERIFY(shoot(QStringLiteral("compare-resnet-allconv.png")));
}

QTEST_MAIN(TestScoreCompare)
#include "tst_scorecompare.moc"
