// SPDX-License-Identifier: MIT
// The batched tensor form of the fast NAS-Bench-NLP evaluator (what --device cuda runs, here on the CPU through
// FastBackend::Tensors) against the plain-loop CPU fast path, on all 344 recipes of recipes.jsonl with the PTB batch:
// issue 15's exactness bar (NaN sets equal, finite scores within relative 5e-3). The linear terms add what the loops
// add (exact repeated sums) and, on the CPU, tanh and exp are the C library's as in the loops.
#include "score/tokeninput.h"
#include "spaces/nlp/model.h"
#include "spaces/nlp/recipe.h"
#include "spaces/nlp/space.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

using namespace epsinas;
using namespace epsinas::nlp;

namespace {

// Issue 15's agreement bound between the GPU form and the CPU fast path.
constexpr double kScoreTolerance = 5e-3;

} // namespace

class TestNlpTensors : public QObject {
    Q_OBJECT

private slots:
    void tensorFormEqualsLoops_data();
    void tensorFormEqualsLoops();
};

void TestNlpTensors::tensorFormEqualsLoops_data()
{
    QTest::addColumn<bool>("ptb");
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("everyNth");
    QTest::addColumn<bool>("float64");
    // All 344 recipes at batch 32: the tensor form is slow on two CPU cores (~7 minutes at batch 256).
    QTest::newRow("ptb, batch 32, all recipes") << true << 32 << 1 << false;
    // float64 sums a linear term as width × value in one rounding (a departure inside a departure): a sample.
    QTest::newRow("synthetic, batch 32, every 10th, float64") << false << 32 << 10 << true;
}

void TestNlpTensors::tensorFormEqualsLoops()
{
    QFETCH(bool, ptb);
    QFETCH(int, batch);
    QFETCH(int, everyNth);
    QFETCH(bool, float64);
    const QString dataDir = qEnvironmentVariable("EPSINAS_DATA_DIR");
    if (dataDir.isEmpty())
        QSKIP("EPSINAS_DATA_DIR is not set: the test needs recipes.jsonl and the PTB text");
    const QDir data(dataDir);
    const std::vector<NamedRecipe> all = readRecipeFile(data.filePath("nasbench_nlp/recipes.jsonl").toStdString());
    QCOMPARE(all.size(), std::size_t(344));
    std::vector<Recipe> recipes;
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < all.size(); i += static_cast<std::size_t>(everyNth)) {
        recipes.push_back(all[i].recipe);
        ids.push_back(all[i].id);
    }
    TokenSpec spec = TokenSpec::parse(ptb ? "ptb:" + data.filePath("ptb/ptb.valid.txt").toStdString() + ","
                + data.filePath("ptb/ptb.test.txt").toStdString()
                                          : std::string("synthetic"));
    spec.batch = batch;
    const ScoringInput input = ScoringInput::of(TokenBatch::load(spec));
    ScoreOptions options;
    options.weights = kDefaultWeights;
    options.precision = float64 ? Precision::Float64 : Precision::Float32;
    QElapsedTimer timer;
    timer.start();
    const std::vector<ArchScore> loops = nlp::space().makeEvaluator(input, options)->score(nlp::toArchs(recipes));
    const qint64 loopsMs = timer.restart();
    options.fastBackend = FastBackend::Tensors;
    const std::vector<ArchScore> tensors = nlp::space().makeEvaluator(input, options)->score(nlp::toArchs(recipes));
    qInfo("%d recipes at batch %d: loops %lld ms, tensor form %lld ms", int(recipes.size()), batch, loopsMs,
        timer.elapsed());
    QCOMPARE(tensors.size(), recipes.size());

    int nanCount = 0;
    double worst = 0;
    for (std::size_t i = 0; i < recipes.size(); ++i) {
        QVERIFY2(loops[i].isNan() == tensors[i].isNan(),
            qPrintable(QString::fromStdString("recipe " + ids[i] + ": NaN status differs (" + loops[i].nanReason + " / "
                + tensors[i].nanReason + ")")));
        QCOMPARE(tensors[i].outputLow.size(), loops[i].outputLow.size());
        if (loops[i].isNan()) {
            ++nanCount;
            continue;
        }
        const double difference = std::abs(tensors[i].score - loops[i].score);
        const double relative = difference == 0 ? 0 : difference / std::abs(loops[i].score);
        worst = std::max(worst, relative);
        QVERIFY2(relative <= kScoreTolerance,
            qPrintable(QString("recipe %1: loops %2, tensor form %3")
                           .arg(QString::fromStdString(ids[i]))
                           .arg(loops[i].score, 0, 'g', 9)
                           .arg(tensors[i].score, 0, 'g', 9)));
    }
    qInfo("%d NaN; largest relative score difference %.3g", nanCount, worst);
}

QTEST_GUILESS_MAIN(TestNlpTensors)
#include "tst_nlptensors.moc"
