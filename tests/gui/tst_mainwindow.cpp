// SPDX-License-Identifier: MIT
#include "celleditor.h"
#include "mainwindow.h"
#include "scatterplot.h"
#include "scorepanel.h"
#include "scoretablemodel.h"
#include "scoringservice.h"

#include <QDir>
#include <QImage>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <qcustomplot.h>

using epsinas::gui::MainWindow;
using epsinas::gui::ScoredCell;
namespace nb201 = epsinas::nb201;

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("epsinas-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
        QSettings settings;
        settings.clear();
        // Small and quick: a 16-image batch, one thread, no start-up sample.
        settings.setValue("Scoring/batch", 16);
        settings.setValue("Scoring/threads", 1);
        settings.setValue("Scoring/sampleSize", 0);
        QFile::remove(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/scores.sqlite");
    }

    void scoresDefaultCellAndRendersScreenshot()
    {
        QTemporaryDir folder;
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(QString::fromStdString(window.editor()->cell().toString()),
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

        ScoredCell other;
        other.cell = nb201::Cell::parse(
            "|skip_connect~0|+|nor_conv_1x1~0|none~1|+|avg_pool_3x3~0|skip_connect~1|nor_conv_3x3~2|");
        other.score = 0.2;
        other.mae = 0.1;
        other.mean = 0.5;
        window.model()->addScores({ other });
        window.scatter()->refresh();
        window.scatter()->plot()->replot();
        const auto position = window.scatter()->pointPosition(other.cell);
        QVERIFY(position);
        QTest::mouseClick(window.scatter()->plot(), Qt::LeftButton, {}, *position);
        QVERIFY(window.editor()->cell() == other.cell);
        // The loaded cell is scored live in turn.
        QVERIFY(ready.wait(60000));
        QVERIFY(ready.last().at(0).value<epsinas::gui::ScoreResult>().cell == other.cell);
    }

    void badCommandLineInputsAreReported()
    {
        MainWindow window;
        QVERIFY(!window.setArch(QStringLiteral("|conv~0|")).isEmpty());
        const QString error = window.openBenchmark(QStringLiteral("/nonexistent/table.csv"), {}, false);
        QVERIFY2(error.contains(QStringLiteral("table.csv")), qPrintable(error));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
