// SPDX-License-Identifier: MIT
#pragma once

#include "spaces/nb201/cell.h"

#include <QGraphicsItem>
#include <QPainterPath>

namespace epsinas::gui {

/**
 * One of the six edges of an NB201 cell, drawn as a curve with its op written on it. The item only shows an op;
 * the cell value lives in the editor, which sets the op after every edit.
 */
class EdgeItem : public QGraphicsItem {
public:
    enum { Type = UserType + 2 };

    /** `path` runs from the source node's centre to the target node's centre. */
    EdgeItem(int edge, const QPainterPath& path, QGraphicsItem* parent = nullptr);

    int type() const override { return Type; }
    int edge() const { return m_edge; }
    nb201::Op op() const { return m_op; }
    void setOp(nb201::Op op);
    /** Centre of the label, the natural place to click. */
    QPointF labelCenter() const { return m_labelRect.center(); }

    /** The font of the op labels, in scene units. */
    static QFont labelFont();

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

protected:
    QVariant itemChange(GraphicsItemChange change, const QVariant& value) override;

private:
    void updateLabel();

    int m_edge;
    nb201::Op m_op = nb201::Op::None;
    QPainterPath m_path;
    QPainterPath m_arrow;
    QRectF m_labelRect;
};

} // namespace epsinas::gui
