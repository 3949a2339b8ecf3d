// SPDX-License-Identifier: MIT
#include "searchpanel.h"

#include "scoretablemodel.h"
#include "searchservice.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QVBoxLayout>

#include <qcustomplot.h>

#include <cmath>
#include <limits>

namespace epsinas::gui {

namespace {
// The CLI's defaults (epsinas search): N and R for random search, then P, K, Q, W, M and R for evolution.
constexpr int kDefaultSamples = 1000;
constexpr int kDefaultRandomRuns = 500;
constexpr int kDefaultPopulation = 10;
constexpr int kDefaultTournament = 5;
constexpr int kDefaultQueries = 300;
constexpr int kDefaultWarmup = 3000;
constexpr int kDefaultMutations = 10;
constexpr int kDefaultEvolutionRuns = 100;
// The largest budget a spin box offers: the whole NAS-Bench-101 space is 423,624 architectures.
constexpr int kMaxBudget = 1000000;
// The plot's least height: the curve stays readable when the dock is short (a 768-pixel laptop screen).
constexpr int kPlotMinimumHeight = 140;

// The colours of the curves: the strategy in blue with a pale band, plain random search grey, the optimum green.
const QColor kStrategyColour(31, 119, 180);
const QColor kReferenceColour(110, 110, 110);
const QColor kOptimumColour(44, 160, 44);

struct StrategyChoice {
    SearchStrategy strategy;
    const char* label;
    const char* description;
};
// The strategies as the panel lists them, with what each does.
const StrategyChoice kStrategies[] = {
    { SearchStrategy::Random, QT_TRANSLATE_NOOP("SearchPanel", "random"),
        QT_TRANSLATE_NOOP("SearchPanel", "Random search: each run draws N architectures and picks the top-scored") },
    { SearchStrategy::Evolution, QT_TRANSLATE_NOOP("SearchPanel", "evolution"),
        QT_TRANSLATE_NOOP("SearchPanel", "Ageing evolution without the score: it trains (looks up) every child") },
    { SearchStrategy::EvolutionWarmup, QT_TRANSLATE_NOOP("SearchPanel", "evolution-warmup"),
        QT_TRANSLATE_NOOP("SearchPanel",
            "Ageing evolution whose population starts as the P best-scored of W random "
            "architectures") },
    { SearchStrategy::EvolutionZeroCostMutation, QT_TRANSLATE_NOOP("SearchPanel", "evolution-zc-mutation"),
        QT_TRANSLATE_NOOP("SearchPanel",
            "Ageing evolution that proposes M mutations per child and keeps the "
            "best-scored") },
    { SearchStrategy::EvolutionBoth, QT_TRANSLATE_NOOP("SearchPanel", "evolution-both"),
        QT_TRANSLATE_NOOP("SearchPanel",
            "Ageing evolution with the zero-cost warm-up and the zero-cost mutation "
            "filter") },
};

/** A number as `epsinas search` prints it (%.9g, "nan"). */
QString cliNumber(double value)
{
    return std::isnan(value) ? QStringLiteral("nan") : QString::number(value, 'g', 9);
}

/** A number for reading: six significant digits. */
QString shortNumber(double value)
{
    return std::isnan(value) ? QStringLiteral("nan") : QString::number(value, 'g', 6);
}

QSpinBox* spinBox(int minimum, int maximum, const QString& objectName, const QString& tip, QWidget* parent)
{
    auto* spin = new QSpinBox(parent);
    spin->setRange(minimum, maximum);
    spin->setObjectName(objectName);
    spin->setToolTip(tip);
    spin->setWhatsThis(tip);
    spin->setGroupSeparatorShown(true);
    return spin;
}
} // namespace

SearchPanel::SearchPanel(ScoreTableModel* model, QWidget* parent)
    : QWidget(parent)
    , m_model(model)
    , m_service(new SearchService(this))
{
    buildControls();
    buildPlot();
    connect(m_service, &SearchService::progressChanged, this, &SearchPanel::onProgress);
    connect(m_service, &SearchService::searchFinished, this, &SearchPanel::onFinished);
    connect(m_service, &SearchService::searchFailed, this, &SearchPanel::onFailed);
    connect(m_service, &SearchService::searchCancelled, this, [this] {
        setRunning(false);
        m_statistics->setText(tr("Search cancelled."));
    });
    loadSettings();
    updateStrategyControls();
    updateColumns();
}

SearchPanel::~SearchPanel() = default;

void SearchPanel::buildControls()
{
    m_strategy = new QComboBox(this);
    m_strategy->setObjectName(QStringLiteral("searchStrategy"));
    auto* strategies = new QStandardItemModel(m_strategy);
    for (const StrategyChoice& choice : kStrategies) {
        auto* item = new QStandardItem(tr(choice.label));
        item->setData(int(choice.strategy), Qt::UserRole);
        item->setToolTip(tr(choice.description));
        strategies->appendRow(item);
    }
    m_strategy->setModel(strategies);
    m_strategy->setToolTip(tr("How to search: random search with the score, or ageing evolution (Real et al. 2019) "
                              "with the score as warm-up and/or mutation filter (epsinas search --strategy); "
                              "evolution needs a space with a mutation"));

    m_samples = spinBox(1, kMaxBudget, QStringLiteral("searchSamples"),
        tr("N: architectures each run of random search draws without replacement (--samples); at most the "
           "candidates"),
        this);
    m_queries = spinBox(1, kMaxBudget, QStringLiteral("searchQueries"),
        tr("Q: the evolution budget, in queries: lookups of an architecture's select-by value not made before in "
           "the run (--queries)"),
        this);
    m_runs = spinBox(1, int(search::kMaxRandomSearchRuns), QStringLiteral("searchRuns"),
        tr("R: independent runs; the curve and the statistics are the mean ± std over them (--runs)"), this);
    m_seed = spinBox(0, std::numeric_limits<int>::max(), QStringLiteral("searchSeed"),
        tr("Run r draws from a generator seeded by (seed, r): the same seed gives the same runs as epsinas search "
           "--seed"),
        this);
    m_population = spinBox(1, kMaxBudget, QStringLiteral("searchPopulation"),
        tr("P: the population of ageing evolution; the oldest member dies as each child joins (--population)"), this);
    m_tournament = spinBox(1, kMaxBudget, QStringLiteral("searchTournament"),
        tr("K: members sampled per tournament; the best by the select-by column is the parent (--tournament; at "
           "most P)"),
        this);
    m_warmup = spinBox(1, kMaxBudget, QStringLiteral("searchWarmup"),
        tr("W: random architectures scored (not queried) before evolution; the P best-scored start the population "
           "(--warmup; evolution-warmup and evolution-both)"),
        this);
    m_mutations = spinBox(1, int(search::kMaxMutations), QStringLiteral("searchMutations"),
        tr("M: mutations proposed per child; the best-scored one is kept (--mutations; evolution-zc-mutation and "
           "evolution-both)"),
        this);
    m_target = new QComboBox(this);
    m_target->setObjectName(QStringLiteral("searchTarget"));
    m_target->setToolTip(tr("The numeric column of the loaded table that judges the pick and that the curve plots "
                            "(--target), e.g. a test accuracy"));
    m_selectBy = new QComboBox(this);
    m_selectBy->setObjectName(QStringLiteral("searchSelectBy"));
    m_selectBy->setToolTip(tr("Evolution: the column that \"training\" an architecture yields and selection uses "
                              "(--select-by), e.g. a validation accuracy; the target only reports"));
    for (QComboBox* combo : { m_strategy, m_target, m_selectBy }) {
        combo->setWhatsThis(combo->toolTip());
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(10);
    }

    m_runButton = new QPushButton(tr("&Run"), this);
    m_runButton->setObjectName(QStringLiteral("searchRun"));
    m_runButton->setToolTip(tr("Search the loaded table's scored architectures in the background (a running search "
                               "is replaced)"));
    m_cancelButton = new QPushButton(tr("Cancel"), this);
    m_cancelButton->setObjectName(QStringLiteral("searchCancel"));
    m_cancelButton->setToolTip(tr("Stop the running search after its current run"));
    m_cancelButton->setEnabled(false);
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("searchProgress"));
    m_progress->setToolTip(tr("Runs done of the search's runs (done/all)"));
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    // Short: the bar shares its row with Run and Cancel.
    m_progress->setFormat(tr("%v/%m"));
    // No count before the first search.
    m_progress->setTextVisible(false);

