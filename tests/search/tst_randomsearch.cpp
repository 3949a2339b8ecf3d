// SPDX-License-Identifier: MIT
// Random search over candidates (core/search): what it picks, that it draws without replacement and uniformly, and
// that a seed means the same runs.
#include "search/randomsearch.h"

#include <QtTest>

#include <cmath>
#include <limits>
#include <set>
#include <stdexcept>

using namespace epsinas::search;

namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

RandomSearchOptions optionsOf(std::size_t samples, std::size_t runs, std::uint64_t seed, bool trajectory)
{
    RandomSearchOptions options;
    options.samples = samples;
    options.runs = runs;
    options.seed = seed;
    options.trajectory = trajectory;
    return options;
}

bool sameRuns(const RandomSearchResult& a, const RandomSearchResult& b)
{
    if (a.runs.size() != b.runs.size())
        return false;
    for (std::size_t i = 0; i < a.runs.size(); ++i) {
        const RandomSearchRun& x = a.runs[i];
        const RandomSearchRun& y = b.runs[i];
        if (x.chosen != y.chosen || x.optimum != y.optimum || x.random != y.random || x.chosenRank != y.chosenRank)
            return false;
    }
    return true;
}

// 200 candidates: targets 0..199, scores that rank them with noise, a third of them unscored (NaN).
Candidates noisyCandidates()
{
    Candidates candidates;
    for (int i = 0; i < 200; ++i) {
        candidates.targets.push_back(i);
        candidates.scores.push_back(i % 3 == 0 ? kNan : i + 40.0 * std::sin(i * 12.9898));
    }
    return candidates;
}

} // namespace

class TestRandomSearch : public QObject {
    Q_OBJECT

private slots:
    void wholeDrawPicksTheBestScore_data();
    void wholeDrawPicksTheBestScore();
    void nanNeverWins();
    void drawsWithoutReplacement_data();
    void drawsWithoutReplacement();
    void firstDrawIsUniform();
    void agreesWithItsDraws();
    void seedReproducesRuns();
    void refusesImpossibleOptions_data();
    void refusesImpossibleOptions();
    void trajectoryEndsAtTheResult();
    void summaryIsPopulationStd();
};

void TestRandomSearch::wholeDrawPicksTheBestScore_data()
{
    QTest::addColumn<bool>("higherIsBetter");
    QTest::addColumn<double>("chosen");
    QTest::addColumn<double>("optimum");
    QTest::addColumn<double>("rank");
    // Scores 1, 3, 2 for targets 10, 20, 30: the pick is the target 20, whatever the order drawn.
    QTest::newRow("accuracy") << true << 20.0 << 30.0 << 2.0;
    QTest::newRow("loss") << false << 20.0 << 10.0 << 2.0;
}

void TestRandomSearch::wholeDrawPicksTheBestScore()
{
    QFETCH(bool, higherIsBetter);
    QFETCH(double, chosen);
    QFETCH(double, optimum);
    QFETCH(double, rank);
    Candidates candidates { { 1, 3, 2 }, { 10, 20, 30 }, higherIsBetter };
    RandomSearchOptions options;
    options.samples = 3;
    options.runs = 20;
    const RandomSearchResult result = randomSearch(candidates, options);
    QCOMPARE(result.chosen.mean, chosen);
    QCOMPARE(result.chosen.std, 0.0);
    QCOMPARE(result.optimum.mean, optimum);
    QCOMPARE(result.chosenRank.mean, rank);
    QCOMPARE(result.chosen.n, std::size_t(20));
    QCOMPARE(result.runsWithoutChoice, std::size_t(0));
}

