// SPDX-License-Identifier: MIT
// The main window on a laptop's and a projector's screen: first-start size, minimum size, no clipped or overlapping
// docks, no growth by itself. Runs on an offscreen screen of 1366×768, set up before the application exists.
#include "archeditor.h"
#include "mainwindow.h"
#include "scatterplot.h"
#include "scorefixtures.h"
#include "scorepanel.h"
#include "scoringconfig.h"

#include "spaces/nb101/space.h"
#include "spaces/nb201/space.h"
#include "spaces/nlp/space.h"

#include <QApplication>
#include <QDockWidget>
#include <QFile>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <qcustomplot.h>

using epsinas::gui::MainWindow;

namespace {
// The laptop screen the window has to fit.
constexpr QSize kLaptopScreen(1366, 768);

/** The scroll area a dock wraps its content in, when it does. */
QScrollArea* dockScroll(const QDockWidget* dock)
{
    return qobject_cast<QScrollArea*>(dock->widget());
}

/** Whether all of `widget` lies inside the part of its dock the user sees. */
bool fullyShown(const QWidget* widget)
{
    const QWidget* dock = widget;
    while (dock && !qobject_cast<const QDockWidget*>(dock))
        dock = dock->parentWidget();
    if (!dock || !widget->isVisible())
        return false;
    QRect seen = dock->rect();
    if (const QScrollArea* scroll = dockScroll(static_cast<const QDockWidget*>(dock)))
        seen = QRect(scroll->viewport()->mapTo(dock, QPoint(0, 0)), scroll->viewport()->size());
    const QRect where(widget->mapTo(dock, QPoint(0, 0)), widget->size());
    return seen.contains(where);
}

void settle(MainWindow& window)
{
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    // Layouts settle over a few event-loop turns (docks, then their scroll areas).
    for (int turn = 0; turn < 5; ++turn) {
        QCoreApplication::processEvents();
        QTest::qWait(20);
    }
}
} // namespace

class TestWindowFit : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { fixtures::quickScoringSettings(); }

    void firstStartFitsTheScreen()
    {
        MainWindow window;
        window.show();
        settle(window);
        const QRect available = window.screen()->availableGeometry();
        QCOMPARE(available.size(), kLaptopScreen);
        QVERIFY2(available.contains(window.frameGeometry()),
            qPrintable(QStringLiteral("%1×%2 at %3,%4")
                           .arg(window.frameGeometry().width())
                           .arg(window.frameGeometry().height())
                           .arg(window.x())
                           .arg(window.y())));
        // Large enough to use the screen, not a token window.
        QVERIFY(window.width() > available.width() * 3 / 4);
        QVERIFY(window.height() > available.height() * 3 / 4);
    }

    void aGeometrySavedOnALargerScreenIsBroughtOnScreen()
    {
        {
            MainWindow window;
            window.setGeometry(300, 200, 1900, 1150);
            window.close();
        }
        MainWindow window;
        window.show();
        settle(window);
        QVERIFY2(window.screen()->availableGeometry().contains(window.frameGeometry()),
            qPrintable(QStringLiteral("%1×%2 at %3,%4")
                           .arg(window.frameGeometry().width())
                           .arg(window.frameGeometry().height())
                           .arg(window.frameGeometry().x())
                           .arg(window.frameGeometry().y())));
    }

    void minimumSizeFitsALaptopAndAProjector()
    {
        MainWindow window;
        window.show();
        settle(window);
        const QSize minimum = window.minimumSizeHint().expandedTo(window.minimumSize());
        QVERIFY2(minimum.width() <= 1024 && minimum.height() <= 700,
            qPrintable(QStringLiteral("minimum %1×%2").arg(minimum.width()).arg(minimum.height())));
    }

    void nothingScrollsAt1280x720()
    {
        MainWindow window;
        window.resize(1280, 720);
        window.show();
        settle(window);
        QCOMPARE(window.size(), QSize(1280, 720));
        for (QDockWidget* dock : window.findChildren<QDockWidget*>()) {
            if (QScrollArea* scroll = dockScroll(dock);
                scroll && dock->isVisible() && !dock->visibleRegion().isEmpty()) {
                QVERIFY2(!scroll->verticalScrollBar()->isVisible(), qPrintable(dock->objectName()));
                QVERIFY2(!scroll->horizontalScrollBar()->isVisible(), qPrintable(dock->objectName()));
            }
        }
    }

    void at1024x700NothingOverlapsAndTheControlsAreShown()
    {
        MainWindow window;
        window.resize(1024, 700);
        window.show();
        settle(window);
        QCOMPARE(window.size(), QSize(1024, 700));
        const QList<QDockWidget*> docks = window.findChildren<QDockWidget*>();
        for (const QDockWidget* one : docks) {
            for (const QDockWidget* other : docks) {
                if (one != other && one->isVisible() && other->isVisible() && !one->visibleRegion().isEmpty()
                    && !other->visibleRegion().isEmpty())
                    QVERIFY2(!one->geometry().intersects(other->geometry()),
                        qPrintable(one->objectName() + QStringLiteral(" overlaps ") + other->objectName()));
            }
        }
        QPushButton* fit = nullptr;
        for (QPushButton* button : window.scatter()->findChildren<QPushButton*>()) {
            if (button->text() == QStringLiteral("Fit"))
                fit = button;
        }
        QVERIFY(fit);
        QVERIFY(fullyShown(fit));
        QVERIFY(fullyShown(window.scatter()->plot()));
        QVERIFY(fullyShown(window.currentEditor()));
        QVERIFY(fullyShown(window.scorePanel()->plot()));
    }

    void theWindowNeverGrowsByItself_data()
    {
        QTest::addColumn<QString>("space");
        QTest::addColumn<QStringList>("archs");
        QTest::newRow("nlp") << QStringLiteral("nlp")
                             << QStringList { QStringLiteral("lstm"), QStringLiteral("gru"), QStringLiteral("rnn") };
        QTest::newRow("nb101") << QStringLiteral("nb101")
                               << QStringList { QStringLiteral(
                                      "0100110001000000010010000010000001000000010000000:input|conv3x3-bn-relu|"
                                      "maxpool3x3|conv3x3-bn-relu|conv3x3-bn-relu|conv1x1-bn-relu|output") };
    }

    void theWindowNeverGrowsByItself()
    {
        QFETCH(QString, space);
        QFETCH(QStringList, archs);
        MainWindow window;
        window.resize(1024, 700);
        window.show();
        settle(window);
        window.setSpace(*epsinas::gui::findSpace(space));
        settle(window);
        for (const QString& arch : archs) {
            QVERIFY2(window.setArch(arch).isEmpty(), qPrintable(window.setArch(arch)));
            settle(window);
            QCOMPARE(window.size(), QSize(1024, 700));
        }
    }
};

int main(int argc, char* argv[])
{
    // An offscreen screen of a laptop's size; the platform reads it when the application is made.
    QTemporaryDir folder;
    const QString config = folder.filePath(QStringLiteral("screens.json"));
    QFile file(config);
    if (!file.open(QIODevice::WriteOnly))
        return 1;
    file.write(QStringLiteral(R"({"screens":[{"name":"laptop","x":0,"y":0,"width":%1,"height":%2,)"
                              R"("logicalDpi":96,"logicalBaseDpi":96,"dpr":1}]})")
                   .arg(kLaptopScreen.width())
                   .arg(kLaptopScreen.height())
                   .toUtf8());
    file.close();
    qputenv("QT_QPA_PLATFORM", "offscreen:configfile=" + config.toLocal8Bit());
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("epsinas-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_windowfit"));
    TestWindowFit test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_windowfit.moc"
