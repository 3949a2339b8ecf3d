// SPDX-License-Identifier: MIT
#include "explainpanel.h"

#include "editorsupport.h"
#include "opstyle.h"
#include "score/scoreformula.h"
#include "scoretablemodel.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QPushButton>
#include <QRegularExpression>
#include <QStackedWidget>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace epsinas::gui {

namespace {
// A pinned architecture's curves: grey, under the current ones.
const QColor kPinnedColor(120, 120, 120);
// Where an exact zero stands on a log axis: this many decades under the smallest positive value shown.
constexpr double kZeroDecades = 2;
// Lines the sentence and the formula keep free, so the plot above them never moves between steps.
constexpr int kSentenceLines = 4;
constexpr int kFormulaLines = 2;
// The standing step's neighbourhood: the architectures ranked within this fraction of the scored set around the
// current one (at least kMinNeighbours of them) predict its target.
constexpr double kNeighbourFraction = 0.02;
constexpr int kMinNeighbours = 5;

const char* const kStepTitles[] = {
    QT_TRANSLATE_NOOP("epsinas::gui::ExplainPanel", "The network"),
    QT_TRANSLATE_NOOP("epsinas::gui::ExplainPanel", "Signal flow"),
    QT_TRANSLATE_NOOP("epsinas::gui::ExplainPanel", "Raw outputs"),
    QT_TRANSLATE_NOOP("epsinas::gui::ExplainPanel", "Min-max normalisation"),
    QT_TRANSLATE_NOOP("epsinas::gui::ExplainPanel", "Difference per sample"),
    QT_TRANSLATE_NOOP("epsinas::gui::ExplainPanel", "The score"),
    QT_TRANSLATE_NOOP("epsinas::gui::ExplainPanel", "Where it stands"),
};
static_assert(std::size(kStepTitles) == ExplainPanel::StepCount);

/** Four significant digits: a signal of 2e-39 must not read 0. */
QString number(double value)
{
    if (std::isnan(value))
        return QStringLiteral("NaN");
    return QString::number(value, 'g', 4);
}

QString count(std::size_t value)
{
    return QLocale(QLocale::English).toString(qulonglong(value));
}

QString quoted(const QString& text)
{
    return QStringLiteral("“") + text + QStringLiteral("”");
}

struct Range {
    double min = std::numeric_limits<double>::quiet_NaN();
    double max = std::numeric_limits<double>::quiet_NaN();
    bool empty() const { return std::isnan(min); }
    bool constant() const { return !empty() && min == max; }
};

Range rangeOf(const std::vector<double>& values)
{
    Range range;
    for (double value : values) {
        if (!std::isfinite(value))
            continue;
        if (range.empty()) {
            range.min = range.max = value;
            continue;
        }
        range.min = std::min(range.min, value);
        range.max = std::max(range.max, value);
    }
    return range;
}

QVector<double> sampleKeys(std::size_t size)
{
    QVector<double> keys(qsizetype(size), 0.0);
    for (int i = 0; i < keys.size(); ++i)
        keys[i] = i;
    return keys;
}

QVector<double> toVector(const std::vector<double>& values)
{
    return QVector<double>(values.begin(), values.end());
}

QCPGraph* addPoints(QCPAxisRect* rect, QCPAxis* valueAxis, const QColor& color, const QString& name,
    QCPScatterStyle::ScatterShape shape = QCPScatterStyle::ssDisc)
{
    auto* graph = new QCPGraph(rect->axis(QCPAxis::atBottom), valueAxis);
    graph->setName(name);
    graph->setLineStyle(QCPGraph::lsNone);
    graph->setPen(QPen(color));
    graph->setScatterStyle(QCPScatterStyle(shape, color, color, 5));
    return graph;
}

QCPGraph* addCurve(QCPAxisRect* rect, const QColor& color, Qt::PenStyle style, const QString& name, qreal width = 2)
{
    auto* graph = new QCPGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    graph->setName(name);
    QPen pen(color, width);
    pen.setStyle(style);
    graph->setPen(pen);
    return graph;
}

/** The rank of `score` among `scores` (higher is better, NaN last): 1 + how many are strictly higher. */
std::size_t rankOf(double score, const std::vector<double>& scores)
{
    return 1
        + std::size_t(std::count_if(scores.begin(), scores.end(), [score](double other) { return other > score; }));
}

double median(std::vector<double> values)
{
    if (values.empty())
        return std::numeric_limits<double>::quiet_NaN();
    const std::size_t middle = values.size() / 2;
    std::nth_element(values.begin(), values.begin() + std::ptrdiff_t(middle), values.end());
    if (values.size() % 2 == 1)
        return values[middle];
    const double upper = values[middle];
    return (*std::max_element(values.begin(), values.begin() + std::ptrdiff_t(middle)) + upper) / 2;
}
} // namespace

