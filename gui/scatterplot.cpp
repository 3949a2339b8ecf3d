// SPDX-License-Identifier: MIT
#include "scatterplot.h"

#include "benchmark.h"
#include "plotexport.h"
#include "scoretablemodel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHash>
#include <QKeyEvent>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QTimer>
#include <QToolTip>
#include <QVBoxLayout>

#include <qcustomplot.h>

#include <stats/statistics.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <utility>

namespace epsinas::gui {

namespace {
// Colour classes (of parameters or FLOPs); one graph each, since a QCPGraph has one scatter style.
constexpr int kColourBins = 12;
// How close (pixels) the pointer must be to a point to hover or click it.
constexpr double kPickRadius = 8;
// Points are redrawn at most this often while batches stream in.
constexpr int kRefreshMilliseconds = 150;
// How much one press of + or − zooms.
constexpr double kZoomStep = 1.25;
// The marker colours: the current architecture (crimson) and the keyboard selection (blue), apart for colour-blind
// readers by shape too (ring, square).
const QColor kCurrentColour(220, 20, 60);
const QColor kSelectedColour(0, 90, 200);
// The ring of the architectures a search visited: orange, apart from the current (red) and selected (blue) ones.
const QColor kHighlightColour(255, 140, 0);
// The teaching markers, apart from the viridis points and the markers above: the trail (near black, fading), the
// pinned architecture (magenta), the top-k rings (dark green) and the brush (cyan).
const QColor kTrailColour(30, 30, 30);
const QColor kPinnedColour(230, 0, 170);
const QColor kTopKColour(0, 120, 40);
const QColor kBrushColour(0, 170, 230);
// The trail's opacity at its newest and its oldest end; in between it falls linearly with age.
constexpr double kTrailNewestOpacity = 0.9;
constexpr double kTrailOldestOpacity = 0.15;
// How many legend entries share a row: the markers' names fit a 1366-pixel screen's scatter in two rows.
constexpr int kLegendColumns = 4;

/** The opacity of the trail marker `age` visits old (0: the newest), strictly falling with age. */
double trailOpacityAt(int age, int length)
{
    return kTrailNewestOpacity - (kTrailNewestOpacity - kTrailOldestOpacity) * age / std::max(length - 1, 1);
}

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

// Where the scatter's colour choice is remembered.
const QString kColourBySetting = QStringLiteral("Scatter/colourBy");

/**
 * log10 of the smallest and largest FLOPs in the space over the architectures parameterRange() spans (all of them
 * where the space can be listed, else a fixed sample); nullopt where the space does not count FLOPs.
 */
std::optional<std::pair<double, double>> flopsRange(const SearchSpace& space)
{
    // Computed once per space, like parameterRange(). Only the GUI thread asks.
    static QHash<const SearchSpace*, std::optional<std::pair<double, double>>> ranges;
    if (const auto cached = ranges.constFind(&space); cached != ranges.constEnd())
        return *cached;
    std::optional<std::vector<Arch>> archs = space.enumerate();
    if (!archs)
        archs = space.sample(SearchSpace::kParameterRangeSample, 1);
    std::optional<std::pair<double, double>> range;
    for (const Arch& arch : *archs) {
        const std::optional<std::int64_t> flops = space.flops(arch);
        if (!flops || *flops <= 0)
            continue;
        const double value = std::log10(double(*flops));
        range = range ? std::make_pair(std::min(range->first, value), std::max(range->second, value))
                      : std::make_pair(value, value);
    }
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

/**
 * Whether `score` is a pair the correlation keeps under `policy`, with the space's score rule as core's correlate()
 * applies it (docs/statistics.md), so that the parameter baseline is taken over the very same rows.
 */
bool correlationKeeps(double score, ScoreRule rule, const QString& policy)
{
    if (rule == ScoreRule::NonPositiveOut && score <= 0)
        return false;
    const bool nan = std::isnan(score) || (rule == ScoreRule::ZeroIsNan && score == 0);
    return !nan || policy != QLatin1String("exclude");
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
    // The plots in a row of their own, so that the legend under them spans the width and widens none of them.
    auto* plots = new QCPLayoutGrid;
    m_plot->plotLayout()->addElement(0, 0, plots);
    plots->addElement(0, 0, m_nanRect);
    plots->addElement(0, 1, m_mainRect);
    plots->addElement(0, 2, m_colorScale);
    plots->setColumnStretchFactors({ 0.1, 1.0, 0.02 });
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
    const auto addMarkers = [this](QCPGraph** main, QCPGraph** nan, const QCPScatterStyle& style, const QString& name) {
        for (QCPGraph** graph : { main, nan }) {
            QCPAxisRect* rect = graph == main ? m_mainRect : m_nanRect;
            *graph = m_plot->addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
            (*graph)->setLineStyle(QCPGraph::lsNone);
            (*graph)->setScatterStyle(style);
            (*graph)->setName(name);
        }
    };
    addMarkers(&m_editMain, &m_editNan,
        QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(QColor(90, 90, 90), 1.5), QColor(255, 255, 255, 160), 7),
        tr("hand edit, not in ρ, τ, n"));
    // The trail lies under the other markers: a disc per visited architecture, the older the fainter.
    for (int age = 0; age < kTrailLength; ++age) {
        QColor colour = kTrailColour;
        colour.setAlphaF(trailOpacityAt(age, kTrailLength));
        QCPGraph* main = nullptr;
        QCPGraph* nan = nullptr;
        addMarkers(&main, &nan, QCPScatterStyle(QCPScatterStyle::ssDisc, colour, colour, 9),
            age == 0 ? tr("Trail") : QString());
        m_trailMain.push_back(main);
        m_trailNan.push_back(nan);
    }
    addMarkers(&m_highlightMain, &m_highlightNan,
        QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(kHighlightColour, 1.8), Qt::NoBrush, 10), QString());
    // Scores are never NaN in the top k, and the NaN strip is never brushed: these two live in the main plot only.
    for (auto [graph, style] : { std::make_pair(&m_topKMain,
                                     QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(kTopKColour, 2), Qt::NoBrush, 13)),
             std::make_pair(
                 &m_brushMain, QCPScatterStyle(QCPScatterStyle::ssSquare, QPen(kBrushColour, 1.5), Qt::NoBrush, 9)) }) {
        *graph = m_plot->addGraph(m_mainRect->axis(QCPAxis::atBottom), m_mainRect->axis(QCPAxis::atLeft));
        (*graph)->setLineStyle(QCPGraph::lsNone);
        (*graph)->setScatterStyle(style);
    }
    m_brushMain->setName(tr("Brushed (Esc clears)"));
    // Under the current ring, so that a pinned current architecture shows both.
    addMarkers(&m_pinnedMain, &m_pinnedNan,
        QCPScatterStyle(QCPScatterStyle::ssDiamond, QPen(Qt::black, 1), kPinnedColour, 16), tr("Pinned"));
    addMarkers(&m_currentMain, &m_currentNan,
        QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(kCurrentColour, 2.5), Qt::NoBrush, 15),
        tr("current architecture"));
    addMarkers(&m_selectedMain, &m_selectedNan,
        QCPScatterStyle(QCPScatterStyle::ssSquare, QPen(kSelectedColour, 2), Qt::NoBrush, 13),
        tr("selected (Enter loads it)"));
    // The legend names the markers (the colour scale names the rest); it sits under the plot, over no point.
    m_legend = new QCPLegend;
    m_plot->plotLayout()->addElement(1, 0, m_legend);
    m_plot->plotLayout()->setRowStretchFactor(1, 0.001);
    m_legend->setWrap(kLegendColumns);
    m_legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    m_legend->setBorderPen(Qt::NoPen);
    m_legend->setLayer(QStringLiteral("legend"));
    m_legend->setMargins(QMargins(0, 0, 0, 0));
    for (QCPGraph* marker : { m_currentMain, m_editMain })
        marker->addToLegend(m_legend);
    // The keyboard's selection and focus are for the screen, not for exported figures.
    const QString screenOnly = QString::fromLatin1(kScreenOnlyLayer);
    m_plot->addLayer(screenOnly, m_plot->layer(QStringLiteral("legend")), QCustomPlot::limAbove);
    m_selectedMain->setLayer(screenOnly);
    m_selectedNan->setLayer(screenOnly);
    m_focusFrame = new QCPItemRect(m_plot);
    m_focusFrame->setLayer(screenOnly);
    m_focusFrame->setClipToAxisRect(false);
    for (QCPItemPosition* corner : { m_focusFrame->topLeft, m_focusFrame->bottomRight }) {
        corner->setType(QCPItemPosition::ptAxisRectRatio);
        corner->setAxisRect(m_mainRect);
    }
    m_focusFrame->topLeft->setCoords(0, 0);
    m_focusFrame->bottomRight->setCoords(1, 1);
    m_focusFrame->setBrush(Qt::NoBrush);
    m_focusFrame->setVisible(false);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->setMouseTracking(true);
    connect(m_plot, &QCustomPlot::mouseMove, this, &ScatterPlot::onMouseMove);
    connect(m_plot, &QCustomPlot::mousePress, this, &ScatterPlot::onMousePress);
    connect(m_plot, &QCustomPlot::mouseRelease, this, &ScatterPlot::onMouseRelease);
    connect(m_plot, &QCustomPlot::mouseWheel, this, [this] { m_autoRange = false; });
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, &ScatterPlot::fit);
    m_plot->selectionRect()->setPen(QPen(kBrushColour, 1, Qt::DashLine));
    m_plot->selectionRect()->setBrush(QColor(kBrushColour.red(), kBrushColour.green(), kBrushColour.blue(), 40));
    connect(m_plot->selectionRect(), &QCPSelectionRect::accepted, this,
        [this](const QRect& rectangle) { onBrushAccepted(rectangle); });
    m_plot->setFocusPolicy(Qt::StrongFocus);
    m_plot->installEventFilter(this);
    m_plot->setToolTip(tr("Hover a point for its architecture, click it to load it. Drag to pan, wheel to zoom, "
                          "double-click to fit, Shift+drag to brush a region. Keys: arrows select, Enter loads, +/− "
                          "zoom, Home fits, Escape clears the selection and the brush."));
    m_plot->setWhatsThis(
        tr("<p>Every scored architecture as a point: its epsinas score (x) against the loaded benchmark table's "
           "target, or its parameter count without a table (y), coloured by parameter count or, with the Colour "
           "choice, by FLOPs.</p>"
           "<p>Architectures whose score is NaN are drawn in the shaded strip at the left. The crimson ring marks the "
           "architecture in the editor; hollow grey points are hand edits, shown but not counted in the "
           "correlations under the plot, which are over the scored set only.</p>"
           "<p>For comparing and teaching: fading dark discs are the trail of the last visited architectures, the "
           "magenta diamond is the pinned architecture, green rings mark the top k by score and cyan squares the "
           "brushed points.</p>"
           "<p>Mouse: hover for details, click to load, drag to pan, wheel to zoom, double-click to fit, Shift+drag "
           "to brush a rectangle of the main plot (the NaN strip is never brushed). Keyboard (click the plot or Tab "
           "to it): arrow keys select the nearest point in that direction, Enter loads it, + and − zoom, Home fits, "
           "Escape clears the selection and the brush.</p>"));

    m_logX = new QCheckBox(tr("Log score axis"), this);
    m_logX->setToolTip(tr("Logarithmic score axis; scores ≤ 0 are then not drawn"));
    m_logY = new QCheckBox(tr("Log y axis"), this);
    m_logY->setToolTip(tr("Logarithmic target (or parameter) axis; values ≤ 0 are then not drawn"));
    connect(m_logX, &QCheckBox::toggled, this, &ScatterPlot::applyScales);
    connect(m_logY, &QCheckBox::toggled, this, &ScatterPlot::applyScales);
    m_policy = new QComboBox(this);
    m_policy->setObjectName(QStringLiteral("nanPolicy"));
    m_policy->addItem(tr("NaN excluded (paper)"), QStringLiteral("exclude"));
    m_policy->addItem(tr("NaN ranked worst (search code)"), QStringLiteral("worst"));
    m_policy->addItem(tr("NaN ranked best"), QStringLiteral("best"));
    m_policy->setToolTip(tr("How architectures with a NaN score enter the correlations"));
    // As wide as its current choice needs, not its longest: the controls' row sets the scatter's narrowest width.
    m_policy->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_policy->setMinimumContentsLength(14);
    m_policy->setWhatsThis(
        tr("<p>How architectures whose score is NaN enter ρ, τ and n.</p><p><b>Excluded</b> leaves them out, as the "
           "paper's tables do. <b>Ranked worst</b> puts them below every scored architecture, as the reference's "
           "search code does; <b>ranked best</b> puts them above. The two ranked policies depart from the paper's "
           "statistics, and the readout says so.</p>"));
    connect(m_policy, &QComboBox::currentIndexChanged, this, [this] {
        updateReadout();
        Q_EMIT nanPolicyChanged(nanPolicy());
    });
    m_colourBy = new QComboBox(this);
    m_colourBy->setObjectName(QStringLiteral("colourBy"));
    m_colourBy->addItem(tr("Params"), QStringLiteral("parameters"));
    m_colourBy->addItem(tr("FLOPs"), QStringLiteral("flops"));
    m_colourBy->setToolTip(tr("Colour: what the points' colour shows, the parameter count or the FLOPs (multiply-adds "
                              "of the conv and linear layers for one input), on a log scale fixed for the space"));
    m_colourBy->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_colourBy->setMinimumContentsLength(6);
    m_colourBy->setCurrentIndex(
        std::max(0, m_colourBy->findData(QSettings().value(kColourBySetting, QStringLiteral("parameters")))));
    connect(m_colourBy, &QComboBox::currentIndexChanged, this, [this] {
        QSettings().setValue(kColourBySetting, colourBy());
        refresh();
    });
    auto* fit = new QPushButton(tr("Fit"), this);
    fit->setObjectName(QStringLiteral("fit"));
    fit->setToolTip(tr("Show all points again (Home, or double-click the plot)"));
    connect(fit, &QPushButton::clicked, this, &ScatterPlot::fit);

    m_readout = new QLabel(this);
    m_readout->setObjectName(QStringLiteral("readout"));
    m_readout->setWordWrap(true);
    m_readout->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_readout->setToolTip(tr("Correlations over the scored set (hand edits not counted), with the NaN policy above"));

    auto* controls = new QHBoxLayout;
    controls->addWidget(m_policy);
    controls->addWidget(m_logX);
    controls->addWidget(m_logY);
    controls->addStretch();
    controls->addWidget(fit);
    // The colour choice shares the readout's line: the controls' row is as wide as a 1024-pixel window allows.
    auto* readoutRow = new QHBoxLayout;
    readoutRow->addWidget(m_readout, 1);
    readoutRow->addWidget(m_colourBy, 0, Qt::AlignTop);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_plot, 1);
    layout->addLayout(controls);
    layout->addLayout(readoutRow);

    m_refreshTimer = new QTimer(this);
    m_refreshTimer->setSingleShot(true);
    m_refreshTimer->setInterval(kRefreshMilliseconds);
    connect(m_refreshTimer, &QTimer::timeout, this, &ScatterPlot::refresh);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &ScatterPlot::scheduleRefresh);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &ScatterPlot::scheduleRefresh);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ScatterPlot::scheduleRefresh);
    // A cleared model starts a new story: its trail and brush name rows that are gone.
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        m_visitedKey.clear();
        clearTrail();
        clearBrush();
    });
    connect(m_model, &QAbstractItemModel::headerDataChanged, this, &ScatterPlot::scheduleRefresh);
    refresh();
}

