// SPDX-License-Identifier: MIT
#include "scorepanel.h"

#include "editorsupport.h"
#include "opstyle.h"

#include "score/scoreformula.h"

#include <QCheckBox>
#include <QHelpEvent>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QToolTip>
#include <QVBoxLayout>

#include <qcustomplot.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace epsinas::gui {

/**
 * A label of a fixed number of lines: its height never follows its text, and text that does not fit is cut with
 * "…" and shown in full in its tooltip, so a long message cannot push the plots below it.
 */
class FixedLinesLabel : public QLabel {
public:
    FixedLinesLabel(int lines, QWidget* parent)
        : QLabel(parent)
        , m_lines(lines)
    {
        setWordWrap(lines > 1);
        setAlignment(Qt::AlignLeft | Qt::AlignTop);
        setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
        fitHeight();
    }

    void setFullText(const QString& text)
    {
        m_full = text;
        elide();
    }
    QString fullText() const { return m_full; }
    /** What the line means, shown in its tooltip under the full text. */
    void setHelp(const QString& help)
    {
        m_help = help;
        elide();
    }
    QSize sizeHint() const override { return { 0, height() }; }
    QSize minimumSizeHint() const override { return { 0, height() }; }

protected:
    void resizeEvent(QResizeEvent* event) override
    {
        QLabel::resizeEvent(event);
        elide();
    }
    // Presentation mode scales the text: the lines keep their number, not their pixels.
    void changeEvent(QEvent* event) override
    {
        QLabel::changeEvent(event);
        if (event->type() == QEvent::FontChange) {
            fitHeight();
            elide();
        }
    }

private:
    void fitHeight() { setFixedHeight(m_lines * fontMetrics().lineSpacing() + 2); }
    bool fits(const QString& text, int width) const
    {
        const QFontMetrics metrics(font());
        const QRect bounds = metrics.boundingRect(QRect(0, 0, width, 1 << 20), Qt::TextWordWrap, text);
        // A word wider than the line (a long path) counts as not fitting: word wrapping cannot break it.
        return bounds.height() <= m_lines * metrics.lineSpacing() && bounds.width() <= width;
    }

    void elide()
    {
        const int width = contentsRect().width();
        QString shown = m_full;
        if (width > 0 && !fits(m_full, width)) {
            // The longest prefix that fits with an ellipsis: fits() grows with the prefix, so bisect.
            int low = 0, high = int(m_full.size());
            while (low < high) {
                const int middle = (low + high + 1) / 2;
                if (fits(m_full.left(middle).trimmed() + QChar(0x2026), width))
                    low = middle;
                else
                    high = middle - 1;
            }
            shown = m_full.left(low).trimmed() + QChar(0x2026);
        }
        if (text() != shown)
            setText(shown);
        const bool cut = shown != m_full;
        setToolTip(cut && !m_help.isEmpty() ? m_full + QStringLiteral("\n\n") + m_help : (cut ? m_full : m_help));
    }

    int m_lines;
    QString m_full;
    QString m_help;
};

