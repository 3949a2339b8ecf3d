// SPDX-License-Identifier: MIT
// What the three graph editors share: zoom and pan, readable labels, keyboard use, one op vocabulary, and message
// lines that never move the graph. Set EPSINAS_GRAPH_PNG_DIR to also write each editor, as tested, into a PNG there.
#include "fittingview.h"
#include "spaces/nb101/nb101editor.h"
#include "spaces/nb101/nb101scene.h"
#include "spaces/nb201/celleditor.h"
#include "spaces/nb201/cellscene.h"
#include "spaces/nb201/edgeitem.h"
#include "spaces/nlp/nlpeditor.h"
#include "spaces/nlp/nlpscene.h"
#include "spaces/spaceeditors.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QButtonGroup>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QSignalSpy>
#include <QTest>
#include <QWheelEvent>

#include <cstdlib>
#include <memory>

using namespace epsinas::gui;
namespace nb101 = epsinas::nb101;
namespace nb201 = epsinas::nb201;
namespace nlp = epsinas::nlp;

namespace {
/** The dock size the explorer gives an editor on a 1366×768 screen, and so the one the labels must be read at. */
const QSize kDockSize(560, 330);
// input -> 1, 2; 1 -> 3, 4; 2 -> 4; 3 -> 4 over input, conv3x3, maxpool, conv1x1, output.
const char* const kSpec = "0110000011000010000100000:input|conv3x3-bn-relu|maxpool3x3|conv1x1-bn-relu|output";
// The most vertices NB101 allows: a chain with three skips over it.
const char* const k7VertexSpec = "0101001001000000010100000100000001000000010000000:input|conv3x3-bn-relu|"
                                 "conv1x1-bn-relu|maxpool3x3|conv3x3-bn-relu|conv1x1-bn-relu|output";

const epsinas::SearchSpace& spaceNamed(const QString& name)
{
    if (name == QLatin1String("nb201"))
        return nb201::space();
    if (name == QLatin1String("nb101"))
        return nb101::space();
    return nlp::space();
}

QString text(std::string_view name)
{
    return QString::fromLatin1(name.data(), int(name.size()));
}

/** What a menu offers, its section titles and separators left out. */
QStringList actionTexts(const QMenu& menu)
{
    QStringList texts;
    for (QAction* action : menu.actions()) {
        if (!action->isSeparator())
            texts << action->text();
    }
    return texts;
}

void sendWheel(QWidget* viewport, const QPoint& at, int delta, Qt::KeyboardModifiers modifiers)
{
    QWheelEvent event(
        at, viewport->mapToGlobal(at), QPoint(), QPoint(0, delta), Qt::NoButton, modifiers, Qt::NoScrollPhase, false);
    QApplication::sendEvent(viewport, &event);
}

/** Lets pending layout requests run, so that sizes are those a user would see. */
void settle()
{
    QApplication::sendPostedEvents();
    QApplication::processEvents();
}
} // namespace

