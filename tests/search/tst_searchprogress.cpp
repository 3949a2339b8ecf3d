// SPDX-License-Identifier: MIT
// The progress callback of random search and ageing evolution: called once per run with what the runs so far found,
// and a search it cancels returns exactly what a search of the runs done returns.
#include "search/evolution.h"
#include "search/randomsearch.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace epsinas::search;

namespace {
// Candidates of the made-up searches.
constexpr std::size_t kCandidates = 300;

/** Scores that rank the targets only roughly, every 11th NaN, and targets spread over 50..100. */
Candidates makeCandidates()
{
    Candidates candidates;
    for (std::size_t i = 0; i < kCandidates; ++i) {
        const double target = 50 + std::fmod(double(i) * 37.0, 50.0);
        candidates.targets.push_back(target);
        candidates.scores.push_back(
            i % 11 == 0 ? std::numeric_limits<double>::quiet_NaN() : target + std::fmod(double(i) * 13.0, 17.0));
    }
    return candidates;
}

/** The same, with a validation value near the target and a ring of neighbours (±1 and ±7). */
EvolutionCandidates makeEvolutionCandidates()
{
    EvolutionCandidates input;
    input.candidates = makeCandidates();
    for (std::size_t i = 0; i < kCandidates; ++i) {
        input.selectBy.push_back(input.candidates.targets[i] - std::fmod(double(i) * 3.0, 2.0));
        input.neighbours.push_back({ (i + 1) % kCandidates, (i + kCandidates - 1) % kCandidates, (i + 7) % kCandidates,
            (i + kCandidates - 7) % kCandidates });
    }
    return input;
}

void compareSummaries(const Summary& actual, const Summary& expected)
{
    QCOMPARE(actual.n, expected.n);
    QCOMPARE(actual.mean, expected.mean);
    QCOMPARE(actual.std, expected.std);
}
} // namespace