namespace {
// Bins per histogram: enough to show shape at batch 256 without mostly empty bars.
constexpr int kBins = 32;
// Significant digits of every number the panel prints: a score of 4.87e-05 must not read 0.0000.
constexpr int kDigits = 4;
// The pinned architecture's outlines: near-black, apart from both weights' fills and the grey |Δ| bars.
const QColor kPinnedColor(20, 20, 20);
// Text colours besides warningColour() (a NaN reason, stale numbers) and errorColour() (a failure): the quiet status
// lines, and numbers that are no longer current. Colour only: a bold or italic style could change a line's height.
const QColor kQuietColour(0x55, 0x55, 0x55);
const QColor kDimmedColour(0x99, 0x99, 0x99);
// The message line's tooltip when it holds no NaN reason.
const char* const kMessageHelp = QT_TRANSLATE_NOOP(
    "epsinas::gui::ScorePanel", "Why the score is NaN, or why the architecture could not be scored.");

/** `value` with kDigits significant digits, without exponent for counts up to a billion. */
QString number(double value)
{
    if (std::isnan(value))
        return QStringLiteral("NaN");
    if (std::abs(value) >= 1e4 && std::abs(value) < 1e9)
        return QString::number(value, 'f', 0);
    return QString::number(value, 'g', kDigits);
}

QString count(int value)
{
    return QLocale(QLocale::English).toString(value);
}

/** number() with a "+" in front of a positive value, for differences. */
QString signedNumber(double value)
{
    return value > 0 ? QStringLiteral("+") + number(value) : number(value);
}

/** A percentage with two significant digits below 10 and none after the point from 10 on, signed like a difference. */
QString signedPercent(double percent)
{
    const QString digits
        = std::abs(percent) >= 10 ? QString::number(percent, 'f', 0) : QString::number(percent, 'g', 2);
    return percent > 0 ? QStringLiteral("+") + digits : digits;
}

QString precisionName(Precision precision)
{
    return precision == Precision::Float32 ? QStringLiteral("float32") : QStringLiteral("float64");
}

/** What one raw output row is like, as far as normalising it goes (algorithm §1.5). */
struct Row {
    enum class State { Varies, AllZero, Constant, AllNaN, Infinite, Missing };
    State state = State::Missing;
    double value = 0;
    int size = 0;
};

Row classify(const std::vector<double>& raw, Precision precision)
{
    Row row;
    row.size = int(raw.size());
    if (raw.empty())
        return row;
    // Equal as the evaluation precision sees them: float32 rows are compared as float32, like normalising does.
    const auto asEvaluated = [precision](double value) {
        return precision == Precision::Float32 ? double(static_cast<float>(value)) : value;
    };
    double lowest = std::numeric_limits<double>::infinity(), highest = -lowest;
    bool anyNumber = false;
    for (double value : raw) {
        if (std::isnan(value))
            continue;
        if (std::isinf(value)) {
            row.state = Row::State::Infinite;
            return row;
        }
        anyNumber = true;
        lowest = std::min(lowest, asEvaluated(value));
        highest = std::max(highest, asEvaluated(value));
    }
    if (!anyNumber)
        row.state = Row::State::AllNaN;
    else if (lowest != highest)
        row.state = Row::State::Varies;
    else
        row.state = lowest == 0 ? Row::State::AllZero : Row::State::Constant;
    row.value = lowest;
    return row;
}

/** Why one row cannot be normalised (empty when it can), for a row that is not the both-zero case. */
QString rowProblem(const Row& row, const QString& weight, Precision precision)
{
    switch (row.state) {
    case Row::State::Varies:
    case Row::State::Missing:
        return {};
    case Row::State::AllNaN:
        return ScorePanel::tr("At %1 every output is NaN, so there is nothing to normalise.").arg(weight);
    case Row::State::Infinite:
        return ScorePanel::tr("At %1 outputs overflow to infinity in %2, so the row cannot be normalised.")
            .arg(weight, precisionName(precision));
    case Row::State::AllZero:
    case Row::State::Constant:
        return ScorePanel::tr("At %1 all %2 outputs are equal (%3): they do not change with the input, so they "
                              "cannot be min-max normalised.")
            .arg(weight, count(row.size), number(row.value));
    }
    return {};
}

/** Counts `values` into kBins equal bins over their range; a single distinct value gets one narrow bar. */
void fillBars(QCPBars* bars, const std::vector<double>& values, double low, double high)
{
    QVector<double> keys, counts;
    if (values.empty()) {
        bars->data()->clear();
        return;
    }
    if (!(high > low)) {
        const double width = low == 0 ? 1 : std::abs(low) * 0.1;
        bars->setWidth(width);
        bars->setData({ low }, { double(values.size()) });
        return;
    }
    const double width = (high - low) / kBins;
    counts.fill(0, kBins);
    for (double value : values)
        counts[std::clamp(int((value - low) / width), 0, kBins - 1)] += 1;
    for (int bin = 0; bin < kBins; ++bin)
        keys.push_back(low + (bin + 0.5) * width);
    bars->setWidth(width);
    bars->setData(keys, counts, true);
}

std::pair<double, double> range(const std::vector<double>& values)
{
    if (values.empty())
        return { 0, 1 };
    const auto [low, high] = std::minmax_element(values.begin(), values.end());
    return { *low, *high };
}

std::vector<double> finite(const std::vector<double>& values)
{
    std::vector<double> kept;
    for (double value : values) {
        if (std::isfinite(value))
            kept.push_back(value);
    }
    return kept;
}

/** What a raw-output histogram counts of one row: the finite outputs, as log10|y| on a log scale, and the zeros. */
struct RawValues {
    std::vector<double> values;
    int zeros = 0;
};

RawValues rawValues(const std::vector<double>& outputs, bool logMagnitude)
{
    RawValues raw;
    for (double value : outputs) {
        if (value == 0) {
            ++raw.zeros;
            if (!logMagnitude)
                raw.values.push_back(0);
        } else if (std::isfinite(value)) {
            raw.values.push_back(logMagnitude ? std::log10(std::abs(value)) : value);
        }
    }
    return raw;
}

/** The note of a raw histogram about `outputs`' exact zeros, or that the row was not computed. */
QString zerosNote(const std::vector<double>& outputs, int zeros, bool logMagnitude)
{
    if (outputs.empty())
        return ScorePanel::tr("not computed");
    if (zeros == int(outputs.size()))
        return ScorePanel::tr("all %1 outputs are exactly 0").arg(count(zeros));
    if (zeros > 0)
        return logMagnitude ? ScorePanel::tr("%1 exact zeros not shown").arg(count(zeros))
                            : ScorePanel::tr("%1 exact zeros").arg(count(zeros));
    return {};
}

/** |normalised w_lo − normalised w_hi| for each sample left in both rows. */
std::vector<double> absoluteDifferences(const ScoreBreakdown& breakdown)
{
    std::vector<double> delta;
    for (std::size_t i = 0; i < breakdown.normalizedLow.size() && i < breakdown.normalizedHigh.size(); ++i) {
        const double difference = std::abs(breakdown.normalizedLow[i] - breakdown.normalizedHigh[i]);
        if (std::isfinite(difference))
            delta.push_back(difference);
    }
    return delta;
}

/**
 * Sets both axes of `rect` from the bars' own data, never from what the axes showed before (another cell's or
 * another space's range): keys span the bars with a margin, counts run from 0 to a tenth above the tallest bar.
 * Without data the axes show [0, 1]. `keys`, when given, fixes the key axis (the normalised [0, 1] plots).
 */
void rescale(QCPAxisRect* rect, std::initializer_list<QCPBars*> bars, std::optional<QCPRange> keys = {})
{
    double low = std::numeric_limits<double>::infinity(), high = -low, tallest = 0;
    for (QCPBars* plotted : bars) {
        for (const QCPBarsData& bar : *plotted->data()) {
            low = std::min(low, bar.key - plotted->width() / 2);
            high = std::max(high, bar.key + plotted->width() / 2);
            tallest = std::max(tallest, bar.value);
        }
    }
    if (!keys) {
        const double pad = (high - low) * 0.02;
        keys = low <= high ? QCPRange(low - pad, high + pad) : QCPRange(0, 1);
    }
    rect->axis(QCPAxis::atBottom)->setRange(*keys);
    rect->axis(QCPAxis::atLeft)->setRange(0, std::max(1.0, tallest * 1.1));
}
} // namespace

