// SPDX-License-Identifier: MIT
// The fast (width-collapsed) NB101 evaluator against the reference (full-width) one. The reference network is large
// (up to 30M parameters at 128-512 channels), so this runs at batch 16 on small specs to keep CI time low; the fast
// path itself is checked at batch 256 by the acceptance test.
#include "score/input.h"
#include "spaces/nb101/space.h"
#include "spaces/nb101/spec.h"

#include <QtTest>

#include <cmath>
#include <string>
#include <vector>

using namespace epsinas;

namespace {

// Issue 2's agreement tolerance: the two paths sum in different orders in float32.
constexpr double kTolerance = 5e-3;
// Cells whose only path is the input projection (or a pool) give nearly proportional outputs for the two weights, so
// their score (~1e-6) is float32 rounding noise of the normalised outputs in either path: below kTinyScore the
// scores are compared absolutely (both must be tiny), every other score relatively.
constexpr double kNoiseFloor = 1e-4;
constexpr double kTinyScore = 1e-3;
constexpr int kBatch = 16;

/**
 * Specs covering every rule of the network: the bare input projection, each op alone, the output split into
 * 43/43/42 channels with truncation between vertices, concatenation plus the added input projection, chains that
 * underflow to NaN at w = 1e-4 (no short path), specs of the benchmark table and of the sampler.
 */
const char* const kSpecs[] = {
    "0100:input|output",
    "011001000:input|conv1x1-bn-relu|output",
    "010001000:input|maxpool3x3|output",
    "011001000:input|conv3x3-bn-relu|output",
    "0101000101000110000100000:input|conv1x1-bn-relu|maxpool3x3|conv3x3-bn-relu|output",
    "010110001000000001000001000001000000:input|conv1x1-bn-relu|conv3x3-bn-relu|maxpool3x3|conv3x3-bn-relu|output",
    "0111001100010000:input|conv3x3-bn-relu|conv1x1-bn-relu|output",
    "0111100100000110000100000:input|conv1x1-bn-relu|conv3x3-bn-relu|conv3x3-bn-relu|output",
    "010001001011000101000010000001000000:input|maxpool3x3|conv1x1-bn-relu|conv3x3-bn-relu|conv1x1-bn-relu|output",
    // no input -> output shortcut: long enough chains underflow at w = 1e-4
    "0100000100000100000100000:input|conv1x1-bn-relu|conv1x1-bn-relu|conv1x1-bn-relu|output",
    "0100000100000100000100000:input|conv1x1-bn-relu|maxpool3x3|conv1x1-bn-relu|output",
    "0100000100000100000100000:input|maxpool3x3|maxpool3x3|conv1x1-bn-relu|output",
    "0100000100000100000100000:input|conv3x3-bn-relu|maxpool3x3|conv1x1-bn-relu|output",
    "0100000001000000010000000100000001000000010000000:input|conv1x1-bn-relu|conv1x1-bn-relu|conv1x1-bn-relu|"
    "conv1x1-bn-relu|conv1x1-bn-relu|output",
};

} // namespace

class TestNb101Agreement : public QObject {
    Q_OBJECT

private slots:
    void fastAgreesWithReference();
};

void TestNb101Agreement::fastAgreesWithReference()
{
    std::vector<nb101::Spec> specs;
    for (const char* text : kSpecs)
        specs.push_back(nb101::Spec::parse(text));
    InputSpec spec = InputSpec::parse("noise:1");
    spec.batch = kBatch;
    const InputBatch input = InputBatch::load(spec);
    ScoreOptions options;
    options.weights = nb101::kDefaultWeights;

    QElapsedTimer timer;
    timer.start();
    const std::vector<ArchScore> fast
        = nb101::space().makeEvaluator(ScoringInput::of(input), options)->score(nb101::toArchs(specs));
    const qint64 fastMs = timer.restart();
    options.evaluator = EvaluatorKind::Reference;
    const std::vector<ArchScore> reference
        = nb101::space().makeEvaluator(ScoringInput::of(input), options)->score(nb101::toArchs(specs));
    qInfo("%d specs at batch %d: fast %lld ms, reference %lld ms", int(specs.size()), kBatch, fastMs, timer.elapsed());

    QStringList wrong;
    int nan = 0;
    for (std::size_t i = 0; i < specs.size(); ++i) {
        const double a = fast[i].score, b = reference[i].score;
        qInfo("%-40.40s fast %.7g reference %.7g %s", kSpecs[i], a, b, reference[i].nanReason.c_str());
        nan += reference[i].isNan() ? 1 : 0;
        const bool agree = fast[i].isNan() == reference[i].isNan()
            && (reference[i].isNan()
                || std::abs(a - b) <= (std::abs(b) < kTinyScore ? kNoiseFloor : kTolerance * std::abs(b)));
        if (!agree)
            wrong << QString("%1: fast %2, reference %3").arg(kSpecs[i]).arg(a, 0, 'g', 9).arg(b, 0, 'g', 9);
    }
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join("; ")));
    // The set must exercise the NaN path as well as finite scores.
    QVERIFY2(nan >= 2 && nan <= int(specs.size()) - 8, qPrintable(QString("%1 NaN").arg(nan)));
}

QTEST_GUILESS_MAIN(TestNb101Agreement)
#include "tst_nb101agreement.moc"
