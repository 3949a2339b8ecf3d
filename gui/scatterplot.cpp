// SPDX-License-Identifier: MIT
#include "scatterplot.h"

#include "benchmark.h"
#include "scoretablemodel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHash>
#include <QLabel>
#include <QPushButton>
#include <QTimer>
#include <QToolTip>
#include <QVBoxLayout>

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace epsinas::gui {

namespace {
// Parameter-count colour classes; one graph each, since a QCPGraph has one scatter style.
constexpr int kColourBins = 12;
// How close (pixels) the pointer must be to a point to hover or click it.
constexpr double kPickRadius = 8;
// Points are redrawn at most this often while batches stream in.
constexpr int kRefreshMilliseconds = 150;
/** log10 of the smallest and largest parameter count in the space, for a colour scale that never moves. */
std::pair<double, double> parameterRange(const SearchSpace& space)
{
    // Computed once per space: it may enumerate or sample the whole space. Only the GUI thread asks.
    static QHash<const SearchSpace*, std::pair<double, double>> ranges;
    if (const auto cached = ranges.constFind(&space); cached != ranges.constEnd())
        return *cached;
    const auto [low, high] = space.parameterRange();
    const std::pair<double, double> range { std::log10(double(low)), std::log10(double(high)) };
    ranges.insert(&space, range);
    return range;
}

/** The space of the model's rows: it holds one space at a time. */
const SearchSpace& spaceOf(const ScoreTableModel& model)
{
    return model.rowCount() ? model.scored(0).arch.space() : defaultSpace();
}

/** Dark blue (few parameters) to yellow (many), readable on white and for common colour-vision deficiencies. */
QCPColorGradient parameterGradient()
{
    QCPColorGradient gradient;
    gradient.setColorStops({ { 0.0, QColor(68, 1, 84) }, { 0.25, QColor(59, 82, 139) }, { 0.5, QColor(33, 145, 140) },
        { 0.75, QColor(94, 201, 98) }, { 1.0, QColor(253, 231, 37) } });
    return gradient;
}

/**
 * A fixed horizontal position in the NaN strip per row, so points do not jump between refreshes or sessions: from
 * the architecture's place in its enumerated space, or its row key where the space is not enumerated.
 */
double jitter(const ScoredArch& scored)
{
    const std::int64_t position = scored.arch.space().enumerationIndex(scored.arch);
    const QString key = position >= 0 ? QString::number(position) : scored.key();
    return double((quint32(qHash(key)) * 2654435761u) % 1000u) / 1000.0;
}

QString formatted(double value)
{
    return std::isnan(value) ? QStringLiteral("—") : QString::number(value, 'f', 3);
}
} // namespace

ScatterPlot::ScatterPlot(ScoreTableModel* model, QWidget* parent)
    : QWidget(parent)
    , m_model(model)
{
    m_plot = new QCustomPlot(this);
    m_plot->setObjectName(QStringLiteral("scatter"));
    m_plot->setMinimumSize(360, 260);
    m_plot->plotLayout()->clear();
    m_nanRect = new QCPAxisRect(m_plot);
    m_mainRect = new QCPAxisRect(m_plot);
    m_colorScale = new QCPColorScale(m_plot);
    m_plot->plotLayout()->addElement(0, 0, m_nanRect);
    m_plot->plotLayout()->addElement(0, 1, m_mainRect);
    m_plot->plotLayout()->addElement(0, 2, m_colorScale);
    m_plot->plotLayout()->setColumnStretchFactors({ 0.1, 1.0, 0.02 });
    auto* margins = new QCPMarginGroup(m_plot);
    for (QCPLayoutElement* element : std::initializer_list<QCPLayoutElement*> { m_nanRect, m_mainRect, m_colorScale })
        element->setMarginGroup(QCP::msTop | QCP::msBottom, margins);

    m_mainRect->axis(QCPAxis::atBottom)->setLabel(tr("epsinas score"));
    m_mainRect->setRangeDrag(Qt::Horizontal | Qt::Vertical);
    m_mainRect->setRangeZoom(Qt::Horizontal | Qt::Vertical);
    QCPAxis* nanX = m_nanRect->axis(QCPAxis::atBottom);
    nanX->setRange(-0.15, 1.15);
    nanX->setTicks(false);
    nanX->setTickLabels(false);
    nanX->setLabel(tr("NaN"));
    m_nanRect->axis(QCPAxis::atLeft)->setTickLabels(false);
    m_nanRect->setRangeDrag(Qt::Vertical);
    m_nanRect->setRangeZoom(Qt::Vertical);
    m_nanRect->setBackground(QColor(250, 243, 235));
    // The strip shares the target axis with the main plot.
    connect(m_mainRect->axis(QCPAxis::atLeft), qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this,
        [this](const QCPRange& range) { m_nanRect->axis(QCPAxis::atLeft)->setRange(range); });
    connect(m_nanRect->axis(QCPAxis::atLeft), qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this,
        [this](const QCPRange& range) { m_mainRect->axis(QCPAxis::atLeft)->setRange(range); });

    const auto [low, high] = parameterRange(defaultSpace());
    m_colorScale->setType(QCPAxis::atRight);
    m_colorScale->setDataRange(QCPRange(low, high));
    m_colorScale->setGradient(parameterGradient());
    m_colorScale->setLabel(tr("log₁₀ parameters"));
    m_colorScale->setBarWidth(10);
    QCPColorGradient gradient = parameterGradient();
    for (int bin = 0; bin < kColourBins; ++bin) {
        const QColor colour = gradient.color((bin + 0.5) / kColourBins, QCPRange(0, 1));
        for (auto [rect, graphs] :
            { std::make_pair(m_mainRect, &m_mainGraphs), std::make_pair(m_nanRect, &m_nanGraphs) }) {
            auto* graph = m_plot->addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
            graph->setLineStyle(QCPGraph::lsNone);
            QColor fill = colour;
            fill.setAlpha(190);
            graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, fill, fill, 5));
            graph->setAdaptiveSampling(false);
            graphs->push_back(graph);
        }
    }
    for (QCPGraph** current : { &m_currentMain, &m_currentNan }) {
        QCPAxisRect* rect = current == &m_currentMain ? m_mainRect : m_nanRect;
        *current = m_plot->addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
        (*current)->setLineStyle(QCPGraph::lsNone);
        (*current)->setScatterStyle(
            QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(QColor(220, 20, 60), 2.5), Qt::NoBrush, 15));
    }
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->setMouseTracking(true);
    connect(m_plot, &QCustomPlot::mouseMove, this, &ScatterPlot::onMouseMove);
    connect(m_plot, &QCustomPlot::mousePress, this, &ScatterPlot::onMousePress);
    connect(m_plot, &QCustomPlot::mouseRelease, this, &ScatterPlot::onMouseRelease);
    connect(m_plot, &QCustomPlot::mouseWheel, this, [this] { m_autoRange = false; });
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, [this] {
        m_autoRange = true;
        refresh();
    });

    m_logX = new QCheckBox(tr("Log score axis"), this);
    m_logY = new QCheckBox(tr("Log y axis"), this);
    connect(m_logX, &QCheckBox::toggled, this, &ScatterPlot::applyScales);
    connect(m_logY, &QCheckBox::toggled, this, &ScatterPlot::applyScales);
    m_policy = new QComboBox(this);
    m_policy->setObjectName(QStringLiteral("nanPolicy"));
    m_policy->addItem(tr("NaN excluded (paper)"), QStringLiteral("exclude"));
    m_policy->addItem(tr("NaN ranked worst (search code)"), QStringLiteral("worst"));
    m_policy->addItem(tr("NaN ranked best"), QStringLiteral("best"));
    m_policy->setToolTip(tr("How cells with a NaN score enter the correlations"));
    connect(m_policy, &QComboBox::currentIndexChanged, this, [this] {
        updateReadout();
        Q_EMIT nanPolicyChanged(nanPolicy());
    });
    auto* fit = new QPushButton(tr("Fit"), this);
    fit->setToolTip(tr("Show all points again (or double-click the plot)"));
    connect(fit, &QPushButton::clicked, this, [this] {
        m_autoRange = true;
        refresh();
    });

    m_readout = new QLabel(this);
    m_readout->setObjectName(QStringLiteral("readout"));
    m_readout->setWordWrap(true);
    m_readout->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* controls = new QHBoxLayout;
    controls->addWidget(m_policy);
    controls->addWidget(m_logX);
    controls->addWidget(m_logY);
    controls->addStretch();
    controls->addWidget(fit);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_plot, 1);
    layout->addLayout(controls);
    layout->addWidget(m_readout);

    m_refreshTimer = new QTimer(this);
    m_refreshTimer->setSingleShot(true);
    m_refreshTimer->setInterval(kRefreshMilliseconds);
    connect(m_refreshTimer, &QTimer::timeout, this, &ScatterPlot::refresh);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &ScatterPlot::scheduleRefresh);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &ScatterPlot::scheduleRefresh);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ScatterPlot::scheduleRefresh);
    connect(m_model, &QAbstractItemModel::headerDataChanged, this, &ScatterPlot::scheduleRefresh);
    refresh();
}