std::vector<LayerGroup> groupLayers(const std::vector<LayerSignal>& layers)
{
    static const QRegularExpression numbered(QStringLiteral("^(.*\\S)\\s+(\\d+)$"));
    std::vector<LayerGroup> groups;
    QString base;
    int firstNumber = -1;
    int lastNumber = -1;
    for (int i = 0; i < int(layers.size()); ++i) {
        const QString name = QString::fromStdString(layers[std::size_t(i)].name);
        const QRegularExpressionMatch match = numbered.match(name);
        const QString thisBase = match.hasMatch() ? match.captured(1) : QString();
        const int thisNumber = match.hasMatch() ? match.captured(2).toInt() : -1;
        const bool continues = !groups.empty() && match.hasMatch() && thisBase == base && thisNumber == lastNumber + 1;
        if (continues) {
            LayerGroup& group = groups.back();
            group.last = i;
            group.label
                = base + QLatin1Char(' ') + QString::number(firstNumber) + QChar(0x2013) + QString::number(thisNumber);
        } else {
            groups.push_back({ name, i, i, false, false });
            firstNumber = thisNumber;
        }
        base = thisBase;
        lastNumber = thisNumber;
        groups.back().lowZero = layers[std::size_t(i)].lowAllZero;
        groups.back().highZero = layers[std::size_t(i)].highAllZero;
    }
    return groups;
}

void NetworkDiagram::setGroups(std::vector<LayerGroup> groups, const QString& caption)
{
    m_groups = std::move(groups);
    m_caption = caption;
    update();
}

QSize NetworkDiagram::minimumSizeHint() const
{
    const QFontMetrics metrics(font());
    return QSize(metrics.averageCharWidth() * 40, metrics.lineSpacing() * 9);
}

void NetworkDiagram::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.fillRect(rect(), palette().base());
    const QFontMetrics metrics(font());
    const int margin = metrics.averageCharWidth() * 2;
    const int line = metrics.lineSpacing();
    if (m_groups.empty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(
            rect().adjusted(margin, margin, -margin, -margin), Qt::AlignCenter | Qt::TextWordWrap, m_caption);
        return;
    }
    // Boxes flow left to right and wrap into rows; "input" comes first, as the data does.
    QStringList labels { tr("input") };
    for (const LayerGroup& group : m_groups)
        labels << group.label;
    const int boxHeight = line * 2;
    const int gap = metrics.averageCharWidth() * 3;
    const int rowGap = line;
    const int width = this->width() - 2 * margin;
    std::vector<QRect> boxes;
    int x = margin, y = margin;
    for (const QString& label : labels) {
        const int boxWidth = metrics.horizontalAdvance(label) + metrics.averageCharWidth() * 2;
        if (x > margin && x + boxWidth > margin + width) {
            x = margin;
            y += boxHeight + rowGap;
        }
        boxes.emplace_back(x, y, boxWidth, boxHeight);
        x += boxWidth + gap;
    }
    for (std::size_t i = 0; i < boxes.size(); ++i) {
        const bool lowZero = i > 0 && m_groups[i - 1].lowZero;
        const bool highZero = i > 0 && m_groups[i - 1].highZero;
        const QColor fill = highZero ? QColor(220, 220, 220) : lowZero ? QColor(250, 215, 215) : QColor(225, 236, 250);
        painter.setPen(QPen(lowZero ? QColor(176, 0, 32) : palette().color(QPalette::Mid), lowZero ? 2 : 1));
        painter.setBrush(fill);
        painter.drawRoundedRect(boxes[i], 4, 4);
        painter.setPen(palette().color(QPalette::Text));
        painter.drawText(boxes[i], Qt::AlignCenter, labels[int(i)]);
        if (i + 1 < boxes.size()) {
            const QRect& from = boxes[i];
            const QRect& to = boxes[i + 1];
            painter.setPen(QPen(palette().color(QPalette::Mid), 1.5));
            if (to.top() == from.top()) {
                const QPoint start(from.right() + 2, from.center().y());
                const QPoint end(to.left() - 2, to.center().y());
                painter.drawLine(start, end);
                painter.drawLine(end, end + QPoint(-5, -4));
                painter.drawLine(end, end + QPoint(-5, 4));
            }
        }
    }
    painter.setPen(palette().color(QPalette::Text));
    const QRect captionRect(margin, y + boxHeight + rowGap, width, this->height() - (y + boxHeight + rowGap));
    painter.drawText(captionRect, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, m_caption);
}

