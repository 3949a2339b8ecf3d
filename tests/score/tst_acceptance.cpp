// SPDX-License-Identifier: MIT
// Real-data acceptance (issue 2): the fast evaluator on 500 fixed NB201 cells with a real CIFAR-10 batch.
#include "score/input.h"
#include "spaces/nb201/cell.h"
#include "spaces/nb201/space.h"
#include "stats/benchmarktable.h"
#include "stats/statistics.h"

#include <QtTest>

#include <cmath>
#include <string>
#include <vector>

using namespace epsinas;
using nb201::Cell;

class TestAcceptance : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void nanSetIsTheConvFreePathRule();
    void spearmanAgainstCifar10Accuracy();

private:
    QString m_dataDir;
    std::vector<Cell> m_cells;
    std::vector<ArchScore> m_scores;
};

void TestAcceptance::initTestCase()
{
    m_dataDir = qEnvironmentVariable("EPSINAS_DATA_DIR");
    if (m_dataDir.isEmpty())
        QSKIP("EPSINAS_DATA_DIR is not set: the acceptance test needs the shared CIFAR-10 and NB201 data");
    const QString batch = QDir(m_dataDir).filePath("cifar10/cifar10_data_batch_1_first2000.bin");
    QVERIFY2(QFileInfo::exists(batch), qPrintable("missing " + batch));

    // Every 31st cell of our enumeration (index order of nb201::Cell): 0, 31, ..., 15469.
    for (int k = 0; k < 500; ++k)
        m_cells.push_back(Cell::fromIndex(31 * k));

    InputSpec spec = InputSpec::parse("cifar10:" + batch.toStdString());
    spec.batch = 256;
    ScoreOptions options; // fast, float32, weights (1e-7, 1): the reference behaviour
    options.keepOutputs = false;
    QElapsedTimer timer;
    timer.start();
    m_scores = nb201::space()
                   .makeEvaluator(ScoringInput::of(InputBatch::load(spec)), options)
                   ->score(nb201::toArchs(m_cells));
    qInfo("fast evaluator: %d cells at batch 256 in %lld ms", int(m_cells.size()), timer.elapsed());
    QCOMPARE(m_scores.size(), m_cells.size());
}

void TestAcceptance::nanSetIsTheConvFreePathRule()
{
    // Algorithm §1.5: in float32 with w_lo = 1e-7 a cell scores NaN exactly when it has no conv-free path.
    QStringList wrong;
    int nan = 0;
    for (std::size_t i = 0; i < m_cells.size(); ++i) {
        const bool isNan = std::isnan(m_scores[i].score);
        QCOMPARE(m_scores[i].isNan(), isNan);
        nan += isNan ? 1 : 0;
        if (isNan == m_cells[i].hasConvFreePath())
            wrong << QString("%1 (%2: score %3 %4)")
                         .arg(QString::fromStdString(m_cells[i].toString()))
                         .arg(m_cells[i].hasConvFreePath() ? "has a conv-free path" : "no conv-free path")
                         .arg(m_scores[i].score)
                         .arg(QString::fromStdString(m_scores[i].nanReason));
    }
    qInfo("NaN: %d of %d cells", nan, int(m_cells.size()));
    QVERIFY2(wrong.isEmpty(), qPrintable(QString("%1 cells break the rule: ").arg(wrong.size()) + wrong.join("; ")));
}

void TestAcceptance::spearmanAgainstCifar10Accuracy()
{
    const BenchmarkTable table
        = BenchmarkTable::load(QDir(m_dataDir).filePath("nb201/nb201_accuracies.csv").toStdString());
    std::vector<std::string> archs;
    for (const Cell& cell : m_cells)
        archs.push_back(cell.toString());
    const std::vector<double> accuracy = table.lookup(archs, "cifar10_oritest_200ep_nb201");
    QCOMPARE(accuracy.size(), m_cells.size());

    // The paper's statistics: scored cells only (NaN excluded).
    std::vector<double> scores, targets;
    for (std::size_t i = 0; i < m_cells.size(); ++i) {
        QVERIFY2(!std::isnan(accuracy[i]), qPrintable("no accuracy for " + QString::fromStdString(archs[i])));
        if (std::isnan(m_scores[i].score))
            continue;
        scores.push_back(m_scores[i].score);
        targets.push_back(accuracy[i]);
    }
    const double rho = spearman(scores, targets);
    qInfo("Spearman rho = %.4f over n = %d scored cells (%d NaN excluded), target cifar10_oritest_200ep_nb201", rho,
        int(scores.size()), int(m_cells.size() - scores.size()));
    QVERIFY(scores.size() >= 250);
    QVERIFY2(rho >= 0.80, qPrintable(QString("Spearman rho %1 < 0.80 (n = %2)").arg(rho).arg(scores.size())));

    // The same figure through the report the CLI and GUI print.
    const CorrelationReport report = correlate(
        [&] {
            std::vector<double> all;
            for (const ArchScore& s : m_scores)
                all.push_back(s.score);
            return all;
        }(),
        accuracy, NanPolicy::Exclude);
    QCOMPARE(report.n, scores.size());
    QCOMPARE(report.nanCount, m_cells.size() - scores.size());
    QCOMPARE(report.spearman, rho);
}

QTEST_GUILESS_MAIN(TestAcceptance)
#include "tst_acceptance.moc"
