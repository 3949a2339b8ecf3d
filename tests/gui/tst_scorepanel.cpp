// SPDX-License-Identifier: MIT
#include "scorepanel.h"

#include "score/scoreformula.h"
#include "spaces/nb101/space.h"
#include "spaces/nb201/space.h"
#include "spaces/nlp/recipe.h"
#include "spaces/nlp/space.h"

#include <QAbstractButton>
#include <QDir>
#include <QHelpEvent>
#include <QLabel>
#include <QTest>
#include <QToolTip>

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <limits>

using epsinas::Precision;
using epsinas::WeightPair;
using epsinas::gui::ScorePanel;
using epsinas::gui::ScoreResult;
using epsinas::gui::ScoringConfig;
using epsinas::gui::Standing;
namespace nb201 = epsinas::nb201;
namespace nlp = epsinas::nlp;

namespace {
// Samples per batch: enough for distinct outputs, small enough to keep the test fast on two cores.
constexpr int kBatch = 64;
// The panel's size in the explorer's score dock at 1366×768.
const QSize kPanelSize(560, 570);

/**
 * `arch` scored through the space's real evaluator on the space's default input of `batch` samples (and `steps` time
 * steps of tokens), as the explorer's service scores it: both output rows kept.
 */
ScoreResult scoreOf(const epsinas::Arch& arch, int batch = kBatch, int steps = epsinas::kDefaultTokenSteps)
{
    ScoringConfig config;
    config.space = &arch.space();
    config.input.batch = batch;
    config.tokens.batch = batch;
    config.tokens.steps = steps;
    config.options.weights = arch.space().defaultWeights();
    ScoreResult result;
    result.arch = arch;
    result.score = arch.space().makeEvaluator(config.loadInput(), config.options)->score({ arch }).front();
    result.milliseconds = 12;
    result.device = QStringLiteral("CPU");
    return result;
}

ScoreResult nb201Score(const char* cell)
{
    return scoreOf(nb201::toArch(nb201::Cell::parse(cell)));
}

void show(ScorePanel& panel, const ScoreResult& result)
{
    const epsinas::SearchSpace& space = result.arch.space();
    panel.showResult(result, space.defaultWeights(), Precision::Float32);
}

bool allZero(const std::vector<double>& values)
{
    return !values.empty() && std::all_of(values.begin(), values.end(), [](double v) { return v == 0; });
}

// A cell whose output node 3 has only `none` inputs: no path from input to output.
const char* const kNoPath = "|nor_conv_3x3~0|+|skip_connect~0|nor_conv_1x1~1|+|none~0|none~1|none~2|";
// Every edge a 3×3 convolution: every path goes through one (NaN in the released scores, algorithm §1.6).
const char* const kAllConv
    = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|";
// The ResNet-like cell: a skip connection gives a conv-free path, so it has a score.
const char* const kResNet = "|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|none~2|";

QCPRange keyRange(const ScorePanel& panel, int rect)
{
    return panel.plot()->axisRects().at(rect)->axis(QCPAxis::atBottom)->range();
}

QCPRange countRange(const ScorePanel& panel, int rect)
{
    return panel.plot()->axisRects().at(rect)->axis(QCPAxis::atLeft)->range();
}

/** Saves `panel` as the user would see it: layouts settled and the histograms drawn. */
bool shoot(ScorePanel& panel, const QString& directory, const QString& name)
{
    QCoreApplication::processEvents();
    panel.plot()->replot();
    return panel.grab().save(QDir(directory).filePath(name));
}

/** log10|y| of the non-zero outputs: what the raw histograms show by default. */
std::pair<double, double> logSpan(const std::vector<double>& outputs)
{
    double low = std::numeric_limits<double>::infinity(), high = -low;
    for (double value : outputs) {
        if (value != 0) {
            low = std::min(low, std::log10(std::abs(value)));
            high = std::max(high, std::log10(std::abs(value)));
        }
    }
    return { low, high };
}
} // namespace

class TestScorePanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void significantDigits_data();
    void significantDigits();
    void detailsUseSignificantDigits();
    void noPathIsExplained();
    void underflowIsExplained();
    void zeroWithAPathIsNotCalledNoPath();
    void nb201CountsItsDisconnectedCells();
    void constantOutputIsExplained();
    void scoredCellHasNoNanText();
    void standing_data();
    void standing();
    void standingIsShown();
    void inputNote_data();
    void inputNote();
    void axesFollowTheShownResult();
    void problemsClearTheHistograms();
    void plotKeepsItsSizeForLongTexts();
    void everyPartExplainsItself();
    void screenshots();
};