ExplainPanel::ExplainPanel(ScoreTableModel* model, QWidget* parent)
    : QWidget(parent)
    , m_model(model)
{
    setFocusPolicy(Qt::StrongFocus);
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("explainTitle"));
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_state = new QLabel(this);
    m_state->setObjectName(QStringLiteral("explainState"));
    setTextColour(m_state, warningColour());
    m_back = new QPushButton(tr("◀ Back"), this);
    m_back->setObjectName(QStringLiteral("explainBack"));
    m_back->setToolTip(tr("The previous step (←, Page Up)"));
    m_next = new QPushButton(tr("Next ▶"), this);
    m_next->setObjectName(QStringLiteral("explainNext"));
    m_next->setToolTip(tr("The next step (→, Page Down)"));
    for (QPushButton* button : { m_back, m_next })
        button->setFocusPolicy(Qt::NoFocus);
    connect(m_back, &QPushButton::clicked, this, &ExplainPanel::back);
    connect(m_next, &QPushButton::clicked, this, &ExplainPanel::next);

    m_diagram = new NetworkDiagram(this);
    m_diagram->setObjectName(QStringLiteral("networkDiagram"));
    m_plot = new QCustomPlot(this);
    m_plot->setObjectName(QStringLiteral("explainPlot"));
    m_plot->setMinimumSize(240, 160);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_pages = new QStackedWidget(this);
    m_pages->addWidget(m_diagram);
    m_pages->addWidget(m_plot);

    m_sentence = new QLabel(this);
    m_sentence->setObjectName(QStringLiteral("explainSentence"));
    m_sentence->setWordWrap(true);
    m_sentence->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_sentence->setMinimumHeight(fontMetrics().lineSpacing() * kSentenceLines);
    m_sentence->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_formula = new QLabel(this);
    m_formula->setObjectName(QStringLiteral("explainFormula"));
    m_formula->setWordWrap(true);
    m_formula->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    QFont formulaFont = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_formula->setFont(formulaFont);
    m_formula->setMinimumHeight(QFontMetrics(formulaFont).lineSpacing() * kFormulaLines);
    m_formula->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* header = new QHBoxLayout;
    header->addWidget(m_title, 1);
    header->addWidget(m_back);
    header->addWidget(m_next);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(m_state);
    layout->addWidget(m_pages, 1);
    layout->addWidget(m_sentence);
    layout->addWidget(m_formula);
    // The standing step ranks against the scored set, which batches keep growing.
    const auto restand = [this] {
        if (m_step == Standing)
            render();
    };
    connect(m_model, &QAbstractItemModel::rowsInserted, this, restand);
    connect(m_model, &QAbstractItemModel::dataChanged, this, restand);
    connect(m_model, &QAbstractItemModel::modelReset, this, restand);
    setToolTip(tr("Why this architecture scores what it scores, one step at a time. ← and → move between the steps; "
                  "every step follows the edits."));
    render();
}

void ExplainPanel::showResult(const ScoreResult& result, const WeightPair& weights, Precision precision)
{
    // Every result is traced anew (the same cell rescored in another precision flows differently).
    m_flow.reset();
    m_result = result;
    m_weights = weights;
    m_precision = precision;
    m_hasResult = true;
    m_state->setText(precision == Precision::Float64
            ? tr("Scored in float64: a departure from the reference, which computes in float32.")
            : QString());
    render();
}

void ExplainPanel::showSignalFlow(quint64 generation, const epsinas::SignalFlow& flow)
{
    if (!m_hasResult || generation != m_result.generation)
        return;
    m_flow = flow;
    render();
}

void ExplainPanel::markStale(const QString& why)
{
    m_state->setText(why);
}

void ExplainPanel::showNotScored(const QString& why)
{
    m_hasResult = false;
    m_flow.reset();
    m_state->setText(why);
    render();
}

void ExplainPanel::setCurrentKey(const QString& key)
{
    m_currentKey = key;
    if (m_step == Standing)
        render();
}

void ExplainPanel::setPinned(const QString& name, const std::optional<epsinas::SignalFlow>& flow)
{
    m_pinnedName = name;
    m_pinnedFlow = flow;
    render();
}

void ExplainPanel::clearPinned()
{
    setPinned({}, std::nullopt);
}

void ExplainPanel::setStep(int step)
{
    step = std::clamp(step, 0, StepCount - 1);
    if (step == m_step)
        return;
    m_step = step;
    render();
    Q_EMIT stepChanged(step);
}

QString ExplainPanel::titleText() const
{
    return m_title->text();
}

QString ExplainPanel::sentenceText() const
{
    return m_sentence->text();
}

QString ExplainPanel::formulaText() const
{
    return m_formula->text();
}

void ExplainPanel::keyPressEvent(QKeyEvent* event)
{
    switch (event->key()) {
    case Qt::Key_Right:
    case Qt::Key_PageDown:
    case Qt::Key_Space:
        next();
        return;
    case Qt::Key_Left:
    case Qt::Key_PageUp:
    case Qt::Key_Backspace:
        back();
        return;
    case Qt::Key_Home:
        setStep(0);
        return;
    case Qt::Key_End:
        setStep(StepCount - 1);
        return;
    default:
        QWidget::keyPressEvent(event);
    }
}

void ExplainPanel::setTexts(const QString& sentence, const QString& formula)
{
    m_sentence->setText(sentence);
    m_formula->setText(formula);
}

