// SPDX-License-Identifier: MIT
#include "scoringservice.h"

#include "score/tokeninput.h"
#include "spaces/nb101/space.h"
#include "spaces/nb201/space.h"
#include "spaces/nlp/space.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <map>
#include <random>
#include <set>

using epsinas::NamedArch;
using epsinas::gui::ScoredArchs;
using epsinas::gui::ScoreResult;
using epsinas::gui::ScoringConfig;
using epsinas::gui::ScoringService;
namespace nb101 = epsinas::nb101;
namespace nb201 = epsinas::nb201;
namespace nlp = epsinas::nlp;

namespace {
// A small batch keeps every score in the milliseconds on a 2-core CPU.
constexpr int kTestBatch = 16;
const char* const kDefaultArch
    = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|";

ScoringConfig smallConfig(int batch = kTestBatch)
{
    ScoringConfig config;
    config.input.batch = batch;
    config.options.threads = 1;
    return config;
}

std::vector<nb201::Cell> someCells(int count, unsigned seed)
{
    std::mt19937 random(seed);
    std::uniform_int_distribution<int> index(0, nb201::kCellCount - 1);
    std::vector<nb201::Cell> cells;
    for (int i = 0; i < count; ++i)
        cells.push_back(nb201::Cell::fromIndex(index(random)));
    return cells;
}

std::vector<NamedArch> namedCells(const std::vector<nb201::Cell>& cells)
{
    std::vector<NamedArch> named;
    for (const nb201::Cell& cell : cells)
        named.push_back({ {}, nb201::toArch(cell) });
    return named;
}

std::vector<NamedArch> namedSpecs(const std::vector<nb101::Spec>& specs)
{
    std::vector<NamedArch> named;
    for (const nb101::Spec& spec : specs)
        named.push_back({ {}, nb101::toArch(spec) });
    return named;
}
} // namespace

