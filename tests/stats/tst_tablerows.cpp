// SPDX-License-Identifier: MIT
// Picking rows and pairs: BenchmarkTable::load's row conditions (a table that lists several datasets) and
// pairIsUsed(), the rule by which several score columns agree on the architectures they all count.
#include "stats/benchmarktable.h"
#include "stats/statistics.h"

#include <QtTest>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

using namespace epsinas;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Three architectures, each on two datasets, listed dataset by dataset as the NASLib subset lists them; on cifar100
// the acc column holds text once, so it is numeric only among the cifar10 rows.
const QByteArray kTwoDatasets = "arch,dataset,acc\n"
                                "a,cifar100,n/a\n"
                                "b,cifar100,50\n"
                                "c,cifar100,60\n"
                                "a,cifar10,91\n"
                                "b,\"cifar10\",92\n"
                                "c, cifar10 ,93\n";

} // namespace

class TestTableRows : public QObject {
    Q_OBJECT

private slots:
    void whereKeepsMatchingRows();
    void whereRefusesWhatItCannotMeet_data();
    void whereRefusesWhatItCannotMeet();
    void pairIsUsedFollowsTheRules_data();
    void pairIsUsedFollowsTheRules();

private:
    std::string write(const QString& name, const QByteArray& content);
    QTemporaryDir m_dir;
};

std::string TestTableRows::write(const QString& name, const QByteArray& content)
{
    const QString path = m_dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
        qFatal("cannot write %s", qPrintable(path));
    return path.toStdString();
}

void TestTableRows::whereKeepsMatchingRows()
{
    const std::string path = write("datasets.csv", kTwoDatasets);
    // Unfiltered, every architecture repeats and acc is not numeric.
    const BenchmarkTable whole = BenchmarkTable::load(path);
    QCOMPARE(whole.duplicateRows().size(), std::size_t(3));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, whole.column("acc"));

    // Quoted and padded fields compare as the table reads them (unquoted, trimmed).
    const BenchmarkTable cifar10 = BenchmarkTable::load(path, {}, {}, { { "dataset", "cifar10" } });
    QCOMPARE(cifar10.rowCount(), std::size_t(3));
    QVERIFY(cifar10.duplicateRows().empty());
    QCOMPARE(cifar10.column("acc"), (std::vector<double> { 91, 92, 93 }));
    QCOMPARE(cifar10.lookup({ "c", "a" }, "acc"), (std::vector<double> { 93, 91 }));

    // Every condition must hold.
    const BenchmarkTable one = BenchmarkTable::load(path, {}, {}, { { "dataset", "cifar10" }, { "arch", "b" } });
    QCOMPARE(one.archs(), (std::vector<std::string> { "b" }));
}

void TestTableRows::whereRefusesWhatItCannotMeet_data()
{
    QTest::addColumn<QString>("column");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("no such column") << "split"
                                    << "x"
                                    << "no column 'split' to select rows by; columns: arch, dataset, acc";
    QTest::newRow("no such value") << "dataset"
                                   << "imagenet"
                                   << "no row where dataset is 'imagenet' (its values include cifar100, cifar10)";
    // Matching is exact text: a different spelling is no match.
    QTest::newRow("case") << "dataset"
                          << "CIFAR10"
                          << "no row where dataset is 'CIFAR10'";
}

void TestTableRows::whereRefusesWhatItCannotMeet()
{
    QFETCH(QString, column);
    QFETCH(QString, value);
    QFETCH(QString, mentions);
    const std::string path = write("refuse.csv", kTwoDatasets);
    try {
        BenchmarkTable::load(path, {}, {}, { { column.toStdString(), value.toStdString() } });
        QFAIL("no exception");
    } catch (const std::runtime_error& error) {
        QVERIFY2(QString(error.what()).contains(mentions), error.what());
    }
}

void TestTableRows::pairIsUsedFollowsTheRules_data()
{
    QTest::addColumn<int>("rule");
    QTest::addColumn<int>("policy");
    QTest::addColumn<double>("score");
    QTest::addColumn<double>("target");
    QTest::addColumn<bool>("used");
    const int nanOut = int(ScoreRule::NanOut);
    const int nonPositive = int(ScoreRule::NonPositiveOut);
    const int zeroIsNan = int(ScoreRule::ZeroIsNan);
    const int exclude = int(NanPolicy::Exclude);
    const int worst = int(NanPolicy::Worst);
    QTest::newRow("scored") << nanOut << exclude << 0.5 << 90.0 << true;
    QTest::newRow("no target") << nanOut << worst << 0.5 << kNaN << false;
    QTest::newRow("nan score excluded") << nanOut << exclude << kNaN << 90.0 << false;
    QTest::newRow("nan score ranked worst") << nanOut << worst << kNaN << 90.0 << true;
    QTest::newRow("nb201 keeps 0 and negatives") << nanOut << exclude << -1.0 << 90.0 << true;
    QTest::newRow("infinite is a score") << nanOut << exclude << HUGE_VAL << 90.0 << true;
    QTest::newRow("nb101 drops 0 whatever the policy") << nonPositive << worst << 0.0 << 90.0 << false;
    QTest::newRow("nb101 keeps positives") << nonPositive << exclude << 1e-9 << 90.0 << true;
    QTest::newRow("nlp 0 is NaN, excluded") << zeroIsNan << exclude << 0.0 << 4.5 << false;
    QTest::newRow("nlp 0 is NaN, ranked worst") << zeroIsNan << worst << 0.0 << 4.5 << true;
    QTest::newRow("nlp keeps negatives") << zeroIsNan << exclude << -0.5 << 4.5 << true;
}

void TestTableRows::pairIsUsedFollowsTheRules()
{
    QFETCH(int, rule);
    QFETCH(int, policy);
    QFETCH(double, score);
    QFETCH(double, target);
    QFETCH(bool, used);
    CorrelationOptions options;
    options.scoreRule = ScoreRule(rule);
    options.policy = NanPolicy(policy);
    QCOMPARE(pairIsUsed(score, target, options), used);
    // correlate() agrees: the pair plus two that always count is n = 3 exactly when the pair is used.
    const CorrelationReport report = correlate({ score, 1, 2 }, { target, 80, 85 }, options);
    QCOMPARE(report.n, std::size_t(used ? 3 : 2));
}

QTEST_GUILESS_MAIN(TestTableRows)
#include "tst_tablerows.moc"
