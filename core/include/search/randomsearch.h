// SPDX-License-Identifier: MIT
// Search with a zero-cost score, blind to the search space: the candidates are rows (a score and a benchmark target
// each), so the same code serves every space, a table of precomputed scores and the explorer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

namespace epsinas::search {

/** The architectures a search may pick from: one score and one target (e.g. a trained test accuracy) each. */
struct Candidates {
    /** The zero-cost score of each candidate; higher is better; NaN (no score) is never picked. */
    std::vector<double> scores;
    /** The benchmark target of each candidate, finite; what the search is judged by. */
    std::vector<double> targets;
    /** Whether a higher target is better (an accuracy) or a lower one (a loss). */
    bool higherTargetIsBetter = true;
};

struct RandomSearchProgress;

struct RandomSearchOptions {
    /** N: architectures drawn without replacement in each run (at most the number of candidates). */
    std::size_t samples = 1000;
    /** R: independent runs. */
    std::size_t runs = 500;
    /** Run r draws from a generator seeded by (seed, r) alone, so a run's draw does not depend on R. */
    std::uint64_t seed = 0;
    /** Whether to record each run's best-so-far targets (RandomSearchResult::trajectory). */
    bool trajectory = false;
    /**
     * Called after each run, on the searching thread, with what the runs so far found; returning false cancels the
     * search, which then returns the result of the runs done (RandomSearchResult::cancelled). None: no calls.
     */
    std::function<bool(const RandomSearchProgress&)> progress;
};

/** The most runs one search makes. */
constexpr std::size_t kMaxRandomSearchRuns = 100000;
/** The most draws (runs × samples) one search makes: a few seconds of work on one core (the paper's table: 500,000). */
constexpr std::size_t kMaxRandomSearchDraws = 100000000;

/** Mean and standard deviation over runs (population standard deviation, ddof = 0, as NumPy's std). */
struct Summary {
    double mean = std::numeric_limits<double>::quiet_NaN();
    double std = std::numeric_limits<double>::quiet_NaN();
    /** The runs the summary is over. */
    std::size_t n = 0;
};

/** One run of random search: positions in Candidates. */
struct RandomSearchRun {
    /** The drawn candidate with the highest score (the first drawn of equal scores); npos when none has a score. */
    std::size_t chosen = npos;
    /** The drawn candidate with the best target (the first drawn of equal targets). */
    std::size_t optimum = npos;
    /** One random candidate of the draw: the first drawn, which is uniform over the candidates. */
    std::size_t random = npos;
    /** 1 + the drawn candidates whose target is strictly better than the chosen one's; 0 when none is chosen. */
    std::size_t chosenRank = 0;

    static constexpr std::size_t npos = std::numeric_limits<std::size_t>::max();
};

/** Point i of a trajectory: over runs, after the first i + 1 draws of each. */
struct TrajectoryPoint {
    /** The best target drawn so far: random search that trains (queries the table for) every draw. */
    Summary optimum;
    /** The target of the best-scored architecture drawn so far: runs without a scored draw yet are left out. */
    Summary chosen;
};

/** What a random search has found after `runsDone` of its `runs` runs, for a progress display. */
struct RandomSearchProgress {
    std::size_t runsDone = 0;
    std::size_t runs = 0;
    /** The chosen candidate's target, over the runs done that chose one. */
    Summary chosen;
    /** The trajectory over the runs done, as RandomSearchResult::trajectory; empty without options.trajectory. */
    std::vector<TrajectoryPoint> trajectory;
};

struct RandomSearchResult {
    /** The runs made: all of them, or those done before the progress callback cancelled the search. */
    std::vector<RandomSearchRun> runs;
    /** The chosen candidate's target, over the runs that chose one. */
    Summary chosen;
    /** The best target of each draw. */
    Summary optimum;
    /** One random candidate's target of each draw. */
    Summary random;
    /** The chosen candidate's rank within its draw, over the runs that chose one. */
    Summary chosenRank;
    /** Runs whose draw held no scored candidate, so chose none. */
    std::size_t runsWithoutChoice = 0;
    /** Per query (draw) 1..N, when RandomSearchOptions::trajectory is set; else empty. */
    std::vector<TrajectoryPoint> trajectory;
    /** The progress callback cancelled the search: everything above is over the runs done (runs.size()). */
    bool cancelled = false;
};

/**
 * Random search with a zero-cost score (the paper's §4.3 table): each run draws `samples` candidates without
 * replacement and picks the best-scored one (NaN scores never win). Deterministic for given options, on every
 * platform (the generator and the draws are spelled out, not left to the standard library's distributions).
 * Throws std::invalid_argument with a message for the user when the candidates are empty or their vectors differ in
 * length, when a target is not finite, when samples is 0 or more than the candidates, when runs is 0 or above
 * kMaxRandomSearchRuns, or when runs × samples is above kMaxRandomSearchDraws. Run r's draw depends on (seed, r)
 * alone, so a search cancelled after k runs returns what a search of k runs returns (with cancelled set).
 */
RandomSearchResult randomSearch(const Candidates& candidates, const RandomSearchOptions& options);

/**
 * The candidates run `run` of a search from `seed` draws: `samples` distinct positions below `candidateCount`, in
 * draw order (a partial Fisher-Yates shuffle). Throws std::invalid_argument when samples exceeds candidateCount.
 */
std::vector<std::size_t> drawCandidates(
    std::size_t candidateCount, std::size_t samples, std::uint64_t seed, std::size_t run);

/** Mean and population standard deviation of `values` (NaN for none), computed in two passes. */
Summary summarize(const std::vector<double>& values);

} // namespace epsinas::search
