// SPDX-License-Identifier: MIT
#include "mainwindow.h"

#include "archeditor.h"
#include "elidedlabel.h"
#include "explainpanel.h"
#include "plotexport.h"
#include "scatterplot.h"
#include "scorepanel.h"
#include "scoretablemodel.h"
#include "scoringservice.h"
#include "searchpanel.h"
#include "session.h"
#include "settings.h"
#include "settingsdialog.h"
#include "spaces/spaceeditors.h"
#include "teardown.h"

#include "spaces/spaces.h"

#include "score/runtime.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QRandomGenerator>
#include <QScreen>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTableView>
#include <QTextBrowser>
#include <QTextStream>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <QWhatsThis>

#include <qcustomplot.h>

namespace epsinas::gui {

namespace {
// Seed of the start-up sample: the same architectures every launch, so the store answers them after the first.
constexpr quint32 kSampleSeed = 21;
// The file dialogs' filter for session files.
const char* const kSessionFilter = QT_TRANSLATE_NOOP("MainWindow", "epsinas sessions (*.epsinas);;All files (*)");

// The window's size on a first start where the screen has room for it.
constexpr QSize kPreferredSize(1400, 900);
// Room a first start leaves for the window manager's frame and title bar, whose size is unknown before showing.
constexpr QSize kFrameAllowance(16, 48);

/**
 * A dock's content inside its scroll area: it fills the dock and scrolls only below its minimum size. For content
 * whose height depends on its width (word-wrapped labels), QScrollArea would ask for the preferred height at the
 * dock's width, which includes the graph's size hint, and scroll a dock that has room for the minimum.
 */
class DockContent : public QWidget {
public:
    explicit DockContent(QWidget* content, QWidget* parent)
        : QWidget(parent)
    {
        auto* layout = new QVBoxLayout(this);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->addWidget(content);
    }
    int heightForWidth(int /*width*/) const override { return minimumSizeHint().height(); }
};

/** Sets what `action` does as its tooltip, its status-bar tip and its What's This text. */
void explain(QAction* action, const QString& text)
{
    action->setToolTip(text);
    action->setStatusTip(text);
    action->setWhatsThis(text);
}

/** What the architectures of `space` are called, one of them. */
QString unitOf(const SearchSpace& space)
{
    return QString::fromStdString(space.unitName(false));
}

/** The architectures of `archs`, each without a name. */
std::vector<NamedArch> unnamed(const std::vector<Arch>& archs)
{
    std::vector<NamedArch> named;
    named.reserve(archs.size());
    for (const Arch& arch : archs)
        named.push_back({ {}, arch });
    return named;
}

/** The architecture last edited in `space`, or its start architecture when none was (or the setting is damaged). */
Arch lastArchOf(const SearchSpace& space)
{
    const QString text = Settings::instance().lastArch(space);
    try {
        if (!text.isEmpty())
            return space.parse(text.toStdString());
    } catch (const std::exception&) {
        // A damaged setting: keep the start architecture.
    }
    return space.startArch();
}
} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_service(new ScoringService(this))
    , m_model(new ScoreTableModel(this))
{
    setWindowTitle(tr("epsinas explorer"));
    setDockNestingEnabled(true);

    m_editorStack = new QStackedWidget(this);
    for (const SearchSpace* space : spaceRegistry().all()) {
        if (ArchEditor* editor = createEditor(*space, this)) {
            m_editors.insert(space, editor);
            m_editorStack->addWidget(editor);
            editor->setArch(lastArchOf(*space));
            connect(editor, &ArchEditor::archEdited, this, &MainWindow::onArchEdited);
            if (space->enumerate())
                m_enumerable.insert(space);
        }
    }
    m_panel = new ScorePanel(this);
    m_scatter = new ScatterPlot(m_model, this);
    m_search = new SearchPanel(m_model, this);
    m_explain = new ExplainPanel(m_model, this);
    m_table = new QTableView(this);
    auto* proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(m_model);
    proxy->setSortRole(ScoreTableModel::SortRole);
    m_table->setModel(proxy);
    configureScoreTable(m_table);
    m_table->setSortingEnabled(true);
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    connect(m_table, &QTableView::activated, this, [this, proxy](const QModelIndex& index) {
        const ScoredArch& scored = m_model->scored(proxy->mapToSource(index).row());
        loadArch(scored.arch, scored.id, tr("Load %1 from table").arg(unitOf(scored.arch.space())));
    });

    createActions();
    createMenus();
    createStatusBar();

    addDock(tr("Cell"), QStringLiteral("editorDock"), m_editorStack, Qt::LeftDockWidgetArea);
    addDock(tr("Score"), QStringLiteral("scoreDock"), m_panel, Qt::LeftDockWidgetArea);
    QDockWidget* scatterDock
        = addDock(tr("Scatter"), QStringLiteral("scatterDock"), m_scatter, Qt::RightDockWidgetArea);
    QDockWidget* tableDock = addDock(tr("Scores"), QStringLiteral("tableDock"), m_table, Qt::RightDockWidgetArea);
    tabifyDockWidget(scatterDock, tableDock);
    // A tab beside the scatter, whose full height its curve needs on a laptop screen (under the editor it would
    // scroll); the scatter rings the architectures the search visited.
    QDockWidget* searchDock = addDock(tr("Search"), QStringLiteral("searchDock"), m_search, Qt::RightDockWidgetArea);
    tabifyDockWidget(tableDock, searchDock);
    // Beside the scatter too: the editor stays in view, so every edit can be followed through the steps.
    m_explainDock = addDock(tr("Explain"), QStringLiteral("explainDock"), m_explain, Qt::RightDockWidgetArea);
    tabifyDockWidget(searchDock, m_explainDock);
    connect(m_explainDock, &QDockWidget::visibilityChanged, this, &MainWindow::onExplainerShown);
    scatterDock->raise();

    Settings& settings = Settings::instance();
    placeOnScreen(settings.windowGeometry());
    // Without a saved state the docks are split when first shown, once their contents know their minimum sizes.
    m_splitPending = !restoreState(settings.windowState());
    m_panel->setLogMagnitude(settings.logMagnitude());
    m_scatter->setNanPolicy(settings.nanPolicy());
    connect(m_panel, &ScorePanel::logMagnitudeChanged, &settings, &Settings::setLogMagnitude);
    connect(m_scatter, &ScatterPlot::nanPolicyChanged, &settings, &Settings::setNanPolicy);

    connect(m_scatter, &ScatterPlot::archActivated, this, [this](const Arch& arch, const QString& id) {
        loadArch(arch, id, tr("Load %1 from scatter").arg(unitOf(arch.space())));
    });
    connect(m_search, &SearchPanel::archRequested, this, [this](const Arch& arch, const QString& id) {
        loadArch(arch, id, tr("Load %1 from search").arg(unitOf(arch.space())));
    });
    connect(m_search, &SearchPanel::visitedChanged, m_scatter, &ScatterPlot::setHighlightedKeys);
    connect(m_service, &ScoringService::scoreReady, this, &MainWindow::onScoreReady);
    connect(m_service, &ScoringService::signalFlowReady, m_explain, &ExplainPanel::showSignalFlow);
    connect(m_scatter, &ScatterPlot::brushed, this, &MainWindow::showBrushed);
    connect(m_panel, &ScorePanel::explainRequested, this, &MainWindow::showExplainer);
    connect(m_service, &ScoringService::scoringFailed, this,
        [this](quint64, const QString& message) { onScoringFailed(message); });
    connect(m_service, &ScoringService::batchChunkReady, m_model, &ScoreTableModel::addScores);
    connect(m_service, &ScoringService::batchStarted, this, &MainWindow::updateStatus);
    connect(m_service, &ScoringService::progressChanged, m_progress, &QProgressBar::setValue);
    connect(m_service, &ScoringService::progressMessage, this, [this](const QString& message) {
        m_progressText = message;
        updateStatus();
    });
    connect(m_service, &ScoringService::batchFinished, this, [this](bool cancelled) {
        // The last progress line says how many were scored and how many the store kept from an earlier run.
        const QString outcome = cancelled ? tr("Batch cancelled: the scores so far are kept in the store")
            : m_progressText.isEmpty()    ? tr("Batch finished")
                                          : m_progressText;
        m_progressText.clear();
        statusBar()->showMessage(outcome, 10000);
        updateStatus();
        maybeTakeScreenshot();
    });
    connect(m_service, &ScoringService::batchFailed, this, [this](const QString& message) {
        m_progressText.clear();
        updateStatus();
        // The same failure of the current cell's score was just reported in a dialog: one box is enough.
        if (m_screenshotPath.isEmpty() && message != m_reportedFailure)
            QMessageBox::warning(this, tr("Batch scoring failed"), message);
        maybeTakeScreenshot();
    });
    connect(m_service, &ScoringService::activityChanged, this, [this](const QString& activity) {
        m_activityText = activity;
        updateStatus();
    });
    connect(m_service, &ScoringService::deviceChanged, this, &MainWindow::updateStatus);
    connect(m_service, &ScoringService::warning, this,
        [this](const QString& message) { statusBar()->showMessage(message, 10000); });
    // Not a dialog: the scores keep coming (from the CPU), and the status bar's device says where they come from.
    connect(m_service, &ScoringService::deviceFellBack, this,
        [this](const QString& message) { statusBar()->showMessage(message, 20000); });
    connect(&settings, &Settings::changed, this, &MainWindow::applySettings);

    // A space the explorer cannot edit (a stored key of a build that had it) falls back to the default.
    m_space = m_editors.contains(&settings.space()) ? &settings.space() : &defaultSpace();
    showSpace();
    if (const Arch arch = currentEditor()->arch(); !arch.empty() && currentEditor()->problem().isEmpty())
        m_scatter->setCurrentKey(ScoredArch::rowKey(arch, {}));
    m_service->setConfig(settings.scoringConfig());
    m_panel->setInputNote(syntheticInputNote(m_service->config()));
    rescoreCurrent();
    // Wait for the event loop: command-line options may still change the cell, the input or the table.
    QTimer::singleShot(0, this, &MainWindow::populate);
    QTimer::singleShot(0, this, &MainWindow::reopenBenchmark);
    updateStatus();
}

MainWindow::~MainWindow()
{
    // Hidden in QWidget's destructor, the Explain dock emits visibilityChanged, whose slot would switch the scoring
    // service's tracing off through members gone by then.
    disconnectChildren(this);
}

QDockWidget* MainWindow::addDock(const QString& title, const QString& name, QWidget* widget, Qt::DockWidgetArea area)
{
    auto* dock = new QDockWidget(title, this);
    dock->setObjectName(name);
    if (qobject_cast<QAbstractScrollArea*>(widget)) {
        dock->setWidget(widget);
    } else {
        // Smaller than its content's minimum, a dock scrolls instead of making the window wider than the screen
        // (or growing it when the content's minimum grows, e.g. with a longer NAS-Bench-NLP recipe).
        auto* scroll = new QScrollArea(dock);
        scroll->setObjectName(name + QStringLiteral("Scroll"));
        scroll->setWidgetResizable(true);
        scroll->setFrameShape(QFrame::NoFrame);
        scroll->setWidget(new DockContent(widget, scroll));
        dock->setWidget(scroll);
    }
    addDockWidget(area, dock);
    return dock;
}

void MainWindow::placeOnScreen(const QByteArray& savedGeometry)
{
    const QRect available = screen()->availableGeometry();
    if (savedGeometry.isEmpty() || !restoreGeometry(savedGeometry)) {
        // First start: as large as the window was designed for, but never larger than the screen leaves free.
        resize(kPreferredSize.boundedTo(available.size() - kFrameAllowance));
        move(available.center() - QPoint(width() / 2, height() / 2));
        return;
    }
    // Saved on a larger screen (or with a projector attached): shrink and move it back onto this one. Before the
    // window is shown its frame is not known, so allow for a typical one.
    const QSize frame = isVisible() ? frameGeometry().size() - size() : kFrameAllowance;
    const QRect outer(pos(), size() + frame);
    if (!available.contains(outer)) {
        resize(size().boundedTo(available.size() - frame));
        const QSize outerSize = size() + frame;
        move(std::clamp(x(), available.left(), std::max(available.left(), available.right() + 1 - outerSize.width())),
            std::clamp(y(), available.top(), std::max(available.top(), available.bottom() + 1 - outerSize.height())));
    }
}

void MainWindow::createActions()
{
    m_openAction = new QAction(QIcon::fromTheme(QStringLiteral("document-open")), tr("&Open Benchmark Table…"), this);
    m_openAction->setShortcut(QKeySequence::Open);
    explain(m_openAction,
        tr("Load a CSV of trained results (accuracy or loss per architecture) and plot the scores against one of its "
           "columns"));
    connect(m_openAction, &QAction::triggered, this, &MainWindow::openBenchmarkDialog);
    m_openArchsAction = new QAction(tr("Open &Architectures…"), this);
    explain(m_openArchsAction,
        tr("Load a file of architectures of the current space (e.g. NAS-Bench-NLP's recipes.jsonl) and score them"));
    connect(m_openArchsAction, &QAction::triggered, this, &MainWindow::openArchitecturesDialog);
    m_targetAction = new QAction(tr("Choose &Target Column…"), this);
    m_targetAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    m_targetAction->setEnabled(false);
    explain(m_targetAction, tr("Pick the column of the loaded table that the scatter plots the scores against"));
    connect(m_targetAction, &QAction::triggered, this, &MainWindow::chooseTarget);
    m_exportScatterAction = new QAction(tr("Export &Scatter…"), this);
    explain(m_exportScatterAction,
        tr("Save the scatter as a PNG, SVG or PDF figure, with a caption and the size you choose"));
    connect(m_exportScatterAction, &QAction::triggered, this,
        [this] { exportPlotDialog(m_scatter->plot(), tr("scatter"), true); });
    m_exportHistogramsAction = new QAction(tr("Export &Histograms…"), this);
    explain(
        m_exportHistogramsAction, tr("Save the current architecture's four histograms as a PNG, SVG or PDF figure"));
    connect(m_exportHistogramsAction, &QAction::triggered, this,
        [this] { exportPlotDialog(m_panel->plot(), tr("histograms"), false); });
    m_exportScoresAction
        = new QAction(QIcon::fromTheme(QStringLiteral("document-save-as")), tr("&Export Scores as CSV…"), this);
    m_exportScoresAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    explain(m_exportScoresAction, tr("Save every shown score (and the target values) as a CSV file"));
    connect(m_exportScoresAction, &QAction::triggered, this, &MainWindow::exportScores);
    m_openSessionAction = new QAction(QIcon::fromTheme(QStringLiteral("document-open")), tr("Open Sess&ion…"), this);
    m_openSessionAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    explain(m_openSessionAction,
        tr("Restore a saved session: space, architecture, input, weights, precision, evaluator, device, table and "
           "view"));
    connect(m_openSessionAction, &QAction::triggered, this, &MainWindow::openSessionDialog);
    m_saveSessionAction = new QAction(QIcon::fromTheme(QStringLiteral("document-save")), tr("Sa&ve Session…"), this);
    m_saveSessionAction->setShortcut(QKeySequence::Save);
    explain(m_saveSessionAction,
        tr("Save the space, the architecture, the scoring settings, the table and the view in a small file"));
    connect(m_saveSessionAction, &QAction::triggered, this, &MainWindow::saveSessionDialog);
    m_quitAction = new QAction(QIcon::fromTheme(QStringLiteral("application-exit")), tr("&Quit"), this);
    m_quitAction->setShortcut(QKeySequence::Quit);
    explain(m_quitAction, tr("Close the explorer; scores already computed stay in the store"));
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    m_settingsAction = new QAction(QIcon::fromTheme(QStringLiteral("preferences-system")), tr("&Settings…"), this);
    m_settingsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    explain(m_settingsAction,
        tr("Choose the input batch, the two constant weights, the precision, the evaluator, the device and the NaN "
           "policy"));
    connect(m_settingsAction, &QAction::triggered, this, &MainWindow::showSettings);

    m_scoreAllAction = new QAction(tr("Score &All Cells"), this);
    m_scoreAllAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    explain(m_scoreAllAction, tr("Score every architecture of the space in the background (stored scores are reused)"));
    connect(m_scoreAllAction, &QAction::triggered, this, &MainWindow::scoreAll);
    m_sampleAction = new QAction(tr("Score a Random &Sample"), this);
    explain(m_sampleAction, tr("Score a new random sample of architectures in the background"));
    connect(m_sampleAction, &QAction::triggered, this, [this] {
        scoreSample(std::max(1, Settings::instance().sampleSize()), QRandomGenerator::global()->generate64(), false);
    });
    m_scoreTableAction = new QAction(tr("Score the &Table's Cells"), this);
    explain(m_scoreTableAction, tr("Score every architecture the loaded table or file names"));
    m_scoreTableAction->setEnabled(false);
    connect(m_scoreTableAction, &QAction::triggered, this, &MainWindow::scoreTableCells);
    m_cancelAction = new QAction(QIcon::fromTheme(QStringLiteral("process-stop")), tr("&Cancel Batch"), this);
    m_cancelAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
    m_cancelAction->setEnabled(false);
    explain(m_cancelAction, tr("Stop the background batch; the scores it finished are kept in the store"));
    connect(m_cancelAction, &QAction::triggered, m_service, &ScoringService::cancelBatch);
    m_rescoreAction = new QAction(QIcon::fromTheme(QStringLiteral("view-refresh")), tr("&Rescore Current Cell"), this);
    m_rescoreAction->setShortcut(QKeySequence::Refresh);
    explain(m_rescoreAction, tr("Score the architecture in the editor again"));
    connect(m_rescoreAction, &QAction::triggered, this, &MainWindow::rescoreCurrent);

    m_guideAction = new QAction(QIcon::fromTheme(QStringLiteral("help-contents")), tr("&Guide"), this);
    m_guideAction->setShortcut(QKeySequence::HelpContents);
    explain(m_guideAction, tr("How the metric works, what each view shows, how to load data, and the shortcuts"));
    connect(m_guideAction, &QAction::triggered, this, &MainWindow::showGuide);
    m_aboutAction = new QAction(tr("&About epsinas explorer"), this);
    explain(m_aboutAction, tr("The version, and the LibTorch, Qt and QCustomPlot it runs on"));
    connect(m_aboutAction, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_openAction);
    file->addAction(m_openArchsAction);
    file->addAction(m_targetAction);
    file->addSeparator();
    file->addAction(m_openSessionAction);
    m_recentMenu = file->addMenu(tr("Open &Recent Session"));
    m_recentMenu->setObjectName(QStringLiteral("recentSessions"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::fillRecentMenu);
    file->addAction(m_saveSessionAction);
    file->addSeparator();
    file->addAction(m_exportScatterAction);
    file->addAction(m_exportHistogramsAction);
    file->addAction(m_exportScoresAction);
    file->addSeparator();
    file->addAction(m_quitAction);

    // Each editor has its own actions; showSpace() shows those of the current space only.
    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    for (const SearchSpace* space : spaceRegistry().all()) {
        const ArchEditor* editor = m_editors.value(space);
        if (!editor)
            continue;
        QList<QAction*>& entries = m_editorMenuEntries[editor];
        for (QAction* action : editor->editActions()) {
            entries.push_back(action ? action : edit->addSeparator());
            if (action)
                edit->addAction(action);
        }
        entries.push_back(edit->addSeparator());
    }
    edit->addAction(m_settingsAction);

    QMenu* scoring = menuBar()->addMenu(tr("&Scoring"));
    scoring->addAction(m_rescoreAction);
    scoring->addAction(m_sampleAction);
    scoring->addAction(m_scoreAllAction);
    scoring->addAction(m_scoreTableAction);
    scoring->addAction(m_cancelAction);

    createTeachingMenu();

    // Filled once the docks exist (createPopupMenu lists them).
    QMenu* view = menuBar()->addMenu(tr("&View"));
    QMenu* scale = createScaleMenu();
    connect(view, &QMenu::aboutToShow, this, [this, view, scale] {
        view->clear();
        // The graph's zoom, whose keys work while the editor has the focus.
        const std::vector<QAction*> zoom = currentEditor()->viewActions();
        for (QAction* action : zoom)
            view->addAction(action);
        if (!zoom.empty())
            view->addSeparator();
        QMenu* docks = createPopupMenu();
        for (QAction* action : docks->actions())
            view->addAction(action);
        docks->deleteLater();
        view->addSeparator();
        view->addMenu(scale);
        view->addAction(m_presentAction);
    });

    // The space chooser sits in the menu bar's corner: a toolbar row of its own would cost the editor and the
    // histograms its height on a 720-pixel-high laptop screen.
    auto* spaceChooser = new QWidget(menuBar());
    auto* spaceLayout = new QHBoxLayout(spaceChooser);
    spaceLayout->setContentsMargins(0, 0, 4, 0);
    auto* spaceLabel = new QLabel(tr("Sp&ace:"), spaceChooser);
    spaceLayout->addWidget(spaceLabel);
    m_spaceCombo = new QComboBox(spaceChooser);
    m_spaceCombo->setObjectName(QStringLiteral("spaceCombo"));
    spaceLabel->setBuddy(m_spaceCombo);
    for (const SearchSpace* space : spaceRegistry().all()) {
        if (m_editors.contains(space))
            m_spaceCombo->addItem(QString::fromStdString(space->name()), QString::fromStdString(space->key()));
    }
    m_spaceCombo->setToolTip(tr("The search space to explore; each keeps its own cell, weights and stored scores"));
    m_spaceCombo->setWhatsThis(m_spaceCombo->toolTip());
    spaceLayout->addWidget(m_spaceCombo);
    menuBar()->setCornerWidget(spaceChooser, Qt::TopRightCorner);
    connect(m_spaceCombo, &QComboBox::activated, this, [this](int index) {
        if (const SearchSpace* space = findSpace(m_spaceCombo->itemData(index).toString()))
            setSpace(*space);
    });

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(m_guideAction);
    QAction* whatsThis = QWhatsThis::createAction(this);
    whatsThis->setShortcut(QKeySequence::WhatsThis);
    explain(whatsThis, tr("Click a control after this to read what it does"));
    help->addAction(whatsThis);
    help->addSeparator();
    help->addAction(m_aboutAction);
    explain(help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt), tr("The Qt version and its licence"));

    // The menus show what each command does when the mouse rests on it.
    for (QMenu* menu : menuBar()->findChildren<QMenu*>())
        menu->setToolTipsVisible(true);
}

QMenu* MainWindow::createScaleMenu()
{
    auto* menu = new QMenu(tr("Interface &Scale"), this);
    menu->setToolTipsVisible(true);
    auto* choices = new QActionGroup(menu);
    const double current = Settings::interfaceScale();
    for (const int percent : { 100, 125, 150, 175, 200 }) {
        QAction* action = menu->addAction(tr("%1 %").arg(percent));
        action->setCheckable(true);
        action->setChecked(qFuzzyCompare(current, percent / 100.0));
        explain(action,
            tr("Draw text, plots and controls at %1 % (larger for a projector); takes effect when the explorer is "
               "started again")
                .arg(percent));
        choices->addAction(action);
        connect(action, &QAction::triggered, this, [this, percent] {
            Settings::instance().setInterfaceScale(percent / 100.0);
            statusBar()->showMessage(
                tr("The interface will be drawn at %1 % when the explorer is started again").arg(percent), 10000);
        });
    }
    return menu;
}

void MainWindow::createStatusBar()
{
    m_activity = new ElidedLabel(this);
    m_activity->setObjectName(QStringLiteral("activity"));
    m_activity->setDescription(tr("What the scorer is doing: the current architecture, a batch and its progress"));
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setMaximumWidth(220);
    m_progress->setTextVisible(false);
    m_progress->hide();
    m_cancel = new QToolButton(this);
    m_cancel->setDefaultAction(m_cancelAction);
    m_cancel->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_cancel->hide();
    m_device = new ElidedLabel(this);
    m_device->setObjectName(QStringLiteral("device"));
    m_device->setDescription(
        tr("Where and how architectures are scored: the device, the input batch, the two constant weights, the "
           "precision and the evaluator. Change them in Edit → Settings."));
    // Room for the usual description; longer ones are elided rather than widening the window.
    m_device->setMinimumWidth(m_device->fontMetrics().averageCharWidth() * 24);
    statusBar()->addWidget(m_activity, 1);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancel);
    statusBar()->addPermanentWidget(m_device);
}

