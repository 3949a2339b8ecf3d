// SPDX-License-Identifier: MIT
// The main window's Teaching menu: the explainer, its steps, the examples a lesson walks through and presentation
// mode.
#include "mainwindow.h"

#include "archeditor.h"
#include "explainpanel.h"
#include "presentation.h"
#include "scatterplot.h"
#include "scorepanel.h"
#include "scoretablemodel.h"
#include "scoringservice.h"
#include "settings.h"

#include <QAction>
#include <QActionGroup>
#include <QDockWidget>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QTableView>
#include <qcustomplot.h>

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
    QAction* pin = teaching->addAction(tr("&Pin Current Architecture"), this, &MainWindow::pinCurrent);
    pin->setObjectName(QStringLiteral("pinAction"));
    pin->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    describe(pin,
        tr("Keep the current architecture to compare the next edits with: it is marked in the scatter, its "
           "histograms are outlined under the current ones with both scores on the compare line, and the explainer "
           "draws its signal flow under the current one's"));
    QAction* unpin = teaching->addAction(tr("&Unpin"), this, [this] {
        m_scatter->setPinnedKey({});
        m_explain->clearPinned();
        m_panel->unpin();
    });
    unpin->setObjectName(QStringLiteral("unpinAction"));
    describe(unpin, tr("Stop comparing with the pinned architecture"));
    QAction* clearTrail = teaching->addAction(tr("Clear &Trail"), m_scatter, &ScatterPlot::clearTrail);
    describe(clearTrail, tr("Forget the fading trail of recently visited architectures in the scatter"));
    teaching->addSeparator();
    QAction* find = teaching->addAction(tr("&Find in Scatter…"), this, &MainWindow::findInScatter);
    find->setShortcut(QKeySequence::Find);
    describe(
        find, tr("Select an architecture in the scatter by its benchmark id or (part of) its text; Enter loads it"));
    QAction* topK = teaching->addAction(tr("Highlight &Top k…"), this, [this] {
        bool ok = false;
        const int k = QInputDialog::getInt(this, tr("Highlight the Top k"),
            tr("Ring the k best-scored architectures in the scatter (0: none):"), m_scatter->topK(), 0, 100000, 1, &ok);
        if (ok)
            m_scatter->setTopK(k);
    });
    topK->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    describe(topK, tr("Ring the k best-scored architectures in the scatter"));
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
    teaching->addSeparator();
    m_presentAction = teaching->addAction(tr("Presentation &Mode"), this, &MainWindow::setPresenting);
    m_presentAction->setObjectName(QStringLiteral("presentAction"));
    m_presentAction->setCheckable(true);
    // F11 wherever the platform's full-screen keys are others (GNOME's Ctrl+F11), as presenters expect it.
    QList<QKeySequence> presentKeys = QKeySequence::keyBindings(QKeySequence::FullScreen);
    if (!presentKeys.contains(QKeySequence(Qt::Key_F11)))
        presentKeys.prepend(QKeySequence(Qt::Key_F11));
    m_presentAction->setShortcuts(presentKeys);
    describe(m_presentAction,
        tr("Present to a room: full screen, larger text, high-contrast plots that survive a projector, and every plot "
           "zooms (wheel) and pans (drag); the graph zooms with Ctrl+wheel"));
    teaching->addMenu(createPresentationScaleMenu());
}

QMenu* MainWindow::createPresentationScaleMenu()
{
    auto* menu = new QMenu(tr("Presentation &Text Size"), this);
    menu->setObjectName(QStringLiteral("presentationScaleMenu"));
    menu->setToolTipsVisible(true);
    auto* choices = new QActionGroup(menu);
    const double current = presentationScale();
    for (const int percent : { 125, 150, 175, 200, 250 }) {
        QAction* action = menu->addAction(tr("%1 %").arg(percent));
        action->setCheckable(true);
        action->setChecked(qFuzzyCompare(current, percent / 100.0));
        describe(action, tr("Draw text at %1 % in presentation mode").arg(percent));
        choices->addAction(action);
        connect(action, &QAction::triggered, this, [this, percent] {
            Settings::instance().setPresentationScale(percent / 100.0);
            if (m_presenting)
                applyPresentationLook();
        });
    }
    return menu;
}

