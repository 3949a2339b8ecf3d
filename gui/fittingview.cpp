// SPDX-License-Identifier: MIT
#include "fittingview.h"

#include <QAction>
#include <QGraphicsItem>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QLinearGradient>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace epsinas::gui {

namespace {
/** One zoom step: five steps double the size. */
constexpr qreal kZoomStep = 1.1487;
/** The zoom range, in scene units to pixels: from a graph a few times smaller than a dock to one label filling it. */
constexpr qreal kMinZoom = 0.15;
constexpr qreal kMaxZoom = 6;
/** One notch of a mouse wheel, in the eighths of a degree that QWheelEvent counts. */
constexpr int kWheelNotch = 120;
/** Width of the keyboard focus frame, in pixels. */
constexpr int kFocusFrameWidth = 2;
/** Width of the shade along an edge beyond which the graph goes on, in pixels. */
constexpr int kMoreShadeWidth = 14;

} // namespace

FittingView::FittingView(QGraphicsScene* scene, QWidget* parent)
    : QGraphicsView(scene, parent)
{
    setFocusPolicy(Qt::StrongFocus);
    setTransformationAnchor(QGraphicsView::NoAnchor);
    setResizeAnchor(QGraphicsView::AnchorViewCenter);

    m_zoomIn = new QAction(tr("Zoom &In"), this);
    m_zoomIn->setObjectName(QStringLiteral("zoomIn"));
    m_zoomIn->setShortcuts({ QKeySequence::ZoomIn, QKeySequence(Qt::CTRL | Qt::Key_Equal) });
    m_zoomIn->setToolTip(tr("Zoom in on the graph (Ctrl++, + in the graph, or Ctrl+wheel)"));
    m_zoomOut = new QAction(tr("Zoom &Out"), this);
    m_zoomOut->setObjectName(QStringLiteral("zoomOut"));
    m_zoomOut->setShortcut(QKeySequence::ZoomOut);
    m_zoomOut->setToolTip(tr("Zoom out of the graph (Ctrl+−, − in the graph, or Ctrl+wheel)"));
    m_fit = new QAction(tr("&Fit Graph"), this);
    m_fit->setObjectName(QStringLiteral("zoomFit"));
    m_fit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    m_fit->setToolTip(tr("Fit the whole graph to the view again, and keep it fitted as the view is resized (Ctrl+0)"));
    for (QAction* action : { m_zoomIn, m_zoomOut, m_fit }) {
        // Only while the focus is in the editor, so that another editor's or plot's zoom keys stay theirs.
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    }
    connect(m_zoomIn, &QAction::triggered, this, &FittingView::zoomIn);
    connect(m_zoomOut, &QAction::triggered, this, &FittingView::zoomOut);
    connect(m_fit, &QAction::triggered, this, &FittingView::fit);
    if (scene) {
        connect(scene, &QGraphicsScene::sceneRectChanged, this, [this] {
            if (m_fitting)
                applyFit();
            updateDragMode();
        });
    }
}

qreal FittingView::zoom() const
{
    return transform().m11();
}

void FittingView::setReadableScale(qreal scale)
{
    m_readableScale = scale;
    if (m_fitting)
        applyFit();
}

bool FittingView::canPan() const
{
    const QRectF shown = mapFromScene(sceneRect()).boundingRect();
    return shown.width() > viewport()->width() + 1 || shown.height() > viewport()->height() + 1;
}

void FittingView::zoomIn()
{
    zoomBy(kZoomStep, viewport()->rect().center());
}

void FittingView::zoomOut()
{
    zoomBy(1 / kZoomStep, viewport()->rect().center());
}

void FittingView::fit()
{
    m_fitting = true;
    applyFit();
}

void FittingView::zoomBy(qreal factor, const QPoint& anchor)
{
    const qreal next = std::clamp(zoom() * factor, kMinZoom, kMaxZoom);
    if (next == zoom())
        return;
    m_fitting = false;
    const QPointF fixed = mapToScene(anchor);
    setTransform(QTransform::fromScale(next, next));
    updateDragMode();
    // The scale moved `fixed` away from `anchor`; scroll by the rounded drift to bring it back. centerOn() would
    // round the viewport's centre as well and can leave the point two pixels off.
    const QPointF drift = viewportTransform().map(fixed) - QPointF(anchor);
    horizontalScrollBar()->setValue(horizontalScrollBar()->value() + qRound(drift.x()));
    verticalScrollBar()->setValue(verticalScrollBar()->value() + qRound(drift.y()));
}

void FittingView::applyFit()
{
    const QRectF rect = sceneRect();
    const QSize room = viewport()->size();
    if (rect.isEmpty() || room.isEmpty())
        return;
    const qreal fitting = std::min(room.width() / rect.width(), room.height() / rect.height());
    const qreal scale = std::clamp(std::max(fitting, m_readableScale), kMinZoom, kMaxZoom);
    setTransform(QTransform::fromScale(scale, scale));
    centerOn(rect.center());
    updateDragMode();
}