void MainWindow::updateStatus()
{
    const bool batch = m_service->isBatchRunning();
    m_progress->setVisible(batch);
    m_cancel->setVisible(batch);
    m_cancelAction->setEnabled(batch);
    QString activity = m_activityText;
    if (batch && !m_progressText.isEmpty())
        activity = m_progressText;
    else if (activity.isEmpty())
        activity = m_service->isScoring() ? tr("Scoring the current cell") : tr("Ready");
    m_activity->setFullText(activity);
    const ScoringConfig& config = m_service->config();
    const QString device = m_service->device().isEmpty()
        ? QString::fromStdString(deviceDescription(config.options.device == Device::Cuda))
        : m_service->device();
    m_device->setFullText(tr("%1 · %2").arg(device, config.describe()));
}

void MainWindow::setSpace(const SearchSpace& space)
{
    // applySettings() follows the stored space: it switches the editor, clears the scores and rescores.
    Settings::instance().setSpace(space);
}

void MainWindow::showSpace()
{
    ArchEditor* current = currentEditor();
    m_editorStack->setCurrentWidget(current);
    m_search->setSpace(*m_space);
    m_spaceCombo->setCurrentIndex(m_spaceCombo->findData(QString::fromStdString(m_space->key())));
    for (auto entries = m_editorMenuEntries.cbegin(); entries != m_editorMenuEntries.cend(); ++entries) {
        for (QAction* action : entries.value())
            action->setVisible(entries.key() == current);
    }
    // Spaces too large to list (or open-ended) are sampled, never scored whole.
    m_scoreAllAction->setVisible(m_enumerable.contains(m_space));
    QString units = QString::fromStdString(m_space->unitName(true));
    units[0] = units[0].toUpper();
    m_scoreAllAction->setText(tr("Score &All %1").arg(units));
    setWindowTitle(tr("epsinas explorer — %1").arg(QString::fromStdString(m_space->name())));
}