    m_statistics = new QLabel(this);
    m_statistics->setObjectName(QStringLiteral("searchStatistics"));
    m_statistics->setWordWrap(true);
    m_statistics->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_statistics->setToolTip(tr("As epsinas search prints them: the chosen architecture's target (mean ± std over "
                                "runs), the optimum (random search: the best target of each draw; evolution: of all "
                                "candidates), one random architecture per run, the chosen one's rank, the candidates "
                                "and how many have no score (NaN)"));
    m_loadBest = new QPushButton(tr("&Load Best"), this);
    m_loadBest->setObjectName(QStringLiteral("searchLoadBest"));
    m_loadBest->setToolTip(tr("Put the architecture the runs chose most often into the editor"));
    m_loadBest->setEnabled(false);
    m_bestLabel = new QLabel(this);
    m_bestLabel->setObjectName(QStringLiteral("searchBest"));
    m_bestLabel->setWordWrap(true);
    m_bestLabel->setToolTip(m_loadBest->toolTip());

    auto* grid = new QGridLayout;
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setVerticalSpacing(2);
    const auto add = [this, grid](int row, int column, const QString& label, QWidget* field, int span = 1) {
        auto* caption = new QLabel(label, this);
        caption->setBuddy(field);
        caption->setToolTip(field->toolTip());
        grid->addWidget(caption, row, column * 2);
        grid->addWidget(field, row, column * 2 + 1, 1, span);
    };
    add(0, 0, tr("S&trategy"), m_strategy, 3);
    add(0, 2, tr("R&uns"), m_runs);
    add(1, 0, tr("Samples &N"), m_samples);
    add(1, 1, tr("Queries &Q"), m_queries);
    add(1, 2, tr("S&eed"), m_seed);
    add(2, 0, tr("&Population"), m_population);
    add(2, 1, tr("Tourna&ment"), m_tournament);
    add(2, 2, tr("&Warm-up"), m_warmup);
    add(3, 0, tr("Ta&rget"), m_target, 3);
    add(3, 2, tr("Mutations"), m_mutations);
    add(4, 0, tr("Select &by"), m_selectBy, 3);
    for (int column : { 1, 3, 5 })
        grid->setColumnStretch(column, 1);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_runButton);
    buttons->addWidget(m_cancelButton);
    buttons->addWidget(m_progress, 1);
    grid->addLayout(buttons, 4, 4, 1, 2);

    auto* best = new QHBoxLayout;
    best->addWidget(m_loadBest);
    best->addWidget(m_bestLabel, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    layout->addLayout(grid);
    m_plot = new QCustomPlot(this);
    m_plot->setObjectName(QStringLiteral("searchPlot"));
    m_plot->setMinimumHeight(kPlotMinimumHeight);
    m_plot->setToolTip(tr("Best-so-far target against queries: the strategy's mean over runs with a ± std band, "
                          "plain random search that trains every query, and the best target of the candidates"));
    layout->addWidget(m_plot, 1);
    layout->addWidget(m_statistics);
    layout->addLayout(best);

    connect(m_strategy, &QComboBox::currentIndexChanged, this, [this] {
        updateStrategyControls();
        saveSettings();
    });
    for (QSpinBox* spin : { m_samples, m_queries, m_runs, m_seed, m_population, m_tournament, m_warmup, m_mutations })
        connect(spin, &QSpinBox::valueChanged, this, &SearchPanel::saveSettings);
    for (QComboBox* combo : { m_target, m_selectBy })
        connect(combo, &QComboBox::activated, this, &SearchPanel::saveSettings);
    connect(m_runButton, &QPushButton::clicked, this, [this] {
        if (const QString problem = run(); !problem.isEmpty())
            m_statistics->setText(problem);
    });
    connect(m_cancelButton, &QPushButton::clicked, this, &SearchPanel::cancel);
    connect(m_loadBest, &QPushButton::clicked, this, &SearchPanel::loadBest);
}