QString ScatterPlot::colourBy() const
{
    return m_colourBy->currentData().toString();
}

void ScatterPlot::setColourBy(const QString& quantity)
{
    if (const int index = m_colourBy->findData(quantity); index >= 0)
        m_colourBy->setCurrentIndex(index);
}

QString ScatterPlot::colourLabel() const
{
    return m_colorScale->label();
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
    const SearchSpace& space = spaceOf(*m_model);
    const std::optional<std::pair<double, double>> flops
        = colourBy() == QStringLiteral("flops") ? flopsRange(space) : std::nullopt;
    const auto [low, high] = flops ? *flops : parameterRange(space);
    m_colorScale->setDataRange(QCPRange(low, high));
    m_colorScale->setLabel(flops ? tr("log₁₀ FLOPs") : tr("log₁₀ parameters"));

    std::vector<QVector<double>> mainX(kColourBins), mainY(kColourBins), nanX(kColourBins), nanY(kColourBins);
    QVector<double> editMainX, editMainY, editNanX, editNanY;
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
        // A row's FLOPs are there whenever the space's are (flops is set only then).
        const double colourValue = flops ? double(m_model->flops(row).value_or(1)) : double(m_model->parameters(row));
        const double shade = (std::log10(std::max(colourValue, 1.0)) - low) / std::max(high - low, 1e-9);
        const int bin = std::clamp(int(shade * kColourBins), 0, kColourBins - 1);
        if (m_model->origin(row) == ScoreTableModel::Origin::Edit) {
            (nan ? editNanX : editMainX).push_back(x);
            (nan ? editNanY : editMainY).push_back(y);
        } else {
            (nan ? nanX : mainX)[bin].push_back(x);
            (nan ? nanY : mainY)[bin].push_back(y);
        }
        m_points.push_back(Point { x, y, row, nan });
    }
    for (int bin = 0; bin < kColourBins; ++bin) {
        m_mainGraphs[bin]->setData(mainX[bin], mainY[bin]);
        m_nanGraphs[bin]->setData(nanX[bin], nanY[bin]);
    }
    m_editMain->setData(editMainX, editMainY);
    m_editNan->setData(editNanX, editNanY);

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
    updateHighlight();
    updateTeachingMarkers();
    updateReadout();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void ScatterPlot::setHighlightedKeys(const QSet<QString>& keys, const QString& label)
{
    m_highlightedKeys = keys;
    m_highlightMain->setName(label);
    m_highlightNan->setName(label);
    if (keys.isEmpty())
        m_highlightMain->removeFromLegend(m_legend);
    else
        m_highlightMain->addToLegend(m_legend);
    updateHighlight();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

int ScatterPlot::highlightedPointCount() const
{
    return m_highlightMain->dataCount() + m_highlightNan->dataCount();
}

void ScatterPlot::updateHighlight()
{
    QVector<double> mainX, mainY, nanX, nanY;
    if (!m_highlightedKeys.isEmpty()) {
        for (const Point& point : m_points) {
            if (!m_highlightedKeys.contains(m_model->scored(point.row).key()))
                continue;
            (point.nan ? nanX : mainX).push_back(point.x);
            (point.nan ? nanY : mainY).push_back(point.y);
        }
    }
    m_highlightMain->setData(mainX, mainY);
    m_highlightNan->setData(nanX, nanY);
}

void ScatterPlot::setCurrentKey(const QString& key)
{
    if (!key.isEmpty() && key != m_visitedKey) {
        // The trail is the history before the current architecture: a revisited key leaves it.
        m_trailKeys.removeAll(key);
        if (!m_visitedKey.isEmpty()) {
            m_trailKeys.removeAll(m_visitedKey);
            m_trailKeys.push_back(m_visitedKey);
            while (m_trailKeys.size() > kTrailLength)
                m_trailKeys.removeFirst();
        }
        m_visitedKey = key;
    }
    m_currentKey = key;
    updateCurrent(true);
    updateTeachingMarkers();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void ScatterPlot::clearTrail()
{
    m_trailKeys.clear();
    updateTeachingMarkers();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

std::optional<double> ScatterPlot::trailOpacity(const QString& key) const
{
    const qsizetype index = m_trailKeys.indexOf(key);
    const Point* point = index < 0 ? nullptr : pointOfRow(m_model->rowOfKey(key));
    if (!point)
        return std::nullopt;
    // Read back from the marker that draws it, so that what is asserted is what is drawn.
    const QCPGraph* graph = (point->nan ? m_trailNan : m_trailMain)[m_trailKeys.size() - 1 - index];
    if (graph->dataCount() != 1)
        return std::nullopt;
    return graph->scatterStyle().brush().color().alphaF();
}

void ScatterPlot::setPinnedKey(const QString& key)
{
    m_pinnedKey = key;
    showInLegend(m_pinnedMain, !key.isEmpty());
    updateTeachingMarkers();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

bool ScatterPlot::findArch(const QString& query)
{
    const QString needle = query.trimmed();
    if (needle.isEmpty())
        return false;
    // Rows that arrived since the last refresh are findable too.
    if (m_refreshTimer->isActive())
        refresh();
    const std::vector<const Point*> points = pointsByRow();
    const auto first = [this, &points](const auto& matches) -> const Point* {
        for (int row = 0; row < m_model->rowCount(); ++row) {
            if (points[row] && matches(row))
                return points[row];
        }
        return nullptr;
    };
    const Point* found = first(
        [this, &needle](int row) { return m_model->benchmarkId(row) == needle || m_model->scored(row).id == needle; });
    if (!found)
        found = first([this, &needle](int row) { return m_model->scored(row).text() == needle; });
    if (!found) {
        found = first(
            [this, &needle](int row) { return m_model->scored(row).text().contains(needle, Qt::CaseInsensitive); });
    }
    if (!found)
        return false;
    // The selection is the keyboard's: Enter on the plot loads it.
    m_plot->setFocus();
    select(found);
    return true;
}

void ScatterPlot::setTopK(int k)
{
    m_topK = std::max(k, 0);
    m_topKMain->setName(tr("Top %1 by score").arg(m_topK));
    showInLegend(m_topKMain, m_topK > 0);
    updateTeachingMarkers();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

QStringList ScatterPlot::topKKeys() const
{
    std::vector<int> rows;
    for (int row = 0; m_topK > 0 && row < m_model->rowCount(); ++row) {
        const ScoredArch& scored = m_model->scored(row);
        if (!scored.isNan() && std::isfinite(scored.score))
            rows.push_back(row);
    }
    const auto better = [this](int a, int b) {
        const double scoreA = m_model->scored(a).score;
        const double scoreB = m_model->scored(b).score;
        return scoreA > scoreB || (scoreA == scoreB && a < b);
    };
    const auto end = rows.begin() + std::min<std::ptrdiff_t>(m_topK, std::ptrdiff_t(rows.size()));
    std::partial_sort(rows.begin(), end, rows.end(), better);
    QStringList keys;
    for (auto row = rows.begin(); row != end; ++row)
        keys.push_back(m_model->scored(*row).key());
    return keys;
}

void ScatterPlot::clearBrush()
{
    if (m_brushedKeys.isEmpty())
        return;
    m_brushedKeys.clear();
    showInLegend(m_brushMain, false);
    updateTeachingMarkers();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
    Q_EMIT brushed({});
}

void ScatterPlot::onBrushAccepted(const QRect& rectangle)
{
    const QRect area = rectangle.normalized();
    QStringList keys;
    // By the pixel a point is drawn at (what pointPosition() tells), and only where the main plot shows it.
    for (const Point& point : m_points) {
        const QPoint pixel = pixelOf(point).toPoint();
        if (!point.nan && area.contains(pixel) && m_mainRect->rect().contains(pixel))
            keys.push_back(m_model->scored(point.row).key());
    }
    m_brushedKeys = keys;
    showInLegend(m_brushMain, !keys.isEmpty());
    updateTeachingMarkers();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
    Q_EMIT brushed(keys);
}

void ScatterPlot::showInLegend(QCPGraph* graph, bool shown)
{
    if (shown)
        graph->addToLegend(m_legend);
    else
        graph->removeFromLegend(m_legend);
}

std::vector<const ScatterPlot::Point*> ScatterPlot::pointsByRow() const
{
    std::vector<const Point*> points(m_model->rowCount(), nullptr);
    for (const Point& point : m_points) {
        if (point.row < int(points.size()))
            points[point.row] = &point;
    }
    return points;
}

void ScatterPlot::updateTeachingMarkers()
{
    const std::vector<const Point*> points = pointsByRow();
    const auto pointOfKey = [this, &points](const QString& key) -> const Point* {
        const int row = m_model->rowOfKey(key);
        return row >= 0 && row < int(points.size()) ? points[row] : nullptr;
    };
    for (int age = 0; age < kTrailLength; ++age) {
        m_trailMain[age]->data()->clear();
        m_trailNan[age]->data()->clear();
    }
    for (qsizetype index = 0; index < m_trailKeys.size(); ++index) {
        // A key whose row is not (or no longer) in the model keeps its place but draws nothing.
        if (const Point* point = pointOfKey(m_trailKeys[index])) {
            const qsizetype age = m_trailKeys.size() - 1 - index;
            (point->nan ? m_trailNan : m_trailMain)[age]->setData({ point->x }, { point->y });
        }
    }
    showInLegend(m_trailMain.front(), !m_trailKeys.isEmpty());
    showMarker(pointOfKey(m_pinnedKey), m_pinnedMain, m_pinnedNan, false);
    for (auto [graph, keys] : { std::make_pair(m_topKMain, topKKeys()), std::make_pair(m_brushMain, m_brushedKeys) }) {
        QVector<double> x, y;
        for (const QString& key : keys) {
            if (const Point* point = pointOfKey(key); point && !point->nan) {
                x.push_back(point->x);
                y.push_back(point->y);
            }
        }
        graph->setData(x, y);
    }
}

const ScatterPlot::Point* ScatterPlot::pointOfRow(int row) const
{
    if (row < 0)
        return nullptr;
    const auto hit
        = std::find_if(m_points.begin(), m_points.end(), [row](const Point& point) { return point.row == row; });
    return hit == m_points.end() ? nullptr : &*hit;
}

void ScatterPlot::updateCurrent(bool follow)
{
    showMarker(pointOfRow(m_model->rowOfKey(m_currentKey)), m_currentMain, m_currentNan, follow);
    showMarker(pointOfRow(m_model->rowOfKey(m_selectedKey)), m_selectedMain, m_selectedNan, false);
}

void ScatterPlot::showMarker(const Point* point, QCPGraph* main, QCPGraph* nan, bool follow)
{
    main->data()->clear();
    nan->data()->clear();
    if (!point)
        return;
    (point->nan ? nan : main)->setData({ point->x }, { point->y });
    // Follow the marked point: recentre an axis whose visible range does not contain it.
    if (follow && !m_autoRange) {
        QCPAxis* y = m_mainRect->axis(QCPAxis::atLeft);
        if (!y->range().contains(point->y))
            y->setRange(point->y, y->range().size(), Qt::AlignCenter);
        QCPAxis* x = m_mainRect->axis(QCPAxis::atBottom);
        if (!point->nan && !x->range().contains(point->x))
            x->setRange(point->x, x->range().size(), Qt::AlignCenter);
    }
}

ScatterPlot::Statistics ScatterPlot::statistics() const
{
    const QString policy = nanPolicy();
    const SearchSpace& space = spaceOf(*m_model);
    const ScoreRule rule = space.statisticsReference().rule;
    Statistics statistics;
    std::vector<double> scores, targets, parameters, baselineTargets;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        // Hand edits are shown, not counted: editing must not change the set's statistics.
        if (m_model->origin(row) == ScoreTableModel::Origin::Edit)
            continue;
        const ScoredArch& scored = m_model->scored(row);
        const double score = scored.isNan() ? NAN : scored.score;
        ++statistics.rows;
        statistics.nans += std::isnan(score);
        scores.push_back(score);
        targets.push_back(m_model->hasTargets() ? m_model->target(row) : double(m_model->parameters(row)));
        parameters.push_back(double(m_model->parameters(row)));
        // The baseline is over the rows epsinas is correlated over: the others get a NaN target, which drops them.
        baselineTargets.push_back(correlationKeeps(score, rule, policy) ? targets.back() : NAN);
    }
    statistics.correlation = correlateScores(scores, targets, policy, m_model->targetLowerIsBetter(), space);
    statistics.baseline = correlateScores(parameters, baselineTargets, QStringLiteral("exclude"), false, space);
    return statistics;
}

void ScatterPlot::updateReadout()
{
    const Statistics statistics = this->statistics();
    const Correlation& correlation = statistics.correlation;
    const QString policy = nanPolicy();
    const SearchSpace& space = spaceOf(*m_model);
    QString text = tr("<b>%1</b> %2 scored, <b>%3</b> NaN (%4%).")
                       .arg(QLocale().toString(statistics.rows), unitName(space))
                       .arg(QLocale().toString(statistics.nans))
                       .arg(statistics.rows ? 100.0 * statistics.nans / statistics.rows : 0.0, 0, 'f', 1);
    if (const int edits = m_model->editCount())
        text += QLatin1Char(' ')
            + (edits == 1 ? tr("1 hand edit shown, not counted.")
                          : tr("%1 hand edits shown, not counted.").arg(QLocale().toString(edits)));
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
        text += QLatin1Char(' ')
            + tr("Parameter-count baseline over the same architectures: ρ = %1 over n = %2.")
                  .arg(formatted(statistics.baseline.spearman))
                  .arg(statistics.baseline.n);
        if (m_model->targetLowerIsBetter())
            text += QLatin1Char(' ')
                + tr("Lower %1 is better, so a score that ranks well correlates <b>negatively</b>.")
                      .arg(m_model->targetName().toHtmlEscaped());
    } else {
        text += QLatin1Char(' ') + tr("Open a benchmark table to correlate with trained accuracy or loss.");
    }
    m_readout->setText(text);
}

QString ScatterPlot::statisticsCaption() const
{
    const Statistics statistics = this->statistics();
    const Correlation& correlation = statistics.correlation;
    const QString against = m_model->hasTargets() ? m_model->targetName() : tr("parameter count");
    QString caption
        = tr("%1 %2 scored (%3 NaN); against %4: Spearman ρ = %5, Kendall τ = %6 over n = %7, NaN policy %8")
              .arg(QLocale().toString(statistics.rows), unitName(spaceOf(*m_model)))
              .arg(QLocale().toString(statistics.nans))
              .arg(against, formatted(correlation.spearman), formatted(correlation.kendall))
              .arg(correlation.n)
              .arg(nanPolicy());
    if (m_model->hasTargets())
        caption += tr("; parameter baseline ρ = %1 over n = %2")
                       .arg(formatted(statistics.baseline.spearman))
                       .arg(statistics.baseline.n);
    return caption;
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
    QToolTip::showText(event->globalPosition().toPoint(), toolTipOf(*point), m_plot);
}

QString ScatterPlot::toolTipOf(const Point& point) const
{
    const ScoredArch& scored = m_model->scored(point.row);
    // The table's name for the row: the architecture's text, or its id where the text is too long to read.
    const QString name = m_model->data(m_model->index(point.row, ScoreTableModel::ArchColumn)).toString();
    QString text = QStringLiteral("<tt>%1</tt><br>").arg(name.toHtmlEscaped());
    text += scored.isNan() ? tr("score NaN: %1").arg(scored.nanReason.toHtmlEscaped())
                           : tr("score %1").arg(scored.score, 0, 'g', 5);
    text += QStringLiteral("<br>") + tr("%1 parameters").arg(QLocale().toString(m_model->parameters(point.row)));
    if (const std::optional<qint64> flops = m_model->flops(point.row))
        text += QStringLiteral("<br>") + tr("%1 FLOPs").arg(QLocale().toString(qlonglong(*flops)));
    if (m_model->hasTargets())
        text += QStringLiteral("<br>%1: %2").arg(m_model->targetName().toHtmlEscaped()).arg(m_model->target(point.row));
    if (m_model->origin(point.row) == ScoreTableModel::Origin::Edit)
        text += QStringLiteral("<br><i>%1</i>").arg(tr("hand edit: not counted in ρ, τ, n"));
    const QString key = scored.key();
    if (key == m_pinnedKey)
        text += QStringLiteral("<br><b>%1</b>").arg(tr("pinned"));
    if (const qsizetype index = m_trailKeys.indexOf(key); index >= 0)
        text += QStringLiteral("<br>")
            + tr("trail: visited %1 step(s) before the current one").arg(m_trailKeys.size() - index);
    if (const qsizetype rank = topKKeys().indexOf(key); rank >= 0)
        text += QStringLiteral("<br>") + tr("rank %1 by score (top %2)").arg(rank + 1).arg(m_topK);
    if (m_brushedKeys.contains(key))
        text += QStringLiteral("<br>") + tr("brushed");
    return text;
}

QString ScatterPlot::selectedKey() const
{
    return m_selectedKey;
}

bool ScatterPlot::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_plot) {
        if (event->type() == QEvent::KeyPress)
            return handleKey(static_cast<QKeyEvent*>(event)) || QWidget::eventFilter(watched, event);
        if (event->type() == QEvent::FocusIn || event->type() == QEvent::FocusOut)
            showFocus(event->type() == QEvent::FocusIn);
    }
    return QWidget::eventFilter(watched, event);
}

bool ScatterPlot::handleKey(QKeyEvent* event)
{
    const Point* selected = pointOfRow(m_model->rowOfKey(m_selectedKey));
    switch (event->key()) {
    case Qt::Key_Left:
    case Qt::Key_Right:
    case Qt::Key_Up:
    case Qt::Key_Down: {
        if (m_points.empty())
            return true;
        if (!selected) {
            // Start where the user is: at the current architecture, else at the best score.
            selected = pointOfRow(m_model->rowOfKey(m_currentKey));
            if (!selected) {
                selected = &*std::max_element(m_points.begin(), m_points.end(), [](const Point& a, const Point& b) {
                    return std::make_pair(!a.nan, a.x) < std::make_pair(!b.nan, b.x);
                });
            }
            select(selected);
            return true;
        }
        const int dx = event->key() == Qt::Key_Left ? -1 : event->key() == Qt::Key_Right ? 1 : 0;
        const int dy = event->key() == Qt::Key_Up ? -1 : event->key() == Qt::Key_Down ? 1 : 0;
        if (const Point* next = neighbour(*selected, dx, dy))
            select(next);
        return true;
    }
    case Qt::Key_Return:
    case Qt::Key_Enter:
        if (selected) {
            const ScoredArch& scored = m_model->scored(selected->row);
            Q_EMIT archActivated(scored.arch, scored.id);
        }
        return true;
    case Qt::Key_Escape: {
        const bool anything = selected || !m_brushedKeys.isEmpty();
        if (selected)
            select(nullptr);
        clearBrush();
        return anything;
    }
    case Qt::Key_Home:
        fit();
        return true;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoom(1 / kZoomStep);
        return true;
    case Qt::Key_Minus:
        zoom(kZoomStep);
        return true;
    }
    return false;
}

const ScatterPlot::Point* ScatterPlot::neighbour(const Point& from, int dx, int dy) const
{
    const QPointF origin = pixelOf(from);
    const Point* best = nullptr;
    double bestCost = 0;
    for (const Point& point : m_points) {
        if (&point == &from)
            continue;
        const QPointF offset = pixelOf(point) - origin;
        const double along = offset.x() * dx + offset.y() * dy;
        const double across = std::abs(offset.x() * dy) + std::abs(offset.y() * dx);
        if (along <= 0)
            continue;
        // Prefer points straight ahead: sideways distance costs more than distance along the key's direction.
        const double cost = along + 2 * across;
        if (!best || cost < bestCost) {
            best = &point;
            bestCost = cost;
        }
    }
    return best;
}

void ScatterPlot::select(const Point* point)
{
    m_selectedKey = point ? m_model->scored(point->row).key() : QString();
    showMarker(point, m_selectedMain, m_selectedNan, true);
    // The legend names the selection while there is one.
    if (point && m_selectedMain->addToLegend(m_legend))
        m_legend->itemWithPlottable(m_selectedMain)->setLayer(QString::fromLatin1(kScreenOnlyLayer));
    else if (!point)
        m_selectedMain->removeFromLegend(m_legend);
    m_plot->replot();
    if (!point) {
        QToolTip::hideText();
        return;
    }
    // What hovering would show, so the keyboard user reads the same details.
    QToolTip::showText(m_plot->mapToGlobal(pixelOf(*point).toPoint()), toolTipOf(*point), m_plot);
}

void ScatterPlot::zoom(double factor)
{
    m_autoRange = false;
    for (QCPAxis* axis : { m_mainRect->axis(QCPAxis::atBottom), m_mainRect->axis(QCPAxis::atLeft) })
        axis->scaleRange(factor, axis->range().center());
    m_plot->replot();
}

void ScatterPlot::fit()
{
    m_autoRange = true;
    refresh();
}

void ScatterPlot::showFocus(bool focused)
{
    // The focus ring: a frame in the highlight colour around the main plot area.
    m_focusFrame->setPen(QPen(palette().color(QPalette::Highlight), 2));
    m_focusFrame->setVisible(focused);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void ScatterPlot::onMousePress(QMouseEvent* event)
{
    m_pressPosition = event->pos();
    // Shift+drag on the main plot brushes: QCustomPlot reads the mode after this signal, and while a selection
    // rectangle is on the drag goes to it instead of panning.
    m_brushing = event->button() == Qt::LeftButton && event->modifiers().testFlag(Qt::ShiftModifier)
        && m_mainRect->rect().contains(event->pos());
    m_plot->setSelectionRectMode(m_brushing ? QCP::srmCustom : QCP::srmNone);
}

void ScatterPlot::onMouseRelease(QMouseEvent* event)
{
    const bool brushing = std::exchange(m_brushing, false);
    const bool dragged = (event->pos() - m_pressPosition).manhattanLength() > 3;
    // A brush's rectangle is handled when QCustomPlot accepts it, right after this signal; the view stays as it is.
    if (brushing && dragged)
        return;
    if (dragged) {
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