class TestSearchProgress : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void randomSearchReportsEveryRun()
    {
        RandomSearchOptions options;
        options.samples = 40;
        options.runs = 25;
        options.seed = 7;
        options.trajectory = true;
        std::vector<std::size_t> done;
        std::vector<RandomSearchProgress> seen;
        options.progress = [&](const RandomSearchProgress& progress) {
            done.push_back(progress.runsDone);
            seen.push_back(progress);
            return true;
        };
        const RandomSearchResult result = randomSearch(makeCandidates(), options);
        QVERIFY(!result.cancelled);
        QCOMPARE(done.size(), options.runs);
        for (std::size_t i = 0; i < done.size(); ++i) {
            QCOMPARE(done[i], i + 1);
            QCOMPARE(seen[i].runs, options.runs);
            QCOMPARE(seen[i].trajectory.size(), options.samples);
        }
        // The last report is the whole search: its trajectory is the result's, its chosen summary the result's
        // (Welford's running mean against the two-pass one).
        for (std::size_t q = 0; q < options.samples; ++q) {
            compareSummaries(seen.back().trajectory[q].optimum, result.trajectory[q].optimum);
            compareSummaries(seen.back().trajectory[q].chosen, result.trajectory[q].chosen);
        }
        QCOMPARE(seen.back().chosen.n, result.chosen.n);
        QVERIFY(std::abs(seen.back().chosen.mean - result.chosen.mean) < 1e-9);
        QVERIFY(std::abs(seen.back().chosen.std - result.chosen.std) < 1e-9);
        // An early report is over fewer runs: after one run each point is that run's value, with no spread.
        QCOMPARE(seen.front().trajectory.back().optimum.n, std::size_t(1));
        QCOMPARE(seen.front().trajectory.back().optimum.std, 0.0);
    }

    void randomSearchCancelledIsTheSearchOfTheRunsDone_data()
    {
        QTest::addColumn<int>("stopAfter");
        QTest::newRow("after the first run") << 1;
        QTest::newRow("midway") << 9;
        QTest::newRow("before the last run") << 24;
    }

    void randomSearchCancelledIsTheSearchOfTheRunsDone()
    {
        QFETCH(int, stopAfter);
        RandomSearchOptions options;
        options.samples = 40;
        options.runs = 25;
        options.seed = 3;
        options.trajectory = true;
        int calls = 0;
        options.progress = [&](const RandomSearchProgress& progress) {
            ++calls;
            return progress.runsDone < std::size_t(stopAfter);
        };
        const RandomSearchResult cancelled = randomSearch(makeCandidates(), options);
        QVERIFY(cancelled.cancelled);
        QCOMPARE(calls, stopAfter);
        QCOMPARE(cancelled.runs.size(), std::size_t(stopAfter));

        RandomSearchOptions shorter = options;
        shorter.runs = std::size_t(stopAfter);
        shorter.progress = nullptr;
        const RandomSearchResult expected = randomSearch(makeCandidates(), shorter);
        QVERIFY(!expected.cancelled);
        for (std::size_t r = 0; r < expected.runs.size(); ++r) {
            QCOMPARE(cancelled.runs[r].chosen, expected.runs[r].chosen);
            QCOMPARE(cancelled.runs[r].optimum, expected.runs[r].optimum);
            QCOMPARE(cancelled.runs[r].random, expected.runs[r].random);
        }
        compareSummaries(cancelled.chosen, expected.chosen);
        compareSummaries(cancelled.optimum, expected.optimum);
        compareSummaries(cancelled.random, expected.random);
        compareSummaries(cancelled.chosenRank, expected.chosenRank);
        QCOMPARE(cancelled.runsWithoutChoice, expected.runsWithoutChoice);
        QCOMPARE(cancelled.trajectory.size(), expected.trajectory.size());
        for (std::size_t q = 0; q < expected.trajectory.size(); ++q)
            compareSummaries(cancelled.trajectory[q].optimum, expected.trajectory[q].optimum);
    }

    void evolutionReportsEveryRun_data()
    {
        QTest::addColumn<std::size_t>("warmup");
        QTest::addColumn<std::size_t>("mutations");
        QTest::newRow("evolution") << std::size_t(0) << std::size_t(1);
        QTest::newRow("evolution-both") << std::size_t(60) << std::size_t(4);
    }

    void evolutionReportsEveryRun()
    {
        QFETCH(std::size_t, warmup);
        QFETCH(std::size_t, mutations);
        EvolutionOptions options;
        options.population = 10;
        options.tournament = 3;
        options.queries = 50;
        options.warmup = warmup;
        options.mutations = mutations;
        options.runs = 12;
        options.seed = 5;
        options.trajectory = true;
        std::vector<EvolutionProgress> seen;
        options.progress = [&](const EvolutionProgress& progress) {
            seen.push_back(progress);
            return true;
        };
        const EvolutionResult result = evolutionSearch(makeEvolutionCandidates(), options);
        QVERIFY(!result.cancelled);
        QCOMPARE(seen.size(), options.runs);
        for (std::size_t i = 0; i < seen.size(); ++i) {
            QCOMPARE(seen[i].runsDone, i + 1);
            QCOMPARE(seen[i].runs, options.runs);
            QCOMPARE(seen[i].trajectory.size(), options.queries);
            QCOMPARE(seen[i].trajectory.front().n, i + 1);
        }
        for (std::size_t q = 0; q < options.queries; ++q)
            compareSummaries(seen.back().trajectory[q], result.trajectory[q]);
        QVERIFY(std::abs(seen.back().chosen.mean - result.chosen.mean) < 1e-9);
    }

    void evolutionCancelledIsTheSearchOfTheRunsDone()
    {
        EvolutionOptions options;
        options.population = 10;
        options.tournament = 5;
        options.queries = 60;
        options.mutations = 3;
        options.runs = 20;
        options.seed = 11;
        options.trajectory = true;
        options.progress = [](const EvolutionProgress& progress) { return progress.runsDone < 6; };
        const EvolutionResult cancelled = evolutionSearch(makeEvolutionCandidates(), options);
        QVERIFY(cancelled.cancelled);
        QCOMPARE(cancelled.runs.size(), std::size_t(6));

        EvolutionOptions shorter = options;
        shorter.runs = 6;
        shorter.progress = nullptr;
        const EvolutionResult expected = evolutionSearch(makeEvolutionCandidates(), shorter);
        for (std::size_t r = 0; r < expected.runs.size(); ++r) {
            QCOMPARE(cancelled.runs[r].chosen, expected.runs[r].chosen);
            QCOMPARE(cancelled.runs[r].queried, expected.runs[r].queried);
        }
        compareSummaries(cancelled.chosen, expected.chosen);
        compareSummaries(cancelled.random, expected.random);
        compareSummaries(cancelled.chosenRank, expected.chosenRank);
        QCOMPARE(cancelled.runsShort, expected.runsShort);
        for (std::size_t q = 0; q < expected.trajectory.size(); ++q)
            compareSummaries(cancelled.trajectory[q], expected.trajectory[q]);
    }

    void withoutCallbackNothingIsCancelled()
    {
        RandomSearchOptions options;
        options.samples = 10;
        options.runs = 5;
        const RandomSearchResult result = randomSearch(makeCandidates(), options);
        QVERIFY(!result.cancelled);
        QCOMPARE(result.runs.size(), std::size_t(5));
    }
};

QTEST_GUILESS_MAIN(TestSearchProgress)
#include "tst_searchprogress.moc"