void SearchPanel::buildPlot()
{
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    m_plot->xAxis->setLabel(tr("queries"));
    m_plot->yAxis->setLabel(tr("best-so-far target"));
    for (QCPAxis* axis : { m_plot->xAxis, m_plot->yAxis }) {
        axis->setLabelFont(small);
        axis->setTickLabelFont(small);
    }
    m_upper = m_plot->addGraph();
    m_lower = m_plot->addGraph();
    QColor band = kStrategyColour;
    band.setAlpha(50);
    for (QCPGraph* edge : { m_upper, m_lower })
        edge->setPen(Qt::NoPen);
    m_upper->setBrush(band);
    m_upper->setChannelFillGraph(m_lower);
    // The band is named with the mean (its own entry would only repeat "over runs").
    m_upper->removeFromLegend();
    m_mean = m_plot->addGraph();
    m_mean->setPen(QPen(kStrategyColour, 2));
    m_reference = m_plot->addGraph();
    m_reference->setPen(QPen(kReferenceColour, 1.5, Qt::DashLine));
    m_reference->setName(tr("random search, every query trained"));
    m_optimum = m_plot->addGraph();
    m_optimum->setPen(QPen(kOptimumColour, 1.2, Qt::DotLine));
    m_optimum->setName(tr("table optimum"));
    // Shown with the first curve: before, it would name lines that are not there.
    m_plot->legend->setVisible(false);
    m_plot->legend->setFont(small);
    m_plot->legend->setBrush(QColor(255, 255, 255, 200));
    m_lower->removeFromLegend();
    m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignRight);
}

