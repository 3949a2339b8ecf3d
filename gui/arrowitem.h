// SPDX-License-Identifier: MIT
#pragma once

#include <QGraphicsPathItem>
#include <QPolygonF>

namespace epsinas::gui {

/** A path ending in a filled arrow head in the pen's colour: the edges and links of the directed graph editors. */
class ArrowItem : public QGraphicsPathItem {
public:
    using QGraphicsPathItem::QGraphicsPathItem;

    /** The arrow head, a polygon in item coordinates. */
    void setHead(const QPolygonF& head);
    const QPolygonF& head() const { return m_head; }

    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

private:
    QPolygonF m_head;
};

} // namespace epsinas::gui