double MainWindow::presentationScale() const
{
    // Readable from the back of a classroom on a 1080p projector; on a 768-pixel-high one as large as still leaves
    // the histograms their height.
    constexpr double kLargeScreenScale = 1.5;
    constexpr double kSmallScreenScale = 1.25;
    constexpr int kLargeScreenHeight = 1000;
    const QScreen* shown = screen();
    const bool small = shown && shown->availableGeometry().height() < kLargeScreenHeight;
    return Settings::instance().presentationScale(small ? kSmallScreenScale : kLargeScreenScale);
}

void MainWindow::setPresenting(bool on)
{
    m_presentAction->setChecked(on);
    if (on == m_presenting)
        return;
    m_presenting = on;
    if (on) {
        m_deskGeometry = saveGeometry();
        m_deskMaximized = isMaximized();
        applyPresentationLook();
        showFullScreen();
        return;
    }
    applyPresentationLook();
    if (m_deskMaximized)
        showMaximized();
    else
        showNormal();
    restoreGeometry(m_deskGeometry);
}

void MainWindow::applyPresentationLook()
{
    const double scale = m_presenting ? presentationScale() : 1.0;
    const PresentationLook look { scale, m_presenting, m_presenting };
    // Qt's status bar shows its hidden widgets again over a message when the font changes under it.
    statusBar()->clearMessage();
    // The plots first: each keeps the fonts it has at the desk as its base before the application's font grows.
    for (QCustomPlot* plot : findChildren<QCustomPlot*>())
        PlotPresenter::presenterOf(plot)->setLook(look);
    scaleApplicationFont(scale);
    scaleOwnFonts(this, scale);
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

void MainWindow::pinCurrent()
{
    const ScoreResult* shown = m_explain->shownResult();
    if (!shown) {
        statusBar()->showMessage(tr("Nothing to pin: the current architecture has no score yet"), 5000);
        return;
    }
    const ScoredArch scored = ScoredArch::from(shown->arch, m_ids.idOf(shown->arch), {});
    m_scatter->setPinnedKey(scored.key());
    m_explain->setPinned(scored.text(), m_explain->signalFlow());
    m_panel->pin(*shown, m_explain->shownWeights(), m_explain->shownPrecision());
    statusBar()->showMessage(tr("Pinned %1: the next edits are compared with it").arg(scored.text()), 5000);
}

void MainWindow::findInScatter()
{
    bool ok = false;
    const QString query = QInputDialog::getText(this, tr("Find in Scatter"),
        tr("Benchmark id or architecture text (a part of it is enough):"), QLineEdit::Normal, {}, &ok);
    if (!ok || query.trimmed().isEmpty())
        return;
    if (m_scatter->findArch(query))
        statusBar()->showMessage(tr("Found: press Enter in the scatter to load it"), 5000);
    else
        QMessageBox::information(
            this, tr("Find in Scatter"), tr("No architecture in the scatter matches “%1”.").arg(query));
}

void MainWindow::showBrushed(const QStringList& keys)
{
    auto* proxy = qobject_cast<QSortFilterProxyModel*>(m_table->model());
    QItemSelection selection;
    for (const QString& key : keys) {
        const int row = m_model->rowOfKey(key);
        if (row >= 0)
            selection.select(proxy->mapFromSource(m_model->index(row, 0)),
                proxy->mapFromSource(m_model->index(row, ScoreTableModel::ColumnCount - 1)));
    }
    m_table->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    if (keys.isEmpty())
        return;
    if (!selection.isEmpty())
        m_table->scrollTo(selection.indexes().front());
    statusBar()->showMessage(
        tr("%n architecture(s) brushed: selected in the Scores table", nullptr, int(keys.size())), 8000);
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
