// SPDX-License-Identifier: MIT
#include "spaces/nb101/nb101scene.h"

#include "arrowitem.h"
#include "opstyle.h"

#include <QGraphicsLineItem>
#include <QGraphicsSceneContextMenuEvent>
#include <QGraphicsSceneMouseEvent>
#include <QGraphicsView>
#include <QMenu>
#include <QPainter>

#include <cmath>

namespace epsinas::gui {

namespace {
// Horizontal distance between neighbouring vertices.
constexpr qreal kSpacing = 112;
constexpr qreal kRadius = 25;
// Height an arc gains per vertex it skips; arcs alternate above and below the row by span so they cross less.
constexpr qreal kArcStep = 30;
// Width of the band around an edge that a click hits.
constexpr qreal kHitWidth = 12;

QString opLabel(nb101::Op op)
{
    switch (op) {
    case nb101::Op::Input:
        return QStringLiteral("in");
    case nb101::Op::Output:
        return QStringLiteral("out");
    case nb101::Op::Conv3x3:
        return QStringLiteral("3×3");
    case nb101::Op::Conv1x1:
        return QStringLiteral("1×1");
    case nb101::Op::MaxPool3x3:
        return QStringLiteral("pool");
    }
    return {};
}

QColor opFill(nb101::Op op)
{
    switch (op) {
    case nb101::Op::Conv3x3:
        return QColor(205, 220, 245);
    case nb101::Op::Conv1x1:
        return QColor(200, 235, 228);
    case nb101::Op::MaxPool3x3:
        return QColor(232, 212, 238);
    default:
        return QColor(235, 238, 245);
    }
}

QString opText(nb101::Op op)
{
    const std::string_view name = nb101::opName(op);
    return QString::fromLatin1(name.data(), int(name.size()));
}

QPointF centre(int vertex)
{
    return QPointF(vertex * kSpacing, 0);
}

QPainterPath arcPath(int from, int to)
{
    QPainterPath path(centre(from));
    const int span = to - from;
    if (span == 1) {
        path.lineTo(centre(to));
        return path;
    }
    // Quadratic curves reach half their control height at the midpoint.
    const qreal height = 2 * kArcStep * (span - 1) * (span % 2 ? 1 : -1);
    path.quadTo((centre(from) + centre(to)) / 2 + QPointF(0, height), centre(to));
    return path;
}

/** A vertex: a circle named by its op, greyed when pruned. */
class VertexItem : public QGraphicsItem {
public:
    enum { Type = UserType + 11 };
    VertexItem(int vertex, nb101::Op op, bool live)
        : m_vertex(vertex)
        , m_op(op)
        , m_live(live)
    {
        setPos(centre(vertex));
        setZValue(2);
        setAcceptHoverEvents(true);
        QString tip = QObject::tr("Vertex %1: %2").arg(vertex).arg(opText(op));
        if (!live)
            tip += QObject::tr(" (pruned: not on an input→output path)");
        setToolTip(tip);
    }
    int type() const override { return Type; }
    int vertex() const { return m_vertex; }
    QRectF boundingRect() const override
    {
        return QRectF(-kRadius - 2, -kRadius - 2, 2 * kRadius + 4, 2 * kRadius + 4);
    }
    QPainterPath shape() const override
    {
        QPainterPath path;
        path.addEllipse(QPointF(0, 0), kRadius, kRadius);
        return path;
    }
    void paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) override
    {
        painter->setRenderHint(QPainter::Antialiasing);
        painter->setPen(QPen(m_live ? liveInk() : inactiveInk(), 1.6, m_live ? Qt::SolidLine : Qt::DashLine));
        painter->setBrush(m_live ? opFill(m_op) : QColor(245, 245, 245));
        painter->drawEllipse(QPointF(0, 0), kRadius, kRadius);
        QFont font = painter->font();
        font.setBold(true);
        painter->setFont(font);
        painter->drawText(boundingRect(), Qt::AlignCenter, opLabel(m_op));
    }

private:
    int m_vertex;
    nb101::Op m_op;
    bool m_live;
};

/** An edge: an arc with an arrow head at its target, greyed when either end is pruned. */
class ArcItem : public ArrowItem {
public:
    enum { Type = UserType + 12 };
    ArcItem(int from, int to, bool live)
        : ArrowItem(arcPath(from, to))
        , m_from(from)
        , m_to(to)
    {
        setPen(QPen(live ? liveInk() : inactiveInk(), 2, live ? Qt::SolidLine : Qt::DashLine, Qt::RoundCap));
        setZValue(1);
        setToolTip(QObject::tr("Edge %1 → %2; click to remove it").arg(from).arg(to));
        // The arrow head sits where the arc enters the target's circle.
        const QPainterPath arc = path();
        const qreal percent = arc.percentAtLength(std::max<qreal>(0, arc.length() - kRadius));
        const QPointF tip = arc.pointAtPercent(percent);
        const qreal angle = qDegreesToRadians(arc.angleAtPercent(percent));
        const QPointF back(-std::cos(angle), std::sin(angle));
        const QPointF side(-back.y(), back.x());
        setHead(QPolygonF({ tip, tip + 10 * back + 5 * side, tip + 10 * back - 5 * side }));
    }
    int type() const override { return Type; }
    int from() const { return m_from; }
    int to() const { return m_to; }
    QRectF boundingRect() const override { return shape().boundingRect(); }
    QPainterPath shape() const override
    {
        QPainterPathStroker stroker;
        stroker.setWidth(kHitWidth);
        QPainterPath hit = stroker.createStroke(path());
        hit.addPolygon(head());
        return hit;
    }

private:
    int m_from;
    int m_to;
};
} // namespace

