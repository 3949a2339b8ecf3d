// SPDX-License-Identifier: MIT
// The explainer driven through every step for one architecture of each space and for a NaN cell, each scored and
// traced live by the scoring service as the explorer does it.
#include "explainpanel.h"
#include "scoretablemodel.h"
#include "scoringservice.h"
#include "spaces/nb101/space.h"
#include "spaces/nb201/space.h"
#include "spaces/nlp/space.h"

#include <QLabel>
#include <QSignalSpy>
#include <QTest>
#include <qcustomplot.h>

using namespace epsinas::gui;
namespace nb101 = epsinas::nb101;
namespace nb201 = epsinas::nb201;
namespace nlp = epsinas::nlp;

namespace {
const char* const kResNetLike
    = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|";
const char* const kAllConv
    = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|";
// The first golden NB101 spec of the specification (§7).
const char* const kNb101Spec = "0110011000000100010000000100000000100000010000000:input|conv3x3-bn-relu|"
                               "conv1x1-bn-relu|maxpool3x3|conv3x3-bn-relu|conv3x3-bn-relu|output";

struct Scored {
    ScoreResult result;
    epsinas::SignalFlow flow;
};

/** Scores and traces `arch` with the service, as the explorer does while the explainer is open. */
Scored scoreAndTrace(const ScoringConfig& config, const epsinas::Arch& arch)
{
    ScoringService service;
    service.setConfig(config);
    service.setTracing(true);
    QSignalSpy ready(&service, &ScoringService::scoreReady);
    QSignalSpy traced(&service, &ScoringService::signalFlowReady);
    QSignalSpy failed(&service, &ScoringService::scoringFailed);
    const quint64 generation = service.requestScore(arch);
    if (!traced.wait(120000) || !failed.isEmpty())
        qFatal("no trace: %s", qPrintable(failed.value(0).value(1).toString()));
    Scored scored { ready.at(0).at(0).value<ScoreResult>(), traced.at(0).at(1).value<epsinas::SignalFlow>() };
    if (scored.result.generation != generation || traced.at(0).at(0).toULongLong() != generation)
        qFatal("a result of another request");
    return scored;
}

ScoringConfig configFor(const epsinas::SearchSpace& space, int batch)
{
    ScoringConfig config;
    config.space = &space;
    config.input.batch = batch;
    config.options.threads = 1;
    config.options.weights = space.defaultWeights();
    return config;
}
} // namespace

class TestExplainPanel : public QObject {
    Q_OBJECT
private:
    /** Shows `scored` in a fresh panel and walks it through every step with the keyboard; returns each step's texts. */
    QStringList walk(const Scored& scored, const ScoringConfig& config, ExplainPanel& panel)
    {
        panel.showResult(scored.result, config.options.weights, config.options.precision);
        panel.showSignalFlow(scored.result.generation, scored.flow);
        QStringList texts;
        for (int step = 0; step < ExplainPanel::StepCount; ++step) {
            if (panel.step() != step)
                qFatal("step %d shown instead of %d", panel.step(), step);
            texts << panel.titleText() + QLatin1Char('\n') + panel.sentenceText() + QLatin1Char('\n')
                    + panel.formulaText();
            QTest::keyClick(&panel, Qt::Key_Right);
        }
        return texts;
    }

private Q_SLOTS:
    void initTestCase() { qRegisterMetaType<epsinas::SignalFlow>(); }

    // The golden value of the specification (§7, batch G: 64 grey images i/64) is what the ratio step computes.
    void resNetLikeCellOnGoldenBatch()
    {
        const ScoringConfig config = configFor(nb201::space(), 64);
        const Scored scored = scoreAndTrace(config, nb201::toArch(nb201::Cell::parse(kResNetLike)));
        QCOMPARE(scored.flow.firstLowZero(), epsinas::SignalFlow::npos);
        ScoreTableModel model;
        ExplainPanel panel(&model);
        const QStringList texts = walk(scored, config, panel);
        QVERIFY2(texts[0].contains(QStringLiteral("Step 1 of 7")), qPrintable(texts[0]));
        QVERIFY(texts[0].contains(QStringLiteral("w_lo = 1e-07")));
        // The network step names the stages of the NB201 network.
        QStringList labels;
        for (const LayerGroup& group : groupLayers(scored.flow.layers))
            labels << group.label;
        QCOMPARE(labels.first(), QStringLiteral("stem"));
        QVERIFY2(labels.contains(QStringLiteral("cell 1–5")), qPrintable(labels.join(QLatin1Char(','))));
        QVERIFY(labels.contains(QStringLiteral("reduction 1")));
        QCOMPARE(labels.last(), QStringLiteral("classifier"));
        QVERIFY2(texts[1].contains(QStringLiteral("never reaches 0")), qPrintable(texts[1]));
        QVERIFY2(texts[5].contains(QStringLiteral("= 0.6234")), qPrintable(texts[5]));
        QVERIFY(!texts[5].contains(QStringLiteral("NaN")));
        // Past the last step the keys stay there; Home goes back to the first.
        QCOMPARE(panel.step(), int(ExplainPanel::Standing));
        QTest::keyClick(&panel, Qt::Key_Home);
        QCOMPARE(panel.step(), 0);
        QTest::keyClick(&panel, Qt::Key_Left);
        QCOMPARE(panel.step(), 0);
    }

