// SPDX-License-Identifier: MIT
#include "spaces/nb201/edgeitem.h"

#include "presentation.h"
#include "spaces/nb201/nb201opstyle.h"
#include "spaces/nb201/nodeitem.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPathStroker>
#include <QStyleOptionGraphicsItem>

#include <cmath>

namespace epsinas::gui {

namespace {
// Width of the band around the curve that counts as a hit, so thin edges are easy to click.
constexpr qreal kHitWidth = 14;
// Size of the arrow head.
constexpr qreal kArrowSize = 10;
} // namespace

QFont EdgeItem::labelFont()
{
    return deskFont();
}

EdgeItem::EdgeItem(int edge, const QPainterPath& path, QGraphicsItem* parent)
    : QGraphicsItem(parent)
    , m_edge(edge)
    , m_path(path)
{
    setFlag(ItemIsSelectable);
    setAcceptHoverEvents(true);
    setCursor(Qt::PointingHandCursor);
    setZValue(1);

    // The arrow head sits where the curve enters the target node's circle.
    const QPointF target = m_path.pointAtPercent(1);
    qreal percent = 1;
    while (percent > 0.5 && QLineF(m_path.pointAtPercent(percent), target).length() < NodeItem::kRadius + 1)
        percent -= 0.005;
    const QPointF tip = m_path.pointAtPercent(percent);
    const qreal angle = qDegreesToRadians(m_path.angleAtPercent(percent));
    const QPointF back(-std::cos(angle), std::sin(angle));
    const QPointF side(back.y(), -back.x());
    m_arrow.moveTo(tip);
    m_arrow.lineTo(tip + kArrowSize * back + 0.5 * kArrowSize * side);
    m_arrow.lineTo(tip + kArrowSize * back - 0.5 * kArrowSize * side);
    m_arrow.closeSubpath();
    updateLabel();
}

void EdgeItem::setOp(nb201::Op op)
{
    if (op == m_op)
        return;
    prepareGeometryChange();
    m_op = op;
    updateLabel();
    update();
}

void EdgeItem::updateLabel()
{
    const OpStyle style = opStyle(m_op);
    const QFontMetricsF metrics(labelFont());
    // Size the box for the widest label so it does not jump as the op changes.
    qreal width = 0;
    for (nb201::Op op : nb201::kAllOps)
        width = std::max(width, metrics.horizontalAdvance(opStyle(op).label));
    const QSizeF size(width + 14, metrics.height() + 6);
    const QPointF centre = m_path.pointAtPercent(0.5);
    m_labelRect = QRectF(centre - QPointF(size.width() / 2, size.height() / 2), size);
    setToolTip(QObject::tr("Edge %1: node %2 → node %3, %4 (%5)\nClick to select, right-click or double-click to "
                           "choose the op; with the edge selected, ↑/↓ cycle ops, ←/→ move between edges")
                   .arg(m_edge)
                   .arg(nb201::kEdgeSource[m_edge])
                   .arg(nb201::kEdgeTarget[m_edge])
                   .arg(style.name, style.description));
}

QRectF EdgeItem::boundingRect() const
{
    return m_path.boundingRect().united(m_arrow.boundingRect()).united(m_labelRect).adjusted(-8, -8, 8, 8);
}

QPainterPath EdgeItem::shape() const
{
    QPainterPathStroker stroker;
    stroker.setWidth(kHitWidth);
    QPainterPath hit = stroker.createStroke(m_path);
    hit.addRect(m_labelRect);
    return hit;
}

void EdgeItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget*)
{
    const OpStyle style = opStyle(m_op);
    const bool selected = option->state & QStyle::State_Selected;
    const bool hovered = option->state & QStyle::State_MouseOver;
    painter->setRenderHint(QPainter::Antialiasing);

    if (selected || hovered) {
        QColor halo = selected ? QColor(255, 196, 0, 150) : QColor(255, 220, 120, 90);
        painter->setPen(QPen(halo, style.width + 9, Qt::SolidLine, Qt::RoundCap));
        painter->setBrush(Qt::NoBrush);
        painter->drawPath(m_path);
    }
    painter->setPen(QPen(style.color, style.width, style.dash, Qt::RoundCap));
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(m_path);
    painter->setPen(Qt::NoPen);
    painter->setBrush(style.color);
    painter->drawPath(m_arrow);

    painter->setPen(QPen(selected ? QColor(200, 140, 0) : style.color, selected ? 2 : 1));
    painter->setBrush(m_op == nb201::Op::None ? QColor(250, 250, 250, 200) : QColor(255, 255, 255));
    painter->drawRoundedRect(m_labelRect, 5, 5);
    painter->setFont(labelFont());
    painter->setPen(m_op == nb201::Op::None ? QColor(140, 140, 140) : style.color.darker(130));
    painter->drawText(m_labelRect, Qt::AlignCenter, style.label);
}

QVariant EdgeItem::itemChange(GraphicsItemChange change, const QVariant& value)
{
    // Raise the selected edge so its label is never hidden behind a crossing curve.
    if (change == ItemSelectedHasChanged)
        setZValue(value.toBool() ? 1.5 : 1);
    return QGraphicsItem::itemChange(change, value);
}

} // namespace epsinas::gui
