// SPDX-License-Identifier: MIT
// Signal flow (issue 14): the per-layer statistics of the width-collapsed evaluators against those of the full-width
// reference networks, on the NB201 golden cells and the NB101 golden specs of algorithm §7.
#include "score/input.h"
#include "spaces/nb101/space.h"
#include "spaces/nb101/spec.h"
#include "spaces/nb201/cell.h"
#include "spaces/nb201/space.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

using namespace epsinas;

namespace {

struct GoldenCell {
    const char* name;
    const char* arch;
    /** Whether the cell has a path from its input to its output made only of skip/pool edges (algorithm §1.6). */
    bool convFreePath;
};

const GoldenCell kCells[] = {
    { "ResNet-like", "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|",
        true },
    { "B", "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|", true },
    { "C", "|nor_conv_1x1~0|+|none~0|avg_pool_3x3~1|+|skip_connect~0|none~1|nor_conv_3x3~2|", true },
    { "all skip", "|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|",
        true },
    { "all conv3x3", "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|",
        false },
    { "all none", "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|", false },
};
constexpr int kAllConv = 4;
constexpr int kAllNone = 5;

// Collapsed against full width, and a layer's last statistics against the recorded outputs (issue 14).
constexpr double kRelative = 1e-3;
// Two inputs of algorithm §7, cut to 16 images so that the full-width reference stays around a second a cell: R
// (manual_seed(0); randn) and the grey batch G.
constexpr int kBatch = 16;
const char* const kInputs[] = { "noise:0", "grey" };

// The NB101 golden specs of algorithm §7 (input manual_seed(0); randn(16, 3, 32, 32), weights (1e-4, 10)), and a
// chain of five 3x3 convs: the longest conv-only path a cell can hold, where w_lo shrinks most.
const char* const kNb101Specs[][2] = {
    { "seven vertices",
        "0110011000000100010000000100000000100000010000000:input|conv3x3-bn-relu|conv1x1-bn-relu|maxpool3x3|"
        "conv3x3-bn-relu|conv3x3-bn-relu|output" },
    { "chain",
        "0100001001000000010000000100000001000000010000000:input|conv3x3-bn-relu|conv3x3-bn-relu|maxpool3x3|"
        "conv1x1-bn-relu|conv3x3-bn-relu|output" },
    { "five 3x3 convs",
        "0100000001000000010000000100000001000000010000000:input|conv3x3-bn-relu|conv3x3-bn-relu|conv3x3-bn-relu|"
        "conv3x3-bn-relu|conv3x3-bn-relu|output" },
};

/** The NB201 layers a teacher reads, input to output (algorithm §3.1). */
std::vector<std::string> expectedLayers()
{
    std::vector<std::string> names { "stem" };
    for (int cell = 1; cell <= 15; ++cell) {
        if (cell == 6 || cell == 11)
            names.push_back("reduction " + std::to_string(cell / 5));
        names.push_back("cell " + std::to_string(cell));
    }
    for (const char* head : { "last BN+ReLU", "global pool", "classifier" })
        names.push_back(head);
    return names;
}

/** The NB101 layers: stem, 3 stacks of 3 cells with a max-pool downsampling between stacks, pool, classifier. */
std::vector<std::string> expectedNb101Layers()
{
    std::vector<std::string> names { "stem" };
    for (int cell = 1; cell <= 9; ++cell) {
        if (cell == 4 || cell == 7)
            names.push_back("downsample " + std::to_string(cell / 3));
        names.push_back("cell " + std::to_string(cell));
    }
    names.push_back("global pool");
    names.push_back("classifier");
    return names;
}

QString describe(std::size_t layer, const SignalFlow& flow)
{
    return layer == SignalFlow::npos ? QString("none") : QString::fromStdString(flow.layers[layer].name);
}

/** Empty when `a` and `b` agree: both NaN, both the same infinity, both 0, or finite within kRelative. */
QString disagreement(double a, double b)
{
    if (std::isnan(a) || std::isnan(b) || std::isinf(a) || std::isinf(b))
        return (std::isnan(a) && std::isnan(b)) || a == b ? QString() : QString("%1 against %2").arg(a).arg(b);
    if (std::abs(a - b) <= kRelative * std::max(std::abs(a), std::abs(b)))
        return {};
    return QString("%1 against %2 (relative %3)").arg(a, 0, 'g', 9).arg(b, 0, 'g', 9).arg((a - b) / b, 0, 'g', 3);
}

/** Every layer of `collapsed` against the same layer of `reference`: names, the four statistics, the zero flags. */
void compareFlows(const SignalFlow& collapsed, const SignalFlow& reference, const std::vector<std::string>& names)
{
    QCOMPARE(int(collapsed.layers.size()), int(names.size()));
    QCOMPARE(int(reference.layers.size()), int(names.size()));
    for (std::size_t i = 0; i < names.size(); ++i) {
        const LayerSignal& c = collapsed.layers[i];
        const LayerSignal& r = reference.layers[i];
        QCOMPARE(c.name, names[i]);
        QCOMPARE(r.name, names[i]);
        const std::pair<const char*, std::pair<double, double>> statistics[] = {
            { "w_lo max |x|", { c.lowMaxAbs, r.lowMaxAbs } },
            { "w_lo mean |x|", { c.lowMeanAbs, r.lowMeanAbs } },
            { "w_hi max |x|", { c.highMaxAbs, r.highMaxAbs } },
            { "w_hi mean |x|", { c.highMeanAbs, r.highMeanAbs } },
        };
        for (const auto& [what, values] : statistics) {
            const QString problem = disagreement(values.first, values.second);
            QVERIFY2(
                problem.isEmpty(), qPrintable(QString("%1, %2: collapsed %3").arg(names[i].c_str(), what, problem)));
        }
        QCOMPARE(c.lowAllZero, r.lowAllZero);
        QCOMPARE(c.highAllZero, r.highAllZero);
        // An exactly zero map is all-zero; the flag and the statistics say the same.
        QCOMPARE(c.lowAllZero, c.lowMaxAbs == 0);
        QCOMPARE(r.lowAllZero, r.lowMaxAbs == 0);
    }
    qInfo("first w_lo zero: collapsed %s, reference %s; w_lo classifier max |x| %g",
        qPrintable(describe(collapsed.firstLowZero(), collapsed)),
        qPrintable(describe(reference.firstLowZero(), reference)), reference.layers.back().lowMaxAbs);
    QCOMPARE(collapsed.firstLowZero(), reference.firstLowZero());
    QCOMPARE(collapsed.firstHighZero(), reference.firstHighZero());
}

double maxAbs(const std::vector<double>& values)
{
    double result = 0;
    for (double v : values)
        result = std::max(result, std::abs(v));
    return result;
}

double meanAbs(const std::vector<double>& values)
{
    double sum = 0;
    for (double v : values)
        sum += std::abs(v);
    return sum / double(values.size());
}

} // namespace