std::optional<Standing> standingAmong(
    const QString& target, double value, const QList<double>& values, bool lowerIsBetter)
{
    if (!std::isfinite(value))
        return std::nullopt;
    Standing standing { target, value, 1, 0, 0 };
    for (double other : values) {
        if (!std::isfinite(other))
            continue;
        ++standing.count;
        if (lowerIsBetter ? other < value : other > value)
            ++standing.rank;
    }
    standing.topPercent = 100.0 * standing.rank / standing.count;
    return standing;
}

QString syntheticInputNote(const ScoringConfig& config)
{
    const SearchSpace& space = *config.space;
    QString input;
    QString kind;
    if (space.inputKind() == InputKind::Tokens) {
        if (config.tokens.kind != TokenSpec::Kind::Synthetic)
            return {};
        input = ScorePanel::tr("generated token ids, not PTB text");
        kind = QStringLiteral("synthetic");
    } else if (config.input.kind == InputSpec::Kind::Grey) {
        input = ScorePanel::tr("grey ramp");
        kind = QStringLiteral("grey");
    } else if (config.input.kind == InputSpec::Kind::Noise) {
        input = ScorePanel::tr("Gaussian noise, seed %1").arg(config.input.seed);
        kind = QStringLiteral("noise");
    } else {
        return {};
    }
    const QString settings = space.inputKind() == InputKind::Tokens ? ScorePanel::tr("PTB text: Settings → Input.")
                                                                    : ScorePanel::tr("Real batch: Settings → Input.");
    const std::string effect = space.syntheticInputEffect(kind.toStdString());
    if (effect.empty())
        return ScorePanel::tr("Synthetic input (%1): its effect on the ranking is not measured for this space. %2")
            .arg(input, settings);
    return ScorePanel::tr("Synthetic input (%1): on %2 it ranks %3. %4")
        .arg(input, QString::fromStdString(space.name()), QString::fromStdString(effect), settings);
}

QString explainNan(
    const ArchScore& score, const WeightPair& weights, Precision precision, std::optional<bool> hasInputOutputPath)
{
    if (!score.isNan())
        return {};
    if (score.outputLow.empty())
        return QString::fromStdString(score.nanReason);
    const Row low = classify(score.outputLow, precision);
    const Row high = classify(score.outputHigh, precision);
    const QString atLow = ScorePanel::tr("w_lo = %1").arg(weightText(weights.low));
    const QString atHigh = ScorePanel::tr("w_hi = %1").arg(weightText(weights.high));
    if (low.state == Row::State::AllZero && high.state == Row::State::AllZero) {
        if (hasInputOutputPath == false)
            return ScorePanel::tr("The architecture has no path from its input to its output, so every output is "
                                  "exactly 0 at both %1 and %2. Outputs that do not vary cannot be normalised.")
                .arg(atLow, atHigh);
        if (hasInputOutputPath == true)
            return ScorePanel::tr("Every output is exactly 0 at both %1 and %2, although a path joins input and "
                                  "output: at both weights the signal is lost on its way (it underflows to 0 in %3 "
                                  "when both weights are small, or the samples do not differ). Outputs that do not "
                                  "vary cannot be normalised.")
                .arg(atLow, atHigh, precisionName(precision));
        return ScorePanel::tr("Every output is exactly 0 at both %1 and %2: no signal from the input reaches the "
                              "output at either weight. Outputs that do not vary cannot be normalised.")
            .arg(atLow, atHigh);
    }
    if (low.state == Row::State::AllZero && high.state != Row::State::AllZero
        && rowProblem(high, atHigh, precision).isEmpty()) {
        const QString other = high.state == Row::State::Varies ? ScorePanel::tr("at %1 they vary").arg(atHigh)
                                                               : ScorePanel::tr("%1 was not run").arg(atHigh);
        return ScorePanel::tr("At %1 every output is exactly 0 (%2): every input→output path passes a "
                              "convolution or linear layer, each shrinks the signal by orders of magnitude at this "
                              "weight, and in %3 it underflows to 0 (as in the reference).")
            .arg(atLow, other, precisionName(precision));
    }
    QStringList problems;
    for (const QString& problem : { rowProblem(low, atLow, precision), rowProblem(high, atHigh, precision) }) {
        if (!problem.isEmpty())
            problems << problem;
    }
    if (!problems.isEmpty())
        return problems.join(QLatin1Char(' '));
    if (score.outputLow.size() != score.outputHigh.size())
        return ScorePanel::tr("The two passes gave different numbers of outputs (%1 and %2).")
            .arg(count(low.size), count(high.size));
    const ScoreBreakdown breakdown = computeScore(score.outputLow, score.outputHigh, weights, precision);
    if (std::isnan(breakdown.mae))
        return ScorePanel::tr("Every sample sits at the minimum of at least one of the two rows; such samples are left "
                              "out (as the reference does), so none is left to compare.");
    return QString::fromStdString(score.nanReason);
}

