// SPDX-License-Identifier: MIT
#pragma once

#include "spaces/nb201/cell.h"
#include "spaces/nlp/recipe.h"

#include <QColor>
#include <QIcon>
#include <QString>

namespace epsinas::gui {

/** How an op looks wherever the explorer draws it (graph edges, palette, legends). */
struct OpStyle {
    QColor color;
    Qt::PenStyle dash = Qt::SolidLine;
    qreal width = 2;
    /** Short label for the graph, e.g. "conv 3×3". */
    QString label;
    /** The benchmark's name, as in arch strings. */
    QString name;
};

OpStyle opStyle(nb201::Op op);
/** A short line in the op's colour and dash, for menus and the palette. */
QIcon opSwatch(nb201::Op op);

/** The ink of the graph editors' live vertices, nodes and edges. */
QColor liveInk();
/** The ink of what does not change the cell: NB101's pruned vertices, NLP's unused nodes. */
QColor inactiveInk();

/** A NAS-Bench-NLP node op: its colour fills and outlines the node; the label is what the graph writes in the node. */
OpStyle opStyle(nlp::Op op);
/** A small chip filled like the op's nodes, for the NLP editor's op combo and menus. */
QIcon opSwatch(nlp::Op op);

} // namespace epsinas::gui