void SearchPanel::setSpace(const SearchSpace& space)
{
    // A search of another space's candidates no longer applies: its architectures are not the scatter's.
    if (m_space && m_space != &space) {
        cancel();
        Q_EMIT visitedChanged({}, {});
    }
    m_space = &space;
    auto* strategies = qobject_cast<QStandardItemModel*>(m_strategy->model());
    for (int row = 0; row < strategies->rowCount(); ++row) {
        QStandardItem* item = strategies->item(row);
        const bool offered = !isEvolution(SearchStrategy(item->data(Qt::UserRole).toInt())) || space.mutates();
        item->setEnabled(offered);
        item->setToolTip(offered ? tr(kStrategies[row].description)
                                 : tr("%1 has no mutation yet, so only random search is offered for it")
                                       .arg(QString::fromStdString(space.name())));
    }
    if (!isStrategyOffered(strategy()))
        setStrategy(SearchStrategy::Random);
}

bool SearchPanel::isStrategyOffered(SearchStrategy strategy) const
{
    return !isEvolution(strategy) || (m_space && m_space->mutates());
}

void SearchPanel::setTable(const BenchmarkData* table)
{
    m_table = table;
    updateColumns();
}

SearchStrategy SearchPanel::strategy() const
{
    return SearchStrategy(m_strategy->currentData(Qt::UserRole).toInt());
}

void SearchPanel::setStrategy(SearchStrategy strategy)
{
    m_strategy->setCurrentIndex(m_strategy->findData(int(strategy), Qt::UserRole));
}

