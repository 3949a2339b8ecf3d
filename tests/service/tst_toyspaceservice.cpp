// SPDX-License-Identifier: MIT
// The toy fourth space of tests/core, registered from this test alone, scored through the explorer's scoring service:
// a live request and a batch with stored scores, with no edit to core/ or gui/.
#include "scoringservice.h"

#include "toyspace.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <map>

using epsinas::NamedArch;
using epsinas::gui::ScoredArchs;
using epsinas::gui::ScoreResult;
using epsinas::gui::ScoringConfig;
using epsinas::gui::ScoringService;
namespace toy = epsinas::toy;

namespace {
ScoringConfig toyConfig(const QString& storePath)
{
    ScoringConfig config;
    config.space = &toy::space();
    config.options.weights = toy::space().defaultWeights();
    config.input.batch = 8;
    config.options.threads = 1;
    config.storePath = storePath;
    return config;
}

/** The rows of every chunk `chunks` received, by the architecture's text. */
std::map<std::string, double> deliveredScores(const QSignalSpy& chunks, int* rows = nullptr)
{
    std::map<std::string, double> scores;
    for (const auto& arguments : chunks) {
        for (const auto& scored : arguments.at(0).value<ScoredArchs>()) {
            scores[scored.text().toStdString()] = scored.score;
            if (rows)
                ++*rows;
        }
    }
    return scores;
}
} // namespace

class TestToySpaceService : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { toy::registerSpace(); }

    void scoresALiveRequest()
    {
        QTemporaryDir folder;
        ScoringService service;
        service.setConfig(toyConfig(folder.filePath(QStringLiteral("scores.sqlite"))));
        QSignalSpy ready(&service, &ScoringService::scoreReady);
        QSignalSpy failed(&service, &ScoringService::scoringFailed);
        const epsinas::Arch chain = toy::space().parse("relu,tanh");
        const quint64 generation = service.requestScore(chain);
        QVERIFY(ready.wait(30000) || !failed.isEmpty());
        QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(1).toString()));
        const auto result = ready.at(0).at(0).value<ScoreResult>();
        QCOMPARE(result.generation, generation);
        QVERIFY(result.arch == chain);
        // The live path keeps the raw outputs for the histograms: one per image.
        QCOMPARE(int(result.score.outputLow.size()), 8);
        QVERIFY(!result.score.isNan());
    }

    void scoresABatchOncePerFormAndThenFromTheStore()
    {
        QTemporaryDir folder;
        ScoringService service;
        service.setConfig(toyConfig(folder.filePath(QStringLiteral("scores.sqlite"))));
        // "relu" and "id,relu" compute one function: one form, two rows with one score.
        std::vector<NamedArch> chains;
        for (const char* text : { "relu", "id,relu", "neg", "tanh,neg", "neg,tanh" })
            chains.push_back({ {}, toy::space().parse(text) });
        QSignalSpy chunks(&service, &ScoringService::batchChunkReady);
        QSignalSpy finished(&service, &ScoringService::batchFinished);
        QSignalSpy message(&service, &ScoringService::progressMessage);
        service.startBatch(QStringLiteral("toy"), chains);
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.at(0).at(0).toBool(), false);
        int rows = 0;
        const std::map<std::string, double> first = deliveredScores(chunks, &rows);
        QCOMPARE(rows, 5);
        QCOMPARE(first.at("relu"), first.at("id,relu"));
        // Progress counts in the space's own unit.
        QVERIFY2(message.last().at(0).toString().contains(QStringLiteral("5 chains")),
            qPrintable(message.last().at(0).toString()));

        // Again: every score comes from the store, and they are the same.
        chunks.clear();
        finished.clear();
        service.startBatch(QStringLiteral("again"), chains);
        QVERIFY(finished.wait(30000));
        QVERIFY2(message.last().at(0).toString().contains(QStringLiteral("all 5 chains were kept in the store")),
            qPrintable(message.last().at(0).toString()));
        QCOMPARE(deliveredScores(chunks), first);
    }
};

QTEST_MAIN(TestToySpaceService)
#include "tst_toyspaceservice.moc"
