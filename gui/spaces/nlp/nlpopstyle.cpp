// SPDX-License-Identifier: MIT
#include "spaces/nlp/nlpopstyle.h"

#include <QObject>
#include <QPainter>
#include <QPixmap>

#include <algorithm>

namespace epsinas::gui {

OpStyle opStyle(nlp::Op op)
{
    using nlp::Op;
    const QString name = QString::fromLatin1(nlp::opName(op).data(), int(nlp::opName(op).size()));
    // The three activations get neighbouring but distinct hues, apart from the four ops that combine inputs.
    switch (op) {
    case Op::Linear:
        return { QColor(35, 90, 190), Qt::SolidLine, 1.6, QStringLiteral("linear"), name,
            QObject::tr("a learned linear map of its inputs, summed") };
    case Op::Blend:
        return { QColor(150, 60, 170), Qt::SolidLine, 1.6, QStringLiteral("blend"), name,
            QObject::tr("blend(a, b, c) = a·b + (1 − a)·c") };
    case Op::ElementwiseProd:
        return { QColor(214, 110, 0), Qt::SolidLine, 1.6, QStringLiteral("prod"), name,
            QObject::tr("the elementwise product of its inputs") };
    case Op::ElementwiseSum:
        return { QColor(0, 140, 120), Qt::SolidLine, 1.6, QStringLiteral("sum"), name,
            QObject::tr("the elementwise sum of its inputs") };
    case Op::Tanh:
        return { QColor(70, 145, 40), Qt::SolidLine, 1.6, QStringLiteral("tanh"), name,
            QObject::tr("tanh of its input") };
    case Op::Sigmoid:
        return { QColor(170, 140, 0), Qt::SolidLine, 1.6, QStringLiteral("sigm"), name,
            QObject::tr("the logistic sigmoid of its input") };
    case Op::LeakyRelu:
        return { QColor(190, 70, 110), Qt::SolidLine, 1.6, QStringLiteral("leaky_relu"), name,
            QObject::tr("leaky ReLU of its input") };
    }
    return {};
}

QIcon opSwatch(nlp::Op op)
{
    const OpStyle style = opStyle(op);
    QPixmap pixmap(14, 14);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(style.color, style.width));
    painter.setBrush(style.color.lighter(160));
    painter.drawRoundedRect(QRectF(1.5, 1.5, 11, 11), 3, 3);
    return QIcon(pixmap);
}

} // namespace epsinas::gui