void SearchPanel::updateStrategyControls()
{
    const SearchStrategy chosen = strategy();
    const bool evolution = isEvolution(chosen);
    // Random search and evolution keep their own number of runs, as the CLI's defaults differ (500 and 100).
    if (evolution != m_runsAreEvolution) {
        const int other = m_otherRuns;
        m_otherRuns = m_runs->value();
        m_runsAreEvolution = evolution;
        // Not a change of the runs: the strategy's change saves both values.
        const QSignalBlocker quiet(m_runs);
        m_runs->setValue(other);
    }
    m_samples->setEnabled(!evolution);
    for (QWidget* field : { static_cast<QWidget*>(m_queries), static_cast<QWidget*>(m_population),
             static_cast<QWidget*>(m_tournament), static_cast<QWidget*>(m_selectBy) })
        field->setEnabled(evolution);
    m_warmup->setEnabled(chosen == SearchStrategy::EvolutionWarmup || chosen == SearchStrategy::EvolutionBoth);
    m_mutations->setEnabled(
        chosen == SearchStrategy::EvolutionZeroCostMutation || chosen == SearchStrategy::EvolutionBoth);
}

void SearchPanel::updateColumns()
{
    // The numeric columns, less the ids (e.g. NB201's arch_index), which are numbers but no target.
    QStringList columns = m_table ? m_table->columns : QStringList();
    if (m_space) {
        for (const std::string& id : { m_space->tableIdColumn(), m_space->tableKeyColumn() })
            columns.removeAll(QString::fromStdString(id));
    }
    QSettings settings;
    const QString target
        = m_target->currentText().isEmpty() ? settings.value("Search/target").toString() : m_target->currentText();
    const QString selectBy = m_selectBy->currentText().isEmpty() ? settings.value("Search/selectBy").toString()
                                                                 : m_selectBy->currentText();
    for (QComboBox* combo : { m_target, m_selectBy }) {
        combo->clear();
        combo->addItems(columns);
    }
    // The scatter's target when no choice is remembered; for selection, a validation column when the table has one.
    const QString fallback
        = m_model->hasTargets() || !m_space ? m_model->targetName() : preferredTarget(columns, *m_space);
    m_target->setCurrentIndex(
        columns.contains(target) ? int(columns.indexOf(target)) : std::max(0, int(columns.indexOf(fallback))));
    int select = int(columns.indexOf(selectBy));
    for (int i = 0; select < 0 && i < columns.size(); ++i) {
        if (columns[i].contains(QStringLiteral("valid"), Qt::CaseInsensitive))
            select = i;
    }
    m_selectBy->setCurrentIndex(select >= 0 ? select : m_target->currentIndex());
    m_runButton->setEnabled(!columns.isEmpty());
    if (columns.isEmpty())
        m_statistics->setText(tr("Open a benchmark table (File → Open Benchmark Table) to search its scored "
                                 "architectures."));
    else if (!m_outcome && !isRunning())
        m_statistics->setText(tr("Searches the table's scored architectures: press Run."));
}

void SearchPanel::loadSettings()
{
    QSettings settings;
    setStrategy(strategyOfKey(settings.value("Search/strategy", "random").toString()));
    if (m_strategy->currentIndex() < 0)
        m_strategy->setCurrentIndex(0);
    m_samples->setValue(settings.value("Search/samples", kDefaultSamples).toInt());
    m_queries->setValue(settings.value("Search/queries", kDefaultQueries).toInt());
    m_seed->setValue(settings.value("Search/seed", 0).toInt());
    m_population->setValue(settings.value("Search/population", kDefaultPopulation).toInt());
    m_tournament->setValue(settings.value("Search/tournament", kDefaultTournament).toInt());
    m_warmup->setValue(settings.value("Search/warmup", kDefaultWarmup).toInt());
    m_mutations->setValue(settings.value("Search/mutations", kDefaultMutations).toInt());
    const int randomRuns = settings.value("Search/randomRuns", kDefaultRandomRuns).toInt();
    const int evolutionRuns = settings.value("Search/evolutionRuns", kDefaultEvolutionRuns).toInt();
    m_runsAreEvolution = isEvolution(strategy());
    m_runs->setValue(m_runsAreEvolution ? evolutionRuns : randomRuns);
    m_otherRuns = m_runsAreEvolution ? randomRuns : evolutionRuns;
    m_settingsLoaded = true;
}

