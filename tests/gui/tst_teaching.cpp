// SPDX-License-Identifier: MIT
// The explorer's Teaching menu: the explainer opened from it follows the edited architecture with its traced signal,
// and every space's examples load and tell what their captions say.
#include "archeditor.h"
#include "explainpanel.h"
#include "mainwindow.h"
#include "scorefixtures.h"
#include "scoringservice.h"
#include "settings.h"

#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTest>

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
        window.findChild<QAction*>(QStringLiteral("explainAction"))->trigger();
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
};

QTEST_MAIN(TestTeaching)
#include "tst_teaching.moc"
