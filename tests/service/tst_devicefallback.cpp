// SPDX-License-Identifier: MIT
// CUDA failing under the explorer: the worker scores on the CPU, says so once, and tries CUDA again after the next
// change of settings. Runs where LibTorch has no CUDA, where asking for it fails as any CUDA failure does.
#include "scoringservice.h"

#include "score/runtime.h"
#include "spaces/nb201/space.h"

#include <QSignalSpy>
#include <QTest>

using epsinas::Device;
using epsinas::gui::ScoreResult;
using epsinas::gui::ScoringConfig;
using epsinas::gui::ScoringService;
namespace nb201 = epsinas::nb201;

namespace {
constexpr int kTestBatch = 16;
const char* const kResNetLike
    = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|";
const char* const kAllSkip
    = "|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|";

ScoringConfig configOn(Device device)
{
    ScoringConfig config;
    config.input.batch = kTestBatch;
    config.options.threads = 1;
    config.options.device = device;
    return config;
}

ScoreResult scoreOf(ScoringService& service, const char* arch)
{
    QSignalSpy ready(&service, &ScoringService::scoreReady);
    service.requestScore(nb201::toArch(nb201::Cell::parse(arch)));
    if (!ready.wait(60000))
        return {};
    return ready.takeFirst().at(0).value<ScoreResult>();
}
} // namespace

class TestDeviceFallback : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        if (epsinas::cudaAvailable())
            QSKIP("LibTorch has CUDA here: asking for it does not fail, so nothing falls back");
    }

    void cudaFailingScoresOnTheCpu()
    {
        ScoringService cpu;
        cpu.setConfig(configOn(Device::Cpu));
        const ScoreResult expected = scoreOf(cpu, kResNetLike);
        QVERIFY(!expected.score.isNan());

        ScoringService service;
        service.setConfig(configOn(Device::Cuda));
        QSignalSpy fellBack(&service, &ScoringService::deviceFellBack);
        QSignalSpy failed(&service, &ScoringService::scoringFailed);
        const ScoreResult result = scoreOf(service, kResNetLike);
        QCOMPARE(fellBack.count(), 1);
        const QString message = fellBack.at(0).at(0).toString();
        QVERIFY2(message.contains(QStringLiteral("CUDA failed")) && message.contains(QStringLiteral("CPU")),
            qPrintable(message));
        QCOMPARE(failed.count(), 0);
        QVERIFY2(result.device.startsWith(QStringLiteral("CPU")), qPrintable(result.device));
        QVERIFY2(service.device().startsWith(QStringLiteral("CPU")), qPrintable(service.device()));
        // The same float32 score as on the CPU by choice.
        QCOMPARE(result.score.score, expected.score.score);

        // Said once: the next edits score on the CPU without a word.
        const ScoreResult next = scoreOf(service, kAllSkip);
        QVERIFY(!next.arch.empty());
        QCOMPARE(fellBack.count(), 1);

        // New settings try CUDA again, and fall back again.
        ScoringConfig other = configOn(Device::Cuda);
        other.input.batch = kTestBatch / 2;
        service.setConfig(other);
        QVERIFY(!scoreOf(service, kResNetLike).arch.empty());
        QCOMPARE(fellBack.count(), 2);
        QCOMPARE(failed.count(), 0);
    }
};

QTEST_GUILESS_MAIN(TestDeviceFallback)
#include "tst_devicefallback.moc"