void SearchPanel::saveSettings() const
{
    if (!m_settingsLoaded)
        return;
    QSettings settings;
    settings.setValue("Search/strategy", strategyKey(strategy()));
    settings.setValue("Search/samples", m_samples->value());
    settings.setValue("Search/queries", m_queries->value());
    settings.setValue("Search/seed", m_seed->value());
    settings.setValue("Search/population", m_population->value());
    settings.setValue("Search/tournament", m_tournament->value());
    settings.setValue("Search/warmup", m_warmup->value());
    settings.setValue("Search/mutations", m_mutations->value());
    settings.setValue(m_runsAreEvolution ? "Search/evolutionRuns" : "Search/randomRuns", m_runs->value());
    settings.setValue(m_runsAreEvolution ? "Search/randomRuns" : "Search/evolutionRuns", m_otherRuns);
    if (!m_target->currentText().isEmpty())
        settings.setValue("Search/target", m_target->currentText());
    if (!m_selectBy->currentText().isEmpty())
        settings.setValue("Search/selectBy", m_selectBy->currentText());
}

bool SearchPanel::isRunning() const
{
    return m_service->isRunning();
}

QString SearchPanel::run()
{
    if (!m_table || !m_space)
        return tr("Open a benchmark table first: the search judges its picks by the table's target column.");
    const SearchStrategy chosen = strategy();
    if (!isStrategyOffered(chosen))
        return tr("%1 has no mutation yet, so only random search is offered for it")
            .arg(QString::fromStdString(m_space->name()));
    const QString target = m_target->currentText();
    const QString selectBy = m_selectBy->currentText();
    const QHash<QString, double>* targets = m_table->column(target);
    const QHash<QString, double>* selection = isEvolution(chosen) ? m_table->column(selectBy) : nullptr;
    if (!targets || (isEvolution(chosen) && !selection))
        return tr("The table has no numeric column '%1'.").arg(targets ? selectBy : target);

    SearchRequest request;
    request.strategy = chosen;
    m_searched = chosen;
    request.space = m_space;
    request.candidates.higherTargetIsBetter = !lowerIsBetter(target);
    m_candidates.clear();
    m_candidateKeys.clear();
    // The scored set's rows with a value in the table, in the score table's order: the same candidates each time
    // for the same rows, so a seed means the same search.
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (m_model->origin(row) != ScoreTableModel::Origin::Batch)
            continue;
        const ScoredArch& scored = m_model->scored(row);
        if (&scored.arch.space() != m_space)
            continue;
        const QString key
            = QString::fromStdString(m_space->tableKey(NamedArch { scored.id.toStdString(), scored.arch }));
        const double value = targets->value(key, std::numeric_limits<double>::quiet_NaN());
        const double select = selection ? selection->value(key, std::numeric_limits<double>::quiet_NaN()) : 0.0;
        if (!std::isfinite(value) || !std::isfinite(select))
            continue;
        request.candidates.targets.push_back(value);
        request.candidates.scores.push_back(scored.isNan() ? std::numeric_limits<double>::quiet_NaN() : scored.score);
        if (selection)
            request.selectBy.push_back(select);
        request.archs.push_back(scored.arch);
        m_candidates.push_back({ scored.id.toStdString(), scored.arch });
        m_candidateKeys.push_back(scored.key());
    }
    if (m_candidates.empty())
        return tr("No scored architecture has a value in '%1'%2: score the table's architectures first (Scoring → "
                  "Score the Table's Cells).")
            .arg(target, selection ? tr(" and '%1'").arg(selectBy) : QString());

    request.random.samples = std::size_t(m_samples->value());
    request.random.runs = std::size_t(m_runs->value());
    request.random.seed = std::uint64_t(m_seed->value());
    request.evolution.population = std::size_t(m_population->value());
    request.evolution.tournament = std::size_t(m_tournament->value());
    request.evolution.queries = std::size_t(m_queries->value());
    const bool warmup = chosen == SearchStrategy::EvolutionWarmup || chosen == SearchStrategy::EvolutionBoth;
    const bool filter = chosen == SearchStrategy::EvolutionZeroCostMutation || chosen == SearchStrategy::EvolutionBoth;
    request.evolution.warmup = warmup ? std::size_t(m_warmup->value()) : 0;
    request.evolution.mutations = filter ? std::size_t(m_mutations->value()) : 1;
    request.evolution.runs = std::size_t(m_runs->value());
    request.evolution.seed = std::uint64_t(m_seed->value());

    m_outcome.reset();
    m_loadBest->setEnabled(false);
    m_bestLabel->clear();
    m_statisticsText.clear();
    Q_EMIT visitedChanged({}, {});
    showCurves({}, nullptr, std::nullopt);
    m_progress->setRange(0, m_runs->value());
    m_progress->setValue(0);
    m_progress->setTextVisible(true);
    m_statistics->setText(tr("Searching %L1 candidates…").arg(m_candidates.size()));
    m_service->start(std::move(request));
    setRunning(true);
    return {};
}