class TestSignalFlow : public QObject {
    Q_OBJECT

private slots:
    void collapsedEqualsReference_data();
    void collapsedEqualsReference();
    void lastLayerIsTheRecordedOutput_data();
    void lastLayerIsTheRecordedOutput();
    void underflowHasAName();
    void float64DoesNotUnderflow();
    void nb101CollapsedEqualsReference_data();
    void nb101CollapsedEqualsReference();

private:
    struct Run {
        std::vector<SignalFlow> flows;
        std::vector<ArchScore> scores;
    };
    const Run& run(EvaluatorKind kind, int input, Precision precision = Precision::Float32);

    std::map<std::tuple<int, int, int>, Run> m_runs;
};

const TestSignalFlow::Run& TestSignalFlow::run(EvaluatorKind kind, int input, Precision precision)
{
    const auto key = std::make_tuple(int(kind), input, int(precision));
    if (auto found = m_runs.find(key); found != m_runs.end())
        return found->second;
    InputSpec spec = InputSpec::parse(kInputs[input]);
    spec.batch = kBatch;
    spec.imageSize = 32;
    ScoreOptions options;
    options.evaluator = kind;
    options.precision = precision;
    const std::unique_ptr<Evaluator> evaluator
        = nb201::space().makeEvaluator(ScoringInput::of(InputBatch::load(spec)), options);
    Run result;
    QElapsedTimer timer;
    timer.start();
    for (const GoldenCell& cell : kCells) {
        const Arch arch = nb201::toArch(nb201::Cell::parse(cell.arch));
        const std::optional<SignalFlow> flow = evaluator->signalFlow(arch);
        if (!flow)
            qFatal("the NB201 %s evaluator traces no signal flow", toString(kind).c_str());
        result.flows.push_back(*flow);
    }
    const qint64 traced = timer.restart();
    // Only the first input's outputs are compared (lastLayerIsTheRecordedOutput): the reference is slow.
    if (input == 0)
        for (const GoldenCell& cell : kCells)
            result.scores.push_back(evaluator->score({ nb201::toArch(nb201::Cell::parse(cell.arch)) }).front());
    qInfo("%s %s on %s: %d signal flows in %lld ms, scores in %lld ms", toString(kind).c_str(),
        toString(precision).c_str(), kInputs[input], int(std::size(kCells)), traced, timer.elapsed());
    return m_runs.emplace(key, std::move(result)).first->second;
}

