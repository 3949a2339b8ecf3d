// SPDX-License-Identifier: MIT
#include "spaces/nb101/nb101editor.h"
#include "spaces/nb101/nb101scene.h"

#include <QAction>
#include <QGraphicsView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QSignalSpy>
#include <QTest>
#include <QUndoStack>

using epsinas::gui::Nb101Editor;
namespace nb101 = epsinas::nb101;

namespace {
// input -> 1, 2; 1 -> 3, 4; 2 -> 4; 3 -> 4 over input, conv3x3, maxpool, conv1x1, output.
const QString kOps = QStringLiteral("input|conv3x3-bn-relu|maxpool3x3|conv1x1-bn-relu|output");
const QString kSpec = QStringLiteral("0110000011000010000100000:") + kOps;

QPoint vertexPoint(Nb101Editor& editor, int vertex)
{
    return editor.view()->mapFromScene(editor.scene()->vertexPos(vertex));
}

QPoint edgePoint(Nb101Editor& editor, int from, int to)
{
    return editor.view()->mapFromScene(editor.scene()->edgePos(from, to));
}

QString specText(const nb101::Spec& spec)
{
    return QString::fromStdString(spec.toString());
}
} // namespace

class TestNb101Editor : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_editor = std::make_unique<Nb101Editor>();
        m_editor->setSpec(nb101::Spec::parse(kSpec.toStdString()));
        m_editor->resize(640, 420);
        m_editor->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_editor.get()));
    }
    void cleanup() { m_editor.reset(); }

    void dragAddsEdgeAndUndoRestores()
    {
        Nb101Editor& editor = *m_editor;
        QSignalSpy edited(&editor, &Nb101Editor::archEdited);
        QWidget* viewport = editor.view()->viewport();
        const QPoint from = vertexPoint(editor, 0);
        const QPoint to = vertexPoint(editor, 3);
        QTest::mousePress(viewport, Qt::LeftButton, {}, from);
        QTest::mouseMove(viewport, (from + to) / 2);
        QTest::mouseMove(viewport, to);
        QTest::mouseRelease(viewport, Qt::LeftButton, {}, to);

        const QString expected = QStringLiteral("0111000011000010000100000:") + kOps;
        QCOMPARE(edited.count(), 1);
        QCOMPARE(specText(nb101::specOf(edited.at(0).at(0).value<epsinas::Arch>())), expected);
        QCOMPARE(specText(editor.spec()), expected);
        QCOMPARE(editor.specEdit()->text(), expected);

        editor.undoStack()->undo();
        QCOMPARE(edited.count(), 2);
        QCOMPARE(specText(editor.spec()), kSpec);
        QCOMPARE(editor.specEdit()->text(), kSpec);
        editor.undoStack()->redo();
        QCOMPARE(specText(editor.spec()), expected);
    }

    void dragBackwardsAddsNothing()
    {
        Nb101Editor& editor = *m_editor;
        QSignalSpy edited(&editor, &Nb101Editor::archEdited);
        QWidget* viewport = editor.view()->viewport();
        QTest::mousePress(viewport, Qt::LeftButton, {}, vertexPoint(editor, 3));
        QTest::mouseMove(viewport, vertexPoint(editor, 1));
        QTest::mouseRelease(viewport, Qt::LeftButton, {}, vertexPoint(editor, 1));
        QCOMPARE(edited.count(), 0);
        QCOMPARE(specText(editor.spec()), kSpec);
    }

    void clickingEdgeRemovesIt()
    {
        Nb101Editor& editor = *m_editor;
        QSignalSpy edited(&editor, &Nb101Editor::archEdited);
        QTest::mouseClick(editor.view()->viewport(), Qt::LeftButton, {}, edgePoint(editor, 1, 3));
        QCOMPARE(edited.count(), 1);
        QVERIFY(!editor.spec().hasEdge(1, 3));
        QCOMPARE(editor.spec().edgeCount(), 5);
        QVERIFY(editor.spec().isValid());
        QVERIFY(editor.problemLabel()->isHidden());
    }

    void invalidSpecShowsTheRule()
    {
        Nb101Editor& editor = *m_editor;
        QSignalSpy edited(&editor, &Nb101Editor::archEdited);
        // Cut both edges out of the input: no input -> output path is left.
        QTest::mouseClick(editor.view()->viewport(), Qt::LeftButton, {}, edgePoint(editor, 0, 1));
        QTest::mouseClick(editor.view()->viewport(), Qt::LeftButton, {}, edgePoint(editor, 0, 2));
        QCOMPARE(edited.count(), 2);
        const nb101::Spec spec = nb101::specOf(edited.at(1).at(0).value<epsinas::Arch>());
        QVERIFY(!spec.isValid());
        QVERIFY(editor.problemLabel()->isVisible());
        QVERIFY2(editor.problemLabel()->text().contains(QString::fromStdString(spec.problem()).toHtmlEscaped()),
            qPrintable(editor.problemLabel()->text()));
        // Undoing the second cut reconnects the input through vertex 2.
        editor.undoStack()->undo();
        QVERIFY(editor.spec().hasEdge(0, 2));
        QVERIFY(editor.spec().isValid());
        QVERIFY(editor.problemLabel()->isHidden());
    }

    void menuSetsOpAndVerticesComeAndGo()
    {
        Nb101Editor& editor = *m_editor;
        QSignalSpy edited(&editor, &Nb101Editor::archEdited);
        std::unique_ptr<QMenu> menu(editor.scene()->createMenu(2, nullptr));
        auto* conv1x1 = menu->findChild<QAction*>(QStringLiteral("conv1x1-bn-relu"));
        QVERIFY(conv1x1);
        conv1x1->trigger();
        QCOMPARE(edited.count(), 1);
        QVERIFY(editor.spec().op(2) == nb101::Op::Conv1x1);

        menu->findChild<QAction*>(QStringLiteral("addVertex"))->trigger();
        QCOMPARE(edited.count(), 2);
        QCOMPARE(editor.spec().vertexCount(), 6);
        QVERIFY(editor.spec().op(5) == nb101::Op::Output);
        // The new vertex has no edges yet, so NB101 prunes it, but the cell stays valid.
        QVERIFY(!(editor.spec().liveVertices() & (1u << 4)));
        QVERIFY(editor.spec().isValid());

        menu.reset(editor.scene()->createMenu(1, nullptr));
        menu->findChild<QAction*>(QStringLiteral("removeVertex"))->trigger();
        QCOMPARE(editor.spec().vertexCount(), 5);
        // Vertex 2 moved up into the removed vertex's place.
        QVERIFY(editor.spec().op(1) == nb101::Op::Conv1x1);
    }

    void badTextShowsParseErrorAndKeepsSpec()
    {
        Nb101Editor& editor = *m_editor;
        QSignalSpy edited(&editor, &Nb101Editor::archEdited);
        editor.specEdit()->setFocus();
        editor.specEdit()->selectAll();
        QTest::keyClicks(editor.specEdit(), QStringLiteral("0100:input|outpt"));
        QCOMPARE(edited.count(), 0);
        QVERIFY(editor.errorLabel()->isVisible());
        QCOMPARE(specText(editor.spec()), kSpec);

        QVERIFY(editor.applySpecString(QStringLiteral("0100:input|output")));
        QCOMPARE(editor.spec().vertexCount(), 2);
        QVERIFY(editor.errorLabel()->isHidden());
    }

private:
    std::unique_ptr<Nb101Editor> m_editor;
};

QTEST_MAIN(TestNb101Editor)
#include "tst_nb101editor.moc"