QString MainWindow::setArch(const QString& arch)
{
    try {
        loadArch(m_space->parse(arch.trimmed().toStdString()), {}, tr("Set %1").arg(unitOf(*m_space)));
        return {};
    } catch (const std::exception& error) {
        return QString::fromStdString(error.what());
    }
}

void MainWindow::onArchEdited(const Arch& arch)
{
    if (!arch.empty()) {
        Settings::instance().setLastArch(arch.space(), QString::fromStdString(arch.space().format(arch)));
        if (currentEditor()->problem().isEmpty())
            m_scatter->setCurrentKey(ScoredArch::rowKey(arch, m_ids.idOf(arch)));
    }
    rescoreCurrent();
}

void MainWindow::loadArch(const Arch& arch, const QString& id, const QString& description)
{
    m_ids.pick(arch, id);
    if (ArchEditor* target = editor(arch.space()))
        target->editArch(arch, description);
}

void MainWindow::rescoreCurrent()
{
    m_currentScored = false;
    const ArchEditor* current = currentEditor();
    const Arch arch = current->arch();
    const QString problem = current->problem();
    if (arch.empty() || !problem.isEmpty()) {
        // No score, and no late result for the previous architecture showing up as this one's either.
        m_service->withdrawRequest();
        m_scatter->setCurrentKey({});
        const QString why
            = tr("not a valid %1 %2: %3").arg(QString::fromStdString(m_space->name()), unitOf(*m_space), problem);
        m_panel->showNotScored(why);
        m_explain->showNotScored(why);
        m_currentScored = true;
        updateStatus();
        maybeTakeScreenshot();
        return;
    }
    m_panel->markStale(tr("scoring…"));
    m_explain->markStale(tr("scoring…"));
    m_service->requestScore(arch);
    updateStatus();
}

