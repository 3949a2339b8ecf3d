// SPDX-License-Identifier: MIT
#pragma once

#include "archids.h"
#include "benchmark.h"
#include "guide.h"
#include "scoreresult.h"

#include <QHash>
#include <QMainWindow>
#include <QSet>

#include <optional>

class QAction;
class QComboBox;
class QDialog;
class QMenu;
class QCustomPlot;
class QDockWidget;
class QProgressBar;
class QStackedWidget;
class QTableView;
class QToolButton;

namespace epsinas::gui {

class ArchEditor;
class ElidedLabel;
class ExplainPanel;
struct TeachingExample;
class ScatterPlot;
class ScorePanel;
class ScoreTableModel;
class SearchPanel;
class ScoringService;

/**
 * The explorer: the editor of the current space, the score panel and the scatter as dock widgets around one
 * current architecture, scored live by the service; batch runs fill the scatter in the background. It holds one
 * editor per space (gui/spaces/) and knows the spaces only through SearchSpace and ArchEditor.
 */
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    const SearchSpace& space() const { return *m_space; }
    /** Switches the explored space (remembered in the settings); shown scores and the table are dropped. */
    void setSpace(const SearchSpace& space);
    /** Loads an architecture of the current space, in its text form; returns an empty string or why it cannot. */
    QString setArch(const QString& arch);
    /** Loads a benchmark table and picks `target` (or asks, when empty and `ask`); returns an error message. */
    QString openBenchmark(const QString& path, const QString& target, bool ask);
    /**
     * Loads a file of architectures of the current space (SearchSpace::readFile, e.g. NAS-Bench-NLP's recipes.jsonl)
     * and scores them in the background. Returns an error message, or an empty string.
     */
    QString openArchitectures(const QString& path);
    /**
     * Opens a session file (docs/session.md): its space, architecture, settings, table and view. Returns an error
     * message, or an empty string; a file that cannot be read changes nothing.
     */
    QString openSession(const QString& path);
    /** Saves the session to `path`, replacing it only once it is written whole; returns an error message. */
    QString saveSession(const QString& path);
    /** Once the current cell is scored and no batch runs, renders the window into `path` and emits screenshotSaved. */
    void takeScreenshotWhenReady(const QString& path);

