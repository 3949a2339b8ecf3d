// SPDX-License-Identifier: MIT
#pragma once

#include <QGraphicsItem>

namespace epsinas::gui {

/** One of the four nodes of an NB201 cell: 0 is the cell input, 3 the output. Not interactive. */
class NodeItem : public QGraphicsItem {
public:
    enum { Type = UserType + 1 };
    static constexpr qreal kRadius = 22;

    explicit NodeItem(int node, QGraphicsItem* parent = nullptr);

    int type() const override { return Type; }
    int node() const { return m_node; }
    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

private:
    int m_node;
};

} // namespace epsinas::gui