void TestSignalFlow::collapsedEqualsReference_data()
{
    QTest::addColumn<int>("input");
    QTest::addColumn<int>("cell");
    for (int input = 0; input < int(std::size(kInputs)); ++input)
        for (int cell = 0; cell < int(std::size(kCells)); ++cell)
            QTest::addRow("%s/%s", kInputs[input], kCells[cell].name) << input << cell;
}

void TestSignalFlow::collapsedEqualsReference()
{
    // The reference reads max and mean |x| over every channel of the full-width map; the collapsed network has one
    // channel. Equal statistics at every layer are what equal channels (algorithm §9.1) imply; a full-width map whose
    // channels differed would show a larger max or another mean somewhere.
    QFETCH(int, input);
    QFETCH(int, cell);
    const SignalFlow& collapsed = run(EvaluatorKind::Fast, input).flows[cell];
    const SignalFlow& reference = run(EvaluatorKind::Reference, input).flows[cell];
    compareFlows(collapsed, reference, expectedLayers());
}

void TestSignalFlow::lastLayerIsTheRecordedOutput_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("cell");
    for (EvaluatorKind kind : { EvaluatorKind::Fast, EvaluatorKind::Reference })
        for (int cell = 0; cell < int(std::size(kCells)); ++cell)
            QTest::addRow("%s/%s", toString(kind).c_str(), kCells[cell].name) << int(kind) << cell;
}

void TestSignalFlow::lastLayerIsTheRecordedOutput()
{
    // The classifier's statistics are those of the outputs the score is computed from (ScoreOptions::keepOutputs).
    QFETCH(int, kind);
    QFETCH(int, cell);
    const Run& result = run(EvaluatorKind(kind), 0);
    const LayerSignal& last = result.flows[cell].layers.back();
    const ArchScore& score = result.scores[cell];
    QCOMPARE(int(score.outputLow.size()), kBatch);
    QCOMPARE(int(score.outputHigh.size()), kBatch);
    const std::pair<const char*, std::pair<double, double>> statistics[] = {
        { "w_lo max |y|", { last.lowMaxAbs, maxAbs(score.outputLow) } },
        { "w_lo mean |y|", { last.lowMeanAbs, meanAbs(score.outputLow) } },
        { "w_hi max |y|", { last.highMaxAbs, maxAbs(score.outputHigh) } },
        { "w_hi mean |y|", { last.highMeanAbs, meanAbs(score.outputHigh) } },
    };
    for (const auto& [what, values] : statistics) {
        const QString problem = disagreement(values.first, values.second);
        QVERIFY2(problem.isEmpty(), qPrintable(QString("%1: signal flow %2").arg(what, problem)));
    }
    // A w_lo output that is exactly 0 everywhere is the NaN of algorithm §1.6, and the flow shows it.
    const bool outputZero
        = std::all_of(score.outputLow.begin(), score.outputLow.end(), [](double v) { return v == 0; });
    QCOMPARE(last.lowAllZero, outputZero);
    if (outputZero)
        QVERIFY(score.isNan());
}

void TestSignalFlow::underflowHasAName()
{
    // Algorithm §1.6: without a skip/pool path through the cell, each ReLU-conv-BN shrinks the w_lo signal by about
    // 1e-9 and float32 reaches exactly 0 within a few cells; with one, the signal survives to the classifier. w_hi
    // never underflows.
    for (EvaluatorKind kind : { EvaluatorKind::Fast, EvaluatorKind::Reference }) {
        for (int input = 0; input < int(std::size(kInputs)); ++input) {
            const Run& result = run(kind, input);
            for (int cell = 0; cell < int(std::size(kCells)); ++cell) {
                const SignalFlow& flow = result.flows[cell];
                const QString where
                    = QString("%1/%2/%3").arg(toString(kind).c_str(), kInputs[input], kCells[cell].name);
                QVERIFY2(flow.firstHighZero() == SignalFlow::npos || cell == kAllNone,
                    qPrintable(where + ": w_hi zero at " + describe(flow.firstHighZero(), flow)));
                const std::size_t zero = flow.firstLowZero();
                if (kCells[cell].convFreePath) {
                    QVERIFY2(zero == SignalFlow::npos, qPrintable(where + ": w_lo zero at " + describe(zero, flow)));
                    QVERIFY(flow.layers.back().lowMaxAbs > 0);
                    continue;
                }
                QVERIFY2(zero != SignalFlow::npos, qPrintable(where + ": the w_lo signal never becomes 0"));
                // Once zero, zero to the end: every later layer was computed, not skipped.
                for (std::size_t i = zero; i < flow.layers.size(); ++i)
                    QVERIFY2(flow.layers[i].lowAllZero, qPrintable(where + ": " + describe(i, flow) + " not zero"));
                if (cell == kAllNone) {
                    // x*0 in the first cell: both weights' signals are zero from "cell 1" on.
                    QCOMPARE(flow.layers[zero].name, std::string("cell 1"));
                    QCOMPARE(flow.firstHighZero(), zero);
                } else {
                    // The stem is finite and nonzero; the underflow happens inside the cells.
                    QVERIFY2(flow.layers[zero].name.rfind("cell ", 0) == 0,
                        qPrintable(where + ": zero first at " + describe(zero, flow)));
                    qInfo("%s: w_lo exactly 0 from %s on (the layer before: max |x| %g)", qPrintable(where),
                        qPrintable(describe(zero, flow)), flow.layers[zero - 1].lowMaxAbs);
                }
            }
        }
    }
}

