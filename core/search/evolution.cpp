// SPDX-License-Identifier: MIT
#include "search/evolution.h"

#include "sampling.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <stdexcept>
#include <string>

namespace epsinas::search {

namespace {

void checkEvolution(const EvolutionCandidates& input, const EvolutionOptions& options)
{
    const std::size_t count = input.candidates.targets.size();
    if (count == 0)
        throw std::invalid_argument("no candidate architectures to search (no table row with a target)");
    if (input.candidates.scores.size() != count || input.selectBy.size() != count || input.neighbours.size() != count)
        throw std::invalid_argument(
            "the candidates' scores, targets, selection values and neighbours differ in number");
    for (std::size_t i = 0; i < count; ++i) {
        if (!std::isfinite(input.candidates.targets[i]) || !std::isfinite(input.selectBy[i]))
            throw std::invalid_argument("a candidate's target or selection value is not a finite number");
        for (std::size_t neighbour : input.neighbours[i])
            if (neighbour >= count)
                throw std::invalid_argument("a candidate's neighbour is not a candidate");
    }
    if (options.population == 0)
        throw std::invalid_argument("the population must be at least 1");
    if (options.tournament == 0 || options.tournament > options.population)
        throw std::invalid_argument("the tournament must be from 1 to the population ("
            + std::to_string(options.population) + "), got " + std::to_string(options.tournament));
    if (options.queries < options.population || options.queries > count)
        throw std::invalid_argument("the queries must be from the population (" + std::to_string(options.population)
            + ") to the candidates (" + std::to_string(count) + "), got " + std::to_string(options.queries));
    if (options.warmup != 0 && (options.warmup < options.population || options.warmup > count))
        throw std::invalid_argument("the warm-up must be from the population (" + std::to_string(options.population)
            + ") to the candidates (" + std::to_string(count) + "), got " + std::to_string(options.warmup));
    if (options.mutations == 0)
        throw std::invalid_argument("the mutations proposed per child must be at least 1");
    if (options.runs == 0 || options.runs > kMaxRandomSearchRuns)
        throw std::invalid_argument("the number of runs must be from 1 to " + std::to_string(kMaxRandomSearchRuns)
            + ", got " + std::to_string(options.runs));
    if (options.mutations > kMaxMutations)
        throw std::invalid_argument("the mutations proposed per child must be at most " + std::to_string(kMaxMutations)
            + ", got " + std::to_string(options.mutations));
    // Each run costs its warm-up plus at most kMaxStepsPerQuery × Q steps of K + M draws. W, Q and K are at most
    // the candidates (held in memory) and M at most kMaxMutations, so the per-run product fits in 64 bits.
    const std::uint64_t perRun
        = std::uint64_t(options.warmup) + std::uint64_t(options.queries) * (options.tournament + options.mutations);
    if (perRun > kMaxEvolutionWork / options.runs)
        throw std::invalid_argument(std::to_string(options.runs) + " runs of " + std::to_string(options.queries)
            + " queries (warm-up " + std::to_string(options.warmup) + ", tournament "
            + std::to_string(options.tournament) + ", mutations " + std::to_string(options.mutations)
            + ") are more than " + std::to_string(kMaxEvolutionWork)
            + " draws; choose fewer runs, queries or a smaller warm-up");
}

} // namespace

EvolutionResult evolutionSearch(const EvolutionCandidates& input, const EvolutionOptions& options)
{
    checkEvolution(input, options);
    const std::vector<double>& scores = input.candidates.scores;
    const std::vector<double>& targets = input.candidates.targets;
    const std::vector<double>& selectBy = input.selectBy;
    const std::size_t count = targets.size();
    const bool higher = input.candidates.higherTargetIsBetter;
    const auto better = [higher](double a, double b) { return higher ? a > b : a < b; };
    // A NaN score never beats another, and any score beats NaN: NaN sorts last, as in random search's pick.
    const auto scoredAbove = [&scores](std::size_t a, std::size_t b) {
        return !std::isnan(scores[a]) && (std::isnan(scores[b]) || scores[a] > scores[b]);
    };

    EvolutionResult result;
    result.optimum = targets[0];
    for (double target : targets)
        result.optimum = better(target, result.optimum) ? target : result.optimum;
    std::vector<detail::Running> soFar(options.trajectory ? options.queries : 0);
    // queriedIn[c] == r + 1 when run r has queried candidate c: no clearing between runs.
    std::vector<std::size_t> queriedIn(count, 0);
    detail::Drawer drawer(count);
    std::vector<std::size_t> drawn;
    std::vector<std::size_t> order(options.population);
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::vector<std::size_t> swaps(options.tournament);
    EvolutionProgress progress;
    progress.runs = options.runs;
    // The chosen targets of the runs so far, for the progress callback.
    detail::Running chosenSoFarRuns;
    for (std::size_t r = 0; r < options.runs; ++r) {
        std::mt19937_64 generator = detail::runGenerator(options.seed, r);
        EvolutionRun run;
        run.queried.reserve(options.queries);
        const auto query = [&](std::size_t candidate) {
            if (queriedIn[candidate] == r + 1 || run.queries == options.queries)
                return;
            queriedIn[candidate] = r + 1;
            ++run.queries;
            run.queried.push_back(candidate);
            if (run.chosen == RandomSearchRun::npos || better(selectBy[candidate], selectBy[run.chosen]))
                run.chosen = candidate;
            if (options.trajectory)
                soFar[run.queries - 1].add(targets[run.chosen]);
        };

        drawn.clear();
        drawer.draw(generator, options.warmup ? options.warmup : options.population,
            [&drawn](std::size_t candidate) { drawn.push_back(candidate); });
        run.random = drawn.front();
        if (options.warmup)
            std::stable_sort(drawn.begin(), drawn.end(), scoredAbove);
        std::deque<std::size_t> population(drawn.begin(), drawn.begin() + std::ptrdiff_t(options.population));
        for (std::size_t member : population)
            query(member);

        for (std::size_t step = 0; run.queries < options.queries && step < kMaxStepsPerQuery * options.queries;
             ++step) {
            // The tournament: K distinct members by a partial Fisher-Yates shuffle of the population's positions,
            // undone afterwards, so a step costs O(K) and not O(P).
            std::size_t parent = RandomSearchRun::npos;
            for (std::size_t i = 0; i < options.tournament; ++i) {
                swaps[i] = i + detail::uniformBelow(generator, order.size() - i);
                std::swap(order[i], order[swaps[i]]);
                const std::size_t member = population[order[i]];
                if (parent == RandomSearchRun::npos || better(selectBy[member], selectBy[parent]))
                    parent = member;
            }
            for (std::size_t i = options.tournament; i-- > 0;)
                std::swap(order[i], order[swaps[i]]);
            const std::vector<std::size_t>& moves = input.neighbours[parent];
            std::size_t child = parent;
            // Of M proposals the filter keeps the best-scored one not queried yet in the run (a re-visit is a wasted
            // step, since it buys no information), else the best-scored; plain evolution (M = 1) takes its one draw.
            if (!moves.empty()) {
                child = moves[detail::uniformBelow(generator, moves.size())];
                for (std::size_t proposal = 1; proposal < options.mutations; ++proposal) {
                    const std::size_t other = moves[detail::uniformBelow(generator, moves.size())];
                    const bool otherFresh = queriedIn[other] != r + 1;
                    const bool childFresh = queriedIn[child] != r + 1;
                    if ((otherFresh && !childFresh) || (otherFresh == childFresh && scoredAbove(other, child)))
                        child = other;
                }
            }
            query(child);
            population.push_back(child);
            population.pop_front();
        }
        if (run.queries < options.queries) {
            ++result.runsShort;
            for (std::size_t q = run.queries; q < soFar.size(); ++q)
                soFar[q].add(targets[run.chosen]);
        }
        chosenSoFarRuns.add(targets[run.chosen]);
        result.runs.push_back(std::move(run));
        if (options.progress) {
            progress.runsDone = r + 1;
            progress.chosen = chosenSoFarRuns.summary();
            progress.trajectory.clear();
            for (const detail::Running& point : soFar)
                progress.trajectory.push_back(point.summary());
            if (!options.progress(progress)) {
                result.cancelled = true;
                break;
            }
        }
    }

    // Best target first, so the candidates strictly better than a chosen one are a prefix found by binary search.
    std::vector<double> ranked = targets;
    std::sort(ranked.begin(), ranked.end(), better);
    std::vector<double> chosen, random, ranks;
    for (const EvolutionRun& run : result.runs) {
        chosen.push_back(targets[run.chosen]);
        random.push_back(targets[run.random]);
        const auto firstNotBetter = std::lower_bound(ranked.begin(), ranked.end(), targets[run.chosen], better);
        ranks.push_back(double(1 + (firstNotBetter - ranked.begin())));
    }
    result.chosen = summarize(chosen);
    result.random = summarize(random);
    result.chosenRank = summarize(ranks);
    for (const detail::Running& point : soFar)
        result.trajectory.push_back(point.summary());
    return result;
}

} // namespace epsinas::search
