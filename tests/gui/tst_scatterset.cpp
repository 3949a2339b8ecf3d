// SPDX-License-Identifier: MIT
// The scatter's statistics are over the scored set, not the hand edits; its markers have a legend; it works from the
// keyboard.
#include "plotexport.h"
#include "scatterplot.h"
#include "scorefixtures.h"
#include "scoretablemodel.h"

#include "spaces/nlp/space.h"

#include <QBuffer>
#include <QComboBox>
#include <QFile>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSvgGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <qcustomplot.h>

using epsinas::gui::ScatterPlot;
using epsinas::gui::ScoredArch;
using epsinas::gui::ScoredArchs;
using epsinas::gui::ScoreTableModel;
namespace nb201 = epsinas::nb201;
namespace nlp = epsinas::nlp;

namespace {
/** The n of epsinas's correlation and of the parameter baseline in a readout; -1 where one is missing. */
std::pair<int, int> readoutNs(const QString& readout)
{
    const QRegularExpression epsinas(QStringLiteral("Kendall τ = <b>[^<]*</b> over n = (\\d+)"));
    const QRegularExpression baseline(QStringLiteral("Parameter-count baseline[^:]*: ρ = [^ ]+ over n = (\\d+)"));
    const QRegularExpressionMatch e = epsinas.match(readout);
    const QRegularExpressionMatch b = baseline.match(readout);
    return { e.hasMatch() ? e.captured(1).toInt() : -1, b.hasMatch() ? b.captured(1).toInt() : -1 };
}

/** Spearman ρ of epsinas in a readout, as printed. */
QString readoutRho(const QString& readout)
{
    const QRegularExpression rho(QStringLiteral("Spearman ρ = <b>([^<]*)</b>"));
    return rho.match(readout).captured(1);
}

/** The graph of the plot named `name` (the legend's entries have names). */
QCPGraph* graphNamed(QCustomPlot* plot, const QString& name, int nth = 0)
{
    for (int i = 0; i < plot->graphCount(); ++i) {
        if (plot->graph(i)->name() == name && nth-- == 0)
            return plot->graph(i);
    }
    return nullptr;
}

/** The axis rect with the scores (the other one is the NaN strip). */
QCPAxisRect* mainRect(QCustomPlot* plot)
{
    for (QCPAxisRect* rect : plot->axisRects()) {
        if (rect->axis(QCPAxis::atBottom)->label() == QStringLiteral("epsinas score"))
            return rect;
    }
    return nullptr;
}

/** The frame drawn around the plot area while the plot has the focus. */
QCPItemRect* focusFrame(QCustomPlot* plot)
{
    for (int i = 0; i < plot->itemCount(); ++i) {
        if (auto* frame = qobject_cast<QCPItemRect*>(plot->item(i)))
            return frame;
    }
    return nullptr;
}

/** The plot drawn as an SVG the plain way, everything on screen included. */
QByteArray svgAsShown(QCustomPlot* plot)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator generator;
    generator.setOutputDevice(&buffer);
    generator.setSize(plot->size());
    QCPPainter painter(&generator);
    plot->toPainter(&painter, plot->width(), plot->height());
    painter.end();
    return buffer.data();
}

/** Where the graph's single point is, or NaN. */
QPointF onlyPoint(const QCPGraph* graph)
{
    if (!graph || graph->data()->size() != 1)
        return QPointF(qQNaN(), qQNaN());
    return QPointF(graph->data()->begin()->key, graph->data()->begin()->value);
}

struct Shown {
    ScoreTableModel model;
    ScatterPlot scatter { &model };
    explicit Shown(bool withTargets = true)
    {
        model.addScores(fixtures::set());
        if (withTargets)
            model.setTargets(QStringLiteral("test_acc"), fixtures::accuracies());
        scatter.resize(800, 600);
        scatter.show();
        scatter.refresh();
        scatter.plot()->replot();
    }
};
} // namespace

