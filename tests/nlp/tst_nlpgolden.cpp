// SPDX-License-Identifier: MIT
// Golden values of algorithm §7 for the NAS-Bench-NLP example recipes: the synthetic token batch, weights (1e-5, 1e-3).
#include "spaces/nlp/recipe.h"
#include "spaces/nlp/space.h"

#include <QtTest>

#include <atomic>
#include <cmath>

using namespace epsinas;
using namespace epsinas::nlp;

class TestNlpGolden : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void fast_data();
    void fast();
    void reference();
    void referenceStopsInsideARecipe();

private:
    static void compare(const ArchScore& score, double expected, double tolerance);
    ScoreOptions m_options;
    std::optional<TokenBatch> m_batch;
};

void TestNlpGolden::initTestCase()
{
    m_options.weights = kDefaultWeights;
    m_options.keepOutputs = false;
    m_batch = TokenBatch::load(TokenSpec::parse("synthetic"));
    QCOMPARE(m_batch->tokens().size(), std::size_t(70 * 256));
}

void TestNlpGolden::compare(const ArchScore& score, double expected, double tolerance)
{
    QVERIFY2(!score.isNan(), score.nanReason.c_str());
    const double relative = std::abs(score.score - expected) / expected;
    QVERIFY2(relative < tolerance,
        qPrintable(QString("score %1, expected %2 (relative error %3)")
                       .arg(score.score, 0, 'g', 9)
                       .arg(expected)
                       .arg(relative)));
}

void TestNlpGolden::fast_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<double>("expected");
    QTest::newRow("rnn") << "rnn" << 0.604802;
    QTest::newRow("lstm") << "lstm" << 0.856235;
    QTest::newRow("gru") << "gru" << 0.063530;
}

void TestNlpGolden::fast()
{
    QFETCH(QString, name);
    QFETCH(double, expected);
    const auto evaluator = nlp::space().makeEvaluator(ScoringInput::of(*m_batch), m_options);
    const std::vector<ArchScore> scores = evaluator->score({ toArch(Recipe::example(name.toStdString())) });
    QCOMPARE(scores.size(), std::size_t(1));
    // The collapse adds like netlib BLAS, but its tanh/exp are not LibTorch's vectorised ones: the last bits differ.
    compare(scores.front(), expected, 1e-4);
}

void TestNlpGolden::reference()
{
    // The full model costs tens of seconds per recipe on two cores: the plain RNN stands for all three here, the
    // fast path covers the others, and tst_nlpagreement ties the two paths together on smaller batches.
    ScoreOptions options = m_options;
    options.evaluator = EvaluatorKind::Reference;
    QElapsedTimer timer;
    timer.start();
    const std::vector<ArchScore> scores
        = nlp::space().makeEvaluator(ScoringInput::of(*m_batch), options)->score({ toArch(Recipe::example("rnn")) });
    qInfo("reference rnn: %.1f s", timer.elapsed() / 1000.0);
    compare(scores.front(), 0.604802, 1e-5);
}

void TestNlpGolden::referenceStopsInsideARecipe()
{
    // A recipe takes the reference tens of seconds: a cancel must not wait for it to finish. Polls after the one
    // before the first chunk ask to stop; only polls inside the recipe's forward pass can see that.
    ScoreOptions options = m_options;
    options.evaluator = EvaluatorKind::Reference;
    std::atomic<int> polls { 0 };
    RunControl control;
    control.isCancelled = [&polls] { return ++polls > 1; };
    QElapsedTimer timer;
    timer.start();
    QVERIFY_THROWS_EXCEPTION(Cancelled,
        nlp::space()
            .makeEvaluator(ScoringInput::of(*m_batch), options)
            ->score({ toArch(Recipe::example("lstm")) }, control));
    QVERIFY(polls > 1);
    qInfo("cancelled after %.2f s", timer.elapsed() / 1000.0);
}

QTEST_GUILESS_MAIN(TestNlpGolden)
#include "tst_nlpgolden.moc"