void ExplainPanel::resetPlot()
{
    m_plot->clearPlottables();
    m_plot->clearItems();
    m_plot->plotLayout()->clear();
    auto* rect = new QCPAxisRect(m_plot);
    m_plot->plotLayout()->addElement(0, 0, rect);
    rect->setupFullAxesBox(false);
    m_plot->legend = new QCPLegend;
    rect->insetLayout()->addElement(m_plot->legend, Qt::AlignTop | Qt::AlignRight);
    m_plot->legend->setLayer(QStringLiteral("legend"));
    m_plot->legend->setVisible(true);
    m_plot->legend->setBrush(QColor(255, 255, 255, 220));
    m_plot->setCurrentLayer(QStringLiteral("main"));
    for (QCPAxis* axis : rect->axes())
        axis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    rect->axis(QCPAxis::atRight)->setVisible(false);
    rect->axis(QCPAxis::atTop)->setVisible(false);
}

void ExplainPanel::render()
{
    m_title->setText(tr("Step %1 of %2 · %3").arg(m_step + 1).arg(int(StepCount)).arg(tr(kStepTitles[m_step])));
    m_back->setEnabled(m_step > 0);
    m_next->setEnabled(m_step < StepCount - 1);
    m_pages->setCurrentWidget(m_step == Network ? static_cast<QWidget*>(m_diagram) : m_plot);
    if (m_step != Network)
        resetPlot();
    if (!m_hasResult) {
        m_diagram->setGroups({}, tr("No architecture is scored yet."));
        setTexts(tr("Edit or load an architecture: the explanation follows the one being scored."), {});
        m_plot->replot();
        return;
    }
    switch (m_step) {
    case Network:
        renderNetwork();
        break;
    case SignalFlow:
        renderSignalFlow();
        break;
    case RawOutputs:
        renderRawOutputs();
        break;
    case Normalise:
        renderNormalise();
        break;
    case Difference:
        renderDifference();
        break;
    case Ratio:
        renderRatio();
        break;
    case Standing:
        renderStanding();
        break;
    }
    if (m_step != Network)
        m_plot->replot();
}

void ExplainPanel::renderNetwork()
{
    const QString weights = tr("Every weight of this network is set to one constant: w_lo = %1 for the first pass, "
                               "w_hi = %2 for the second. Biases are 0; nothing is trained.")
                                .arg(weightText(m_weights.low), weightText(m_weights.high));
    const std::size_t samples = m_result.score.outputLow.size();
    if (!m_flow) {
        m_diagram->setGroups({}, tr("Tracing the layers of this network…"));
    } else {
        const std::vector<LayerGroup> groups = groupLayers(m_flow->layers);
        const auto zeroFrom = m_flow->firstLowZero();
        QString caption = weights;
        if (zeroFrom != epsinas::SignalFlow::npos)
            caption
                += QLatin1Char(' ') + tr("Red boxes: at w_lo the signal there is exactly 0 (the next step shows why).");
        m_diagram->setGroups(groups, caption);
    }
    setTexts(tr("The architecture builds this network, input to output (each box is one layer or a run of equal "
                "ones). The same batch of %1 inputs goes through it twice, once for each weight; the score compares "
                "the two sets of outputs.")
                 .arg(count(samples)),
        tr("pass 1: w = w_lo = %1   pass 2: w = w_hi = %2").arg(weightText(m_weights.low), weightText(m_weights.high)));
}

