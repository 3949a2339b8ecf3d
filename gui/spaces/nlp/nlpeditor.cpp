// SPDX-License-Identifier: MIT
#include "spaces/nlp/nlpeditor.h"

#include "spaces/nlp/nlpopstyle.h"
#include "spaces/nlp/nlpscene.h"
#include "spaces/nlp/space.h"
#include "teardown.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFontDatabase>
#include <QGraphicsView>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QRandomGenerator>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>

#include <algorithm>

namespace epsinas::gui {

namespace {
/** The position of the first node called `name`, or nodes.size() when there is none. */
std::size_t positionOf(const std::vector<nlp::Node>& nodes, const QString& name)
{
    const std::string key = name.toStdString();
    return std::find_if(nodes.begin(), nodes.end(), [&](const nlp::Node& node) { return node.name == key; })
        - nodes.begin();
}

/**
 * The nodes as an undo step keeps them, with the node selected alongside, so that undo and redo show each as it
 * was. Only the nodes make the edit: two drafts that differ in their selection alone are the same.
 */
struct Draft {
    std::vector<nlp::Node> nodes;
    QString selected;
    friend bool operator==(const Draft& a, const Draft& b) { return a.nodes == b.nodes; }
};
} // namespace

NlpEditor::NlpEditor(QWidget* parent)
    : ArchEditor(parent)
    , m_scene(new NlpScene(this))
    , m_undo(new QUndoStack(this))
{
    m_undoRedo = createUndoRedoActions(m_undo, this);
    m_copyPaste = createCopyPasteActions(tr("&Copy Recipe JSON"), tr("&Paste Recipe JSON"), this);
    m_copyPaste.copy->setToolTip(tr("Copy the recipe as one line of JSON, an invalid draft too"));
    m_copyPaste.paste->setToolTip(tr("Replace the recipe by the JSON recipe on the clipboard"));
    m_randomAction = new QAction(tr("R&andom Recipe"), this);
    m_randomAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_randomAction->setIconText(tr("Random"));
    m_randomAction->setToolTip(tr("Replace the recipe by one drawn as NAS-Bench-NLP's generator draws them"));
    m_addNodeAction = new QAction(tr("Add Node"), this);
    m_addNodeAction->setObjectName(QStringLiteral("addNode"));
    m_addNodeAction->setToolTip(tr("Add a linear node reading x, to be wired up in the node panel"));
    m_removeNodeAction = new QAction(tr("Remove Node"), this);
    m_removeNodeAction->setObjectName(QStringLiteral("removeNode"));
    m_removeNodeAction->setToolTip(tr("Remove the selected node and every input that reads it (Delete in the graph)"));
    connect(m_copyPaste.copy, &QAction::triggered, this, &NlpEditor::copyRecipe);
    connect(m_copyPaste.paste, &QAction::triggered, this, &NlpEditor::pasteRecipe);
    connect(m_randomAction, &QAction::triggered, this, [this] {
        editRecipe(nlp::RecipeGenerator(QRandomGenerator::global()->generate64()).next(), tr("Random recipe"));
    });
    connect(m_addNodeAction, &QAction::triggered, this, &NlpEditor::addNode);
    connect(m_removeNodeAction, &QAction::triggered, this, [this] { removeNode(selectedNode()); });

    m_examplesMenu = new QMenu(tr("&Examples"), this);
    m_examplesMenu->setObjectName(QStringLiteral("examplesMenu"));
    m_examplesMenu->menuAction()->setToolTip(tr("Load one of NAS-Bench-NLP's example cells: RNN, LSTM or GRU"));
    for (const char* example : { "rnn", "lstm", "gru" }) {
        const QString name = QString::fromLatin1(example);
        QAction* action = m_examplesMenu->addAction(name.toUpper());
        action->setObjectName(name);
        action->setToolTip(tr("NAS-Bench-NLP's example %1 cell").arg(name.toUpper()));
        connect(action, &QAction::triggered, this,
            [this, name] { editRecipe(nlp::Recipe::example(name.toStdString()), tr("Example %1").arg(name)); });
    }

    QHBoxLayout* tools
        = newToolRow({ m_undoRedo.undo, m_undoRedo.redo, nullptr, m_addNodeAction, m_removeNodeAction, nullptr,
                         m_examplesMenu->menuAction(), m_randomAction, nullptr, m_copyPaste.copy, m_copyPaste.paste },
            this);

    m_view = newGraphView(m_scene,
        tr("The recipe, left to right: the cell inputs x and h_prev_k, the nodes by depth, the outputs h_new_k. "
           "Click a node to edit its name, op and inputs in the panel below; double-click or right-click it for its "
           "op menu. From the keyboard: ←/→ select the previous or next node, ↑/↓ cycle its op, Enter opens its "
           "menu, Delete removes it, Escape clears the selection."),
        this);
    m_view->setReadableScale(readableScale(m_scene->font()));

    m_panel = new QGroupBox(this);
    m_panel->setObjectName(QStringLiteral("nodePanel"));
    m_nameEdit = new QLineEdit(m_panel);
    m_nameEdit->setObjectName(QStringLiteral("nodeName"));
    m_nameEdit->setToolTip(tr("The node's name; Enter renames it and every input that reads it, Escape reverts"));
    m_nameEdit->installEventFilter(this);
    connect(m_nameEdit, &QLineEdit::editingFinished, this, [this] { renameNode(m_panelNode, m_nameEdit->text()); });
    m_opCombo = new QComboBox(m_panel);
    m_opCombo->setObjectName(QStringLiteral("nodeOp"));
    m_opCombo->setToolTip(tr("The node's op; its inputs stay as they are"));
    for (nlp::Op op : nlp::kAllOps) {
        const OpStyle style = opStyle(op);
        m_opCombo->addItem(opSwatch(op), style.name, int(op));
        m_opCombo->setItemData(m_opCombo->count() - 1,
            style.label == style.name ? style.description : tr("%1 (drawn %2)").arg(style.description, style.label),
            Qt::ToolTipRole);
    }
    connect(m_opCombo, &QComboBox::activated, this,
        [this](int index) { setOp(m_panelNode, nlp::Op(m_opCombo->itemData(index).toInt())); });
    m_inputList = new QListWidget(m_panel);
    m_inputList->setObjectName(QStringLiteral("nodeInputs"));
    m_inputList->setToolTip(tr("What the node reads, in order: order matters for blend(a, b, c) = a·b + (1 − a)·c"));
    // As high as the name and op rows beside it (three inputs in view, more scroll), so the graph keeps its height.
    m_inputList->setMaximumHeight(3 * m_inputList->fontMetrics().height() + 2 * m_inputList->frameWidth());
    connect(m_inputList, &QListWidget::currentRowChanged, this, &NlpEditor::updateInputButtons);

    m_inputMenu = new QMenu(this);
    m_inputMenu->setObjectName(QStringLiteral("inputMenu"));
    // Filled when it opens, from the nodes of that moment; refilling it on every edit would delete the action that
    // is being triggered.
    connect(m_inputMenu, &QMenu::aboutToShow, this, &NlpEditor::fillInputMenu);
    auto inputButton = [this](const QString& objectName, const QString& text, const QString& toolTip) {
        auto* button = new QToolButton(m_panel);
        button->setObjectName(objectName);
        button->setText(text);
        button->setToolTip(toolTip);
        button->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
        return button;
    };
    m_addInputButton = inputButton(QStringLiteral("addInput"), tr("Add"), tr("Add an input: x, an h_prev_k or a node"));
    m_addInputButton->setMenu(m_inputMenu);
    m_addInputButton->setPopupMode(QToolButton::InstantPopup);
    m_removeInputButton = inputButton(QStringLiteral("removeInput"), tr("Remove"), tr("Remove the chosen input"));
    m_moveUpButton = inputButton(QStringLiteral("moveInputUp"), tr("Up"), tr("Move the chosen input up"));
    m_moveUpButton->setArrowType(Qt::UpArrow);
    m_moveDownButton = inputButton(QStringLiteral("moveInputDown"), tr("Down"), tr("Move the chosen input down"));
    m_moveDownButton->setArrowType(Qt::DownArrow);
    connect(m_removeInputButton, &QToolButton::clicked, this,
        [this] { removeInput(m_panelNode, m_inputList->currentRow()); });
    connect(
        m_moveUpButton, &QToolButton::clicked, this, [this] { moveInput(m_panelNode, m_inputList->currentRow(), -1); });
    connect(m_moveDownButton, &QToolButton::clicked, this,
        [this] { moveInput(m_panelNode, m_inputList->currentRow(), +1); });
    // In the editor's message row rather than the panel, so that the panel stays two rows high.
    m_nameError = newErrorLabel(QStringLiteral("nameError"), this);

    // Two rows: name and op on the left, the inputs and their buttons (two by two) on the right.
    auto* inputButtons = new QGridLayout;
    inputButtons->setSpacing(2);
    inputButtons->addWidget(m_addInputButton, 0, 0);
    inputButtons->addWidget(m_removeInputButton, 0, 1);
    inputButtons->addWidget(m_moveUpButton, 1, 0);
    inputButtons->addWidget(m_moveDownButton, 1, 1);
    auto* panelLayout = new QGridLayout(m_panel);
    panelLayout->setContentsMargins(6, 2, 6, 4);
    panelLayout->setVerticalSpacing(4);
    panelLayout->addWidget(new QLabel(tr("Name:"), m_panel), 0, 0);
    panelLayout->addWidget(m_nameEdit, 0, 1);
    panelLayout->addWidget(new QLabel(tr("Op:"), m_panel), 1, 0);
    panelLayout->addWidget(m_opCombo, 1, 1);
    panelLayout->addWidget(new QLabel(tr("Inputs:"), m_panel), 0, 2, Qt::AlignTop);
    panelLayout->addWidget(m_inputList, 0, 3, 2, 1);
    panelLayout->addLayout(inputButtons, 0, 4, 2, 1);
    panelLayout->setColumnStretch(1, 1);
    panelLayout->setColumnStretch(3, 1);

    m_jsonEdit = new QLineEdit(this);
    m_jsonEdit->setObjectName(QStringLiteral("jsonEdit"));
    m_jsonEdit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_jsonEdit->setToolTip(tr("The recipe as JSON, {\"name\": {\"op\": ..., \"input\": [...]}, ...}; "
                              "Enter applies what you type or paste, Escape brings the recipe's JSON back"));
    m_jsonEdit->installEventFilter(this);
    connect(m_jsonEdit, &QLineEdit::returnPressed, this, [this] { applyRecipeJson(m_jsonEdit->text()); });

    m_error = newErrorLabel(QStringLiteral("jsonError"), this);
    m_problemLabel = newErrorLabel(QStringLiteral("recipeProblem"), this);
    m_facts = newFactsLabel(1, this);
    m_facts->setObjectName(QStringLiteral("recipeFacts"));
    m_facts->setToolTip(tr("What the recipe is: its nodes, hidden states and linear nodes, and the nodes that feed "
                           "no output (greyed in the graph)"));

    QVBoxLayout* layout = newEditorColumn(tools, m_view, this);
    layout->addWidget(m_panel);
    layout->addWidget(m_jsonEdit);
    layout->addWidget(newMessageRow({ m_nameError, m_error, m_problemLabel }, this));
    layout->addWidget(m_facts);

    connect(m_scene, &NlpScene::selectedNodeChanged, this, &NlpEditor::updatePanel);
    connect(m_scene, &NlpScene::opRequested, this, &NlpEditor::setOp);
    connect(m_scene, &NlpScene::removeRequested, this, &NlpEditor::removeNode);
    connect(m_scene, &NlpScene::addRequested, this, &NlpEditor::addNode);
    showNodes(nlp::Recipe::example("rnn").nodes());
}

NlpEditor::~NlpEditor()
{
    // QWidget's destructor hides a focused text field, whose editingFinished slot would read members already gone.
    disconnectChildren(this);
}

QString NlpEditor::selectedNode() const
{
    return m_scene->selectedNode();
}

void NlpEditor::selectNode(const QString& name)
{
    m_scene->selectNode(name);
}

void NlpEditor::setRecipe(const nlp::Recipe& recipe)
{
    m_undo->clear();
    showNodes(recipe.nodes());
}

void NlpEditor::showNodes(const std::vector<nlp::Node>& nodes)
{
    m_nodes = nodes;
    try {
        m_recipe = nlp::Recipe::fromNodes(nodes);
        m_problem.clear();
    } catch (const nlp::RecipeError& error) {
        m_recipe.reset();
        m_problem = QString::fromStdString(error.what());
    }
    m_scene->setNodes(nodes);
    revertJsonEdit();

    m_problemLabel->setVisible(m_recipe == std::nullopt);
    m_problemLabel->setText(tr("Not a valid recipe, not scored: %1").arg(m_problem));
    QString facts = nodes.size() == 1 ? tr("1 node") : tr("%1 nodes").arg(nodes.size());
    if (m_recipe) {
        const auto linear = std::count_if(
            nodes.begin(), nodes.end(), [](const nlp::Node& node) { return node.op == nlp::Op::Linear; });
        facts += m_recipe->hiddenCount() == 1 ? tr(" · 1 hidden state")
                                              : tr(" · %1 hidden states").arg(m_recipe->hiddenCount());
        facts += tr(" · %1 linear").arg(linear);
        if (const auto unused = m_scene->unusedNodes().size())
            facts += tr(" · %1 unused (greyed)").arg(unused);
    }
    m_facts->setText(facts);
    updatePanel();
}

void NlpEditor::editRecipe(const nlp::Recipe& recipe, const QString& description)
{
    editNodes(recipe.nodes(), description);
}

void NlpEditor::editNodes(const std::vector<nlp::Node>& nodes, const QString& description)
{
    commit(nodes, description, selectedNode());
}

void NlpEditor::commit(const std::vector<nlp::Node>& nodes, const QString& description, const QString& selectAfter)
{
    pushEdit(
        m_undo, Draft { m_nodes, selectedNode() }, Draft { nodes, selectAfter }, description,
        [this](const Draft& draft) {
            showNodes(draft.nodes);
            selectNode(draft.selected);
        },
        [this] { announce(); });
}

bool NlpEditor::applyRecipeJson(const QString& text)
{
    try {
        // Only the JSON has to be right: nodes that break a rule become the draft, and showNodes names the rule.
        editNodes(nlp::parseNodesJson(text.trimmed().toStdString()), tr("Set recipe JSON"));
        return true;
    } catch (const nlp::RecipeError& error) {
        showError(QString::fromStdString(error.what()));
        return false;
    }
}

void NlpEditor::showError(const QString& message)
{
    showFieldError(m_jsonEdit, m_error,
        tr("Not a NAS-Bench-NLP recipe: %1. The recipe is unchanged; Escape restores its JSON.").arg(message));
}

void NlpEditor::revertJsonEdit()
{
    m_jsonEdit->setText(QString::fromStdString(nlp::toJson(m_nodes)));
    m_jsonEdit->setCursorPosition(0);
    clearFieldError(m_jsonEdit, m_error);
}

bool NlpEditor::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::KeyPress && static_cast<QKeyEvent*>(event)->key() == Qt::Key_Escape) {
        if (watched == m_jsonEdit) {
            revertJsonEdit();
            return true;
        }
        if (watched == m_nameEdit) {
            m_nameEdit->setText(m_panelNode);
            clearFieldError(m_nameEdit, m_nameError);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void NlpEditor::updatePanel()
{
    const QString node = m_scene->selectedNode();
    const std::size_t at = positionOf(m_nodes, node);
    const bool shown = !node.isEmpty() && at < m_nodes.size();
    // The chosen input stays chosen while the same node is edited, so that Up or Down can be clicked again.
    const int row = shown && node == m_panelNode ? m_inputList->currentRow() : -1;
    m_panelNode = shown ? node : QString();
    m_removeNodeAction->setEnabled(shown);
    m_panel->setEnabled(shown);
    m_panel->setTitle(shown ? tr("Node %1").arg(node) : tr("No node selected: click one in the graph"));
    m_nameEdit->setText(m_panelNode);
    clearFieldError(m_nameEdit, m_nameError);
    m_opCombo->setCurrentIndex(shown ? m_opCombo->findData(int(m_nodes[at].op)) : -1);
    m_inputList->clear();
    if (shown) {
        const bool blend = m_nodes[at].op == nlp::Op::Blend;
        for (std::size_t position = 0; position < m_nodes[at].inputs.size(); ++position) {
            const QString input = QString::fromStdString(m_nodes[at].inputs[position]);
            // The graph letters a blend's inputs too: which one is which changes what it computes.
            const QString letter
                = blend && position < 3 ? QStringLiteral("%1: ").arg(QLatin1Char(char('a' + position))) : QString();
            auto* item = new QListWidgetItem(letter + input, m_inputList);
            if (m_scene->undefinedNames().contains(input)) {
                item->setForeground(errorColour());
                item->setToolTip(tr("Defined nowhere: neither x, an h_prev_k of this cell nor a node"));
            }
        }
    }
    m_inputList->setCurrentRow(std::min(row, m_inputList->count() - 1));
    updateInputButtons();
}

std::vector<TeachingExample> NlpEditor::teachingExamples() const
{
    const auto recipe = [](const char* name) { return nlp::toArch(nlp::Recipe::example(name)); };
    return {
        { tr("RNN"), tr("the plain recurrent cell, one tanh layer"), recipe("rnn") },
        { tr("LSTM"), tr("four gates and a cell state; its hidden state shrinks along the sequence"), recipe("lstm") },
        { tr("GRU"), tr("two gates blend old and new state: the outputs barely change with the weight"),
            recipe("gru") },
    };
}

std::vector<QAction*> NlpEditor::viewActions() const
{
    return { m_view->zoomInAction(), m_view->zoomOutAction(), m_view->fitAction() };
}

void NlpEditor::updateInputButtons()
{
    const int row = m_inputList->currentRow();
    m_removeInputButton->setEnabled(row >= 0);
    m_moveUpButton->setEnabled(row > 0);
    m_moveDownButton->setEnabled(row >= 0 && row + 1 < m_inputList->count());
}

void NlpEditor::fillInputMenu()
{
    m_inputMenu->clear();
    const QString node = m_panelNode;
    if (node.isEmpty())
        return;
    QStringList candidates = m_scene->inputNames();
    const auto cellInputs = candidates.size();
    for (const nlp::Node& other : m_nodes) {
        const QString name = QString::fromStdString(other.name);
        if (name != node && !candidates.contains(name))
            candidates << name;
    }
    m_inputMenu->addSection(tr("Cell inputs"));
    for (qsizetype i = 0; i < candidates.size(); ++i) {
        if (i == cellInputs)
            m_inputMenu->addSection(tr("Nodes"));
        QAction* action = m_inputMenu->addAction(candidates[i]);
        action->setObjectName(candidates[i]);
        connect(action, &QAction::triggered, this, [this, node, input = candidates[i]] { addInput(node, input); });
    }
}

void NlpEditor::setOp(const QString& node, nlp::Op op)
{
    std::vector<nlp::Node> nodes = m_nodes;
    const std::size_t at = positionOf(nodes, node);
    if (at == nodes.size())
        return;
    nodes[at].op = op;
    commit(nodes, tr("%1 → %2").arg(node, opStyle(op).name), node);
}

void NlpEditor::addNode()
{
    auto candidate = [](int suffix) { return QStringLiteral("node_%1").arg(suffix); };
    int suffix = 0;
    while (positionOf(m_nodes, candidate(suffix)) < m_nodes.size())
        ++suffix;
    const QString name = candidate(suffix);
    std::vector<nlp::Node> nodes = m_nodes;
    nodes.push_back({ name.toStdString(), nlp::Op::Linear, { "x" } });
    commit(nodes, tr("Add node %1").arg(name), name);
}

void NlpEditor::removeNode(const QString& node)
{
    std::vector<nlp::Node> nodes = m_nodes;
    const std::size_t at = positionOf(nodes, node);
    if (at == nodes.size())
        return;
    nodes.erase(nodes.begin() + std::ptrdiff_t(at));
    const std::string name = node.toStdString();
    for (nlp::Node& reader : nodes)
        reader.inputs.erase(std::remove(reader.inputs.begin(), reader.inputs.end(), name), reader.inputs.end());
    commit(nodes, tr("Remove node %1").arg(node), QString());
}

void NlpEditor::renameNode(const QString& node, const QString& typed)
{
    const QString name = typed.trimmed();
    const std::size_t at = positionOf(m_nodes, node);
    if (node.isEmpty() || at == m_nodes.size())
        return;
    if (name == node) {
        m_nameEdit->setText(node);
        clearFieldError(m_nameEdit, m_nameError);
        return;
    }
    if (name.isEmpty()) {
        showFieldError(m_nameEdit, m_nameError, tr("A node needs a name."));
        return;
    }
    if (isCellInputName(name)) {
        showFieldError(m_nameEdit, m_nameError, tr("%1 names an input of the cell, not a node.").arg(name));
        return;
    }
    if (positionOf(m_nodes, name) < m_nodes.size()) {
        showFieldError(m_nameEdit, m_nameError, tr("There is already a node %1.").arg(name));
        return;
    }
    std::vector<nlp::Node> nodes = m_nodes;
    const std::string before = node.toStdString();
    nodes[at].name = name.toStdString();
    for (nlp::Node& reader : nodes)
        std::replace(reader.inputs.begin(), reader.inputs.end(), before, nodes[at].name);
    commit(nodes, tr("Rename %1 → %2").arg(node, name), name);
}

void NlpEditor::addInput(const QString& node, const QString& input)
{
    std::vector<nlp::Node> nodes = m_nodes;
    const std::size_t at = positionOf(nodes, node);
    if (at == nodes.size())
        return;
    nodes[at].inputs.push_back(input.toStdString());
    commit(nodes, tr("Add input %1 to %2").arg(input, node), node);
}

void NlpEditor::removeInput(const QString& node, int position)
{
    std::vector<nlp::Node> nodes = m_nodes;
    const std::size_t at = positionOf(nodes, node);
    if (at == nodes.size() || position < 0 || position >= int(nodes[at].inputs.size()))
        return;
    std::vector<std::string>& inputs = nodes[at].inputs;
    const QString input = QString::fromStdString(inputs[position]);
    inputs.erase(inputs.begin() + position);
    commit(nodes, tr("Remove input %1 from %2").arg(input, node), node);
}

void NlpEditor::moveInput(const QString& node, int position, int offset)
{
    std::vector<nlp::Node> nodes = m_nodes;
    const std::size_t at = positionOf(nodes, node);
    const int target = position + offset;
    if (at == nodes.size() || position < 0 || target < 0 || std::max(position, target) >= int(nodes[at].inputs.size()))
        return;
    std::vector<std::string>& inputs = nodes[at].inputs;
    const QString input = QString::fromStdString(inputs[position]);
    std::swap(inputs[position], inputs[target]);
    commit(nodes,
        offset < 0 ? tr("Move input %1 of %2 up").arg(input, node) : tr("Move input %1 of %2 down").arg(input, node),
        node);
    m_inputList->setCurrentRow(target);
}

void NlpEditor::copyRecipe()
{
    QApplication::clipboard()->setText(QString::fromStdString(nlp::toJson(m_nodes)));
}

void NlpEditor::pasteRecipe()
{
    const QString text = pasteClipboardInto(m_jsonEdit);
    if (text.isEmpty()) {
        showError(tr("the clipboard holds no text"));
        return;
    }
    applyRecipeJson(text);
}

const SearchSpace& NlpEditor::space() const
{
    return nlp::space();
}

Arch NlpEditor::arch() const
{
    return m_recipe ? nlp::toArch(*m_recipe) : Arch();
}

} // namespace epsinas::gui