void TestSignalFlow::float64DoesNotUnderflow()
{
    // The fp64 departure (algorithm §1.6): the all-conv cell's w_lo signal shrinks by the same factors but stays
    // above float64's smallest values, so it reaches the classifier.
    const SignalFlow& fp32 = run(EvaluatorKind::Fast, 0).flows[kAllConv];
    const SignalFlow& fp64 = run(EvaluatorKind::Fast, 0, Precision::Float64).flows[kAllConv];
    QCOMPARE(fp64.firstLowZero(), SignalFlow::npos);
    QVERIFY(fp64.layers.back().lowMaxAbs > 0);
    // Before float32 underflows, both precisions see the same signal.
    const std::size_t zero = fp32.firstLowZero();
    QVERIFY(zero != SignalFlow::npos && zero > 1);
    QVERIFY2(disagreement(fp32.layers[zero - 2].lowMeanAbs, fp64.layers[zero - 2].lowMeanAbs).isEmpty(),
        qPrintable(disagreement(fp32.layers[zero - 2].lowMeanAbs, fp64.layers[zero - 2].lowMeanAbs)));
}

void TestSignalFlow::nb101CollapsedEqualsReference_data()
{
    QTest::addColumn<int>("spec");
    for (int spec = 0; spec < int(std::size(kNb101Specs)); ++spec)
        QTest::newRow(kNb101Specs[spec][0]) << spec;
}

void TestSignalFlow::nb101CollapsedEqualsReference()
{
    // A collapsed NB101 map is a few groups of identical channels (algorithm §9.1): its statistics weigh each group
    // by its channel count, and the reference reads them off the concatenated full-width tensor.
    QFETCH(int, spec);
    InputSpec input = InputSpec::parse("noise:0");
    input.batch = 16;
    input.imageSize = 32;
    const ScoringInput scoring = ScoringInput::of(InputBatch::load(input));
    const Arch arch = nb101::toArch(nb101::Spec::parse(kNb101Specs[spec][1]));
    ScoreOptions options;
    options.weights = nb101::kDefaultWeights;
    const std::unique_ptr<Evaluator> fast = nb101::space().makeEvaluator(scoring, options);
    const SignalFlow collapsed = fast->signalFlow(arch).value();
    const ArchScore score = fast->score({ arch }).front();
    options.evaluator = EvaluatorKind::Reference;
    QElapsedTimer timer;
    timer.start();
    const SignalFlow reference = nb101::space().makeEvaluator(scoring, options)->signalFlow(arch).value();
    qInfo("reference signal flow in %lld ms; score %g", timer.elapsed(), score.score);
    compareFlows(collapsed, reference, expectedNb101Layers());
    // The classifier's statistics are the fast evaluator's recorded outputs.
    const LayerSignal& last = collapsed.layers.back();
    QVERIFY(disagreement(last.lowMaxAbs, maxAbs(score.outputLow)).isEmpty());
    QVERIFY(disagreement(last.lowMeanAbs, meanAbs(score.outputLow)).isEmpty());
    QVERIFY(disagreement(last.highMaxAbs, maxAbs(score.outputHigh)).isEmpty());
    QVERIFY(disagreement(last.highMeanAbs, meanAbs(score.outputHigh)).isEmpty());
}

QTEST_GUILESS_MAIN(TestSignalFlow)
#include "tst_signalflow.moc"
