// SPDX-License-Identifier: MIT
// Ageing (regularised) evolution over candidates (Real et al. 2019), with epsinas as a zero-cost warm-up and as a
// mutation filter (the paper's Integration.ipynb). Blind to the search space: a mutation is a move to one of a
// candidate's neighbours, which the caller lists (e.g. the NB201 cells one edge's op away).
#pragma once

#include "search/randomsearch.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace epsinas::search {

/** The architectures evolution may visit: what random search sees, plus the validation column and the mutations. */
struct EvolutionCandidates {
    /** The zero-cost score (higher is better, NaN never preferred) and the reported target of each candidate. */
    Candidates candidates;
    /** The value "training" a candidate yields, which selection uses (a validation accuracy or loss), finite. */
    std::vector<double> selectBy;
    /** Positions of the candidates one mutation away from each candidate; a candidate without any never changes. */
    std::vector<std::vector<std::size_t>> neighbours;
};

struct EvolutionProgress;

struct EvolutionOptions {
    /** P: the population's size; the first P architectures queried form it. */
    std::size_t population = 10;
    /** K: each tournament samples K members without replacement; the best by selectBy is the parent. */
    std::size_t tournament = 5;
    /** Q: the budget, in queries (lookups of architectures not queried before in the run). */
    std::size_t queries = 300;
    /** W: 0 for a random initial population; else W random candidates are scored (no queries) and the P best-scored
     * start the population. */
    std::size_t warmup = 0;
    /** M: mutations proposed per child (uniform over the parent's neighbours, with replacement); 1 is plain
     * evolution; more keeps the best-scored proposal not queried yet in the run, else the best-scored (no queries). */
    std::size_t mutations = 1;
    std::size_t runs = 100;
    /** Run r draws from a generator seeded by (seed, r) alone, as random search. */
    std::uint64_t seed = 0;
    bool trajectory = false;
    /**
     * Called after each run, on the searching thread; returning false cancels the search, which then returns the
     * result of the runs done (EvolutionResult::cancelled). None: no calls.
     */
    std::function<bool(const EvolutionProgress&)> progress;
};

/** The most draws one evolution makes, runs × (W + Q × (K + M)): a few seconds on one core. */
constexpr std::uint64_t kMaxEvolutionWork = 100000000;
/** The most mutations proposed per child. */
constexpr std::size_t kMaxMutations = 1000;
/** A run stops after this many steps per query of its budget: a run whose neighbourhood is used up ends early. */
constexpr std::size_t kMaxStepsPerQuery = 10;

struct EvolutionRun {
    /** The queried candidate with the best selectBy value at the end (the first queried of equals). */
    std::size_t chosen = RandomSearchRun::npos;
    /** The first candidate the run drew: a uniformly random one. */
    std::size_t random = RandomSearchRun::npos;
    /** The queries the run made: Q, or fewer when it ran out of new architectures within its step bound. */
    std::size_t queries = 0;
    /** The candidates queried, in query order. */
    std::vector<std::size_t> queried;
};

/** What an evolution has found after `runsDone` of its `runs` runs, for a progress display. */
struct EvolutionProgress {
    std::size_t runsDone = 0;
    std::size_t runs = 0;
    /** The chosen candidate's target, over the runs done. */
    Summary chosen;
    /** The trajectory over the runs done, as EvolutionResult::trajectory; empty without options.trajectory. */
    std::vector<Summary> trajectory;
};

struct EvolutionResult {
    /** The runs made: all of them, or those done before the progress callback cancelled the search. */
    std::vector<EvolutionRun> runs;
    /** The chosen candidate's target. */
    Summary chosen;
    /** The first drawn candidate's target. */
    Summary random;
    /** 1 + the candidates (all of them) whose target is strictly better than the chosen one's. */
    Summary chosenRank;
    /** The best target among all candidates (what an oracle would pick); std 0. */
    double optimum = 0;
    /** Runs that made fewer than Q queries. */
    std::size_t runsShort = 0;
    /** Per query 1..Q, the target of the best-by-selectBy queried so far (a short run keeps its last value). */
    std::vector<Summary> trajectory;
    /** The progress callback cancelled the search: everything above is over the runs done (runs.size()). */
    bool cancelled = false;
};

/**
 * Ageing evolution: a population of P (random, or the P best-scored of W random candidates), then repeatedly a
 * tournament of K picks the parent, a mutation of it (the best-scored of M proposals) is the child, which joins the
 * population while the oldest member dies. Each architecture not queried before in the run costs one query; the
 * run ends after Q. Deterministic for given options. Throws std::invalid_argument with a message for the user for
 * empty or mismatched candidates, a non-finite target or selectBy value, a neighbour out of range, P or K of 0,
 * K > P, Q < P or Q above the candidates, W in 1..P-1 or above the candidates, M of 0 or above kMaxMutations, runs
 * of 0 or above kMaxRandomSearchRuns, or runs × (W + Q × (K + M)) above kMaxEvolutionWork. As in random search, a
 * search cancelled after k runs returns what a search of k runs returns (with cancelled set).
 */
EvolutionResult evolutionSearch(const EvolutionCandidates& candidates, const EvolutionOptions& options);

} // namespace epsinas::search