void TestRandomSearch::nanNeverWins()
{
    // The best targets are unscored; the one scored candidate is the worst, and is picked whenever it is drawn.
    Candidates candidates { { kNan, kNan, kNan, -1e300 }, { 100, 99, 98, 1 }, true };
    RandomSearchOptions options;
    options.samples = 2;
    options.runs = 300;
    const RandomSearchResult result = randomSearch(candidates, options);
    std::size_t drawnScored = 0;
    for (std::size_t r = 0; r < options.runs; ++r) {
        const std::vector<std::size_t> drawn = drawCandidates(4, 2, options.seed, r);
        const bool scoredDrawn = drawn[0] == 3 || drawn[1] == 3;
        drawnScored += scoredDrawn ? 1 : 0;
        QCOMPARE(result.runs[r].chosen, scoredDrawn ? std::size_t(3) : RandomSearchRun::npos);
    }
    // Half the draws of 2 from 4 hold candidate 3; both kinds of run occur.
    QVERIFY(drawnScored > 100 && drawnScored < 200);
    QCOMPARE(result.runsWithoutChoice, options.runs - drawnScored);
    QCOMPARE(result.chosen.n, drawnScored);
    QCOMPARE(result.chosen.mean, 1.0);
    QCOMPARE(result.chosenRank.mean, 2.0);

    Candidates unscored { { kNan, kNan }, { 1, 2 }, true };
    const RandomSearchResult none = randomSearch(unscored, optionsOf(2, 5, 0, false));
    QCOMPARE(none.runsWithoutChoice, std::size_t(5));
    QVERIFY(std::isnan(none.chosen.mean));
    QCOMPARE(none.optimum.mean, 2.0);
}

void TestRandomSearch::drawsWithoutReplacement_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("samples");
    QTest::newRow("all of them") << 100 << 100;
    QTest::newRow("a fifth") << 15625 << 3125;
    QTest::newRow("one") << 7 << 1;
}

void TestRandomSearch::drawsWithoutReplacement()
{
    QFETCH(int, count);
    QFETCH(int, samples);
    for (std::size_t run = 0; run < 5; ++run) {
        const std::vector<std::size_t> drawn = drawCandidates(count, samples, 42, run);
        QCOMPARE(int(drawn.size()), samples);
        const std::set<std::size_t> distinct(drawn.begin(), drawn.end());
        QCOMPARE(int(distinct.size()), samples);
        QVERIFY(*distinct.rbegin() < std::size_t(count));
    }
}

void TestRandomSearch::firstDrawIsUniform()
{
    // 10 candidates, 20,000 runs: each is drawn first 2,000 times on average (sd ≈ 42); a biased draw (e.g. a
    // modulo bias, or a shuffle that starts from the previous run's order) lands far outside 1,800..2,200.
    std::vector<int> firsts(10, 0);
    std::vector<int> seconds(10, 0);
    for (std::size_t run = 0; run < 20000; ++run) {
        const std::vector<std::size_t> drawn = drawCandidates(10, 2, 7, run);
        ++firsts[drawn[0]];
        ++seconds[drawn[1]];
    }
    for (int i = 0; i < 10; ++i) {
        QVERIFY2(firsts[i] > 1800 && firsts[i] < 2200, qPrintable(QString("first %1: %2").arg(i).arg(firsts[i])));
        QVERIFY2(seconds[i] > 1800 && seconds[i] < 2200, qPrintable(QString("second %1: %2").arg(i).arg(seconds[i])));
    }
}

void TestRandomSearch::agreesWithItsDraws()
{
    // Each run's pick, optimum, random architecture and rank, recomputed by hand from the run's draw.
    const Candidates candidates = noisyCandidates();
    RandomSearchOptions options;
    options.samples = 30;
    options.runs = 50;
    options.seed = 3;
    const RandomSearchResult result = randomSearch(candidates, options);
    for (std::size_t r = 0; r < options.runs; ++r) {
        const std::vector<std::size_t> drawn = drawCandidates(200, 30, 3, r);
        std::size_t chosen = drawn[0];
        double bestScore = -std::numeric_limits<double>::infinity();
        double bestTarget = -1;
        for (std::size_t candidate : drawn) {
            const double score = candidates.scores[candidate];
            if (!std::isnan(score) && score > bestScore) {
                bestScore = score;
                chosen = candidate;
            }
            bestTarget = std::max(bestTarget, candidates.targets[candidate]);
        }
        std::size_t rank = 1;
        for (std::size_t candidate : drawn)
            rank += candidates.targets[candidate] > candidates.targets[chosen] ? 1 : 0;
        const RandomSearchRun& run = result.runs[r];
        QCOMPARE(run.chosen, chosen);
        QCOMPARE(candidates.targets[run.optimum], bestTarget);
        QCOMPARE(run.random, drawn[0]);
        QCOMPARE(run.chosenRank, rank);
    }
}