void FittingView::updateDragMode()
{
    const DragMode mode = canPan() ? ScrollHandDrag : NoDrag;
    if (mode != dragMode())
        setDragMode(mode);
}

void FittingView::resizeEvent(QResizeEvent* event)
{
    QGraphicsView::resizeEvent(event);
    if (m_fitting)
        applyFit();
    updateDragMode();
}

void FittingView::showEvent(QShowEvent* event)
{
    QGraphicsView::showEvent(event);
    if (m_fitting)
        applyFit();
}

void FittingView::wheelEvent(QWheelEvent* event)
{
    if (event->modifiers() & Qt::ControlModifier) {
        const int delta = event->angleDelta().y();
        if (delta != 0)
            zoomBy(std::pow(kZoomStep, qreal(delta) / kWheelNotch), event->position().toPoint());
        event->accept();
        return;
    }
    // A plain wheel pans a graph bigger than the view and otherwise scrolls whatever holds the editor.
    if (canPan()) {
        QGraphicsView::wheelEvent(event);
        return;
    }
    event->ignore();
}

void FittingView::keyPressEvent(QKeyEvent* event)
{
    // Plain + and − zoom here; with Ctrl they are the actions' shortcuts.
    const bool plain = !(event->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier));
    if (plain && (event->key() == Qt::Key_Plus || event->key() == Qt::Key_Equal)) {
        zoomIn();
        event->accept();
        return;
    }
    if (plain && (event->key() == Qt::Key_Minus || event->key() == Qt::Key_Underscore)) {
        zoomOut();
        event->accept();
        return;
    }
    QGraphicsView::keyPressEvent(event);
}

void FittingView::focusInEvent(QFocusEvent* event)
{
    QGraphicsView::focusInEvent(event);
    viewport()->update();
}

void FittingView::focusOutEvent(QFocusEvent* event)
{
    QGraphicsView::focusOutEvent(event);
    viewport()->update();
}

bool FittingView::viewportEvent(QEvent* event)
{
    if (event->type() == QEvent::ToolTip && !toolTip().isEmpty()) {
        const auto* help = static_cast<QHelpEvent*>(event);
        const QList<QGraphicsItem*> under = items(help->pos());
        const bool itemTip = std::any_of(
            under.begin(), under.end(), [](const QGraphicsItem* item) { return !item->toolTip().isEmpty(); });
        if (!itemTip) {
            QToolTip::showText(help->globalPos(), toolTip(), this);
            return true;
        }
    }
    return QGraphicsView::viewportEvent(event);
}

void FittingView::paintEvent(QPaintEvent* event)
{
    QGraphicsView::paintEvent(event);
    QPainter painter(viewport());
    paintMoreShades(painter);
    if (!hasFocus())
        return;
    QPen pen(palette().color(QPalette::Highlight), kFocusFrameWidth);
    pen.setJoinStyle(Qt::MiterJoin);
    painter.setPen(pen);
    painter.setBrush(Qt::NoBrush);
    const qreal inset = kFocusFrameWidth / 2.0;
    painter.drawRect(QRectF(viewport()->rect()).adjusted(inset, inset, -inset, -inset));
}

void FittingView::paintMoreShades(QPainter& painter) const
{
    const QRect room = viewport()->rect();
    const QRectF shown = mapFromScene(sceneRect()).boundingRect();
    QColor dark = palette().color(QPalette::Mid);
    dark.setAlpha(110);
    QColor clear = dark;
    clear.setAlpha(0);
    auto shade = [&](const QRectF& strip, const QPointF& from, const QPointF& to) {
        QLinearGradient gradient(from, to);
        gradient.setColorAt(0, dark);
        gradient.setColorAt(1, clear);
        painter.fillRect(strip, gradient);
    };
    const qreal width = kMoreShadeWidth;
    // A soft shadow along each edge past which part of the graph lies: there is more to pan to that way.
    if (shown.left() < room.left() - 1)
        shade(QRectF(room.left(), room.top(), width, room.height()), QPointF(room.left(), 0),
            QPointF(room.left() + width, 0));
    if (shown.right() > room.right() + 1)
        shade(QRectF(room.right() + 1 - width, room.top(), width, room.height()), QPointF(room.right() + 1, 0),
            QPointF(room.right() + 1 - width, 0));
    if (shown.top() < room.top() - 1)
        shade(QRectF(room.left(), room.top(), room.width(), width), QPointF(0, room.top()),
            QPointF(0, room.top() + width));
    if (shown.bottom() > room.bottom() + 1)
        shade(QRectF(room.left(), room.bottom() + 1 - width, room.width(), width), QPointF(0, room.bottom() + 1),
            QPointF(0, room.bottom() + 1 - width));
}

} // namespace epsinas::gui
