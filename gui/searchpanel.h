// SPDX-License-Identifier: MIT
#pragma once

#include "benchmark.h"
#include "scoreresult.h"
#include "searchresult.h"

#include <QSet>
#include <QWidget>

#include <optional>
#include <vector>

class QComboBox;
class QCPGraph;
class QCustomPlot;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace epsinas::gui {

class ScoreTableModel;
class SearchService;

/**
 * Searches the loaded table's scored architectures with the zero-cost score, as `epsinas search` does: random search
 * (the top-scored of N random architectures) or ageing evolution with epsinas as warm-up and mutation filter. The
 * candidates are the scored set's rows (ScoreTableModel, hand edits left out) that have a finite target (and
 * select-by value) in the table; the search runs on its own thread (SearchService) with live progress and Cancel.
 * It shows the best-so-far curve (mean ± std over runs) against plain random search and the table's optimum, the
 * CLI's statistics, offers the architecture chosen most often to the editor, and names the architectures the first
 * run visited for the scatter to ring.
 */
class SearchPanel : public QWidget {
    Q_OBJECT
public:
    explicit SearchPanel(ScoreTableModel* model, QWidget* parent = nullptr);
    ~SearchPanel() override;

    /** The space explored: the evolution strategies are offered only where it mutates (SearchSpace::mutates). */
    void setSpace(const SearchSpace& space);
    /** The loaded benchmark table (it must outlive the panel or the next call), or nullptr for none. */
    void setTable(const BenchmarkData* table);

    SearchService* service() const { return m_service; }
    /** Starts a search with the controls' values; returns why it cannot start, or an empty string. */
    QString run();
    void cancel();
    bool isRunning() const;

    SearchStrategy strategy() const;
    void setStrategy(SearchStrategy strategy);
    /** Whether the strategy is offered (evolution needs a space that mutates). */
    bool isStrategyOffered(SearchStrategy strategy) const;
    /** The last finished search, if any. */
    const std::optional<SearchOutcome>& outcome() const { return m_outcome; }
    /** The candidates of the last search started, in the order the search saw them. */
    const std::vector<NamedArch>& candidates() const { return m_candidates; }
    /** The statistics lines as shown, one per line, in the CLI's key=value form. */
    QString statisticsText() const;
    QCustomPlot* plot() const { return m_plot; }

Q_SIGNALS:
    /** Load best: the architecture the runs chose most often, under its benchmark id (empty: none). */
    void archRequested(const epsinas::Arch& arch, const QString& id);
    /** The architectures (ScoredArch::key()) the first run visited, for the scatter; empty when there are none. */
    void visitedChanged(const QSet<QString>& keys, const QString& label);

private:
    void buildControls();
    void buildPlot();
    void updateStrategyControls();
    void updateColumns();
    void loadSettings();
    void saveSettings() const;
    void setRunning(bool running);
    void onProgress(const SearchProgress& progress);
    void onFinished(const SearchOutcome& outcome);
    void onFailed(const QString& message);
    /** Draws the strategy's curve, and the references when given. */
    void showCurves(const std::vector<search::Summary>& trajectory, const std::vector<search::Summary>* reference,
        std::optional<double> optimum);
    void showStatistics(const SearchOutcome& outcome);
    void loadBest();

    ScoreTableModel* m_model;
    SearchService* m_service;
    const SearchSpace* m_space = nullptr;
    const BenchmarkData* m_table = nullptr;
    QComboBox* m_strategy = nullptr;
    QSpinBox* m_samples = nullptr;
    QSpinBox* m_queries = nullptr;
    QSpinBox* m_runs = nullptr;
    QSpinBox* m_seed = nullptr;
    QSpinBox* m_population = nullptr;
    QSpinBox* m_tournament = nullptr;
    QSpinBox* m_warmup = nullptr;
    QSpinBox* m_mutations = nullptr;
    QComboBox* m_target = nullptr;
    QComboBox* m_selectBy = nullptr;
    QPushButton* m_runButton = nullptr;
    QPushButton* m_cancelButton = nullptr;
    QProgressBar* m_progress = nullptr;
    QCustomPlot* m_plot = nullptr;
    QCPGraph* m_upper = nullptr;
    QCPGraph* m_lower = nullptr;
    QCPGraph* m_mean = nullptr;
    QCPGraph* m_reference = nullptr;
    QCPGraph* m_optimum = nullptr;
    QLabel* m_statistics = nullptr;
    QLabel* m_bestLabel = nullptr;
    QPushButton* m_loadBest = nullptr;
    /** The runs of the strategy family not shown: random search and evolution keep their own (CLI defaults differ). */
    int m_otherRuns = 0;
    bool m_runsAreEvolution = false;
    std::vector<NamedArch> m_candidates;
    /** The candidates' row keys (ScoredArch::key()), for the scatter. */
    std::vector<QString> m_candidateKeys;
    std::optional<SearchOutcome> m_outcome;
    /** The strategy of the search last started, which its curve is named after. */
    SearchStrategy m_searched = SearchStrategy::Random;
    QString m_statisticsText;
    /** Settings are written only once they have been read, so the defaults never overwrite stored values. */
    bool m_settingsLoaded = false;
};

} // namespace epsinas::gui