void TestRandomSearch::seedReproducesRuns()
{
    const Candidates candidates = noisyCandidates();
    const RandomSearchResult first = randomSearch(candidates, optionsOf(20, 40, 11, false));
    QVERIFY(sameRuns(first, randomSearch(candidates, optionsOf(20, 40, 11, false))));
    QVERIFY(!sameRuns(first, randomSearch(candidates, optionsOf(20, 40, 12, false))));
    // Run r depends on (seed, r) alone: the first 10 runs of 40 are the runs of a 10-run search.
    const RandomSearchResult ten = randomSearch(candidates, optionsOf(20, 10, 11, false));
    RandomSearchResult head = first;
    head.runs.resize(10);
    QVERIFY(sameRuns(head, ten));
    // The draws are spelled out, not left to a standard library's distributions, so a seed means these draws on
    // every platform and in every version: a change here changes every published search.
    QCOMPARE(drawCandidates(15625, 4, 0, 0), (std::vector<std::size_t> { 12929, 10405, 14205, 8630 }));
    QCOMPARE(drawCandidates(15625, 4, 0, 1), (std::vector<std::size_t> { 7648, 10563, 5088, 11769 }));
}

void TestRandomSearch::refusesImpossibleOptions_data()
{
    QTest::addColumn<int>("candidates");
    QTest::addColumn<int>("samples");
    QTest::addColumn<int>("runs");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("more samples than candidates") << 10 << 11 << 5 << "choose at most 10";
    QTest::newRow("no samples") << 10 << 0 << 5 << "at least 1";
    QTest::newRow("no runs") << 10 << 5 << 0 << "runs must be from 1";
    QTest::newRow("too many runs") << 10 << 5 << int(kMaxRandomSearchRuns + 1) << "runs must be from 1";
    QTest::newRow("no candidates") << 0 << 1 << 5 << "no candidate";
    QTest::newRow("too many draws") << 2000 << 1001 << 100000 << "more than 100000000 draws";
}

void TestRandomSearch::refusesImpossibleOptions()
{
    QFETCH(int, candidates);
    QFETCH(int, samples);
    QFETCH(int, runs);
    QFETCH(QString, mentions);
    Candidates pool;
    for (int i = 0; i < candidates; ++i) {
        pool.scores.push_back(i);
        pool.targets.push_back(i);
    }
    try {
        randomSearch(pool, optionsOf(std::size_t(samples), std::size_t(runs), 0, false));
        QFAIL("not refused");
    } catch (const std::invalid_argument& error) {
        QVERIFY2(QString(error.what()).contains(mentions), error.what());
    }
    Candidates infinite { { 1, 2 }, { 1, std::numeric_limits<double>::infinity() }, true };
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, randomSearch(infinite, optionsOf(1, 1, 0, false)));
    Candidates uneven { { 1 }, { 1, 2 }, true };
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, randomSearch(uneven, optionsOf(1, 1, 0, false)));
}

void TestRandomSearch::trajectoryEndsAtTheResult()
{
    const Candidates candidates = noisyCandidates();
    const RandomSearchResult result = randomSearch(candidates, optionsOf(50, 64, 5, true));
    QCOMPARE(result.trajectory.size(), std::size_t(50));
    // After the first query the best target so far is the random architecture's; after the last, the optimum's.
    QCOMPARE(result.trajectory.front().optimum.mean, result.random.mean);
    QCOMPARE(result.trajectory.back().optimum.n, std::size_t(64));
    QVERIFY(std::abs(result.trajectory.back().optimum.mean - result.optimum.mean) < 1e-9);
    QVERIFY(std::abs(result.trajectory.back().optimum.std - result.optimum.std) < 1e-9);
    QVERIFY(std::abs(result.trajectory.back().chosen.mean - result.chosen.mean) < 1e-9);
    QCOMPARE(result.trajectory.back().chosen.n, result.chosen.n);
    for (std::size_t i = 1; i < result.trajectory.size(); ++i) {
        QVERIFY(result.trajectory[i].optimum.mean >= result.trajectory[i - 1].optimum.mean);
        QVERIFY(result.trajectory[i].chosen.n >= result.trajectory[i - 1].chosen.n);
    }
    QVERIFY(randomSearch(candidates, optionsOf(50, 64, 5, false)).trajectory.empty());
}

void TestRandomSearch::summaryIsPopulationStd()
{
    const Summary summary = summarize({ 1, 2, 3, 4 });
    QCOMPARE(summary.mean, 2.5);
    QCOMPARE(summary.std, std::sqrt(1.25));
    QCOMPARE(summary.n, std::size_t(4));
    QVERIFY(std::isnan(summarize({}).mean));
}

QTEST_GUILESS_MAIN(TestRandomSearch)
#include "tst_randomsearch.moc"