class TestScatterSet : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void handEditsDoNotChangeTheStatistics()
    {
        Shown shown;
        QVERIFY(QTest::qWaitForWindowExposed(&shown.scatter));
        const QString before = shown.scatter.readoutText();
        const auto [n, baselineN] = readoutNs(before);
        QCOMPARE(n, 32);
        QCOMPARE(baselineN, 32);
        const QString rho = readoutRho(before);
        QVERIFY2(!rho.isEmpty(), qPrintable(before));

        // Edited cells in the table, scored far against their accuracy: counted, they would move ρ and n.
        for (int edit = 1; edit <= 5; ++edit) {
            const ScoredArch scored = fixtures::cell(edit, 10.0 * edit);
            shown.model.addEdit(scored);
            shown.scatter.setCurrentKey(scored.key());
            shown.scatter.refresh();
            QCOMPARE(shown.model.rowCount(), 40 + edit);
            QCOMPARE(shown.model.editCount(), edit);
            const QString readout = shown.scatter.readoutText();
            QCOMPARE(readoutNs(readout), std::make_pair(32, 32));
            QCOMPARE(readoutRho(readout), rho);
            QVERIFY2(readout.contains(QStringLiteral("hand edit")), qPrintable(readout));
            // The edit is the marked point, and drawn among the hand edits, not the set's colour classes.
            QCOMPARE(onlyPoint(graphNamed(shown.scatter.plot(), QStringLiteral("current architecture"))),
                QPointF(10.0 * edit, fixtures::accuracies().value(fixtures::tableKey(edit))));
            QCOMPARE(
                graphNamed(shown.scatter.plot(), QStringLiteral("hand edit, not in ρ, τ, n"))->data()->size(), edit);
        }

        // Editing a cell of the set changes its row, not the set's size.
        shown.model.addEdit(fixtures::cell(389, 0.5));
        shown.scatter.refresh();
        QCOMPARE(shown.model.editCount(), 5);
        QCOMPARE(
            shown.model.origin(shown.model.rowOfKey(fixtures::cell(389, 0).key())), ScoreTableModel::Origin::Batch);
        QCOMPARE(readoutNs(shown.scatter.readoutText()), std::make_pair(32, 32));

        // A batch that scores an edited cell takes it into the set.
        shown.model.addScores({ fixtures::cell(1, 10.0) });
        shown.scatter.refresh();
        QCOMPARE(shown.model.editCount(), 4);
        QCOMPARE(readoutNs(shown.scatter.readoutText()), std::make_pair(33, 33));
    }

    void withoutATableTheSetIsTheBatch()
    {
        Shown shown(false);
        QVERIFY(QTest::qWaitForWindowExposed(&shown.scatter));
        const QString before = shown.scatter.readoutText();
        QVERIFY2(before.startsWith(QStringLiteral("<b>40</b> cells scored, <b>8</b> NaN")), qPrintable(before));
        shown.model.addEdit(fixtures::cell(2, 0.7));
        shown.model.addEdit(fixtures::cell(3, std::numeric_limits<double>::quiet_NaN()));
        shown.scatter.refresh();
        const QString after = shown.scatter.readoutText();
        QVERIFY2(after.startsWith(QStringLiteral("<b>40</b> cells scored, <b>8</b> NaN")), qPrintable(after));
        QCOMPARE(readoutRho(after), readoutRho(before));
        QCOMPARE(shown.model.nanCount(), 8);
        QVERIFY2(shown.scatter.statisticsCaption().contains(QStringLiteral("over n = 32")),
            qPrintable(shown.scatter.statisticsCaption()));
    }

    void baselineIsOverTheSameArchitectures_data()
    {
        QTest::addColumn<QString>("policy");
        QTest::addColumn<bool>("recipes");
        QTest::addColumn<int>("n");
        // NB201: 8 of 40 NaN. NLP: 20 recipes, one without a loss; its rule (ZeroIsNan) makes the 4 zero scores NaN.
        QTest::newRow("nb201, excluded") << QStringLiteral("exclude") << false << 32;
        QTest::newRow("nb201, ranked worst") << QStringLiteral("worst") << false << 40;
        QTest::newRow("nb201, ranked best") << QStringLiteral("best") << false << 40;
        QTest::newRow("nlp, excluded") << QStringLiteral("exclude") << true << 15;
        QTest::newRow("nlp, ranked worst") << QStringLiteral("worst") << true << 19;
    }

    void baselineIsOverTheSameArchitectures()
    {
        QFETCH(QString, policy);
        QFETCH(bool, recipes);
        QFETCH(int, n);
        ScoreTableModel model;
        if (recipes) {
            nlp::RecipeGenerator generator(11);
            ScoredArchs rows;
            QHash<QString, double> losses;
            for (int i = 0; i < 20; ++i) {
                const QString id = QString::number(3000 + i);
                epsinas::ArchScore score;
                score.score = i % 6 == 0 ? 0.0 : 0.05 * i;
                rows.push_back(ScoredArch::from(nlp::toArch(generator.next()), id, score));
                if (i != 7)
                    losses.insert(id, 5.5 - 0.01 * i);
            }
            model.addScores(rows);
            model.setTargets(QStringLiteral("ptb_test_loss_final"), losses, /*lowerIsBetter=*/true);
        } else {
            model.addScores(fixtures::set());
            model.setTargets(QStringLiteral("test_acc"), fixtures::accuracies());
        }
        ScatterPlot scatter(&model);
        scatter.setNanPolicy(policy);
        scatter.refresh();
        QCOMPARE(readoutNs(scatter.readoutText()), std::make_pair(n, n));
        // The caption for exported figures states both n, the same.
        QCOMPARE(scatter.statisticsCaption().count(QStringLiteral("over n = %1").arg(n)), 2);
    }

    void legendNamesTheMarkers()
    {
        Shown shown;
        QCPLegend* legend = nullptr;
        for (int i = 0; i < shown.scatter.plot()->plotLayout()->elementCount(); ++i) {
            if (auto* found = qobject_cast<QCPLegend*>(shown.scatter.plot()->plotLayout()->elementAt(i)))
                legend = found;
        }
        QVERIFY(legend);
        QStringList names;
        for (int i = 0; i < legend->itemCount(); ++i) {
            if (auto* item = qobject_cast<QCPPlottableLegendItem*>(legend->item(i)))
                names << item->plottable()->name();
        }
        QVERIFY2(names.contains(QStringLiteral("current architecture")), qPrintable(names.join(u',')));
        QVERIFY2(names.contains(QStringLiteral("hand edit, not in ρ, τ, n")), qPrintable(names.join(u',')));
        QVERIFY(legend->visible());
        // The legend sits outside the plot area, over no point.
        QVERIFY(!mainRect(shown.scatter.plot())->rect().intersects(legend->outerRect()));
    }

    void controlsExplainThemselves()
    {
        Shown shown;
        QVERIFY(!shown.scatter.plot()->toolTip().isEmpty());
        QVERIFY(shown.scatter.plot()->whatsThis().contains(QStringLiteral("Enter")));
        auto* policy = shown.scatter.findChild<QComboBox*>(QStringLiteral("nanPolicy"));
        QVERIFY(policy);
        QVERIFY(!policy->toolTip().isEmpty());
        QVERIFY(policy->whatsThis().contains(QStringLiteral("paper")));
        auto* fit = shown.scatter.findChild<QPushButton*>(QStringLiteral("fit"));
        QVERIFY(fit);
        QVERIFY(fit->toolTip().contains(QStringLiteral("Home")));
        for (QWidget* child : shown.scatter.findChildren<QWidget*>()) {
            if (qobject_cast<QAbstractButton*>(child) || qobject_cast<QComboBox*>(child))
                QVERIFY2(!child->toolTip().isEmpty(), qPrintable(child->objectName()));
        }
    }

    void keyboardSelectsAndLoads()
    {
        Shown shown;
        QVERIFY(QTest::qWaitForWindowExposed(&shown.scatter));
        QCustomPlot* plot = shown.scatter.plot();
        QCOMPARE(plot->focusPolicy(), Qt::StrongFocus);
        shown.scatter.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&shown.scatter));
        plot->setFocus();
        QTRY_VERIFY(plot->hasFocus());
        // A visible focus: a frame of the main plot area in the highlight colour.
        QCPAxisRect* rect = mainRect(plot);
        QCPItemRect* frame = focusFrame(plot);
        QVERIFY(frame);
        QVERIFY(frame->visible());
        QCOMPARE(frame->pen().color(), shown.scatter.palette().color(QPalette::Highlight));
        QCOMPARE(frame->topLeft->pixelPosition(), QPointF(rect->topLeft()));

        // The first arrow starts at the current architecture.
        const ScoredArch start = fixtures::cell(389 * 13, 0.13);
        shown.scatter.setCurrentKey(start.key());
        QTest::keyClick(plot, Qt::Key_Right);
        QCOMPARE(shown.scatter.selectedKey(), start.key());
        QCPGraph* selected = graphNamed(plot, QStringLiteral("selected (Enter loads it)"));
        QCOMPARE(onlyPoint(selected).x(), 0.13);

        // Right goes to a higher score, left back down, and Enter loads the selection.
        QTest::keyClick(plot, Qt::Key_Right);
        const double right = onlyPoint(selected).x();
        QVERIFY2(right > 0.13, qPrintable(QString::number(right)));
        QVERIFY(shown.scatter.selectedKey() != start.key());
        QTest::keyClick(plot, Qt::Key_Left);
        QVERIFY2(onlyPoint(selected).x() < right, qPrintable(QString::number(onlyPoint(selected).x())));
        QTest::keyClick(plot, Qt::Key_Up);
        const double up = onlyPoint(selected).y();
        QTest::keyClick(plot, Qt::Key_Down);
        QVERIFY(onlyPoint(selected).y() < up);
        const int row = shown.model.rowOfKey(shown.scatter.selectedKey());
        QVERIFY(row >= 0);
        QSignalSpy activated(&shown.scatter, &ScatterPlot::archActivated);
        QTest::keyClick(plot, Qt::Key_Return);
        QCOMPARE(activated.count(), 1);
        QVERIFY(activated.at(0).at(0).value<epsinas::Arch>() == shown.model.scored(row).arch);

        // + zooms in, − out, Home fits all points again.
        QCPAxis* x = rect->axis(QCPAxis::atBottom);
        const QCPRange fitted = x->range();
        QTest::keyClick(plot, Qt::Key_Plus);
        QVERIFY(x->range().size() < fitted.size() * 0.9);
        QTest::keyClick(plot, Qt::Key_Minus);
        QTest::keyClick(plot, Qt::Key_Minus);
        QVERIFY(x->range().size() > fitted.size() * 1.1);
        QTest::keyClick(plot, Qt::Key_Home);
        QCOMPARE(x->range().lower, fitted.lower);
        QCOMPARE(x->range().upper, fitted.upper);

        // Escape drops the selection; Enter then loads nothing.
        QTest::keyClick(plot, Qt::Key_Escape);
        QVERIFY(shown.scatter.selectedKey().isEmpty());
        QCOMPARE(selected->data()->size(), 0);
        QTest::keyClick(plot, Qt::Key_Enter);
        QCOMPARE(activated.count(), 1);

        plot->clearFocus();
        QTRY_VERIFY(!frame->visible());
    }

    void exportsLeaveOutTheSelection()
    {
        Shown shown;
        QVERIFY(QTest::qWaitForWindowExposed(&shown.scatter));
        QCustomPlot* plot = shown.scatter.plot();
        QTest::keyClick(plot, Qt::Key_Right);
        QVERIFY(!shown.scatter.selectedKey().isEmpty());
        // The selection's blue, rgb(0, 90, 200), is on screen but not in the exported figure.
        const QByteArray selectedColour("#005ac8");
        QVERIFY(svgAsShown(plot).contains(selectedColour));
        QTemporaryDir folder;
        const QString path = folder.filePath(QStringLiteral("figure.svg"));
        QCOMPARE(epsinas::gui::exportPlot(plot, path), QString());
        QFile figure(path);
        QVERIFY(figure.open(QIODevice::ReadOnly));
        const QByteArray drawing = figure.readAll();
        QVERIFY(drawing.contains("<svg"));
        QVERIFY(!drawing.contains(selectedColour));
        // And the screen shows it again.
        QVERIFY(svgAsShown(plot).contains(selectedColour));
    }
};

QTEST_MAIN(TestScatterSet)
#include "tst_scatterset.moc"
