// SPDX-License-Identifier: MIT
#pragma once

#include "search/evolution.h"
#include "search/randomsearch.h"
#include "space/searchspace.h"

#include <QMetaType>
#include <QString>

#include <vector>

namespace epsinas::gui {

/** The strategies of `epsinas search --strategy`, in the order the panel lists them. */
enum class SearchStrategy { Random, Evolution, EvolutionWarmup, EvolutionZeroCostMutation, EvolutionBoth };

/** The strategy's name as the CLI spells it (e.g. "evolution-zc-mutation"). */
QString strategyKey(SearchStrategy strategy);
/** The strategy of a CLI name; Random for an unknown one. */
SearchStrategy strategyOfKey(const QString& key);
/** Whether the strategy is one of the ageing-evolution ones, which need a space that mutates. */
inline bool isEvolution(SearchStrategy strategy)
{
    return strategy != SearchStrategy::Random;
}

/**
 * One search the GUI asks for: the options, and the candidates as the panel built them from the loaded table and the
 * scored set (one per architecture, in the score table's row order), with what identifies each in the explorer.
 */
struct SearchRequest {
    SearchStrategy strategy = SearchStrategy::Random;
    /** samples, runs and seed for random search (the progress callback is the worker's). */
    search::RandomSearchOptions random;
    /** The options for the evolution strategies (warmup and mutations as the strategy needs them). */
    search::EvolutionOptions evolution;
    search::Candidates candidates;
    /** The select-by value of each candidate, for evolution; empty for random search. */
    std::vector<double> selectBy;
    /** The architecture of each candidate: the worker lists each one's neighbours by the space's mutation. */
    std::vector<Arch> archs;
    /** The space of archs; its mutation must exist for evolution. */
    const SearchSpace* space = nullptr;
};

/** A search's progress after some runs, stamped with its generation; trajectories are per query 1..budget. */
struct SearchProgress {
    quint64 generation = 0;
    std::size_t runsDone = 0;
    std::size_t runs = 0;
    /** The strategy's best-so-far target (random: of the best-scored drawn; evolution: of the best-by-select-by). */
    std::vector<search::Summary> trajectory;
};

/** A finished search: the statistics `epsinas search` prints, the curves, and the architectures to show. */
struct SearchOutcome {
    quint64 generation = 0;
    SearchStrategy strategy = SearchStrategy::Random;
    std::size_t runs = 0;
    std::size_t candidates = 0;
    /** Candidates whose score is NaN. */
    std::size_t unscored = 0;
    /** The chosen architecture's target over the runs (that chose one, for random search). */
    search::Summary chosen;
    /** Random search: the best target of each draw; evolution: the best target of all candidates (std 0). */
    search::Summary optimum;
    search::Summary random;
    search::Summary chosenRank;
    /** Random: runs whose draw held no scored candidate; evolution: runs that made fewer than Q queries. */
    std::size_t runsIncomplete = 0;
    /** Evolution: the mean queries per run. */
    double queriesMean = 0;
    /** The strategy's best-so-far target per query (the panel's main curve). */
    std::vector<search::Summary> trajectory;
    /**
     * Plain random search that trains every draw, at the same budget, runs and seed (its optimum trajectory): the
     * reference every zero-cost strategy should beat.
     */
    std::vector<search::Summary> randomTrajectory;
    /** The best target of all candidates. */
    double tableOptimum = 0;
    /** The candidate chosen most often over the runs (the first run's choice among equals); npos for none. */
    std::size_t best = search::RandomSearchRun::npos;
    /** How many runs chose `best`. */
    std::size_t bestCount = 0;
    /** The candidates the first run visited: drawn (random search) or queried (evolution), in order. */
    std::vector<std::size_t> visited;
};

} // namespace epsinas::gui

Q_DECLARE_METATYPE(epsinas::gui::SearchProgress)
Q_DECLARE_METATYPE(epsinas::gui::SearchOutcome)
