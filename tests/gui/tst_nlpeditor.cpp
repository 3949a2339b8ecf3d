// SPDX-License-Identifier: MIT
#include "spaces/nlp/nlpeditor.h"
#include "spaces/nlp/nlpscene.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QElapsedTimer>
#include <QGraphicsView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>
#include <QUndoStack>

using epsinas::gui::NlpEditor;
namespace nlp = epsinas::nlp;
using Nodes = std::vector<nlp::Node>;

namespace {
const nlp::Node& node(const Nodes& nodes, const std::string& name)
{
    const auto found = std::find_if(nodes.begin(), nodes.end(), [&](const nlp::Node& n) { return n.name == name; });
    if (found == nodes.end())
        qFatal("no node %s", name.c_str());
    return *found;
}

bool has(const Nodes& nodes, const std::string& name)
{
    return std::any_of(nodes.begin(), nodes.end(), [&](const nlp::Node& n) { return n.name == name; });
}

std::vector<std::string> strings(std::initializer_list<const char*> items)
{
    return std::vector<std::string>(items.begin(), items.end());
}

/** Every geometric rule of the layout that a valid recipe must meet; the first broken one, or empty. */
QString layoutProblem(const epsinas::gui::NlpScene& scene, const nlp::Recipe& recipe)
{
    qreal inputsRight = -1e9;
    for (const QString& input : scene.inputNames())
        inputsRight = std::max(inputsRight, scene.boxRect(input).right());
    qreal rightmost = -1e9;
    QSet<QString> read;
    for (const nlp::Node& node : recipe.nodes()) {
        rightmost = std::max(rightmost, scene.boxRect(QString::fromStdString(node.name)).left());
        for (const std::string& input : node.inputs)
            read.insert(QString::fromStdString(input));
    }
    for (const nlp::Node& node : recipe.nodes()) {
        const QString name = QString::fromStdString(node.name);
        const QRectF box = scene.boxRect(name);
        if (box.isNull())
            return name + QStringLiteral(" is not drawn");
        if (box.left() <= inputsRight)
            return name + QStringLiteral(" is not right of the cell inputs");
        if (name.startsWith(QStringLiteral("h_new_")) && !read.contains(name) && box.left() != rightmost)
            return name + QStringLiteral(" is not in the last column");
        for (const std::string& input : node.inputs) {
            if (scene.boxRect(QString::fromStdString(input)).right() >= box.left())
                return QString::fromStdString(input) + QStringLiteral(" is not left of its reader ") + name;
        }
    }
    return {};
}
} // namespace

