// SPDX-License-Identifier: MIT
#include "benchmark.h"
#include "mainwindow.h"
#include "scatterplot.h"
#include "scorefixtures.h"
#include "scorepanel.h"
#include "scoretablemodel.h"
#include "scoringservice.h"
#include "spaces/nb101/nb101editor.h"
#include "spaces/nb201/celleditor.h"
#include "spaces/nlp/nlpeditor.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include "spaces/nb101/space.h"
#include "spaces/nb201/space.h"
#include "spaces/nlp/space.h"

#include <qcustomplot.h>

#include <algorithm>
#include <map>

using epsinas::gui::MainWindow;
using epsinas::gui::ScoredArch;
using epsinas::gui::ScoreResult;
using epsinas::gui::ScoringService;
namespace nb101 = epsinas::nb101;
namespace nb201 = epsinas::nb201;
namespace nlp = epsinas::nlp;

namespace {
epsinas::gui::CellEditor* cellEditor(const MainWindow& window)
{
    return static_cast<epsinas::gui::CellEditor*>(window.editor(nb201::space()));
}
epsinas::gui::Nb101Editor* nb101Editor(const MainWindow& window)
{
    return static_cast<epsinas::gui::Nb101Editor*>(window.editor(nb101::space()));
}
epsinas::gui::NlpEditor* nlpEditor(const MainWindow& window)
{
    return static_cast<epsinas::gui::NlpEditor*>(window.editor(nlp::space()));
}
/** The window's table view model: its sort proxy over the score table model. */
QAbstractItemModel* tableViewModel(const MainWindow& window)
{
    return window.findChild<QTableView*>()->model();
}
} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("epsinas-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
        fixtures::quickScoringSettings();
        QFile::remove(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/scores.sqlite");
    }

    void scoresDefaultCellAndRendersScreenshot()
    {
        QTemporaryDir folder;
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        // Every model of the window, checked as it fills: the score table and the table view's sort proxy.
        QAbstractItemModelTester modelTester(window.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(
            tableViewModel(window), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(QString::fromStdString(cellEditor(window)->cell().toString()),
            QStringLiteral(
                "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|"));
        QSignalSpy saved(&window, &MainWindow::screenshotSaved);
        const QString path = folder.filePath(QStringLiteral("shot.png"));
        window.takeScreenshotWhenReady(path);
        QVERIFY(saved.wait(60000));
        QVERIFY(saved.at(0).at(1).toBool());
        QVERIFY2(window.scorePanel()->scoreText().startsWith(QStringLiteral("Score: 0.")),
            qPrintable(window.scorePanel()->scoreText()));
        QCOMPARE(window.model()->rowCount(), 1);

        const QImage image(path);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() > 400 && image.height() > 300);
        // Not one flat colour: something was drawn.
        const QRgb corner = image.pixel(0, image.height() / 2);
        int different = 0;
        for (int y = 0; y < image.height(); y += 17) {
            for (int x = 0; x < image.width(); x += 17)
                different += image.pixel(x, y) != corner;
        }
        QVERIFY(different > 100);
    }

    void clickingAScatterPointLoadsTheCell()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy ready(window.service(), &epsinas::gui::ScoringService::scoreReady);
        QVERIFY(ready.wait(60000));

        const nb201::Cell cell = nb201::Cell::parse(
            "|skip_connect~0|+|nor_conv_1x1~0|none~1|+|avg_pool_3x3~0|skip_connect~1|nor_conv_3x3~2|");
        ScoredArch other;
        other.arch = nb201::toArch(cell);
        other.score = 0.2;
        other.mae = 0.1;
        other.mean = 0.5;
        window.model()->addScores({ other });
        window.scatter()->refresh();
        window.scatter()->plot()->replot();
        const auto position = window.scatter()->pointPosition(other.key());
        QVERIFY(position);
        QTest::mouseClick(window.scatter()->plot(), Qt::LeftButton, {}, *position);
        QVERIFY(cellEditor(window)->cell() == cell);
        // The loaded cell is scored live in turn.
        QVERIFY(ready.wait(60000));
        QVERIFY(ready.last().at(0).value<epsinas::gui::ScoreResult>().arch == other.arch);
    }

    void badCommandLineInputsAreReported()
    {
        MainWindow window;
        QVERIFY(!window.setArch(QStringLiteral("|conv~0|")).isEmpty());
        const QString error = window.openBenchmark(QStringLiteral("/nonexistent/table.csv"), {}, false);
        QVERIFY2(error.contains(QStringLiteral("table.csv")), qPrintable(error));

        // Recipes: a missing file and a damaged line are named; nothing is loaded.
        window.setSpace(nlp::space());
        const QString missing = window.openArchitectures(QStringLiteral("/nonexistent/recipes.jsonl"));
        QVERIFY2(missing.contains(QStringLiteral("recipes.jsonl")), qPrintable(missing));
        QTemporaryDir folder;
        QFile file(folder.filePath(QStringLiteral("bad.jsonl")));
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Text));
        file.write(QByteArray::fromStdString("{\"recepie_id\": 1, \"recipe\": " + nlp::Recipe::example("rnn").toJson()
            + "}\n{\"recepie_id\": 2, \"recipe\": {\"h_new_0\": {\"op\": \"linear\", \"input\": [\"y\"]}}}\n"));
        file.close();
        const QString damaged = window.openArchitectures(file.fileName());
        QVERIFY2(damaged.contains(QStringLiteral("bad.jsonl:2:")), qPrintable(damaged));
        QVERIFY(&window.space() == &nlp::space());
        window.setSpace(nb201::space());
    }

    void nb101SpaceScoresJoinsByHashAndSkipsInvalidCells()
    {
        QTemporaryDir folder;
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy ready(window.service(), &ScoringService::scoreReady);
        window.setSpace(nb101::space());
        QVERIFY(window.service()->config().space == &nb101::space());
        QVERIFY(window.service()->config().options.weights == epsinas::nb101::kDefaultWeights);
        QVERIFY(nb101Editor(window)->isVisible());
        QVERIFY(ready.wait(30000));
        QVERIFY(&ready.last().at(0).value<ScoreResult>().arch.space() == &nb101::space());
        QCOMPARE(window.model()->rowCount(), 1);

        // NB101 tables are joined by the module hash.
        const QString path = folder.filePath(QStringLiteral("nb101.csv"));
        QFile table(path);
        QVERIFY(table.open(QIODevice::WriteOnly | QIODevice::Text));
        table.write("hash,val_acc_4ep,val_acc_108ep\n");
        table.write(QByteArray::fromStdString(nb101Editor(window)->spec().hash()) + ",0.5,0.93\n");
        table.close();
        const QString error = window.openBenchmark(path, {}, false);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(window.model()->targetName(), QStringLiteral("val_acc_108ep"));
        QCOMPARE(window.model()->target(0), 0.93);

        // Cutting every edge into the output leaves no input -> output path: shown, not scored.
        const nb101::Spec valid = nb101Editor(window)->spec();
        std::vector<std::vector<bool>> adjacency(valid.vertexCount(), std::vector<bool>(valid.vertexCount()));
        std::vector<nb101::Op> ops;
        for (int vertex = 0; vertex < valid.vertexCount(); ++vertex)
            ops.push_back(valid.op(vertex));
        nb101Editor(window)->editSpec(nb101::Spec(adjacency, ops), QStringLiteral("cut"));
        QVERIFY(!window.service()->isScoring());
        QVERIFY(nb101Editor(window)->problemLabel()->isVisible());
        QTest::qWait(200);
        QCOMPARE(ready.count(), 1);

        // Back to NB201 for whatever runs next: the space is a setting.
        window.setSpace(nb201::space());
        QVERIFY(cellEditor(window)->isVisible());
    }

    void theLastTableOfASpaceIsReopened()
    {
        QTemporaryDir folder;
        const QString path = folder.filePath(QStringLiteral("nb101.csv"));
        {
            MainWindow window;
            window.setSpace(nb101::space());
            QFile table(path);
            QVERIFY(table.open(QIODevice::WriteOnly | QIODevice::Text));
            table.write("hash,val_acc_4ep,val_acc_108ep\n");
            table.write(QByteArray::fromStdString(nb101Editor(window)->spec().hash()) + ",0.5,0.93\n");
            table.close();
            QCOMPARE(window.openBenchmark(path, QStringLiteral("val_acc_4ep"), false), QString());
        }
        {
            // The next start (in NB101, the space being a setting too) comes back with the table and its column.
            MainWindow window;
            QTRY_COMPARE(window.model()->targetName(), QStringLiteral("val_acc_4ep"));
            // Another space has its own table, or none.
            window.setSpace(nb201::space());
            QVERIFY(!window.model()->hasTargets());
        }
        QFile::remove(path);
        {
            // A table that has gone is not an error dialog at start-up, just no targets.
            MainWindow window;
            window.setSpace(nb101::space());
            QTest::qWait(50);
            QVERIFY(!window.model()->hasTargets());
            window.setSpace(nb201::space());
        }
    }

    void nlpSpaceScoresRecipesJoinsLossesByIdAndSkipsInvalidDrafts()
    {
        QTemporaryDir folder;
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy ready(window.service(), &ScoringService::scoreReady);
        window.setSpace(nlp::space());
        QVERIFY(window.service()->config().space == &nlp::space());
        QVERIFY(window.service()->config().options.weights == nlp::kDefaultWeights);
        QVERIFY(nlpEditor(window)->isVisible());
        QVERIFY(ready.wait(30000));
        const auto first = ready.last().at(0).value<ScoreResult>();
        QVERIFY(first.arch == nlp::toArch(nlp::Recipe::example("lstm")));
        QCOMPARE(window.model()->rowCount(), 1);

        QCOMPARE(window.setArch(QStringLiteral("gru")), QString());
        QVERIFY(ready.wait(30000));
        QVERIFY(ready.last().at(0).value<ScoreResult>().arch == nlp::toArch(nlp::Recipe::example("gru")));
        QVERIFY(!window.setArch(QStringLiteral("{\"h_new_0\": {\"op\": \"linear\"}}")).isEmpty());

        // Tables name recipes by id; the recipes come from the recipes.jsonl beside them. One recipe under two
        // ids is two data points with one score.
        QFile recipes(folder.filePath(QStringLiteral("recipes.jsonl")));
        QVERIFY(recipes.open(QIODevice::WriteOnly | QIODevice::Text));
        for (const auto& [id, name] : { std::pair { 7, "lstm" }, { 8, "gru" }, { 9, "lstm" }, { 10, "rnn" } })
            recipes.write(QByteArray::fromStdString("{\"recepie_id\": " + std::to_string(id)
                + ", \"recipe\": " + nlp::Recipe::example(name).toJson() + "}\n"));
        recipes.close();
        const QString path = folder.filePath(QStringLiteral("losses.csv"));
        QFile table(path);
        QVERIFY(table.open(QIODevice::WriteOnly | QIODevice::Text));
        table.write("recepie_id,ptb_test_loss_final,ptb_num_params\n7,4.6,100\n8,5.1,90\n9,4.7,100\n10,5.3,80\n");
        table.close();
        QSignalSpy finished(window.service(), &ScoringService::batchFinished);
        const QString error = window.openBenchmark(path, {}, false);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(window.model()->targetName(), QStringLiteral("ptb_test_loss_final"));
        QVERIFY(window.model()->targetLowerIsBetter());
        QVERIFY(finished.wait(60000));
        QTest::qWait(100);
        std::map<QString, double> scoreById;
        for (int row = 0; row < window.model()->rowCount(); ++row) {
            const ScoredArch& scored = window.model()->scored(row);
            if (!scored.id.isEmpty())
                scoreById[scored.id] = scored.score;
        }
        QCOMPARE(int(scoreById.size()), 4);
        QCOMPARE(scoreById[QStringLiteral("7")], scoreById[QStringLiteral("9")]);
        QCOMPARE(window.model()->target(window.model()->rowOfKey(QStringLiteral("id 8"))), 5.1);
        window.scatter()->refresh();
        QVERIFY2(window.scatter()->readoutText().contains(QStringLiteral("negatively")),
            qPrintable(window.scatter()->readoutText()));

        // A draft that breaks a rule (blend takes 3 inputs) is shown with the rule, not scored.
        const int results = ready.count();
        std::vector<nlp::Node> nodes = nlpEditor(window)->nodes();
        const auto linear = std::find_if(
            nodes.begin(), nodes.end(), [](const nlp::Node& node) { return node.op == nlp::Op::Linear; });
        QVERIFY(linear != nodes.end());
        linear->op = nlp::Op::Blend;
        linear->inputs.resize(1);
        nlpEditor(window)->editNodes(nodes, QStringLiteral("break"));
        QVERIFY(!nlpEditor(window)->recipe());
        QVERIFY(!window.service()->isScoring());
        QVERIFY(nlpEditor(window)->problemLabel()->isVisible());
        QTest::qWait(200);
        QCOMPARE(ready.count(), results);

        window.setSpace(nb201::space());
        QVERIFY(cellEditor(window)->isVisible());
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
