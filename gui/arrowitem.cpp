// SPDX-License-Identifier: MIT
#include "arrowitem.h"

#include <QPainter>

namespace epsinas::gui {

void ArrowItem::setHead(const QPolygonF& head)
{
    prepareGeometryChange();
    m_head = head;
}

QRectF ArrowItem::boundingRect() const
{
    return QGraphicsPathItem::boundingRect().united(m_head.boundingRect());
}

void ArrowItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget)
{
    painter->setRenderHint(QPainter::Antialiasing);
    QGraphicsPathItem::paint(painter, option, widget);
    painter->setPen(Qt::NoPen);
    painter->setBrush(pen().color());
    painter->drawPolygon(m_head);
}

} // namespace epsinas::gui