QString ScatterPlot::nanPolicy() const
{
    return m_policy->currentData().toString();
}

void ScatterPlot::setNanPolicy(const QString& policy)
{
    const int index = m_policy->findData(policy);
    if (index >= 0)
        m_policy->setCurrentIndex(index);
}

QString ScatterPlot::readoutText() const
{
    return m_readout->text();
}

void ScatterPlot::scheduleRefresh()
{
    if (!m_refreshTimer->isActive())
        m_refreshTimer->start();
}

void ScatterPlot::applyScales()
{
    for (auto [box, axis] : { std::make_pair(m_logX, m_mainRect->axis(QCPAxis::atBottom)),
             std::make_pair(m_logY, m_mainRect->axis(QCPAxis::atLeft)),
             std::make_pair(m_logY, m_nanRect->axis(QCPAxis::atLeft)) }) {
        const bool log = box->isChecked();
        axis->setScaleType(log ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
        axis->setTicker(log ? QSharedPointer<QCPAxisTicker>(new QCPAxisTickerLog)
                            : QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    }
    m_autoRange = true;
    refresh();
}

void ScatterPlot::refresh()
{
    m_refreshTimer->stop();
    const bool targets = m_model->hasTargets();
    m_mainRect->axis(QCPAxis::atLeft)->setLabel(targets ? m_model->targetName() : tr("parameters"));
    const bool logX = m_logX->isChecked();
    const bool logY = m_logY->isChecked();
    // The model holds one space at a time; the colour scale follows it.
    const auto [low, high] = parameterRange(spaceOf(*m_model));
    m_colorScale->setDataRange(QCPRange(low, high));

    std::vector<QVector<double>> mainX(kColourBins), mainY(kColourBins), nanX(kColourBins), nanY(kColourBins);
    m_points.clear();
    m_points.reserve(m_model->rowCount());
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const ScoredArch& scored = m_model->scored(row);
        const double y = targets ? m_model->target(row) : double(m_model->parameters(row));
        if (!std::isfinite(y) || (logY && y <= 0))
            continue;
        const bool nan = scored.isNan() || !std::isfinite(scored.score);
        if (!nan && logX && scored.score <= 0)
            continue;
        const double x = nan ? jitter(scored) : scored.score;
        const double shade = (std::log10(double(m_model->parameters(row))) - low) / std::max(high - low, 1e-9);
        const int bin = std::clamp(int(shade * kColourBins), 0, kColourBins - 1);
        (nan ? nanX : mainX)[bin].push_back(x);
        (nan ? nanY : mainY)[bin].push_back(y);
        m_points.push_back(Point { x, y, row, nan });
    }
    for (int bin = 0; bin < kColourBins; ++bin) {
        m_mainGraphs[bin]->setData(mainX[bin], mainY[bin]);
        m_nanGraphs[bin]->setData(nanX[bin], nanY[bin]);
    }

    if (m_autoRange && !m_points.empty()) {
        QCPRange xRange, yRange;
        bool anyMain = false;
        bool first = true;
        for (const Point& point : m_points) {
            if (first) {
                yRange = QCPRange(point.y, point.y);
                first = false;
            }
            yRange.expand(point.y);
            if (!point.nan) {
                xRange = anyMain ? QCPRange(std::min(xRange.lower, point.x), std::max(xRange.upper, point.x))
                                 : QCPRange(point.x, point.x);
                anyMain = true;
            }
        }
        auto padded = [](QCPRange range, bool log) {
            if (log)
                return QCPRange(range.lower / 1.15, range.upper * 1.15);
            const double pad = range.size() > 0 ? range.size() * 0.05 : std::max(std::abs(range.lower) * 0.1, 0.05);
            return QCPRange(range.lower - pad, range.upper + pad);
        };
        if (anyMain)
            m_mainRect->axis(QCPAxis::atBottom)->setRange(padded(xRange, logX));
        m_mainRect->axis(QCPAxis::atLeft)->setRange(padded(yRange, logY));
    }
    updateCurrent(false);
    updateReadout();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void ScatterPlot::setCurrentKey(const QString& key)
{
    m_currentKey = key;
    updateCurrent(true);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void ScatterPlot::updateCurrent(bool follow)
{
    m_currentMain->data()->clear();
    m_currentNan->data()->clear();
    const int row = m_model->rowOfKey(m_currentKey);
    if (row < 0)
        return;
    for (const Point& point : m_points) {
        if (point.row != row)
            continue;
        (point.nan ? m_currentNan : m_currentMain)->setData({ point.x }, { point.y });
        // Follow the current cell: recentre an axis whose visible range does not contain it.
        if (follow && !m_autoRange) {
            QCPAxis* y = m_mainRect->axis(QCPAxis::atLeft);
            if (!y->range().contains(point.y))
                y->setRange(point.y, y->range().size(), Qt::AlignCenter);
            QCPAxis* x = m_mainRect->axis(QCPAxis::atBottom);
            if (!point.nan && !x->range().contains(point.x))
                x->setRange(point.x, x->range().size(), Qt::AlignCenter);
        }
        return;
    }
}

void ScatterPlot::updateReadout()
{
    const int rows = m_model->rowCount();
    const int nans = m_model->nanCount();
    const QString policy = nanPolicy();
    const SearchSpace& space = spaceOf(*m_model);
    QString text = tr("<b>%1</b> %2 scored, <b>%3</b> NaN (%4%).")
                       .arg(QLocale().toString(rows), unitName(space))
                       .arg(QLocale().toString(nans))
                       .arg(rows ? 100.0 * nans / rows : 0.0, 0, 'f', 1);
    std::vector<double> scores, targets, parameters;
    scores.reserve(rows);
    targets.reserve(rows);
    parameters.reserve(rows);
    for (int row = 0; row < rows; ++row) {
        const ScoredArch& scored = m_model->scored(row);
        scores.push_back(scored.isNan() ? NAN : scored.score);
        parameters.push_back(double(m_model->parameters(row)));
        targets.push_back(m_model->hasTargets() ? m_model->target(row) : parameters.back());
    }
    const Correlation correlation = correlateScores(scores, targets, policy, m_model->targetLowerIsBetter(), space);
    const QString against = m_model->hasTargets() ? m_model->targetName() : tr("parameter count");
    text += QLatin1Char(' ')
        + tr("Against %1, NaN policy <b>%2</b>: Spearman ρ = <b>%3</b>, Kendall τ = <b>%4</b> over n = %5 (%6 NaN).")
              .arg(against.toHtmlEscaped(), policy, formatted(correlation.spearman), formatted(correlation.kendall))
              .arg(correlation.n)
              .arg(correlation.nanCount);
    if (m_model->hasTargets()) {
        // The paper's other columns (algorithm §8), by the same core function as `epsinas correlate`.
        text += QLatin1Char(' ')
            + tr("Top 10%: ρ = <b>%1</b>, τ = <b>%2</b>; T10/T10 = <b>%3</b>; T64/T5 = <b>%4</b>.")
                  .arg(formatted(correlation.spearmanTop10), formatted(correlation.kendallTop10),
                      std::isnan(correlation.t10t10) ? QStringLiteral("—")
                                                     : QString::number(correlation.t10t10, 'f', 2) + QLatin1Char('%'),
                      std::isnan(correlation.t64t5) ? QStringLiteral("—") : QString::number(correlation.t64t5));
        if (!correlation.departure.isEmpty())
            text += QLatin1Char(' ') + tr("Departs from the reference's statistics: %1.").arg(correlation.departure);
        const Correlation baseline = correlateScores(parameters, targets, QStringLiteral("exclude"), false, space);
        text += QLatin1Char(' ')
            + tr("Parameter-count baseline: ρ = %1 over n = %2.").arg(formatted(baseline.spearman)).arg(baseline.n);
        if (m_model->targetLowerIsBetter())
            text += QLatin1Char(' ')
                + tr("Lower %1 is better, so a score that ranks well correlates <b>negatively</b>.")
                      .arg(m_model->targetName().toHtmlEscaped());
    } else {
        text += QLatin1Char(' ') + tr("Open a benchmark table to correlate with trained accuracy or loss.");
    }
    m_readout->setText(text);
}

QPointF ScatterPlot::pixelOf(const Point& point) const
{
    const QCPAxisRect* rect = point.nan ? m_nanRect : m_mainRect;
    return QPointF(
        rect->axis(QCPAxis::atBottom)->coordToPixel(point.x), rect->axis(QCPAxis::atLeft)->coordToPixel(point.y));
}

std::optional<QPoint> ScatterPlot::pointPosition(const QString& key) const
{
    const int row = m_model->rowOfKey(key);
    if (row < 0)
        return std::nullopt;
    for (const Point& point : m_points) {
        if (point.row == row)
            return pixelOf(point).toPoint();
    }
    return std::nullopt;
}

const ScatterPlot::Point* ScatterPlot::pointAt(const QPoint& position) const
{
    const Point* best = nullptr;
    double bestDistance = kPickRadius * kPickRadius;
    for (const Point& point : m_points) {
        const QCPAxisRect* rect = point.nan ? m_nanRect : m_mainRect;
        if (!rect->rect().contains(position))
            continue;
        const QPointF offset = pixelOf(point) - QPointF(position);
        const double distance = QPointF::dotProduct(offset, offset);
        if (distance <= bestDistance) {
            bestDistance = distance;
            best = &point;
        }
    }
    return best;
}

void ScatterPlot::onMouseMove(QMouseEvent* event)
{
    if (event->buttons() != Qt::NoButton)
        return;
    const Point* point = pointAt(event->pos());
    if (!point) {
        QToolTip::hideText();
        return;
    }
    const ScoredArch& scored = m_model->scored(point->row);
    // The table's name for the row: the architecture's text, or its id where the text is too long to read.
    const QString name = m_model->data(m_model->index(point->row, ScoreTableModel::ArchColumn)).toString();
    QString text = QStringLiteral("<tt>%1</tt><br>").arg(name.toHtmlEscaped());
    text += scored.isNan() ? tr("score NaN: %1").arg(scored.nanReason.toHtmlEscaped())
                           : tr("score %1").arg(scored.score, 0, 'g', 5);
    text += QStringLiteral("<br>") + tr("%1 parameters").arg(QLocale().toString(m_model->parameters(point->row)));
    if (m_model->hasTargets())
        text
            += QStringLiteral("<br>%1: %2").arg(m_model->targetName().toHtmlEscaped()).arg(m_model->target(point->row));
    QToolTip::showText(event->globalPosition().toPoint(), text, m_plot);
}

void ScatterPlot::onMousePress(QMouseEvent* event)
{
    m_pressPosition = event->pos();
}

void ScatterPlot::onMouseRelease(QMouseEvent* event)
{
    if ((event->pos() - m_pressPosition).manhattanLength() > 3) {
        // That was a drag: the user chose a view, stop fitting it to the data.
        m_autoRange = false;
        return;
    }
    if (event->button() != Qt::LeftButton)
        return;
    const Point* point = pointAt(event->pos());
    if (!point)
        return;
    const ScoredArch& scored = m_model->scored(point->row);
    Q_EMIT archActivated(scored.arch, scored.id);
}

} // namespace epsinas::gui
