// SPDX-License-Identifier: MIT
#include "plotexport.h"

#include <QCheckBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QImage>
#include <QImageWriter>
#include <QLabel>
#include <QMessageBox>
#include <QPdfWriter>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSettings>
#include <QSpinBox>
#include <QSvgGenerator>

#include <qcustomplot.h>

#include <cmath>

namespace epsinas::gui {

namespace {
// The plot is laid out at this many logical pixels per inch, as on a common screen, so its fonts keep their size
// relative to the figure whatever the DPI.
constexpr double kLayoutDpi = 96;
// Bounds of the options: past them an export is a mistake, and a PNG of more pixels would not fit in memory.
constexpr double kMinInches = 0.5;
constexpr double kMaxInches = 100;
constexpr int kMinDpi = 24;
constexpr int kMaxDpi = 1200;
constexpr double kMaxPixels = 200e6;
// The size proposed when neither the plot nor a remembered choice gives one: matplotlib's default figure.
constexpr double kDefaultWidthInches = 6.4;
constexpr double kDefaultHeightInches = 4.8;
// Room around the caption, in logical pixels.
constexpr int kCaptionMargin = 6;
// The plot keeps at least this share of the figure's height, however long the caption.
constexpr double kMinPlotShare = 0.5;

const QStringList& knownSuffixes()
{
    static const QStringList suffixes { QStringLiteral("png"), QStringLiteral("svg"), QStringLiteral("pdf") };
    return suffixes;
}

/** The figure's size in logical pixels (kLayoutDpi), from the options or, where they give none, the plot's. */
QSize layoutSize(const QCustomPlot* plot, const PlotExportOptions& options)
{
    if (options.widthInches <= 0 || options.heightInches <= 0)
        return plot->size();
    return QSize(qRound(options.widthInches * kLayoutDpi), qRound(options.heightInches * kLayoutDpi));
}

/** Draws the caption (if any) and the plot under it into `size`, in logical pixels of `painter`. */
void drawFigure(QCustomPlot* plot, QCPPainter& painter, const QSize& size, const QString& caption)
{
    painter.fillRect(QRect(QPoint(0, 0), size), Qt::white);
    int captionHeight = 0;
    if (!caption.isEmpty()) {
        painter.setFont(plot->font());
        painter.setPen(Qt::black);
        const QRect room(kCaptionMargin, kCaptionMargin, size.width() - 2 * kCaptionMargin,
            int(size.height() * (1 - kMinPlotShare)));
        const QRect used = painter.boundingRect(room, Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignTop, caption);
        painter.drawText(room, Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignTop, caption);
        captionHeight = std::min(used.height(), room.height()) + 2 * kCaptionMargin;
    }
    painter.translate(0, captionHeight);
    plot->toPainter(&painter, size.width(), size.height() - captionHeight);
}

QString writePng(QCustomPlot* plot, QSaveFile& file, const PlotExportOptions& options)
{
    const QSize layout = layoutSize(plot, options);
    // The pixels from the inches asked for, not from the layout's whole pixels, which may round differently.
    const bool sized = options.widthInches > 0 && options.heightInches > 0;
    const double widthInches = sized ? options.widthInches : layout.width() / kLayoutDpi;
    const double heightInches = sized ? options.heightInches : layout.height() / kLayoutDpi;
    const QSize pixels(qRound(widthInches * options.dpi), qRound(heightInches * options.dpi));
    if (double(pixels.width()) * pixels.height() > kMaxPixels)
        return QObject::tr("%1 × %2 pixels is too large an image").arg(pixels.width()).arg(pixels.height());
    QImage image(pixels, QImage::Format_ARGB32_Premultiplied);
    if (image.isNull())
        return QObject::tr("Not enough memory for a %1 × %2 pixel image").arg(pixels.width()).arg(pixels.height());
    // Painted at the layout's resolution, so that the scaling below is the only one: a font's points become pixels
    // by the image's resolution too.
    image.setDotsPerMeterX(qRound(kLayoutDpi / 0.0254));
    image.setDotsPerMeterY(qRound(kLayoutDpi / 0.0254));
    {
        QCPPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setMode(QCPPainter::pmNoCaching);
        // Lines scale with the figure, not stay one device pixel thin.
        painter.setMode(QCPPainter::pmNonCosmetic);
        painter.scale(double(pixels.width()) / layout.width(), double(pixels.height()) / layout.height());
        drawFigure(plot, painter, layout, options.caption);
    }
    image.setDotsPerMeterX(qRound(options.dpi / 0.0254));
    image.setDotsPerMeterY(qRound(options.dpi / 0.0254));
    QImageWriter writer(&file, "png");
    return writer.write(image) ? QString() : writer.errorString();
}

QString writePdf(QCustomPlot* plot, QSaveFile& file, const PlotExportOptions& options)
{
    const QSize layout = layoutSize(plot, options);
    QPdfWriter writer(&file);
    writer.setCreator(QObject::tr("epsinas explorer"));
    writer.setTitle(options.caption.isEmpty() ? QObject::tr("epsinas explorer plot") : options.caption);
    // An exact page: a fuzzy match would round a figure near Letter up to Letter.
    writer.setPageSize(QPageSize(QSizeF(layout.width() / kLayoutDpi, layout.height() / kLayoutDpi), QPageSize::Inch,
        QString(), QPageSize::ExactMatch));
    writer.setPageMargins(QMarginsF(0, 0, 0, 0));
    writer.setResolution(int(kLayoutDpi));
    QCPPainter painter;
    if (!painter.begin(&writer))
        return QObject::tr("Could not start a PDF");
    painter.setMode(QCPPainter::pmVectorized);
    painter.setMode(QCPPainter::pmNoCaching);
    painter.setMode(QCPPainter::pmNonCosmetic);
    drawFigure(plot, painter, layout, options.caption);
    return painter.end() ? QString() : QObject::tr("Could not finish the PDF");
}

QString writeSvg(QCustomPlot* plot, QSaveFile& file, const PlotExportOptions& options)
{
    const QSize layout = layoutSize(plot, options);
    QSvgGenerator generator;
    generator.setOutputDevice(&file);
    generator.setSize(layout);
    generator.setViewBox(QRect(QPoint(0, 0), layout));
    // The drawing's size in millimetres follows from this: the chosen inches.
    generator.setResolution(int(kLayoutDpi));
    generator.setTitle(QObject::tr("epsinas explorer plot"));
    generator.setDescription(options.caption);
    QCPPainter painter;
    if (!painter.begin(&generator))
        return QObject::tr("Could not start an SVG drawing");
    painter.setMode(QCPPainter::pmVectorized);
    painter.setMode(QCPPainter::pmNoCaching);
    drawFigure(plot, painter, layout, options.caption);
    return painter.end() ? QString() : QObject::tr("Could not finish the SVG drawing");
}
} // namespace

PlotExportOptions PlotExportOptions::remembered()
{
    const QSettings settings;
    PlotExportOptions options;
    options.widthInches = settings.value(QStringLiteral("Export/width"), 0.0).toDouble();
    options.heightInches = settings.value(QStringLiteral("Export/height"), 0.0).toDouble();
    options.dpi = std::clamp(settings.value(QStringLiteral("Export/dpi"), options.dpi).toInt(), kMinDpi, kMaxDpi);
    // A damaged or hand-edited value falls back to the plot's own size.
    const auto valid = [](double inches) { return inches >= kMinInches && inches <= kMaxInches; };
    if (!valid(options.widthInches) || !valid(options.heightInches))
        options.widthInches = options.heightInches = 0;
    return options;
}

void PlotExportOptions::remember() const
{
    QSettings settings;
    settings.setValue(QStringLiteral("Export/width"), widthInches);
    settings.setValue(QStringLiteral("Export/height"), heightInches);
    settings.setValue(QStringLiteral("Export/dpi"), dpi);
}

QString plotExportFilter()
{
    return QObject::tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)");
}

