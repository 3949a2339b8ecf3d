// SPDX-License-Identifier: MIT
#include "spaces/nb101/nb101scene.h"

#include "arrowitem.h"
#include "opstyle.h"
#include "presentation.h"

#include <QGraphicsLineItem>
#include <QGraphicsSceneContextMenuEvent>
#include <QGraphicsSceneMouseEvent>
#include <QGraphicsView>
#include <QKeyEvent>
#include <QMenu>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

#include <algorithm>
#include <cmath>

namespace epsinas::gui {

namespace {
// Horizontal distance between neighbouring vertices: seven of them fit a 560-pixel dock at the readable scale.
constexpr qreal kSpacing = 92;
// The vertex labels are a few letters in a roomy circle, so they can be larger than the text around the graph; the
// graph then fits a dock at a smaller scale with the labels still readable.
constexpr qreal kLabelFontScale = 1.15;
constexpr qreal kRadius = 25;
// The height of an arc that skips one vertex; one that skips k rises sqrt(k) times as high, so that the longest arcs
// do not make a tall graph a narrow dock would shrink. Arcs alternate above and below the row by span so they cross
// less.
constexpr qreal kArcStep = 36;

/** How far the arc over `skipped` vertices rises above or sinks below the row at its middle. */
qreal arcHeight(int skipped)
{
    return kArcStep * std::sqrt(qreal(skipped));
}
// Width of the band around an edge that a click hits.
constexpr qreal kHitWidth = 12;
// Width of the halo around the selected vertex.
constexpr qreal kHalo = 5;
const QColor kSelectionHalo(255, 196, 0, 170);

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
    const qreal height = 2 * arcHeight(span - 1) * (span % 2 ? 1 : -1);
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
        setCursor(Qt::PointingHandCursor);
        QString tip = QObject::tr("Vertex %1: %2 (drawn %3)").arg(vertex).arg(opText(op), opShortLabel(op));
        if (!live)
            tip += QObject::tr(" (pruned: not on an input→output path)");
        tip += op == nb101::Op::Input || op == nb101::Op::Output
            ? QObject::tr("\nDrag to a later vertex to add an edge")
            : QObject::tr("\nClick to select it and pick its op below; double-click or right-click for its menu; "
                          "drag to a later vertex to add an edge");
        setToolTip(tip);
    }
    int type() const override { return Type; }
    int vertex() const { return m_vertex; }
    void setSelectedVertex(bool selected)
    {
        m_selected = selected;
        update();
    }
    QRectF boundingRect() const override
    {
        const qreal room = kRadius + kHalo + 1;
        return QRectF(-room, -room, 2 * room, 2 * room);
    }
    QPainterPath shape() const override
    {
        QPainterPath path;
        path.addEllipse(QPointF(0, 0), kRadius, kRadius);
        return path;
    }
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget*) override
    {
        painter->setRenderHint(QPainter::Antialiasing);
        if (m_selected) {
            painter->setPen(QPen(kSelectionHalo, 2 * kHalo));
            painter->setBrush(Qt::NoBrush);
            painter->drawEllipse(QPointF(0, 0), kRadius, kRadius);
        }
        const bool hovered = option->state & QStyle::State_MouseOver;
        painter->setPen(QPen(m_live ? liveInk() : inactiveInk(),
            m_selected    ? 2.6
                : hovered ? 2.2
                          : 1.6,
            m_live ? Qt::SolidLine : Qt::DashLine));
        painter->setBrush(m_live ? opFill(m_op) : QColor(245, 245, 245));
        painter->drawEllipse(QPointF(0, 0), kRadius, kRadius);
        painter->setFont(Nb101Scene::labelFont());
        painter->drawText(boundingRect(), Qt::AlignCenter, opShortLabel(m_op));
    }

private:
    int m_vertex;
    nb101::Op m_op;
    bool m_live;
    bool m_selected = false;
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

QString opText(nb101::Op op)
{
    const std::string_view name = nb101::opName(op);
    return QString::fromLatin1(name.data(), int(name.size()));
}

QString opShortLabel(nb101::Op op)
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

QString opDescription(nb101::Op op)
{
    switch (op) {
    case nb101::Op::Input:
        return QObject::tr("the cell input");
    case nb101::Op::Output:
        return QObject::tr("the cell output");
    case nb101::Op::Conv3x3:
        return QObject::tr("3×3 convolution, batch norm, ReLU");
    case nb101::Op::Conv1x1:
        return QObject::tr("1×1 convolution, batch norm, ReLU");
    case nb101::Op::MaxPool3x3:
        return QObject::tr("3×3 max pooling");
    }
    return {};
}