ScorePanel::ScorePanel(QWidget* parent)
    : QWidget(parent)
{
    m_score = new QLabel(tr("Score: —"), this);
    m_score->setObjectName(QStringLiteral("scoreValue"));
    QFont big = m_score->font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    big.setBold(true);
    m_score->setFont(big);
    m_score->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Room for the longest score text, so that the line beside it does not move as the score changes.
    m_score->setMinimumWidth(QFontMetrics(big).horizontalAdvance(tr("Score: -8.888e-88")));
    m_score->setToolTip(tr("The epsinas score of the current architecture: MAE ÷ mean normalised output. Higher "
                           "ranks better; NaN when the outputs cannot be normalised (the reason is below)."));
    m_state = new FixedLinesLabel(1, this);
    m_state->setObjectName(QStringLiteral("scoreState"));
    m_state->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_state->setHelp(tr("How long the score took and where it ran, or why the numbers shown are not current."));
    m_details = new FixedLinesLabel(2, this);
    m_details->setObjectName(QStringLiteral("scoreDetails"));
    m_details->setHelp(tr("The two numbers the score is made of, and how many outputs the reference's rule leaves "
                          "out: after min-max normalisation every output at its row's minimum (the minimum and all "
                          "tied with it) becomes NaN."));
    m_message = new FixedLinesLabel(2, this);
    m_message->setObjectName(QStringLiteral("scoreMessage"));
    m_message->setHelp(tr(kMessageHelp));
    m_standing = new FixedLinesLabel(1, this);
    m_standing->setObjectName(QStringLiteral("scoreStanding"));
    m_standing->setHelp(tr("The architecture's own value in the loaded table's target column, its rank among the "
                           "table's architectures with a value there (1 = best; tied values share the best rank) "
                           "and the top share that rank puts it in (rank ÷ count)."));
    m_inputNote = new FixedLinesLabel(2, this);
    m_inputNote->setObjectName(QStringLiteral("inputNote"));
    setTextColour(m_inputNote, warningColour());
    m_inputNote->setHelp(tr("The input batch decides the scores; a synthetic batch is a default, not the reference's "
                            "choice of real images or text."));
    m_compare = new FixedLinesLabel(1, this);
    m_compare->setObjectName(QStringLiteral("scoreCompare"));
    m_compare->setHelp(tr("The pinned architecture (Teaching → Pin) against the current one: both scores, their "
                          "difference current − pinned and what share of the pinned score it is. In the histograms "
                          "the pinned architecture is outlined in black, in the same bins as the current one."));
    m_logMagnitude = new QCheckBox(tr("Raw outputs as log₁₀|y|"), this);
    m_logMagnitude->setToolTip(tr("Show the two raw-output histograms on a log scale: at w_lo the outputs are tiny "
                                  "(1e-20 or smaller), and only a log scale shows their spread. Exact zeros "
                                  "have no logarithm and are counted in the plot's note instead."));
    m_logMagnitude->setChecked(true);
    connect(m_logMagnitude, &QCheckBox::toggled, this, [this](bool on) {
        redraw();
        Q_EMIT logMagnitudeChanged(on);
    });

    m_explain = new QPushButton(tr("Explain…"), this);
    m_explain->setObjectName(QStringLiteral("explainButton"));
    m_explain->setToolTip(tr("Step through why this architecture scores what it scores (Teaching → Explain This "
                             "Score, Ctrl+I)"));
    m_explain->setFocusPolicy(Qt::TabFocus);
    connect(m_explain, &QPushButton::clicked, this, &ScorePanel::explainRequested);

    m_plot = new QCustomPlot(this);
    m_plot->setObjectName(QStringLiteral("histograms"));
    m_plot->plotLayout()->clear();
    m_low = addHistogram(0, 0, lowWeightColour());
    m_low.help = tr("Raw outputs at w_lo: how the network's output for each of the batch's samples is spread, "
                    "with every weight set to the small constant.");
    m_high = addHistogram(0, 1, highWeightColour());
    m_high.help = tr("Raw outputs at w_hi: the same network and batch with every weight set to the large constant.");
    m_normalised = addHistogram(1, 0, lowWeightColour(), highWeightColour());
    m_normalised.help = tr("Both rows min-max normalised to [0, 1] (blue w_lo, orange w_hi). Outputs at 0, the "
                           "minimum and all tied with it, are left out as the reference does.");
    m_delta = addHistogram(1, 1, QColor(90, 90, 90));
    m_delta.help = tr("|normalised w_lo − normalised w_hi| for each sample left in both rows. The dashed line is "
                      "their mean, the MAE; the score is the MAE divided by the mean normalised output.");
    m_maeLine = new QCPItemStraightLine(m_plot);
    m_maeLine->setClipAxisRect(m_delta.rect);
    for (QCPItemPosition* position : { m_maeLine->point1, m_maeLine->point2 })
        position->setAxes(m_delta.rect->axis(QCPAxis::atBottom), m_delta.rect->axis(QCPAxis::atLeft));
    m_maeLine->setPen(QPen(QColor(200, 0, 60), 1.5, Qt::DashLine));
    m_maeLine->setVisible(false);
    m_pinnedMaeLine = new QCPItemStraightLine(m_plot);
    m_pinnedMaeLine->setClipAxisRect(m_delta.rect);
    for (QCPItemPosition* position : { m_pinnedMaeLine->point1, m_pinnedMaeLine->point2 })
        position->setAxes(m_delta.rect->axis(QCPAxis::atBottom), m_delta.rect->axis(QCPAxis::atLeft));
    m_pinnedMaeLine->setPen(QPen(kPinnedColor, 1.5, Qt::DashLine));
    m_pinnedMaeLine->setVisible(false);
    m_normalised.bars->setName(tr("w_lo"));
    m_normalised.second->setName(tr("w_hi"));
    m_normalised.pinned->setName(tr("pinned w_lo"));
    m_normalised.pinnedSecond->setName(tr("pinned w_hi"));
    m_legend = new QCPLegend;
    m_normalised.rect->insetLayout()->addElement(m_legend, Qt::AlignTop | Qt::AlignRight);
    m_legend->setLayer(QStringLiteral("legend"));
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.8);
    m_legend->setFont(small);
    m_legend->setIconSize(10, 8);
    m_legend->setBrush(QColor(255, 255, 255, 200));
    m_legend->addItem(new QCPPlottableLegendItem(m_legend, m_normalised.bars));
    m_legend->addItem(new QCPPlottableLegendItem(m_legend, m_normalised.second));
    m_plot->installEventFilter(this);
    m_plot->setWhatsThis(tr("<p>The four histograms show what the score is made of, for the batch's samples:</p>"
                            "<p>top left: %1</p><p>top right: %2</p><p>bottom left: %3</p><p>bottom right: %4</p>"
                            "<p>While an architecture is pinned (Teaching → Pin), its histograms are outlined in "
                            "black over the current ones, in the same bins; its MAE is the black dashed line.</p>")
                             .arg(m_low.help, m_high.help, m_normalised.help, m_delta.help));
    rescale(m_low.rect, { m_low.bars });
    rescale(m_high.rect, { m_high.bars });
    rescale(m_normalised.rect, { m_normalised.bars, m_normalised.second }, QCPRange(-0.03, 1.03));
    rescale(m_delta.rect, { m_delta.bars }, QCPRange(-0.03, 1.03));
    m_low.bars->setObjectName(QStringLiteral("rawLowBars"));
    m_high.bars->setObjectName(QStringLiteral("rawHighBars"));
    m_normalised.bars->setObjectName(QStringLiteral("normalisedLowBars"));
    m_normalised.second->setObjectName(QStringLiteral("normalisedHighBars"));
    m_delta.bars->setObjectName(QStringLiteral("deltaBars"));
    m_low.pinned->setObjectName(QStringLiteral("pinnedRawLowBars"));
    m_high.pinned->setObjectName(QStringLiteral("pinnedRawHighBars"));
    m_normalised.pinned->setObjectName(QStringLiteral("pinnedNormalisedLowBars"));
    m_normalised.pinnedSecond->setObjectName(QStringLiteral("pinnedNormalisedHighBars"));
    m_delta.pinned->setObjectName(QStringLiteral("pinnedDeltaBars"));

    auto* header = new QHBoxLayout;
    header->addWidget(m_score);
    header->addWidget(m_state, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(2);
    layout->addLayout(header);
    // Right under the score it compares; always one line high, empty while nothing is pinned.
    layout->addWidget(m_compare);
    layout->addWidget(m_details);
    layout->addWidget(m_message);
    // The check box shares the standing's line: every line of text costs the histograms height on a laptop.
    auto* standingRow = new QHBoxLayout;
    standingRow->addWidget(m_standing, 1);
    standingRow->addWidget(m_logMagnitude);
    standingRow->addWidget(m_explain);
    layout->addLayout(standingRow);
    layout->addWidget(m_inputNote);
    layout->addWidget(m_plot, 1);
    // Four histograms stay readable at 80 px each, less the compare line's row: with it the panel is no taller at
    // its smallest than without it, which leaves room for the text lines above and the editor on a 700-pixel-high
    // window (the histograms get 70 px each there; any larger dock gives them more).
    m_plotMinimumHeight = 160 - m_compare->height() - layout->spacing();
    m_deskLineSpacing = fontMetrics().lineSpacing();
    m_plot->setMinimumSize(320, m_plotMinimumHeight);
    for (QWidget* child : std::initializer_list<QWidget*> {
             m_score, m_state, m_compare, m_details, m_message, m_standing, m_inputNote, m_logMagnitude, m_explain })
        child->setWhatsThis(child->toolTip());
}