void TestScorePanel::significantDigits_data()
{
    QTest::addColumn<double>("score");
    QTest::addColumn<QString>("shown");
    QTest::newRow("tiny") << 4.87e-05 << QStringLiteral("Score: 4.87e-05");
    QTest::newRow("typical") << 0.123456 << QStringLiteral("Score: 0.1235");
    QTest::newRow("above one") << 1.5 << QStringLiteral("Score: 1.5");
    QTest::newRow("large") << 123456.0 << QStringLiteral("Score: 123456");
}

void TestScorePanel::significantDigits()
{
    QFETCH(double, score);
    QFETCH(QString, shown);
    ScorePanel panel;
    ScoreResult result;
    result.score.score = score;
    panel.showResult(result, nb201::kDefaultWeights, Precision::Float32);
    QCOMPARE(panel.scoreText(), shown);
}

void TestScorePanel::detailsUseSignificantDigits()
{
    ScorePanel panel;
    const ScoreResult result = nb201Score(kResNet);
    show(panel, result);
    const epsinas::ScoreBreakdown breakdown = epsinas::computeScore(
        result.score.outputLow, result.score.outputHigh, nb201::kDefaultWeights, Precision::Float32);
    QVERIFY(std::isfinite(breakdown.mae));
    QVERIFY2(panel.detailsText().contains(QStringLiteral("MAE ") + QString::number(breakdown.mae, 'g', 4)),
        qPrintable(panel.detailsText()));
    QVERIFY2(panel.detailsText().contains(QString::number(breakdown.mean, 'g', 4)), qPrintable(panel.detailsText()));
    // The count of samples the zero-to-NaN rule drops from the w_lo row, in words.
    QVERIFY2(panel.detailsText().contains(QStringLiteral("%1 of %2 at w_lo").arg(breakdown.droppedLow).arg(kBatch)),
        qPrintable(panel.detailsText()));
}

void TestScorePanel::noPathIsExplained()
{
    const ScoreResult result = nb201Score(kNoPath);
    QVERIFY(result.score.isNan());
    // What the explanation is drawn from: nothing reaches the output at either weight.
    QVERIFY(allZero(result.score.outputLow));
    QVERIFY(allZero(result.score.outputHigh));
    ScorePanel panel;
    show(panel, result);
    QCOMPARE(panel.scoreText(), QStringLiteral("Score: NaN"));
    const QString why = panel.messageText();
    QVERIFY2(why.contains(QStringLiteral("no path from its input to its output")), qPrintable(why));
    QVERIFY2(why.contains(QStringLiteral("w_hi = 1")), qPrintable(why));
    QVERIFY2(!why.contains(QStringLiteral("underflow")), qPrintable(why));
    // Neither row could be normalised, so no "0 left out" count may stand next to it.
    QVERIFY2(!panel.detailsText().contains(QStringLiteral("0 of")), qPrintable(panel.detailsText()));
    QVERIFY2(!panel.detailsText().contains(QStringLiteral("MAE NaN")), qPrintable(panel.detailsText()));
}

void TestScorePanel::underflowIsExplained()
{
    const ScoreResult result = nb201Score(kAllConv);
    QVERIFY(result.score.isNan());
    QVERIFY(allZero(result.score.outputLow));
    QVERIFY(!allZero(result.score.outputHigh));
    ScorePanel panel;
    show(panel, result);
    const QString why = panel.messageText();
    QVERIFY2(why.contains(QStringLiteral("At w_lo = 1e-07 every output is exactly 0")), qPrintable(why));
    QVERIFY2(why.contains(QStringLiteral("underflows to 0")), qPrintable(why));
    QVERIFY2(why.contains(QStringLiteral("convolution")), qPrintable(why));
    QVERIFY2(!why.contains(QStringLiteral("no path")), qPrintable(why));
    const QString details = panel.detailsText();
    QVERIFY2(details.contains(QStringLiteral("none at w_lo (all equal)")), qPrintable(details));
    QVERIFY2(!details.contains(QStringLiteral("MAE NaN")), qPrintable(details));
}

