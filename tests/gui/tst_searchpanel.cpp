// SPDX-License-Identifier: MIT
// The Search panel: a random search and an evolution over a scored table run on the search thread, report progress
// and agree with core's functions called on the same candidates; a long search is cancelled while the event loop
// keeps running; a newer search supersedes an older one; Load Best puts the most chosen architecture into the editor
// and the scatter rings what the first run visited.
#include "archeditor.h"
#include "mainwindow.h"
#include "scatterplot.h"
#include "scorefixtures.h"
#include "scoretablemodel.h"
#include "scoringservice.h"
#include "searchpanel.h"
#include "searchservice.h"

#include "search/evolution.h"
#include "search/randomsearch.h"
#include "spaces/nb201/space.h"
#include "spaces/spaces.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <qcustomplot.h>

#include <cmath>
#include <limits>
#include <unordered_map>

using epsinas::gui::BenchmarkData;
using epsinas::gui::ScoredArch;
using epsinas::gui::ScoredArchs;
using epsinas::gui::ScoreTableModel;
using epsinas::gui::SearchOutcome;
using epsinas::gui::SearchPanel;
using epsinas::gui::SearchProgress;
using epsinas::gui::SearchService;
using epsinas::gui::SearchStrategy;
namespace nb201 = epsinas::nb201;
namespace search = epsinas::search;

Q_DECLARE_METATYPE(SearchStrategy)

namespace {
// Cells 0..624 of the enumeration: they differ in the first edges only, so most of their one-edge mutants are
// candidates too and evolution has somewhere to go.
constexpr int kCells = 625;

/** Cell i scored with a value that follows its accuracy loosely; every 13th NaN. */
ScoredArchs scoredCells()
{
    ScoredArchs cells;
    for (int i = 0; i < kCells; ++i)
        cells.push_back(fixtures::cell(
            i, i % 13 == 0 ? std::numeric_limits<double>::quiet_NaN() : std::fmod(i * 0.61, 5.0) + i * 1e-3));
    return cells;
}

/** A validation accuracy near the test one, by table key. */
QHash<QString, double> validations()
{
    QHash<QString, double> values;
    for (int i = 0; i < kCells; ++i)
        values.insert(fixtures::tableKey(i), 68 + i * 1e-3 + std::fmod(i * 0.53, 3));
    return values;
}

/** The loaded table the panel reads: test_acc and valid_acc of every cell. */
BenchmarkData table()
{
    BenchmarkData data;
    data.path = QStringLiteral("made-up.csv");
    data.columns = QStringList { QStringLiteral("test_acc"), QStringLiteral("valid_acc") };
    data.byKey = { fixtures::accuracies(), validations() };
    data.matchedCells = kCells;
    return data;
}

/** The candidates as the panel is documented to build them: every scored row, in row order, with its values. */
search::EvolutionCandidates expectedCandidates(const ScoredArchs& cells)
{
    const QHash<QString, double> targets = fixtures::accuracies();
    const QHash<QString, double> selection = validations();
    search::EvolutionCandidates input;
    std::unordered_map<std::string, std::size_t> position;
    for (int i = 0; i < cells.size(); ++i) {
        input.candidates.scores.push_back(cells[i].isNan() ? NAN : cells[i].score);
        input.candidates.targets.push_back(targets.value(fixtures::tableKey(i)));
        input.selectBy.push_back(selection.value(fixtures::tableKey(i)));
        position.emplace(nb201::space().format(cells[i].arch), std::size_t(i));
    }
    for (const ScoredArch& cell : cells) {
        std::vector<std::size_t> neighbours;
        for (const epsinas::Arch& mutant : nb201::space().mutants(cell.arch)) {
            const auto found = position.find(nb201::space().format(mutant));
            if (found != position.end())
                neighbours.push_back(found->second);
        }
        input.neighbours.push_back(neighbours);
    }
    return input;
}

void setSpin(const QWidget& panel, const char* name, int value)
{
    auto* spin = panel.findChild<QSpinBox*>(QString::fromLatin1(name));
    QVERIFY2(spin, name);
    spin->setValue(value);
    QCOMPARE(spin->value(), value);
}

/** The value of `key` in the panel's key=value statistics lines. */
QString statistic(const SearchPanel& panel, const QString& key)
{
    for (const QString& line : panel.statisticsText().split(QLatin1Char('\n'))) {
        if (line.startsWith(key + QLatin1Char('=')))
            return line.mid(key.size() + 1);
    }
    return QStringLiteral("missing");
}

QString cliNumber(double value)
{
    return QString::number(value, 'g', 9);
}
} // namespace

class TestSearchPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("epsinas-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_searchpanel"));
    }

    void init() { fixtures::quickScoringSettings(); }

    void randomSearchAgreesWithTheCore()
    {
        ScoreTableModel model;
        const ScoredArchs cells = scoredCells();
        model.addScores(cells);
        const BenchmarkData data = table();
        SearchPanel panel(&model);
        panel.setSpace(nb201::space());
        panel.setTable(&data);
        panel.setStrategy(SearchStrategy::Random);
        setSpin(panel, "searchSamples", 50);
        setSpin(panel, "searchRuns", 400);
        setSpin(panel, "searchSeed", 9);
        QSignalSpy finished(panel.service(), &SearchService::searchFinished);
        QCOMPARE(panel.run(), QString());
        QVERIFY(panel.isRunning());
        QVERIFY(finished.wait(20000));
        QVERIFY(!panel.isRunning());

        search::RandomSearchOptions options;
        options.samples = 50;
        options.runs = 400;
        options.seed = 9;
        options.trajectory = true;
        const search::RandomSearchResult expected = search::randomSearch(expectedCandidates(cells).candidates, options);
        QVERIFY(panel.outcome());
        const SearchOutcome& outcome = *panel.outcome();
        QCOMPARE(outcome.candidates, std::size_t(kCells));
        QCOMPARE(outcome.unscored, std::size_t((kCells + 12) / 13));
        QCOMPARE(statistic(panel, QStringLiteral("candidates")), QString::number(kCells));
        QCOMPARE(statistic(panel, QStringLiteral("unscored")), QString::number((kCells + 12) / 13));
        QCOMPARE(statistic(panel, QStringLiteral("chosen_mean")), cliNumber(expected.chosen.mean));
        QCOMPARE(statistic(panel, QStringLiteral("chosen_std")), cliNumber(expected.chosen.std));
        QCOMPARE(statistic(panel, QStringLiteral("optimum_mean")), cliNumber(expected.optimum.mean));
        QCOMPARE(statistic(panel, QStringLiteral("random_mean")), cliNumber(expected.random.mean));
        QCOMPARE(statistic(panel, QStringLiteral("chosen_rank_mean")), cliNumber(expected.chosenRank.mean));
        // The curve is the best-scored's target per draw, the reference the best target drawn (training each).
        QCOMPARE(outcome.trajectory.size(), std::size_t(50));
        QCOMPARE(outcome.trajectory.back().mean, expected.trajectory.back().chosen.mean);
        QCOMPARE(outcome.randomTrajectory.back().mean, expected.trajectory.back().optimum.mean);
        const std::vector<double> targets = expectedCandidates(cells).candidates.targets;
        QCOMPARE(outcome.tableOptimum, *std::max_element(targets.begin(), targets.end()));
        // The first run's draw is what the scatter rings.
        QCOMPARE(outcome.visited, search::drawCandidates(kCells, 50, 9, 0));
        QVERIFY(panel.findChild<QPushButton*>(QStringLiteral("searchLoadBest"))->isEnabled());
        QVERIFY(!panel.plot()->graph(2)->data()->isEmpty());
    }

    void evolutionAgreesWithTheCore_data()
    {
        QTest::addColumn<SearchStrategy>("strategy");
        QTest::addColumn<int>("warmup");
        QTest::addColumn<int>("mutations");
        QTest::newRow("evolution") << SearchStrategy::Evolution << 0 << 1;
        QTest::newRow("evolution-both") << SearchStrategy::EvolutionBoth << 60 << 4;
    }

    void evolutionAgreesWithTheCore()
    {
        QFETCH(SearchStrategy, strategy);
        QFETCH(int, warmup);
        QFETCH(int, mutations);
        ScoreTableModel model;
        const ScoredArchs cells = scoredCells();
        model.addScores(cells);
        const BenchmarkData data = table();
        SearchPanel panel(&model);
        panel.setSpace(nb201::space());
        panel.setTable(&data);
        QVERIFY(panel.isStrategyOffered(strategy));
        panel.setStrategy(strategy);
        QCOMPARE(
            panel.findChild<QComboBox*>(QStringLiteral("searchTarget"))->currentText(), QStringLiteral("test_acc"));
        // A validation column is preferred for selection.
        QCOMPARE(
            panel.findChild<QComboBox*>(QStringLiteral("searchSelectBy"))->currentText(), QStringLiteral("valid_acc"));
        setSpin(panel, "searchPopulation", 8);
        setSpin(panel, "searchTournament", 3);
        setSpin(panel, "searchQueries", 40);
        setSpin(panel, "searchRuns", 30);
        setSpin(panel, "searchSeed", 4);
        if (warmup)
            setSpin(panel, "searchWarmup", warmup);
        if (mutations > 1)
            setSpin(panel, "searchMutations", mutations);
        QSignalSpy finished(panel.service(), &SearchService::searchFinished);
        QCOMPARE(panel.run(), QString());
        QVERIFY(finished.wait(20000));

        search::EvolutionOptions options;
        options.population = 8;
        options.tournament = 3;
        options.queries = 40;
        options.warmup = std::size_t(warmup);
        options.mutations = std::size_t(mutations);
        options.runs = 30;
        options.seed = 4;
        options.trajectory = true;
        const search::EvolutionResult expected = search::evolutionSearch(expectedCandidates(cells), options);
        QVERIFY(panel.outcome());
        const SearchOutcome& outcome = *panel.outcome();
        QCOMPARE(statistic(panel, QStringLiteral("chosen_mean")), cliNumber(expected.chosen.mean));
        QCOMPARE(statistic(panel, QStringLiteral("chosen_std")), cliNumber(expected.chosen.std));
        QCOMPARE(statistic(panel, QStringLiteral("optimum_mean")), cliNumber(expected.optimum));
        QCOMPARE(statistic(panel, QStringLiteral("optimum_std")), QStringLiteral("0"));
        QCOMPARE(statistic(panel, QStringLiteral("random_mean")), cliNumber(expected.random.mean));
        QCOMPARE(statistic(panel, QStringLiteral("chosen_rank_mean")), cliNumber(expected.chosenRank.mean));
        QCOMPARE(statistic(panel, QStringLiteral("runs_short")), QString::number(expected.runsShort));
        QCOMPARE(outcome.visited, expected.runs.front().queried);
        QCOMPARE(outcome.trajectory.size(), std::size_t(40));
        QCOMPARE(outcome.trajectory.back().mean, expected.trajectory.back().mean);
        // Plain random search at the same budget is the reference curve.
        QCOMPARE(outcome.randomTrajectory.size(), std::size_t(40));
    }

    void evolutionIsOfferedOnlyWhereTheSpaceMutates()
    {
        ScoreTableModel model;
        SearchPanel panel(&model);
        panel.setSpace(nb201::space());
        QVERIFY(panel.isStrategyOffered(SearchStrategy::EvolutionWarmup));
        for (const epsinas::SearchSpace* space : epsinas::spaceRegistry().all()) {
            panel.setSpace(*space);
            QCOMPARE(panel.isStrategyOffered(SearchStrategy::Evolution), space->mutates());
            QVERIFY(panel.isStrategyOffered(SearchStrategy::Random));
        }
    }

    void refusalsAreOneLineAndChangeNothing()
    {
        ScoreTableModel model;
        model.addScores(scoredCells());
        SearchPanel panel(&model);
        panel.setSpace(nb201::space());
        // No table: nothing to judge the picks by.
        QVERIFY(panel.run().contains(QStringLiteral("benchmark table")));
        QVERIFY(!panel.isRunning());
        const BenchmarkData data = table();
        panel.setTable(&data);
        // More samples than candidates: core's message arrives as the search's failure.
        panel.setStrategy(SearchStrategy::Random);
        setSpin(panel, "searchSamples", kCells + 1);
        QSignalSpy failed(panel.service(), &SearchService::searchFailed);
        QCOMPARE(panel.run(), QString());
        QVERIFY(failed.wait(10000));
        const QString message = failed.first().first().toString();
        QVERIFY2(message.contains(QStringLiteral("choose at most %1").arg(kCells)), qPrintable(message));
        QVERIFY(!message.contains(QLatin1Char('\n')));
        QVERIFY(!panel.isRunning());
        QVERIFY(!panel.outcome());
        QVERIFY(panel.findChild<QLabel*>(QStringLiteral("searchStatistics"))->text().contains(message));
    }

    void theControlsAreRemembered()
    {
        ScoreTableModel model;
        {
            SearchPanel panel(&model);
            panel.setSpace(nb201::space());
            panel.setStrategy(SearchStrategy::EvolutionWarmup);
            setSpin(panel, "searchRuns", 37);
            setSpin(panel, "searchWarmup", 123);
            setSpin(panel, "searchSeed", 42);
            panel.setStrategy(SearchStrategy::Random);
            setSpin(panel, "searchRuns", 11);
            setSpin(panel, "searchSamples", 77);
            panel.setStrategy(SearchStrategy::EvolutionWarmup);
            // Evolution's runs come back when its strategy is picked again.
            QCOMPARE(panel.findChild<QSpinBox*>(QStringLiteral("searchRuns"))->value(), 37);
        }
        SearchPanel again(&model);
        again.setSpace(nb201::space());
        QCOMPARE(again.strategy(), SearchStrategy::EvolutionWarmup);
        QCOMPARE(again.findChild<QSpinBox*>(QStringLiteral("searchRuns"))->value(), 37);
        QCOMPARE(again.findChild<QSpinBox*>(QStringLiteral("searchWarmup"))->value(), 123);
        QCOMPARE(again.findChild<QSpinBox*>(QStringLiteral("searchSeed"))->value(), 42);
        QCOMPARE(again.findChild<QSpinBox*>(QStringLiteral("searchSamples"))->value(), 77);
        again.setStrategy(SearchStrategy::Random);
        QCOMPARE(again.findChild<QSpinBox*>(QStringLiteral("searchRuns"))->value(), 11);
    }

    void aLongSearchReportsProgressAndIsCancelledWhileTheUiRuns()
    {
        ScoreTableModel model;
        model.addScores(scoredCells());
        const BenchmarkData data = table();
        SearchPanel panel(&model);
        panel.setSpace(nb201::space());
        panel.setTable(&data);
        panel.setStrategy(SearchStrategy::Random);
        // 100,000 runs of the whole table: seconds of work, longer than this test lets it run.
        setSpin(panel, "searchSamples", kCells);
        setSpin(panel, "searchRuns", int(search::kMaxRandomSearchRuns));
        QSignalSpy progress(panel.service(), &SearchService::progressChanged);
        QSignalSpy finished(panel.service(), &SearchService::searchFinished);
        QSignalSpy cancelled(panel.service(), &SearchService::searchCancelled);
        int ticks = 0;
        QTimer ticker;
        connect(&ticker, &QTimer::timeout, [&ticks] { ++ticks; });
        ticker.start(5);
        QElapsedTimer clock;
        clock.start();
        QCOMPARE(panel.run(), QString());
        // run() returns at once: the search is on its own thread.
        QVERIFY(clock.elapsed() < 1000);
        QVERIFY(progress.wait(10000));
        QTRY_VERIFY(progress.count() >= 3);
        QVERIFY(finished.isEmpty());
        // The GUI thread kept serving its events while the search ran.
        QVERIFY2(ticks >= 5, qPrintable(QString::number(ticks)));
        const SearchProgress last = progress.last().first().value<SearchProgress>();
        QVERIFY(last.runsDone > 0 && last.runsDone < last.runs);
        QCOMPARE(last.trajectory.size(), std::size_t(kCells));
        auto* bar = panel.findChild<QProgressBar*>(QStringLiteral("searchProgress"));
        QVERIFY(bar->value() > 0 && bar->value() < bar->maximum());

        QTest::mouseClick(panel.findChild<QPushButton*>(QStringLiteral("searchCancel")), Qt::LeftButton);
        QCOMPARE(cancelled.count(), 1);
        QVERIFY(!panel.isRunning());
        // Nothing of the cancelled search arrives later, and the thread is free for the next one.
        QTest::qWait(300);
        QVERIFY(finished.isEmpty());
        setSpin(panel, "searchRuns", 20);
        setSpin(panel, "searchSamples", 30);
        QCOMPARE(panel.run(), QString());
        QVERIFY(finished.wait(20000));
        QCOMPARE(panel.outcome()->runs, std::size_t(20));
    }

    void theNewestSearchWins()
    {
        ScoreTableModel model;
        model.addScores(scoredCells());
        const BenchmarkData data = table();
        SearchPanel panel(&model);
        panel.setSpace(nb201::space());
        panel.setTable(&data);
        panel.setStrategy(SearchStrategy::Random);
        setSpin(panel, "searchSamples", kCells);
        setSpin(panel, "searchRuns", int(search::kMaxRandomSearchRuns));
        QSignalSpy finished(panel.service(), &SearchService::searchFinished);
        QCOMPARE(panel.run(), QString());
        setSpin(panel, "searchSamples", 10);
        setSpin(panel, "searchRuns", 7);
        QCOMPARE(panel.run(), QString());
        const quint64 newest = panel.service()->currentGeneration();
        QVERIFY(finished.wait(20000));
        QTest::qWait(200);
        QCOMPARE(finished.count(), 1);
        const SearchOutcome outcome = finished.first().first().value<SearchOutcome>();
        QCOMPARE(outcome.generation, newest);
        QCOMPARE(outcome.runs, std::size_t(7));
    }

    void loadBestPutsTheMostChosenIntoTheEditorAndTheScatterRingsTheVisited()
    {
        QTemporaryDir folder;
        QVERIFY(folder.isValid());
        const QString path = folder.filePath(QStringLiteral("nb201.csv"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        const QHash<QString, double> targets = fixtures::accuracies();
        const QHash<QString, double> selection = validations();
        QByteArray csv("arch_str,test_acc,valid_acc\n");
        for (int i = 0; i < kCells; ++i)
            csv += fixtures::tableKey(i).toUtf8() + ','
                + QByteArray::number(targets.value(fixtures::tableKey(i)), 'g', 9) + ','
                + QByteArray::number(selection.value(fixtures::tableKey(i)), 'g', 9) + '\n';
        QVERIFY(file.write(csv) == csv.size());
        file.close();

        epsinas::gui::MainWindow window;
        window.show();
        QCOMPARE(window.openBenchmark(path, QStringLiteral("test_acc"), false), QString());
        // The made-up scores stand in for the table's: scoring 625 cells for real would only cost time.
        QTest::qWait(0);
        window.service()->cancelBatch();
        window.model()->clear();
        window.model()->addScores(scoredCells());

        SearchPanel* panel = window.searchPanel();
        QVERIFY(panel);
        panel->setStrategy(SearchStrategy::Random);
        setSpin(*panel, "searchSamples", 40);
        setSpin(*panel, "searchRuns", 200);
        QSignalSpy finished(panel->service(), &SearchService::searchFinished);
        QCOMPARE(panel->run(), QString());
        QVERIFY(finished.wait(20000));
        const SearchOutcome& outcome = *panel->outcome();
        QVERIFY(outcome.best < panel->candidates().size());
        QVERIFY(outcome.bestCount >= 1);
        // The most chosen: no candidate was chosen more often.
        std::vector<std::size_t> counts(panel->candidates().size(), 0);
        search::RandomSearchOptions options;
        options.samples = 40;
        options.runs = 200;
        for (const search::RandomSearchRun& run :
            search::randomSearch(expectedCandidates(scoredCells()).candidates, options).runs)
            ++counts[run.chosen];
        QCOMPARE(outcome.bestCount, *std::max_element(counts.begin(), counts.end()));
        QCOMPARE(counts[outcome.best], outcome.bestCount);

        QTest::mouseClick(panel->findChild<QPushButton*>(QStringLiteral("searchLoadBest")), Qt::LeftButton);
        const epsinas::Arch loaded = window.currentEditor()->arch();
        QCOMPARE(QString::fromStdString(nb201::space().format(loaded)),
            QString::fromStdString(nb201::space().format(panel->candidates()[outcome.best].arch)));

        window.scatter()->refresh();
        QCOMPARE(window.scatter()->highlightedKeys().size(), 40);
        QCOMPARE(window.scatter()->highlightedPointCount(), 40);
    }
};

QTEST_MAIN(TestSearchPanel)
#include "tst_searchpanel.moc"
