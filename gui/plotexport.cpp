// SPDX-License-Identifier: MIT
#include "plotexport.h"

#include <QFileInfo>
#include <QObject>
#include <QSvgGenerator>

#include <qcustomplot.h>

namespace epsinas::gui {

QString plotExportFilter()
{
    return QObject::tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)");
}

QString exportPlot(QCustomPlot* plot, const QString& path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    const int width = plot->width();
    const int height = plot->height();
    bool written = false;
    if (suffix == QLatin1String("png")) {
        // Twice the screen resolution, so the image stays sharp in documents.
        written = plot->savePng(path, width, height, 2.0);
    } else if (suffix == QLatin1String("pdf")) {
        written = plot->savePdf(path, width, height);
    } else if (suffix == QLatin1String("svg")) {
        QSvgGenerator generator;
        generator.setFileName(path);
        generator.setSize(QSize(width, height));
        generator.setViewBox(QRect(0, 0, width, height));
        generator.setTitle(QObject::tr("epsinas explorer plot"));
        QCPPainter painter;
        written = painter.begin(&generator);
        if (written) {
            plot->toPainter(&painter, width, height);
            written = painter.end();
        }
    } else {
        return QObject::tr("%1: unknown image format '%2'; use .png, .svg or .pdf").arg(path, suffix);
    }
    return written ? QString() : QObject::tr("Could not write %1").arg(path);
}

} // namespace epsinas::gui