void TestScorePanel::zeroWithAPathIsNotCalledNoPath()
{
    // Both weights small: the all-conv cell underflows to 0 in both passes, so its outputs look like those of a
    // cell without a path, but its structure says otherwise.
    const WeightPair small { 1e-8, 1e-7 };
    ScoringConfig config;
    config.input.batch = kBatch;
    config.options.weights = small;
    ScoreResult result;
    result.arch = nb201::toArch(nb201::Cell::parse(kAllConv));
    result.score = nb201::space().makeEvaluator(config.loadInput(), config.options)->score({ result.arch }).front();
    QVERIFY(result.score.isNan());
    QVERIFY(allZero(result.score.outputLow));
    QVERIFY(allZero(result.score.outputHigh));
    ScorePanel panel;
    panel.showResult(result, small, Precision::Float32);
    const QString why = panel.messageText();
    QVERIFY2(why.contains(QStringLiteral("Every output is exactly 0 at both w_lo = 1e-08 and w_hi = 1e-07")),
        qPrintable(why));
    QVERIFY2(why.contains(QStringLiteral("although a path joins input and output")), qPrintable(why));
    QVERIFY2(!why.contains(QStringLiteral("no path")), qPrintable(why));
}

void TestScorePanel::nb201CountsItsDisconnectedCells()
{
    // Algorithm §1.6 (from the released NB201 data): 341 of the 15,625 cells are fully disconnected.
    const epsinas::SearchSpace& space = nb201::space();
    const std::optional<std::vector<epsinas::Arch>> cells = space.enumerate();
    QVERIFY(cells && cells->size() == std::size_t(nb201::kCellCount));
    int withoutPath = 0;
    for (const epsinas::Arch& arch : *cells) {
        const std::optional<bool> path = space.hasInputOutputPath(arch);
        QVERIFY(path.has_value());
        withoutPath += *path ? 0 : 1;
    }
    QCOMPARE(withoutPath, 341);
    QCOMPARE(space.hasInputOutputPath(nb201::toArch(nb201::Cell::parse(kNoPath))), std::optional<bool>(false));
    QCOMPARE(space.hasInputOutputPath(nb201::toArch(nb201::Cell::parse(kAllConv))), std::optional<bool>(true));
}

void TestScorePanel::constantOutputIsExplained()
{
    // A recipe that never reads x, run for one time step: every sample gets the same output, and it is not 0 (the
    // biases and initial hidden state are w).
    const nlp::Recipe recipe
        = nlp::Recipe::fromNodes({ { "f", nlp::Op::Linear, { "h_prev_0" } }, { "h_new_0", nlp::Op::Tanh, { "f" } } });
    const ScoreResult result = scoreOf(nlp::toArch(recipe), kBatch, 1);
    QVERIFY(result.score.isNan());
    QVERIFY(!result.score.outputHigh.empty() && result.score.outputHigh.front() != 0);
    ScorePanel panel;
    show(panel, result);
    const QString why = panel.messageText();
    QVERIFY2(why.contains(QStringLiteral("outputs are equal")), qPrintable(why));
    QVERIFY2(why.contains(QStringLiteral("do not change with the input")), qPrintable(why));
    QVERIFY2(!why.contains(QStringLiteral("underflow")), qPrintable(why));
    QVERIFY2(!why.contains(QStringLiteral("no path")), qPrintable(why));
}

void TestScorePanel::scoredCellHasNoNanText()
{
    ScorePanel panel;
    show(panel, nb201Score(kAllConv));
    QVERIFY(!panel.messageText().isEmpty());
    const ScoreResult result = nb201Score(kResNet);
    QVERIFY(!result.score.isNan());
    show(panel, result);
    QCOMPARE(panel.messageText(), QString());
    QCOMPARE(panel.scoreText(), QStringLiteral("Score: %1").arg(QString::number(result.score.score, 'g', 4)));
}

