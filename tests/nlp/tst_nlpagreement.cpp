// SPDX-License-Identifier: MIT
// The fast (hidden-unit collapse) and reference (full model) NLP evaluators agree: scores to 1e-4 relative in
// float32 (another BLAS or LibTorch's own tanh/exp change the last bits, algorithm §4.1), outputs to 1e-10 in float64
// where rounding no longer hides a wrong formula, and identical NaN. Small batches keep the full model affordable
// on two cores.
#include "spaces/nlp/recipe.h"
#include "spaces/nlp/space.h"

#include <QtTest>

#include <cmath>

using namespace epsinas;
using namespace epsinas::nlp;

class TestNlpAgreement : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void float32_data();
    void float32();
    void float64Outputs();

private:
    static std::vector<ArchScore> run(
        const std::vector<Recipe>& recipes, EvaluatorKind kind, Precision precision, const TokenBatch& batch);
    std::vector<Recipe> m_recipes;
    std::vector<std::string> m_names;
};

std::vector<ArchScore> TestNlpAgreement::run(
    const std::vector<Recipe>& recipes, EvaluatorKind kind, Precision precision, const TokenBatch& batch)
{
    ScoreOptions options;
    options.weights = kDefaultWeights;
    options.evaluator = kind;
    options.precision = precision;
    return nlp::space().makeEvaluator(ScoringInput::of(batch), options)->score(nlp::toArchs(recipes));
}

void TestNlpAgreement::initTestCase()
{
    for (const char* name : { "rnn", "lstm", "gru" }) {
        m_recipes.push_back(Recipe::example(name));
        m_names.push_back(name);
    }
    RecipeGenerator generator(2024);
    for (int i = 0; i < 6; ++i) {
        m_recipes.push_back(generator.next());
        m_names.push_back("random " + std::to_string(i));
    }
}

void TestNlpAgreement::float32_data()
{
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("steps");
    QTest::newRow("B=16, T=24") << 16 << 24;
    QTest::newRow("B=48, T=8") << 48 << 8;
}

void TestNlpAgreement::float32()
{
    QFETCH(int, batch);
    QFETCH(int, steps);
    TokenSpec spec;
    spec.batch = batch;
    spec.steps = steps;
    const TokenBatch tokens = TokenBatch::load(spec);
    QElapsedTimer timer;
    timer.start();
    const std::vector<ArchScore> fast = run(m_recipes, EvaluatorKind::Fast, Precision::Float32, tokens);
    const qint64 fastMs = timer.restart();
    const std::vector<ArchScore> reference = run(m_recipes, EvaluatorKind::Reference, Precision::Float32, tokens);
    qInfo("%zu recipes: fast %lld ms, reference %lld ms", m_recipes.size(), fastMs, timer.elapsed());
    double worst = 0;
    for (std::size_t i = 0; i < m_recipes.size(); ++i) {
        const QString what = QString::fromStdString(m_names[i] + " " + m_recipes[i].toJson());
        QVERIFY2(fast[i].isNan() == reference[i].isNan(),
            qPrintable(what + ": fast '" + QString::fromStdString(fast[i].nanReason) + "', reference '"
                + QString::fromStdString(reference[i].nanReason) + "'"));
        if (fast[i].isNan())
            continue;
        const double relative = std::abs(fast[i].score - reference[i].score) / std::abs(reference[i].score);
        worst = std::max(worst, relative);
        QVERIFY2(relative < 1e-4,
            qPrintable(what
                + QString(": fast %1, reference %2").arg(fast[i].score, 0, 'g', 9).arg(reference[i].score, 0, 'g', 9)));
    }
    qInfo("largest relative score difference %.2g", worst);
}

void TestNlpAgreement::float64Outputs()
{
    TokenSpec spec;
    spec.batch = 8;
    spec.steps = 8;
    const TokenBatch tokens = TokenBatch::load(spec);
    const std::vector<ArchScore> fast = run(m_recipes, EvaluatorKind::Fast, Precision::Float64, tokens);
    const std::vector<ArchScore> reference = run(m_recipes, EvaluatorKind::Reference, Precision::Float64, tokens);
    for (std::size_t i = 0; i < m_recipes.size(); ++i) {
        QCOMPARE(fast[i].outputLow.size(), std::size_t(8 * 8));
        for (const auto& [a, b] : { std::pair { &fast[i].outputLow, &reference[i].outputLow },
                 std::pair { &fast[i].outputHigh, &reference[i].outputHigh } }) {
            for (std::size_t j = 0; j < a->size(); ++j) {
                const double scale = std::max(std::abs((*b)[j]), 1e-300);
                QVERIFY2(std::abs((*a)[j] - (*b)[j]) / scale < 1e-10,
                    qPrintable(QString::fromStdString(m_names[i])
                        + QString(": output %1: fast %2, reference %3")
                              .arg(j)
                              .arg((*a)[j], 0, 'g', 17)
                              .arg((*b)[j], 0, 'g', 17)));
            }
        }
    }
}

QTEST_GUILESS_MAIN(TestNlpAgreement)
#include "tst_nlpagreement.moc"
