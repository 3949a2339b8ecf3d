// SPDX-License-Identifier: MIT
// Signal flow (issue 14) for NAS-Bench-NLP: the hidden-unit-collapsed evaluator's per-step statistics against those
// of the full model, on the example recipes of algorithm §7 (synthetic tokens, weights (1e-5, 1e-3)).
#include "spaces/nlp/recipe.h"
#include "spaces/nlp/space.h"

#include <QtTest>

#include <algorithm>
#include <cmath>

using namespace epsinas;
using namespace epsinas::nlp;

namespace {

// Collapsed against full width, and the last entry against the recorded outputs (issue 14).
constexpr double kRelative = 1e-3;
// The golden token batch cut to 16 columns (its 70 steps, kSteps), so that the full model traces a recipe in seconds.
constexpr int kBatch = 16;

/** Empty when `a` and `b` agree: both NaN, or within kRelative (0 only equals 0). */
QString disagreement(double a, double b)
{
    if (std::isnan(a) && std::isnan(b))
        return {};
    if (std::abs(a - b) <= kRelative * std::max(std::abs(a), std::abs(b)))
        return {};
    return QString("%1 against %2").arg(a, 0, 'g', 9).arg(b, 0, 'g', 9);
}

} // namespace

class TestNlpSignalFlow : public QObject {
    Q_OBJECT

private slots:
    void collapsedEqualsReference_data();
    void collapsedEqualsReference();
};

void TestNlpSignalFlow::collapsedEqualsReference_data()
{
    QTest::addColumn<QString>("name");
    for (const char* name : { "rnn", "lstm", "gru" })
        QTest::newRow(name) << name;
}

void TestNlpSignalFlow::collapsedEqualsReference()
{
    QFETCH(QString, name);
    TokenSpec spec = TokenSpec::parse("synthetic");
    spec.batch = kBatch;
    const ScoringInput input = ScoringInput::of(TokenBatch::load(spec));
    const Arch arch = toArch(Recipe::example(name.toStdString()));
    ScoreOptions options;
    options.weights = kDefaultWeights;
    const std::unique_ptr<Evaluator> fast = space().makeEvaluator(input, options);
    const SignalFlow collapsed = fast->signalFlow(arch).value();
    const ArchScore score = fast->score({ arch }).front();
    options.evaluator = EvaluatorKind::Reference;
    QElapsedTimer timer;
    timer.start();
    const SignalFlow reference = space().makeEvaluator(input, options)->signalFlow(arch).value();
    qInfo("reference signal flow in %lld ms", timer.elapsed());

    // The recurrence unrolled: every step of every layer, then the output the score takes.
    QCOMPARE(int(collapsed.layers.size()), 3 * kSteps + 1);
    QCOMPARE(int(reference.layers.size()), 3 * kSteps + 1);
    QCOMPARE(collapsed.layers.front().name, std::string("layer 1, step 1"));
    QCOMPARE(collapsed.layers[3 * kSteps - 1].name, std::string("layer 3, step 70"));
    QCOMPARE(collapsed.layers.back().name, std::string("output"));
    for (std::size_t i = 0; i < collapsed.layers.size(); ++i) {
        const LayerSignal& c = collapsed.layers[i];
        const LayerSignal& r = reference.layers[i];
        QCOMPARE(c.name, r.name);
        for (const auto& [what, a, b] : { std::tuple { "w_lo max", c.lowMaxAbs, r.lowMaxAbs },
                 std::tuple { "w_lo mean", c.lowMeanAbs, r.lowMeanAbs },
                 std::tuple { "w_hi max", c.highMaxAbs, r.highMaxAbs },
                 std::tuple { "w_hi mean", c.highMeanAbs, r.highMeanAbs } }) {
            const QString problem = disagreement(a, b);
            QVERIFY2(
                problem.isEmpty(), qPrintable(QString("%1 %2 |x|: collapsed %3").arg(c.name.c_str(), what, problem)));
        }
        QCOMPARE(c.lowAllZero, r.lowAllZero);
        QCOMPARE(c.highAllZero, r.highAllZero);
    }
    QCOMPARE(collapsed.firstLowZero(), reference.firstLowZero());

    // The output entry is the recorded output vector of the score: unit 0 at every step and column.
    QCOMPARE(int(score.outputLow.size()), kBatch * kSteps);
    double maxLow = 0, sumLow = 0;
    for (double v : score.outputLow) {
        maxLow = std::max(maxLow, std::abs(v));
        sumLow += std::abs(v);
    }
    QVERIFY(disagreement(collapsed.layers.back().lowMaxAbs, maxLow).isEmpty());
    QVERIFY(disagreement(collapsed.layers.back().lowMeanAbs, sumLow / double(score.outputLow.size())).isEmpty());
    qInfo("%s: w_lo |h| step 1 %g, step 70 of layer 3 %g; w_hi %g, %g", qPrintable(name),
        collapsed.layers.front().lowMeanAbs, collapsed.layers[3 * kSteps - 1].lowMeanAbs,
        collapsed.layers.front().highMeanAbs, collapsed.layers[3 * kSteps - 1].highMeanAbs);
}

QTEST_GUILESS_MAIN(TestNlpSignalFlow)
#include "tst_nlpsignalflow.moc"