QString withFilterSuffix(const QString& path, const QString& selectedFilter)
{
    if (path.isEmpty() || knownSuffixes().contains(QFileInfo(path).suffix().toLower()))
        return path;
    static const QRegularExpression pattern(QStringLiteral("\\*\\.(\\w+)"));
    const QRegularExpressionMatch match = pattern.match(selectedFilter);
    if (!match.hasMatch() || !knownSuffixes().contains(match.captured(1).toLower()))
        return path;
    return path + QLatin1Char('.') + match.captured(1).toLower();
}

QString exportPlot(QCustomPlot* plot, const QString& path, const PlotExportOptions& options)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (!knownSuffixes().contains(suffix))
        return QObject::tr("%1: unknown image format '%2'; use .png, .svg or .pdf").arg(path, suffix);
    const bool sized = options.widthInches > 0 && options.heightInches > 0;
    if (sized
        && (options.widthInches < kMinInches || options.widthInches > kMaxInches || options.heightInches < kMinInches
            || options.heightInches > kMaxInches))
        return QObject::tr("A figure must be %1 to %2 inches on each side").arg(kMinInches).arg(kMaxInches);
    if (options.dpi < kMinDpi || options.dpi > kMaxDpi)
        return QObject::tr("The resolution must be %1 to %2 dots per inch").arg(kMinDpi).arg(kMaxDpi);
    if (!sized && (plot->width() <= 0 || plot->height() <= 0))
        return QObject::tr("The plot has no size to export");

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return QObject::tr("Cannot write %1: %2").arg(path, file.errorString());
    QCPLayer* screenOnly = plot->layer(QString::fromLatin1(kScreenOnlyLayer));
    const bool screenOnlyShown = screenOnly && screenOnly->visible();
    if (screenOnly)
        screenOnly->setVisible(false);
    const QString error = suffix == QLatin1String("png") ? writePng(plot, file, options)
        : suffix == QLatin1String("pdf")                 ? writePdf(plot, file, options)
                                                         : writeSvg(plot, file, options);
    if (screenOnly)
        screenOnly->setVisible(screenOnlyShown);
    // The on-screen plot was laid out at the export's size meanwhile.
    plot->replot(QCustomPlot::rpQueuedReplot);
    if (!error.isEmpty()) {
        file.cancelWriting();
        return QObject::tr("Could not write %1: %2").arg(path, error);
    }
    if (!file.commit())
        return QObject::tr("Could not write %1: %2").arg(path, file.errorString());
    return {};
}