ScorePanel::Histogram ScorePanel::addHistogram(int row, int column, const QColor& color, const QColor& second)
{
    Histogram histogram;
    histogram.rect = new QCPAxisRect(m_plot);
    m_plot->plotLayout()->addElement(row, column, histogram.rect);
    QCPAxis* x = histogram.rect->axis(QCPAxis::atBottom);
    QCPAxis* y = histogram.rect->axis(QCPAxis::atLeft);
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    for (QCPAxis* axis : { x, y }) {
        axis->setLabelFont(small);
        axis->setTickLabelFont(small);
    }
    x->ticker()->setTickCount(4);
    y->setLabel(tr("samples"));
    histogram.bars = new QCPBars(x, y);
    histogram.bars->setPen(Qt::NoPen);
    histogram.bars->setBrush(QColor(color.red(), color.green(), color.blue(), second.isValid() ? 140 : 200));
    if (second.isValid()) {
        histogram.second = new QCPBars(x, y);
        histogram.second->setPen(Qt::NoPen);
        histogram.second->setBrush(QColor(second.red(), second.green(), second.blue(), 140));
    }
    // Outlines, so the current fills stay readable under them; the second row's dashed to tell the two apart.
    const auto outline = [&](Qt::PenStyle style) {
        auto* bars = new QCPBars(x, y);
        bars->setPen(QPen(kPinnedColor, 1.2, style));
        bars->setBrush(Qt::NoBrush);
        return bars;
    };
    histogram.pinned = outline(Qt::SolidLine);
    if (second.isValid())
        histogram.pinnedSecond = outline(Qt::DashLine);
    histogram.note = new QCPItemText(m_plot);
    histogram.note->setClipAxisRect(histogram.rect);
    histogram.note->position->setAxisRect(histogram.rect);
    histogram.note->position->setType(QCPItemPosition::ptAxisRectRatio);
    histogram.note->position->setCoords(0.03, 0.03);
    histogram.note->setPositionAlignment(Qt::AlignTop | Qt::AlignLeft);
    histogram.note->setFont(small);
    histogram.note->setColor(QColor(90, 90, 90));
    // A second line (the pinned architecture's zeros) starts where the first does. No ground behind it: in a small
    // dock it would hide the bars it covers.
    histogram.note->setTextAlignment(Qt::AlignLeft);
    histogram.note->setText({});
    return histogram;
}

