// SPDX-License-Identifier: MIT
#include "spaces/nb201/nodeitem.h"

#include "presentation.h"

#include <QPainter>

namespace epsinas::gui {

NodeItem::NodeItem(int node, QGraphicsItem* parent)
    : QGraphicsItem(parent)
    , m_node(node)
{
    setZValue(2);
    setCacheMode(DeviceCoordinateCache);
    if (node == 0)
        setToolTip(QObject::tr("Node 0: the cell input"));
    else if (node == 3)
        setToolTip(QObject::tr("Node 3: the cell output, the sum of its three inputs"));
    else
        setToolTip(QObject::tr("Node %1: the sum of its inputs").arg(node));
}

QRectF NodeItem::boundingRect() const
{
    return QRectF(-kRadius - 2, -kRadius - 2, 2 * kRadius + 4, 2 * kRadius + 4);
}

QPainterPath NodeItem::shape() const
{
    QPainterPath path;
    path.addEllipse(QPointF(0, 0), kRadius, kRadius);
    return path;
}

void NodeItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*)
{
    const bool io = m_node == 0 || m_node == 3;
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(QPen(QColor(60, 60, 60), 1.6));
    painter->setBrush(io ? QColor(235, 238, 245) : QColor(255, 255, 255));
    painter->drawEllipse(QPointF(0, 0), kRadius, kRadius);
    QFont font = deskFont();
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 1.2);
    painter->setFont(font);
    painter->drawText(QRectF(-kRadius, -kRadius, 2 * kRadius, 2 * kRadius), Qt::AlignCenter, QString::number(m_node));
}

} // namespace epsinas::gui
