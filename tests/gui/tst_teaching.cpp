// SPDX-License-Identifier: MIT
// The explorer's Teaching menu: the explainer opened from it follows the edited architecture with its traced signal,
// and every space's examples load and tell what their captions say.
#include "archeditor.h"
#include "explainpanel.h"
#include "mainwindow.h"
#include "scatterplot.h"
#include "scorefixtures.h"
#include "scorepanel.h"
#include "scoretablemodel.h"
#include "scoringservice.h"
#include "settings.h"

#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTest>
#include <qcustomplot.h>

using namespace epsinas::gui;

namespace {
QMenu* menuNamed(const MainWindow& window, const QString& name)
{
    return window.menuBar()->findChild<QMenu*>(name);
}

/** The examples the Teaching menu offers for the window's current space, opening it as a user would. */
QList<QAction*> exampleActions(const MainWindow& window)
{
    QMenu* examples = menuNamed(window, QStringLiteral("examplesMenu"));
    Q_EMIT examples->aboutToShow();
    QList<QAction*> actions;
    for (QAction* action : examples->actions())
        if (action->isEnabled())
            actions << action;
    return actions;
}

QAction* exampleStartingWith(const MainWindow& window, const QString& title)
{
    for (QAction* action : exampleActions(window))
        if (action->text().startsWith(title))
            return action;
    return nullptr;
}
} // namespace