void MainWindow::onScoreReady(const ScoreResult& result)
{
    const ScoringConfig& config = m_service->config();
    m_panel->showResult(result, config.options.weights, config.options.precision);
    m_explain->showResult(result, config.options.weights, config.options.precision);
    const ScoredArch scored = ScoredArch::from(result.arch, m_ids.idOf(result.arch), result.score);
    // Shown as the current point, but not one of the set the statistics are over.
    m_model->addEdit(scored);
    m_scatter->setCurrentKey(scored.key());
    m_explain->setCurrentKey(scored.key());
    showStanding();
    m_currentScored = true;
    m_reportNextFailure = false;
    m_reportedFailure.clear();
    updateStatus();
    maybeTakeScreenshot();
}

void MainWindow::onScoringFailed(const QString& message)
{
    m_panel->showError(message);
    statusBar()->showMessage(tr("Scoring failed: %1").arg(message), 10000);
    updateStatus();
    if (m_reportNextFailure && m_screenshotPath.isEmpty()) {
        m_reportedFailure = message;
        QMessageBox::warning(this, tr("Scoring failed"), message);
    }
    m_reportNextFailure = false;
    // A screenshot of the error is still a faithful screenshot.
    m_currentScored = true;
    maybeTakeScreenshot();
}

void MainWindow::applySettings()
{
    const Settings& settings = Settings::instance();
    m_scatter->setNanPolicy(settings.nanPolicy());
    const bool switchesSpace = &settings.space() != m_space && m_editors.contains(&settings.space());
    if (switchesSpace) {
        m_space = &settings.space();
        showSpace();
        // A benchmark table belongs to one space.
        dropBenchmark();
        // Loaded architectures outlive a table: a file of them is opened on its own.
        m_scoreTableAction->setEnabled(haveTableArchs());
        reopenBenchmark();
    }
    const bool rescore = m_service->setConfig(settings.scoringConfig());
    m_panel->setInputNote(syntheticInputNote(m_service->config()));
    if (!rescore) {
        updateStatus();
        return;
    }
    // Shown scores were computed under the old settings (or are another space's): drop them, say so, and score again.
    m_model->clear();
    if (switchesSpace) {
        m_panel->markStale(tr("scoring…"));
        statusBar()->showMessage(tr("Now exploring %1: its scores are shown as they are read from the store or scored")
                                     .arg(QString::fromStdString(m_space->name())),
            10000);
    } else {
        m_panel->markStale(tr("settings changed, rescoring…"));
        statusBar()->showMessage(tr("Scoring settings changed: the shown scores are replaced by scores under the new "
                                    "settings (the old ones stay in the store)"),
            10000);
    }
    rescoreCurrent();
    populate();
}