    ScoringService* service() const { return m_service; }
    ScoreTableModel* model() const { return m_model; }
    /** The editor of `space`, or nullptr for a space the explorer cannot edit. */
    ArchEditor* editor(const SearchSpace& space) const { return m_editors.value(&space); }
    ArchEditor* currentEditor() const { return editor(*m_space); }
    QComboBox* spaceSelector() const { return m_spaceCombo; }
    ScorePanel* scorePanel() const { return m_panel; }
    ScatterPlot* scatter() const { return m_scatter; }
    SearchPanel* searchPanel() const { return m_search; }
    ExplainPanel* explainPanel() const { return m_explain; }
    bool isPresenting() const { return m_presenting; }

Q_SIGNALS:
    void screenshotSaved(const QString& path, bool ok);

protected:
    void showEvent(QShowEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    void createActions();
    void createMenus();
    void createStatusBar();
    /** Teaching: the explainer and its steps, and the examples of the current space (gui/teachingmenu.cpp). */
    void createTeachingMenu();
    /** Shows the explainer's dock in front, its focus ready for ← and →. */
    void showExplainer();
    /** Traces live scores while the explainer is shown, and only then (a trace costs about one more pass). */
    void onExplainerShown(bool visible);
    /** Pins the last scored architecture: marked in the scatter, its signal flow drawn under the current one's. */
    void pinCurrent();
    /** Asks for an id or text and selects that architecture in the scatter. */
    void findInScatter();
    /** Selects the architectures brushed in the scatter in the Scores table. */
    void showBrushed(const QStringList& keys);
    /** Loads a teaching example, switching the precision it is meant for (and saying so). */
    void applyExample(const TeachingExample& example);
    /**
     * Presentation mode: full screen, text at presentationScale(), high-contrast plots that all zoom and
     * pan; leaving it puts the window, its fonts and its plots back as they were.
     */
    void setPresenting(bool on);
    /** Presentation mode's text size: the one chosen, else 1.5, or 1.25 on a screen under 1000 px high. */
    double presentationScale() const;
    /** Draws the window's text and plots in the look of the mode it is in (after a change of the text size). */
    void applyPresentationLook();
    /** Teaching → Presentation Text Size: presentation mode's scale, applied at once. */
    QMenu* createPresentationScaleMenu();
    /** View → Interface Scale: the scale of the whole interface at the next start (presentations). */
    QMenu* createScaleMenu();
    /** Adds a dock of `widget`; one that does not scroll by itself scrolls in the dock below its minimum size. */
    QDockWidget* addDock(const QString& title, const QString& name, QWidget* widget, Qt::DockWidgetArea area);
    /** Restores `savedGeometry` within the screen's free area, or picks a first-start size that fits it. */
    void placeOnScreen(const QByteArray& savedGeometry);

    void onArchEdited(const Arch& arch);
    /** Loads `arch` into its editor as the edit `description`, remembering the id it was picked under. */
    void loadArch(const Arch& arch, const QString& id, const QString& description);
    void openArchitecturesDialog();
    /** Shows the editor and actions of m_space. */
    void showSpace();
    void scoreSample(int count, quint64 seed, bool includeStored);
    /** Scores the architectures a loaded table or file named, which random samples rarely hit. */
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
    /** Hands the loaded table's benchmark ids (or none) to the editors and the score table. */
    void showBenchmarkIds();
    /** Whether the loaded architectures (m_ids) belong to the current space. */
    bool haveTableArchs() const;
    void openBenchmarkDialog();
    /** Shows the current architecture's value, rank and percentile in the loaded table's target column. */
    void showStanding();
    /** Forgets the loaded table: the scatter plots against the parameter count again. */
    void dropBenchmark();
    void openSessionDialog();
    void saveSessionDialog();
    void reportSessionError(const QString& title, const QString& error);
    void fillRecentMenu();
    /** Reopens the table last used in the current space, unless one is loaded already (e.g. by --bench). */
    void reopenBenchmark();
    /** Exports `plot` with a caption naming the architecture, its score and the settings (and the statistics). */
    void exportPlotDialog(QCustomPlot* plot, const QString& what, bool withStatistics);
    void exportScores();
    void showSettings();
    void showGuide();
    void showAbout();
    void maybeTakeScreenshot();
    /** The commands of the menus that have a key, as the guide lists them. */
    QList<Shortcut> shortcuts() const;

    ScoringService* m_service = nullptr;
    ScoreTableModel* m_model = nullptr;
    /** One editor per space the explorer can edit, in the registry's order; each with its Edit menu entries. */
    QHash<const SearchSpace*, ArchEditor*> m_editors;
    QHash<const ArchEditor*, QList<QAction*>> m_editorMenuEntries;
    /** The spaces small enough to list, whose Score All scores every architecture. */
    QSet<const SearchSpace*> m_enumerable;
    QStackedWidget* m_editorStack = nullptr;
    QComboBox* m_spaceCombo = nullptr;
    const SearchSpace* m_space = nullptr;
    ScorePanel* m_panel = nullptr;
    ScatterPlot* m_scatter = nullptr;
    SearchPanel* m_search = nullptr;
    ExplainPanel* m_explain = nullptr;
    QDockWidget* m_explainDock = nullptr;
    QAction* m_explainAction = nullptr;
    QTableView* m_table = nullptr;
    ElidedLabel* m_activity = nullptr;
    ElidedLabel* m_device = nullptr;
    QProgressBar* m_progress = nullptr;
    QToolButton* m_cancel = nullptr;

    QAction* m_openAction = nullptr;
    QAction* m_openArchsAction = nullptr;
    QAction* m_targetAction = nullptr;
    QAction* m_exportScatterAction = nullptr;
    QAction* m_exportHistogramsAction = nullptr;
    QAction* m_exportScoresAction = nullptr;
    QAction* m_openSessionAction = nullptr;
    QAction* m_saveSessionAction = nullptr;
    QMenu* m_recentMenu = nullptr;
    QAction* m_quitAction = nullptr;
    QAction* m_settingsAction = nullptr;
    QAction* m_scoreAllAction = nullptr;
    QAction* m_sampleAction = nullptr;
    QAction* m_scoreTableAction = nullptr;
    QAction* m_cancelAction = nullptr;
    QAction* m_rescoreAction = nullptr;
    QAction* m_guideAction = nullptr;
    QAction* m_aboutAction = nullptr;
    QDialog* m_guide = nullptr;

    std::optional<BenchmarkData> m_benchmark;
    /** The architectures a table or file named (they outlive a table: a file is opened on its own), and their ids. */
    ArchIds m_ids;
    QString m_activityText;
    QString m_progressText;
    /** The current cell's score is shown (not pending, not failed). */
    bool m_currentScored = false;
    /** Show a dialog for the next scoring error: it follows a settings change the user just made. */
    bool m_reportNextFailure = false;
    /** The failure last shown in a dialog, until a score succeeds: a batch failing the same way adds no second one. */
    QString m_reportedFailure;
    QString m_screenshotPath;
    /** No saved dock layout: the docks get their first-start sizes when the window is first shown. */
    bool m_splitPending = false;
    QAction* m_presentAction = nullptr;
    bool m_presenting = false;
    /** The window's geometry before presentation mode made it full screen. */
    QByteArray m_deskGeometry;
    bool m_deskMaximized = false;
};

} // namespace epsinas::gui
