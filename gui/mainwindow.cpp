// SPDX-License-Identifier: MIT
#include "mainwindow.h"

#include "celleditor.h"
#include "nb101editor.h"
#include "nlpeditor.h"
#include "plotexport.h"
#include "scatterplot.h"
#include "scorepanel.h"
#include "scoretablemodel.h"
#include "scoringservice.h"
#include "settings.h"
#include "settingsdialog.h"

#include "score/runtime.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QRandomGenerator>
#include <QSortFilterProxyModel>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTableView>
#include <QTextStream>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>

#include <qcustomplot.h>

namespace epsinas::gui {

namespace {
// The cell shown on first launch: the best-known ResNet-like NB201 cell.
const char* const kDefaultArch
    = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|";
// The NB101 cell shown on first launch: a small cell with every interior op.
const char* const kDefaultSpec = "0110000011000010000100000:input|conv3x3-bn-relu|maxpool3x3|conv1x1-bn-relu|output";
// The NLP recipe shown on first launch: the LSTM cell of NAS-Bench-NLP's examples.
const char* const kDefaultRecipe = "lstm";
// Seed of the start-up sample: the same cells every launch, so the store answers them after the first.
constexpr quint32 kSampleSeed = 21;

std::vector<nlp::NamedRecipe> sampleRecipes(int count, quint64 seed)
{
    nlp::RecipeGenerator generator(seed);
    std::vector<nlp::NamedRecipe> recipes;
    for (int i = 0; i < count; ++i)
        recipes.push_back({ {}, generator.next() });
    return recipes;
}

std::vector<nb201::Cell> sampleCells(int count, quint32 seed)
{
    QRandomGenerator random(seed);
    std::vector<nb201::Cell> cells;
    for (int i = 0; i < count; ++i)
        cells.push_back(nb201::Cell::fromIndex(int(random.bounded(nb201::kCellCount))));
    return cells;
}

/**
 * The target a user most likely wants: a test accuracy column if there is one; for NB101, whose tables have only
 * validation accuracies, the one after the full 108 epochs.
 */
QString preferredTarget(const QStringList& columns, Space space)
{
    QStringList hints { QStringLiteral("test"), QStringLiteral("acc") };
    if (space == Space::Nb101)
        hints = { QStringLiteral("108"), QStringLiteral("acc") };
    else if (space == Space::Nlp)
        hints = { QStringLiteral("test_loss"), QStringLiteral("loss") };
    for (const QString& hint : hints) {
        for (const QString& column : columns) {
            if (column.contains(hint, Qt::CaseInsensitive))
                return column;
        }
    }
    return columns.value(0);
}
} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_service(new ScoringService(this))
    , m_model(new ScoreTableModel(this))
{
    setWindowTitle(tr("epsinas explorer"));
    setDockNestingEnabled(true);

    m_editor = new CellEditor(this);
    m_nb101Editor = new Nb101Editor(this);
    m_nlpEditor = new NlpEditor(this);
    m_editors = new QStackedWidget(this);
    m_editors->addWidget(m_editor);
    m_editors->addWidget(m_nb101Editor);
    m_editors->addWidget(m_nlpEditor);
    m_panel = new ScorePanel(this);
    m_scatter = new ScatterPlot(m_model, this);
    m_table = new QTableView(this);
    auto* proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(m_model);
    proxy->setSortRole(ScoreTableModel::SortRole);
    m_table->setModel(proxy);
    m_table->setSortingEnabled(true);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    connect(m_table, &QTableView::activated, this, [this, proxy](const QModelIndex& index) {
        const ScoredCell& scored = m_model->scored(proxy->mapToSource(index).row());
        switch (scored.space) {
        case Space::Nb101:
            m_nb101Editor->editSpec(scored.spec, tr("Load cell from table"));
            break;
        case Space::Nlp:
            loadRecipe(scored.recipe, scored.recipeId, tr("Load recipe from table"));
            break;
        case Space::Nb201:
            m_editor->editCell(scored.cell, tr("Load cell from table"));
            break;
        }
    });

    createActions();
    createMenus();
    createStatusBar();

    QDockWidget* editorDock = addDock(tr("Cell"), QStringLiteral("editorDock"), m_editors, Qt::LeftDockWidgetArea);
    QDockWidget* panelDock = addDock(tr("Score"), QStringLiteral("scoreDock"), m_panel, Qt::LeftDockWidgetArea);
    QDockWidget* scatterDock
        = addDock(tr("Scatter"), QStringLiteral("scatterDock"), m_scatter, Qt::RightDockWidgetArea);
    QDockWidget* tableDock = addDock(tr("Scores"), QStringLiteral("tableDock"), m_table, Qt::RightDockWidgetArea);
    tabifyDockWidget(scatterDock, tableDock);
    scatterDock->raise();
    resize(1400, 900);
    resizeDocks({ editorDock, scatterDock }, { 560, 840 }, Qt::Horizontal);
    resizeDocks({ editorDock, panelDock }, { 330, 570 }, Qt::Vertical);

    Settings& settings = Settings::instance();
    restoreGeometry(settings.windowGeometry());
    restoreState(settings.windowState());
    m_panel->setLogMagnitude(settings.logMagnitude());
    m_scatter->setNanPolicy(settings.nanPolicy());
    connect(m_panel, &ScorePanel::logMagnitudeChanged, &settings, &Settings::setLogMagnitude);
    connect(m_scatter, &ScatterPlot::nanPolicyChanged, &settings, &Settings::setNanPolicy);

    connect(m_editor, &CellEditor::cellEdited, this, &MainWindow::onCellEdited);
    connect(m_nb101Editor, &Nb101Editor::specEdited, this, &MainWindow::onSpecEdited);
    connect(m_nlpEditor, &NlpEditor::recipeEdited, this, &MainWindow::onRecipeEdited);
    connect(m_scatter, &ScatterPlot::recipeActivated, this, [this](const nlp::Recipe& recipe, const QString& id) {
        loadRecipe(recipe, id, tr("Load recipe from scatter"));
    });
    connect(m_scatter, &ScatterPlot::specActivated, this,
        [this](const nb101::Spec& spec) { m_nb101Editor->editSpec(spec, tr("Load cell from scatter")); });
    connect(m_scatter, &ScatterPlot::cellActivated, this,
        [this](const nb201::Cell& cell) { m_editor->editCell(cell, tr("Load cell from scatter")); });
    connect(m_service, &ScoringService::scoreReady, this, &MainWindow::onScoreReady);
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
        m_progressText.clear();
        statusBar()->showMessage(cancelled ? tr("Batch cancelled") : tr("Batch finished"), 5000);
        updateStatus();
        maybeTakeScreenshot();
    });
    connect(m_service, &ScoringService::batchFailed, this, [this](const QString& message) {
        m_progressText.clear();
        updateStatus();
        if (m_screenshotPath.isEmpty())
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
    connect(&settings, &Settings::changed, this, &MainWindow::applySettings);

    nb201::Cell cell = nb201::Cell::parse(kDefaultArch);
    try {
        if (!settings.lastArch().isEmpty())
            cell = nb201::Cell::parse(settings.lastArch().toStdString());
    } catch (const ParseError&) {
        // A damaged setting: keep the default cell.
    }
    m_editor->setCell(cell);
    nb101::Spec spec = nb101::Spec::parse(kDefaultSpec);
    try {
        if (!settings.lastSpec().isEmpty())
            spec = nb101::Spec::parse(settings.lastSpec().toStdString());
    } catch (const ParseError&) {
        // A damaged setting: keep the default cell.
    }
    m_nb101Editor->setSpec(spec);
    nlp::Recipe recipe = nlp::Recipe::example(kDefaultRecipe);
    try {
        if (!settings.lastRecipe().isEmpty())
            recipe = nlp::Recipe::parseJson(settings.lastRecipe().toStdString());
    } catch (const std::exception&) {
        // A damaged setting, or a build without JSON support: keep the default recipe.
    }
    m_nlpEditor->setRecipe(recipe);
    m_space = settings.space();
    showSpace();
    if (m_space == Space::Nb201)
        m_scatter->setCurrentCell(cell);
    else if (m_space == Space::Nb101 && spec.isValid())
        m_scatter->setCurrentKey(specKey(spec));
    else if (m_space == Space::Nlp)
        m_scatter->setCurrentKey(recipeKey(recipe, {}));
    m_service->setConfig(settings.scoringConfig());
    rescoreCurrent();
    // Wait for the event loop: command-line options may still change the cell, the input or the table.
    QTimer::singleShot(0, this, &MainWindow::populate);
    QTimer::singleShot(0, this, &MainWindow::reopenBenchmark);
    updateStatus();
}

MainWindow::~MainWindow() = default;

QDockWidget* MainWindow::addDock(const QString& title, const QString& name, QWidget* widget, Qt::DockWidgetArea area)
{
    auto* dock = new QDockWidget(title, this);
    dock->setObjectName(name);
    dock->setWidget(widget);
    addDockWidget(area, dock);
    return dock;
}

void MainWindow::createActions()
{
    m_openAction = new QAction(QIcon::fromTheme(QStringLiteral("document-open")), tr("&Open Benchmark Table…"), this);
    m_openAction->setShortcut(QKeySequence::Open);
    connect(m_openAction, &QAction::triggered, this, &MainWindow::openBenchmarkDialog);
    m_openRecipesAction = new QAction(tr("Open NLP &Recipes…"), this);
    m_openRecipesAction->setToolTip(tr("Load NAS-Bench-NLP recipes (e.g. recipes.jsonl) and score them"));
    connect(m_openRecipesAction, &QAction::triggered, this, &MainWindow::openRecipesDialog);
    m_targetAction = new QAction(tr("Choose &Target Column…"), this);
    m_targetAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    m_targetAction->setEnabled(false);
    connect(m_targetAction, &QAction::triggered, this, &MainWindow::chooseTarget);
    m_exportScatterAction = new QAction(tr("Export &Scatter…"), this);
    connect(m_exportScatterAction, &QAction::triggered, this,
        [this] { exportPlotDialog(m_scatter->plot(), tr("scatter")); });
    m_exportHistogramsAction = new QAction(tr("Export &Histograms…"), this);
    connect(m_exportHistogramsAction, &QAction::triggered, this,
        [this] { exportPlotDialog(m_panel->plot(), tr("histograms")); });
    m_exportScoresAction
        = new QAction(QIcon::fromTheme(QStringLiteral("document-save-as")), tr("&Export Scores as CSV…"), this);
    m_exportScoresAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    connect(m_exportScoresAction, &QAction::triggered, this, &MainWindow::exportScores);
    m_quitAction = new QAction(QIcon::fromTheme(QStringLiteral("application-exit")), tr("&Quit"), this);
    m_quitAction->setShortcut(QKeySequence::Quit);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    m_settingsAction = new QAction(QIcon::fromTheme(QStringLiteral("preferences-system")), tr("&Settings…"), this);
    m_settingsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    connect(m_settingsAction, &QAction::triggered, this, &MainWindow::showSettings);

    m_scoreAllAction = new QAction(tr("Score &All Cells"), this);
    m_scoreAllAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    connect(m_scoreAllAction, &QAction::triggered, this, &MainWindow::scoreAll);
    m_sampleAction = new QAction(tr("Score a Random &Sample"), this);
    connect(m_sampleAction, &QAction::triggered, this, [this] {
        scoreSample(std::max(1, Settings::instance().sampleSize()), QRandomGenerator::global()->generate64(), false);
    });
    m_scoreTableAction = new QAction(tr("Score the &Table's Cells"), this);
    m_scoreTableAction->setToolTip(tr("Score every cell of the loaded NB101 table, or every loaded NLP recipe"));
    m_scoreTableAction->setEnabled(false);
    connect(m_scoreTableAction, &QAction::triggered, this, &MainWindow::scoreTableCells);
    m_cancelAction = new QAction(QIcon::fromTheme(QStringLiteral("process-stop")), tr("&Cancel Batch"), this);
    m_cancelAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
    m_cancelAction->setEnabled(false);
    connect(m_cancelAction, &QAction::triggered, m_service, &ScoringService::cancelBatch);
    m_rescoreAction = new QAction(QIcon::fromTheme(QStringLiteral("view-refresh")), tr("&Rescore Current Cell"), this);
    m_rescoreAction->setShortcut(QKeySequence::Refresh);
    connect(m_rescoreAction, &QAction::triggered, this, &MainWindow::rescoreCurrent);

    m_aboutAction = new QAction(tr("&About epsinas explorer"), this);
    connect(m_aboutAction, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_openAction);
    file->addAction(m_openRecipesAction);
    file->addAction(m_targetAction);
    file->addSeparator();
    file->addAction(m_exportScatterAction);
    file->addAction(m_exportHistogramsAction);
    file->addAction(m_exportScoresAction);
    file->addSeparator();
    file->addAction(m_quitAction);

    // Each editor has its own actions; showSpace() shows those of the current space only.
    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(m_editor->undoAction());
    edit->addAction(m_editor->redoAction());
    edit->addAction(m_nb101Editor->undoAction());
    edit->addAction(m_nb101Editor->redoAction());
    edit->addAction(m_nlpEditor->undoAction());
    edit->addAction(m_nlpEditor->redoAction());
    edit->addSeparator();
    edit->addAction(m_editor->copyAction());
    edit->addAction(m_editor->pasteAction());
    edit->addAction(m_nlpEditor->copyAction());
    edit->addAction(m_nlpEditor->pasteAction());
    edit->addSeparator();
    edit->addAction(m_editor->randomAction());
    edit->addAction(m_nb101Editor->randomAction());
    edit->addAction(m_nlpEditor->randomAction());
    edit->addAction(m_editor->mutateAction());
    edit->addSeparator();
    edit->addAction(m_settingsAction);

    QMenu* scoring = menuBar()->addMenu(tr("&Scoring"));
    scoring->addAction(m_rescoreAction);
    scoring->addAction(m_sampleAction);
    scoring->addAction(m_scoreAllAction);
    scoring->addAction(m_scoreTableAction);
    scoring->addAction(m_cancelAction);

    // Filled once the docks exist (createPopupMenu lists them).
    QMenu* view = menuBar()->addMenu(tr("&View"));
    connect(view, &QMenu::aboutToShow, this, [this, view] {
        view->clear();
        QMenu* docks = createPopupMenu();
        for (QAction* action : docks->actions())
            view->addAction(action);
        docks->deleteLater();
    });

    QToolBar* spaceBar = addToolBar(tr("Space"));
    spaceBar->setObjectName(QStringLiteral("spaceToolBar"));
    spaceBar->setMovable(false);
    spaceBar->addWidget(new QLabel(tr("Space: "), spaceBar));
    m_spaceCombo = new QComboBox(spaceBar);
    m_spaceCombo->setObjectName(QStringLiteral("spaceCombo"));
    for (Space space : kAllSpaces)
        m_spaceCombo->addItem(spaceName(space), int(space));
    m_spaceCombo->setToolTip(tr("The search space to explore; each keeps its own cell, weights and stored scores"));
    spaceBar->addWidget(m_spaceCombo);
    connect(m_spaceCombo, &QComboBox::activated, this,
        [this](int index) { setSpace(Space(m_spaceCombo->itemData(index).toInt())); });

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(m_aboutAction);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::createStatusBar()
{
    m_activity = new QLabel(this);
    m_activity->setObjectName(QStringLiteral("activity"));
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setMaximumWidth(220);
    m_progress->setTextVisible(false);
    m_progress->hide();
    m_cancel = new QToolButton(this);
    m_cancel->setDefaultAction(m_cancelAction);
    m_cancel->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_cancel->hide();
    m_device = new QLabel(this);
    m_device->setObjectName(QStringLiteral("device"));
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
    m_activity->setText(activity);
    const ScoringConfig& config = m_service->config();
    const QString device = m_service->device().isEmpty()
        ? QString::fromStdString(deviceDescription(config.options.device == Device::Cuda))
        : m_service->device();
    m_device->setText(tr("%1 · %2").arg(device, config.describe()));
}

void MainWindow::setSpace(Space space)
{
    // applySettings() follows the stored space: it switches the editor, clears the scores and rescores.
    Settings::instance().setSpace(space);
}

void MainWindow::showSpace()
{
    const bool nb201 = m_space == Space::Nb201;
    const bool nb101 = m_space == Space::Nb101;
    const bool nlp = m_space == Space::Nlp;
    m_editors->setCurrentWidget(nb201 ? static_cast<QWidget*>(m_editor)
            : nb101                   ? static_cast<QWidget*>(m_nb101Editor)
                                      : static_cast<QWidget*>(m_nlpEditor));
    m_spaceCombo->setCurrentIndex(m_spaceCombo->findData(int(m_space)));
    for (QAction* action : { m_editor->undoAction(), m_editor->redoAction(), m_editor->copyAction(),
             m_editor->pasteAction(), m_editor->randomAction(), m_editor->mutateAction() })
        action->setVisible(nb201);
    for (QAction* action : { m_nb101Editor->undoAction(), m_nb101Editor->redoAction(), m_nb101Editor->randomAction() })
        action->setVisible(nb101);
    for (QAction* action : { m_nlpEditor->undoAction(), m_nlpEditor->redoAction(), m_nlpEditor->copyAction(),
             m_nlpEditor->pasteAction(), m_nlpEditor->randomAction() })
        action->setVisible(nlp);
    // NB101 has 423,624 cells and NLP's space is open-ended: they are sampled, never scored whole.
    m_scoreAllAction->setVisible(nb201);
    setWindowTitle(tr("epsinas explorer — %1").arg(spaceName(m_space)));
}

QString MainWindow::setArch(const QString& arch)
{
    const std::string text = arch.trimmed().toStdString();
    try {
        switch (m_space) {
        case Space::Nb101:
            m_nb101Editor->editSpec(nb101::Spec::parse(text), tr("Set spec string"));
            break;
        case Space::Nlp:
            // An example's name or a recipe object.
            loadRecipe(text.find('{') == std::string::npos ? nlp::Recipe::example(text) : nlp::Recipe::parseJson(text),
                {}, tr("Set recipe"));
            break;
        case Space::Nb201:
            m_editor->editCell(nb201::Cell::parse(text), tr("Set arch string"));
            break;
        }
        return {};
    } catch (const std::exception& error) {
        return QString::fromStdString(error.what());
    }
}

void MainWindow::onCellEdited(const nb201::Cell& cell)
{
    Settings::instance().setLastArch(QString::fromStdString(cell.toString()));
    m_scatter->setCurrentCell(cell);
    rescoreCurrent();
}

void MainWindow::onSpecEdited(const nb101::Spec& spec)
{
    Settings::instance().setLastSpec(QString::fromStdString(spec.toString()));
    if (spec.isValid())
        m_scatter->setCurrentKey(specKey(spec));
    rescoreCurrent();
}

void MainWindow::onRecipeEdited()
{
    const std::optional<nlp::Recipe>& recipe = m_nlpEditor->recipe();
    if (recipe) {
        Settings::instance().setLastRecipe(QString::fromStdString(recipe->toJson()));
        m_scatter->setCurrentKey(recipeKey(*recipe, recipeIdOf(*recipe)));
    }
    rescoreCurrent();
}

void MainWindow::loadRecipe(const nlp::Recipe& recipe, const QString& recipeId, const QString& description)
{
    m_pickedRecipeId = recipeId;
    m_pickedRecipeJson = QString::fromStdString(recipe.toJson());
    m_nlpEditor->editRecipe(recipe, description);
}

QString MainWindow::recipeIdOf(const nlp::Recipe& recipe) const
{
    const QString json = QString::fromStdString(recipe.toJson());
    if (!m_pickedRecipeId.isEmpty() && json == m_pickedRecipeJson)
        return m_pickedRecipeId;
    return m_recipeIds.value(json);
}

void MainWindow::rescoreCurrent()
{
    m_currentScored = false;
    if (m_space == Space::Nlp) {
        const std::optional<nlp::Recipe>& recipe = m_nlpEditor->recipe();
        if (!recipe) {
            // As for NB101: no score, and no late result for the previous recipe either.
            m_service->withdrawRequest();
            m_scatter->setCurrentKey({});
            m_panel->showNotScored(tr("not a valid NAS-Bench-NLP recipe: %1").arg(m_nlpEditor->problem()));
            m_currentScored = true;
            updateStatus();
            maybeTakeScreenshot();
            return;
        }
        m_panel->markStale(tr("scoring…"));
        m_service->requestScore(*recipe);
    } else if (m_space == Space::Nb101) {
        const nb101::Spec& spec = m_nb101Editor->spec();
        if (!spec.isValid()) {
            // Invalid cells have no score; make sure a result for the previous cell does not show up as this one's.
            m_service->withdrawRequest();
            m_scatter->setCurrentKey({});
            m_panel->showNotScored(tr("not a valid NB101 cell: %1").arg(QString::fromStdString(spec.problem())));
            m_currentScored = true;
            updateStatus();
            maybeTakeScreenshot();
            return;
        }
        m_panel->markStale(tr("scoring…"));
        m_service->requestScore(spec);
    } else {
        m_panel->markStale(tr("scoring…"));
        m_service->requestScore(m_editor->cell());
    }
    updateStatus();
}

void MainWindow::onScoreReady(const ScoreResult& result)
{
    const ScoringConfig& config = m_service->config();
    m_panel->showResult(result, config.options.weights, config.options.precision);
    ScoredCell scored = ScoredCell::from(result.cell, result.score);
    if (result.space == Space::Nb101)
        scored = ScoredCell::from(result.spec, result.score);
    else if (result.space == Space::Nlp)
        scored = ScoredCell::from(result.recipe, recipeIdOf(result.recipe), result.score);
    m_model->addScores({ scored });
    m_scatter->setCurrentKey(scored.key());
    m_currentScored = true;
    m_reportNextFailure = false;
    updateStatus();
    maybeTakeScreenshot();
}

void MainWindow::onScoringFailed(const QString& message)
{
    m_panel->showError(message);
    statusBar()->showMessage(tr("Scoring failed: %1").arg(message), 10000);
    updateStatus();
    if (m_reportNextFailure && m_screenshotPath.isEmpty())
        QMessageBox::warning(this, tr("Scoring failed"), message);
    m_reportNextFailure = false;
    // A screenshot of the error is still a faithful screenshot.
    m_currentScored = true;
    maybeTakeScreenshot();
}

void MainWindow::applySettings()
{
    const Settings& settings = Settings::instance();
    m_scatter->setNanPolicy(settings.nanPolicy());
    if (settings.space() != m_space) {
        m_space = settings.space();
        showSpace();
        // A benchmark table belongs to one space.
        m_benchmark.reset();
        m_model->setTargets({}, {});
        showArchIndex();
        m_targetAction->setEnabled(false);
        // Loaded recipes outlive a table: they were opened on their own.
        m_scoreTableAction->setEnabled(m_space == Space::Nlp && !m_recipes.empty());
        reopenBenchmark();
    }
    if (!m_service->setConfig(settings.scoringConfig())) {
        updateStatus();
        return;
    }
    // Shown scores were computed under the old settings: drop them, say so, and score again.
    m_model->clear();
    m_panel->markStale(tr("settings changed, rescoring…"));
    statusBar()->showMessage(tr("Scoring settings changed: shown scores were cleared"), 5000);
    rescoreCurrent();
    populate();
}

void MainWindow::populate()
{
    const int sample = Settings::instance().sampleSize();
    // Stored NLP scores do not keep recipe ids, so showing them all would add id-less twins of the table's recipes.
    if (sample > 0)
        scoreSample(sample, kSampleSeed, /*includeStored=*/m_space != Space::Nlp);
}

void MainWindow::scoreTableCells()
{
    if (m_space == Space::Nb101 && m_benchmark && !m_benchmark->specs.empty())
        m_service->startBatch(tr("Scoring the table's cells"), m_benchmark->specs, /*includeStored=*/false);
    else if (m_space == Space::Nlp && !m_recipes.empty())
        m_service->startBatch(tr("Scoring the loaded recipes"), m_recipes, /*includeStored=*/false);
}

void MainWindow::scoreSample(int count, quint64 seed, bool includeStored)
{
    if (m_space == Space::Nb101)
        m_service->startBatch(
            tr("Scoring a random sample"), nb101::randomSpecs(std::size_t(count), seed), includeStored);
    else if (m_space == Space::Nlp)
        m_service->startBatch(tr("Scoring a random sample"), sampleRecipes(count, seed), includeStored);
    else
        m_service->startBatch(tr("Scoring a random sample"), sampleCells(count, quint32(seed)), includeStored);
}

void MainWindow::scoreAll()
{
    m_service->startBatch(tr("Scoring all cells"), nb201::allCells(), true);
}

QString MainWindow::openBenchmark(const QString& path, const QString& target, bool ask)
{
    try {
        m_benchmark = m_space == Space::Nb101 ? loadNb101Benchmark(path)
            : m_space == Space::Nlp           ? loadNlpBenchmark(path)
                                              : loadBenchmark(path);
    } catch (const std::exception& error) {
        return QString::fromStdString(error.what());
    }
    if (!m_benchmark->recipes.empty())
        setRecipes(m_benchmark->recipes);
    showArchIndex();
    m_targetAction->setEnabled(true);
    QString column = target;
    QString error;
    if (!column.isEmpty() && !m_benchmark->columns.contains(column)) {
        // Still show the table, against the most likely column, and say which ones exist.
        error = tr("%1 has no numeric column '%2'; it has: %3")
                    .arg(path, column, m_benchmark->columns.join(QStringLiteral(", ")));
        column.clear();
        ask = false;
    }
    if (column.isEmpty()) {
        column = preferredTarget(m_benchmark->columns, m_space);
        if (ask) {
            bool ok = false;
            const QString chosen = QInputDialog::getItem(this, tr("Target Column"),
                tr("%1 matches %2 %3 %4. Plot scores against:")
                    .arg(QFileInfo(path).fileName())
                    .arg(m_benchmark->matchedCells)
                    .arg(spaceName(m_space), unitName(m_space)),
                m_benchmark->columns, int(m_benchmark->columns.indexOf(column)), false, &ok);
            if (ok)
                column = chosen;
        }
    }
    setTargets(column);
    statusBar()->showMessage(tr("Target: %1 from %2").arg(column, QFileInfo(path).fileName()), 5000);
    m_scoreTableAction->setEnabled(
        (m_space == Space::Nb101 && !m_benchmark->specs.empty()) || (m_space == Space::Nlp && !m_recipes.empty()));
    // Random NB101 cells almost never appear in a table (random NLP recipes never), so without its own cells the
    // scatter would stay empty.
    // Queued: at start-up this must follow (and supersede) the random sample populate() starts.
    QTimer::singleShot(0, this, &MainWindow::scoreTableCells);
    return error;
}

void MainWindow::showArchIndex()
{
    std::vector<int> archIndex = m_benchmark ? m_benchmark->archIndex : std::vector<int> {};
    m_model->setArchIndex(archIndex);
    m_editor->setArchIndex(std::move(archIndex));
}

void MainWindow::setTargets(const QString& column)
{
    Settings::instance().setBenchmark(m_space, m_benchmark->path, column);
    if (m_space == Space::Nb201)
        m_model->setTargets(column, *m_benchmark->column(column), lowerIsBetter(column));
    else
        m_model->setTargetsByKey(column, *m_benchmark->keyColumn(column), lowerIsBetter(column));
}

QString MainWindow::openRecipes(const QString& path)
{
    std::vector<nlp::NamedRecipe> recipes;
    try {
        recipes = nlp::readRecipeFile(path.toStdString());
    } catch (const std::exception& error) {
        return QString::fromStdString(error.what());
    }
    if (recipes.empty())
        return tr("%1 holds no recipe").arg(path);
    if (m_space != Space::Nlp)
        setSpace(Space::Nlp);
    setRecipes(std::move(recipes));
    statusBar()->showMessage(tr("%L1 recipes from %2").arg(m_recipes.size()).arg(QFileInfo(path).fileName()), 5000);
    // Queued like the table's cells: at start-up this must follow the random sample populate() starts.
    QTimer::singleShot(0, this, &MainWindow::scoreTableCells);
    return {};
}

void MainWindow::setRecipes(std::vector<nlp::NamedRecipe> recipes)
{
    m_recipes = std::move(recipes);
    m_recipeIds.clear();
    for (const nlp::NamedRecipe& named : m_recipes) {
        const QString json = QString::fromStdString(named.recipe.toJson());
        if (!m_recipeIds.contains(json))
            m_recipeIds.insert(json, QString::fromStdString(named.id));
    }
    m_scoreTableAction->setEnabled(m_space == Space::Nlp && !m_recipes.empty());
}

void MainWindow::openRecipesDialog()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open NAS-Bench-NLP Recipes"), QString(), tr("Recipes (*.jsonl *.json);;All files (*)"));
    if (path.isEmpty())
        return;
    const QString error = openRecipes(path);
    if (!error.isEmpty())
        QMessageBox::warning(this, tr("Cannot Open Recipes"), error);
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
    const QString path = settings.benchmarkPath(m_space);
    if (m_benchmark || path.isEmpty())
        return;
    // Kept in the settings even when it fails: the file may be on a drive that is not mounted just now.
    if (const QString error = openBenchmark(path, settings.benchmarkTarget(m_space), false); !error.isEmpty())
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

void MainWindow::exportPlotDialog(QCustomPlot* plot, const QString& what)
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export %1").arg(what), QStringLiteral("epsinas-%1.png").arg(what), plotExportFilter());
    if (path.isEmpty())
        return;
    const QString error = exportPlot(plot, path);
    if (!error.isEmpty())
        QMessageBox::warning(this, tr("Export Failed"), error);
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
        { tr("epsinas explorer %1, %2").arg(QStringLiteral(EPSINAS_VERSION), spaceName(m_space)),
            m_service->config().describe() });
    if (out.status() != QTextStream::Ok || !file.flush())
        QMessageBox::warning(this, tr("Export Failed"), tr("Could not write all of %1").arg(path));
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

void MainWindow::showAbout()
{
    const QString device = m_service->device().isEmpty()
        ? QString::fromStdString(deviceDescription(m_service->config().options.device == Device::Cuda))
        : m_service->device();
    QMessageBox::about(this, tr("About epsinas explorer"),
        tr("<h3>epsinas explorer %1</h3>"
           "<p>Zero-cost neural architecture search with two constant weights: edit a NAS-Bench-201 or "
           "NAS-Bench-101 cell or a NAS-Bench-NLP recipe and watch its epsinas score.</p>"
           "<p>LibTorch %2<br>Qt %3 (built with %4)<br>QCustomPlot %5<br>Scoring on: %6</p>")
            .arg(QStringLiteral(EPSINAS_VERSION), QString::fromStdString(torchVersion()),
                QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR),
                QStringLiteral(QCUSTOMPLOT_VERSION_STR), device.toHtmlEscaped()));
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

void MainWindow::closeEvent(QCloseEvent* event)
{
    Settings::instance().setWindow(saveGeometry(), saveState());
    m_service->cancelBatch();
    event->accept();
}

} // namespace epsinas::gui