class TestScoringService : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void scoresOneCell()
    {
        ScoringService service;
        service.setConfig(smallConfig());
        QSignalSpy ready(&service, &ScoringService::scoreReady);
        const auto cell = nb201::Cell::parse(kDefaultArch);
        const quint64 generation = service.requestScore(nb201::toArch(cell));
        QVERIFY(ready.wait(30000));
        const auto result = ready.at(0).at(0).value<ScoreResult>();
        QCOMPARE(result.generation, generation);
        QVERIFY(result.arch == nb201::toArch(cell));
        QVERIFY(!result.score.isNan());
        QCOMPARE(int(result.score.outputLow.size()), kTestBatch);
        QCOMPARE(int(result.score.outputHigh.size()), kTestBatch);
        QVERIFY(!service.device().isEmpty());
        QVERIFY(!service.isScoring());
    }

    void rapidEditsReportOnlyTheLast()
    {
        ScoringService service;
        service.setConfig(smallConfig());
        QSignalSpy ready(&service, &ScoringService::scoreReady);
        QSignalSpy failed(&service, &ScoringService::scoringFailed);
        const auto cells = someCells(25, 1);
        for (const auto& cell : cells)
            service.requestScore(nb201::toArch(cell));
        QVERIFY(ready.wait(30000) || !failed.isEmpty());
        QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(1).toString()));
        QTest::qWait(300);
        QCOMPARE(ready.count(), 1);
        QVERIFY(ready.at(0).at(0).value<ScoreResult>().arch == nb201::toArch(cells.back()));
    }

    void staleResultIsDropped()
    {
        ScoringService service;
        service.setConfig(smallConfig());
        service.setCoalescingInterval(0);
        QSignalSpy ready(&service, &ScoringService::scoreReady);
        const auto cells = someCells(2, 2);
        // Warm up, so the worker has its input and evaluator before the race below.
        service.requestScore(nb201::toArch(cells[0]));
        QVERIFY(ready.wait(30000));
        ready.clear();

        service.requestScore(nb201::toArch(cells[0]));
        // Keep the GUI thread from seeing the result while the worker finishes it: it is queued but stale once
        // the next edit arrives.
        QThread::msleep(1500);
        service.requestScore(nb201::toArch(cells[1]));
        QVERIFY(ready.wait(30000));
        QTest::qWait(200);
        QCOMPARE(ready.count(), 1);
        QVERIFY(ready.at(0).at(0).value<ScoreResult>().arch == nb201::toArch(cells[1]));
        QCOMPARE(service.droppedCount(), quint64(1));
    }

    void unreadableInputIsAnErrorSignal()
    {
        ScoringService service;
        ScoringConfig config = smallConfig();
        config.input = epsinas::InputSpec::parse("cifar10:/nonexistent/data_batch_1.bin");
        config.input.batch = kTestBatch;
        service.setConfig(config);
        QSignalSpy failed(&service, &ScoringService::scoringFailed);
        QSignalSpy ready(&service, &ScoringService::scoreReady);
        const quint64 generation = service.requestScore(nb201::toArch(nb201::Cell::parse(kDefaultArch)));
        QVERIFY(failed.wait(30000));
        QCOMPARE(failed.at(0).at(0).toULongLong(), generation);
        QVERIFY2(failed.at(0).at(1).toString().contains("data_batch_1.bin"), qPrintable(failed.at(0).at(1).toString()));
        QCOMPARE(ready.count(), 0);

        // A good config afterwards scores again.
        QVERIFY(service.setConfig(smallConfig()));
        service.requestScore(nb201::toArch(nb201::Cell::parse(kDefaultArch)));
        QVERIFY(ready.wait(30000));
    }

    void guiThreadStaysResponsive()
    {
        ScoringService service;
        service.setConfig(smallConfig(256));
        QSignalSpy ready(&service, &ScoringService::scoreReady);
        QSignalSpy finished(&service, &ScoringService::batchFinished);
        int ticks = 0;
        qint64 longestGap = 0;
        QElapsedTimer sinceTick;
        QTimer ticker;
        ticker.setInterval(10);
        connect(&ticker, &QTimer::timeout, this, [&] {
            if (ticks > 0)
                longestGap = std::max(longestGap, sinceTick.elapsed());
            sinceTick.restart();
            ++ticks;
        });
        ticker.start();
        sinceTick.start();

        QElapsedTimer call;
        call.start();
        service.requestScore(nb201::toArch(nb201::Cell::parse(kDefaultArch)));
        service.startBatch(QStringLiteral("test"), namedCells(someCells(12, 3)));
        QVERIFY(call.elapsed() < 50);
        QVERIFY(ready.wait(60000));
        QVERIFY(finished.wait(60000));
        QVERIFY2(ticks >= 5, qPrintable(QString::number(ticks)));
        QVERIFY2(longestGap < 500, qPrintable(QString::number(longestGap)));
    }

    void batchDeliversEveryCell()
    {
        ScoringService service;
        service.setConfig(smallConfig());
        QSignalSpy chunks(&service, &ScoringService::batchChunkReady);
        QSignalSpy progress(&service, &ScoringService::progressChanged);
        QSignalSpy finished(&service, &ScoringService::batchFinished);
        auto cells = someCells(20, 4);
        // Two numberings of one cell: scored once, delivered twice.
        cells.push_back(nb201::Cell::parse("|nor_conv_3x3~0|+|none~0|none~1|+|none~0|nor_conv_3x3~1|none~2|"));
        cells.push_back(nb201::Cell::parse("|none~0|+|nor_conv_3x3~0|none~1|+|none~0|none~1|nor_conv_3x3~2|"));
        service.startBatch(QStringLiteral("test"), namedCells(cells));
        QVERIFY(service.isBatchRunning());
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.at(0).at(0).toBool(), false);
        QVERIFY(!service.isBatchRunning());
        std::set<int> delivered;
        for (const auto& arguments : chunks) {
            for (const auto& scored : arguments.at(0).value<ScoredArchs>())
                delivered.insert(nb201::cellOf(scored.arch).index());
        }
        std::set<int> expected;
        for (const auto& cell : cells)
            expected.insert(cell.index());
        QVERIFY(delivered == expected);
        QCOMPARE(progress.last().at(0).toInt(), 1000);
    }

    void storedScoresStandForEveryCellOfTheirForm()
    {
        QTemporaryDir folder;
        ScoringService service;
        ScoringConfig config = smallConfig();
        config.storePath = folder.filePath(QStringLiteral("scores.sqlite"));
        service.setConfig(config);
        QSignalSpy chunks(&service, &ScoringService::batchChunkReady);
        QSignalSpy finished(&service, &ScoringService::batchFinished);
        // Two numberings of one function; only the first is ever asked for.
        const auto asked = nb201::Cell::parse("|nor_conv_3x3~0|+|none~0|none~1|+|none~0|nor_conv_3x3~1|none~2|");
        const auto twin = nb201::Cell::parse("|none~0|+|nor_conv_3x3~0|none~1|+|none~0|none~1|nor_conv_3x3~2|");
        QVERIFY(asked.canonical() == twin.canonical());
        service.startBatch(QStringLiteral("first"), namedCells({ asked }));
        QVERIFY(finished.wait(60000));
        QVERIFY(QFile::exists(config.storePath));

        // With every stored score included, the stored form brings all its cells, the twin among them.
        chunks.clear();
        finished.clear();
        service.startBatch(QStringLiteral("again"), namedCells({ asked }), /*includeStored=*/true);
        QVERIFY(finished.wait(60000));
        std::set<int> delivered;
        for (const auto& arguments : chunks) {
            for (const auto& scored : arguments.at(0).value<ScoredArchs>())
                delivered.insert(nb201::cellOf(scored.arch).index());
        }
        QVERIFY(delivered.count(asked.index()));
        QVERIFY(delivered.count(twin.index()));
    }

    void scoresNb101SpecAndBatch()
    {
        ScoringService service;
        ScoringConfig config = smallConfig();
        config.space = &nb101::space();
        config.options.weights = epsinas::nb101::kDefaultWeights;
        service.setConfig(config);
        QSignalSpy ready(&service, &ScoringService::scoreReady);
        QSignalSpy failed(&service, &ScoringService::scoringFailed);
        const auto spec
            = nb101::Spec::parse("0110000011000010000100000:input|conv3x3-bn-relu|maxpool3x3|conv1x1-bn-relu|output");
        const quint64 generation = service.requestScore(nb101::toArch(spec));
        QVERIFY(ready.wait(30000) || !failed.isEmpty());
        QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(1).toString()));
        const auto result = ready.at(0).at(0).value<ScoreResult>();
        QCOMPARE(result.generation, generation);
        QVERIFY(result.arch == nb101::toArch(spec));
        QCOMPARE(int(result.score.outputLow.size()), kTestBatch);

        // A batch skips invalid specs and delivers every valid one, its pruned twin included.
        QSignalSpy chunks(&service, &ScoringService::batchChunkReady);
        QSignalSpy finished(&service, &ScoringService::batchFinished);
        std::vector<nb101::Spec> specs = nb101::randomSpecs(3, 7);
        // The live spec with an unconnected vertex 4: NB101 prunes it back to the live spec.
        specs.push_back(nb101::Spec::parse("011000000101000001000001000000000000:input|conv3x3-bn-relu|maxpool3x3|"
                                           "conv1x1-bn-relu|conv3x3-bn-relu|output"));
        specs.push_back(nb101::Spec({ { false, false }, { false, false } }, { nb101::Op::Input, nb101::Op::Output }));
        service.startBatch(QStringLiteral("nb101"), namedSpecs(specs));
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.at(0).at(0).toBool(), false);
        std::set<std::string> delivered;
        for (const auto& arguments : chunks) {
            for (const auto& scored : arguments.at(0).value<ScoredArchs>()) {
                QVERIFY(&scored.arch.space() == &nb101::space());
                delivered.insert(nb101::specOf(scored.arch).toString());
            }
        }
        QCOMPARE(int(delivered.size()), 4);
        QVERIFY(!delivered.count(specs.back().toString()));
    }

    void scoresNlpRecipesLiveAndInBatches()
    {
        QTemporaryDir folder;
        QVERIFY(folder.isValid());
        ScoringService service;
        ScoringConfig config = smallConfig();
        config.space = &nlp::space();
        config.options.weights = nlp::kDefaultWeights;
        config.storePath = folder.filePath(QStringLiteral("scores.sqlite"));
        service.setConfig(config);
        QSignalSpy ready(&service, &ScoringService::scoreReady);
        QSignalSpy failed(&service, &ScoringService::scoringFailed);
        const nlp::Recipe lstm = nlp::Recipe::example("lstm");
        const quint64 generation = service.requestScore(nlp::toArch(lstm));
        QVERIFY(ready.wait(30000) || !failed.isEmpty());
        QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(1).toString()));
        const auto result = ready.at(0).at(0).value<ScoreResult>();
        QCOMPARE(result.generation, generation);
        QVERIFY(result.arch == nlp::toArch(lstm));
        QVERIFY(!result.score.isNan());
        // The histograms get every output: 70 steps × the batch.
        QCOMPARE(int(result.score.outputLow.size()), nlp::kSteps * kTestBatch);

        // The same recipe under two ids (NAS-Bench-NLP trained some twice) gives two rows that share one score.
        const std::vector<NamedArch> recipes { { "1", nlp::toArch(lstm) },
            { "2", nlp::toArch(nlp::Recipe::example("gru")) }, { "3", nlp::toArch(lstm) },
            { "4", nlp::toArch(nlp::Recipe::example("rnn")) } };
        QSignalSpy chunks(&service, &ScoringService::batchChunkReady);
        QSignalSpy finished(&service, &ScoringService::batchFinished);
        QSignalSpy message(&service, &ScoringService::progressMessage);
        service.startBatch(QStringLiteral("nlp"), recipes);
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.at(0).at(0).toBool(), false);
        std::map<QString, double> scoreById;
        for (const auto& arguments : chunks) {
            for (const auto& scored : arguments.at(0).value<ScoredArchs>()) {
                QVERIFY(&scored.arch.space() == &nlp::space());
                QVERIFY(scored.key() == QStringLiteral("id ") + scored.id);
                scoreById[scored.id] = scored.score;
            }
        }
        QCOMPARE(int(scoreById.size()), 4);
        QCOMPARE(scoreById["1"], scoreById["3"]);
        QCOMPARE(scoreById["1"], result.score.score);
        QVERIFY(scoreById["2"] != scoreById["1"]);

        // Scored again, everything comes from the store, under the same ids.
        if (QFile::exists(config.storePath)) {
            chunks.clear();
            finished.clear();
            service.startBatch(QStringLiteral("again"), recipes);
            QVERIFY(finished.wait(60000));
            QVERIFY2(message.last().at(0).toString().contains("all 4 recipes were kept in the store"),
                qPrintable(message.last().at(0).toString()));
            int rows = 0;
            for (const auto& arguments : chunks) {
                for (const auto& scored : arguments.at(0).value<ScoredArchs>()) {
                    QCOMPARE(scored.score, scoreById[scored.id]);
                    ++rows;
                }
            }
            QCOMPARE(rows, 4);
        }

        // Unreadable PTB text is an error signal naming the file, not a crash; the synthetic batch scores again.
        ScoringConfig unreadable = config;
        unreadable.tokens = epsinas::TokenSpec::parse("ptb:/nonexistent/ptb.valid.txt");
        QVERIFY(service.setConfig(unreadable));
        failed.clear();
        const quint64 failing = service.requestScore(nlp::toArch(lstm));
        QVERIFY(failed.wait(30000));
        QCOMPARE(failed.at(0).at(0).toULongLong(), failing);
        QVERIFY2(failed.at(0).at(1).toString().contains("ptb.valid.txt"), qPrintable(failed.at(0).at(1).toString()));
        QVERIFY(service.setConfig(config));

        // Another space's cells are refused with a message, not scored under NLP's settings.
        QSignalSpy batchFailed(&service, &ScoringService::batchFailed);
        service.startBatch(QStringLiteral("wrong space"), namedCells(someCells(2, 9)));
        QVERIFY(batchFailed.wait(30000));
        QVERIFY2(batchFailed.at(0).at(0).toString().contains("NAS-Bench-NLP"),
            qPrintable(batchFailed.at(0).at(0).toString()));
    }

    void batchCancelsAndLiveRequestsGoFirst()
    {
        ScoringService service;
        service.setConfig(smallConfig());
        QSignalSpy chunks(&service, &ScoringService::batchChunkReady);
        QSignalSpy finished(&service, &ScoringService::batchFinished);
        QSignalSpy ready(&service, &ScoringService::scoreReady);
        service.startBatch(QStringLiteral("test"), namedCells(someCells(3000, 5)));
        QVERIFY(chunks.wait(60000));
        service.requestScore(nb201::toArch(nb201::Cell::parse(kDefaultArch)));
        QVERIFY(ready.wait(30000));
        QVERIFY(service.isBatchRunning());
        service.cancelBatch();
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.at(0).at(0).toBool(), true);
        const int seen = chunks.count();
        QTest::qWait(500);
        QCOMPARE(chunks.count(), seen);
        QCOMPARE(finished.count(), 1);
    }

    void shutdownDuringBatchIsPrompt()
    {
        QElapsedTimer clock;
        {
            ScoringService service;
            service.setConfig(smallConfig());
            QSignalSpy chunks(&service, &ScoringService::batchChunkReady);
            service.startBatch(QStringLiteral("test"), namedCells(someCells(3000, 6)));
            QVERIFY(chunks.wait(60000));
            clock.start();
        }
        QVERIFY(clock.elapsed() < 5000);
    }
};

QTEST_GUILESS_MAIN(TestScoringService)
#include "tst_scoringservice.moc"
