// SPDX-License-Identifier: MIT
#include "spaces/nb201/nb201opstyle.h"

#include <QObject>
#include <QPainter>
#include <QPixmap>

#include <algorithm>

namespace epsinas::gui {

OpStyle opStyle(nb201::Op op)
{
    using nb201::Op;
    // The edges have room for the benchmark's own names, so the graph, the palette and the menu all say the same.
    const QString name = QString::fromLatin1(nb201::opName(op).data(), int(nb201::opName(op).size()));
    switch (op) {
    case Op::None:
        // Faint on purpose: a none edge contributes an exact zero.
        return { QColor(150, 150, 150, 110), Qt::DotLine, 1.2, name, name,
            QObject::tr("no connection: the edge adds an exact zero") };
    case Op::SkipConnect:
        return { QColor(224, 123, 0), Qt::DashLine, 2.2, name, name,
            QObject::tr("identity: passes its input on unchanged") };
    case Op::Conv1x1:
        return { QColor(0, 140, 120), Qt::SolidLine, 2.2, name, name,
            QObject::tr("ReLU, 1×1 convolution, batch norm") };
    case Op::Conv3x3:
        return { QColor(35, 90, 190), Qt::SolidLine, 3.2, name, name,
            QObject::tr("ReLU, 3×3 convolution, batch norm") };
    case Op::AvgPool3x3:
        return { QColor(150, 60, 170), Qt::DashDotLine, 2.2, name, name, QObject::tr("3×3 average pooling, stride 1") };
    }
    return {};
}

QIcon opSwatch(nb201::Op op)
{
    const OpStyle style = opStyle(op);
    QPixmap pixmap(24, 12);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(style.color, std::max<qreal>(style.width, 2), style.dash, Qt::FlatCap));
    painter.drawLine(QPointF(1, 6), QPointF(23, 6));
    return QIcon(pixmap);
}

} // namespace epsinas::gui
