// SPDX-License-Identifier: MIT
#include "benchmark.h"
#include "plotexport.h"
#include "scatterplot.h"
#include "scoretablemodel.h"

#include "spaces/nb201/space.h"
#include "spaces/nlp/space.h"

#include <QAbstractItemModelTester>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>

#include <qcustomplot.h>

#include <cmath>
#include <limits>

using epsinas::gui::ScatterPlot;
using epsinas::gui::ScoredArch;
using epsinas::gui::ScoredArchs;
using epsinas::gui::ScoreTableModel;
namespace nb201 = epsinas::nb201;
namespace nlp = epsinas::nlp;

namespace {

/** A number as a score, the other parts left empty. */
epsinas::ArchScore scoreOf(double score)
{
    epsinas::ArchScore result;
    result.score = score;
    return result;
}

ScoredArch scored(int index, double score)
{
    ScoredArch cell;
    cell.arch = nb201::toArch(nb201::Cell::fromIndex(index));
    cell.score = score;
    cell.mae = score / 2;
    cell.mean = 0.5;
    return cell;
}

ScoredArch nanScored(int index)
{
    ScoredArch cell = scored(index, std::numeric_limits<double>::quiet_NaN());
    cell.nanReason = QStringLiteral("w=1e-07: all outputs equal, min = max");
    return cell;
}

/** Some scored cells spread over the space, a few of them NaN. */
ScoredArchs someScores()
{
    ScoredArchs cells;
    for (int i = 0; i < 40; ++i)
        cells.push_back(i % 5 == 0 ? nanScored(i * 389) : scored(i * 389, 0.01 * i));
    return cells;
}

/** The key a table of NB201 cells is joined by (SearchSpace::tableKey): the cell's arch string. */
QString tableKey(int index)
{
    return QString::fromStdString(nb201::Cell::fromIndex(index).toString());
}

/** Made-up accuracies of every cell, by the cells' table keys. */
QHash<QString, double> someAccuracies()
{
    QHash<QString, double> targets;
    for (int i = 0; i < nb201::kCellCount; ++i)
        targets.insert(tableKey(i), 80 + std::fmod(i * 0.37, 13));
    return targets;
}

/** The row key of the cell at `index`. */
QString rowKey(int index)
{
    return ScoredArch::rowKey(nb201::toArch(nb201::Cell::fromIndex(index)), {});
}
} // namespace

