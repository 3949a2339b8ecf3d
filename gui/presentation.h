// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QFont>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QVariant>

class QCustomPlot;
class QWidget;

namespace epsinas::gui {

/** How the explorer is drawn: for a desk (the default) or for a room, through a projector. */
struct PresentationLook {
    /** Text size relative to the desk's. */
    double textScale = 1.0;
    /** Thicker strokes, bigger markers, opaque fills and black axes, which survive a washed-out projector. */
    bool highContrast = false;
    /** Whether every plot zooms (wheel) and pans (drag), the histograms too. */
    bool zoomable = false;

    bool isDesk() const { return textScale == 1.0 && !highContrast && !zoomable; }
};

/**
 * Draws one plot in a PresentationLook. Before each replot it restyles the plot's axes, grids, legend, plottables and
 * items, so that elements the plot's own code creates or changes later are drawn in the look too. What that code
 * sets stays the base: a pen, brush or font that differs from the one last applied is taken as the new base, and the
 * desk look puts every base back. The presenter is a child of its plot; presenterOf() finds or makes it.
 */
class PlotPresenter : public QObject {
    Q_OBJECT
public:
    static PlotPresenter* presenterOf(QCustomPlot* plot);

    void setLook(const PresentationLook& look);

private:
    explicit PlotPresenter(QCustomPlot* plot);
    void restyle();
    /** Restyles one element's property, e.g. a graph's "pen" or an axis's "tickLabelFont". */
    void restyleProperty(QObject* element, const char* name);
    /** The value `element`'s property `name` is drawn with now that it is `current`; keeps the base. */
    QVariant presented(QObject* element, const char* name, const QVariant& current);
    /** The look applied to one base value. */
    QVariant present(const QObject* element, const char* name, const QVariant& base) const;
    void forget(QObject* element);

    struct Styled {
        /** What the plot's own code set. */
        QVariant base;
        /** What the look made of it, last time. */
        QVariant applied;
    };
    QCustomPlot* m_plot;
    PresentationLook m_look;
    /** The plot's interactions at the desk, put back when zooming is no longer wanted. */
    int m_deskInteractions = 0;
    QHash<QPair<QObject*, QByteArray>, Styled> m_styled;
    /**
     * The fonts applied, each to its base. An element made while presenting copies a font from one already drawn
     * in the look (a legend item takes its legend's; an item the plot's, which follows the scaled application font):
     * its base is that font's base, not the scaled copy, or its text would be scaled twice.
     */
    QHash<QFont, QFont> m_fontBases;
    QSet<QObject*> m_watched;
};

/**
 * Draws the application's text at `scale` times its size at the desk (1: the desk's size again). Widgets that
 * inherit their font follow as Qt delivers the change, in the next turns of the event loop.
 */
void scaleApplicationFont(double scale);
/**
 * The application's font as it is at the desk, whatever scaleApplicationFont() made of it: the graph editors draw
 * their labels in it, since their views zoom the whole graph (labels, nodes and edges together) to fit.
 */
QFont deskFont();

/**
 * Scales the fonts a widget tree sets for itself (a big score, a monospace formula) by `scale` relative to the font
 * each had before the first call; 1 puts them back. Fonts that are inherited follow the application font instead.
 */
void scaleOwnFonts(QWidget* root, double scale);

} // namespace epsinas::gui
