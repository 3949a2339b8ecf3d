// SPDX-License-Identifier: MIT
#pragma once

#include "benchmark.h"
#include "scoreresult.h"

#include <QHash>
#include <QMainWindow>

#include <optional>

class QAction;
class QComboBox;
class QCustomPlot;
class QDockWidget;
class QLabel;
class QProgressBar;
class QStackedWidget;
class QTableView;
class QToolButton;

namespace epsinas::gui {

class CellEditor;
class Nb101Editor;
class NlpEditor;
class ScatterPlot;
class ScorePanel;
class ScoreTableModel;
class ScoringService;

/**
 * The explorer: the cell editor, the score panel and the scatter as dock widgets around one current cell, scored
 * live by the service; batch runs fill the scatter in the background.
 */
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    Space space() const { return m_space; }
    /** Switches the explored space (remembered in the settings); shown scores and the table are dropped. */
    void setSpace(Space space);
    /** Loads an arch string of the current space into its editor; returns an empty string or why it is not a cell. */
    QString setArch(const QString& arch);
    /** Loads a benchmark table and picks `target` (or asks, when empty and `ask`); returns an error message. */
    QString openBenchmark(const QString& path, const QString& target, bool ask);
    /**
     * Loads NAS-Bench-NLP recipes (JSON Lines or JSON, see nlp::readRecipeFile) and scores them in the background;
     * switches to the NLP space. Returns an error message, or an empty string.
     */
    QString openRecipes(const QString& path);
    /** Once the current cell is scored and no batch runs, renders the window into `path` and emits screenshotSaved. */
    void takeScreenshotWhenReady(const QString& path);

    ScoringService* service() const { return m_service; }
    ScoreTableModel* model() const { return m_model; }
    CellEditor* editor() const { return m_editor; }
    Nb101Editor* nb101Editor() const { return m_nb101Editor; }
    NlpEditor* nlpEditor() const { return m_nlpEditor; }
    QComboBox* spaceSelector() const { return m_spaceCombo; }
    ScorePanel* scorePanel() const { return m_panel; }
    ScatterPlot* scatter() const { return m_scatter; }

Q_SIGNALS:
    void screenshotSaved(const QString& path, bool ok);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createActions();
    void createMenus();
    void createStatusBar();
    QDockWidget* addDock(const QString& title, const QString& name, QWidget* widget, Qt::DockWidgetArea area);

    void onCellEdited(const nb201::Cell& cell);
    void onSpecEdited(const nb101::Spec& spec);
    void onRecipeEdited();
    /** Loads a recipe into the NLP editor, remembering the id it was picked under. */
    void loadRecipe(const nlp::Recipe& recipe, const QString& recipeId, const QString& description);
    /** The recepie_id `recipe` is known under (the one it was picked under first), or an empty string. */
    QString recipeIdOf(const nlp::Recipe& recipe) const;
    /** Makes `recipes` the loaded NLP recipes (what Score the Table's Cells scores and ids are looked up in). */
    void setRecipes(std::vector<nlp::NamedRecipe> recipes);
    void openRecipesDialog();
    /** Shows the editor and actions of m_space. */
    void showSpace();
    void scoreSample(int count, quint64 seed, bool includeStored);
    /** Scores the cells of the loaded NB101 table or the loaded NLP recipes, which random samples never hit. */
    void scoreTableCells();
    void onScoreReady(const ScoreResult& result);
    void onScoringFailed(const QString& message);
    void applySettings();
    void rescoreCurrent();
    void populate();
    void scoreAll();
    void updateStatus();
    void chooseTarget();
    /** Plots against `column` of the loaded table, joined as the current space's tables are. */
    void setTargets(const QString& column);
    /** Hands the loaded table's official NB201 indices (or none) to the editor and the score table. */
    void showArchIndex();
    void openBenchmarkDialog();
    /** Reopens the table last used in the current space, unless one is loaded already (e.g. by --bench). */
    void reopenBenchmark();
    void exportPlotDialog(QCustomPlot* plot, const QString& what);
    void exportScores();
    void showSettings();
    void showAbout();
    void maybeTakeScreenshot();

    ScoringService* m_service = nullptr;
    ScoreTableModel* m_model = nullptr;
    CellEditor* m_editor = nullptr;
    Nb101Editor* m_nb101Editor = nullptr;
    NlpEditor* m_nlpEditor = nullptr;
    QStackedWidget* m_editors = nullptr;
    QComboBox* m_spaceCombo = nullptr;
    Space m_space = Space::Nb201;
    ScorePanel* m_panel = nullptr;
    ScatterPlot* m_scatter = nullptr;
    QTableView* m_table = nullptr;
    QLabel* m_activity = nullptr;
    QLabel* m_device = nullptr;
    QProgressBar* m_progress = nullptr;
    QToolButton* m_cancel = nullptr;

    QAction* m_openAction = nullptr;
    QAction* m_openRecipesAction = nullptr;
    QAction* m_targetAction = nullptr;
    QAction* m_exportScatterAction = nullptr;
    QAction* m_exportHistogramsAction = nullptr;
    QAction* m_exportScoresAction = nullptr;
    QAction* m_quitAction = nullptr;
    QAction* m_settingsAction = nullptr;
    QAction* m_scoreAllAction = nullptr;
    QAction* m_sampleAction = nullptr;
    QAction* m_scoreTableAction = nullptr;
    QAction* m_cancelAction = nullptr;
    QAction* m_rescoreAction = nullptr;
    QAction* m_aboutAction = nullptr;

    std::optional<BenchmarkData> m_benchmark;
    /** The loaded NLP recipes, and the first id of each recipe JSON among them. */
    std::vector<nlp::NamedRecipe> m_recipes;
    QHash<QString, QString> m_recipeIds;
    /** The id and JSON of the recipe last picked from the table or scatter (duplicates have several ids). */
    QString m_pickedRecipeId;
    QString m_pickedRecipeJson;
    QString m_activityText;
    QString m_progressText;
    /** The current cell's score is shown (not pending, not failed). */
    bool m_currentScored = false;
    /** Show a dialog for the next scoring error: it follows a settings change the user just made. */
    bool m_reportNextFailure = false;
    QString m_screenshotPath;
};

} // namespace epsinas::gui