void TestScorePanel::standing_data()
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    QTest::addColumn<double>("value");
    QTest::addColumn<QList<double>>("values");
    QTest::addColumn<bool>("lowerIsBetter");
    QTest::addColumn<int>("rank");
    QTest::addColumn<int>("count");
    QTest::addColumn<double>("topPercent");
    const QList<double> table { 90, 93, 93, 95, nan };
    QTest::newRow("best") << 95.0 << table << false << 1 << 4 << 25.0;
    QTest::newRow("tie shares the best rank") << 93.0 << table << false << 2 << 4 << 50.0;
    QTest::newRow("worst") << 90.0 << table << false << 4 << 4 << 100.0;
    QTest::newRow("lower is better: best") << 90.0 << table << true << 1 << 4 << 25.0;
    QTest::newRow("lower is better: tie") << 93.0 << table << true << 2 << 4 << 50.0;
    QTest::newRow("lower is better: worst") << 95.0 << table << true << 4 << 4 << 100.0;
    QTest::newRow("all tied") << 5.0 << QList<double> { 5, 5, 5 } << false << 1 << 3 << 100.0 / 3;
    QTest::newRow("alone") << 7.0 << QList<double> { 7 } << true << 1 << 1 << 100.0;
}

void TestScorePanel::standing()
{
    QFETCH(double, value);
    QFETCH(QList<double>, values);
    QFETCH(bool, lowerIsBetter);
    QFETCH(int, rank);
    QFETCH(int, count);
    QFETCH(double, topPercent);
    const std::optional<Standing> standing
        = epsinas::gui::standingAmong(QStringLiteral("acc"), value, values, lowerIsBetter);
    QVERIFY(standing);
    QCOMPARE(standing->target, QStringLiteral("acc"));
    QCOMPARE(standing->value, value);
    QCOMPARE(standing->rank, rank);
    QCOMPARE(standing->count, count);
    QCOMPARE(standing->topPercent, topPercent);
}

void TestScorePanel::standingIsShown()
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    QVERIFY(!epsinas::gui::standingAmong(QStringLiteral("acc"), nan, { 1, 2, nan }, false));

    ScorePanel panel;
    QCOMPARE(panel.standingText(), QString());
    panel.setStanding(Standing { QStringLiteral("cifar10_test_acc"), 93.4, 112, 15625, 100.0 * 112 / 15625 });
    QCOMPARE(panel.standingText(), QStringLiteral("cifar10_test_acc 93.4 · rank 112 of 15,625 · top 0.72 %"));
    panel.setStanding(Standing { QStringLiteral("test_loss"), 4.62e-3, 300, 300, 100 });
    QCOMPARE(panel.standingText(), QStringLiteral("test_loss 0.00462 · rank 300 of 300 · top 100 %"));
    panel.setStanding(std::nullopt);
    QCOMPARE(panel.standingText(), QStringLiteral("Not in the loaded table."));
    panel.clearStanding();
    QCOMPARE(panel.standingText(), QString());
}

void TestScorePanel::inputNote_data()
{
    QTest::addColumn<QString>("space");
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    QTest::newRow("nb101 grey") << "nb101"
                                << "grey"
                                << "ρ ≈ 0.31 against 0.68 over the 1,000 table specs";
    QTest::newRow("nb201 grey") << "nb201"
                                << "grey"
                                << "about as well as CIFAR-10 images";
    QTest::newRow("nb201 noise") << "nb201"
                                 << "noise:3"
                                 << "Gaussian noise, seed 3";
    QTest::newRow("nb101 noise") << "nb101"
                                 << "noise"
                                 << "not measured";
    QTest::newRow("nb101 cifar") << "nb101"
                                 << "cifar10:/data/batch.bin"
                                 << "";
    QTest::newRow("nb201 cifar100") << "nb201"
                                    << "cifar100:/data/train.bin"
                                    << "";
    QTest::newRow("nlp synthetic") << "nlp"
                                   << "synthetic"
                                   << "not PTB text";
    QTest::newRow("nlp ptb") << "nlp"
                             << "ptb:/data/ptb.valid.txt"
                             << "";
}

void TestScorePanel::inputNote()
{
    QFETCH(QString, space);
    QFETCH(QString, input);
    QFETCH(QString, expected);
    ScoringConfig config;
    config.space = epsinas::gui::findSpace(space);
    QVERIFY(config.space);
    if (config.space->inputKind() == epsinas::InputKind::Tokens)
        config.tokens = epsinas::TokenSpec::parse(input.toStdString());
    else
        config.input = epsinas::InputSpec::parse(input.toStdString());
    const QString note = epsinas::gui::syntheticInputNote(config);
    if (expected.isEmpty()) {
        QCOMPARE(note, QString());
        return;
    }
    QVERIFY2(note.contains(expected), qPrintable(note));
    QVERIFY2(note.contains(QStringLiteral("Settings → Input")), qPrintable(note));
    QVERIFY2(note.startsWith(QStringLiteral("Synthetic input")), qPrintable(note));
    ScorePanel panel;
    panel.setInputNote(note);
    QCOMPARE(panel.inputNoteText(), note);
}