class TestScatterPlot : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void modelPassesTheTester()
    {
        ScoreTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.addScores(someScores());
        QCOMPARE(model.rowCount(), 40);
        QCOMPARE(model.nanCount(), 8);
        // Updating a present cell changes it in place; a repeated cell in one chunk counts once.
        model.addScores({ scored(0, 0.5), scored(7, 0.1), scored(7, 0.2) });
        QCOMPARE(model.rowCount(), 41);
        QCOMPARE(model.nanCount(), 7);
        QCOMPARE(model.scored(model.rowOfKey(rowKey(7))).score, 0.2);

        const QHash<QString, double> targets = someAccuracies();
        model.setTargets(QStringLiteral("test_acc"), targets);
        QCOMPARE(
            model.headerData(ScoreTableModel::TargetColumn, Qt::Horizontal).toString(), QStringLiteral("test_acc"));
        QCOMPARE(model.target(0), targets.value(model.scored(0).text()));

        QString csv;
        QTextStream out(&csv);
        model.writeCsv(out, { QStringLiteral("test") });
        out.flush();
        QCOMPARE(csv.count(QLatin1Char('\n')), 1 + 1 + model.rowCount());
        QVERIFY(csv.contains(QStringLiteral("arch,arch_index,score,mae,mean,parameters,test_acc,nan_reason")));
        QVERIFY(csv.contains(QStringLiteral("\"w=1e-07: all outputs equal, min = max\"")));

        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.nanCount(), 0);
    }

    void exportedIndicesAreTheOfficialOnes()
    {
        // The official NB201 order is not the enumeration order: without a table the CSV has no index at all.
        ScoreTableModel model;
        ScoredArchs all;
        for (int i = 0; i < nb201::kCellCount; ++i)
            all.push_back(scored(i, 0.5));
        model.addScores(all);
        const auto exportedIndex = [&model] {
            QString csv;
            QTextStream out(&csv);
            model.writeCsv(out, {});
            out.flush();
            QHash<QString, QString> indexByArch;
            const QStringList lines = csv.trimmed().split(QLatin1Char('\n'));
            for (qsizetype i = 1; i < lines.size(); ++i)
                indexByArch.insert(lines[i].section(QLatin1Char(','), 0, 0), lines[i].section(QLatin1Char(','), 1, 1));
            return indexByArch;
        };
        for (const QString& index : exportedIndex())
            QVERIFY(index.isEmpty());

        const QString dataDir = qEnvironmentVariable("EPSINAS_DATA_DIR");
        if (dataDir.isEmpty())
            QSKIP("EPSINAS_DATA_DIR is not set: the official indices come from nb201_accuracies.csv");
        const QString path = dataDir + QStringLiteral("/nb201/nb201_accuracies.csv");
        model.setBenchmarkIds(epsinas::gui::loadBenchmark(path, nb201::space()).ids);
        // Read the table's own arch_index -> arch_str pairs, independently of the loader.
        QFile table(path);
        QVERIFY(table.open(QIODevice::ReadOnly | QIODevice::Text));
        const QStringList header = QString::fromUtf8(table.readLine()).trimmed().split(QLatin1Char(','));
        const int indexColumn = int(header.indexOf(QStringLiteral("arch_index")));
        const int archColumn = int(header.indexOf(QStringLiteral("arch_str")));
        QVERIFY(indexColumn >= 0 && archColumn >= 0);
        const QHash<QString, QString> exported = exportedIndex();
        QCOMPARE(exported.size(), nb201::kCellCount);
        int rows = 0;
        while (!table.atEnd()) {
            const QStringList fields = QString::fromUtf8(table.readLine()).trimmed().split(QLatin1Char(','));
            QCOMPARE(exported.value(fields[archColumn]), fields[indexColumn]);
            ++rows;
        }
        QCOMPARE(rows, nb201::kCellCount);
        // The cell the issue was reported with: enumeration position 11668, official index 9930.
        QCOMPARE(
            exported.value(QString::fromStdString(nb201::Cell::fromIndex(11668).toString())), QStringLiteral("9930"));
    }

    void clickingAPointLoadsItsCell_data()
    {
        QTest::addColumn<bool>("withTargets");
        QTest::addColumn<int>("index");
        QTest::newRow("parameters, scored") << false << 389 * 7;
        QTest::newRow("parameters, NaN strip") << false << 389 * 10;
        QTest::newRow("target, scored") << true << 389 * 13;
    }

    void clickingAPointLoadsItsCell()
    {
        QFETCH(bool, withTargets);
        QFETCH(int, index);
        ScoreTableModel model;
        model.addScores(someScores());
        if (withTargets) {
            model.setTargets(QStringLiteral("test_acc"), someAccuracies());
        }
        ScatterPlot scatter(&model);
        scatter.resize(800, 600);
        scatter.show();
        QVERIFY(QTest::qWaitForWindowExposed(&scatter));
        scatter.refresh();
        scatter.plot()->replot();

        const nb201::Cell cell = nb201::Cell::fromIndex(index);
        scatter.setCurrentKey(rowKey(index));
        const auto position = scatter.pointPosition(rowKey(index));
        QVERIFY(position);
        QVERIFY(scatter.plot()->rect().contains(*position));
        QSignalSpy activated(&scatter, &ScatterPlot::archActivated);
        QTest::mouseClick(scatter.plot(), Qt::LeftButton, {}, *position);
        QCOMPARE(activated.count(), 1);
        QVERIFY(activated.at(0).at(0).value<epsinas::Arch>() == nb201::toArch(cell));

        // Empty space is not a point.
        QTest::mouseClick(scatter.plot(), Qt::LeftButton, {}, QPoint(2, 2));
        QCOMPARE(activated.count(), 1);
    }

    void exportsPngSvgPdf()
    {
        ScoreTableModel model;
        model.addScores(someScores());
        ScatterPlot scatter(&model);
        scatter.resize(640, 480);
        scatter.refresh();
        QTemporaryDir folder;
        for (const QString& name :
            { QStringLiteral("plot.png"), QStringLiteral("plot.svg"), QStringLiteral("plot.pdf") }) {
            const QString path = folder.filePath(name);
            QCOMPARE(epsinas::gui::exportPlot(scatter.plot(), path), QString());
            QVERIFY2(QFileInfo(path).size() > 1000, qPrintable(name));
        }
        QVERIFY(
            epsinas::gui::exportPlot(scatter.plot(), folder.filePath(QStringLiteral("plot.bmpx"))).contains("bmpx"));
    }

    void nlpRecipesJoinByIdAndLossReadsNegative()
    {
        ScoreTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const nlp::Recipe lstm = nlp::Recipe::example("lstm");
        const nlp::Recipe gru = nlp::Recipe::example("gru");
        nlp::RecipeGenerator generator(3);
        ScoredArchs rows;
        // Twice the same recipe under two ids, a third id, and an edited recipe without one.
        rows.push_back(ScoredArch::from(nlp::toArch(lstm), QStringLiteral("1000001"), scoreOf(0.8)));
        rows.push_back(ScoredArch::from(nlp::toArch(lstm), QStringLiteral("1000002"), scoreOf(0.8)));
        rows.push_back(ScoredArch::from(nlp::toArch(gru), QStringLiteral("1000003"), scoreOf(0.06)));
        rows.push_back(ScoredArch::from(nlp::toArch(generator.next()), {}, scoreOf(0.3)));
        for (int i = 0; i < 8; ++i)
            rows.push_back(
                ScoredArch::from(nlp::toArch(generator.next()), QString::number(2000000 + i), scoreOf(0.1 * (i + 1))));
        model.addScores(rows);
        QCOMPARE(model.rowCount(), 12);
        QCOMPARE(model.parameters(0), nlp::parameterCount(lstm));
        QCOMPARE(model.data(model.index(0, ScoreTableModel::ArchColumn)).toString(), QStringLiteral("recipe 1000001"));
        QCOMPARE(model.data(model.index(0, ScoreTableModel::ArchColumn), Qt::ToolTipRole).toString(),
            QString::fromStdString(lstm.toJson()));

        // PTB losses by recepie_id; the higher the score, the lower the loss.
        QHash<QString, double> losses { { QStringLiteral("1000001"), 4.6 }, { QStringLiteral("1000002"), 4.7 },
            { QStringLiteral("1000003"), 5.5 } };
        for (int i = 0; i < 8; ++i)
            losses.insert(QString::number(2000000 + i), 5.4 - 0.1 * i);
        model.setTargets(QStringLiteral("ptb_test_loss_final"), losses, /*lowerIsBetter=*/true);
        QVERIFY(model.targetLowerIsBetter());
        QCOMPARE(model.target(1), 4.7);
        QVERIFY(std::isnan(model.target(3)));

        QString csv;
        QTextStream out(&csv);
        model.writeCsv(out, {});
        out.flush();
        const QStringList lines = csv.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(
            lines.value(0), QStringLiteral("arch,recepie_id,score,mae,mean,parameters,ptb_test_loss_final,nan_reason"));
        // The recipe JSON has commas and quotes: one RFC 4180 field.
        QString quoted = QString::fromStdString(lstm.toJson());
        quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        QVERIFY2(lines.value(1).startsWith(QLatin1Char('"') + quoted + QStringLiteral("\",1000001,")),
            qPrintable(lines.value(1)));

        ScatterPlot scatter(&model);
        scatter.resize(800, 600);
        scatter.show();
        QVERIFY(QTest::qWaitForWindowExposed(&scatter));
        scatter.refresh();
        scatter.plot()->replot();
        QVERIFY2(scatter.readoutText().startsWith(QStringLiteral("<b>12</b> recipes scored")),
            qPrintable(scatter.readoutText()));
        QVERIFY2(scatter.readoutText().contains(QStringLiteral("correlates <b>negatively</b>")),
            qPrintable(scatter.readoutText()));
        QVERIFY2(scatter.readoutText().contains(QStringLiteral("n = 11")), qPrintable(scatter.readoutText()));
        // A point hands back the recipe and the id it stands for.
        QSignalSpy activated(&scatter, &ScatterPlot::archActivated);
        const ScoredArch& third = model.scored(2);
        const auto position = scatter.pointPosition(third.key());
        QVERIFY(position);
        QTest::mouseClick(scatter.plot(), Qt::LeftButton, {}, *position);
        QCOMPARE(activated.count(), 1);
        QVERIFY(activated.at(0).at(0).value<epsinas::Arch>() == nlp::toArch(gru));
        QCOMPARE(activated.at(0).at(1).toString(), QStringLiteral("1000003"));
    }

    void readoutShowsThePapersTopStatistics()
    {
        // tst_statistics' topStatistics case on 100 cells: target i, scores i except 87..89 -> 2000 + i,
        // 90..96 -> 1000 + i, 97..99 -> i - 96.5. Over the top 10% by target (90..99) rho = -3/11, tau = 1/15;
        // 7 of the 10 top scores are top by target; 2 of the 64 best scores are in the top 5%.
        ScoreTableModel model;
        ScoredArchs cells;
        QHash<QString, double> accuracy;
        QHash<QString, double> loss;
        for (int i = 0; i < 100; ++i) {
            const double score = i >= 97 ? i - 96.5 : i >= 90 ? 1000 + i : i >= 87 ? 2000 + i : i;
            cells.push_back(scored(150 * i, score));
            accuracy.insert(tableKey(150 * i), i);
            loss.insert(tableKey(150 * i), -i);
        }
        model.addScores(cells);
        model.setTargets(QStringLiteral("test_acc"), accuracy);
        ScatterPlot scatter(&model);
        scatter.refresh();
        QVERIFY2(scatter.readoutText().contains(
                     QStringLiteral("Top 10%: ρ = <b>-0.273</b>, τ = <b>0.067</b>; T10/T10 = <b>70.00%</b>; "
                                    "T64/T5 = <b>2</b>.")),
            qPrintable(scatter.readoutText()));
        QVERIFY2(!scatter.readoutText().contains(QStringLiteral("Departs")), qPrintable(scatter.readoutText()));

        // A loss: "top" is the lowest loss, the same cells, and the top-10% correlations change sign.
        model.setTargets(QStringLiteral("test_loss"), loss, /*lowerIsBetter=*/true);
        scatter.refresh();
        QVERIFY2(scatter.readoutText().contains(
                     QStringLiteral("Top 10%: ρ = <b>0.273</b>, τ = <b>-0.067</b>; T10/T10 = <b>70.00%</b>; "
                                    "T64/T5 = <b>2</b>.")),
            qPrintable(scatter.readoutText()));

        // Ranking NaN scores is not the paper's statistics, and the readout says so.
        model.setTargets(QStringLiteral("test_acc"), accuracy);
        scatter.setNanPolicy(QStringLiteral("worst"));
        QVERIFY2(scatter.readoutText().contains(
                     QStringLiteral("Departs from the reference's statistics: NaN scores ranked worst.")),
            qPrintable(scatter.readoutText()));
    }

    void keyedTableFirstRowWins()
    {
        // As in epsinas correlate: a repeated recepie_id reads its first row, even a NaN one.
        QTemporaryDir folder;
        const QString path = folder.filePath(QStringLiteral("losses.csv"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("recepie_id,loss\n7,nan\n8,4.5\n7,4.2\n8,5.0\n");
        file.close();
        const epsinas::gui::BenchmarkData data = epsinas::gui::loadBenchmark(path, nlp::space());
        const QHash<QString, double>* loss = data.column(QStringLiteral("loss"));
        QVERIFY(loss);
        QVERIFY(std::isnan(loss->value(QStringLiteral("7"))));
        QCOMPARE(loss->value(QStringLiteral("8")), 4.5);
        QCOMPARE(data.matchedCells, 1);
    }

    void readoutStatesNanCountAndPolicy()
    {
        ScoreTableModel model;
        model.addScores(someScores());
        ScatterPlot scatter(&model);
        scatter.refresh();
        QVERIFY2(scatter.readoutText().contains(QStringLiteral("<b>8</b> NaN")), qPrintable(scatter.readoutText()));
        scatter.setNanPolicy(QStringLiteral("worst"));
        QCOMPARE(scatter.nanPolicy(), QStringLiteral("worst"));
        QVERIFY2(scatter.readoutText().contains(QStringLiteral("<b>worst</b>")), qPrintable(scatter.readoutText()));
    }
};

QTEST_MAIN(TestScatterPlot)
#include "tst_scatterplot.moc"
