// SPDX-License-Identifier: MIT
// Presentation mode: a plot drawn for a room and back for the desk, and the window's full screen, text and plots.
#include "explainpanel.h"
#include "mainwindow.h"
#include "presentation.h"
#include "scorefixtures.h"
#include "scorepanel.h"
#include "settings.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QMenu>
#include <QStandardPaths>
#include <QtTest>
#include <qcustomplot.h>

using namespace epsinas::gui;

namespace {
const PresentationLook kRoom { 1.5, true, true };
const PresentationLook kDesk {};

QCPGraph* addGraph(QCustomPlot& plot, const QColor& color, double width)
{
    QCPGraph* graph = plot.addGraph();
    graph->setPen(QPen(color, width));
    graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 6));
    graph->setData({ 0, 1, 2 }, { 1, 3, 2 });
    return graph;
}
} // namespace

class TestPresentation : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("epsinas-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_presentation"));
    }
    void init()
    {
        fixtures::quickScoringSettings();
        Settings::instance().setPresentationScale(1.5);
    }

    // A room's look: stronger strokes, bigger text and markers, black axes, zoom; the desk's puts back every base.
    void plotInARoomAndBack()
    {
        QCustomPlot plot;
        plot.setInteractions(QCP::iSelectPlottables);
        plot.legend->setVisible(true);
        QCPGraph* graph = addGraph(plot, QColor(200, 0, 0, 120), 1);
        const QFont deskTicks = plot.xAxis->tickLabelFont();
        const QFont deskLegend = plot.legend->font();
        const QPen deskAxis = plot.xAxis->basePen();

        PlotPresenter::presenterOf(&plot)->setLook(kRoom);
        QCOMPARE(PlotPresenter::presenterOf(&plot), PlotPresenter::presenterOf(&plot));
        QCOMPARE(graph->pen().widthF(), 2.0);
        QVERIFY(graph->pen().color().alpha() >= 230);
        QCOMPARE(graph->scatterStyle().size(), 6 * 1.5 * 1.5);
        QCOMPARE(plot.xAxis->tickLabelFont().pointSizeF(), deskTicks.pointSizeF() * 1.5);
        QCOMPARE(plot.xAxis->basePen().color(), QColor(Qt::black));
        QCOMPARE(plot.xAxis->basePen().widthF(), 2.0);
        QVERIFY(plot.interactions().testFlag(QCP::iRangeZoom));
        QVERIFY(plot.interactions().testFlag(QCP::iSelectPlottables));

        // Another replot does not compound the look.
        plot.replot();
        QCOMPARE(graph->pen().widthF(), 2.0);
        QCOMPARE(plot.xAxis->tickLabelFont().pointSizeF(), deskTicks.pointSizeF() * 1.5);

        // What the plot's code sets while presenting is the new base, drawn in the look.
        graph->setPen(QPen(Qt::blue, 3));
        plot.replot();
        QCOMPARE(graph->pen().color(), QColor(Qt::blue));
        QCOMPARE(graph->pen().widthF(), 6.0);

        // An element made while presenting is drawn in the look once, though its legend item copies a scaled font.
        QCPGraph* later = addGraph(plot, Qt::darkGreen, 1);
        later->setName(QStringLiteral("later"));
        plot.replot();
        QCOMPARE(later->pen().widthF(), 2.0);
        QCOMPARE(plot.legend->itemWithPlottable(later)->font().pointSizeF(), deskLegend.pointSizeF() * 1.5);

        PlotPresenter::presenterOf(&plot)->setLook(kDesk);
        QCOMPARE(graph->pen(), QPen(Qt::blue, 3));
        QCOMPARE(later->pen(), QPen(Qt::darkGreen, 1));
        QCOMPARE(graph->scatterStyle().size(), 6.0);
        QCOMPARE(plot.xAxis->tickLabelFont(), deskTicks);
        QCOMPARE(plot.legend->font(), deskLegend);
        QCOMPARE(plot.xAxis->basePen(), deskAxis);
        QCOMPARE(plot.interactions(), QCP::Interactions(QCP::iSelectPlottables));
    }

    // An element destroyed while presenting is forgotten; one made at the same address later is styled afresh.
    void destroyedElementsAreForgotten()
    {
        QCustomPlot plot;
        PlotPresenter::presenterOf(&plot)->setLook(kRoom);
        for (int round = 0; round < 20; ++round) {
            plot.clearGraphs();
            QCPGraph* graph = addGraph(plot, Qt::red, 1);
            plot.replot();
            QCOMPARE(graph->pen().widthF(), 2.0);
        }
        PlotPresenter::presenterOf(&plot)->setLook(kDesk);
        QCOMPARE(plot.graph(0)->pen(), QPen(Qt::red, 1));
    }

    // The window: full screen, the application's and its own fonts scaled, every plot in the look; then all back.
    void windowPresentsAndComesBack()
    {
        MainWindow window;
        window.resize(1200, 720);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const QFont deskFont = QApplication::font();
        auto* score = window.scorePanel()->findChild<QLabel*>(QStringLiteral("scoreValue"));
        const QFont deskScore = score->font();
        QVERIFY(deskScore.pointSizeF() > deskFont.pointSizeF());
        QCustomPlot* histograms = window.scorePanel()->plot();
        QVERIFY(!histograms->interactions().testFlag(QCP::iRangeZoom));

        QHash<QWidget*, QFont> deskFonts;
        for (QWidget* widget : window.findChildren<QWidget*>())
            deskFonts.insert(widget, widget->font());
        QAction* present = window.findChild<QAction*>(QStringLiteral("presentAction"));
        QVERIFY(present);
        QVERIFY(present->shortcuts().contains(QKeySequence(Qt::Key_F11)));
        present->trigger();
        QVERIFY(window.isPresenting());
        QVERIFY(present->isChecked());
        QTRY_VERIFY(window.windowState().testFlag(Qt::WindowFullScreen));
        QCOMPARE(QApplication::font().pointSizeF(), deskFont.pointSizeF() * 1.5);
        QCOMPARE(score->font().pointSizeF(), deskScore.pointSizeF() * 1.5);
        QVERIFY(histograms->interactions().testFlag(QCP::iRangeZoom));
        QCOMPARE(histograms->axisRect(0)->axis(QCPAxis::atBottom)->basePen().color(), QColor(Qt::black));

        // The explainer draws a new step's curves in the look.
        window.findChild<QAction*>(QStringLiteral("explainAction"))->trigger();
        ExplainPanel* explain = window.explainPanel();
        QTRY_VERIFY_WITH_TIMEOUT(explain->shownResult(), 60000);
        explain->setStep(ExplainPanel::RawOutputs);
        QVERIFY(explain->plot()->plottableCount() > 0);
        for (int index = 0; index < explain->plot()->plottableCount(); ++index) {
            const QPen pen = explain->plot()->plottable(index)->pen();
            QVERIFY(pen.style() == Qt::NoPen || pen.widthF() >= 2.0);
        }

        // A larger text size applies at once.
        QMenu* sizes = window.findChild<QMenu*>(QStringLiteral("presentationScaleMenu"));
        QVERIFY(sizes);
        for (QAction* action : sizes->actions()) {
            if (action->text().startsWith(QStringLiteral("200")))
                action->trigger();
        }
        QCOMPARE(Settings::instance().presentationScale(1.5), 2.0);
        QCOMPARE(QApplication::font().pointSizeF(), deskFont.pointSizeF() * 2);
        QCOMPARE(score->font().pointSizeF(), deskScore.pointSizeF() * 2);

        present->trigger();
        QVERIFY(!window.isPresenting());
        QTRY_VERIFY(!window.windowState().testFlag(Qt::WindowFullScreen));
        QCOMPARE(QApplication::font(), deskFont);
        QCOMPARE(score->font(), deskScore);
        // Every widget has its desk font again, those whose style changed while presenting too, once the application's
        // font has reached them (Qt posts it).
        QTRY_COMPARE(window.font(), deskFont);
        for (auto it = deskFonts.cbegin(); it != deskFonts.cend(); ++it) {
            QVERIFY2(it.key()->font() == it.value(),
                qPrintable(it.key()->metaObject()->className() + QStringLiteral(" ") + it.key()->objectName() + ": "
                    + it.key()->font().toString() + " != " + it.value().toString()));
        }
        QVERIFY(!histograms->interactions().testFlag(QCP::iRangeZoom));
        QVERIFY(histograms->axisRect(0)->axis(QCPAxis::atBottom)->basePen().color() != QColor(Qt::black)
            || histograms->axisRect(0)->axis(QCPAxis::atBottom)->basePen().widthF() < 2.0);
    }

    // Closing while presenting keeps the desk's geometry for the next start, not the projector's full screen.
    void closingWhilePresentingSavesTheDesk()
    {
        const QFont deskFont = QApplication::font();
        {
            MainWindow window;
            window.resize(1100, 700);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.findChild<QAction*>(QStringLiteral("presentAction"))->trigger();
            QTRY_VERIFY(window.windowState().testFlag(Qt::WindowFullScreen));
            window.close();
        }
        QCOMPARE(QApplication::font(), deskFont);
        QWidget probe;
        QVERIFY(probe.restoreGeometry(Settings::instance().windowGeometry()));
        QVERIFY(!probe.windowState().testFlag(Qt::WindowFullScreen));
    }
};

QTEST_MAIN(TestPresentation)
#include "tst_presentation.moc"