class TestNlpEditor : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_editor = std::make_unique<NlpEditor>();
        m_editor->setRecipe(nlp::Recipe::example("lstm"));
        m_editor->resize(900, 640);
        m_editor->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_editor.get()));
    }
    void cleanup() { m_editor.reset(); }

    void setRecipeShowsWithoutSignalOrUndoStep()
    {
        NlpEditor& editor = *m_editor;
        QSignalSpy edited(&editor, &NlpEditor::archEdited);
        editor.setRecipe(nlp::Recipe::example("gru"));
        QCOMPARE(edited.count(), 0);
        QCOMPARE(editor.undoStack()->count(), 0);
        QVERIFY(editor.nodes() == nlp::Recipe::example("gru").nodes());
        QVERIFY(editor.recipe().has_value());
        QVERIFY(editor.problem().isEmpty());
        QVERIFY(editor.problemLabel()->isHidden());
        QCOMPARE(editor.jsonEdit()->text(), QString::fromStdString(nlp::Recipe::example("gru").toJson()));
        QVERIFY(!editor.scene()->boxRect(QStringLiteral("h_tilde_act")).isNull());
    }

    void editRecipeEmitsOnceAndUndoRestores()
    {
        NlpEditor& editor = *m_editor;
        QSignalSpy edited(&editor, &NlpEditor::archEdited);
        const nlp::Recipe gru = nlp::Recipe::example("gru");
        editor.editRecipe(gru, QStringLiteral("GRU"));
        QCOMPARE(edited.count(), 1);
        QVERIFY(edited.at(0).at(0).value<epsinas::Arch>() == nlp::toArch(gru));
        QCOMPARE(editor.undoStack()->count(), 1);

        editor.editRecipe(gru, QStringLiteral("GRU again"));
        QCOMPARE(edited.count(), 1);
        QCOMPARE(editor.undoStack()->count(), 1);

        editor.undoAction()->trigger();
        QCOMPARE(edited.count(), 2);
        QVERIFY(editor.nodes() == nlp::Recipe::example("lstm").nodes());
        QVERIFY(edited.at(1).at(0).value<epsinas::Arch>() == nlp::toArch(nlp::Recipe::example("lstm")));
        editor.redoAction()->trigger();
        QCOMPARE(edited.count(), 3);
        QVERIFY(*editor.recipe() == gru);
    }

    void clickSelectsAndComboSetsOp()
    {
        NlpEditor& editor = *m_editor;
        QSignalSpy edited(&editor, &NlpEditor::archEdited);
        clickNode(QStringLiteral("i_act"));
        QCOMPARE(editor.selectedNode(), QStringLiteral("i_act"));
        auto* combo = editor.findChild<QComboBox*>(QStringLiteral("nodeOp"));
        QCOMPARE(combo->currentText(), QStringLiteral("activation_tanh"));
        QCOMPARE(editor.findChild<QLineEdit*>(QStringLiteral("nodeName"))->text(), QStringLiteral("i_act"));

        combo->setFocus();
        QTest::keyClick(combo, Qt::Key_Down);
        QCOMPARE(edited.count(), 1);
        QCOMPARE(editor.undoStack()->count(), 1);
        QVERIFY(node(editor.nodes(), "i_act").op == nlp::Op::Sigmoid);
        QVERIFY(node(editor.nodes(), "i_act").inputs == strings({ "i" }));
        QVERIFY(editor.recipe().has_value());
        QCOMPARE(editor.selectedNode(), QStringLiteral("i_act"));
        QCOMPARE(combo->currentText(), QStringLiteral("activation_sigm"));
    }

    void linearToBlendLeavesAnInvalidDraft()
    {
        NlpEditor& editor = *m_editor;
        QSignalSpy edited(&editor, &NlpEditor::archEdited);
        clickNode(QStringLiteral("i"));
        auto* combo = editor.findChild<QComboBox*>(QStringLiteral("nodeOp"));
        combo->setFocus();
        QTest::keyClick(combo, Qt::Key_Down);
        QCOMPARE(edited.count(), 1);
        QVERIFY(node(editor.nodes(), "i").op == nlp::Op::Blend);
        QVERIFY(node(editor.nodes(), "i").inputs == strings({ "x", "h_prev_0" }));
        QVERIFY(!editor.recipe().has_value());
        QVERIFY2(editor.problem().contains(QStringLiteral("'i'")), qPrintable(editor.problem()));
        QVERIFY2(editor.problem().contains(QStringLiteral("3 inputs")), qPrintable(editor.problem()));
        QVERIFY(editor.problemLabel()->isVisible());
        // A draft has JSON too, which can be copied.
        QVERIFY(editor.copyAction()->isEnabled());
        QCOMPARE(editor.jsonEdit()->text(), QString::fromStdString(nlp::toJson(editor.nodes())));
        QVERIFY(!editor.scene()->boxRect(QStringLiteral("i")).isNull());
        // A blend's inputs are lettered as in a·b + (1 − a)·c.
        auto* list = editor.findChild<QListWidget*>(QStringLiteral("nodeInputs"));
        QCOMPARE(list->item(1)->text(), QStringLiteral("b: h_prev_0"));

        editor.undoStack()->undo();
        QVERIFY(editor.recipe().has_value());
        QVERIFY(editor.problemLabel()->isHidden());
    }

    void inputsAreAddedRemovedAndMoved()
    {
        NlpEditor& editor = *m_editor;
        QSignalSpy edited(&editor, &NlpEditor::archEdited);
        editor.selectNode(QStringLiteral("h_new_1_part1"));
        auto* list = editor.findChild<QListWidget*>(QStringLiteral("nodeInputs"));
        QCOMPARE(list->count(), 2);

        QMenu* menu = editor.findChild<QToolButton*>(QStringLiteral("addInput"))->menu();
        Q_EMIT menu->aboutToShow();
        QVERIFY(menu->findChild<QAction*>(QStringLiteral("x")));
        QVERIFY(menu->findChild<QAction*>(QStringLiteral("h_prev_1")));
        QVERIFY(!menu->findChild<QAction*>(QStringLiteral("h_new_1_part1")));
        menu->findChild<QAction*>(QStringLiteral("o_act"))->trigger();
        QCOMPARE(edited.count(), 1);
        QVERIFY(node(editor.nodes(), "h_new_1_part1").inputs == strings({ "f_act", "h_prev_1", "o_act" }));
        QVERIFY2(editor.problem().contains(QStringLiteral("'h_new_1_part1'")), qPrintable(editor.problem()));
        QCOMPARE(list->count(), 3);

        list->setCurrentRow(2);
        QTest::mouseClick(editor.findChild<QToolButton*>(QStringLiteral("removeInput")), Qt::LeftButton);
        QCOMPARE(edited.count(), 2);
        QVERIFY(editor.nodes() == nlp::Recipe::example("lstm").nodes());
        QVERIFY(editor.recipe().has_value());

        list->setCurrentRow(0);
        auto* down = editor.findChild<QToolButton*>(QStringLiteral("moveInputDown"));
        QTest::mouseClick(down, Qt::LeftButton);
        QCOMPARE(edited.count(), 3);
        QVERIFY(node(editor.nodes(), "h_new_1_part1").inputs == strings({ "h_prev_1", "f_act" }));
        // The moved input stays chosen, and it is now last.
        QCOMPARE(list->currentRow(), 1);
        QVERIFY(!down->isEnabled());
        QCOMPARE(editor.undoStack()->count(), 3);
    }

    void nodesAreAddedAndRemoved()
    {
        NlpEditor& editor = *m_editor;
        QSignalSpy edited(&editor, &NlpEditor::archEdited);
        const std::size_t before = editor.nodes().size();
        editor.addNodeAction()->trigger();
        QCOMPARE(edited.count(), 1);
        QCOMPARE(editor.nodes().size(), before + 1);
        QVERIFY(node(editor.nodes(), "node_0").op == nlp::Op::Linear);
        QVERIFY(node(editor.nodes(), "node_0").inputs == strings({ "x" }));
        QCOMPARE(editor.selectedNode(), QStringLiteral("node_0"));
        // Unused, so greyed, but the recipe is still valid.
        QVERIFY(editor.recipe().has_value());
        QVERIFY(editor.scene()->unusedNodes().contains(QStringLiteral("node_0")));
        editor.addNodeAction()->trigger();
        QVERIFY(has(editor.nodes(), "node_1"));

        editor.selectNode(QStringLiteral("f_act"));
        editor.removeNodeAction()->trigger();
        QCOMPARE(edited.count(), 3);
        QVERIFY(!has(editor.nodes(), "f_act"));
        QVERIFY(node(editor.nodes(), "h_new_1_part1").inputs == strings({ "h_prev_1" }));
        QVERIFY(!editor.recipe().has_value());
        QVERIFY(editor.selectedNode().isEmpty());
        QVERIFY(!editor.removeNodeAction()->isEnabled());
        // f is read by nobody now: greyed.
        QVERIFY(editor.scene()->unusedNodes().contains(QStringLiteral("f")));
        QCOMPARE(editor.undoStack()->count(), 3);
    }

    void contextMenuSetsOpAndRemoves()
    {
        NlpEditor& editor = *m_editor;
        QSignalSpy edited(&editor, &NlpEditor::archEdited);
        std::unique_ptr<QMenu> menu(editor.scene()->createMenu(QStringLiteral("o_act"), nullptr));
        QVERIFY(menu->findChild<QAction*>(QStringLiteral("activation_tanh"))->isChecked());
        menu->findChild<QAction*>(QStringLiteral("activation_leaky_relu"))->trigger();
        QCOMPARE(edited.count(), 1);
        QVERIFY(node(editor.nodes(), "o_act").op == nlp::Op::LeakyRelu);
        menu.reset(editor.scene()->createMenu(QStringLiteral("o_act"), nullptr));
        menu->findChild<QAction*>(QStringLiteral("removeNode"))->trigger();
        QCOMPARE(edited.count(), 2);
        QVERIFY(!has(editor.nodes(), "o_act"));
    }

    void renameUpdatesEveryReference()
    {
        NlpEditor& editor = *m_editor;
        QSignalSpy edited(&editor, &NlpEditor::archEdited);
        clickNode(QStringLiteral("f_act"));
        auto* name = editor.findChild<QLineEdit*>(QStringLiteral("nodeName"));
        name->setFocus();
        name->selectAll();
        QTest::keyClicks(name, QStringLiteral("forget"));
        QTest::keyClick(name, Qt::Key_Return);
        QCOMPARE(edited.count(), 1);
        QVERIFY(!has(editor.nodes(), "f_act"));
        QVERIFY(node(editor.nodes(), "forget").op == nlp::Op::Sigmoid);
        QVERIFY(node(editor.nodes(), "h_new_1_part1").inputs == strings({ "forget", "h_prev_1" }));
        QVERIFY(editor.recipe().has_value());
        QCOMPARE(editor.selectedNode(), QStringLiteral("forget"));

        auto* error = editor.findChild<QLabel*>(QStringLiteral("nameError"));
        for (const QString& taken : { QStringLiteral("o_act"), QStringLiteral("x"), QStringLiteral("h_prev_3") }) {
            name->selectAll();
            QTest::keyClicks(name, taken);
            QTest::keyClick(name, Qt::Key_Return);
            QCOMPARE(edited.count(), 1);
            QVERIFY2(error->isVisible(), qPrintable(taken));
        }
        QVERIFY(has(editor.nodes(), "forget"));
        QTest::keyClick(name, Qt::Key_Escape);
        QCOMPARE(name->text(), QStringLiteral("forget"));
        QVERIFY(error->isHidden());

        // Undo brings the old name back, selected.
        editor.undoStack()->undo();
        QVERIFY(node(editor.nodes(), "h_new_1_part1").inputs == strings({ "f_act", "h_prev_1" }));
        QCOMPARE(editor.selectedNode(), QStringLiteral("f_act"));
    }

    void deleteKeyRemovesSelectedNode()
    {
        NlpEditor& editor = *m_editor;
        QSignalSpy edited(&editor, &NlpEditor::archEdited);
        clickNode(QStringLiteral("o_act"));
        QCOMPARE(editor.selectedNode(), QStringLiteral("o_act"));
        QTest::keyClick(editor.view()->viewport(), Qt::Key_Delete);
        QCOMPARE(edited.count(), 1);
        QVERIFY(!has(editor.nodes(), "o_act"));
        QVERIFY(node(editor.nodes(), "h_new_0").inputs == strings({ "h_new_1_act" }));
        QVERIFY(editor.problem().contains(QStringLiteral("'h_new_0'")));
        QTest::keyClick(editor.view()->viewport(), Qt::Key_Delete);
        QCOMPARE(edited.count(), 1);
    }

    void layoutRunsLeftToRight_data()
    {
        QTest::addColumn<QString>("json");
        for (const char* example : { "rnn", "lstm", "gru" })
            QTest::newRow(example) << QString::fromStdString(nlp::Recipe::example(example).toJson());
        nlp::RecipeGenerator generator(2024);
        for (int i = 0; i < 20; ++i)
            QTest::addRow("random %d", i) << QString::fromStdString(generator.next().toJson());
    }
    void layoutRunsLeftToRight()
    {
        QFETCH(QString, json);
        const nlp::Recipe recipe = nlp::Recipe::parseJson(json.toStdString());
        NlpEditor& editor = *m_editor;
        editor.setRecipe(recipe);
        const QString problem = layoutProblem(*editor.scene(), recipe);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(editor.scene()->inputNames().size(), recipe.hiddenCount() + 1);

        // The same recipe is laid out the same way again.
        std::vector<QRectF> boxes;
        for (const nlp::Node& node : recipe.nodes())
            boxes.push_back(editor.scene()->boxRect(QString::fromStdString(node.name)));
        editor.setRecipe(nlp::Recipe::example("rnn"));
        editor.setRecipe(recipe);
        for (std::size_t i = 0; i < boxes.size(); ++i)
            QCOMPARE(editor.scene()->boxRect(QString::fromStdString(recipe.nodes()[i].name)), boxes[i]);
    }

    void invalidDraftsAreDrawn()
    {
        NlpEditor& editor = *m_editor;
        QSignalSpy edited(&editor, &NlpEditor::archEdited);
        QElapsedTimer timer;
        timer.start();
        editor.editNodes({ { "a", nlp::Op::Linear, { "x", "b" } }, { "b", nlp::Op::Tanh, { "a" } },
                             { "h_new_0", nlp::Op::ElementwiseSum, { "b", "ghost" } } },
            QStringLiteral("cycle"));
        QVERIFY(timer.elapsed() < 5000);
        QCOMPARE(edited.count(), 1);
        QVERIFY(!editor.recipe().has_value());
        QVERIFY2(editor.problem().contains(QStringLiteral("ghost")), qPrintable(editor.problem()));
        for (const char* name : { "a", "b", "h_new_0", "ghost", "x", "h_prev_0" })
            QVERIFY2(!editor.scene()->boxRect(QString::fromLatin1(name)).isNull(), name);
        QCOMPARE(editor.scene()->undefinedNames(), QStringList { QStringLiteral("ghost") });
        QVERIFY(
            editor.scene()->boxRect(QStringLiteral("a")).left() > editor.scene()->boxRect(QStringLiteral("x")).right());

        // Defining ghost leaves just the cycle to report.
        Nodes nodes = editor.nodes();
        nodes.push_back({ "ghost", nlp::Op::Linear, { "h_prev_0" } });
        editor.editNodes(nodes, QStringLiteral("define ghost"));
        QVERIFY(editor.scene()->undefinedNames().isEmpty());
        QVERIFY2(editor.problem().contains(QStringLiteral("cycle")), qPrintable(editor.problem()));
        editor.selectNode(QStringLiteral("a"));
        QCOMPARE(editor.selectedNode(), QStringLiteral("a"));
    }

    void badJsonShowsErrorAndKeepsRecipe()
    {
        NlpEditor& editor = *m_editor;
        QSignalSpy edited(&editor, &NlpEditor::archEdited);
        const QString json = editor.jsonEdit()->text();
        editor.jsonEdit()->setFocus();
        editor.jsonEdit()->selectAll();
        QTest::keyClicks(editor.jsonEdit(), QStringLiteral("{\"h_new_0\": {\"op\": \"blend\""));
        QTest::keyClick(editor.jsonEdit(), Qt::Key_Return);
        QCOMPARE(edited.count(), 0);
        QVERIFY(editor.errorLabel()->isVisible());
        QVERIFY(editor.nodes() == nlp::Recipe::example("lstm").nodes());
        QVERIFY(editor.jsonEdit()->text() != json);

        QTest::keyClick(editor.jsonEdit(), Qt::Key_Escape);
        QCOMPARE(editor.jsonEdit()->text(), json);
        QVERIFY(editor.errorLabel()->isHidden());

        QVERIFY(!editor.applyRecipeJson(QStringLiteral("{\"h_new_0\": {\"op\": \"tanh\", \"input\": [\"x\"]}}")));
        QVERIFY2(editor.errorLabel()->text().contains(QStringLiteral("unknown op")),
            qPrintable(editor.errorLabel()->text()));
        QCOMPARE(edited.count(), 0);
    }

    void copyAndPasteRoundTrip()
    {
        NlpEditor& editor = *m_editor;
        QSignalSpy edited(&editor, &NlpEditor::archEdited);
        editor.copyAction()->trigger();
        QCOMPARE(QApplication::clipboard()->text(), QString::fromStdString(nlp::Recipe::example("lstm").toJson()));
        editor.examplesMenu()->findChild<QAction*>(QStringLiteral("gru"))->trigger();
        QCOMPARE(edited.count(), 1);
        QVERIFY(*editor.recipe() == nlp::Recipe::example("gru"));

        editor.pasteAction()->trigger();
        QCOMPARE(edited.count(), 2);
        QVERIFY(editor.nodes() == nlp::Recipe::example("lstm").nodes());
        QVERIFY(editor.errorLabel()->isHidden());

        QApplication::clipboard()->setText(QStringLiteral("not a recipe"));
        editor.pasteAction()->trigger();
        QCOMPARE(edited.count(), 2);
        QVERIFY(editor.errorLabel()->isVisible());
    }

    void invalidDraftJsonRoundTrips()
    {
        NlpEditor& editor = *m_editor;
        Nodes draft = editor.nodes();
        draft.push_back({ "h_new_2", nlp::Op::Blend, { "h_new_0", "h_new_1" } });
        editor.editNodes(draft, QStringLiteral("draft"));
        QVERIFY(!editor.recipe().has_value());
        const QString json = QString::fromStdString(nlp::toJson(draft));
        QCOMPARE(editor.jsonEdit()->text(), json);
        QVERIFY(json.endsWith(QStringLiteral(R"("h_new_2": {"op": "blend", "input": ["h_new_0", "h_new_1"]}})")));
        editor.copyAction()->trigger();
        QCOMPARE(QApplication::clipboard()->text(), json);

        editor.examplesMenu()->findChild<QAction*>(QStringLiteral("gru"))->trigger();
        QVERIFY(editor.recipe().has_value());
        QSignalSpy edited(&editor, &NlpEditor::archEdited);
        editor.pasteAction()->trigger();
        QCOMPARE(edited.count(), 1);
        // A draft the space cannot hold is announced as no architecture; the editor keeps its nodes.
        QVERIFY(edited.at(0).at(0).value<epsinas::Arch>().empty());
        QVERIFY(editor.nodes() == draft);
        QVERIFY(!editor.recipe().has_value());
        QVERIFY2(editor.problem().contains(QStringLiteral("'h_new_2'")), qPrintable(editor.problem()));
        QVERIFY(editor.problemLabel()->isVisible());
        QVERIFY(editor.errorLabel()->isHidden());
        QCOMPARE(editor.jsonEdit()->text(), json);
    }

    void ruleBreakingJsonBecomesADraft()
    {
        NlpEditor& editor = *m_editor;
        QSignalSpy edited(&editor, &NlpEditor::archEdited);
        const QString blend = QStringLiteral(R"({"h_new_0": {"op": "blend", "input": ["h_prev_0", "h_prev_0"]}})");
        QApplication::clipboard()->setText(blend);
        editor.pasteAction()->trigger();
        QCOMPARE(edited.count(), 1);
        QCOMPARE(editor.undoStack()->count(), 1);
        QVERIFY(editor.nodes() == (Nodes { { "h_new_0", nlp::Op::Blend, strings({ "h_prev_0", "h_prev_0" }) } }));
        QVERIFY(!editor.recipe().has_value());
        QCOMPARE(editor.problem(), QStringLiteral("node 'h_new_0': blend takes exactly 3 inputs, got 2"));
        QVERIFY(editor.problemLabel()->isVisible());
        QVERIFY2(editor.problemLabel()->text().contains(editor.problem().toHtmlEscaped()),
            qPrintable(editor.problemLabel()->text()));
        QVERIFY(editor.errorLabel()->isHidden());
        QCOMPARE(editor.jsonEdit()->text(), blend);

        // Typed JSON is taken the same way.
        editor.jsonEdit()->setFocus();
        editor.jsonEdit()->selectAll();
        QTest::keyClicks(editor.jsonEdit(), QStringLiteral(R"({"f": {"op": "linear", "input": ["x"]}})"));
        QTest::keyClick(editor.jsonEdit(), Qt::Key_Return);
        QCOMPARE(edited.count(), 2);
        QVERIFY(editor.nodes() == (Nodes { { "f", nlp::Op::Linear, strings({ "x" }) } }));
        QCOMPARE(editor.problem(), QStringLiteral("the recipe has no output node h_new_0"));
        QVERIFY(editor.errorLabel()->isHidden());

        editor.undoAction()->trigger();
        QVERIFY(editor.nodes() == (Nodes { { "h_new_0", nlp::Op::Blend, strings({ "h_prev_0", "h_prev_0" }) } }));
        editor.undoAction()->trigger();
        QCOMPARE(edited.count(), 4);
        QVERIFY(editor.nodes() == nlp::Recipe::example("lstm").nodes());
        QVERIFY(editor.recipe().has_value());
        QVERIFY(editor.problemLabel()->isHidden());
        QCOMPARE(editor.jsonEdit()->text(), QString::fromStdString(nlp::Recipe::example("lstm").toJson()));
    }

    void malformedJsonKeepsTheDraft()
    {
        NlpEditor& editor = *m_editor;
        const Nodes draft { { "h_new_0", nlp::Op::Blend, strings({ "h_prev_0", "h_prev_0" }) } };
        editor.editNodes(draft, QStringLiteral("draft"));
        const QString json = editor.jsonEdit()->text();
        QSignalSpy edited(&editor, &NlpEditor::archEdited);
        const QString malformed = QStringLiteral(R"({"h_new_0": {"op": "blend", "input": ["h_prev_0",)");
        QApplication::clipboard()->setText(malformed);
        editor.pasteAction()->trigger();
        QCOMPARE(edited.count(), 0);
        QCOMPARE(editor.undoStack()->count(), 1);
        QVERIFY(editor.nodes() == draft);
        QVERIFY(editor.errorLabel()->isVisible());
        QVERIFY2(editor.errorLabel()->text().contains(QStringLiteral("malformed JSON")),
            qPrintable(editor.errorLabel()->text()));
        QCOMPARE(editor.jsonEdit()->text(), malformed);
        // The draft's own problem stays in view beside the parse error.
        QVERIFY(editor.problemLabel()->isVisible());

        // JSON of the wrong shape is refused inline too.
        QVERIFY(!editor.applyRecipeJson(QStringLiteral(R"({"h_new_0": {"op": "linear", "input": [1]}})")));
        QVERIFY2(editor.errorLabel()->text().contains(QStringLiteral(R"("input" must be a list of node names)")),
            qPrintable(editor.errorLabel()->text()));
        QCOMPARE(edited.count(), 0);
        QVERIFY(editor.nodes() == draft);

        QTest::keyClick(editor.jsonEdit(), Qt::Key_Escape);
        QCOMPARE(editor.jsonEdit()->text(), json);
        QVERIFY(editor.errorLabel()->isHidden());
    }

    void randomGivesValidRecipes()
    {
        NlpEditor& editor = *m_editor;
        QSignalSpy edited(&editor, &NlpEditor::archEdited);
        editor.randomAction()->trigger();
        QCOMPARE(edited.count(), 1);
        QVERIFY(editor.recipe().has_value());
        QCOMPARE(editor.recipe()->hiddenCount(), 2);
    }

private:
    void clickNode(const QString& name)
    {
        const QRectF box = m_editor->scene()->boxRect(name);
        QVERIFY2(!box.isNull(), qPrintable(name));
        QTest::mouseClick(
            m_editor->view()->viewport(), Qt::LeftButton, {}, m_editor->view()->mapFromScene(box.center()));
    }

    std::unique_ptr<NlpEditor> m_editor;
};

QTEST_MAIN(TestNlpEditor)
#include "tst_nlpeditor.moc"