void ExplainPanel::renderSignalFlow()
{
    QCPAxisRect* rect = m_plot->axisRect();
    if (!m_flow) {
        setTexts(tr("Tracing the signal through every layer… (this space's evaluator may not trace its layers)"), {});
        return;
    }
    const std::vector<LayerSignal>& layers = m_flow->layers;
    double smallest = std::numeric_limits<double>::infinity();
    double largest = 0;
    const auto consider = [&](double value) {
        if (value > 0 && std::isfinite(value)) {
            smallest = std::min(smallest, value);
            largest = std::max(largest, value);
        }
    };
    for (const LayerSignal& layer : layers)
        for (double value : { layer.lowMeanAbs, layer.lowMaxAbs, layer.highMeanAbs, layer.highMaxAbs })
            consider(value);
    if (m_pinnedFlow)
        for (const LayerSignal& layer : m_pinnedFlow->layers)
            for (double value : { layer.lowMeanAbs, layer.highMeanAbs })
                consider(value);
    if (!std::isfinite(smallest))
        smallest = largest = 1;
    const double zeroLevel = smallest / std::pow(10.0, kZeroDecades);

    // A log axis cannot show 0: exact zeros are drawn as crosses on a line of their own under the smallest value.
    const auto curve = [&](const std::vector<LayerSignal>& source, auto member, QCPGraph* graph) {
        QVector<double> keys, values;
        for (std::size_t i = 0; i < source.size(); ++i) {
            keys << double(i);
            const double value = source[i].*member;
            values << (value > 0 ? value : std::numeric_limits<double>::quiet_NaN());
        }
        graph->setData(keys, values, true);
    };
    if (m_pinnedFlow) {
        const QString pinned = m_pinnedName.isEmpty() ? tr("pinned") : tr("pinned %1").arg(m_pinnedName);
        curve(m_pinnedFlow->layers, &LayerSignal::lowMeanAbs,
            addCurve(rect, kPinnedColor, Qt::SolidLine, tr("%1, mean |x|, w_lo").arg(pinned), 1.5));
        curve(m_pinnedFlow->layers, &LayerSignal::highMeanAbs,
            addCurve(rect, kPinnedColor, Qt::DashLine, tr("%1, mean |x|, w_hi").arg(pinned), 1.5));
    }
    curve(layers, &LayerSignal::lowMeanAbs, addCurve(rect, lowWeightColour(), Qt::SolidLine, tr("mean |x|, w_lo")));
    curve(layers, &LayerSignal::lowMaxAbs, addCurve(rect, lowWeightColour(), Qt::DotLine, tr("max |x|, w_lo"), 1.5));
    curve(layers, &LayerSignal::highMeanAbs, addCurve(rect, highWeightColour(), Qt::SolidLine, tr("mean |x|, w_hi")));
    curve(layers, &LayerSignal::highMaxAbs, addCurve(rect, highWeightColour(), Qt::DotLine, tr("max |x|, w_hi"), 1.5));
    QCPGraph* lowZeros = addPoints(
        rect, rect->axis(QCPAxis::atLeft), lowWeightColour(), tr("exactly 0, w_lo"), QCPScatterStyle::ssCross);
    QCPGraph* highZeros = addPoints(
        rect, rect->axis(QCPAxis::atLeft), highWeightColour(), tr("exactly 0, w_hi"), QCPScatterStyle::ssPlus);
    for (std::size_t i = 0; i < layers.size(); ++i) {
        if (layers[i].lowAllZero)
            lowZeros->addData(double(i), zeroLevel);
        if (layers[i].highAllZero)
            highZeros->addData(double(i), zeroLevel);
    }
    if (lowZeros->dataCount() == 0)
        m_plot->removeGraph(lowZeros);
    if (highZeros->dataCount() == 0)
        m_plot->removeGraph(highZeros);

    QCPAxis* y = rect->axis(QCPAxis::atLeft);
    y->setScaleType(QCPAxis::stLogarithmic);
    y->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    y->setNumberFormat(QStringLiteral("eb"));
    y->setNumberPrecision(0);
    y->setLabel(tr("|x| after the layer (log)"));
    y->setRange(zeroLevel / 3, largest * 10);
    QCPAxis* x = rect->axis(QCPAxis::atBottom);
    auto ticker = QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText);
    const std::vector<LayerGroup> groups = groupLayers(layers);
    // One label per group; a long run (70 steps of an RNN layer) is labelled at its start.
    for (const LayerGroup& group : groups)
        ticker->addTick(group.first, group.label);
    x->setTicker(ticker);
    x->setTickLabelRotation(groups.size() > 8 ? 45 : 0);
    x->setRange(-0.5, double(layers.size()) - 0.5);
    x->setLabel(tr("layer, input → output"));

    const std::size_t lowZero = m_flow->firstLowZero();
    const std::size_t highZero = m_flow->firstHighZero();
    QString sentence;
    if (highZero != epsinas::SignalFlow::npos) {
        sentence = tr("The signal is exactly 0 from %1 on at both weights: no path carries the input to the output, "
                      "so every output is 0 and nothing tells the samples apart.")
                       .arg(quoted(QString::fromStdString(layers[highZero].name)));
    } else if (lowZero != epsinas::SignalFlow::npos) {
        sentence
            = tr("At w_lo every convolution multiplies the signal by a tiny weight, and after %1 it is exactly 0: "
                 "float32 cannot hold a smaller number. From there on every w_lo output is 0, so the outputs cannot "
                 "be normalised and the score is NaN.")
                  .arg(quoted(QString::fromStdString(layers[lowZero].name)));
        if (m_precision == Precision::Float64)
            sentence += QLatin1Char(' ') + tr("(Even in float64.)");
    } else {
        const auto weakest = std::min_element(layers.begin(), layers.end(),
            [](const LayerSignal& a, const LayerSignal& b) { return a.lowMeanAbs < b.lowMeanAbs; });
        sentence = tr("The w_lo signal shrinks but never reaches 0 (weakest: mean |x| %1 after %2): a path without "
                      "a convolution, or float64, keeps it alive to the output, so both weights give outputs that "
                      "can be compared.")
                       .arg(number(weakest->lowMeanAbs), quoted(QString::fromStdString(weakest->name)));
    }
    if (m_pinnedFlow)
        sentence += QLatin1Char(' ') + tr("Grey: the pinned architecture.");
    const LayerSignal& out = layers.back();
    setTexts(sentence,
        tr("output: mean |x| = %1 at w_lo, %2 at w_hi; max |x| = %3 at w_lo, %4 at w_hi")
            .arg(number(out.lowMeanAbs), number(out.highMeanAbs), number(out.lowMaxAbs), number(out.highMaxAbs)));
}

