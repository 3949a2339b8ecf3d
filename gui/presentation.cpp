// SPDX-License-Identifier: MIT
#include "presentation.h"

#include <QApplication>
#include <QWidget>
#include <qcustomplot.h>

#include <algorithm>
#include <optional>
#include <utility>

namespace epsinas::gui {

namespace {

/** The properties a look restyles, by kind; QCustomPlot declares each as a Q_PROPERTY of its elements. */
constexpr const char* kPenProperties[]
    = { "pen", "basePen", "tickPen", "subTickPen", "subGridPen", "zeroLinePen", "borderPen", "iconBorderPen" };
constexpr const char* kFontProperties[] = { "font", "labelFont", "tickLabelFont" };
constexpr const char* kTextColorProperties[] = { "textColor", "labelColor", "tickLabelColor" };
/** Keys of the scatter style's parts, which is not a property QVariant can compare. */
constexpr const char* kScatterSize = "scatterSize";
constexpr const char* kScatterPen = "scatterPen";

/** How much thicker strokes are drawn in high contrast. */
constexpr double kStrokeFactor = 2.0;
/** How much bigger markers are drawn in high contrast, beyond the text scale. */
constexpr double kMarkerFactor = 1.5;
/** The least opacity of a stroke, and of a plottable's fill, in high contrast: pale tints vanish on a projector. */
constexpr int kLeastStrokeAlpha = 230;
constexpr int kLeastFillAlpha = 170;
/** The most lightness of text in high contrast (HSL, 0–255): coloured notes keep their hue but read as dark. */
constexpr int kMostTextLightness = 70;
/** The grid's grey in high contrast: visible, yet lighter than the data. */
constexpr int kGridGrey = 110;
/** The dynamic property that keeps a widget's own font at the desk while its text is scaled. */
constexpr const char* kDeskFontProperty = "epsinasDeskFont";

QFont scaledFont(QFont font, double scale)
{
    if (font.pointSizeF() > 0)
        font.setPointSizeF(font.pointSizeF() * scale);
    else if (font.pixelSize() > 0)
        font.setPixelSize(std::max(1, qRound(font.pixelSize() * scale)));
    return font;
}

QPen strongerPen(QPen pen, double factor)
{
    if (pen.style() == Qt::NoPen)
        return pen;
    // Width 0 is Qt's cosmetic one-pixel pen.
    pen.setWidthF(std::max(factor, std::max(pen.widthF(), 1.0) * factor));
    QColor color = pen.color();
    color.setAlpha(std::max(color.alpha(), kLeastStrokeAlpha));
    pen.setColor(color);
    return pen;
}

} // namespace

PlotPresenter* PlotPresenter::presenterOf(QCustomPlot* plot)
{
    if (auto* existing = plot->findChild<PlotPresenter*>(QString(), Qt::FindDirectChildrenOnly))
        return existing;
    return new PlotPresenter(plot);
}

PlotPresenter::PlotPresenter(QCustomPlot* plot)
    : QObject(plot)
    , m_plot(plot)
    , m_deskInteractions(int(plot->interactions()))
{
    connect(plot, &QCustomPlot::beforeReplot, this, &PlotPresenter::restyle);
}

void PlotPresenter::setLook(const PresentationLook& look)
{
    if (!m_look.zoomable)
        m_deskInteractions = int(m_plot->interactions());
    m_look = look;
    m_plot->setInteractions(look.zoomable ? QCP::Interactions(m_deskInteractions) | QCP::iRangeDrag | QCP::iRangeZoom
                                          : QCP::Interactions(m_deskInteractions));
    restyle();
    if (look.isDesk()) {
        // Every base is back; what the plot's code sets from now on is simply drawn.
        for (QObject* element : std::as_const(m_watched))
            disconnect(element, &QObject::destroyed, this, nullptr);
        m_watched.clear();
        m_styled.clear();
        m_fontBases.clear();
    }
    m_plot->replot();
}

void PlotPresenter::restyle()
{
    if (m_look.isDesk() && m_styled.isEmpty())
        return;
    for (int index = 0; index < m_plot->layerCount(); ++index) {
        for (QCPLayerable* element : m_plot->layer(index)->children()) {
            for (const char* name : kPenProperties)
                restyleProperty(element, name);
            for (const char* name : kFontProperties)
                restyleProperty(element, name);
            for (const char* name : kTextColorProperties)
                restyleProperty(element, name);
            // An item's "color" is its text's; a plottable's "brush" is its fill (an item's is left: the brush
            // rectangle must stay see-through).
            if (qobject_cast<QCPItemText*>(element))
                restyleProperty(element, "color");
            if (qobject_cast<QCPAbstractPlottable*>(element))
                restyleProperty(element, "brush");
            // A legend's icons grow with its text and markers, or a thicker marker is clipped in them.
            if (qobject_cast<QCPLegend*>(element))
                restyleProperty(element, "iconSize");
            if (auto* graph = qobject_cast<QCPGraph*>(element)) {
                QCPScatterStyle style = graph->scatterStyle();
                if (style.isNone())
                    continue;
                style.setSize(presented(graph, kScatterSize, style.size()).toDouble());
                if (style.isPenDefined())
                    style.setPen(presented(graph, kScatterPen, style.pen()).value<QPen>());
                graph->setScatterStyle(style);
            }
        }
    }
}

void PlotPresenter::restyleProperty(QObject* element, const char* name)
{
    if (element->metaObject()->indexOfProperty(name) < 0)
        return;
    element->setProperty(name, presented(element, name, element->property(name)));
}

QVariant PlotPresenter::presented(QObject* element, const char* name, const QVariant& current)
{
    const auto key = qMakePair(element, QByteArray(name));
    auto found = m_styled.find(key);
    if (found == m_styled.end()) {
        if (!m_watched.contains(element)) {
            m_watched.insert(element);
            connect(element, &QObject::destroyed, this, [this, element] { forget(element); });
        }
        const auto copied = current.metaType() == QMetaType::fromType<QFont>()
            ? m_fontBases.constFind(current.value<QFont>())
            : m_fontBases.constEnd();
        found = m_styled.insert(key, { copied == m_fontBases.constEnd() ? current : QVariant(*copied), {} });
    } else if (!(found->applied == current)) {
        // The plot's code set something new since the last restyle: that is the base now.
        found->base = current;
    }
    found->applied = present(element, name, found->base);
    if (found->applied.metaType() == QMetaType::fromType<QFont>())
        m_fontBases.insert(found->applied.value<QFont>(), found->base.value<QFont>());
    return found->applied;
}

QVariant PlotPresenter::present(const QObject* element, const char* name, const QVariant& base) const
{
    const QByteArray property(name);
    if (base.metaType() == QMetaType::fromType<QFont>())
        return scaledFont(base.value<QFont>(), m_look.textScale);
    const double markerScale = m_look.textScale * (m_look.highContrast ? kMarkerFactor : 1.0);
    if (property == kScatterSize)
        return base.toDouble() * markerScale;
    if (base.metaType() == QMetaType::fromType<QSize>())
        return base.toSize() * markerScale;
    if (!m_look.highContrast)
        return base;
    if (base.metaType() == QMetaType::fromType<QColor>()) {
        QColor color = base.value<QColor>().toHsl();
        return QColor::fromHsl(color.hslHue(), color.hslSaturation(), std::min(color.lightness(), kMostTextLightness));
    }
    if (base.metaType() == QMetaType::fromType<QBrush>()) {
        QBrush brush = base.value<QBrush>();
        if (brush.style() == Qt::SolidPattern) {
            QColor color = brush.color();
            color.setAlpha(std::max(color.alpha(), kLeastFillAlpha));
            brush.setColor(color);
        }
        return brush;
    }
    QPen pen = base.value<QPen>();
    if (pen.style() == Qt::NoPen)
        return pen;
    if (qobject_cast<const QCPGrid*>(element)) {
        pen.setColor(QColor(kGridGrey, kGridGrey, kGridGrey));
        return pen;
    }
    if (qobject_cast<const QCPAxis*>(element)) {
        pen.setColor(Qt::black);
        pen.setWidthF(property == "subTickPen" ? 1.5 : 2.0);
        return pen;
    }
    return strongerPen(pen, property == kScatterPen ? kMarkerFactor : kStrokeFactor);
}

void PlotPresenter::forget(QObject* element)
{
    m_watched.remove(element);
    for (auto it = m_styled.begin(); it != m_styled.end();)
        it = it.key().first == element ? m_styled.erase(it) : std::next(it);
}

namespace {
/** The application's font before scaleApplicationFont() first scaled it; empty at the desk. */
std::optional<QFont>& savedDeskFont()
{
    static std::optional<QFont> font;
    return font;
}
} // namespace

void scaleApplicationFont(double scale)
{
    std::optional<QFont>& saved = savedDeskFont();
    if (!saved)
        saved = QApplication::font();
    QApplication::setFont(scaledFont(*saved, scale));
    if (scale == 1.0)
        saved.reset();
}

QFont deskFont()
{
    return savedDeskFont().value_or(QGuiApplication::font());
}

void scaleOwnFonts(QWidget* root, double scale)
{
    QList<QWidget*> widgets = root->findChildren<QWidget*>();
    widgets.prepend(root);
    for (QWidget* widget : widgets) {
        const QVariant desk = widget->property(kDeskFontProperty);
        if (!desk.isValid()) {
            if (scale == 1.0 || !widget->testAttribute(Qt::WA_SetFont))
                continue;
            widget->setProperty(kDeskFontProperty, widget->font());
        }
        const QFont deskFont = widget->property(kDeskFontProperty).value<QFont>();
        widget->setFont(scaledFont(deskFont, scale));
        if (scale == 1.0)
            widget->setProperty(kDeskFontProperty, QVariant());
    }
}

} // namespace epsinas::gui
