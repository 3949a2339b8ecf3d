// SPDX-License-Identifier: MIT
// The explorer's window, as issue-by-issue checks: sessions, the Target Column dialog, repeated table rows, the
// settings dialog's input check, the guide, and what the status bar says after a batch or a space switch.
#include "archeditor.h"
#include "guide.h"
#include "mainwindow.h"
#include "scorefixtures.h"
#include "scoretablemodel.h"
#include "scoringservice.h"
#include "session.h"
#include "settings.h"
#include "settingsdialog.h"

#include "spaces/nb101/space.h"
#include "spaces/nb201/space.h"

#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFile>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTimer>

using epsinas::gui::MainWindow;
using epsinas::gui::Settings;
namespace nb101 = epsinas::nb101;
namespace nb201 = epsinas::nb201;

namespace {
const char* const kResNetCell
    = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|";
const char* const kPoolCell = "|avg_pool_3x3~0|+|skip_connect~0|avg_pool_3x3~1|+|skip_connect~0|none~1|skip_connect~2|";

/** Writes `text` to `path`; the tables and sessions the tests open. */
bool writeFile(const QString& path, const QByteArray& text)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(text) == text.size();
}

QByteArray readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

/** Answers the next modal dialog (the Target Column question) once it is shown, with Cancel or its default. */
void answerNextDialog(bool accept)
{
    QTimer::singleShot(0, [accept] {
        QTRY_VERIFY(QApplication::activeModalWidget());
        auto* dialog = qobject_cast<QDialog*>(QApplication::activeModalWidget());
        QVERIFY(dialog);
        accept ? dialog->accept() : dialog->reject();
    });
}

QString currentArchText(const MainWindow& window)
{
    const epsinas::Arch arch = window.currentEditor()->arch();
    return QString::fromStdString(arch.space().format(arch));
}
} // namespace

