// SPDX-License-Identifier: MIT
#include "spaces/nb201/cellscene.h"

#include "spaces/nb201/edgeitem.h"
#include "spaces/nb201/nb201opstyle.h"
#include "spaces/nb201/nodeitem.h"

#include <QGraphicsSceneContextMenuEvent>
#include <QGraphicsSceneMouseEvent>
#include <QGraphicsView>
#include <QKeyEvent>
#include <QMenu>
#include <QSignalBlocker>

namespace epsinas::gui {

namespace {
// Horizontal distance between neighbouring nodes.
constexpr qreal kNodeSpacing = 155;
// Height of the arcs that skip one node (above the row) and of the one that skips two (below it).
constexpr qreal kShortArc = 62;
constexpr qreal kLongArc = 72;

QPointF nodePos(int node)
{
    return QPointF(node * kNodeSpacing, 0);
}

QPainterPath edgePath(int edge)
{
    const int source = nb201::kEdgeSource[edge];
    const int target = nb201::kEdgeTarget[edge];
    QPainterPath path(nodePos(source));
    if (target - source == 1) {
        path.lineTo(nodePos(target));
    } else {
        // Quadratic curves reach half their control height at the midpoint.
        const qreal height = target - source == 2 ? -2 * kShortArc : 2 * kLongArc;
        const QPointF middle = (nodePos(source) + nodePos(target)) / 2;
        path.quadTo(middle + QPointF(0, height), nodePos(target));
    }
    return path;
}
} // namespace

CellScene::CellScene(QObject* parent)
    : QGraphicsScene(parent)
{
    for (int node = 0; node < 4; ++node) {
        auto* item = new NodeItem(node);
        item->setPos(nodePos(node));
        addItem(item);
    }
    for (int edge = 0; edge < nb201::kEdgeCount; ++edge) {
        m_edges[edge] = new EdgeItem(edge, edgePath(edge));
        m_edges[edge]->setOp(m_cell.op(edge));
        addItem(m_edges[edge]);
    }
    setSceneRect(itemsBoundingRect().adjusted(-12, -12, 12, 12));
    connect(this, &QGraphicsScene::selectionChanged, this, &CellScene::onSelectionChanged);
    m_edges[m_selected]->setSelected(true);
}

CellScene::~CellScene()
{
    // Deleting the selected edge announces a selection change; onSelectionChanged would then read m_edges, whose
    // items the base destructor is already deleting one by one.
    const QSignalBlocker blocker(this);
    clear();
}

void CellScene::setCell(const nb201::Cell& cell)
{
    m_cell = cell;
    for (int edge = 0; edge < nb201::kEdgeCount; ++edge)
        m_edges[edge]->setOp(cell.op(edge));
}

void CellScene::selectEdge(int edge)
{
    if (edge < 0 || edge >= nb201::kEdgeCount)
        return;
    if (edge == m_selected && m_edges[edge]->isSelected())
        return;
    {
        const QSignalBlocker blocker(this);
        clearSelection();
        m_edges[edge]->setSelected(true);
    }
    m_selected = edge;
    Q_EMIT selectedEdgeChanged(edge);
}

QPointF CellScene::edgeLabelPos(int edge) const
{
    return m_edges[edge]->mapToScene(m_edges[edge]->labelCenter());
}

void CellScene::onSelectionChanged()
{
    for (EdgeItem* item : m_edges) {
        if (item->isSelected() && item->edge() != m_selected) {
            selectEdge(item->edge());
            return;
        }
    }
    // A click on empty space clears the selection; keep the last edge selected, it is the palette's target.
    if (!m_edges[m_selected]->isSelected()) {
        const QSignalBlocker blocker(this);
        m_edges[m_selected]->setSelected(true);
    }
}

EdgeItem* CellScene::edgeAt(const QPointF& scenePos) const
{
    for (QGraphicsItem* item : items(scenePos)) {
        if (auto* edge = qgraphicsitem_cast<EdgeItem*>(item))
            return edge;
    }
    return nullptr;
}

QMenu* CellScene::createOpMenu(int edge, QWidget* parent)
{
    auto* menu = new QMenu(parent);
    menu->setObjectName(QStringLiteral("opMenu"));
    menu->addSection(tr("Edge %1: node %2 → %3").arg(edge).arg(nb201::kEdgeSource[edge]).arg(nb201::kEdgeTarget[edge]));
    for (nb201::Op op : nb201::kAllOps) {
        const OpStyle style = opStyle(op);
        QAction* action = menu->addAction(opSwatch(op), style.name);
        action->setObjectName(style.name);
        action->setCheckable(true);
        action->setChecked(op == m_cell.op(edge));
        connect(action, &QAction::triggered, this, [this, edge, op] { Q_EMIT opRequested(edge, op); });
    }
    return menu;
}

void CellScene::popUpOpMenu(int edge, const QPoint& screenPos)
{
    selectEdge(edge);
    QMenu* menu = createOpMenu(edge, views().isEmpty() ? nullptr : views().front());
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(screenPos);
}

void CellScene::contextMenuEvent(QGraphicsSceneContextMenuEvent* event)
{
    EdgeItem* edge = edgeAt(event->scenePos());
    if (!edge) {
        event->ignore();
        return;
    }
    event->accept();
    popUpOpMenu(edge->edge(), event->screenPos());
}

void CellScene::mouseDoubleClickEvent(QGraphicsSceneMouseEvent* event)
{
    if (EdgeItem* edge = edgeAt(event->scenePos())) {
        event->accept();
        popUpOpMenu(edge->edge(), event->screenPos());
        return;
    }
    QGraphicsScene::mouseDoubleClickEvent(event);
}

void CellScene::keyPressEvent(QKeyEvent* event)
{
    const int op = int(m_cell.op(m_selected));
    auto request = [this](int next) {
        Q_EMIT opRequested(m_selected, nb201::kAllOps[(next + nb201::kOpCount) % nb201::kOpCount]);
    };
    switch (event->key()) {
    case Qt::Key_Up:
    case Qt::Key_Space:
        request(op + 1);
        break;
    case Qt::Key_Down:
        request(op - 1);
        break;
    case Qt::Key_Right:
        selectEdge((m_selected + 1) % nb201::kEdgeCount);
        break;
    case Qt::Key_Left:
        selectEdge((m_selected + nb201::kEdgeCount - 1) % nb201::kEdgeCount);
        break;
    case Qt::Key_Return:
    case Qt::Key_Enter:
    case Qt::Key_Menu:
        if (!views().isEmpty()) {
            QGraphicsView* view = views().front();
            popUpOpMenu(m_selected, view->viewport()->mapToGlobal(view->mapFromScene(edgeLabelPos(m_selected))));
        }
        break;
    case Qt::Key_Delete:
    case Qt::Key_Backspace:
        request(int(nb201::Op::None));
        break;
    case Qt::Key_0:
    case Qt::Key_1:
    case Qt::Key_2:
    case Qt::Key_3:
    case Qt::Key_4:
        if (event->modifiers() & (Qt::ControlModifier | Qt::AltModifier)) {
            QGraphicsScene::keyPressEvent(event);
            return;
        }
        request(event->key() - Qt::Key_0);
        break;
    default:
        QGraphicsScene::keyPressEvent(event);
        return;
    }
    event->accept();
}

} // namespace epsinas::gui
