// SPDX-License-Identifier: MIT
#include "search/randomsearch.h"

#include "sampling.h"

#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>
#include <utility>

namespace epsinas::search {

using detail::Drawer;
using detail::runGenerator;
using detail::Running;

namespace {

void checkSamples(std::size_t candidateCount, std::size_t samples)
{
    if (samples == 0)
        throw std::invalid_argument("the number of samples must be at least 1");
    if (samples > candidateCount)
        throw std::invalid_argument("cannot draw " + std::to_string(samples)
            + " architectures without replacement from " + std::to_string(candidateCount)
            + " candidates; choose at most " + std::to_string(candidateCount));
}

} // namespace

std::vector<std::size_t> drawCandidates(
    std::size_t candidateCount, std::size_t samples, std::uint64_t seed, std::size_t run)
{
    checkSamples(candidateCount, samples);
    Drawer drawer(candidateCount);
    std::mt19937_64 generator = runGenerator(seed, run);
    std::vector<std::size_t> drawn;
    drawn.reserve(samples);
    drawer.draw(generator, samples, [&drawn](std::size_t candidate) { drawn.push_back(candidate); });
    return drawn;
}

Summary summarize(const std::vector<double>& values)
{
    Summary result;
    result.n = values.size();
    if (values.empty())
        return result;
    double sum = 0;
    for (double value : values)
        sum += value;
    result.mean = sum / double(values.size());
    double squares = 0;
    for (double value : values)
        squares += (value - result.mean) * (value - result.mean);
    result.std = std::sqrt(squares / double(values.size()));
    return result;
}

RandomSearchResult randomSearch(const Candidates& candidates, const RandomSearchOptions& options)
{
    const std::size_t count = candidates.targets.size();
    if (count == 0)
        throw std::invalid_argument("no candidate architectures to search (no table row with a target)");
    if (candidates.scores.size() != count)
        throw std::invalid_argument("the candidates' scores and targets differ in number");
    for (double target : candidates.targets) {
        if (!std::isfinite(target))
            throw std::invalid_argument("a candidate's target is not a finite number");
    }
    checkSamples(count, options.samples);
    if (options.runs == 0 || options.runs > kMaxRandomSearchRuns)
        throw std::invalid_argument("the number of runs must be from 1 to " + std::to_string(kMaxRandomSearchRuns)
            + ", got " + std::to_string(options.runs));
    if (options.runs > kMaxRandomSearchDraws / options.samples)
        throw std::invalid_argument(std::to_string(options.runs) + " runs of " + std::to_string(options.samples)
            + " samples are more than " + std::to_string(kMaxRandomSearchDraws)
            + " draws; choose fewer runs or samples");

    const bool higher = candidates.higherTargetIsBetter;
    const auto better = [higher](double a, double b) { return higher ? a > b : a < b; };
    const std::vector<double>& scores = candidates.scores;
    const std::vector<double>& targets = candidates.targets;

    RandomSearchResult result;
    result.runs.reserve(options.runs);
    std::vector<Running> optimumSoFar(options.trajectory ? options.samples : 0);
    std::vector<Running> chosenSoFar(optimumSoFar.size());
    std::vector<double> drawnTargets;
    drawnTargets.reserve(options.samples);
    Drawer drawer(count);
    RandomSearchProgress progress;
    progress.runs = options.runs;
    // The chosen targets of the runs so far, for the progress callback.
    Running chosenSoFarRuns;
    for (std::size_t r = 0; r < options.runs; ++r) {
        std::mt19937_64 generator = runGenerator(options.seed, r);
        RandomSearchRun run;
        drawnTargets.clear();
        std::size_t query = 0;
        drawer.draw(generator, options.samples, [&](std::size_t candidate) {
            if (run.random == RandomSearchRun::npos)
                run.random = candidate;
            // Strictly greater: the first drawn of equal scores (and of equal targets) wins, as NumPy's argmax.
            if (!std::isnan(scores[candidate])
                && (run.chosen == RandomSearchRun::npos || scores[candidate] > scores[run.chosen]))
                run.chosen = candidate;
            if (run.optimum == RandomSearchRun::npos || better(targets[candidate], targets[run.optimum]))
                run.optimum = candidate;
            drawnTargets.push_back(targets[candidate]);
            if (options.trajectory) {
                optimumSoFar[query].add(targets[run.optimum]);
                if (run.chosen != RandomSearchRun::npos)
                    chosenSoFar[query].add(targets[run.chosen]);
            }
            ++query;
        });
        if (run.chosen != RandomSearchRun::npos) {
            run.chosenRank = 1;
            for (double target : drawnTargets)
                run.chosenRank += better(target, targets[run.chosen]) ? 1 : 0;
        } else {
            ++result.runsWithoutChoice;
        }
        result.runs.push_back(run);
        if (options.progress) {
            if (run.chosen != RandomSearchRun::npos)
                chosenSoFarRuns.add(targets[run.chosen]);
            progress.runsDone = r + 1;
            progress.chosen = chosenSoFarRuns.summary();
            progress.trajectory.clear();
            for (std::size_t i = 0; i < optimumSoFar.size(); ++i)
                progress.trajectory.push_back({ optimumSoFar[i].summary(), chosenSoFar[i].summary() });
            if (!options.progress(progress)) {
                result.cancelled = true;
                break;
            }
        }
    }

    std::vector<double> chosen, optimum, random, ranks;
    for (const RandomSearchRun& run : result.runs) {
        optimum.push_back(targets[run.optimum]);
        random.push_back(targets[run.random]);
        if (run.chosen != RandomSearchRun::npos) {
            chosen.push_back(targets[run.chosen]);
            ranks.push_back(double(run.chosenRank));
        }
    }
    result.chosen = summarize(chosen);
    result.optimum = summarize(optimum);
    result.random = summarize(random);
    result.chosenRank = summarize(ranks);
    for (std::size_t i = 0; i < optimumSoFar.size(); ++i)
        result.trajectory.push_back({ optimumSoFar[i].summary(), chosenSoFar[i].summary() });
    return result;
}

} // namespace epsinas::search