Nb101Scene::Nb101Scene(QObject* parent)
    : QGraphicsScene(parent)
{
}

void Nb101Scene::setSpec(const nb101::Spec& spec)
{
    m_spec = spec;
    rebuild();
}

void Nb101Scene::rebuild()
{
    m_rubber = nullptr;
    m_dragFrom = -1;
    m_pressedEdge = -1;
    clear();
    const std::uint32_t live = m_spec.liveVertices();
    const int vertices = m_spec.vertexCount();
    // Room for every vertex and the tallest arc these vertices allow, so that adding or removing an edge never
    // rescales the view; only a change in the number of vertices does.
    const qreal height = kArcStep * std::max(0, vertices - 2) + kRadius;
    setSceneRect(
        QRectF(-kRadius - 12, -height - 12, std::max(0, vertices - 1) * kSpacing + 2 * kRadius + 24, 2 * height + 24));
    for (int vertex = 0; vertex < vertices; ++vertex)
        addItem(new VertexItem(vertex, m_spec.op(vertex), (live >> vertex) & 1u));
    for (int from = 0; from < vertices; ++from) {
        for (int to = from + 1; to < vertices; ++to) {
            if (m_spec.hasEdge(from, to))
                addItem(new ArcItem(from, to, ((live >> from) & 1u) && ((live >> to) & 1u)));
        }
    }
}

QPointF Nb101Scene::vertexPos(int vertex) const
{
    return centre(vertex);
}

QPointF Nb101Scene::edgePos(int from, int to) const
{
    return arcPath(from, to).pointAtPercent(0.5);
}

int Nb101Scene::vertexAt(const QPointF& scenePos) const
{
    for (QGraphicsItem* item : items(scenePos)) {
        if (item->type() == VertexItem::Type)
            return static_cast<VertexItem*>(item)->vertex();
    }
    return -1;
}

int Nb101Scene::edgeAt(const QPointF& scenePos) const
{
    for (QGraphicsItem* item : items(scenePos)) {
        if (item->type() == ArcItem::Type) {
            const auto* arc = static_cast<ArcItem*>(item);
            return arc->from() * nb101::kMaxVertices + arc->to();
        }
    }
    return -1;
}