    // The all-conv cell: the w_lo signal is exactly 0 from a named cell on (algorithm §4.3: cell 4), and NaN follows.
    void allConvCellIsNan()
    {
        const ScoringConfig config = configFor(nb201::space(), 16);
        const Scored scored = scoreAndTrace(config, nb201::toArch(nb201::Cell::parse(kAllConv)));
        QVERIFY(scored.result.score.isNan());
        ScoreTableModel model;
        ExplainPanel panel(&model);
        const QStringList texts = walk(scored, config, panel);
        QVERIFY2(texts[1].contains(QStringLiteral("after “cell 4” it is exactly 0")), qPrintable(texts[1]));
        QVERIFY2(texts[2].contains(QStringLiteral("At w_lo all 16 outputs are equal (0)")), qPrintable(texts[2]));
        QVERIFY2(texts[3].contains(QStringLiteral("(y − 0) / 0 → NaN")), qPrintable(texts[3]));
        QVERIFY2(texts[5].contains(QStringLiteral("No score")) && texts[5].contains(QStringLiteral("= NaN")),
            qPrintable(texts[5]));
        QVERIFY2(texts[6].contains(QStringLiteral("last")), qPrintable(texts[6]));
        // The network step marks the boxes whose w_lo signal is 0.
        panel.setStep(ExplainPanel::Network);
        int zeroBoxes = 0;
        for (const LayerGroup& group : panel.diagram()->groups())
            zeroBoxes += group.lowZero;
        QVERIFY(zeroBoxes > 0);
        QCOMPARE(panel.diagram()->groups().front().lowZero, false);
    }

    void nb101SpecAndNlpRecipe_data()
    {
        QTest::addColumn<QString>("space");
        QTest::addColumn<QString>("firstLayer");
        QTest::newRow("nb101") << QStringLiteral("nb101") << QStringLiteral("stem");
        QTest::newRow("nlp") << QStringLiteral("nlp") << QStringLiteral("layer 1, step 1–70");
    }
    void nb101SpecAndNlpRecipe()
    {
        QFETCH(QString, space);
        QFETCH(QString, firstLayer);
        const bool isNb101 = space == QLatin1String("nb101");
        const epsinas::SearchSpace& chosen = isNb101 ? nb101::space() : nlp::space();
        const ScoringConfig config = configFor(chosen, 16);
        const epsinas::Arch arch
            = isNb101 ? nb101::toArch(nb101::Spec::parse(kNb101Spec)) : nlp::toArch(nlp::Recipe::example("gru"));
        const Scored scored = scoreAndTrace(config, arch);
        QVERIFY(!scored.result.score.isNan());
        ScoreTableModel model;
        ExplainPanel panel(&model);
        const QStringList texts = walk(scored, config, panel);
        QCOMPARE(panel.diagram()->groups().front().label, firstLayer);
        QVERIFY2(
            texts[5].contains(QStringLiteral("= %1").arg(scored.result.score.score, 0, 'g', 4)), qPrintable(texts[5]));
        // A table to rank against: the standing step says what the rank predicts.
        ScoredArchs rows;
        const std::vector<epsinas::Arch> others = chosen.sample(12, 3);
        QHash<QString, double> targets;
        for (std::size_t i = 0; i < others.size(); ++i) {
            ScoredArch row = ScoredArch::from(others[i], {}, {});
            row.score = 0.05 * double(i + 1);
            rows.push_back(row);
            targets.insert(QString::fromStdString(chosen.tableKey({ {}, others[i] })), 90 + double(i));
        }
        model.addScores(rows);
        model.setTargets(QStringLiteral("accuracy"), targets);
        panel.setStep(ExplainPanel::Standing);
        QVERIFY2(panel.sentenceText().contains(QStringLiteral("median accuracy")), qPrintable(panel.sentenceText()));
    }

    // An edit while explaining updates the step shown.
    void followsEdits()
    {
        const ScoringConfig config = configFor(nb201::space(), 16);
        const Scored first = scoreAndTrace(config, nb201::toArch(nb201::Cell::parse(kResNetLike)));
        const Scored second = scoreAndTrace(config, nb201::toArch(nb201::Cell::parse(kAllConv)));
        ScoreTableModel model;
        ExplainPanel panel(&model);
        panel.setStep(ExplainPanel::Ratio);
        panel.showResult(first.result, config.options.weights, config.options.precision);
        QVERIFY(!panel.formulaText().endsWith(QStringLiteral("NaN")));
        panel.showResult(second.result, config.options.weights, config.options.precision);
        QCOMPARE(panel.step(), int(ExplainPanel::Ratio));
        QVERIFY2(panel.formulaText().endsWith(QStringLiteral("= NaN")), qPrintable(panel.formulaText()));
        // The first cell's trace arriving late is not shown as the second's.
        panel.showSignalFlow(first.result.generation + 1000, first.flow);
        QVERIFY(!panel.hasSignalFlow());
    }
};

QTEST_MAIN(TestExplainPanel)
#include "tst_explainpanel.moc"