void MainWindow::populate()
{
    const int sample = Settings::instance().sampleSize();
    // The store does not keep ids, so for a space whose rows are named by id, showing every stored score would add
    // id-less twins of the table's rows.
    if (sample > 0)
        scoreSample(sample, kSampleSeed, /*includeStored=*/!m_space->labelsRowsById());
}

bool MainWindow::haveTableArchs() const
{
    return !m_ids.archs().empty() && &m_ids.archs().front().arch.space() == m_space;
}

void MainWindow::scoreTableCells()
{
    if (haveTableArchs())
        m_service->startBatch(tr("Scoring the loaded %1").arg(QString::fromStdString(m_space->unitName(true))),
            m_ids.archs(), /*includeStored=*/false);
}

void MainWindow::scoreSample(int count, quint64 seed, bool includeStored)
{
    const std::size_t drawn = std::min(std::size_t(count), m_space->sampleLimit());
    m_service->startBatch(tr("Scoring a random sample"), unnamed(m_space->sample(drawn, seed)), includeStored);
}

void MainWindow::scoreAll()
{
    if (std::optional<std::vector<Arch>> all = m_space->enumerate())
        m_service->startBatch(
            tr("Scoring all %1").arg(QString::fromStdString(m_space->unitName(true))), unnamed(*all), true);
}