void ScorePanel::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    // Larger text (presentation mode) needs taller histograms for the same plot area between their labels; the dock
    // scrolls rather than squeeze them.
    if (event->type() == QEvent::FontChange && m_plot)
        m_plot->setMinimumHeight(m_plotMinimumHeight * fontMetrics().lineSpacing() / m_deskLineSpacing);
}

bool ScorePanel::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_plot && event->type() == QEvent::ToolTip) {
        const auto* help = static_cast<QHelpEvent*>(event);
        for (const Histogram* histogram : { &m_low, &m_high, &m_normalised, &m_delta }) {
            if (histogram->rect->outerRect().contains(help->pos())) {
                const QString pinned = m_isPinned
                    ? QStringLiteral("\n\n") + tr("Outlined in black: the pinned architecture, in the same bins.")
                    : QString();
                QToolTip::showText(help->globalPos(), histogram->help + pinned, m_plot);
                return true;
            }
        }
        QToolTip::hideText();
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

bool ScorePanel::logMagnitude() const
{
    return m_logMagnitude->isChecked();
}

void ScorePanel::setLogMagnitude(bool on)
{
    m_logMagnitude->setChecked(on);
}

QString ScorePanel::scoreText() const
{
    return m_score->text();
}

QString ScorePanel::detailsText() const
{
    return m_details->fullText();
}

QString ScorePanel::messageText() const
{
    return m_message->fullText();
}

QString ScorePanel::standingText() const
{
    return m_standing->fullText();
}

QString ScorePanel::inputNoteText() const
{
    return m_inputNote->fullText();
}

QString ScorePanel::compareText() const
{
    return m_compare->fullText();
}

QCPBars* ScorePanel::pinnedBars(int index, bool second) const
{
    const std::array<const Histogram*, 4> histograms { &m_low, &m_high, &m_normalised, &m_delta };
    if (index < 0 || index >= int(histograms.size()))
        return nullptr;
    return second ? histograms[index]->pinnedSecond : histograms[index]->pinned;
}

void ScorePanel::setDimmed(bool dimmed)
{
    m_dimmed = dimmed;
    const QColor colour = dimmed ? kDimmedColour : QColor();
    setTextColour(m_score, colour);
    setTextColour(m_details, colour);
    updateCompare();
}

void ScorePanel::markStale(const QString& why)
{
    m_state->setFullText(why);
    setTextColour(m_state, warningColour());
    setDimmed(true);
}

void ScorePanel::showError(const QString& message)
{
    showProblem(tr("Scoring failed"), message);
}

void ScorePanel::showNotScored(const QString& why)
{
    showProblem(tr("Not scored"), why);
}

void ScorePanel::showProblem(const QString& state, const QString& message)
{
    m_state->setFullText(state);
    setTextColour(m_state, errorColour());
    m_message->setFullText(message);
    m_message->setHelp(tr(kMessageHelp));
    setTextColour(m_message, errorColour());
    m_score->setText(tr("Score: —"));
    m_details->setFullText({});
    // The histograms of the architecture before would read as this one's.
    m_hasResult = false;
    m_problem = state;
    setDimmed(true);
    clearHistograms();
}

void ScorePanel::setStanding(const std::optional<Standing>& standing)
{
    setTextColour(m_standing, standing ? QColor() : kQuietColour);
    if (!standing) {
        m_standing->setFullText(tr("Not in the loaded table."));
        return;
    }
    const QString percent = standing->topPercent >= 10 ? QString::number(standing->topPercent, 'f', 0)
                                                       : QString::number(standing->topPercent, 'g', 2);
    m_standing->setFullText(
        tr("%1 %2 · rank %3 of %4 · top %5 %")
            .arg(standing->target, number(standing->value), count(standing->rank), count(standing->count), percent));
}

void ScorePanel::clearStanding()
{
    m_standing->setFullText({});
}

void ScorePanel::setInputNote(const QString& note)
{
    m_inputNote->setFullText(note);
}

void ScorePanel::showResult(const ScoreResult& result, const WeightPair& weights, Precision precision)
{
    m_result = result;
    m_weights = weights;
    m_precision = precision;
    m_hasResult = true;
    m_problem.clear();
    setDimmed(false);
    const QString milliseconds = result.milliseconds >= 100 ? QString::number(result.milliseconds, 'f', 0)
                                                            : QString::number(result.milliseconds, 'g', 2);
    m_state->setFullText(tr("%1 ms on %2").arg(milliseconds, result.device));
    setTextColour(m_state, kQuietColour);
    const ArchScore& score = result.score;
    m_score->setText(tr("Score: %1").arg(number(score.isNan() ? std::nan("") : score.score)));
    setTextColour(m_message, warningColour());
    const std::optional<bool> path
        = result.arch.empty() ? std::nullopt : result.arch.space().hasInputOutputPath(result.arch);
    m_message->setFullText(
        score.isNan() ? tr("Why NaN: %1").arg(explainNan(score, weights, precision, path)) : QString());
    m_message->setHelp(score.isNan() ? tr("Why the score is NaN. epsinas score writes this case as nan_reason “%1”.")
                                           .arg(QString::fromStdString(score.nanReason))
                                     : tr(kMessageHelp));
    redraw();
}

void ScorePanel::clearHistograms()
{
    for (Histogram* histogram : { &m_low, &m_high, &m_normalised, &m_delta }) {
        for (QCPBars* bars : { histogram->bars, histogram->second, histogram->pinned, histogram->pinnedSecond }) {
            if (bars)
                bars->data()->clear();
        }
        histogram->note->setText({});
    }
    m_maeLine->setVisible(false);
    m_pinnedMaeLine->setVisible(false);
    m_low.rect->axis(QCPAxis::atBottom)->setLabel(tr("output, w_lo"));
    m_high.rect->axis(QCPAxis::atBottom)->setLabel(tr("output, w_hi"));
    rescale(m_low.rect, { m_low.bars });
    rescale(m_high.rect, { m_high.bars });
    rescale(m_normalised.rect, { m_normalised.bars, m_normalised.second }, QCPRange(-0.03, 1.03));
    rescale(m_delta.rect, { m_delta.bars }, QCPRange(-0.03, 1.03));
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void ScorePanel::fillRaw(
    Histogram& histogram, const std::vector<double>& outputs, const std::vector<double>* pinned, const QString& weight)
{
    QCPAxis* x = histogram.rect->axis(QCPAxis::atBottom);
    const RawValues current = rawValues(outputs, logMagnitude());
    const RawValues compared = pinned ? rawValues(*pinned, logMagnitude()) : RawValues {};
    // One set of bins over both rows, so that a bar of the outline and the fill below it count the same values.
    std::vector<double> both = current.values;
    both.insert(both.end(), compared.values.begin(), compared.values.end());
    const auto [low, high] = range(both);
    fillBars(histogram.bars, current.values, low, high);
    fillBars(histogram.pinned, compared.values, low, high);
    x->setLabel(logMagnitude() ? tr("log₁₀|output|, w = %1").arg(weight) : tr("output, w = %1").arg(weight));
    QString note = zerosNote(outputs, current.zeros, logMagnitude());
    if (pinned) {
        const QString pinnedNote = zerosNote(*pinned, compared.zeros, logMagnitude());
        if (!pinnedNote.isEmpty())
            note += (note.isEmpty() ? QString() : QStringLiteral("\n")) + tr("pinned: %1").arg(pinnedNote);
    }
    histogram.note->setText(note);
    rescale(histogram.rect, { histogram.bars, histogram.pinned });
}

void ScorePanel::redraw()
{
    if (!m_hasResult)
        return;
    const ArchScore& score = m_result.score;
    const ArchScore* pinned = m_isPinned ? &m_pinned.score : nullptr;
    fillRaw(m_low, score.outputLow, pinned ? &pinned->outputLow : nullptr, weightText(m_weights.low));
    fillRaw(m_high, score.outputHigh, pinned ? &pinned->outputHigh : nullptr, weightText(m_weights.high));

    const ScoreBreakdown breakdown = computeScore(score.outputLow, score.outputHigh, m_weights, m_precision);
    // The pinned rows normalised as they were scored: with the pinned result's own weights and precision.
    const ScoreBreakdown pinnedBreakdown = pinned
        ? computeScore(pinned->outputLow, pinned->outputHigh, m_pinnedWeights, m_pinnedPrecision)
        : ScoreBreakdown {};
    const std::vector<double> low = finite(breakdown.normalizedLow);
    const std::vector<double> high = finite(breakdown.normalizedHigh);
    fillBars(m_normalised.bars, low, 0, 1);
    fillBars(m_normalised.second, high, 0, 1);
    fillBars(m_normalised.pinned, finite(pinnedBreakdown.normalizedLow), 0, 1);
    fillBars(m_normalised.pinnedSecond, finite(pinnedBreakdown.normalizedHigh), 0, 1);
    m_normalised.rect->axis(QCPAxis::atBottom)->setLabel(tr("normalised output"));
    m_normalised.note->setText(low.empty() && high.empty() ? tr("neither row can be normalised") : QString());
    rescale(m_normalised.rect,
        { m_normalised.bars, m_normalised.second, m_normalised.pinned, m_normalised.pinnedSecond },
        QCPRange(-0.03, 1.03));

    const std::vector<double> delta = absoluteDifferences(breakdown);
    fillBars(m_delta.bars, delta, 0, 1);
    fillBars(m_delta.pinned, absoluteDifferences(pinnedBreakdown), 0, 1);
    m_delta.rect->axis(QCPAxis::atBottom)->setLabel(tr("|Δ| per sample; dashed: MAE"));
    m_delta.note->setText(
        delta.empty() ? tr("no sample is left in both rows") : tr("%1 samples compared").arg(count(int(delta.size()))));
    rescale(m_delta.rect, { m_delta.bars, m_delta.pinned }, QCPRange(-0.03, 1.03));
    m_maeLine->setVisible(std::isfinite(breakdown.mae));
    m_maeLine->point1->setCoords(breakdown.mae, 0);
    m_maeLine->point2->setCoords(breakdown.mae, 1);
    m_pinnedMaeLine->setVisible(pinned && std::isfinite(pinnedBreakdown.mae));
    m_pinnedMaeLine->point1->setCoords(pinnedBreakdown.mae, 0);
    m_pinnedMaeLine->point2->setCoords(pinnedBreakdown.mae, 1);

    // What the reference's zero-to-NaN rule left out of each row, in words; a row that could not be normalised has
    // no minimum to tie with, so it gets no count (a "0 left out" next to it would mislead).
    const auto leftOut = [](const std::vector<double>& raw, int dropped, const QString& weight, Precision precision) {
        const Row row = classify(raw, precision);
        if (row.state == Row::State::Missing)
            return tr("not computed at %1").arg(weight);
        if (row.state != Row::State::Varies)
            return tr("none at %1 (all equal)").arg(weight);
        return tr("%1 of %2 at %3").arg(count(dropped), count(row.size), weight);
    };
    const QString ties = tr("Left out as the reference does, tied at the minimum: %1, %2")
                             .arg(leftOut(score.outputLow, breakdown.droppedLow, tr("w_lo"), m_precision),
                                 leftOut(score.outputHigh, breakdown.droppedHigh, tr("w_hi"), m_precision));
    const QString numbers = score.isNan()
        ? tr("No MAE or mean normalised output, so no score")
        : tr("MAE %1 ÷ mean normalised output %2 = score").arg(number(breakdown.mae), number(breakdown.mean));
    m_details->setFullText(numbers + QStringLiteral(". ") + ties);
    updateCompare();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void ScorePanel::pin(const ScoreResult& result, const WeightPair& weights, Precision precision)
{
    m_pinned = result;
    m_pinnedWeights = weights;
    m_pinnedPrecision = precision;
    if (!m_isPinned) {
        m_normalised.pinned->addToLegend(m_legend);
        m_normalised.pinnedSecond->addToLegend(m_legend);
    }
    m_isPinned = true;
    if (m_hasResult)
        redraw();
    updateCompare();
}

void ScorePanel::unpin()
{
    if (!m_isPinned)
        return;
    m_isPinned = false;
    m_pinned = {};
    m_normalised.pinned->removeFromLegend(m_legend);
    m_normalised.pinnedSecond->removeFromLegend(m_legend);
    for (QCPBars* bars :
        { m_low.pinned, m_high.pinned, m_normalised.pinned, m_normalised.pinnedSecond, m_delta.pinned })
        bars->data()->clear();
    m_pinnedMaeLine->setVisible(false);
    // The raw histograms' bins spanned both architectures; back to the current one's alone.
    if (m_hasResult)
        redraw();
    updateCompare();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void ScorePanel::updateCompare()
{
    if (!m_isPinned) {
        m_compare->setFullText({});
        return;
    }
    const ArchScore& pinned = m_pinned.score;
    const ArchScore& current = m_result.score;
    const auto scoreText = [](const ArchScore& score) { return number(score.isNan() ? std::nan("") : score.score); };
    QString difference;
    bool isNan = false;
    if (!m_hasResult) {
        difference = m_problem.isEmpty() ? tr("no current score to compare")
                                         : tr("no Δ: current not scored (%1)").arg(m_problem);
    } else if (pinned.isNan() && current.isNan()) {
        isNan = true;
        difference = tr("no Δ: both are NaN (pinned: %1; current: %2)")
                         .arg(QString::fromStdString(pinned.nanReason), QString::fromStdString(current.nanReason));
    } else if (pinned.isNan()) {
        isNan = true;
        difference = tr("no Δ: pinned is NaN: %1").arg(QString::fromStdString(pinned.nanReason));
    } else if (current.isNan()) {
        isNan = true;
        difference = tr("no Δ: current is NaN: %1").arg(QString::fromStdString(current.nanReason));
    } else {
        const double delta = current.score - pinned.score;
        difference = tr("Δ %1").arg(signedNumber(delta));
        difference += pinned.score == 0 ? tr(" (no percentage of a pinned 0)")
                                        : tr(" (%1 %)").arg(signedPercent(100 * delta / std::abs(pinned.score)));
    }
    QStringList parts { tr("Pinned %1").arg(scoreText(pinned)),
        tr("current %1").arg(m_hasResult ? scoreText(current) : QStringLiteral("—")), difference };
    // A comparison across settings is a comparison of settings too: say so.
    if (m_hasResult
        && (m_pinnedWeights.low != m_weights.low || m_pinnedWeights.high != m_weights.high
            || m_pinnedPrecision != m_precision))
        parts << tr("pinned at w_lo = %1, w_hi = %2, %3")
                     .arg(weightText(m_pinnedWeights.low), weightText(m_pinnedWeights.high),
                         precisionName(m_pinnedPrecision));
    // Last, so that the line cuts the architecture's text (whole in the tooltip) and never the numbers.
    if (!m_pinned.arch.empty())
        parts << tr("pinned %1").arg(QString::fromStdString(m_pinned.arch.space().format(m_pinned.arch)));
    m_compare->setFullText(parts.join(QStringLiteral(" · ")));
    setTextColour(m_compare, m_dimmed ? kDimmedColour : (isNan ? warningColour() : QColor()));
}

} // namespace epsinas::gui
