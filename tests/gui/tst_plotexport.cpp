// SPDX-License-Identifier: MIT
// Exporting a plot: the file dialog's filter names the format of a bare name, a caption gives the figure its
// context, PNGs have the chosen size and resolution, and a failed export leaves the old file as it was.
#include "plotexport.h"
#include "scatterplot.h"
#include "scorefixtures.h"
#include "scoretablemodel.h"

#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QImage>
#include <QImageReader>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <qcustomplot.h>

using epsinas::gui::exportPlot;
using epsinas::gui::PlotExportOptions;
using epsinas::gui::ScatterPlot;
using epsinas::gui::ScoreTableModel;
using epsinas::gui::withFilterSuffix;

namespace {
QByteArray head(const QString& path, int bytes)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.read(bytes) : QByteArray();
}

QByteArray contents(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}
} // namespace

class TestPlotExport : public QObject {
    Q_OBJECT
    ScoreTableModel m_model;
    ScatterPlot* m_scatter = nullptr;

private Q_SLOTS:
    void initTestCase()
    {
        // The export dialog remembers its choices; not in the user's settings.
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("epsinas-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_plotexport"));
        m_model.addScores(fixtures::set());
        m_model.setTargets(QStringLiteral("test_acc"), fixtures::accuracies());
        m_scatter = new ScatterPlot(&m_model);
        m_scatter->resize(640, 480);
        m_scatter->refresh();
    }

    void cleanupTestCase() { delete m_scatter; }

    void bareNameTakesTheFiltersFormat_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QString>("suffix");
        QTest::addColumn<QByteArray>("magic");
        QTest::newRow("pdf") << QStringLiteral("PDF document (*.pdf)") << QStringLiteral("pdf") << QByteArray("%PDF-");
        QTest::newRow("png") << QStringLiteral("PNG image (*.png)") << QStringLiteral("png")
                             << QByteArray("\x89PNG\r\n", 6);
        QTest::newRow("svg") << QStringLiteral("SVG drawing (*.svg)") << QStringLiteral("svg") << QByteArray("<?xml");
    }

    void bareNameTakesTheFiltersFormat()
    {
        QFETCH(QString, filter);
        QFETCH(QString, suffix);
        QFETCH(QByteArray, magic);
        QVERIFY(epsinas::gui::plotExportFilter().split(QStringLiteral(";;")).contains(filter));
        QTemporaryDir folder;
        const QString bare = folder.filePath(QStringLiteral("figure"));
        // As typed, the name has no format: the bug the filter's extension fixes.
        QVERIFY(exportPlot(m_scatter->plot(), bare).contains(QStringLiteral("unknown image format")));
        const QString path = withFilterSuffix(bare, filter);
        QCOMPARE(path, bare + QLatin1Char('.') + suffix);
        QCOMPARE(exportPlot(m_scatter->plot(), path), QString());
        QCOMPARE(head(path, magic.size()), magic);
        QVERIFY(!QFile::exists(bare));
        // Only the export is left in the folder: no temporary file.
        QCOMPARE(QDir(folder.path()).entryList(QDir::Files), QStringList { QStringLiteral("figure.") + suffix });

        // A name with a format of its own keeps it; a dotted name without one gets the filter's.
        QCOMPARE(withFilterSuffix(folder.filePath(QStringLiteral("a.png")), filter),
            folder.filePath(QStringLiteral("a.png")));
        QCOMPARE(withFilterSuffix(folder.filePath(QStringLiteral("run.v2")), filter),
            folder.filePath(QStringLiteral("run.v2.")) + suffix);
    }

    void pngHasTheChosenSizeAndResolution_data()
    {
        QTest::addColumn<double>("width");
        QTest::addColumn<double>("height");
        QTest::addColumn<int>("dpi");
        QTest::addColumn<QSize>("pixels");
        QTest::newRow("4 x 3 in, 150 dpi") << 4.0 << 3.0 << 150 << QSize(600, 450);
        QTest::newRow("6.4 x 4.8 in, 300 dpi") << 6.4 << 4.8 << 300 << QSize(1920, 1440);
        QTest::newRow("3.5 x 2 in, 96 dpi") << 3.5 << 2.0 << 96 << QSize(336, 192);
    }

    void pngHasTheChosenSizeAndResolution()
    {
        QFETCH(double, width);
        QFETCH(double, height);
        QFETCH(int, dpi);
        QFETCH(QSize, pixels);
        QTemporaryDir folder;
        const QString path = folder.filePath(QStringLiteral("figure.png"));
        PlotExportOptions options;
        options.widthInches = width;
        options.heightInches = height;
        options.dpi = dpi;
        QCOMPARE(exportPlot(m_scatter->plot(), path, options), QString());
        const QImage image(path);
        QCOMPARE(image.size(), pixels);
        QCOMPARE(qRound(image.dotsPerMeterX() * 0.0254), dpi);
        // Not blank: the plot was drawn into it.
        int dark = 0;
        for (int y = 0; y < image.height(); y += 2) {
            for (int x = 0; x < image.width(); x += 2)
                dark += qGray(image.pixel(x, y)) < 128;
        }
        QVERIFY2(dark > 100, qPrintable(QString::number(dark)));
    }

    void pdfPageHasTheChosenSize()
    {
        QTemporaryDir folder;
        const QString path = folder.filePath(QStringLiteral("figure.pdf"));
        PlotExportOptions options;
        options.widthInches = 6.4;
        options.heightInches = 4.8;
        QCOMPARE(exportPlot(m_scatter->plot(), path, options), QString());
        const QByteArray pdf = contents(path);
        QVERIFY(pdf.startsWith("%PDF-"));
        // The page in points, 72 to the inch (Qt writes whole points).
        const QRegularExpression mediaBox(QStringLiteral("/MediaBox \\[0 0 ([0-9.]+) ([0-9.]+)\\]"));
        const QRegularExpressionMatch page = mediaBox.match(QString::fromLatin1(pdf));
        QVERIFY(page.hasMatch());
        QVERIFY2(std::abs(page.captured(1).toDouble() - 6.4 * 72) < 1, qPrintable(page.captured(0)));
        QVERIFY2(std::abs(page.captured(2).toDouble() - 4.8 * 72) < 1, qPrintable(page.captured(0)));
    }

    void captionIsPartOfTheFigure()
    {
        QTemporaryDir folder;
        PlotExportOptions options;
        options.caption
            = QStringLiteral("|nor_conv_3x3~0|+|skip_connect~0|none~1| score 0.4 · CIFAR-10 batch · w 1e-7/1 · ")
            + m_scatter->statisticsCaption();
        const QString svg = folder.filePath(QStringLiteral("captioned.svg"));
        QCOMPARE(exportPlot(m_scatter->plot(), svg, options), QString());
        const QString drawing = QString::fromUtf8(contents(svg));
        // Wrapped into lines, but every word of it is there, and the numbers of the readout.
        QVERIFY2(drawing.contains(QStringLiteral("nor_conv_3x3~0")), qPrintable(drawing.left(2000)));
        QVERIFY(drawing.contains(QStringLiteral("CIFAR-10")));
        QVERIFY(drawing.contains(QStringLiteral("n = 32")));
        const QString plain = folder.filePath(QStringLiteral("plain.svg"));
        QCOMPARE(exportPlot(m_scatter->plot(), plain), QString());
        QVERIFY(!QString::fromUtf8(contents(plain)).contains(QStringLiteral("CIFAR-10")));

        // Above the plot: a PNG's top rows hold the caption's ink, and are blank without one.
        options.widthInches = 6;
        options.heightInches = 4;
        options.dpi = 100;
        const auto inkOnTop = [&](const PlotExportOptions& chosen) {
            const QString path = folder.filePath(QStringLiteral("top.png"));
            if (!exportPlot(m_scatter->plot(), path, chosen).isEmpty())
                return -1;
            const QImage image(path);
            int ink = 0;
            for (int y = 0; y < 18; ++y) {
                for (int x = 0; x < image.width(); ++x)
                    ink += qGray(image.pixel(x, y)) < 100;
            }
            return ink;
        };
        const int captioned = inkOnTop(options);
        options.caption.clear();
        const int uncaptioned = inkOnTop(options);
        QVERIFY2(captioned > 50 && uncaptioned < captioned / 4,
            qPrintable(QStringLiteral("%1 vs %2").arg(captioned).arg(uncaptioned)));
    }

    void badOptionsLeaveTheOldFile_data()
    {
        QTest::addColumn<double>("width");
        QTest::addColumn<int>("dpi");
        QTest::addColumn<QString>("name");
        QTest::newRow("dpi too high") << 4.0 << 5000 << QStringLiteral("old.png");
        QTest::newRow("too many pixels") << 100.0 << 1200 << QStringLiteral("old.png");
        QTest::newRow("too small") << 0.1 << 150 << QStringLiteral("old.pdf");
    }

    void badOptionsLeaveTheOldFile()
    {
        QFETCH(double, width);
        QFETCH(int, dpi);
        QFETCH(QString, name);
        QTemporaryDir folder;
        const QString path = folder.filePath(name);
        QFile old(path);
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write("kept");
        old.close();
        PlotExportOptions options;
        options.widthInches = width;
        options.heightInches = width;
        options.dpi = dpi;
        QVERIFY(!exportPlot(m_scatter->plot(), path, options).isEmpty());
        QCOMPARE(contents(path), QByteArray("kept"));
        QCOMPARE(QDir(folder.path()).entryList(QDir::Files), QStringList { name });
    }

    void unwritableFolderFailsCleanly()
    {
        QTemporaryDir folder;
        const QString path = folder.filePath(QStringLiteral("missing/figure.pdf"));
        QVERIFY(exportPlot(m_scatter->plot(), path).contains(QStringLiteral("missing")));
        QVERIFY(!QFile::exists(path));
    }

    void dialogChoosesAndRemembers()
    {
        PlotExportOptions options;
        options.widthInches = 5;
        options.heightInches = 3;
        options.dpi = 150;
        options.caption = QStringLiteral("proposed caption");
        QTimer::singleShot(0, this, [] {
            auto* dialog = qobject_cast<QDialog*>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            dialog->findChild<QDoubleSpinBox*>(QStringLiteral("width"))->setValue(7.5);
            dialog->findChild<QDoubleSpinBox*>(QStringLiteral("height"))->setValue(2.5);
            dialog->findChild<QSpinBox*>(QStringLiteral("dpi"))->setValue(300);
            dialog->findChild<QPlainTextEdit*>(QStringLiteral("caption"))->setPlainText(QStringLiteral("mine"));
            dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
        });
        QVERIFY(epsinas::gui::exportOptionsDialog(nullptr, QStringLiteral("figure.png"), options));
        QCOMPARE(options.widthInches, 7.5);
        QCOMPARE(options.heightInches, 2.5);
        QCOMPARE(options.dpi, 300);
        QCOMPARE(options.caption, QStringLiteral("mine"));
        const PlotExportOptions remembered = PlotExportOptions::remembered();
        QCOMPARE(remembered.widthInches, 7.5);
        QCOMPARE(remembered.heightInches, 2.5);
        QCOMPARE(remembered.dpi, 300);

        // Cancel changes nothing.
        QTimer::singleShot(0, this, [] {
            auto* dialog = qobject_cast<QDialog*>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            dialog->findChild<QSpinBox*>(QStringLiteral("dpi"))->setValue(96);
            dialog->reject();
        });
        QVERIFY(!epsinas::gui::exportOptionsDialog(nullptr, QStringLiteral("figure.png"), options));
        QCOMPARE(options.dpi, 300);
        QCOMPARE(PlotExportOptions::remembered().dpi, 300);
    }
};

QTEST_MAIN(TestPlotExport)
#include "tst_plotexport.moc"
