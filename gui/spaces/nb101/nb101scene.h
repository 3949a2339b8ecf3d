// SPDX-License-Identifier: MIT
#pragma once

#include "spaces/nb101/spec.h"

#include <QGraphicsScene>

#include <vector>

class QGraphicsLineItem;
class QMenu;

namespace epsinas::gui {

/** The benchmark's name of an NB101 op, the word the palette, the menus and the spec string use. */
QString opText(nb101::Op op);
/** What a vertex circle of the op shows, where its name does not fit: "3×3", "1×1", "pool", "in", "out". */
QString opShortLabel(nb101::Op op);
/** What the op computes, in a few plain words, for tooltips. */
QString opDescription(nb101::Op op);

/**
 * An NB101 spec as a graph: its vertices in a row (input first, output last) and every edge as an arc. Like
 * CellScene, a view of one value (setSpec) that never edits it but asks: dragging from a vertex to a later one
 * requests an edge, clicking an edge requests its removal, a vertex's context menu requests an op or its removal.
 * Clicking a vertex selects it (the target of the editor's op palette and of the keys: ←/→ select, ↑/↓ or 1–3 set
 * its op, Enter opens its menu, Delete removes it). Vertices that are not on an input -> output path are drawn
 * greyed: NB101 prunes them.
 */
class Nb101Scene : public QGraphicsScene {
    Q_OBJECT
public:
    explicit Nb101Scene(QObject* parent = nullptr);

    void setSpec(const nb101::Spec& spec);
    const nb101::Spec& spec() const { return m_spec; }

    /** The font of the vertex labels, in scene units. */
    static QFont labelFont();

    /** The centre of a vertex, in scene coordinates. */
    QPointF vertexPos(int vertex) const;
    /** The middle of the edge from -> to, where a user clicks it; meaningful whether or not the edge exists. */
    QPointF edgePos(int from, int to) const;

    /** The selected vertex; one always is. */
    int selectedVertex() const { return m_selected; }
    void selectVertex(int vertex);
    /** The ops an interior vertex can have, in palette and menu order. */
    static const std::vector<nb101::Op>& interiorOps();

    /** The context menu of `vertex` (ops of an interior vertex, removal) or, for -1, of the empty scene. */
    QMenu* createMenu(int vertex, QWidget* parent);

Q_SIGNALS:
    void edgeAddRequested(int from, int to);
    void edgeRemoveRequested(int from, int to);
    void opRequested(int vertex, epsinas::nb101::Op op);
    void vertexAddRequested();
    void vertexRemoveRequested(int vertex);
    void selectedVertexChanged(int vertex);

protected:
    void mousePressEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseMoveEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseDoubleClickEvent(QGraphicsSceneMouseEvent* event) override;
    void contextMenuEvent(QGraphicsSceneContextMenuEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    void rebuild();
    void popUpMenu(int vertex, const QPoint& screenPos);
    int vertexAt(const QPointF& scenePos) const;
    /** The edge under `scenePos` as from * kMaxVertices + to, or -1. */
    int edgeAt(const QPointF& scenePos) const;

    nb101::Spec m_spec;
    /** The rubber band of an edge being dragged, and the vertex it starts at. */
    QGraphicsLineItem* m_rubber = nullptr;
    int m_dragFrom = -1;
    int m_pressedEdge = -1;
    int m_selected = 1;
    std::vector<QGraphicsItem*> m_vertices;
};

} // namespace epsinas::gui