void SearchPanel::cancel()
{
    m_service->cancel();
}

void SearchPanel::setRunning(bool running)
{
    m_cancelButton->setEnabled(running);
    m_runButton->setText(running ? tr("Rest&art") : tr("&Run"));
}

void SearchPanel::onProgress(const SearchProgress& progress)
{
    m_progress->setRange(0, int(progress.runs));
    m_progress->setValue(int(progress.runsDone));
    showCurves(progress.trajectory, nullptr, std::nullopt);
}

void SearchPanel::onFinished(const SearchOutcome& outcome)
{
    setRunning(false);
    m_outcome = outcome;
    m_progress->setRange(0, int(outcome.runs));
    m_progress->setValue(int(outcome.runs));
    showCurves(outcome.trajectory, &outcome.randomTrajectory, outcome.tableOptimum);
    showStatistics(outcome);
    if (outcome.best < m_candidates.size()) {
        m_loadBest->setEnabled(true);
        const NamedArch& best = m_candidates[outcome.best];
        m_bestLabel->setText(tr("chosen in %1 of %2 runs: %3")
                                 .arg(outcome.bestCount)
                                 .arg(outcome.runs)
                                 .arg(QString::fromStdString(m_space->format(best.arch))));
        m_bestLabel->setToolTip(m_bestLabel->text());
    }
    QSet<QString> visited;
    for (std::size_t candidate : outcome.visited) {
        if (candidate < m_candidateKeys.size())
            visited.insert(m_candidateKeys[candidate]);
    }
    Q_EMIT visitedChanged(
        visited, isEvolution(outcome.strategy) ? tr("queried by search run 1") : tr("drawn by search run 1"));
}

void SearchPanel::onFailed(const QString& message)
{
    setRunning(false);
    m_statistics->setText(tr("The search could not run: %1").arg(message));
}

