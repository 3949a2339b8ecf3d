// SPDX-License-Identifier: MIT
// Real-data acceptance (issue 5): the fast NB101 evaluator on 100 fixed specs of nb101_specs_1000.csv (every 10th row)
// with the first 256 images of the CIFAR-10 training file, against the benchmark's 108-epoch validation accuracy.
#include "score/input.h"
#include "spaces/nb101/space.h"
#include "spaces/nb101/spec.h"
#include "stats/benchmarktable.h"
#include "stats/statistics.h"

#include <QtTest>

#include <cmath>
#include <string>
#include <vector>

using namespace epsinas;

class TestNb101Acceptance : public QObject {
    Q_OBJECT

private slots:
    void spearmanAgainstValidationAccuracy();
};

void TestNb101Acceptance::spearmanAgainstValidationAccuracy()
{
    const QString dataDir = qEnvironmentVariable("EPSINAS_DATA_DIR");
    if (dataDir.isEmpty())
        QSKIP("EPSINAS_DATA_DIR is not set: the acceptance test needs the shared CIFAR-10 and NB101 data");
    const QString batch = QDir(dataDir).filePath("cifar10/cifar10_data_batch_1_first2000.bin");
    const QString specsPath = QDir(dataDir).filePath("nb101/nb101_specs_1000.csv");
    QVERIFY2(QFileInfo::exists(batch), qPrintable("missing " + batch));

    QFile file(specsPath);
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable("cannot read " + specsPath));
    const QStringList header = QString::fromUtf8(file.readLine()).trimmed().split(',');
    const int adjacencyColumn = header.indexOf("adjacency"), opsColumn = header.indexOf("ops"),
              hashColumn = header.indexOf("hash");
    std::vector<nb101::Spec> specs;
    std::vector<std::string> hashes;
    for (int row = 0; !file.atEnd(); ++row) {
        const QStringList fields = QString::fromUtf8(file.readLine()).trimmed().split(',');
        if (row % 10 != 0)
            continue;
        specs.push_back(
            nb101::Spec::fromColumns(fields[adjacencyColumn].toStdString(), fields[opsColumn].toStdString()));
        hashes.push_back(fields[hashColumn].toStdString());
    }
    QCOMPARE(specs.size(), std::size_t(100));

    InputSpec spec = InputSpec::parse("cifar10:" + batch.toStdString());
    spec.batch = 256;
    ScoreOptions options; // fast, float32, the NB101 weights (1e-4, 10): the reference behaviour
    options.weights = nb101::kDefaultWeights;
    options.keepOutputs = false;
    QElapsedTimer timer;
    timer.start();
    const std::vector<ArchScore> scores
        = nb101::space().makeEvaluator(ScoringInput::of(InputBatch::load(spec)), options)->score(nb101::toArchs(specs));
    qInfo("fast evaluator: %d specs at batch 256 in %lld ms", int(specs.size()), timer.elapsed());
    QCOMPARE(scores.size(), specs.size());

    const BenchmarkTable table = BenchmarkTable::load(specsPath.toStdString(), "hash");
    const std::vector<double> accuracy = table.lookup(hashes, "val_acc_108ep");
    std::vector<double> x, y;
    int nan = 0;
    for (std::size_t i = 0; i < scores.size(); ++i) {
        QVERIFY(!std::isnan(accuracy[i]));
        if (scores[i].isNan()) {
            ++nan;
            continue;
        }
        x.push_back(scores[i].score);
        y.push_back(accuracy[i]);
    }
    // The paper's statistics: NaN scores excluded. Measured: 66 NaN, rho = 0.68 over 34 (the paper: ~0.62 against
    // test accuracy); with n = 34 the bound leaves room for a standard error of ~0.13.
    const double rho = spearman(x, y);
    qInfo("NaN: %d of %d specs; Spearman rho against val_acc_108ep over the %d scored: %.4f", nan, int(specs.size()),
        int(x.size()), rho);
    QVERIFY2(x.size() >= 20, "too few scored specs for a correlation");
    QVERIFY2(rho > 0.4, qPrintable(QString("rho = %1").arg(rho)));
}

QTEST_GUILESS_MAIN(TestNb101Acceptance)
#include "tst_nb101acceptance.moc"
