// SPDX-License-Identifier: MIT
// The Scores tab: an index column, the benchmark id, headers that explain themselves, hand edits marked, and a view
// that shows architectures on one line.
#include "scorefixtures.h"
#include "scoretablemodel.h"

#include <QAbstractItemModelTester>
#include <QFontDatabase>
#include <QHeaderView>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTest>

using epsinas::gui::ScoredArch;
using epsinas::gui::ScoreTableModel;

class TestScoreTable : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void indexIdAndEditsPassTheTester()
    {
        ScoreTableModel model;
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setSortRole(ScoreTableModel::SortRole);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.sort(ScoreTableModel::IndexColumn, Qt::DescendingOrder);
        model.addScores(fixtures::set());
        const ScoredArch edit = fixtures::cell(7, 0.3);
        model.addEdit(edit);
        QCOMPARE(model.rowCount(), 41);
        QCOMPARE(model.columnCount(), int(ScoreTableModel::ColumnCount));

        QCOMPARE(model.headerData(ScoreTableModel::IndexColumn, Qt::Horizontal).toString(), QStringLiteral("#"));
        QCOMPARE(model.data(model.index(0, ScoreTableModel::IndexColumn)).toString(), QStringLiteral("1"));
        QCOMPARE(model.data(model.index(39, ScoreTableModel::IndexColumn)).toString(), QStringLiteral("40"));
        // The edit is marked where it is listed, and its tooltip says what that means.
        QCOMPARE(model.data(model.index(40, ScoreTableModel::IndexColumn)).toString(), QStringLiteral("41 (edit)"));
        QVERIFY(model.data(model.index(40, ScoreTableModel::ScoreColumn), Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("not counted")));
        QVERIFY(model.data(model.index(40, ScoreTableModel::ArchColumn), Qt::FontRole).value<QFont>().italic());
        QVERIFY(!model.data(model.index(3, ScoreTableModel::ArchColumn), Qt::FontRole).value<QFont>().italic());
        // Sorted by index, descending: the edit (last scored) first.
        QCOMPARE(proxy.data(proxy.index(0, ScoreTableModel::IndexColumn)).toString(), QStringLiteral("41 (edit)"));

        // The arch column's tooltip is the full text, in a fixed-pitch font.
        QCOMPARE(model.data(model.index(1, ScoreTableModel::ArchColumn), Qt::ToolTipRole).toString(),
            fixtures::tableKey(389));
        // (Fixed pitch as measured: QFontInfo::fixedPitch() is false for Noto Sans Mono under fontconfig.)
        const QFontMetrics archMetrics(
            model.data(model.index(1, ScoreTableModel::ArchColumn), Qt::FontRole).value<QFont>());
        QCOMPARE(archMetrics.horizontalAdvance(QLatin1Char('i')), archMetrics.horizontalAdvance(QLatin1Char('m')));

        // Every header explains itself.
        for (int column = 0; column < model.columnCount(); ++column)
            QVERIFY2(!model.headerData(column, Qt::Horizontal, Qt::ToolTipRole).toString().isEmpty(),
                qPrintable(model.headerData(column, Qt::Horizontal).toString()));

        // The benchmark id: NB201's arch_index, known once a table supplies it.
        QCOMPARE(model.headerData(ScoreTableModel::IdColumn, Qt::Horizontal).toString(), QStringLiteral("arch_index"));
        QVERIFY(model.data(model.index(1, ScoreTableModel::IdColumn)).toString().isEmpty());
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setBenchmarkIds({ { fixtures::tableKey(389), QStringLiteral("9930") } });
        QCOMPARE(changed.count(), 1);
        QCOMPARE(model.data(model.index(1, ScoreTableModel::IdColumn)).toString(), QStringLiteral("9930"));
        QCOMPARE(model.data(model.index(1, ScoreTableModel::IdColumn), ScoreTableModel::SortRole).toLongLong(), 9930);

        model.clear();
        QCOMPARE(model.editCount(), 0);
    }

    void viewShowsArchitecturesOnOneLine()
    {
        ScoreTableModel model;
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        QTableView view;
        view.setModel(&proxy);
        view.verticalHeader()->hide();
        epsinas::gui::configureScoreTable(&view);
        view.resize(1100, 400);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        // As the explorer starts: the edited cell first (the shortest arch string), then a batch.
        model.addEdit(fixtures::cell(0, 0.1));
        model.addScores(fixtures::set());
        model.setTargets(QStringLiteral("test_acc"), fixtures::accuracies());
        QVERIFY(!view.wordWrap());
        QCOMPARE(view.textElideMode(), Qt::ElideMiddle);
        // One line per row.
        const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
        QVERIFY(view.rowHeight(0) < 2 * QFontMetrics(fixed).height());
        // The widest arch string fits its column, and each header's text fits its own.
        int widest = 0;
        for (int row = 0; row < model.rowCount(); ++row)
            widest = std::max(widest, QFontMetrics(fixed).horizontalAdvance(model.scored(row).text()));
        QVERIFY2(view.columnWidth(ScoreTableModel::ArchColumn) >= widest,
            qPrintable(QStringLiteral("%1 < %2").arg(view.columnWidth(ScoreTableModel::ArchColumn)).arg(widest)));
        for (int column = 0; column < model.columnCount(); ++column) {
            const QString header = model.headerData(column, Qt::Horizontal).toString();
            QVERIFY2(view.columnWidth(column) >= view.horizontalHeader()->fontMetrics().horizontalAdvance(header),
                qPrintable(header));
        }
    }
};

QTEST_MAIN(TestScoreTable)
#include "tst_scoretable.moc"