void SearchPanel::showCurves(const std::vector<search::Summary>& trajectory,
    const std::vector<search::Summary>* reference, std::optional<double> optimum)
{
    QVector<double> queries, mean, upper, lower;
    for (std::size_t i = 0; i < trajectory.size(); ++i) {
        const search::Summary& point = trajectory[i];
        if (point.n == 0)
            continue;
        queries.push_back(double(i + 1));
        mean.push_back(point.mean);
        upper.push_back(point.mean + point.std);
        lower.push_back(point.mean - point.std);
    }
    m_mean->setData(queries, mean, true);
    m_upper->setData(queries, upper, true);
    m_lower->setData(queries, lower, true);
    m_mean->setName(tr("%1: mean ± std over runs").arg(tr(kStrategies[int(m_searched)].label)));
    m_plot->legend->setVisible(!queries.isEmpty());
    QVector<double> referenceQueries, referenceMean;
    if (reference) {
        for (std::size_t i = 0; i < reference->size(); ++i) {
            referenceQueries.push_back(double(i + 1));
            referenceMean.push_back((*reference)[i].mean);
        }
    }
    m_reference->setData(referenceQueries, referenceMean, true);
    QVector<double> optimumX, optimumY;
    if (optimum && !queries.isEmpty()) {
        optimumX = { 1.0, queries.back() };
        optimumY = { *optimum, *optimum };
    }
    m_optimum->setData(optimumX, optimumY, true);
    for (QCPGraph* graph : { m_reference, m_optimum }) {
        if (graph->dataCount() > 0)
            graph->addToLegend();
        else
            graph->removeFromLegend();
    }
    m_plot->rescaleAxes();
    // Room above the optimum's line and below the band, which rescaleAxes() puts on the frame.
    const QCPRange range = m_plot->yAxis->range();
    const double pad = std::max(range.size() * 0.05, 1e-3);
    m_plot->yAxis->setRange(range.lower - pad, range.upper + pad);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void SearchPanel::showStatistics(const SearchOutcome& outcome)
{
    QStringList lines;
    lines << QStringLiteral("strategy=%1").arg(strategyKey(outcome.strategy));
    lines << QStringLiteral("runs=%1").arg(outcome.runs);
    lines << QStringLiteral("candidates=%1").arg(outcome.candidates);
    lines << QStringLiteral("unscored=%1").arg(outcome.unscored);
    lines << QStringLiteral("chosen_mean=%1").arg(cliNumber(outcome.chosen.mean));
    lines << QStringLiteral("chosen_std=%1").arg(cliNumber(outcome.chosen.std));
    lines << QStringLiteral("optimum_mean=%1").arg(cliNumber(outcome.optimum.mean));
    lines << QStringLiteral("optimum_std=%1").arg(cliNumber(outcome.optimum.std));
    lines << QStringLiteral("random_mean=%1").arg(cliNumber(outcome.random.mean));
    lines << QStringLiteral("random_std=%1").arg(cliNumber(outcome.random.std));
    lines << QStringLiteral("chosen_rank_mean=%1").arg(cliNumber(outcome.chosenRank.mean));
    lines << (isEvolution(outcome.strategy) ? QStringLiteral("runs_short=%1")
                                            : QStringLiteral("runs_without_choice=%1"))
                 .arg(outcome.runsIncomplete);
    m_statisticsText = lines.join(QLatin1Char('\n'));
    m_statistics->setToolTip(m_statisticsText);
    // Shown compactly, for a short dock; the tooltip and statisticsText() give the CLI's lines.
    m_statistics->setText(
        tr("chosen %1 ± %2 · optimum %3 ± %4 · random %5 ± %6 · chosen rank %7 · %L8 candidates, "
           "%L9 unscored · %L10 runs")
            .arg(shortNumber(outcome.chosen.mean), shortNumber(outcome.chosen.std), shortNumber(outcome.optimum.mean),
                shortNumber(outcome.optimum.std), shortNumber(outcome.random.mean), shortNumber(outcome.random.std),
                shortNumber(outcome.chosenRank.mean))
            .arg(outcome.candidates)
            .arg(outcome.unscored)
            .arg(outcome.runs));
}

QString SearchPanel::statisticsText() const
{
    return m_statisticsText;
}

void SearchPanel::loadBest()
{
    if (!m_outcome || m_outcome->best >= m_candidates.size())
        return;
    const NamedArch& best = m_candidates[m_outcome->best];
    Q_EMIT archRequested(best.arch, QString::fromStdString(best.id));
}

} // namespace epsinas::gui