class TestGraphEditors : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<ArchEditor> m_editor;
    FittingView* m_view = nullptr;

    void open(const QString& space)
    {
        m_editor.reset(createEditor(spaceNamed(space), nullptr));
        QVERIFY(m_editor);
        if (auto* nb101Editor = qobject_cast<Nb101Editor*>(m_editor.get()))
            nb101Editor->setSpec(nb101::Spec::parse(kSpec));
        m_editor->resize(kDockSize);
        m_editor->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_editor.get()));
        m_view = m_editor->findChild<FittingView*>(QStringLiteral("graphView"));
        QVERIFY(m_view);
        settle();
    }
    void writePng(const QString& name)
    {
        const QString dir = qEnvironmentVariable("EPSINAS_GRAPH_PNG_DIR");
        if (!dir.isEmpty())
            QVERIFY(m_editor->grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png")));
    }

private Q_SLOTS:
    void cleanup()
    {
        m_editor.reset();
        m_view = nullptr;
    }

    void fitsDock_data() { zoomAndFit_data(); }
    void fitsDock()
    {
        QFETCH(QString, space);
        open(space);
        const QSize least = m_editor->minimumSizeHint();
        QVERIFY2(least.width() <= kDockSize.width() && least.height() <= kDockSize.height(),
            qPrintable(QStringLiteral("%1×%2").arg(least.width()).arg(least.height())));
        QCOMPARE(m_editor->size(), kDockSize);
    }

    void zoomAndFit_data()
    {
        QTest::addColumn<QString>("space");
        QTest::newRow("nb201") << QStringLiteral("nb201");
        QTest::newRow("nb101") << QStringLiteral("nb101");
        QTest::newRow("nlp") << QStringLiteral("nlp");
    }
    void zoomAndFit()
    {
        QFETCH(QString, space);
        open(space);
        writePng(space);
        QVERIFY(m_view->isFitting());
        const qreal fitted = m_view->zoom();
        QVERIFY(fitted > 0);
        QCOMPARE(m_editor->viewActions().size(), std::size_t(3));

        m_view->zoomInAction()->trigger();
        QVERIFY2(m_view->zoom() > fitted * 1.1, qPrintable(QString::number(m_view->zoom())));
        QVERIFY(!m_view->isFitting());
        // Zoomed in past the dock, the graph can be panned by dragging the background.
        m_view->zoomInAction()->trigger();
        m_view->zoomInAction()->trigger();
        QVERIFY(m_view->canPan());
        QCOMPARE(m_view->dragMode(), QGraphicsView::ScrollHandDrag);
        writePng(space + QStringLiteral("-zoomed"));
        // A zoom the user chose survives a resize.
        const qreal zoomed = m_view->zoom();
        m_editor->resize(kDockSize + QSize(200, 120));
        settle();
        QCOMPARE(m_view->zoom(), zoomed);

        for (int step = 0; step < 5; ++step)
            m_view->zoomOutAction()->trigger();
        QVERIFY(m_view->zoom() < fitted);
        m_view->fitAction()->trigger();
        QVERIFY(m_view->isFitting());
        m_editor->resize(kDockSize);
        settle();
        QCOMPARE(m_view->zoom(), fitted);
        m_editor->resize(kDockSize + QSize(400, 300));
        settle();
        QVERIFY2(m_view->zoom() > fitted, "fitting follows the view's size");
    }

    void wheelAndKeysZoom_data() { zoomAndFit_data(); }
    void wheelAndKeysZoom()
    {
        QFETCH(QString, space);
        open(space);
        QWidget* viewport = m_view->viewport();
        const qreal fitted = m_view->zoom();
        const QPoint at(viewport->width() / 3, viewport->height() / 2);

        sendWheel(viewport, at, 120, Qt::ControlModifier);
        QVERIFY(m_view->zoom() > fitted);
        // Zoomed in far enough to scroll both ways, zooming keeps the point under the cursor where it was.
        sendWheel(viewport, at, 600, Qt::ControlModifier);
        const QRectF shown = m_view->mapFromScene(m_view->sceneRect()).boundingRect();
        QVERIFY(shown.width() > viewport->width() && shown.height() > viewport->height());
        // Scroll positions are whole pixels, so the point may drift by the rounding: half a pixel each way, plus
        // half a pixel in mapFromScene's rounding. Several anchors and both directions, because one lucky point hid
        // a two-pixel drift here.
        const QSize room = viewport->size();
        // Each zoom in is undone by a zoom out at the same anchor, so no scroll position is pushed past its end.
        for (const QPoint& anchor : { at, QPoint(room.width() / 5, room.height() / 7),
                 QPoint(room.width() * 4 / 5 + 1, room.height() * 3 / 4 + 1), QPoint(room.width() / 2 + 1, 3) }) {
            for (const int delta : { 120, -120, 60, -60 }) {
                const QPointF sceneAt = m_view->mapToScene(anchor);
                sendWheel(viewport, anchor, delta, Qt::ControlModifier);
                const QPoint moved = m_view->mapFromScene(sceneAt) - anchor;
                QVERIFY2(std::abs(moved.x()) <= 1 && std::abs(moved.y()) <= 1,
                    qPrintable(QStringLiteral("anchor %1,%2 wheel %3 moved %4,%5")
                                   .arg(anchor.x())
                                   .arg(anchor.y())
                                   .arg(delta)
                                   .arg(moved.x())
                                   .arg(moved.y())));
            }
        }

        m_view->fit();
        // A plain wheel over a graph that fits changes nothing: it is left to what holds the editor.
        sendWheel(viewport, at, 120, Qt::NoModifier);
        QCOMPARE(m_view->zoom(), fitted);

        m_view->setFocus();
        QTest::keyClick(m_view, Qt::Key_Plus);
        QVERIFY(m_view->zoom() > fitted);
        QTest::keyClick(m_view, Qt::Key_Minus);
        QTest::keyClick(m_view, Qt::Key_Minus);
        QVERIFY(m_view->zoom() < fitted);
        QApplication::setActiveWindow(m_editor.get());
        QVERIFY(QTest::qWaitForWindowActive(m_editor.get()));
        QTest::keyClick(m_view, Qt::Key_0, Qt::ControlModifier);
        QVERIFY(m_view->isFitting());
        QCOMPARE(m_view->zoom(), fitted);
    }

    void panZoomedGraph_data() { zoomAndFit_data(); }
    void panZoomedGraph()
    {
        QFETCH(QString, space);
        open(space);
        QWidget* viewport = m_view->viewport();
        // In a view big enough for all of it, there is nothing to pan to, and a drag on the background does nothing.
        m_editor->resize(1200, 800);
        settle();
        QVERIFY2(!m_view->canPan(),
            qPrintable(QStringLiteral("%1 in %2×%3")
                           .arg(m_view->zoom())
                           .arg(m_view->viewport()->width())
                           .arg(m_view->viewport()->height())));
        QCOMPARE(m_view->dragMode(), QGraphicsView::NoDrag);
        for (int step = 0; step < 6; ++step)
            m_view->zoomIn();
        QVERIFY(m_view->canPan());
        // The scene's top left corner is margin, background whatever the graph: a drag there pans.
        m_view->centerOn(m_view->sceneRect().topLeft());
        const QPoint start = m_view->mapFromScene(m_view->sceneRect().topLeft() + QPointF(2, 2));
        QVERIFY(viewport->rect().contains(start));
        const QPointF before = m_view->mapToScene(viewport->rect().center());
        QTest::mousePress(viewport, Qt::LeftButton, {}, start);
        QTest::mouseMove(viewport, start + QPoint(-20, -15));
        QTest::mouseMove(viewport, start + QPoint(-60, -45));
        QTest::mouseRelease(viewport, Qt::LeftButton, {}, start + QPoint(-60, -45));
        const QPointF after = m_view->mapToScene(viewport->rect().center());
        QVERIFY2(after.x() > before.x() && after.y() > before.y(),
            qPrintable(QStringLiteral("%1,%2 -> %3,%4").arg(before.x()).arg(before.y()).arg(after.x()).arg(after.y())));
        // The plain wheel pans a zoomed graph too, and does not zoom.
        const qreal zoom = m_view->zoom();
        sendWheel(viewport, viewport->rect().center(), -120, Qt::NoModifier);
        QCOMPARE(m_view->zoom(), zoom);
        QVERIFY(m_view->mapToScene(viewport->rect().center()).y() > after.y());
    }

    void focusIsVisible_data() { zoomAndFit_data(); }
    void focusIsVisible()
    {
        QFETCH(QString, space);
        open(space);
        QCOMPARE(m_view->focusPolicy(), Qt::StrongFocus);
        QApplication::setActiveWindow(m_editor.get());
        QVERIFY(QTest::qWaitForWindowActive(m_editor.get()));
        const QColor highlight = m_view->palette().color(QPalette::Highlight);
        // The left edge of the viewport, half way down: background without focus, the frame with it.
        const QPoint edge(0, m_view->viewport()->height() / 2);
        m_editor->setFocus();
        m_view->clearFocus();
        settle();
        QVERIFY(m_view->viewport()->grab().toImage().pixelColor(edge) != highlight);
        m_view->setFocus();
        settle();
        QVERIFY(m_view->hasFocus());
        writePng(space + QStringLiteral("-focused"));
        QCOMPARE(m_view->viewport()->grab().toImage().pixelColor(edge), highlight);
    }

    void nlpLabelsReadableInDock_data()
    {
        QTest::addColumn<QString>("example");
        QTest::newRow("rnn") << QStringLiteral("rnn");
        QTest::newRow("lstm") << QStringLiteral("lstm");
        QTest::newRow("gru") << QStringLiteral("gru");
    }
    void nlpLabelsReadableInDock()
    {
        QFETCH(QString, example);
        open(QStringLiteral("nlp"));
        auto* editor = qobject_cast<NlpEditor*>(m_editor.get());
        editor->setRecipe(nlp::Recipe::example(example.toStdString()));
        settle();
        writePng(QStringLiteral("nlp-") + example);
        // The boxes' text is drawn in the scene's font, scaled by the view.
        const qreal shownPoints = m_view->zoom() * editor->scene()->font().pointSizeF();
        QVERIFY2(shownPoints >= kReadableLabelPoints - 1e-9, qPrintable(QString::number(shownPoints)));
        // The graph keeps a useful part of the dock: room for three rows of boxes.
        QVERIFY2(m_view->height() >= 140, qPrintable(QString::number(m_view->height())));
    }

    void labelsReadableInDock_data()
    {
        QTest::addColumn<QString>("space");
        QTest::addColumn<QString>("spec");
        QTest::newRow("nb201") << QStringLiteral("nb201") << QString();
        QTest::newRow("nb101") << QStringLiteral("nb101") << QString();
        QTest::newRow("nb101 7 vertices") << QStringLiteral("nb101") << QString::fromLatin1(k7VertexSpec);
    }
    void labelsReadableInDock()
    {
        QFETCH(QString, space);
        QFETCH(QString, spec);
        open(space);
        if (!spec.isEmpty()) {
            qobject_cast<Nb101Editor*>(m_editor.get())->setSpec(nb101::Spec::parse(spec.toStdString()));
            settle();
            writePng(QStringLiteral("nb101-7"));
        }
        const QFont font = space == QLatin1String("nb201") ? EdgeItem::labelFont() : Nb101Scene::labelFont();
        const qreal shownPoints = m_view->zoom() * font.pointSizeF();
        QVERIFY2(shownPoints >= kReadableLabelPoints - 1e-9, qPrintable(QString::number(shownPoints)));
        // And the whole graph is in view: the readable scale is no reason to cut a graph of these spaces.
        const QRectF drawn = m_view->scene()->itemsBoundingRect();
        QVERIFY2(m_view->viewport()->rect().contains(m_view->mapFromScene(drawn).boundingRect()),
            qPrintable(QStringLiteral("%1 wide in %2")
                           .arg(m_view->mapFromScene(drawn).boundingRect().width())
                           .arg(m_view->viewport()->width())));
    }

    void nb101ClickSelectsVertex()
    {
        open(QStringLiteral("nb101"));
        auto* editor = qobject_cast<Nb101Editor*>(m_editor.get());
        QSignalSpy edited(editor, &ArchEditor::archEdited);
        QCOMPARE(editor->scene()->selectedVertex(), 1);
        const QPoint vertex = m_view->mapFromScene(editor->scene()->vertexPos(2));
        QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, vertex);
        QCOMPARE(editor->scene()->selectedVertex(), 2);
        QCOMPARE(edited.count(), 0);
        auto* label = editor->findChild<QLabel*>(QStringLiteral("selectedVertex"));
        QVERIFY(label);
        QCOMPARE(label->text(), QStringLiteral("Vertex 2:"));
        // Vertex 2 is the max pool: its palette entry is the checked one, and picking another sets the op.
        QAbstractButton* maxpool = editor->palette()->checkedButton();
        QVERIFY(maxpool);
        QCOMPARE(maxpool->text(), QStringLiteral("maxpool3x3"));
        QAbstractButton* conv1x1 = editor->findChild<QAbstractButton*>(QStringLiteral("palette_conv1x1-bn-relu"));
        QVERIFY(conv1x1 && conv1x1->isEnabled());
        conv1x1->click();
        QCOMPARE(edited.count(), 1);
        QCOMPARE(editor->spec().op(2), nb101::Op::Conv1x1);
        QCOMPARE(editor->scene()->selectedVertex(), 2);
        writePng(QStringLiteral("nb101-selected"));
        // The input has no op to choose: selecting it leaves the palette unchecked and disabled.
        QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, m_view->mapFromScene(editor->scene()->vertexPos(0)));
        QCOMPARE(editor->scene()->selectedVertex(), 0);
        QVERIFY(!conv1x1->isEnabled());
        QVERIFY(!editor->palette()->checkedButton());
        QCOMPARE(edited.count(), 1);
        // A double click on a vertex selects it and opens its op menu, as on an NB201 edge.
        QTest::mouseDClick(m_view->viewport(), Qt::LeftButton, {}, m_view->mapFromScene(editor->scene()->vertexPos(3)));
        QCOMPARE(editor->scene()->selectedVertex(), 3);
        auto* menu = m_view->findChild<QMenu*>(QStringLiteral("vertexMenu"));
        QVERIFY(menu);
        QTRY_VERIFY(menu->isVisible());
        QVERIFY(actionTexts(*menu).contains(QStringLiteral("conv1x1-bn-relu")));
        menu->close();
        QCOMPARE(edited.count(), 1);
    }

    void paletteAndMenuSayTheSame()
    {
        auto checkNames = [](const QStringList& palette, const QStringList& menu, const QStringList& benchmark) {
            QCOMPARE(palette, benchmark);
            QCOMPARE(menu.mid(0, benchmark.size()), benchmark);
        };
        {
            CellEditor editor;
            QStringList palette;
            QStringList benchmark;
            for (nb201::Op op : nb201::kAllOps) {
                benchmark << text(nb201::opName(op));
                auto* button = editor.findChild<QAbstractButton*>(QStringLiteral("palette_") + benchmark.back());
                QVERIFY(button);
                palette << button->text();
            }
            std::unique_ptr<QMenu> menu(editor.scene()->createOpMenu(0, nullptr));
            checkNames(palette, actionTexts(*menu), benchmark);
            if (QTest::currentTestFailed())
                return;
        }
        {
            Nb101Editor editor;
            editor.setSpec(nb101::Spec::parse(kSpec));
            QStringList palette;
            QStringList benchmark;
            for (nb101::Op op : Nb101Scene::interiorOps()) {
                benchmark << text(nb101::opName(op));
                auto* button = editor.findChild<QAbstractButton*>(QStringLiteral("palette_") + benchmark.back());
                QVERIFY(button);
                palette << button->text();
            }
            QCOMPARE(benchmark.size(), 3);
            std::unique_ptr<QMenu> menu(editor.scene()->createMenu(1, nullptr));
            checkNames(palette, actionTexts(*menu), benchmark);
            if (QTest::currentTestFailed())
                return;
        }
        {
            NlpEditor editor;
            auto* combo = editor.findChild<QComboBox*>(QStringLiteral("nodeOp"));
            QVERIFY(combo);
            QStringList palette;
            QStringList benchmark;
            for (nlp::Op op : nlp::kAllOps)
                benchmark << text(nlp::opName(op));
            for (int i = 0; i < combo->count(); ++i)
                palette << combo->itemText(i);
            std::unique_ptr<QMenu> menu(editor.scene()->createMenu(QStringLiteral("f"), nullptr));
            checkNames(palette, actionTexts(*menu), benchmark);
        }
    }

    void messageKeepsGraphHeight_data()
    {
        QTest::addColumn<QString>("space");
        QTest::addColumn<bool>("problem");
        QTest::newRow("nb201 parse error") << QStringLiteral("nb201") << false;
        QTest::newRow("nb101 parse error") << QStringLiteral("nb101") << false;
        QTest::newRow("nb101 invalid cell") << QStringLiteral("nb101") << true;
        QTest::newRow("nlp parse error") << QStringLiteral("nlp") << false;
        QTest::newRow("nlp invalid recipe") << QStringLiteral("nlp") << true;
    }
    void messageKeepsGraphHeight()
    {
        QFETCH(QString, space);
        QFETCH(bool, problem);
        open(space);
        const QSize before = m_view->size();
        const QSize editorBefore = m_editor->size();
        QLabel* message = nullptr;
        // Each message is long, longer than the dock is wide, so that wrapping it would take several lines.
        const QString junk = QStringLiteral("not an architecture ").repeated(12);
        if (auto* cell = qobject_cast<CellEditor*>(m_editor.get())) {
            QVERIFY(!cell->applyArchString(junk));
            message = cell->errorLabel();
        } else if (auto* nb101Editor = qobject_cast<Nb101Editor*>(m_editor.get())) {
            if (problem) {
                // Every edge cut: the draft has no input -> output path.
                const nb101::Spec loaded = nb101Editor->spec();
                std::vector<nb101::Op> ops;
                for (int vertex = 0; vertex < loaded.vertexCount(); ++vertex)
                    ops.push_back(loaded.op(vertex));
                const auto count = ops.size();
                nb101Editor->editSpec(
                    nb101::Spec(std::vector<std::vector<bool>>(count, std::vector<bool>(count, false)), ops),
                    QStringLiteral("Cut every edge"));
                QVERIFY(!nb101Editor->spec().isValid());
                message = nb101Editor->problemLabel();
            } else {
                QVERIFY(!nb101Editor->applySpecString(junk));
                message = nb101Editor->errorLabel();
            }
        } else if (auto* nlpEditor = qobject_cast<NlpEditor*>(m_editor.get())) {
            if (problem) {
                QVERIFY(nlpEditor->applyRecipeJson(QStringLiteral(
                    R"({"f": {"op": "linear", "input": ["x", "h_prev_0", "a_name_defined_nowhere_at_all"]},
                        "h_new_0": {"op": "activation_tanh", "input": ["f", "another_name_defined_nowhere"]}})")));
                message = nlpEditor->problemLabel();
            } else {
                QVERIFY(!nlpEditor->applyRecipeJson(junk));
                message = nlpEditor->errorLabel();
            }
        }
        settle();
        QVERIFY(message);
        QVERIFY(message->isVisible());
        QVERIFY2(!message->text().isEmpty(), "the message is shown");
        writePng(space + (problem ? QStringLiteral("-problem") : QStringLiteral("-error")));
        QCOMPARE(m_view->size(), before);
        QCOMPARE(m_editor->size(), editorBefore);
        auto* line = dynamic_cast<MessageLabel*>(message);
        QVERIFY(line);
        QCOMPARE(line->height(), line->minimumSizeHint().height());
        // The parse errors quote the junk, too long for one line: cut short, with all of it in the tooltip.
        if (!problem)
            QVERIFY(line->isElided());
    }

    // A scene that reports its own teardown runs its selection slot over items already deleted (a crash seen in CI).
    void destroyedSceneAnnouncesNoSelection()
    {
        int announced = 0;
        {
            CellScene cellScene;
            cellScene.selectEdge(1);
            QObject::connect(&cellScene, &QGraphicsScene::selectionChanged, [&announced] { ++announced; });
        }
        {
            NlpScene nlpScene;
            const nlp::Recipe lstm = nlp::Recipe::example("lstm");
            nlpScene.setNodes(lstm.nodes());
            nlpScene.selectNode(QString::fromStdString(lstm.nodes().front().name));
            QObject::connect(&nlpScene, &QGraphicsScene::selectionChanged, [&announced] { ++announced; });
        }
        QCOMPARE(announced, 0);
    }

    // QWidget's destructor hides the editor, and a focused text field then emits editingFinished after the editor's
    // members are gone: its slot must not run (the sanitized build reports it as UB; the NLP editor would even
    // rename the node, an edit announced by a half-destroyed editor).
    void destroyedEditorRunsNoSlotOnAFocusedField_data()
    {
        QTest::addColumn<QString>("space");
        QTest::addColumn<QString>("field");
        QTest::newRow("nb201") << QStringLiteral("nb201") << QStringLiteral("archEdit");
        QTest::newRow("nb101") << QStringLiteral("nb101") << QStringLiteral("specEdit");
        QTest::newRow("nlp") << QStringLiteral("nlp") << QStringLiteral("nodeName");
    }
    void destroyedEditorRunsNoSlotOnAFocusedField()
    {
        QFETCH(QString, space);
        QFETCH(QString, field);
        open(space);
        if (auto* nlpEditor = qobject_cast<NlpEditor*>(m_editor.get()))
            nlpEditor->selectNode(QString::fromStdString(nlpEditor->nodes().back().name));
        auto* line = m_editor->findChild<QLineEdit*>(field);
        QVERIFY(line);
        QApplication::setActiveWindow(m_editor.get());
        line->setFocus();
        QTRY_VERIFY(line->hasFocus());
        QTest::keyClicks(line, QStringLiteral("x"));
        QVERIFY(line->hasFocus());
        QSignalSpy edited(m_editor.get(), &ArchEditor::archEdited);
        m_editor.reset();
        QCOMPARE(edited.count(), 0);
    }

    void keyboardChangesOp_data() { zoomAndFit_data(); }
    void keyboardChangesOp()
    {
        QFETCH(QString, space);
        open(space);
        QSignalSpy edited(m_editor.get(), &ArchEditor::archEdited);
        m_view->setFocus();
        QWidget* viewport = m_view->viewport();
        if (auto* cell = qobject_cast<CellEditor*>(m_editor.get())) {
            QTest::keyClick(viewport, Qt::Key_Right);
            QCOMPARE(cell->scene()->selectedEdge(), 1);
            const nb201::Op before = cell->cell().op(1);
            QTest::keyClick(viewport, Qt::Key_Up);
            QCOMPARE(edited.count(), 1);
            QVERIFY(cell->cell().op(1) != before);
            QTest::keyClick(viewport, Qt::Key_4);
            QCOMPARE(cell->cell().op(1), nb201::Op::AvgPool3x3);
        } else if (auto* nb101Editor = qobject_cast<Nb101Editor*>(m_editor.get())) {
            QTest::keyClick(viewport, Qt::Key_Right);
            QCOMPARE(nb101Editor->scene()->selectedVertex(), 2);
            QTest::keyClick(viewport, Qt::Key_Up);
            QCOMPARE(edited.count(), 1);
            // maxpool3x3 is the last interior op; the next one round is conv3x3-bn-relu.
            QCOMPARE(nb101Editor->spec().op(2), nb101::Op::Conv3x3);
            QTest::keyClick(viewport, Qt::Key_2);
            QCOMPARE(nb101Editor->spec().op(2), nb101::Op::Conv1x1);
            // The ends have no op to change.
            QTest::keyClick(viewport, Qt::Key_Left);
            QTest::keyClick(viewport, Qt::Key_Left);
            QCOMPARE(nb101Editor->scene()->selectedVertex(), 0);
            QTest::keyClick(viewport, Qt::Key_Up);
            QCOMPARE(edited.count(), 2);
            QTest::keyClick(viewport, Qt::Key_Right);
            QCOMPARE(nb101Editor->scene()->selectedVertex(), 1);
        } else if (auto* nlpEditor = qobject_cast<NlpEditor*>(m_editor.get())) {
            QVERIFY(nlpEditor->selectedNode().isEmpty());
            QTest::keyClick(viewport, Qt::Key_Right);
            QCOMPARE(nlpEditor->selectedNode(), QStringLiteral("f"));
            QTest::keyClick(viewport, Qt::Key_Up);
            QCOMPARE(edited.count(), 1);
            QCOMPARE(nlpEditor->nodes().front().op, nlp::Op::Blend);
            QCOMPARE(nlpEditor->selectedNode(), QStringLiteral("f"));
            QTest::keyClick(viewport, Qt::Key_Down);
            QCOMPARE(nlpEditor->nodes().front().op, nlp::Op::Linear);
            QTest::keyClick(viewport, Qt::Key_Right);
            QCOMPARE(nlpEditor->selectedNode(), QStringLiteral("h_new_0"));
        }
        // Enter opens the selection's op menu, the keyboard's way to the whole list.
        QTest::keyClick(viewport, Qt::Key_Return);
        QMenu* menu = nullptr;
        QTRY_VERIFY((menu = m_view->findChild<QMenu*>()) && menu->isVisible());
        QVERIFY(actionTexts(*menu).size() >= 3);
        menu->close();
    }
};

QTEST_MAIN(TestGraphEditors)
#include "tst_grapheditors.moc"
