// SPDX-License-Identifier: MIT
// The main window's Teaching menu: the explainer, its steps and the examples a lesson walks through.
#include "mainwindow.h"

#include "archeditor.h"
#include "explainpanel.h"
#include "scoringservice.h"
#include "settings.h"

#include <QAction>
#include <QDockWidget>
#include <QMenu>
#include <QMenuBar>
#include <QStatusBar>

namespace epsinas::gui {

namespace {
void describe(QAction* action, const QString& text)
{
    action->setToolTip(text);
    action->setStatusTip(text);
}
} // namespace

void MainWindow::createTeachingMenu()
{
    QMenu* teaching = menuBar()->addMenu(tr("&Teaching"));
    teaching->setObjectName(QStringLiteral("teachingMenu"));
    m_explainAction = teaching->addAction(tr("&Explain This Score"), this, &MainWindow::showExplainer);
    m_explainAction->setObjectName(QStringLiteral("explainAction"));
    m_explainAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    describe(m_explainAction,
        tr("Walk step by step through why the current architecture scores what it scores: its network, the signal "
           "through it at both weights, the outputs, their normalisation and the ratio"));
    QAction* next = teaching->addAction(tr("&Next Step"), this, [this] {
        showExplainer();
        m_explain->next();
    });
    next->setShortcut(QKeySequence::Forward);
    describe(next, tr("The explainer's next step"));
    QAction* back = teaching->addAction(tr("&Previous Step"), this, [this] {
        showExplainer();
        m_explain->back();
    });
    back->setShortcut(QKeySequence::Back);
    describe(back, tr("The explainer's previous step"));
    teaching->addSeparator();
    QMenu* examples = teaching->addMenu(tr("E&xamples"));
    examples->setObjectName(QStringLiteral("examplesMenu"));
    examples->setToolTipsVisible(true);
    // The examples are the current space's, so the menu is filled each time it opens.
    connect(examples, &QMenu::aboutToShow, this, [this, examples] {
        examples->clear();
        for (const TeachingExample& example : currentEditor()->teachingExamples()) {
            QAction* action = examples->addAction(example.title + QStringLiteral(" — ") + example.caption);
            describe(action, example.caption);
            connect(action, &QAction::triggered, this, [this, example] { applyExample(example); });
        }
        if (examples->isEmpty())
            examples->addAction(tr("No examples for this space"))->setEnabled(false);
    });
}

void MainWindow::showExplainer()
{
    m_explainDock->show();
    m_explainDock->raise();
    m_explain->setFocus();
}

void MainWindow::onExplainerShown(bool visible)
{
    m_service->setTracing(visible);
    // The shown score was computed without its trace: score it again, this time traced.
    if (visible && !m_explain->hasSignalFlow())
        rescoreCurrent();
}

void MainWindow::applyExample(const TeachingExample& example)
{
    Settings& settings = Settings::instance();
    ScoringConfig config = settings.scoringConfig();
    if (config.options.precision != example.precision) {
        config.options.precision = example.precision;
        settings.setScoringConfig(config, settings.deviceChoice());
        statusBar()->showMessage(example.precision == Precision::Float64
                ? tr("Scoring in float64 now: a departure from the reference, which scores in float32 (Scoring → "
                     "Settings sets it back)")
                : tr("Scoring in float32 again, as the reference does"),
            15000);
    }
    loadArch(example.arch, {}, tr("Example: %1").arg(example.title));
}

} // namespace epsinas::gui