class TestExplorerFixes : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("epsinas-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_explorerfixes"));
    }

    void init()
    {
        fixtures::quickScoringSettings();
        QFile::remove(Settings::storePath());
        QVERIFY(m_folder.isValid());
        m_table = m_folder.filePath(QStringLiteral("nb201.csv"));
        // Two rows name the pool cell: the first one's value is the one used.
        QVERIFY(writeFile(m_table,
            QByteArray("arch_index,arch_str,test_acc,valid_acc\n0,") + kResNetCell + ",93.5,91.0\n1," + kPoolCell
                + ",60.0,58.0\n2," + kPoolCell + ",10.0,9.0\n"));
    }

    void cancellingTheTargetDialogKeepsTheLoadedTable()
    {
        MainWindow window;
        window.show();
        QCOMPARE(window.openBenchmark(m_table, QStringLiteral("valid_acc"), false), QString());
        QCOMPARE(window.model()->targetName(), QStringLiteral("valid_acc"));

        const QString other = m_folder.filePath(QStringLiteral("other.csv"));
        QVERIFY(writeFile(other, QByteArray("arch_str,loss\n") + kResNetCell + ",0.5\n"));
        answerNextDialog(false);
        QCOMPARE(window.openBenchmark(other, {}, true), QString());
        // Still the first table, against the column that was chosen for it.
        QCOMPARE(window.model()->targetName(), QStringLiteral("valid_acc"));
        QCOMPARE(Settings::instance().benchmarkPath(nb201::space()), m_table);

        answerNextDialog(true);
        QCOMPARE(window.openBenchmark(other, {}, true), QString());
        QCOMPARE(window.model()->targetName(), QStringLiteral("loss"));
    }

    void repeatedTableRowsAreCountedAndTheEarlierOneIsUsed()
    {
        MainWindow window;
        window.show();
        QCOMPARE(window.openBenchmark(m_table, QStringLiteral("test_acc"), false), QString());
        const QString message = window.statusBar()->currentMessage();
        QVERIFY2(message.contains(QStringLiteral("1 row")) && message.contains(QStringLiteral("earlier row")),
            qPrintable(message));
        const epsinas::gui::BenchmarkData data = epsinas::gui::loadBenchmark(m_table, nb201::space());
        QCOMPARE(data.duplicateRows, 1);
        const QString poolKey
            = QString::fromStdString(nb201::space().tableKey({ {}, nb201::space().parse(kPoolCell) }));
        QCOMPARE(data.column(QStringLiteral("test_acc"))->value(poolKey), 60.0);
    }

    void aSessionRestoresWhatWasSaved()
    {
        const QString path = m_folder.filePath(QStringLiteral("demo.epsinas"));
        {
            MainWindow window;
            window.show();
            QCOMPARE(window.setArch(QString::fromLatin1(kPoolCell)), QString());
            QCOMPARE(window.openBenchmark(m_table, QStringLiteral("valid_acc"), false), QString());
            epsinas::gui::ScoringConfig config = Settings::instance().scoringConfig();
            config.options.weights = { 1e-5, 2.0 };
            Settings::instance().setScoringConfig(config, QStringLiteral("cpu"));
            QCOMPARE(window.saveSession(path), QString());
        }
        QVERIFY(readFile(path).contains("epsinas-session"));

        // Everything changed since: another space, its own architecture, the reference weights, no table.
        init();
        MainWindow window;
        window.show();
        window.setSpace(nb101::space());
        QCOMPARE(window.space().key(), std::string("nb101"));

        QCOMPARE(window.openSession(path), QString());
        QCOMPARE(window.space().key(), std::string("nb201"));
        QCOMPARE(currentArchText(window), QString::fromLatin1(kPoolCell));
        QCOMPARE(Settings::instance().scoringConfig().options.weights.low, 1e-5);
        QCOMPARE(Settings::instance().scoringConfig().options.weights.high, 2.0);
        QTRY_COMPARE(window.model()->targetName(), QStringLiteral("valid_acc"));
        // And it is offered again under File → Open Recent Session.
        QCOMPARE(epsinas::gui::RecentSessions().paths().value(0), QFileInfo(path).absoluteFilePath());
    }

    void aDamagedOrNewerSessionChangesNothing_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("says");
        QTest::newRow("not json") << QByteArray("{\"format\": \"epsinas-session\", ") << QStringLiteral("JSON");
        QTest::newRow("newer") << QByteArray("{\"format\": \"epsinas-session\", \"version\": 7, \"space\": \"nb101\"}")
                               << QStringLiteral("newer");
    }

    void aDamagedOrNewerSessionChangesNothing()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, says);
        const QString path = m_folder.filePath(QStringLiteral("bad.epsinas"));
        QVERIFY(writeFile(path, text));
        MainWindow window;
        window.show();
        QCOMPARE(window.setArch(QString::fromLatin1(kResNetCell)), QString());
        const auto weights = Settings::instance().scoringConfig().options.weights;

        const QString error = window.openSession(path);
        QVERIFY2(error.contains(says, Qt::CaseInsensitive), qPrintable(error));
        QVERIFY(!error.contains(QLatin1Char('\n')));
        QCOMPARE(window.space().key(), std::string("nb201"));
        QCOMPARE(currentArchText(window), QString::fromLatin1(kResNetCell));
        QCOMPARE(Settings::instance().scoringConfig().options.weights.low, weights.low);
        QCOMPARE(readFile(path), text);
    }

    void settingsRefuseAMissingInputFileInTheDialog()
    {
        epsinas::gui::SettingsDialog dialog(
            Settings::instance().scoringConfig(), QStringLiteral("cpu"), QStringLiteral("exclude"));
        dialog.show();
        QComboBox* input = nullptr;
        for (QComboBox* combo : dialog.findChildren<QComboBox*>()) {
            if (combo->findText(QStringLiteral("CIFAR-10 binary file")) >= 0)
                input = combo;
        }
        QVERIFY(input);
        input->setCurrentIndex(input->findText(QStringLiteral("CIFAR-10 binary file")));
        QLineEdit* path = nullptr;
        for (QLineEdit* edit : dialog.findChildren<QLineEdit*>()) {
            if (edit->placeholderText().contains(QStringLiteral("data_batch_1.bin")))
                path = edit;
        }
        QVERIFY(path);
        const QString missing = m_folder.filePath(QStringLiteral("no_such_batch.bin"));
        path->setText(missing);
        dialog.accept();
        // Still open, saying why, in one place.
        QVERIFY(dialog.isVisible());
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        bool said = false;
        for (QLabel* label : dialog.findChildren<QLabel*>())
            said = said || (label->isVisible() && label->text().contains(QStringLiteral("no_such_batch.bin")));
        QVERIFY(said);
    }

    void theGuideListsEveryShortcutOfTheMenus()
    {
        MainWindow window;
        window.show();
        QAction* guide = nullptr;
        QStringList keys;
        for (QAction* menu : window.menuBar()->actions()) {
            for (QAction* action : menu->menu()->actions()) {
                if (action->shortcut() == QKeySequence(QKeySequence::HelpContents))
                    guide = action;
                if (!action->shortcut().isEmpty() && action->isVisible())
                    keys << action->shortcut().toString(QKeySequence::NativeText);
                // Every command says what it does.
                if (!action->isSeparator() && !action->menu())
                    QVERIFY2(!action->toolTip().isEmpty() && action->toolTip() != action->text().remove('&'),
                        qPrintable(action->text()));
            }
        }
        QVERIFY(guide);
        QVERIFY(keys.size() >= 8);
        guide->trigger();
        auto* browser = window.findChild<QTextBrowser*>(QStringLiteral("guideText"));
        QVERIFY(browser && browser->isVisible());
        const QString text = browser->toPlainText();
        for (const QString& key : keys)
            QVERIFY2(text.contains(key), qPrintable(key));
        QVERIFY(text.contains(QStringLiteral("five sentences")));
        QVERIFY(text.contains(QStringLiteral("NAS-Bench-101")));
    }

    void aFinishedBatchSaysWhatTheStoreKept()
    {
        MainWindow window;
        window.show();
        QSignalSpy finished(window.service(), &epsinas::gui::ScoringService::batchFinished);
        std::vector<epsinas::NamedArch> archs;
        for (const char* text : { kResNetCell, kPoolCell })
            archs.push_back({ {}, nb201::space().parse(text) });
        window.service()->startBatch(QStringLiteral("Two cells"), archs, false);
        QVERIFY(finished.wait(60000));
        QVERIFY2(window.statusBar()->currentMessage().contains(QStringLiteral("2 cells scored")),
            qPrintable(window.statusBar()->currentMessage()));
        // As after a restart: the same cells again come from the store, and the status says so.
        archs.push_back(
            { {}, nb201::space().parse("|none~0|+|skip_connect~0|none~1|+|none~0|none~1|skip_connect~2|") });
        window.service()->startBatch(QStringLiteral("Three cells"), archs, false);
        QVERIFY(finished.wait(60000));
        const QString message = window.statusBar()->currentMessage();
        QVERIFY2(message.contains(QStringLiteral("1 cell scored now")) && message.contains(QStringLiteral("2 kept")),
            qPrintable(message));
    }

    void switchingSpacesSaysTheScoresComeBack()
    {
        MainWindow window;
        window.show();
        window.setSpace(nb101::space());
        const QString message = window.statusBar()->currentMessage();
        QVERIFY2(message.contains(QStringLiteral("NAS-Bench-101")) && !message.contains(QStringLiteral("cleared")),
            qPrintable(message));
        window.setSpace(nb201::space());
    }

private:
    QTemporaryDir m_folder;
    QString m_table;
};

QTEST_MAIN(TestExplorerFixes)
#include "tst_explorerfixes.moc"
