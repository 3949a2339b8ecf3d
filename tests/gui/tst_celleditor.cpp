// SPDX-License-Identifier: MIT
#include "spaces/nb201/celleditor.h"
#include "spaces/nb201/cellscene.h"
#include "spaces/nb201/edgeitem.h"

#include <QAbstractButton>
#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QGraphicsView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QSignalSpy>
#include <QTest>
#include <QUndoStack>

using epsinas::gui::CellEditor;
namespace nb201 = epsinas::nb201;

namespace {
const QString kDefaultArch
    = QStringLiteral("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|");

/** The viewport point over an edge's label, where a user would click. */
QPoint edgePoint(CellEditor& editor, int edge)
{
    return editor.view()->mapFromScene(editor.scene()->edgeLabelPos(edge));
}
} // namespace

class TestCellEditor : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_editor = std::make_unique<CellEditor>();
        m_editor->setCell(nb201::Cell::parse(kDefaultArch.toStdString()));
        m_editor->resize(600, 420);
        m_editor->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_editor.get()));
    }
    void cleanup() { m_editor.reset(); }

    void officialIndexOnlyFromATable()
    {
        CellEditor& editor = *m_editor;
        // The enumeration position is no NB201 index: without a table no index is shown.
        const QString position = QString::number(editor.cell().index());
        QVERIFY2(!editor.factsLabel()->text().contains(position), qPrintable(editor.factsLabel()->text()));
        QVERIFY(!editor.factsLabel()->text().contains(QStringLiteral("index")));
        editor.setBenchmarkIds({ { QString::fromStdString(editor.cell().toString()), QStringLiteral("9930") } });
        QVERIFY2(editor.factsLabel()->text().startsWith(QStringLiteral("NB201 index 9930 ·")),
            qPrintable(editor.factsLabel()->text()));
        // A cell the table lacks shows none.
        editor.editCell(nb201::Cell::fromIndex(editor.cell().index() == 0 ? 1 : 0), QStringLiteral("other"));
        QVERIFY(!editor.factsLabel()->text().contains(QStringLiteral("index")));
        editor.setBenchmarkIds({});
        QVERIFY(!editor.factsLabel()->text().contains(QStringLiteral("index")));
    }

    void clickEdgeThenPaletteChangesOneOp()
    {
        CellEditor& editor = *m_editor;
        QSignalSpy edited(&editor, &CellEditor::archEdited);
        // Edge 3 runs 0→3 and carries skip_connect.
        QTest::mouseClick(editor.view()->viewport(), Qt::LeftButton, {}, edgePoint(editor, 3));
        QCOMPARE(editor.scene()->selectedEdge(), 3);
        QCOMPARE(edited.count(), 0);

        auto* conv1x1 = editor.findChild<QAbstractButton*>(QStringLiteral("palette_nor_conv_1x1"));
        QVERIFY(conv1x1);
        QTest::mouseClick(conv1x1, Qt::LeftButton);
        const QString expected = QStringLiteral(
            "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_1x1~0|nor_conv_3x3~1|nor_conv_3x3~2|");
        QCOMPARE(edited.count(), 1);
        QCOMPARE(QString::fromStdString(nb201::cellOf(edited.at(0).at(0).value<epsinas::Arch>()).toString()), expected);
        QCOMPARE(QString::fromStdString(editor.cell().toString()), expected);
        QCOMPARE(editor.archEdit()->text(), expected);
        QVERIFY(editor.scene()->edgeItem(3)->op() == nb201::Op::Conv1x1);

        editor.undoStack()->undo();
        QCOMPARE(edited.count(), 2);
        QCOMPARE(QString::fromStdString(editor.cell().toString()), kDefaultArch);
        QCOMPARE(editor.archEdit()->text(), kDefaultArch);
        editor.undoStack()->redo();
        QCOMPARE(QString::fromStdString(editor.cell().toString()), expected);
    }

    void rightClickMenuPicksOp()
    {
        CellEditor& editor = *m_editor;
        QSignalSpy edited(&editor, &CellEditor::archEdited);
        QWidget* viewport = editor.view()->viewport();
        const QPoint point = edgePoint(editor, 0);
        QContextMenuEvent event(QContextMenuEvent::Mouse, point, viewport->mapToGlobal(point));
        QApplication::sendEvent(viewport, &event);
        auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
        QVERIFY(menu);
        QAction* none = menu->findChild<QAction*>(QStringLiteral("none"));
        QVERIFY(none);
        none->trigger();
        menu->close();
        QCOMPARE(edited.count(), 1);
        QVERIFY(editor.cell().op(0) == nb201::Op::None);
        QCOMPARE(editor.scene()->selectedEdge(), 0);
    }

    void keyboardCyclesSelectedEdge()
    {
        CellEditor& editor = *m_editor;
        QSignalSpy edited(&editor, &CellEditor::archEdited);
        QTest::mouseClick(editor.view()->viewport(), Qt::LeftButton, {}, edgePoint(editor, 5));
        QCOMPARE(editor.scene()->selectedEdge(), 5);
        QTest::keyClick(editor.view()->viewport(), Qt::Key_Up);
        QCOMPARE(edited.count(), 1);
        QVERIFY(editor.cell().op(5) == nb201::Op::AvgPool3x3);
        QTest::keyClick(editor.view()->viewport(), Qt::Key_Up);
        QVERIFY(editor.cell().op(5) == nb201::Op::None);
        QTest::keyClick(editor.view()->viewport(), Qt::Key_Left);
        QCOMPARE(editor.scene()->selectedEdge(), 4);
        QCOMPARE(edited.count(), 2);
        QCOMPARE(editor.undoStack()->count(), 2);
    }

    void badPasteShowsErrorAndKeepsCell()
    {
        CellEditor& editor = *m_editor;
        QSignalSpy edited(&editor, &CellEditor::archEdited);
        QApplication::clipboard()->setText(QStringLiteral("|nor_conv_3x3~0|+|bogus~0|"));
        editor.pasteAction()->trigger();
        QCOMPARE(edited.count(), 0);
        QCOMPARE(QString::fromStdString(editor.cell().toString()), kDefaultArch);
        QVERIFY(editor.errorLabel()->isVisible());
        QVERIFY(!editor.errorLabel()->text().isEmpty());

        // Typing in the field: an error while incomplete, the cell once it parses.
        editor.archEdit()->clear();
        QTest::keyClicks(editor.archEdit(), QStringLiteral("|none~0|+"));
        QVERIFY(editor.errorLabel()->isVisible());
        QCOMPARE(edited.count(), 0);
        const QString good = QStringLiteral("|none~0|+|skip_connect~0|none~1|+|none~0|none~1|avg_pool_3x3~2|");
        editor.archEdit()->selectAll();
        QApplication::clipboard()->setText(good);
        editor.archEdit()->paste();
        QCOMPARE(edited.count(), 1);
        QCOMPARE(QString::fromStdString(editor.cell().toString()), good);
        QVERIFY(editor.errorLabel()->isHidden());

        // A good paste through the action works too, and undo returns to the previous cell.
        QApplication::clipboard()->setText(kDefaultArch);
        editor.pasteAction()->trigger();
        QCOMPARE(edited.count(), 2);
        editor.undoStack()->undo();
        QCOMPARE(QString::fromStdString(editor.cell().toString()), good);
    }

    void randomAndMutateEmitOnce()
    {
        CellEditor& editor = *m_editor;
        QSignalSpy edited(&editor, &CellEditor::archEdited);
        const nb201::Cell before = editor.cell();
        editor.mutateAction()->trigger();
        QCOMPARE(edited.count(), 1);
        int changed = 0;
        for (int edge = 0; edge < nb201::kEdgeCount; ++edge)
            changed += editor.cell().op(edge) != before.op(edge);
        QCOMPARE(changed, 1);
        editor.randomAction()->trigger();
        QVERIFY(edited.count() <= 2);
    }

private:
    std::unique_ptr<CellEditor> m_editor;
};

QTEST_MAIN(TestCellEditor)
#include "tst_celleditor.moc"
