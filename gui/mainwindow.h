// SPDX-License-Identifier: MIT
#pragma once

#include "benchmark.h"
#include "scoreresult.h"

#include <QMainWindow>

#include <optional>

class QAction;
class QCustomPlot;
class QDockWidget;
class QLabel;
class QProgressBar;
class QTableView;
class QToolButton;

namespace epsinas::gui {

class CellEditor;
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

    /** Loads an arch string into the editor; returns an empty string or why it is not a cell. */
    QString setArch(const QString& arch);
    /** Loads a benchmark table and picks `target` (or asks, when empty and `ask`); returns an error message. */
    QString openBenchmark(const QString& path, const QString& target, bool ask);
    /** Once the current cell is scored and no batch runs, renders the window into `path` and emits screenshotSaved. */
    void takeScreenshotWhenReady(const QString& path);

    ScoringService* service() const { return m_service; }
    ScoreTableModel* model() const { return m_model; }
    CellEditor* editor() const { return m_editor; }
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
    void onScoreReady(const ScoreResult& result);
    void onScoringFailed(const QString& message);
    void applySettings();
    void rescoreCurrent();
    void populate();
    void scoreAll();
    void updateStatus();
    void chooseTarget();
    void openBenchmarkDialog();
    void exportPlotDialog(QCustomPlot* plot, const QString& what);
    void exportScores();
    void showSettings();
    void showAbout();
    void maybeTakeScreenshot();

    ScoringService* m_service = nullptr;
    ScoreTableModel* m_model = nullptr;
    CellEditor* m_editor = nullptr;
    ScorePanel* m_panel = nullptr;
    ScatterPlot* m_scatter = nullptr;
    QTableView* m_table = nullptr;
    QLabel* m_activity = nullptr;
    QLabel* m_device = nullptr;
    QProgressBar* m_progress = nullptr;
    QToolButton* m_cancel = nullptr;

    QAction* m_openAction = nullptr;
    QAction* m_targetAction = nullptr;
    QAction* m_exportScatterAction = nullptr;
    QAction* m_exportHistogramsAction = nullptr;
    QAction* m_exportScoresAction = nullptr;
    QAction* m_quitAction = nullptr;
    QAction* m_settingsAction = nullptr;
    QAction* m_scoreAllAction = nullptr;
    QAction* m_sampleAction = nullptr;
    QAction* m_cancelAction = nullptr;
    QAction* m_rescoreAction = nullptr;
    QAction* m_aboutAction = nullptr;

    std::optional<BenchmarkData> m_benchmark;
    QString m_activityText;
    QString m_progressText;
    /** The current cell's score is shown (not pending, not failed). */
    bool m_currentScored = false;
    /** Show a dialog for the next scoring error: it follows a settings change the user just made. */
    bool m_reportNextFailure = false;
    QString m_screenshotPath;
};

} // namespace epsinas::gui
