// SPDX-License-Identifier: MIT
#include "fittingview.h"

namespace epsinas::gui {

void FittingView::resizeEvent(QResizeEvent* event)
{
    QGraphicsView::resizeEvent(event);
    fitInView(sceneRect(), Qt::KeepAspectRatio);
}

void FittingView::showEvent(QShowEvent* event)
{
    QGraphicsView::showEvent(event);
    fitInView(sceneRect(), Qt::KeepAspectRatio);
}

} // namespace epsinas::gui
