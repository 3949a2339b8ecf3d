// SPDX-License-Identifier: MIT
// Ageing evolution over hand-made candidates (core/search): the oldest dies, the tournament's best is the parent,
// a query is a new architecture, the warm-up and the zero-cost mutation use the score, and a seed means the same runs.
#include "search/evolution.h"

#include <QtTest>

#include <limits>
#include <map>
#include <stdexcept>

using namespace epsinas::search;

namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

// Candidates 0..n-1 with the given scores and selection values, targets 100 + i, and no neighbours yet.
EvolutionCandidates handMade(const std::vector<double>& scores, const std::vector<double>& selectBy)
{
    EvolutionCandidates input;
    input.candidates.scores = scores;
    input.selectBy = selectBy;
    for (std::size_t i = 0; i < scores.size(); ++i)
        input.candidates.targets.push_back(100.0 + double(i));
    input.neighbours.resize(scores.size());
    return input;
}

// A warm-up over every candidate makes the initial population the P best-scored, oldest first, whatever the draw.
EvolutionOptions wholeWarmup(const EvolutionCandidates& input, std::size_t population, std::size_t queries)
{
    EvolutionOptions options;
    options.population = population;
    options.tournament = population;
    options.queries = queries;
    options.warmup = input.candidates.targets.size();
    options.runs = 1;
    options.trajectory = true;
    return options;
}

} // namespace

class TestEvolution : public QObject {
    Q_OBJECT

private slots:
    void theOldestDiesNotTheWorst();
    void theTournamentsBestIsTheParent();
    void aQueryIsANewArchitecture();
    void warmupStartsWithTheBestScored();
    void zeroCostMutationKeepsTheBestScored();
    void aSeedMeansTheSameRuns();
    void refusesBadInput_data();
    void refusesBadInput();
};

void TestEvolution::theOldestDiesNotTheWorst()
{
    // A (0) and B (1) score best, so they start the population, A the older. A wins every tournament it is in
    // (selection 100), so the first child is A's only neighbour C; then A, the oldest, dies although it is the best,
    // and B wins, making D. Were the worst to die instead, A would stay and breed C again (no new query).
    EvolutionCandidates input = handMade({ 10, 9, 0, 0, 0, 0 }, { 100, 1, 0, -1, -2, -3 });
    input.neighbours = { { 2 }, { 3 }, { 4 }, { 5 }, {}, {} };
    // C's target is the best, but selection reads the validation column: the best-so-far stays A's target.
    input.candidates.targets[2] = 500;
    const EvolutionResult result = evolutionSearch(input, wholeWarmup(input, 2, 4));
    QCOMPARE(result.runs[0].queried, (std::vector<std::size_t> { 0, 1, 2, 3 }));
    QCOMPARE(result.runs[0].chosen, std::size_t(0));
    QCOMPARE(result.chosen.mean, 100.0);
    QCOMPARE(result.trajectory.size(), std::size_t(4));
    for (const Summary& point : result.trajectory)
        QCOMPARE(point.mean, 100.0);
    QCOMPARE(result.optimum, 500.0);
    // A's target (100) is the lowest of the six: rank 6 of the whole candidate set.
    QCOMPARE(result.chosenRank.mean, 6.0);
}

void TestEvolution::theTournamentsBestIsTheParent()
{
    // Population A, B, C (selection 3, 2, 1) with one neighbour each (X, Y, Z); a tournament of 2 of the 3 never
    // picks C, and picks A when A is sampled (2 of the 3 pairs).
    EvolutionCandidates input = handMade({ 3, 2, 1, 0, 0, 0 }, { 3, 2, 1, 0, 0, 0 });
    input.neighbours = { { 3 }, { 4 }, { 5 }, {}, {}, {} };
    EvolutionOptions options = wholeWarmup(input, 3, 4);
    options.tournament = 2;
    options.runs = 600;
    const EvolutionResult result = evolutionSearch(input, options);
    std::map<std::size_t, int> firstChild;
    for (const EvolutionRun& run : result.runs)
        ++firstChild[run.queried.at(3)];
    QCOMPARE(firstChild.count(5), std::size_t(0));
    QCOMPARE(firstChild[3] + firstChild[4], 600);
    // 2/3 of 600 = 400, binomial std ≈ 11.5: 4 std either way.
    QVERIFY2(firstChild[3] > 354 && firstChild[3] < 446, qPrintable(QString::number(firstChild[3])));

    // A tournament of the whole population always picks A.
    options.tournament = 3;
    for (const EvolutionRun& run : evolutionSearch(input, options).runs)
        QCOMPARE(run.queried.at(3), std::size_t(3));
}

