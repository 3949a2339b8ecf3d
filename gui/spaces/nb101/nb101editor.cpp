// SPDX-License-Identifier: MIT
#include "spaces/nb101/nb101editor.h"

#include "spaces/nb101/nb101scene.h"
#include "spaces/nb101/space.h"
#include "teardown.h"

#include <QAction>
#include <QButtonGroup>
#include <QFontDatabase>
#include <QGraphicsView>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QRandomGenerator>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>

#include <algorithm>

namespace epsinas::gui {

namespace {
/** A spec taken apart for editing; Spec itself only offers read access. */
struct Graph {
    std::vector<std::vector<bool>> adjacency;
    std::vector<nb101::Op> ops;

    explicit Graph(const nb101::Spec& spec)
    {
        const int vertices = spec.vertexCount();
        adjacency.assign(vertices, std::vector<bool>(vertices, false));
        for (int from = 0; from < vertices; ++from) {
            ops.push_back(spec.op(from));
            for (int to = 0; to < vertices; ++to)
                adjacency[from][to] = spec.hasEdge(from, to);
        }
    }
    nb101::Spec spec() const { return nb101::Spec(adjacency, ops); }
};

QString specText(const nb101::Spec& spec)
{
    return QString::fromStdString(spec.toString());
}
} // namespace

Nb101Editor::Nb101Editor(QWidget* parent)
    : ArchEditor(parent)
    , m_scene(new Nb101Scene(this))
    , m_undo(new QUndoStack(this))
{
    m_undoRedo = createUndoRedoActions(m_undo, this);
    m_addAction = new QAction(tr("Add Vertex"), this);
    m_addAction->setToolTip(
        tr("Add an unconnected conv 3×3 vertex before the output (at most %1 vertices)").arg(nb101::kMaxVertices));
    m_removeAction = new QAction(tr("Remove Vertex"), this);
    m_removeAction->setToolTip(tr("Remove the last interior vertex and its edges"));
    m_randomAction = new QAction(tr("R&andom Cell"), this);
    m_randomAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_randomAction->setToolTip(tr("Replace the cell by a random valid NB101 cell, drawn as NB101 samples"));
    connect(m_addAction, &QAction::triggered, this, &Nb101Editor::addVertex);
    connect(m_removeAction, &QAction::triggered, this, [this] { removeVertex(m_spec.vertexCount() - 2); });
    connect(m_randomAction, &QAction::triggered, this, [this] {
        editSpec(nb101::randomSpecs(1, QRandomGenerator::global()->generate64()).front(), tr("Random cell"));
    });

    QHBoxLayout* tools = newToolRow(
        { m_undoRedo.undo, m_undoRedo.redo, nullptr, m_addAction, m_removeAction, nullptr, m_randomAction }, this);

    m_view = newGraphView(m_scene,
        tr("The cell: input on the left, output on the right. Click a vertex to select it and pick its op in the "
           "palette below, or double-click or right-click it for its menu; drag from a vertex to a later one to add "
           "an edge; click an edge to remove it. From the keyboard: ←/→ select a vertex, ↑/↓ or 1–3 set its op, "
           "Enter opens its menu, Delete removes it."),
        this);
    m_view->setReadableScale(readableScale(Nb101Scene::labelFont()));

    auto* palette = new QHBoxLayout;
    palette->setSpacing(2);
    m_vertexLabel = new QLabel(this);
    m_vertexLabel->setObjectName(QStringLiteral("selectedVertex"));
    m_vertexLabel->setToolTip(tr("The selected vertex, which the palette sets; click a vertex to select another"));
    // As wide as its widest text, so that the palette does not move as the selection does.
    m_vertexLabel->setMinimumWidth(
        m_vertexLabel->fontMetrics().horizontalAdvance(tr("Vertex %1, the output:").arg(nb101::kMaxVertices - 1)));
    palette->addWidget(m_vertexLabel);
    m_palette = new QButtonGroup(this);
    m_palette->setExclusive(true);
    const std::vector<nb101::Op>& ops = Nb101Scene::interiorOps();
    for (int i = 0; i < int(ops.size()); ++i) {
        const QString name = opText(ops[i]);
        auto* button = new QToolButton(this);
        button->setObjectName(QStringLiteral("palette_") + name);
        button->setText(name);
        button->setCheckable(true);
        button->setAutoRaise(true);
        button->setToolTip(tr("%1: %2, drawn %3\nSet the selected vertex to %1 (key %4 in the graph)")
                               .arg(name, opDescription(ops[i]), opShortLabel(ops[i]))
                               .arg(i + 1));
        m_palette->addButton(button, i);
        palette->addWidget(button);
    }
    palette->addStretch();
    connect(m_palette, &QButtonGroup::idClicked, this,
        [this](int i) { setOp(m_scene->selectedVertex(), Nb101Scene::interiorOps()[i]); });

    m_specEdit = new QLineEdit(this);
    m_specEdit->setObjectName(QStringLiteral("specEdit"));
    m_specEdit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_specEdit->setPlaceholderText(tr("ADJ:OPS, e.g. 0110000011000010000100000:input|…|output"));
    m_specEdit->setToolTip(tr("The spec as ADJ:OPS (row-major adjacency, ops joined by |); type or paste one"));
    connect(m_specEdit, &QLineEdit::textEdited, this, [this](const QString& text) { applySpecString(text); });
    connect(m_specEdit, &QLineEdit::editingFinished, this, [this] {
        // Leaving a half-typed string behind would hide which spec is shown; restore it unless there is an error.
        if (m_error->isHidden())
            m_specEdit->setText(specText(m_spec));
    });

    m_error = newErrorLabel(QStringLiteral("specError"), this);
    m_problem = newErrorLabel(QStringLiteral("specProblem"), this);
    m_facts = newFactsLabel(2, this);
    m_facts->setToolTip(tr("What the cell is: vertices and edges, those NB101 prunes, its parameter count, its FLOPs "
                           "(multiply-adds of conv and linear layers for one 32×32 image) and its hash, the "
                           "benchmark's key for the cell"));

    QVBoxLayout* layout = newEditorColumn(tools, m_view, this);
    layout->addLayout(palette);
    layout->addWidget(m_specEdit);
    layout->addWidget(newMessageRow({ m_error, m_problem }, this));
    layout->addWidget(m_facts);

    connect(m_scene, &Nb101Scene::edgeAddRequested, this, [this](int from, int to) { setEdge(from, to, true); });
    connect(m_scene, &Nb101Scene::edgeRemoveRequested, this, [this](int from, int to) { setEdge(from, to, false); });
    connect(m_scene, &Nb101Scene::opRequested, this, &Nb101Editor::setOp);
    connect(m_scene, &Nb101Scene::vertexAddRequested, this, &Nb101Editor::addVertex);
    connect(m_scene, &Nb101Scene::vertexRemoveRequested, this, &Nb101Editor::removeVertex);
    connect(m_scene, &Nb101Scene::selectedVertexChanged, this, &Nb101Editor::updatePalette);
    showSpec(m_spec);
}

Nb101Editor::~Nb101Editor()
{
    // QWidget's destructor hides a focused text field, whose editingFinished slot would read members already gone.
    disconnectChildren(this);
}

void Nb101Editor::setSpec(const nb101::Spec& spec)
{
    m_undo->clear();
    showSpec(spec);
    // A new cell starts at its first interior vertex, which the palette can set.
    m_scene->selectVertex(std::min(1, spec.vertexCount() - 1));
}

void Nb101Editor::showSpec(const nb101::Spec& spec)
{
    m_spec = spec;
    m_scene->setSpec(spec);
    m_specEdit->setText(specText(spec));
    m_specEdit->setCursorPosition(0);
    clearFieldError(m_specEdit, m_error);
    m_addAction->setEnabled(spec.vertexCount() < nb101::kMaxVertices);
    m_removeAction->setEnabled(spec.vertexCount() > 2);

    const QString problem = QString::fromStdString(spec.problem());
    m_problem->setVisible(!problem.isEmpty());
    m_problem->setText(tr("Not a valid NB101 cell, not scored: %1").arg(problem));
    updatePalette();
    if (!problem.isEmpty()) {
        m_facts->setText(tr("%n vertices", nullptr, spec.vertexCount()) + tr(" · %n edges", nullptr, spec.edgeCount()));
        return;
    }
    const nb101::Spec pruned = spec.pruned();
    QString facts = tr("%n vertices", nullptr, spec.vertexCount()) + tr(" · %n edges", nullptr, spec.edgeCount());
    if (pruned.vertexCount() != spec.vertexCount())
        facts += tr(" · %n pruned away (greyed)", nullptr, spec.vertexCount() - pruned.vertexCount());
    facts += tr(" · %1 parameters · %2 MFLOPs · hash %3")
                 .arg(QLocale().toString(qlonglong(spec.parameterCount())))
                 .arg(QLocale().toString(double(spec.flops()) / 1e6, 'f', 1))
                 .arg(QString::fromStdString(spec.hash()));
    m_facts->setText(facts);
}

void Nb101Editor::updatePalette()
{
    const int vertex = m_scene->selectedVertex();
    const int last = m_spec.vertexCount() - 1;
    const bool interior = vertex > 0 && vertex < last;
    if (interior)
        m_vertexLabel->setText(tr("Vertex %1:").arg(vertex));
    else
        m_vertexLabel->setText(vertex == 0 ? tr("Vertex 0, the input:") : tr("Vertex %1, the output:").arg(vertex));
    const std::vector<nb101::Op>& ops = Nb101Scene::interiorOps();
    // An exclusive group always keeps one button checked; lifting exclusivity lets an end vertex show none.
    m_palette->setExclusive(false);
    for (int i = 0; i < int(ops.size()); ++i) {
        QAbstractButton* button = m_palette->button(i);
        button->setEnabled(interior);
        button->setChecked(interior && m_spec.op(vertex) == ops[i]);
    }
    m_palette->setExclusive(true);
}

std::vector<TeachingExample> Nb101Editor::teachingExamples() const
{
    const auto spec = [](const char* text) { return nb101::toArch(nb101::Spec::parse(text)); };
    return {
        { tr("Branching cell"),
            tr("two convolution paths and a skip to the output: a golden spec of the reference tests"),
            spec("0110011000000100010000000100000000100000010000000:input|conv3x3-bn-relu|conv1x1-bn-relu|"
                 "maxpool3x3|conv3x3-bn-relu|conv3x3-bn-relu|output") },
        { tr("Chain with a skip"),
            tr("five ops in a row and the input joined at the end: a golden spec of the reference tests"),
            spec("0100001001000000010000000100000001000000010000000:input|conv3x3-bn-relu|conv3x3-bn-relu|"
                 "maxpool3x3|conv1x1-bn-relu|conv3x3-bn-relu|output") },
        { tr("Chain of five 3×3 convolutions"), tr("NaN: the w_lo signal is 0 from the third cell on"),
            spec("0100000001000000010000000100000001000000010000000:input|conv3x3-bn-relu|conv3x3-bn-relu|"
                 "conv3x3-bn-relu|conv3x3-bn-relu|conv3x3-bn-relu|output") },
    };
}

std::vector<QAction*> Nb101Editor::viewActions() const
{
    return { m_view->zoomInAction(), m_view->zoomOutAction(), m_view->fitAction() };
}

void Nb101Editor::editSpec(const nb101::Spec& spec, const QString& description)
{
    pushEdit(
        m_undo, m_spec, spec, description, [this](const nb101::Spec& shown) { showSpec(shown); },
        [this] { announce(); });
}

bool Nb101Editor::applySpecString(const QString& text)
{
    try {
        editSpec(nb101::Spec::parse(text.trimmed().toStdString()), tr("Set spec string"));
        return true;
    } catch (const std::exception& error) {
        showError(QString::fromStdString(error.what()));
        return false;
    }
}

void Nb101Editor::showError(const QString& message)
{
    showFieldError(m_specEdit, m_error, tr("Not an NB101 spec: %1. The cell is unchanged.").arg(message));
}

void Nb101Editor::setEdge(int from, int to, bool present)
{
    Graph graph(m_spec);
    graph.adjacency[from][to] = present;
    editSpec(
        graph.spec(), present ? tr("Add edge %1 → %2").arg(from).arg(to) : tr("Remove edge %1 → %2").arg(from).arg(to));
}

void Nb101Editor::setOp(int vertex, nb101::Op op)
{
    Graph graph(m_spec);
    graph.ops[vertex] = op;
    editSpec(graph.spec(), tr("Vertex %1 → %2").arg(vertex).arg(opText(op)));
}

void Nb101Editor::addVertex()
{
    if (m_spec.vertexCount() >= nb101::kMaxVertices)
        return;
    Graph graph(m_spec);
    // The output stays last: the new vertex goes just before it, with no edges yet.
    const int position = int(graph.ops.size()) - 1;
    graph.ops.insert(graph.ops.begin() + position, nb101::Op::Conv3x3);
    for (std::vector<bool>& row : graph.adjacency)
        row.insert(row.begin() + position, false);
    graph.adjacency.insert(graph.adjacency.begin() + position, std::vector<bool>(graph.ops.size(), false));
    editSpec(graph.spec(), tr("Add vertex %1").arg(position));
}

void Nb101Editor::removeVertex(int vertex)
{
    if (vertex <= 0 || vertex >= m_spec.vertexCount() - 1)
        return;
    Graph graph(m_spec);
    graph.ops.erase(graph.ops.begin() + vertex);
    graph.adjacency.erase(graph.adjacency.begin() + vertex);
    for (std::vector<bool>& row : graph.adjacency)
        row.erase(row.begin() + vertex);
    editSpec(graph.spec(), tr("Remove vertex %1").arg(vertex));
}

const SearchSpace& Nb101Editor::space() const
{
    return nb101::space();
}

Arch Nb101Editor::arch() const
{
    return nb101::toArch(m_spec);
}

} // namespace epsinas::gui
