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
    /** Short label for the graph, e.g. "conv 3×3". */
    QString label;
    /** The benchmark's name, as in arch strings. */
    QString name;
};

/** The ink of the graph editors' live vertices, nodes and edges. */
QColor liveInk();
/** The ink of what does not change the architecture's function (pruned vertices, unused nodes). */
QColor inactiveInk();

} // namespace epsinas::gui