void TestEvolution::aQueryIsANewArchitecture()
{
    // A and B are each other's only neighbour: after A, B the run only revisits them, which costs no query, so it
    // stops short of 3 queries within its step bound.
    EvolutionCandidates input = handMade({ 1, 0, 0, 0 }, { 0, 1, 2, 3 });
    input.neighbours = { { 1 }, { 0 }, {}, {} };
    const EvolutionResult result = evolutionSearch(input, wholeWarmup(input, 1, 3));
    QCOMPARE(result.runs[0].queried, (std::vector<std::size_t> { 0, 1 }));
    QCOMPARE(result.runs[0].queries, std::size_t(2));
    QCOMPARE(result.runsShort, std::size_t(1));
    // B (selection 1) is the best queried; the short run's last point repeats its target.
    QCOMPARE(result.chosen.mean, 101.0);
    QCOMPARE(result.trajectory.size(), std::size_t(3));
    QCOMPARE(result.trajectory[0].mean, 100.0);
    QCOMPARE(result.trajectory[2].mean, 101.0);

    // With every candidate a neighbour of every other, every run makes exactly Q queries of distinct candidates.
    EvolutionCandidates all = handMade(std::vector<double>(50, 0.0), std::vector<double>(50, 0.0));
    for (std::size_t i = 0; i < 50; ++i) {
        for (std::size_t j = 1; j < 50; ++j)
            all.neighbours[i].push_back((i + j) % 50);
    }
    EvolutionOptions options;
    options.population = 5;
    options.tournament = 2;
    options.queries = 30;
    options.runs = 20;
    for (const EvolutionRun& run : evolutionSearch(all, options).runs) {
        QCOMPARE(run.queries, std::size_t(30));
        std::vector<std::size_t> sorted = run.queried;
        std::sort(sorted.begin(), sorted.end());
        QVERIFY(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end());
    }
}

void TestEvolution::warmupStartsWithTheBestScored()
{
    // Best-scored first: 3 (7), 1 (5), 4 (3); the NaN scores never start the population while a scored one can.
    EvolutionCandidates input = handMade({ kNan, 5, 1, 7, 3, kNan }, { 0, 0, 0, 0, 0, 0 });
    const EvolutionResult result = evolutionSearch(input, wholeWarmup(input, 3, 3));
    QCOMPARE(result.runs[0].queried, (std::vector<std::size_t> { 3, 1, 4 }));

    // A warm-up of W < all: each run's population is the P best-scored of its own W draws, so never the worst.
    EvolutionOptions options = wholeWarmup(input, 2, 2);
    options.warmup = 4;
    options.runs = 200;
    for (const EvolutionRun& run : evolutionSearch(input, options).runs) {
        for (std::size_t member : run.queried)
            QVERIFY(member != 0 && member != 5);
    }
}

void TestEvolution::zeroCostMutationKeepsTheBestScored()
{
    // Parent A (the only member) has neighbours B..E scored 1..4 and F unscored: of 50 proposals the best-scored,
    // E, is the child (missing E in 50 draws of 5 has probability 1e-5, and the seed fixes the draws).
    EvolutionCandidates input = handMade({ 10, 1, 2, 3, 4, kNan }, { 0, 0, 0, 0, 0, 0 });
    input.neighbours = { { 1, 2, 3, 4, 5 }, {}, {}, {}, {}, {} };
    EvolutionOptions options = wholeWarmup(input, 1, 2);
    options.mutations = 50;
    options.runs = 20;
    for (const EvolutionRun& run : evolutionSearch(input, options).runs)
        QCOMPARE(run.queried.at(1), std::size_t(4));

    // Plain mutation (M = 1) takes a uniform neighbour: all five appear as first children.
    options.mutations = 1;
    options.runs = 200;
    std::map<std::size_t, int> firstChild;
    for (const EvolutionRun& run : evolutionSearch(input, options).runs)
        ++firstChild[run.queried.at(1)];
    QCOMPARE(firstChild.size(), std::size_t(5));
}

