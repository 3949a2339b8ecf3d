// SPDX-License-Identifier: MIT
// nlp::parameterCount: worked out by hand for the example cells, and equal to NAS-Bench-NLP's own ptb_num_params
// for every recipe of the shared data that has one.
#include "spaces/nlp/recipe.h"
#include "spaces/nlp/space.h"
#include "stats/benchmarktable.h"

#include <QtTest>

#include <cmath>
#include <map>

using namespace epsinas;
using namespace epsinas::nlp;

class TestNlpParameters : public QObject {
    Q_OBJECT

private slots:
    void examples_data();
    void examples();
    void matchesPtbNumParams();
};

void TestNlpParameters::examples_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<qint64>("parameters");
    // Embedding 10,000 × 400 (the decoder weight is the same tensor) + decoder bias 10,000 = 4,010,000. A linear
    // node on x and h_prev_0: layer 0 600·400 + 600·600 + 600 = 600,600; layer 1 600·600 + 600·600 + 600 = 720,600;
    // layer 2 (hidden 400) 400·600 + 400·400 + 400 = 400,400; 1,721,600 over the three layers. The GRU's third
    // linear reads rh instead of h_prev_0, which is as wide.
    QTest::newRow("rnn: 1 linear") << "rnn" << qint64(4010000 + 1 * 1721600);
    QTest::newRow("gru: 3 linears") << "gru" << qint64(4010000 + 3 * 1721600);
    QTest::newRow("lstm: 4 linears") << "lstm" << qint64(4010000 + 4 * 1721600);
}

void TestNlpParameters::examples()
{
    QFETCH(QString, name);
    QFETCH(qint64, parameters);
    QCOMPARE(qint64(parameterCount(Recipe::example(name.toStdString()))), parameters);
}

void TestNlpParameters::matchesPtbNumParams()
{
    const QString dataDir = qEnvironmentVariable("EPSINAS_DATA_DIR");
    if (dataDir.isEmpty())
        QSKIP("EPSINAS_DATA_DIR is not set: the comparison needs the shared NAS-Bench-NLP data");
    const QDir data(dataDir);
    std::map<std::string, Recipe> recipes;
    for (const NamedRecipe& entry : readRecipeFile(data.filePath("nasbench_nlp/recipes.jsonl").toStdString()))
        recipes.emplace(entry.id, entry.recipe);
    QCOMPARE(recipes.size(), std::size_t(344));

    // Every row, not only the first of an id: an id trained twice has two rows.
    const BenchmarkTable table
        = BenchmarkTable::load(data.filePath("nasbench_nlp/ptb_final_test_losses.csv").toStdString(), "recepie_id");
    const std::vector<double> benchmarkCounts = table.column("ptb_num_params");
    std::size_t compared = 0;
    QStringList mismatches;
    for (std::size_t row = 0; row < table.rowCount(); ++row) {
        const auto recipe = recipes.find(table.archs()[row]);
        if (recipe == recipes.end() || std::isnan(benchmarkCounts[row]))
            continue;
        ++compared;
        const std::int64_t counted = parameterCount(recipe->second);
        if (double(counted) != benchmarkCounts[row])
            mismatches << QString("%1: table %2, counted %3")
                              .arg(QString::fromStdString(recipe->first))
                              .arg(benchmarkCounts[row], 0, 'f', 0)
                              .arg(counted);
    }
    qInfo("%zu PTB rows with a recipe, %lld counts differ", compared, qlonglong(mismatches.size()));
    QCOMPARE(compared, std::size_t(312)); // 312 of the 344 recipe ids were trained on PTB
    QVERIFY2(mismatches.isEmpty(), qPrintable(mismatches.join('\n')));
}

QTEST_GUILESS_MAIN(TestNlpParameters)
#include "tst_nlpparameters.moc"