QString MainWindow::openBenchmark(const QString& path, const QString& target, bool ask)
{
    BenchmarkData loaded;
    try {
        loaded = loadBenchmark(path, *m_space);
    } catch (const std::exception& error) {
        return QString::fromStdString(error.what());
    }
    QString column = target;
    QString error;
    if (!column.isEmpty() && !loaded.columns.contains(column)) {
        // Still show the table, against the most likely column, and say which ones exist.
        error = tr("%1 has no numeric column '%2'; it has: %3")
                    .arg(path, column, loaded.columns.join(QStringLiteral(", ")));
        column.clear();
        ask = false;
    }
    const QString fileName = QFileInfo(path).fileName();
    if (column.isEmpty()) {
        column = preferredTarget(loaded.columns, *m_space);
        if (ask) {
            bool ok = false;
            QString question = tr("%1 matches %2 %3 %4.")
                                   .arg(fileName)
                                   .arg(loaded.matchedCells)
                                   .arg(QString::fromStdString(m_space->name()), unitName(*m_space));
            if (loaded.duplicateRows > 0)
                question += QLatin1Char(' ')
                    + tr("%n row(s) repeat an architecture of an earlier row; the earlier row is used.", nullptr,
                        loaded.duplicateRows);
            const QString chosen = QInputDialog::getItem(this, tr("Target Column"),
                question + QLatin1Char('\n') + tr("Plot scores against:"), loaded.columns,
                int(loaded.columns.indexOf(column)), false, &ok);
            // Cancel leaves the table that was loaded before, if any, as it was.
            if (!ok) {
                statusBar()->showMessage(tr("%1 was not opened").arg(fileName), 5000);
                return {};
            }
            column = chosen;
        }
    }
    m_benchmark = std::move(loaded);
    if (!m_benchmark->archs.empty())
        m_ids.setArchs(m_benchmark->archs);
    showBenchmarkIds();
    m_targetAction->setEnabled(true);
    setTargets(column);
    // After the scatter's target is set: the panel starts from it unless the user chose another.
    m_search->setTable(&*m_benchmark);
    QString message = tr("Target: %1 from %2").arg(column, fileName);
    if (m_benchmark->duplicateRows > 0)
        message += tr("; %n row(s) name an architecture an earlier row names, and the earlier row is used", nullptr,
            m_benchmark->duplicateRows);
    statusBar()->showMessage(message, 10000);
    m_scoreTableAction->setEnabled(haveTableArchs());
    // Random architectures of a large space rarely appear in its table, so without the table's own the scatter could
    // stay empty.
    // Queued: at start-up this must follow (and supersede) the random sample populate() starts.
    QTimer::singleShot(0, this, &MainWindow::scoreTableCells);
    return error;
}

void MainWindow::showStanding()
{
    const QString target = m_model->targetName();
    const QHash<QString, double>* column = m_benchmark ? m_benchmark->column(target) : nullptr;
    const Arch arch = currentEditor()->arch();
    if (!column || arch.empty()) {
        m_panel->clearStanding();
        return;
    }
    const auto found = column->constFind(
        QString::fromStdString(m_space->tableKey(NamedArch { m_ids.idOf(arch).toStdString(), arch })));
    m_panel->setStanding(found == column->cend()
            ? std::nullopt
            : standingAmong(target, *found, column->values(), lowerIsBetter(target)));
}

void MainWindow::dropBenchmark()
{
    m_search->setTable(nullptr);
    m_benchmark.reset();
    m_model->setTargets({}, {});
    m_panel->clearStanding();
    showBenchmarkIds();
    m_targetAction->setEnabled(false);
}

void MainWindow::showBenchmarkIds()
{
    const QHash<QString, QString> ids = m_benchmark ? m_benchmark->ids : QHash<QString, QString> {};
    m_model->setBenchmarkIds(ids);
    for (ArchEditor* editor : std::as_const(m_editors))
        editor->setBenchmarkIds(ids);
}

void MainWindow::setTargets(const QString& column)
{
    Settings::instance().setBenchmark(*m_space, m_benchmark->path, column);
    m_model->setTargets(column, *m_benchmark->column(column), lowerIsBetter(column));
    showStanding();
}

QString MainWindow::openArchitectures(const QString& path)
{
    std::vector<NamedArch> archs;
    try {
        archs = m_space->readFile(path.toStdString());
    } catch (const std::exception& error) {
        return QString::fromStdString(error.what());
    }
    if (archs.empty())
        return tr("%1 holds no %2").arg(path, unitOf(*m_space));
    m_ids.setArchs(archs);
    m_scoreTableAction->setEnabled(true);
    statusBar()->showMessage(tr("%L1 %2 from %3")
                                 .arg(archs.size())
                                 .arg(QString::fromStdString(m_space->unitName(true)), QFileInfo(path).fileName()),
        5000);
    // Queued like the table's architectures: at start-up this must follow the random sample populate() starts.
    QTimer::singleShot(0, this, &MainWindow::scoreTableCells);
    return {};
}

void MainWindow::openArchitecturesDialog()
{
    const QString path = QFileDialog::getOpenFileName(this,
        tr("Open %1 %2").arg(QString::fromStdString(m_space->name()), unitName(*m_space)), QString(),
        tr("Architecture files (*.txt *.jsonl *.json);;All files (*)"));
    if (path.isEmpty())
        return;
    const QString error = openArchitectures(path);
    if (!error.isEmpty())
        QMessageBox::warning(this, tr("Cannot Open Architectures"), error);
}