QFont Nb101Scene::labelFont()
{
    QFont font = deskFont();
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * kLabelFontScale);
    return font;
}

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
    m_vertices.clear();
    const std::uint32_t live = m_spec.liveVertices();
    const int vertices = m_spec.vertexCount();
    m_selected = std::clamp(m_selected, 0, std::max(0, vertices - 1));
    // Room for every vertex and the tallest arc these vertices allow, so that adding or removing an edge never
    // rescales the view; only a change in the number of vertices does.
    const qreal height = arcHeight(std::max(0, vertices - 2)) + kRadius;
    setSceneRect(
        QRectF(-kRadius - 12, -height - 12, std::max(0, vertices - 1) * kSpacing + 2 * kRadius + 24, 2 * height + 24));
    for (int vertex = 0; vertex < vertices; ++vertex) {
        auto* item = new VertexItem(vertex, m_spec.op(vertex), (live >> vertex) & 1u);
        item->setSelectedVertex(vertex == m_selected);
        addItem(item);
        m_vertices.push_back(item);
    }
    for (int from = 0; from < vertices; ++from) {
        for (int to = from + 1; to < vertices; ++to) {
            if (m_spec.hasEdge(from, to))
                addItem(new ArcItem(from, to, ((live >> from) & 1u) && ((live >> to) & 1u)));
        }
    }
}

const std::vector<nb101::Op>& Nb101Scene::interiorOps()
{
    static const std::vector<nb101::Op> ops { nb101::Op::Conv3x3, nb101::Op::Conv1x1, nb101::Op::MaxPool3x3 };
    return ops;
}

void Nb101Scene::selectVertex(int vertex)
{
    if (vertex < 0 || vertex >= int(m_vertices.size()) || vertex == m_selected)
        return;
    static_cast<VertexItem*>(m_vertices[m_selected])->setSelectedVertex(false);
    m_selected = vertex;
    static_cast<VertexItem*>(m_vertices[vertex])->setSelectedVertex(true);
    Q_EMIT selectedVertexChanged(vertex);
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
    m_dragFrom = vertexAt(event->scenePos());
    m_pressedEdge = m_dragFrom < 0 ? edgeAt(event->scenePos()) : -1;
    // A press on the background is left to the view, which pans a graph bigger than itself.
    if (m_dragFrom < 0 && m_pressedEdge < 0) {
        event->ignore();
        return;
    }
    event->accept();
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
    // A click, rather than a drag, on a vertex selects it: the palette and the keys then set its op.
    if (from >= 0 && to == from) {
        selectVertex(from);
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
        for (nb101::Op op : interiorOps()) {
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

void Nb101Scene::popUpMenu(int vertex, const QPoint& screenPos)
{
    QMenu* menu = createMenu(vertex, views().isEmpty() ? nullptr : views().front());
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(screenPos);
}

void Nb101Scene::mouseDoubleClickEvent(QGraphicsSceneMouseEvent* event)
{
    const int vertex = vertexAt(event->scenePos());
    if (vertex < 0) {
        QGraphicsScene::mouseDoubleClickEvent(event);
        return;
    }
    event->accept();
    selectVertex(vertex);
    popUpMenu(vertex, event->screenPos());
}

void Nb101Scene::contextMenuEvent(QGraphicsSceneContextMenuEvent* event)
{
    event->accept();
    const int vertex = vertexAt(event->scenePos());
    selectVertex(vertex);
    popUpMenu(vertex, event->screenPos());
}

void Nb101Scene::keyPressEvent(QKeyEvent* event)
{
    const bool interior = m_selected > 0 && m_selected < m_spec.vertexCount() - 1;
    const std::vector<nb101::Op>& ops = interiorOps();
    const int count = int(ops.size());
    const int at = int(std::find(ops.begin(), ops.end(), m_spec.op(m_selected)) - ops.begin());
    auto request = [&](int next) {
        if (interior)
            Q_EMIT opRequested(m_selected, ops[(next + count) % count]);
    };
    const bool plain = !(event->modifiers() & (Qt::ControlModifier | Qt::AltModifier));
    switch (event->key()) {
    case Qt::Key_Right:
        selectVertex((m_selected + 1) % m_spec.vertexCount());
        break;
    case Qt::Key_Left:
        selectVertex((m_selected + m_spec.vertexCount() - 1) % m_spec.vertexCount());
        break;
    case Qt::Key_Up:
    case Qt::Key_Space:
        request(at + 1);
        break;
    case Qt::Key_Down:
        request(at - 1);
        break;
    case Qt::Key_1:
    case Qt::Key_2:
    case Qt::Key_3:
        if (!plain) {
            QGraphicsScene::keyPressEvent(event);
            return;
        }
        request(event->key() - Qt::Key_1);
        break;
    case Qt::Key_Return:
    case Qt::Key_Enter:
    case Qt::Key_Menu:
        if (!views().isEmpty()) {
            QGraphicsView* view = views().front();
            popUpMenu(m_selected, view->viewport()->mapToGlobal(view->mapFromScene(centre(m_selected))));
        }
        break;
    case Qt::Key_Delete:
    case Qt::Key_Backspace:
        if (interior)
            Q_EMIT vertexRemoveRequested(m_selected);
        break;
    default:
        QGraphicsScene::keyPressEvent(event);
        return;
    }
    event->accept();
}

} // namespace epsinas::gui