bool exportOptionsDialog(QWidget* parent, const QString& path, PlotExportOptions& options)
{
    QDialog dialog(parent);
    dialog.setObjectName(QStringLiteral("exportOptions"));
    dialog.setWindowTitle(QObject::tr("Export %1").arg(QFileInfo(path).fileName()));
    // Wide enough for a caption line of a few statistics.
    dialog.setMinimumWidth(dialog.fontMetrics().averageCharWidth() * 60);
    const auto inches = [&dialog](double value, const QString& name) {
        auto* box = new QDoubleSpinBox(&dialog);
        box->setObjectName(name);
        box->setRange(kMinInches, kMaxInches);
        box->setDecimals(2);
        box->setSingleStep(0.1);
        box->setSuffix(QObject::tr(" in"));
        box->setValue(value);
        return box;
    };
    const bool sized = options.widthInches > 0 && options.heightInches > 0;
    QDoubleSpinBox* width = inches(sized ? options.widthInches : kDefaultWidthInches, QStringLiteral("width"));
    QDoubleSpinBox* height = inches(sized ? options.heightInches : kDefaultHeightInches, QStringLiteral("height"));
    width->setToolTip(QObject::tr("The figure's width; the plot's fonts keep their point size"));
    height->setToolTip(QObject::tr("The figure's height, caption included"));
    auto* dpi = new QSpinBox(&dialog);
    dpi->setObjectName(QStringLiteral("dpi"));
    dpi->setRange(kMinDpi, kMaxDpi);
    dpi->setSuffix(QObject::tr(" dpi"));
    dpi->setValue(options.dpi);
    dpi->setToolTip(QObject::tr("Dots per inch of a PNG: 300 for print, 96–150 for slides. PDF and SVG are vector "
                                "drawings of the chosen size."));
    auto* pixels = new QLabel(&dialog);
    auto* withCaption = new QCheckBox(QObject::tr("Caption above the plot"), &dialog);
    withCaption->setObjectName(QStringLiteral("withCaption"));
    withCaption->setChecked(QSettings().value(QStringLiteral("Export/caption"), true).toBool());
    auto* caption = new QPlainTextEdit(options.caption, &dialog);
    caption->setObjectName(QStringLiteral("caption"));
    caption->setToolTip(QObject::tr("What the figure shows, so that it can be read on its own"));
    caption->setEnabled(withCaption->isChecked());
    QObject::connect(withCaption, &QCheckBox::toggled, caption, &QWidget::setEnabled);
    const auto updatePixels = [=] {
        pixels->setText(QObject::tr("PNG: %1 × %2 pixels")
                            .arg(qRound(width->value() * dpi->value()))
                            .arg(qRound(height->value() * dpi->value())));
    };
    QObject::connect(width, &QDoubleSpinBox::valueChanged, &dialog, updatePixels);
    QObject::connect(height, &QDoubleSpinBox::valueChanged, &dialog, updatePixels);
    QObject::connect(dpi, &QSpinBox::valueChanged, &dialog, updatePixels);
    updatePixels();

    auto* size = new QHBoxLayout;
    size->addWidget(width);
    size->addWidget(new QLabel(QStringLiteral("×"), &dialog));
    size->addWidget(height);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto* form = new QFormLayout(&dialog);
    form->addRow(QObject::tr("Size:"), size);
    form->addRow(QObject::tr("Resolution:"), dpi);
    form->addRow(QString(), pixels);
    form->addRow(withCaption);
    form->addRow(caption);
    form->addRow(buttons);
    if (dialog.exec() != QDialog::Accepted)
        return false;
    options.widthInches = width->value();
    options.heightInches = height->value();
    options.dpi = dpi->value();
    options.caption = withCaption->isChecked() ? caption->toPlainText().trimmed() : QString();
    options.remember();
    QSettings().setValue(QStringLiteral("Export/caption"), withCaption->isChecked());
    return true;
}

void exportPlotInteractively(QWidget* parent, QCustomPlot* plot, const QString& what, const QString& caption)
{
    QString filter;
    QString path = QFileDialog::getSaveFileName(parent, QObject::tr("Export %1").arg(what),
        QStringLiteral("epsinas-%1.png").arg(what), plotExportFilter(), &filter);
    if (path.isEmpty())
        return;
    path = withFilterSuffix(path, filter);
    PlotExportOptions options = PlotExportOptions::remembered();
    if (options.widthInches <= 0) {
        options.widthInches = std::clamp(plot->width() / kLayoutDpi, kMinInches, kMaxInches);
        options.heightInches = std::clamp(plot->height() / kLayoutDpi, kMinInches, kMaxInches);
    }
    options.caption = caption;
    if (!exportOptionsDialog(parent, path, options))
        return;
    const QString error = exportPlot(plot, path, options);
    if (!error.isEmpty())
        QMessageBox::warning(parent, QObject::tr("Export Failed"), error);
}

} // namespace epsinas::gui