void TestScorePanel::axesFollowTheShownResult()
{
    ScorePanel panel;
    panel.resize(kPanelSize);
    QVERIFY(panel.logMagnitude());
    const ScoreResult recipe = scoreOf(nlp::toArch(nlp::Recipe::example("rnn")));
    show(panel, recipe);
    const auto [recipeLow, recipeHigh] = logSpan(recipe.score.outputHigh);
    QVERIFY(keyRange(panel, 1).contains(recipeLow) && keyRange(panel, 1).contains(recipeHigh));

    // Back to NB201, a cell whose outputs are all 0: nothing to plot on a log scale, so the axes fall back to
    // [0, 1] instead of keeping the NLP range.
    show(panel, nb201Score(kNoPath));
    for (int rect : { 0, 1 }) {
        QCOMPARE(keyRange(panel, rect).lower, 0.0);
        QCOMPARE(keyRange(panel, rect).upper, 1.0);
        QCOMPARE(countRange(panel, rect).upper, 1.0);
    }

    const ScoreResult cell = nb201Score(kResNet);
    show(panel, cell);
    for (int rect : { 0, 1 }) {
        const auto [low, high] = logSpan(rect == 0 ? cell.score.outputLow : cell.score.outputHigh);
        const QCPRange keys = keyRange(panel, rect);
        QVERIFY2(keys.lower <= low && keys.upper >= high,
            qPrintable(QStringLiteral("%1..%2 for data %3..%4").arg(keys.lower).arg(keys.upper).arg(low).arg(high)));
        // Fitted to this cell's data, not wider: bars span the data plus 2 % on each side.
        QVERIFY2(keys.size() <= (high - low) * 1.05, qPrintable(QString::number(keys.size())));
        // The count axis reaches just above the tallest bar.
        QCPBars* bars = qobject_cast<QCPBars*>(panel.plot()->axisRects().at(rect)->plottables().front());
        double tallest = 0;
        for (const QCPBarsData& bar : *bars->data())
            tallest = std::max(tallest, bar.value);
        QCOMPARE(countRange(panel, rect).upper, std::max(1.0, tallest * 1.1));
    }
}

void TestScorePanel::problemsClearTheHistograms()
{
    ScorePanel panel;
    show(panel, nb201Score(kResNet));
    QVERIFY(panel.plot()->axisRects().at(0)->plottables().front()->interface1D()->dataCount() > 0);
    panel.showNotScored(QStringLiteral("not a valid NAS-Bench-101 cell: no path from the input to the output"));
    for (QCPAxisRect* rect : panel.plot()->axisRects()) {
        for (QCPAbstractPlottable* plottable : rect->plottables())
            QCOMPARE(plottable->interface1D()->dataCount(), 0);
        QCOMPARE(rect->axis(QCPAxis::atLeft)->range().upper, 1.0);
    }
    QCOMPARE(keyRange(panel, 0).upper, 1.0);
    // Nor do the numbers of the architecture before stay.
    QCOMPARE(panel.scoreText(), QStringLiteral("Score: —"));
    QCOMPARE(panel.detailsText(), QString());
    QVERIFY(panel.messageText().contains(QStringLiteral("no path from the input")));
}

void TestScorePanel::plotKeepsItsSizeForLongTexts()
{
    ScorePanel panel;
    panel.resize(kPanelSize);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    show(panel, nb201Score(kResNet));
    panel.clearStanding();
    QCoreApplication::processEvents();
    const QRect plot = panel.plot()->geometry();
    const QSize minimum = panel.minimumSizeHint();

    const QString longText = QStringLiteral("could not read /a/very/long/path/") + QString(400, QLatin1Char('x'))
        + QStringLiteral(": no such file or directory, and then some more words to wrap");
    panel.showError(longText);
    panel.markStale(longText);
    panel.setStanding(Standing { longText, 93.4, 112, 15625, 0.72 });
    panel.setInputNote(longText);
    QCoreApplication::processEvents();
    QCOMPARE(panel.plot()->geometry(), plot);
    QCOMPARE(panel.minimumSizeHint(), minimum);
    // The message is cut to its lines, and the whole of it is in the tooltip.
    auto* message = panel.findChild<QLabel*>(QStringLiteral("scoreMessage"));
    QVERIFY(message);
    QVERIFY(message->text().endsWith(QChar(0x2026)));
    QVERIFY(message->toolTip().contains(longText));
    QCOMPARE(panel.messageText(), longText);

    show(panel, nb201Score(kAllConv));
    QCoreApplication::processEvents();
    QCOMPARE(panel.plot()->geometry(), plot);
}

