// SPDX-License-Identifier: MIT
#pragma once

#include <QGraphicsView>

class QAction;
class QPainter;

namespace epsinas::gui {

/**
 * The graph editors' view: it fits the whole scene by default and keeps fitting it as the dock is resized, until the
 * user zooms (Ctrl+wheel around the cursor, + and − in the view, or the zoom actions); Fit goes back to fitting.
 * Fitting never shrinks the graph below its readable scale: a graph too big for the view at that scale is panned
 * (drag the background, the wheel, or the scroll keys) instead, and a soft shade along an edge says there is more
 * that way. A frame in the highlight colour shows keyboard focus.
 */
class FittingView : public QGraphicsView {
    Q_OBJECT
public:
    explicit FittingView(QGraphicsScene* scene, QWidget* parent = nullptr);
    QSize sizeHint() const override { return QSize(480, 260); }

    /** Whether the view fits the scene to its size (the default) rather than keeping a zoom the user chose. */
    bool isFitting() const { return m_fitting; }
    /** The scale of scene units to pixels now. */
    qreal zoom() const;
    /** The least scale fitting uses, so that the scene's labels stay readable; 0 (the default): no floor. */
    void setReadableScale(qreal scale);
    qreal readableScale() const { return m_readableScale; }
    /** Whether part of the scene lies outside the viewport, so that it can be panned. */
    bool canPan() const;

    /**
     * Zoom In, Zoom Out and Fit, with the standard shortcuts (and Ctrl+0 for Fit), for the editor's tool row; the
     * editor gives them their icons (newGraphView).
     */
    QAction* zoomInAction() const { return m_zoomIn; }
    QAction* zoomOutAction() const { return m_zoomOut; }
    QAction* fitAction() const { return m_fit; }

    void zoomIn();
    void zoomOut();
    /** Fits the scene again and keeps fitting it on every resize. */
    void fit();

protected:
    void resizeEvent(QResizeEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void focusInEvent(QFocusEvent* event) override;
    void focusOutEvent(QFocusEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    /** Over the background, where no item has a tooltip of its own, the tooltip is the view's: how to use it. */
    bool viewportEvent(QEvent* event) override;

private:
    /** Scales by `factor` within the zoom range, keeping the scene point under `anchor` (viewport pixels) in place. */
    void zoomBy(qreal factor, const QPoint& anchor);
    void applyFit();
    /** Dragging the background pans only while there is something to pan to. */
    void updateDragMode();
    /** Shades the edges past which the scene goes on, so that a graph bigger than the view shows it can be panned. */
    void paintMoreShades(QPainter& painter) const;

    bool m_fitting = true;
    qreal m_readableScale = 0;
    QAction* m_zoomIn = nullptr;
    QAction* m_zoomOut = nullptr;
    QAction* m_fit = nullptr;
};

} // namespace epsinas::gui