void MainWindow::openBenchmarkDialog()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Benchmark Table"), QString(), tr("CSV tables (*.csv);;All files (*)"));
    if (path.isEmpty())
        return;
    const QString error = openBenchmark(path, {}, true);
    if (!error.isEmpty())
        QMessageBox::warning(this, tr("Cannot Open Benchmark Table"), error);
}

void MainWindow::reopenBenchmark()
{
    const Settings& settings = Settings::instance();
    const QString path = settings.benchmarkPath(*m_space);
    if (m_benchmark || path.isEmpty())
        return;
    // Kept in the settings even when it fails: the file may be on a drive that is not mounted just now.
    if (const QString error = openBenchmark(path, settings.benchmarkTarget(*m_space), false); !error.isEmpty())
        statusBar()->showMessage(tr("The last benchmark table was not reopened: %1").arg(error), 10000);
}

void MainWindow::chooseTarget()
{
    if (!m_benchmark)
        return;
    bool ok = false;
    const QString column = QInputDialog::getItem(this, tr("Target Column"), tr("Plot scores against:"),
        m_benchmark->columns, std::max(0, int(m_benchmark->columns.indexOf(m_model->targetName()))), false, &ok);
    if (ok)
        setTargets(column);
}

void MainWindow::exportPlotDialog(QCustomPlot* plot, const QString& what, bool withStatistics)
{
    // A figure read away from the explorer says what it shows.
    QStringList caption;
    const Arch arch = currentEditor()->arch();
    if (!arch.empty() && currentEditor()->problem().isEmpty()) {
        caption << QStringLiteral("%1 %2").arg(QString::fromStdString(m_space->name()), unitOf(*m_space));
        caption << QString::fromStdString(m_space->format(arch));
        if (m_currentScored && !m_panel->scoreText().isEmpty())
            caption << m_panel->scoreText();
    }
    caption << m_service->config().describe();
    if (withStatistics)
        caption << m_scatter->statisticsCaption();
    exportPlotInteractively(this, plot, what, caption.join(QStringLiteral(" · ")));
}

void MainWindow::exportScores()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export Scores"), QStringLiteral("epsinas-scores.csv"), tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text | QIODevice::Truncate)) {
        QMessageBox::warning(this, tr("Export Failed"), tr("Cannot write %1: %2").arg(path, file.errorString()));
        return;
    }
    QTextStream out(&file);
    m_model->writeCsv(out,
        { tr("epsinas explorer %1, %2").arg(QStringLiteral(EPSINAS_VERSION), QString::fromStdString(m_space->name())),
            m_service->config().describe() });
    if (out.status() != QTextStream::Ok || !file.flush())
        QMessageBox::warning(this, tr("Export Failed"), tr("Could not write all of %1").arg(path));
}

QString MainWindow::saveSession(const QString& path)
{
    // A draft that breaks a rule is not an architecture; the session keeps the last one that was.
    const ArchEditor* current = currentEditor();
    const Arch arch = current->arch();
    const QString text = !arch.empty() && current->problem().isEmpty() ? QString::fromStdString(m_space->format(arch))
                                                                       : Settings::instance().lastArch(*m_space);
    try {
        writeSessionFile(path, captureSession(Settings::instance(), text, saveGeometry(), saveState()));
    } catch (const SessionError& error) {
        return QString::fromUtf8(error.what());
    }
    RecentSessions().add(path);
    statusBar()->showMessage(tr("Session saved to %1").arg(QFileInfo(path).fileName()), 5000);
    return {};
}

QString MainWindow::openSession(const QString& path)
{
    Session session;
    try {
        session = readSessionFile(path);
    } catch (const SessionError& error) {
        // Nothing was changed: the file is read and checked whole before any of it is applied.
        return QString::fromUtf8(error.what());
    }
    const bool sameSpace = session.space == m_space;
    // Switches the space (which reopens the session's table there) and rescores under the session's settings.
    applySession(session, Settings::instance());
    QStringList problems;
    if (const QString error = setArch(session.arch); !error.isEmpty())
        problems << error;
    if (sameSpace) {
        if (session.benchmarkPath.isEmpty())
            dropBenchmark();
        else if (const QString error = openBenchmark(session.benchmarkPath, session.benchmarkTarget, false);
                 !error.isEmpty())
            problems << error;
    }
    m_panel->setLogMagnitude(session.logMagnitude);
    if (!session.windowGeometry.isEmpty())
        placeOnScreen(session.windowGeometry);
    if (!session.windowState.isEmpty())
        restoreState(session.windowState);
    RecentSessions().add(path);
    statusBar()->showMessage(tr("Opened session %1").arg(QFileInfo(path).fileName()), 5000);
    // The session is open; a table it names that cannot be read now is said, not a reason to refuse the rest.
    return problems.isEmpty() ? QString() : tr("%1 was opened, but: %2").arg(path, problems.join(QStringLiteral("; ")));
}

void MainWindow::openSessionDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Session"), QString(), tr(kSessionFilter));
    if (!path.isEmpty())
        reportSessionError(tr("Cannot Open Session"), openSession(path));
}

void MainWindow::saveSessionDialog()
{
    QString path
        = QFileDialog::getSaveFileName(this, tr("Save Session"), QStringLiteral("session.epsinas"), tr(kSessionFilter));
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".epsinas");
    reportSessionError(tr("Cannot Save Session"), saveSession(path));
}

void MainWindow::reportSessionError(const QString& title, const QString& error)
{
    if (!error.isEmpty())
        QMessageBox::warning(this, title, error);
}

void MainWindow::fillRecentMenu()
{
    m_recentMenu->clear();
    const QStringList paths = RecentSessions().removeMissing();
    for (const QString& path : paths) {
        QAction* action = m_recentMenu->addAction(QFileInfo(path).fileName());
        action->setToolTip(path);
        connect(action, &QAction::triggered, this, [this, path] {
            const QString error = openSession(path);
            if (!error.isEmpty() && !QFileInfo::exists(path))
                RecentSessions().remove(path);
            reportSessionError(tr("Cannot Open Session"), error);
        });
    }
    if (paths.isEmpty()) {
        m_recentMenu->addAction(tr("No recent sessions"))->setEnabled(false);
        return;
    }
    m_recentMenu->addSeparator();
    m_recentMenu->addAction(tr("Clear List"), this, [] { RecentSessions().clear(); });
}

