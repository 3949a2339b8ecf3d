// SPDX-License-Identifier: MIT
// Real-data acceptance (issue 6): the fast NLP evaluator on every recipe of recipes.jsonl that has a PTB test loss,
// with a token batch from the PTB validation and test text, correlated against that loss.
#include "spaces/nlp/recipe.h"
#include "spaces/nlp/space.h"
#include "stats/benchmarktable.h"
#include "stats/statistics.h"

#include <QtTest>

#include <cmath>

using namespace epsinas;
using namespace epsinas::nlp;

class TestNlpAcceptance : public QObject {
    Q_OBJECT

private slots:
    void spearmanAgainstPtbTestLoss();
};

void TestNlpAcceptance::spearmanAgainstPtbTestLoss()
{
    const QString dataDir = qEnvironmentVariable("EPSINAS_DATA_DIR");
    if (dataDir.isEmpty())
        QSKIP("EPSINAS_DATA_DIR is not set: the acceptance test needs the shared NAS-Bench-NLP and PTB data");
    const QDir data(dataDir);
    const std::vector<NamedRecipe> all = readRecipeFile(data.filePath("nasbench_nlp/recipes.jsonl").toStdString());
    const BenchmarkTable losses
        = BenchmarkTable::load(data.filePath("nasbench_nlp/ptb_final_test_losses.csv").toStdString(), "recepie_id");
    std::vector<std::string> ids;
    for (const NamedRecipe& entry : all)
        ids.push_back(entry.id);
    const std::vector<double> allLosses = losses.lookup(ids, "ptb_test_loss_final");
    std::vector<Recipe> recipes;
    std::vector<double> targets;
    for (std::size_t i = 0; i < all.size(); ++i) {
        if (std::isnan(allLosses[i]))
            continue;
        recipes.push_back(all[i].recipe);
        targets.push_back(allLosses[i]);
    }
    QCOMPARE(recipes.size(), std::size_t(312)); // 344 ids, 312 with a finite PTB loss

    const TokenBatch batch = TokenBatch::load(TokenSpec::parse("ptb:" + data.filePath("ptb/ptb.valid.txt").toStdString()
        + "," + data.filePath("ptb/ptb.test.txt").toStdString()));
    ScoreOptions options;
    options.weights = kDefaultWeights;
    options.keepOutputs = false;
    QElapsedTimer timer;
    timer.start();
    const std::vector<ArchScore> scores
        = nlp::space().makeEvaluator(ScoringInput::of(batch), options)->score(nlp::toArchs(recipes));
    const double seconds = timer.elapsed() / 1000.0;

    std::vector<double> values;
    for (const ArchScore& score : scores)
        values.push_back(score.score);
    const CorrelationReport report = correlate(values, targets, NanPolicy::Exclude, /*higherTargetIsBetter=*/false);
    qInfo("%zu recipes in %.2f s (%.1f ms each); n=%zu, NaN=%zu; Spearman vs PTB test loss %.3f, Kendall %.3f "
          "(paper: rho = -0.34 over 14k recipes)",
        recipes.size(), seconds, 1000 * seconds / recipes.size(), report.n, report.nanCount, report.spearman,
        report.kendall);
    // Higher score = better cell = lower loss: the correlation must be negative, as the paper's is.
    QVERIFY(report.n > 200);
    QVERIFY2(report.spearman < -0.1, qPrintable(QString("Spearman %1").arg(report.spearman)));
}

QTEST_GUILESS_MAIN(TestNlpAcceptance)
#include "tst_nlpacceptance.moc"