class TestTeaching : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("epsinas-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_teaching"));
    }
    void init()
    {
        fixtures::quickScoringSettings();
        QFile::remove(Settings::storePath());
    }

    void explainerTracesOnlyWhileShown()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(!window.service()->isTracing());
        QSignalSpy traced(window.service(), &ScoringService::signalFlowReady);
        // The score panel's button opens it, as the menu does.
        auto* button = window.findChild<QPushButton*>(QStringLiteral("explainButton"));
        QVERIFY(button && button->isVisible());
        QTest::mouseClick(button, Qt::LeftButton);
        QVERIFY(window.service()->isTracing());
        QTRY_VERIFY_WITH_TIMEOUT(window.explainPanel()->hasSignalFlow(), 60000);
        QVERIFY(!traced.isEmpty());
        // Alt+→ (Forward) steps through the explainer from anywhere in the window.
        ExplainPanel* panel = window.explainPanel();
        const int before = panel->step();
        QTest::keySequence(&window, QKeySequence::Forward);
        QCOMPARE(panel->step(), before + 1);
        // Another tab in front of it: no more tracing.
        window.findChild<QDockWidget*>(QStringLiteral("scatterDock"))->raise();
        QTRY_VERIFY(!window.service()->isTracing());
    }

    void everySpaceHasExamplesThatLoad()
    {
        MainWindow window;
        window.show();
        for (int index = 0; index < window.spaceSelector()->count(); ++index) {
            window.spaceSelector()->setCurrentIndex(index);
            const QList<QAction*> actions = exampleActions(window);
            QVERIFY2(actions.size() >= 3, qPrintable(window.spaceSelector()->currentText()));
            for (QAction* action : actions) {
                QVERIFY2(action->text().contains(QStringLiteral(" — ")), qPrintable(action->text()));
                action->trigger();
                QVERIFY2(window.currentEditor()->problem().isEmpty(), qPrintable(action->text()));
            }
        }
    }

    // The all-conv example is NaN, and the explainer says where its signal dies; in float64 it is a number, and the
    // explainer says that float64 departs from the reference.
    void allConvExampleInBothPrecisions()
    {
        MainWindow window;
        window.show();
        window.findChild<QAction*>(QStringLiteral("explainAction"))->trigger();
        ExplainPanel* panel = window.explainPanel();
        panel->setStep(ExplainPanel::SignalFlow);
        QAction* allConv = exampleStartingWith(window, QStringLiteral("All 3×3 convolutions —"));
        QVERIFY(allConv);
        allConv->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(
            panel->hasSignalFlow() && panel->sentenceText().contains(QStringLiteral("“cell 4”")), 60000);
        QVERIFY2(panel->sentenceText().contains(QStringLiteral("score is NaN")), qPrintable(panel->sentenceText()));

        QAction* float64 = exampleStartingWith(window, QStringLiteral("All 3×3 convolutions in float64"));
        QVERIFY(float64);
        float64->trigger();
        QVERIFY(Settings::instance().scoringConfig().options.precision == epsinas::Precision::Float64);
        QVERIFY2(window.statusBar()->currentMessage().contains(QStringLiteral("departure")),
            qPrintable(window.statusBar()->currentMessage()));
        QTRY_VERIFY_WITH_TIMEOUT(
            panel->hasSignalFlow() && panel->sentenceText().contains(QStringLiteral("never")), 60000);
        panel->setStep(ExplainPanel::Ratio);
        QVERIFY2(!panel->formulaText().endsWith(QStringLiteral("NaN")), qPrintable(panel->formulaText()));
        QVERIFY(window.explainPanel()
                    ->findChild<QLabel*>(QStringLiteral("explainState"))
                    ->text()
                    .contains(QStringLiteral("departure")));

        // Any float32 example puts the reference's precision back.
        exampleStartingWith(window, QStringLiteral("ResNet-like cell"))->trigger();
        QVERIFY(Settings::instance().scoringConfig().options.precision == epsinas::Precision::Float32);
    }

    // Pin keeps the current architecture: the scatter marks it, the score panel compares the next one with it and the
    // explainer draws its signal under the next one's.
    void pinComparesTheNextEdits()
    {
        MainWindow window;
        window.show();
        window.findChild<QAction*>(QStringLiteral("explainAction"))->trigger();
        ExplainPanel* panel = window.explainPanel();
        exampleStartingWith(window, QStringLiteral("ResNet-like cell"))->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(panel->hasSignalFlow(), 60000);
        window.findChild<QAction*>(QStringLiteral("pinAction"))->trigger();
        const epsinas::Arch pinned = window.currentEditor()->arch();
        QCOMPARE(window.scatter()->pinnedKey(), ScoredArch::rowKey(pinned, {}));

        exampleStartingWith(window, QStringLiteral("All 3×3 convolutions —"))->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(panel->hasSignalFlow() && !(window.currentEditor()->arch() == pinned), 60000);
        panel->setStep(ExplainPanel::SignalFlow);
        QTRY_VERIFY(panel->sentenceText().contains(QStringLiteral("“cell 4”")));
        QVERIFY2(panel->sentenceText().contains(QStringLiteral("pinned")), qPrintable(panel->sentenceText()));
        int pinnedCurves = 0;
        for (int i = 0; i < panel->plot()->graphCount(); ++i)
            pinnedCurves += panel->plot()->graph(i)->name().startsWith(QStringLiteral("pinned"));
        QCOMPARE(pinnedCurves, 2);
        // The score panel compares too: the pinned histograms outlined, both scores and why there is no Δ.
        QVERIFY(window.scorePanel()->isPinned());
        QVERIFY(window.scorePanel()->pinned().arch == pinned);
        QVERIFY2(window.scorePanel()->compareText().contains(QStringLiteral("no Δ: current is NaN")),
            qPrintable(window.scorePanel()->compareText()));
        QVERIFY(window.scorePanel()->pinnedBars(0)->data()->size() > 0);

        window.findChild<QAction*>(QStringLiteral("unpinAction"))->trigger();
        QVERIFY(window.scatter()->pinnedKey().isEmpty());
        QVERIFY(!panel->sentenceText().contains(QStringLiteral("pinned")));
        QVERIFY(!window.scorePanel()->isPinned());
        QVERIFY(window.scorePanel()->compareText().isEmpty());
    }

    // A brush on the scatter lists its architectures in the Scores table, as selected rows.
    void brushSelectsTableRows()
    {
        MainWindow window;
        window.show();
        const ScoredArchs rows = fixtures::set();
        window.model()->addScores(rows);
        const QStringList keys { rows[1].key(), rows[7].key(), rows[12].key() };
        Q_EMIT window.scatter()->brushed(keys);
        auto* table = window.findChild<QTableView*>();
        QVERIFY(table);
        const QModelIndexList selected = table->selectionModel()->selectedRows();
        QCOMPARE(selected.size(), 3);
        QSet<QString> selectedKeys;
        auto* proxy = qobject_cast<QSortFilterProxyModel*>(table->model());
        for (const QModelIndex& index : selected)
            selectedKeys.insert(window.model()->scored(proxy->mapToSource(index).row()).key());
        QCOMPARE(selectedKeys, QSet<QString>(keys.begin(), keys.end()));
        Q_EMIT window.scatter()->brushed({});
        QVERIFY(table->selectionModel()->selectedRows().isEmpty());
    }
};

QTEST_MAIN(TestTeaching)
#include "tst_teaching.moc"