void MainWindow::showSettings()
{
    Settings& settings = Settings::instance();
    SettingsDialog dialog(settings.scoringConfig(), settings.deviceChoice(), settings.nanPolicy(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_reportNextFailure = true;
    settings.setNanPolicy(dialog.nanPolicy());
    settings.setScoringConfig(dialog.config(), dialog.deviceChoice());
}

QList<Shortcut> MainWindow::shortcuts() const
{
    // The View menu is filled when it opens, so the editor's zoom is asked for directly.
    QList<QAction*> actions;
    for (QAction* menu : menuBar()->actions()) {
        if (menu->menu() && menu->text() != tr("&View"))
            actions += menu->menu()->actions();
    }
    for (QAction* action : currentEditor()->viewActions())
        actions.push_back(action);
    QList<Shortcut> found;
    for (const QAction* action : std::as_const(actions)) {
        if (action->shortcut().isEmpty() || !action->isVisible())
            continue;
        QString command = action->text();
        command.remove(QLatin1Char('&'));
        found.push_back({ command, action->shortcut().toString(QKeySequence::NativeText) });
    }
    return found;
}

void MainWindow::showGuide()
{
    if (!m_guide) {
        m_guide = new QDialog(this);
        m_guide->setObjectName(QStringLiteral("guide"));
        m_guide->setWindowTitle(tr("epsinas explorer Guide"));
        auto* browser = new QTextBrowser(m_guide);
        browser->setObjectName(QStringLiteral("guideText"));
        browser->setOpenExternalLinks(true);
        auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, m_guide);
        connect(buttons, &QDialogButtonBox::rejected, m_guide, &QDialog::close);
        auto* layout = new QVBoxLayout(m_guide);
        layout->addWidget(browser);
        layout->addWidget(buttons);
        // Readable without scrolling sideways, and never taller than a laptop's screen.
        m_guide->resize(QSize(640, 720).boundedTo(screen()->availableGeometry().size() * 0.9));
    }
    // Rebuilt each time: the shortcuts listed are those of the current space's editor.
    QList<const SearchSpace*> spaces;
    for (const SearchSpace* space : spaceRegistry().all()) {
        if (m_editors.contains(space))
            spaces.push_back(space);
    }
    m_guide->findChild<QTextBrowser*>()->setHtml(guideHtml(shortcuts(), spaces));
    m_guide->show();
    m_guide->raise();
    m_guide->activateWindow();
}

void MainWindow::showAbout()
{
    const QString device = m_service->device().isEmpty()
        ? QString::fromStdString(deviceDescription(m_service->config().options.device == Device::Cuda))
        : m_service->device();
    QStringList names;
    for (const SearchSpace* space : spaceRegistry().all())
        names.push_back(QString::fromStdString(space->name()));
    const QString spaceNames = names.size() < 2
        ? names.join(QString())
        : tr("%1 or %2").arg(QStringList(names.mid(0, names.size() - 1)).join(QStringLiteral(", ")), names.last());
    QMessageBox::about(this, tr("About epsinas explorer"),
        tr("<h3>epsinas explorer %1</h3>"
           "<p>Zero-cost neural architecture search with two constant weights: edit an architecture of %7 "
           "and watch its epsinas score.</p>"
           "<p>LibTorch %2<br>Qt %3 (built with %4)<br>QCustomPlot %5<br>Scoring on: %6</p>")
            .arg(QStringLiteral(EPSINAS_VERSION), QString::fromStdString(torchVersion()),
                QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR),
                QStringLiteral(QCUSTOMPLOT_VERSION_STR), device.toHtmlEscaped(), spaceNames));
}

void MainWindow::takeScreenshotWhenReady(const QString& path)
{
    m_screenshotPath = path;
    maybeTakeScreenshot();
}

void MainWindow::maybeTakeScreenshot()
{
    if (m_screenshotPath.isEmpty() || !m_currentScored || m_service->isBatchRunning())
        return;
    const QString path = m_screenshotPath;
    m_screenshotPath.clear();
    // Let queued replots and the last scatter refresh land first.
    QTimer::singleShot(400, this, [this, path] {
        m_scatter->refresh();
        m_panel->plot()->replot();
        m_scatter->plot()->replot();
        const bool ok = grab().save(path);
        Q_EMIT screenshotSaved(path, ok);
    });
}

void MainWindow::showEvent(QShowEvent* event)
{
    QMainWindow::showEvent(event);
    if (!m_splitPending)
        return;
    m_splitPending = false;
    // The first start's split: the editor and score panel take 45 % of the width or what they need, the cell 40 %
    // of the height or what its editor needs (and its title bar), and the score panel the rest.
    auto* editorDock = findChild<QDockWidget*>(QStringLiteral("editorDock"));
    auto* panelDock = findChild<QDockWidget*>(QStringLiteral("scoreDock"));
    auto* scatterDock = findChild<QDockWidget*>(QStringLiteral("scatterDock"));
    // resizeDocks() shares the docks' present size in the ratio of the sizes it is given.
    const int row = editorDock->width() + scatterDock->width();
    const int frame = editorDock->width() - editorDock->widget()->width();
    const int leftNeeds
        = std::max(m_editorStack->minimumSizeHint().width(), m_panel->minimumSizeHint().width()) + frame;
    const int rightNeeds = m_scatter->minimumSizeHint().width() + frame;
    // 45 % or what the editor needs, as long as the scatter keeps what it needs.
    const int left = std::min(std::max(row * 45 / 100, leftNeeds), std::max(row * 45 / 100, row - rightNeeds));
    resizeDocks({ editorDock, scatterDock }, { left, row - left }, Qt::Horizontal);
    const int column = editorDock->height() + panelDock->height();
    const int title = editorDock->height() - editorDock->widget()->height();
    const int cellHeight = std::max(column * 2 / 5, m_editorStack->minimumSizeHint().height() + title);
    resizeDocks({ editorDock, panelDock }, { cellHeight, column - cellHeight }, Qt::Vertical);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    // The desk's geometry is the one to come back to, not the projector's full screen.
    setPresenting(false);
    Settings::instance().setWindow(saveGeometry(), saveState());
    m_service->cancelBatch();
    m_search->cancel();
    event->accept();
}

} // namespace epsinas::gui