void TestScorePanel::everyPartExplainsItself()
{
    ScorePanel panel;
    panel.resize(kPanelSize);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    show(panel, nb201Score(kResNet));
    panel.setStanding(Standing { QStringLiteral("acc"), 93.4, 112, 15625, 0.72 });
    QCoreApplication::processEvents();
    for (QWidget* child : panel.findChildren<QWidget*>()) {
        if (!qobject_cast<QLabel*>(child) && !qobject_cast<QAbstractButton*>(child) && child != panel.plot())
            continue;
        QVERIFY2(!child->whatsThis().isEmpty(), qPrintable(child->objectName()));
        if (child != panel.plot())
            QVERIFY2(!child->toolTip().isEmpty(), qPrintable(child->objectName()));
    }
    QVERIFY(panel.plot()->whatsThis().contains(QStringLiteral("bottom right")));

    // Each histogram's tooltip says what that one shows.
    const QStringList expected { QStringLiteral("Raw outputs at w_lo"), QStringLiteral("Raw outputs at w_hi"),
        QStringLiteral("min-max normalised"), QStringLiteral("the MAE") };
    for (int rect = 0; rect < 4; ++rect) {
        const QPoint centre = panel.plot()->axisRects().at(rect)->rect().center();
        QHelpEvent help(QEvent::ToolTip, centre, panel.plot()->mapToGlobal(centre));
        QCoreApplication::sendEvent(panel.plot(), &help);
        QVERIFY2(QToolTip::text().contains(expected.at(rect)), qPrintable(QToolTip::text()));
    }
    // The normalised rows carry a legend of the two weights.
    QCPAxisRect* normalised = panel.plot()->axisRects().at(2);
    auto* legend = qobject_cast<QCPLegend*>(normalised->insetLayout()->elementAt(0));
    QVERIFY(legend);
    QCOMPARE(legend->itemCount(), 2);
}

void TestScorePanel::screenshots()
{
    // Renders the three states at the dock's size for a person to look at, when asked to (EPSINAS_PANEL_SHOTS=DIR).
    const QString directory = qEnvironmentVariable("EPSINAS_PANEL_SHOTS");
    if (directory.isEmpty())
        QSKIP("EPSINAS_PANEL_SHOTS not set");
    ScoringConfig config;
    config.space = &nb201::space();
    ScorePanel panel;
    panel.resize(kPanelSize);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.setInputNote(epsinas::gui::syntheticInputNote(config));
    panel.setStanding(Standing { QStringLiteral("cifar10_oritest_200ep_nb201"), 93.76, 12, 15625, 100.0 * 12 / 15625 });
    show(panel, nb201Score(kResNet));
    QVERIFY(shoot(panel, directory, QStringLiteral("panel-normal.png")));
    panel.setStanding(std::nullopt);
    show(panel, nb201Score(kAllConv));
    QVERIFY(shoot(panel, directory, QStringLiteral("panel-nan.png")));
    show(panel, nb201Score(kNoPath));
    QVERIFY(shoot(panel, directory, QStringLiteral("panel-nopath.png")));
    show(panel, nb201Score(kResNet));
    panel.resize(panel.minimumSizeHint());
    QVERIFY(shoot(panel, directory, QStringLiteral("panel-smallest.png")));
    panel.resize(kPanelSize);
    config.space = &epsinas::nb101::space();
    panel.setInputNote(epsinas::gui::syntheticInputNote(config));
    panel.showError(QStringLiteral("cannot read /home/user/data/cifar-10-batches-bin/data_batch_1.bin: no such file "
                                   "or directory (Settings → Input names a file that is not there)"));
    QVERIFY(shoot(panel, directory, QStringLiteral("panel-error.png")));
}

QTEST_MAIN(TestScorePanel)
#include "tst_scorepanel.moc"
