// SPDX-License-Identifier: MIT
#pragma once

#include <QColor>
#include <QString>

namespace epsinas::gui {

/** How an op looks wherever the explorer draws it (graph edges and nodes, palettes, legends). */
struct OpStyle {
    QColor color;
    Qt::PenStyle dash = Qt::SolidLine;
    qreal width = 2;
    /**
     * What the graph writes where the benchmark's name does not fit (NB101's circles, NLP's boxes), e.g. "sigm";
     * palettes, menus and undo steps always say `name`.
     */
    QString label;
    /** The benchmark's name, as in arch strings: the one word for the op everywhere a user picks it. */
    QString name;
    /** What the op computes, in a few plain words, for tooltips. */
    QString description;
};

/** The ink of the graph editors' live vertices, nodes and edges. */
QColor liveInk();
/** The ink of what does not change the architecture's function (pruned vertices, unused nodes). */
QColor inactiveInk();
/** The two constant weights' colours in every plot: blue for w_lo, orange for w_hi. */
QColor lowWeightColour();
QColor highWeightColour();

} // namespace epsinas::gui
