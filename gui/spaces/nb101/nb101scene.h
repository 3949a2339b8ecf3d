// SPDX-License-Identifier: MIT
#pragma once

#include "spaces/nb101/spec.h"

#include <QGraphicsScene>

class QGraphicsLineItem;
class QMenu;

namespace epsinas::gui {

/**
 * An NB101 spec as a graph: its vertices in a row (input first, output last) and every edge as an arc. Like
 * CellScene, a view of one value (setSpec) that never edits it but asks: dragging from a vertex to a later one
 * requests an edge, clicking an edge requests its removal, a vertex's context menu requests an op or its removal.
 * Vertices that are not on an input -> output path are drawn greyed: NB101 prunes them.
 */
class Nb101Scene : public QGraphicsScene {
    Q_OBJECT
public:
    explicit Nb101Scene(QObject* parent = nullptr);

    void setSpec(const nb101::Spec& spec);
    const nb101::Spec& spec() const { return m_spec; }

    /** The centre of a vertex, in scene coordinates. */
    QPointF vertexPos(int vertex) const;
    /** The middle of the edge from -> to, where a user clicks it; meaningful whether or not the edge exists. */
    QPointF edgePos(int from, int to) const;

    /** The context menu of `vertex` (ops of an interior vertex, removal) or, for -1, of the empty scene. */
    QMenu* createMenu(int vertex, QWidget* parent);

Q_SIGNALS:
    void edgeAddRequested(int from, int to);
    void edgeRemoveRequested(int from, int to);
    void opRequested(int vertex, epsinas::nb101::Op op);
    void vertexAddRequested();
    void vertexRemoveRequested(int vertex);

protected:
    void mousePressEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseMoveEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent* event) override;
    void contextMenuEvent(QGraphicsSceneContextMenuEvent* event) override;

private:
    void rebuild();
    int vertexAt(const QPointF& scenePos) const;
    /** The edge under `scenePos` as from * kMaxVertices + to, or -1. */
    int edgeAt(const QPointF& scenePos) const;

    nb101::Spec m_spec;
    /** The rubber band of an edge being dragged, and the vertex it starts at. */
    QGraphicsLineItem* m_rubber = nullptr;
    int m_dragFrom = -1;
    int m_pressedEdge = -1;
};

} // namespace epsinas::gui
