// SPDX-License-Identifier: MIT
#include "scorepanel.h"

#include "score/scoreformula.h"

#include <QCheckBox>
#include <QGridLayout>
#include <QLabel>
#include <QVBoxLayout>

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace epsinas::gui {

namespace {
// Bins per histogram: enough to show shape at batch 256 without mostly empty bars.
constexpr int kBins = 32;
const QColor kLowColor(35, 90, 190);
const QColor kHighColor(224, 123, 0);

QString weightText(double w)
{
    return QString::fromStdString(shortestText(w));
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

void rescale(QCPAxisRect* rect, QCPBars* first, QCPBars* second = nullptr)
{
    first->rescaleAxes();
    if (second && !second->data()->isEmpty())
        second->rescaleAxes(true);
    QCPRange keys = rect->axis(QCPAxis::atBottom)->range();
    const double pad = std::max(first->width(), keys.size() * 0.02);
    rect->axis(QCPAxis::atBottom)->setRange(keys.lower - pad, keys.upper + pad);
    rect->axis(QCPAxis::atLeft)->setRangeLower(0);
    rect->axis(QCPAxis::atLeft)->setRangeUpper(std::max(1.0, rect->axis(QCPAxis::atLeft)->range().upper * 1.1));
}
} // namespace

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
    m_state = new QLabel(this);
    m_state->setObjectName(QStringLiteral("scoreState"));
    m_details = new QLabel(this);
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_reason = new QLabel(this);
    m_reason->setWordWrap(true);
    m_reason->setStyleSheet(QStringLiteral("color: #9a4d00;"));
    m_reason->hide();
    m_logMagnitude = new QCheckBox(tr("Raw outputs as log₁₀|y|"), this);
    m_logMagnitude->setToolTip(tr("w_lo outputs are around 1e-20: a log scale shows their spread"));
    m_logMagnitude->setChecked(true);
    connect(m_logMagnitude, &QCheckBox::toggled, this, [this](bool on) {
        redraw();
        Q_EMIT logMagnitudeChanged(on);
    });

    m_plot = new QCustomPlot(this);
    m_plot->setObjectName(QStringLiteral("histograms"));
    m_plot->setMinimumSize(320, 300);
    m_plot->plotLayout()->clear();
    m_low = addHistogram(0, 0, kLowColor);
    m_high = addHistogram(0, 1, kHighColor);
    m_normalised = addHistogram(1, 0, kLowColor, kHighColor);
    m_delta = addHistogram(1, 1, QColor(90, 90, 90));
    m_maeLine = new QCPItemStraightLine(m_plot);
    m_maeLine->setClipAxisRect(m_delta.rect);
    for (QCPItemPosition* position : { m_maeLine->point1, m_maeLine->point2 })
        position->setAxes(m_delta.rect->axis(QCPAxis::atBottom), m_delta.rect->axis(QCPAxis::atLeft));
    m_maeLine->setPen(QPen(QColor(200, 0, 60), 1.5, Qt::DashLine));
    m_maeLine->setVisible(false);
    m_normalised.bars->setName(tr("w_lo"));
    m_normalised.second->setName(tr("w_hi"));

    auto* header = new QHBoxLayout;
    header->addWidget(m_score);
    header->addStretch();
    header->addWidget(m_state);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(header);
    layout->addWidget(m_details);
    layout->addWidget(m_reason);
    layout->addWidget(m_logMagnitude);
    layout->addWidget(m_plot, 1);
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
    histogram.note = new QCPItemText(m_plot);
    histogram.note->setClipAxisRect(histogram.rect);
    histogram.note->position->setAxisRect(histogram.rect);
    histogram.note->position->setType(QCPItemPosition::ptAxisRectRatio);
    histogram.note->position->setCoords(0.03, 0.03);
    histogram.note->setPositionAlignment(Qt::AlignTop | Qt::AlignLeft);
    histogram.note->setFont(small);
    histogram.note->setColor(QColor(90, 90, 90));
    histogram.note->setText({});
    return histogram;
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

void ScorePanel::setDimmed(bool dimmed)
{
    const QString colour = dimmed ? QStringLiteral("color: #999;") : QString();
    m_score->setStyleSheet(colour);
    m_details->setStyleSheet(colour);
}

void ScorePanel::markStale(const QString& why)
{
    m_state->setText(why);
    m_state->setStyleSheet(QStringLiteral("color: #9a4d00; font-style: italic;"));
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
    m_state->setText(state);
    m_state->setStyleSheet(QStringLiteral("color: #b00020; font-weight: bold;"));
    m_reason->setText(message);
    m_reason->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_reason->show();
    setDimmed(true);
}

void ScorePanel::showResult(const ScoreResult& result, const WeightPair& weights, Precision precision)
{
    m_result = result;
    m_weights = weights;
    m_precision = precision;
    m_hasResult = true;
    setDimmed(false);
    m_state->setText(tr("%1 ms on %2").arg(result.milliseconds, 0, 'f', 0).arg(result.device));
    m_state->setStyleSheet(QStringLiteral("color: #555;"));
    const ArchScore& score = result.score;
    m_score->setText(score.isNan() ? tr("Score: NaN") : tr("Score: %1").arg(score.score, 0, 'f', 4));
    m_reason->setStyleSheet(QStringLiteral("color: #9a4d00;"));
    m_reason->setVisible(score.isNan());
    m_reason->setText(tr("Why NaN: %1").arg(QString::fromStdString(score.nanReason)));
    redraw();
}

void ScorePanel::fillRaw(Histogram& histogram, const std::vector<double>& outputs, const QString& weight)
{
    QCPAxis* x = histogram.rect->axis(QCPAxis::atBottom);
    int zeros = 0;
    std::vector<double> values;
    for (double value : outputs) {
        if (value == 0) {
            ++zeros;
            if (!logMagnitude())
                values.push_back(0);
        } else if (std::isfinite(value)) {
            values.push_back(logMagnitude() ? std::log10(std::abs(value)) : value);
        }
    }
    const auto [low, high] = range(values);
    fillBars(histogram.bars, values, low, high);
    x->setLabel(logMagnitude() ? tr("log₁₀|output|, w = %1").arg(weight) : tr("raw output, w = %1").arg(weight));
    QString note;
    if (zeros == int(outputs.size()) && !outputs.empty())
        note = tr("all %1 outputs are exactly 0").arg(zeros);
    else if (zeros > 0)
        note = logMagnitude() ? tr("%1 exact zeros not shown").arg(zeros) : tr("%1 exact zeros").arg(zeros);
    histogram.note->setText(note);
    rescale(histogram.rect, histogram.bars);
}

void ScorePanel::redraw()
{
    if (!m_hasResult)
        return;
    const ArchScore& score = m_result.score;
    fillRaw(m_low, score.outputLow, weightText(m_weights.low));
    fillRaw(m_high, score.outputHigh, weightText(m_weights.high));

    const ScoreBreakdown breakdown = computeScore(score.outputLow, score.outputHigh, m_weights, m_precision);
    const std::vector<double> low = finite(breakdown.normalizedLow);
    const std::vector<double> high = finite(breakdown.normalizedHigh);
    fillBars(m_normalised.bars, low, 0, 1);
    fillBars(m_normalised.second, high, 0, 1);
    m_normalised.rect->axis(QCPAxis::atBottom)->setLabel(tr("min-max normalised output (w_lo blue, w_hi orange)"));
    m_details->setText(tr("MAE %1 · mean normalised output %2 · the zero-to-NaN rule dropped %3 (w_lo) and %4 (w_hi) "
                          "of %5 samples")
                           .arg(std::isnan(score.mae) ? tr("NaN") : QString::number(score.mae, 'f', 4))
                           .arg(std::isnan(score.mean) ? tr("NaN") : QString::number(score.mean, 'f', 4))
                           .arg(breakdown.droppedLow)
                           .arg(breakdown.droppedHigh)
                           .arg(breakdown.normalizedLow.size()));
    rescale(m_normalised.rect, m_normalised.bars, m_normalised.second);
    m_normalised.rect->axis(QCPAxis::atBottom)->setRange(-0.03, 1.03);

    std::vector<double> delta;
    for (std::size_t i = 0; i < breakdown.normalizedLow.size() && i < breakdown.normalizedHigh.size(); ++i) {
        const double difference = std::abs(breakdown.normalizedLow[i] - breakdown.normalizedHigh[i]);
        if (std::isfinite(difference))
            delta.push_back(difference);
    }
    fillBars(m_delta.bars, delta, 0, 1);
    m_delta.rect->axis(QCPAxis::atBottom)->setLabel(tr("|Δ| per sample (line: MAE)"));
    m_delta.note->setText(
        delta.empty() ? tr("no sample survives in both rows") : tr("%1 samples kept in both").arg(delta.size()));
    rescale(m_delta.rect, m_delta.bars);
    m_delta.rect->axis(QCPAxis::atBottom)->setRange(-0.03, 1.03);
    m_maeLine->setVisible(std::isfinite(breakdown.mae));
    m_maeLine->point1->setCoords(breakdown.mae, 0);
    m_maeLine->point2->setCoords(breakdown.mae, 1);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace epsinas::gui
