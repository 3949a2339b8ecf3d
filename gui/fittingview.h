// SPDX-License-Identifier: MIT
#pragma once

#include <QGraphicsView>

namespace epsinas::gui {

/** A view that keeps the whole scene in view at any dock size (the cell editors' graph). */
class FittingView : public QGraphicsView {
public:
    using QGraphicsView::QGraphicsView;
    QSize sizeHint() const override { return QSize(480, 260); }

protected:
    void resizeEvent(QResizeEvent* event) override;
    void showEvent(QShowEvent* event) override;
};

} // namespace epsinas::gui
