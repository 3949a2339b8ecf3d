// SPDX-License-Identifier: MIT
#include "searchworker.h"

#include "spaces/spaces.h"

#include <QElapsedTimer>
#include <QMutexLocker>

#include <algorithm>
#include <cmath>
#include <exception>
#include <stdexcept>
#include <string>
#include <tuple>
#include <unordered_map>

namespace epsinas::gui {

namespace {
// The most often a search reports progress: often enough for a live curve, rarely enough that a search of many short
// runs does not flood the GUI thread with trajectories.
constexpr qint64 kProgressIntervalMs = 40;

/** The candidate chosen most often, the earliest run's choice among equals, and how often. */
std::pair<std::size_t, std::size_t> mostChosen(const std::vector<std::size_t>& chosen)
{
    std::unordered_map<std::size_t, std::size_t> counts;
    std::size_t best = search::RandomSearchRun::npos;
    std::size_t bestCount = 0;
    for (std::size_t candidate : chosen) {
        if (candidate != search::RandomSearchRun::npos)
            ++counts[candidate];
    }
    for (std::size_t candidate : chosen) {
        if (candidate == search::RandomSearchRun::npos)
            continue;
        if (counts[candidate] > bestCount) {
            best = candidate;
            bestCount = counts[candidate];
        }
    }
    return { best, bestCount };
}

std::vector<search::Summary> optimumCurve(const std::vector<search::TrajectoryPoint>& trajectory)
{
    std::vector<search::Summary> curve;
    curve.reserve(trajectory.size());
    for (const search::TrajectoryPoint& point : trajectory)
        curve.push_back(point.optimum);
    return curve;
}

std::vector<search::Summary> chosenCurve(const std::vector<search::TrajectoryPoint>& trajectory)
{
    std::vector<search::Summary> curve;
    curve.reserve(trajectory.size());
    for (const search::TrajectoryPoint& point : trajectory)
        curve.push_back(point.chosen);
    return curve;
}

/** Stops the search once it is stale; reports its progress at most every kProgressIntervalMs. */
class ProgressGate {
public:
    ProgressGate(const SearchMailbox& mailbox, quint64 generation)
        : m_mailbox(mailbox)
        , m_generation(generation)
    {
        m_clock.start();
    }
    bool live() const { return m_mailbox.liveGeneration.load() == m_generation; }
    /** Whether a report is due now; restarts the interval when it is. */
    bool due()
    {
        if (m_clock.elapsed() < kProgressIntervalMs)
            return false;
        m_clock.restart();
        return true;
    }
    quint64 generation() const { return m_generation; }

private:
    const SearchMailbox& m_mailbox;
    quint64 m_generation;
    QElapsedTimer m_clock;
};
} // namespace

QString strategyKey(SearchStrategy strategy)
{
    switch (strategy) {
    case SearchStrategy::Random:
        return QStringLiteral("random");
    case SearchStrategy::Evolution:
        return QStringLiteral("evolution");
    case SearchStrategy::EvolutionWarmup:
        return QStringLiteral("evolution-warmup");
    case SearchStrategy::EvolutionZeroCostMutation:
        return QStringLiteral("evolution-zc-mutation");
    case SearchStrategy::EvolutionBoth:
        return QStringLiteral("evolution-both");
    }
    return QStringLiteral("random");
}

SearchStrategy strategyOfKey(const QString& key)
{
    for (SearchStrategy strategy : { SearchStrategy::Evolution, SearchStrategy::EvolutionWarmup,
             SearchStrategy::EvolutionZeroCostMutation, SearchStrategy::EvolutionBoth }) {
        if (strategyKey(strategy) == key)
            return strategy;
    }
    return SearchStrategy::Random;
}

SearchWorker::SearchWorker(std::shared_ptr<SearchMailbox> mailbox)
    : m_mailbox(std::move(mailbox))
{
}

void SearchWorker::serve()
{
    m_mailbox->wakePending = false;
    std::unique_ptr<SearchRequest> request;
    quint64 generation = 0;
    {
        QMutexLocker lock(&m_mailbox->mutex);
        request = std::move(m_mailbox->request);
        generation = m_mailbox->requestGeneration;
    }
    if (!request || generation != m_mailbox->liveGeneration.load())
        return;
    try {
        SearchOutcome outcome = run(generation, *request);
        // A search cancelled by a newer request (or by Cancel) has nothing to report.
        if (generation == m_mailbox->liveGeneration.load())
            Q_EMIT searchFinished(outcome);
    } catch (const std::exception& error) {
        // Core's refusals (std::invalid_argument, one line for the user) and anything else: never let an exception
        // cross into the event loop.
        Q_EMIT searchFailed(generation, QString::fromStdString(error.what()));
    }
}

SearchOutcome SearchWorker::run(quint64 generation, const SearchRequest& request)
{
    ProgressGate gate(*m_mailbox, generation);
    SearchOutcome outcome;
    outcome.generation = generation;
    outcome.strategy = request.strategy;
    const search::Candidates& candidates = request.candidates;
    outcome.candidates = candidates.targets.size();
    for (double score : candidates.scores)
        outcome.unscored += std::isnan(score) ? 1 : 0;
    const auto better = [&candidates](double a, double b) { return candidates.higherTargetIsBetter ? a > b : a < b; };
    if (!candidates.targets.empty())
        outcome.tableOptimum = *std::max_element(candidates.targets.begin(), candidates.targets.end(),
            [&better](double a, double b) { return better(b, a); });

    if (!isEvolution(request.strategy)) {
        search::RandomSearchOptions options = request.random;
        options.trajectory = true;
        options.progress = [this, &gate](const search::RandomSearchProgress& progress) {
            if (!gate.live())
                return false;
            if (gate.due())
                Q_EMIT progressChanged(
                    { gate.generation(), progress.runsDone, progress.runs, chosenCurve(progress.trajectory) });
            return true;
        };
        const search::RandomSearchResult result = search::randomSearch(candidates, options);
        outcome.runs = result.runs.size();
        outcome.chosen = result.chosen;
        outcome.optimum = result.optimum;
        outcome.random = result.random;
        outcome.chosenRank = result.chosenRank;
        outcome.runsIncomplete = result.runsWithoutChoice;
        outcome.queriesMean = double(options.samples);
        outcome.trajectory = chosenCurve(result.trajectory);
        outcome.randomTrajectory = optimumCurve(result.trajectory);
        std::vector<std::size_t> chosen;
        for (const search::RandomSearchRun& run : result.runs)
            chosen.push_back(run.chosen);
        std::tie(outcome.best, outcome.bestCount) = mostChosen(chosen);
        if (!result.runs.empty())
            outcome.visited = search::drawCandidates(candidates.targets.size(), options.samples, options.seed, 0);
        return outcome;
    }

    if (!request.space || !request.space->mutates())
        throw std::invalid_argument("this space has no mutation yet, so only random search is offered for it");
    search::EvolutionCandidates input { candidates, request.selectBy,
        mutationNeighbours(*request.space, { request.archs.begin(), request.archs.end() }) };
    if (!gate.live())
        return outcome;
    // The reference: plain random search that trains each of as many draws as evolution has queries.
    search::RandomSearchOptions reference;
    reference.samples = request.evolution.queries;
    reference.runs = request.evolution.runs;
    reference.seed = request.evolution.seed;
    reference.trajectory = true;
    const search::RandomSearchResult plain = search::randomSearch(candidates, reference);
    outcome.randomTrajectory = optimumCurve(plain.trajectory);

    search::EvolutionOptions options = request.evolution;
    options.trajectory = true;
    options.progress = [this, &gate](const search::EvolutionProgress& progress) {
        if (!gate.live())
            return false;
        if (gate.due())
            Q_EMIT progressChanged({ gate.generation(), progress.runsDone, progress.runs, progress.trajectory });
        return true;
    };
    const search::EvolutionResult result = search::evolutionSearch(input, options);
    outcome.runs = result.runs.size();
    outcome.chosen = result.chosen;
    outcome.optimum = { result.optimum, 0.0, result.runs.size() };
    outcome.random = result.random;
    outcome.chosenRank = result.chosenRank;
    outcome.runsIncomplete = result.runsShort;
    std::size_t queries = 0;
    std::vector<std::size_t> chosen;
    for (const search::EvolutionRun& run : result.runs) {
        queries += run.queries;
        chosen.push_back(run.chosen);
    }
    outcome.queriesMean = result.runs.empty() ? 0.0 : double(queries) / double(result.runs.size());
    outcome.trajectory = result.trajectory;
    std::tie(outcome.best, outcome.bestCount) = mostChosen(chosen);
    if (!result.runs.empty())
        outcome.visited = result.runs.front().queried;
    return outcome;
}

} // namespace epsinas::gui
