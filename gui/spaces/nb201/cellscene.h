// SPDX-License-Identifier: MIT
#pragma once

#include "spaces/nb201/cell.h"

#include <QGraphicsScene>

#include <array>

class QMenu;

namespace epsinas::gui {

class EdgeItem;

/**
 * The NB201 cell as a graph: four nodes in a row and the six edges between them. The scene is a view of one cell
 * value (setCell); it never changes an op itself but asks for it with opRequested, and the editor answers by
 * setting the new cell. One edge is always selected, the target of keyboard and palette edits.
 */
class CellScene : public QGraphicsScene {
    Q_OBJECT
public:
    explicit CellScene(QObject* parent = nullptr);
    ~CellScene() override;

    void setCell(const nb201::Cell& cell);
    const nb201::Cell& cell() const { return m_cell; }

    int selectedEdge() const { return m_selected; }
    void selectEdge(int edge);
    EdgeItem* edgeItem(int edge) const { return m_edges[edge]; }
    /** Where an edge's label is, in scene coordinates (what a user clicks). */
    QPointF edgeLabelPos(int edge) const;

    /** The op menu for `edge`, checked at its op; choosing an entry emits opRequested. Caller owns it. */
    QMenu* createOpMenu(int edge, QWidget* parent);

Q_SIGNALS:
    void opRequested(int edge, epsinas::nb201::Op op);
    void selectedEdgeChanged(int edge);

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void contextMenuEvent(QGraphicsSceneContextMenuEvent* event) override;
    void mouseDoubleClickEvent(QGraphicsSceneMouseEvent* event) override;

private:
    void onSelectionChanged();
    EdgeItem* edgeAt(const QPointF& scenePos) const;
    void popUpOpMenu(int edge, const QPoint& screenPos);

    nb201::Cell m_cell;
    std::array<EdgeItem*, nb201::kEdgeCount> m_edges {};
    int m_selected = 0;
};

} // namespace epsinas::gui