void ExplainPanel::renderRawOutputs()
{
    QCPAxisRect* rect = m_plot->axisRect();
    const ArchScore& score = m_result.score;
    QCPAxis* left = rect->axis(QCPAxis::atLeft);
    QCPAxis* right = rect->axis(QCPAxis::atRight);
    right->setVisible(true);
    right->setTickLabels(true);
    QCPGraph* low
        = addPoints(rect, left, lowWeightColour(), tr("w_lo = %1 (left axis)").arg(weightText(m_weights.low)));
    low->setData(sampleKeys(score.outputLow.size()), toVector(score.outputLow));
    QCPGraph* high
        = addPoints(rect, right, highWeightColour(), tr("w_hi = %1 (right axis)").arg(weightText(m_weights.high)));
    high->setData(sampleKeys(score.outputHigh.size()), toVector(score.outputHigh));
    for (QCPGraph* graph : { low, high })
        graph->rescaleValueAxis();
    left->setLabel(tr("output at w_lo"));
    right->setLabel(tr("output at w_hi"));
    left->setTickLabelColor(lowWeightColour());
    right->setTickLabelColor(highWeightColour());
    QCPAxis* x = rect->axis(QCPAxis::atBottom);
    x->setLabel(tr("sample"));
    x->setRange(-1, double(std::max(score.outputLow.size(), score.outputHigh.size())));

    const Range lowRange = rangeOf(score.outputLow);
    const Range highRange = rangeOf(score.outputHigh);
    // A constant row gets a visible band around its value instead of a zero-height axis.
    for (const auto& [axis, range] : { std::pair { left, lowRange }, std::pair { right, highRange } })
        if (range.constant())
            axis->setRange(range.min - 1, range.max + 1);
    const auto describe = [](const Range& range, const QString& weight, std::size_t samples) {
        if (range.empty())
            return tr("At %1 no output is a finite number.").arg(weight);
        if (range.constant())
            return tr("At %1 all %2 outputs are equal (%3): nothing tells the samples apart.")
                .arg(weight, count(samples), number(range.min));
        return tr("At %1 they lie between %2 and %3.").arg(weight, number(range.min), number(range.max));
    };
    setTexts(tr("The network's output for each of the %1 samples, one point per sample. Their size is set by the "
                "weight; the score only asks whether their pattern changes between the two weights. %2 %3")
                 .arg(count(score.outputLow.size()), describe(lowRange, tr("w_lo"), score.outputLow.size()),
                     describe(highRange, tr("w_hi"), score.outputHigh.size())),
        tr("y_lo ∈ [%1, %2]   y_hi ∈ [%3, %4]")
            .arg(number(lowRange.min), number(lowRange.max), number(highRange.min), number(highRange.max)));
}

void ExplainPanel::renderNormalise()
{
    QCPAxisRect* rect = m_plot->axisRect();
    const ArchScore& score = m_result.score;
    const ScoreBreakdown breakdown = computeScore(score.outputLow, score.outputHigh, m_weights, m_precision);
    QCPAxis* left = rect->axis(QCPAxis::atLeft);
    const auto draw = [&](const std::vector<double>& normalised, const QColor& color, const QString& name) {
        QCPGraph* kept = addPoints(rect, left, color, name);
        QCPGraph* dropped = addPoints(rect, left, color, tr("%1: left out (NaN)").arg(name), QCPScatterStyle::ssCross);
        for (std::size_t i = 0; i < normalised.size(); ++i) {
            if (std::isfinite(normalised[i]))
                kept->addData(double(i), normalised[i]);
            else
                dropped->addData(double(i), -0.08);
        }
        if (dropped->dataCount() == 0)
            m_plot->removeGraph(dropped);
    };
    draw(breakdown.normalizedLow, lowWeightColour(), tr("w_lo"));
    draw(breakdown.normalizedHigh, highWeightColour(), tr("w_hi"));
    left->setRange(-0.15, 1.1);
    left->setLabel(tr("normalised output"));
    QCPAxis* x = rect->axis(QCPAxis::atBottom);
    x->setLabel(tr("sample; crosses under 0: left out"));
    x->setRange(-1, double(breakdown.normalizedLow.size()));

    const Range lowRange = rangeOf(score.outputLow);
    const Range highRange = rangeOf(score.outputHigh);
    const auto formula = [](const Range& range, const QString& weight) {
        if (range.empty())
            return tr("%1: no finite output").arg(weight);
        if (range.constant())
            return tr("%1: (y − %2) / 0 → NaN for every sample").arg(weight, number(range.min));
        return tr("%1: (y − %2) / (%3 − %2)").arg(weight, number(range.min), number(range.max));
    };
    QString sentence = tr("Each row is rescaled to [0, 1]: its smallest output becomes 0 and its largest 1, so the "
                          "size of the outputs no longer matters, only their pattern.");
    if (lowRange.constant() || highRange.constant() || lowRange.empty() || highRange.empty())
        sentence += QLatin1Char(' ')
            + tr("A row whose outputs are all equal has max − min = 0: dividing by it gives NaN for every sample, "
                 "and with that the score is NaN.");
    else
        sentence += QLatin1Char(' ')
            + tr("The reference then counts every normalised 0 as missing (its zero-to-NaN rule): %1 of %2 samples "
                 "at w_lo and %3 at w_hi, the minimum and its ties, are left out.")
                  .arg(count(std::size_t(breakdown.droppedLow)), count(breakdown.normalizedLow.size()),
                      count(std::size_t(breakdown.droppedHigh)));
    setTexts(sentence,
        tr("ŷ = (y − min) / (max − min)\n%1   %2").arg(formula(lowRange, tr("w_lo")), formula(highRange, tr("w_hi"))));
}