void TestEvolution::aSeedMeansTheSameRuns()
{
    EvolutionCandidates input = handMade(std::vector<double>(40, 0.0), std::vector<double>(40, 0.0));
    for (std::size_t i = 0; i < 40; ++i) {
        input.candidates.scores[i] = double((i * 7) % 40);
        input.selectBy[i] = double((i * 11) % 40);
        input.neighbours[i] = { (i + 1) % 40, (i + 3) % 40, (i + 39) % 40 };
    }
    EvolutionOptions options;
    options.population = 4;
    options.tournament = 2;
    options.queries = 20;
    options.warmup = 10;
    options.mutations = 2;
    options.runs = 5;
    const EvolutionResult first = evolutionSearch(input, options);
    const EvolutionResult again = evolutionSearch(input, options);
    options.runs = 3;
    const EvolutionResult fewer = evolutionSearch(input, options);
    options.seed = 1;
    const EvolutionResult other = evolutionSearch(input, options);
    bool differs = false;
    for (std::size_t r = 0; r < 5; ++r)
        QCOMPARE(first.runs[r].queried, again.runs[r].queried);
    for (std::size_t r = 0; r < 3; ++r) {
        QCOMPARE(first.runs[r].queried, fewer.runs[r].queried);
        differs = differs || first.runs[r].queried != other.runs[r].queried;
    }
    QVERIFY(differs);
}

void TestEvolution::refusesBadInput_data()
{
    QTest::addColumn<QString>("change");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("no population") << "population=0"
                                   << "population must be at least 1";
    QTest::newRow("tournament above population") << "tournament=5"
                                                 << "tournament must be from 1 to the population";
    QTest::newRow("queries below population") << "queries=2"
                                              << "queries must be from the population";
    QTest::newRow("queries above candidates") << "queries=7"
                                              << "queries must be from the population (3) to the candidates (6)";
    QTest::newRow("warm-up below population") << "warmup=2"
                                              << "warm-up must be from the population";
    QTest::newRow("no mutations") << "mutations=0"
                                  << "mutations proposed per child must be at least 1";
    QTest::newRow("too many mutations") << "mutations=1001"
                                        << "at most 1000";
    // 100,000 runs × 6 queries × (2 + 1000) draws: 6e8, above 1e8.
    QTest::newRow("too much work") << "work=100000"
                                   << "choose fewer runs, queries or a smaller warm-up";
    QTest::newRow("no runs") << "runs=0"
                             << "runs must be from 1";
    QTest::newRow("neighbour out of range") << "neighbour=6"
                                            << "neighbour is not a candidate";
    QTest::newRow("selection not finite") << "select=nan"
                                          << "not a finite number";
}

void TestEvolution::refusesBadInput()
{
    QFETCH(QString, change);
    QFETCH(QString, mentions);
    EvolutionCandidates input = handMade({ 1, 2, 3, 4, 5, 6 }, { 1, 2, 3, 4, 5, 6 });
    EvolutionOptions options;
    options.population = 3;
    options.tournament = 2;
    options.queries = 6;
    options.runs = 2;
    const QStringList parts = change.split('=');
    const std::size_t number = parts[1] == "nan" ? 0 : parts[1].toULong();
    if (parts[0] == "population")
        options.population = number;
    else if (parts[0] == "tournament")
        options.tournament = number;
    else if (parts[0] == "queries")
        options.queries = number;
    else if (parts[0] == "warmup")
        options.warmup = number;
    else if (parts[0] == "mutations")
        options.mutations = number;
    else if (parts[0] == "runs")
        options.runs = number;
    else if (parts[0] == "work") {
        options.runs = number;
        options.mutations = kMaxMutations;
    } else if (parts[0] == "neighbour")
        input.neighbours[0] = { number };
    else
        input.selectBy[2] = kNan;
    try {
        evolutionSearch(input, options);
        QFAIL("not refused");
    } catch (const std::invalid_argument& error) {
        QVERIFY2(QString(error.what()).contains(mentions), error.what());
    }
}

QTEST_GUILESS_MAIN(TestEvolution)
#include "tst_evolution.moc"