void Nb101Scene::mousePressEvent(QGraphicsSceneMouseEvent* event)
{
    if (event->button() != Qt::LeftButton) {
        QGraphicsScene::mousePressEvent(event);
        return;
    }
    event->accept();
    m_dragFrom = vertexAt(event->scenePos());
    m_pressedEdge = m_dragFrom < 0 ? edgeAt(event->scenePos()) : -1;
    if (m_dragFrom >= 0 && m_dragFrom < m_spec.vertexCount() - 1) {
        m_rubber = addLine(QLineF(centre(m_dragFrom), event->scenePos()), QPen(liveInk(), 1.5, Qt::DashLine));
        m_rubber->setZValue(3);
    }
}

void Nb101Scene::mouseMoveEvent(QGraphicsSceneMouseEvent* event)
{
    if (m_rubber) {
        m_rubber->setLine(QLineF(centre(m_dragFrom), event->scenePos()));
        event->accept();
        return;
    }
    QGraphicsScene::mouseMoveEvent(event);
}

void Nb101Scene::mouseReleaseEvent(QGraphicsSceneMouseEvent* event)
{
    if (event->button() != Qt::LeftButton) {
        QGraphicsScene::mouseReleaseEvent(event);
        return;
    }
    event->accept();
    const int from = m_dragFrom;
    const int pressedEdge = m_pressedEdge;
    delete m_rubber;
    m_rubber = nullptr;
    m_dragFrom = -1;
    m_pressedEdge = -1;
    // Edges only run forwards (the adjacency is upper triangular), so a drag backwards or onto itself adds nothing.
    const int to = vertexAt(event->scenePos());
    if (from >= 0 && to > from && !m_spec.hasEdge(from, to)) {
        Q_EMIT edgeAddRequested(from, to);
        return;
    }
    if (pressedEdge >= 0 && edgeAt(event->scenePos()) == pressedEdge)
        Q_EMIT edgeRemoveRequested(pressedEdge / nb101::kMaxVertices, pressedEdge % nb101::kMaxVertices);
}

QMenu* Nb101Scene::createMenu(int vertex, QWidget* parent)
{
    auto* menu = new QMenu(parent);
    menu->setObjectName(QStringLiteral("vertexMenu"));
    const int last = m_spec.vertexCount() - 1;
    if (vertex > 0 && vertex < last) {
        menu->addSection(tr("Vertex %1").arg(vertex));
        for (nb101::Op op : { nb101::Op::Conv3x3, nb101::Op::Conv1x1, nb101::Op::MaxPool3x3 }) {
            QAction* action = menu->addAction(opText(op));
            action->setObjectName(opText(op));
            action->setCheckable(true);
            action->setChecked(op == m_spec.op(vertex));
            connect(action, &QAction::triggered, this, [this, vertex, op] { Q_EMIT opRequested(vertex, op); });
        }
        menu->addSeparator();
        QAction* remove = menu->addAction(tr("Remove Vertex %1").arg(vertex));
        remove->setObjectName(QStringLiteral("removeVertex"));
        connect(remove, &QAction::triggered, this, [this, vertex] { Q_EMIT vertexRemoveRequested(vertex); });
    }
    QAction* add = menu->addAction(tr("Add Vertex"));
    add->setObjectName(QStringLiteral("addVertex"));
    add->setEnabled(m_spec.vertexCount() < nb101::kMaxVertices);
    connect(add, &QAction::triggered, this, &Nb101Scene::vertexAddRequested);
    return menu;
}

void Nb101Scene::contextMenuEvent(QGraphicsSceneContextMenuEvent* event)
{
    event->accept();
    QMenu* menu = createMenu(vertexAt(event->scenePos()), views().isEmpty() ? nullptr : views().front());
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(event->screenPos());
}

} // namespace epsinas::gui