void ExplainPanel::renderDifference()
{
    QCPAxisRect* rect = m_plot->axisRect();
    const ArchScore& score = m_result.score;
    const ScoreBreakdown breakdown = computeScore(score.outputLow, score.outputHigh, m_weights, m_precision);
    auto* bars = new QCPBars(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    bars->setName(tr("|ŷ_lo − ŷ_hi|"));
    bars->setPen(Qt::NoPen);
    bars->setBrush(QColor(90, 90, 150));
    bars->setWidth(0.8);
    double sum = 0;
    std::size_t compared = 0;
    for (std::size_t i = 0; i < breakdown.normalizedLow.size() && i < breakdown.normalizedHigh.size(); ++i) {
        const double difference = std::abs(breakdown.normalizedLow[i] - breakdown.normalizedHigh[i]);
        if (!std::isfinite(difference))
            continue;
        bars->addData(double(i), difference);
        sum += difference;
        ++compared;
    }
    if (std::isfinite(breakdown.mae)) {
        auto* mae = new QCPItemStraightLine(m_plot);
        mae->setClipAxisRect(rect);
        mae->point1->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
        mae->point2->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
        mae->point1->setCoords(0, breakdown.mae);
        mae->point2->setCoords(1, breakdown.mae);
        mae->setPen(QPen(Qt::black, 1.5, Qt::DashLine));
    }
    rect->axis(QCPAxis::atLeft)->setRange(0, 1.05);
    rect->axis(QCPAxis::atLeft)->setLabel(tr("|Δ|; dashed: the mean (MAE)"));
    rect->axis(QCPAxis::atBottom)->setLabel(tr("sample"));
    rect->axis(QCPAxis::atBottom)->setRange(-1, double(breakdown.normalizedLow.size()));
    if (compared == 0) {
        setTexts(tr("No sample is left in both normalised rows, so there is no difference to average: the MAE is "
                    "NaN, and so is the score."),
            tr("MAE = mean |ŷ_lo − ŷ_hi| over 0 samples = NaN"));
        return;
    }
    setTexts(tr("For each sample left in both rows: how far apart its normalised outputs at the two weights are. A "
                "network whose output pattern does not depend on the weight scores near 0; their mean is the MAE."),
        tr("MAE = mean |ŷ_lo − ŷ_hi| = %1 / %2 = %3").arg(number(sum), count(compared), number(breakdown.mae)));
}

void ExplainPanel::renderRatio()
{
    QCPAxisRect* rect = m_plot->axisRect();
    const ArchScore& score = m_result.score;
    const ScoreBreakdown breakdown = computeScore(score.outputLow, score.outputHigh, m_weights, m_precision);
    auto* bars = new QCPBars(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    bars->setName(tr("the two means"));
    bars->setPen(Qt::NoPen);
    bars->setBrush(QColor(90, 90, 150));
    bars->setWidth(0.6);
    auto ticker = QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText);
    ticker->addTick(0, tr("MAE"));
    ticker->addTick(1, tr("mean ŷ"));
    rect->axis(QCPAxis::atBottom)->setTicker(ticker);
    rect->axis(QCPAxis::atBottom)->setRange(-0.7, 1.7);
    rect->axis(QCPAxis::atLeft)->setRange(0, 1.05);
    m_plot->legend->setVisible(false);
    if (std::isfinite(breakdown.mae))
        bars->addData(0, breakdown.mae);
    if (std::isfinite(breakdown.mean))
        bars->addData(1, breakdown.mean);
    if (score.isNan()) {
        setTexts(tr("No score: %1. The reference turns it into NaN, and a NaN architecture is ranked last.")
                     .arg(QString::fromStdString(score.nanReason)),
            tr("score = MAE / mean(ŷ) = %1 / %2 = NaN").arg(number(breakdown.mae), number(breakdown.mean)));
        return;
    }
    setTexts(tr("The score divides the MAE by the mean of all normalised outputs left in both rows: how much the "
                "output pattern changes between the two weights, relative to its typical value. Higher ranks better."),
        tr("score = MAE / mean(ŷ) = %1 / %2 = %3")
            .arg(number(breakdown.mae), number(breakdown.mean), number(score.score)));
}

void ExplainPanel::renderStanding()
{
    QCPAxisRect* rect = m_plot->axisRect();
    const double own = m_result.score.score;
    std::vector<double> scores;
    std::vector<std::pair<double, double>> withTarget;
    QCPGraph* all = addPoints(rect, rect->axis(QCPAxis::atLeft), QColor(150, 150, 150), tr("scored architectures"));
    all->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, QColor(150, 150, 150, 120), 3));
    const bool targets = m_model->hasTargets();
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (m_model->origin(row) == ScoreTableModel::Origin::Edit)
            continue;
        const double score = m_model->scored(row).score;
        if (!std::isfinite(score))
            continue;
        scores.push_back(score);
        const double target = targets ? m_model->target(row) : std::numeric_limits<double>::quiet_NaN();
        if (std::isfinite(target)) {
            withTarget.emplace_back(score, target);
            all->addData(score, target);
        }
    }
    const int ownRow = m_model->rowOfKey(m_currentKey);
    const double ownTarget
        = targets && ownRow >= 0 ? m_model->target(ownRow) : std::numeric_limits<double>::quiet_NaN();
    // Without a table the scores alone, against their rank (1 = best, at the top).
    if (!targets) {
        std::vector<double> sorted = scores;
        std::sort(sorted.begin(), sorted.end(), std::greater<>());
        for (std::size_t i = 0; i < sorted.size(); ++i)
            all->addData(sorted[i], double(i + 1));
    }
    const double ownHeight = targets ? ownTarget : double(rankOf(own, scores));
    if (std::isfinite(own) && std::isfinite(ownHeight)) {
        QCPGraph* current = addPoints(rect, rect->axis(QCPAxis::atLeft), QColor(176, 0, 32), tr("this architecture"));
        current->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, QColor(176, 0, 32), 10));
        current->addData(own, ownHeight);
    }
    QCPAxis* x = rect->axis(QCPAxis::atBottom);
    QCPAxis* y = rect->axis(QCPAxis::atLeft);
    x->setLabel(tr("epsinas score (log)"));
    x->setScaleType(QCPAxis::stLogarithmic);
    x->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    y->setLabel(targets ? m_model->targetName() : tr("rank by score (1 = best)"));
    y->setRangeReversed(!targets);
    all->rescaleAxes();
    if (std::isfinite(own) && own > 0) {
        auto* line = new QCPItemStraightLine(m_plot);
        line->setClipAxisRect(rect);
        line->point1->setAxes(x, y);
        line->point2->setAxes(x, y);
        line->point1->setCoords(own, 0);
        line->point2->setCoords(own, 1);
        line->setPen(QPen(QColor(176, 0, 32), 1, Qt::DashLine));
        if (x->range().lower > own || x->range().upper < own)
            x->setRange(std::min(x->range().lower, own / 2), std::max(x->range().upper, own * 2));
    }

    if (!std::isfinite(own)) {
        QString sentence = tr("A NaN score ranks below every number: the reference puts it last, so this architecture "
                              "would be the search's last choice whatever it would reach when trained.");
        if (std::isfinite(ownTarget))
            sentence += QLatin1Char(' ') + tr("Trained, its %1 is %2.").arg(m_model->targetName(), number(ownTarget));
        setTexts(sentence, tr("rank = last of %1 scored").arg(count(scores.size() + 1)));
        return;
    }
    if (scores.empty()) {
        setTexts(tr("Nothing else is scored yet: Score All or a benchmark table (File → Open Benchmark) gives this "
                    "score something to be ranked against."),
            {});
        return;
    }
    const std::size_t rank = rankOf(own, scores);
    // The current architecture is one of the scored rows when a batch scored it; a hand edit is not.
    const bool counted = ownRow >= 0 && m_model->origin(ownRow) != ScoreTableModel::Origin::Edit;
    const std::size_t total = counted ? scores.size() : scores.size() + 1;
    const double topPercent = 100.0 * double(rank) / double(total);
    QString sentence = tr("Its score ranks %1 of %2 scored architectures (top %3 %).")
                           .arg(count(rank), count(total), QString::number(topPercent, 'g', 3));
    if (withTarget.size() >= std::size_t(kMinNeighbours)) {
        // What the rank predicts: the target the architectures scored about as high reach.
        std::sort(withTarget.begin(), withTarget.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
        const std::size_t position
            = std::size_t(std::lower_bound(withTarget.begin(), withTarget.end(), own,
                              [](const auto& entry, double score) { return entry.first > score; })
                - withTarget.begin());
        const std::size_t half = std::max<std::size_t>(
            kMinNeighbours / 2, std::size_t(std::ceil(kNeighbourFraction * double(withTarget.size()) / 2)));
        const std::size_t begin = position > half ? position - half : 0;
        const std::size_t end = std::min(withTarget.size(), position + half + 1);
        std::vector<double> neighbours;
        for (std::size_t i = begin; i < end; ++i)
            neighbours.push_back(withTarget[i].second);
        sentence += QLatin1Char(' ')
            + tr("The %1 architectures ranked around it by score reach a median %2 of %3: that is what its rank "
                 "predicts.")
                  .arg(count(neighbours.size()), m_model->targetName(), number(median(neighbours)));
        if (std::isfinite(ownTarget))
            sentence += QLatin1Char(' ') + tr("Its own is %1.").arg(number(ownTarget));
    } else if (!targets) {
        sentence += QLatin1Char(' ') + tr("Load a benchmark table to see what that rank predicts.");
    }
    setTexts(sentence, tr("rank = 1 + #(scores > %1) = %2 of %3").arg(number(own), count(rank), count(total)));
}

} // namespace epsinas::gui
