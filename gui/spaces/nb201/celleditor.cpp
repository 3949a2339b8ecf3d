// SPDX-License-Identifier: MIT
#include "spaces/nb201/celleditor.h"

#include "spaces/nb201/cellscene.h"
#include "spaces/nb201/edgeitem.h"
#include "spaces/nb201/nb201opstyle.h"
#include "spaces/nb201/space.h"
#include "teardown.h"

#include <QAction>
#include <QApplication>
#include <QButtonGroup>
#include <QClipboard>
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

namespace epsinas::gui {

namespace {
QString archText(const nb201::Cell& cell)
{
    return QString::fromStdString(cell.toString());
}
} // namespace

CellEditor::CellEditor(QWidget* parent)
    : ArchEditor(parent)
    , m_scene(new CellScene(this))
    , m_undo(new QUndoStack(this))
{
    m_undoRedo = createUndoRedoActions(m_undo, this);
    m_copyPaste = createCopyPasteActions(tr("&Copy Arch String"), tr("&Paste Arch String"), this);
    m_randomAction = new QAction(tr("R&andom Cell"), this);
    m_randomAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_randomAction->setToolTip(tr("Replace the cell by one drawn uniformly from all 15,625"));
    m_mutateAction = new QAction(tr("&Mutate One Edge"), this);
    m_mutateAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
    m_mutateAction->setToolTip(tr("Give one random edge a different random op"));
    connect(m_copyPaste.copy, &QAction::triggered, this, &CellEditor::copyArch);
    connect(m_copyPaste.paste, &QAction::triggered, this, &CellEditor::pasteArch);
    connect(m_randomAction, &QAction::triggered, this, &CellEditor::randomCell);
    connect(m_mutateAction, &QAction::triggered, this, &CellEditor::mutateEdge);

    m_copyPaste.copy->setToolTip(tr("Copy the cell's arch string to the clipboard"));
    m_copyPaste.paste->setToolTip(tr("Replace the cell by the arch string on the clipboard"));
    QHBoxLayout* tools = newToolRow({ m_undoRedo.undo, m_undoRedo.redo, nullptr, m_randomAction, m_mutateAction,
                                        nullptr, m_copyPaste.copy, m_copyPaste.paste },
        this);

    m_view = newGraphView(m_scene,
        tr("The cell: node 0 is its input, node 3 its output, each edge applies one op. Click an edge to select it, "
           "then pick its op in the palette below, or right-click or double-click it for the op menu. From the "
           "keyboard: ←/→ select the next edge, ↑/↓ or Space cycle its op, 0–4 pick one, Enter opens the "
           "menu."),
        this);
    m_view->setReadableScale(readableScale(EdgeItem::labelFont()));

    auto* palette = new QHBoxLayout;
    palette->setSpacing(2);
    m_edgeLabel = new QLabel(this);
    m_edgeLabel->setToolTip(tr("The selected edge, which the palette sets"));
    palette->addWidget(m_edgeLabel);
    m_palette = new QButtonGroup(this);
    m_palette->setExclusive(true);
    for (nb201::Op op : nb201::kAllOps) {
        const OpStyle style = opStyle(op);
        auto* button = new QToolButton(this);
        button->setObjectName(QStringLiteral("palette_") + style.name);
        button->setText(style.name);
        // Text in the op's colour, without the menu's swatch: five names side by side must fit a narrow dock.
        QPalette colours = button->palette();
        colours.setColor(QPalette::ButtonText, QColor(style.color.rgb()).darker(op == nb201::Op::None ? 130 : 120));
        button->setPalette(colours);
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        button->setCheckable(true);
        button->setAutoRaise(true);
        button->setToolTip(tr("%1: %2\nSet the selected edge to %1 (key %3 in the graph)")
                               .arg(style.name, style.description)
                               .arg(int(op)));
        m_palette->addButton(button, int(op));
        palette->addWidget(button);
    }
    palette->addStretch();
    connect(m_palette, &QButtonGroup::idClicked, this,
        [this](int op) { setOp(m_scene->selectedEdge(), nb201::kAllOps[op]); });

    m_archEdit = new QLineEdit(this);
    m_archEdit->setObjectName(QStringLiteral("archEdit"));
    m_archEdit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_archEdit->setPlaceholderText(tr("|op~0|+|op~0|op~1|+|op~0|op~1|op~2|"));
    m_archEdit->setToolTip(tr("The arch string; type or paste one to load it"));
    m_archEdit->setClearButtonEnabled(false);
    connect(m_archEdit, &QLineEdit::textEdited, this, [this](const QString& text) { applyArchString(text); });
    connect(m_archEdit, &QLineEdit::editingFinished, this, [this] {
        // Leaving a half-typed string behind would hide which cell is shown; restore it unless there is an error.
        if (m_error->isHidden())
            m_archEdit->setText(archText(m_cell));
    });

    m_error = newErrorLabel(QStringLiteral("archError"), this);

    m_facts = newFactsLabel(2, this);
    m_facts->setToolTip(tr("What the cell is: its index in NAS-Bench-201 when a table is loaded, its parameter "
                           "count, its FLOPs (multiply-adds of conv and linear layers for one 32×32 image), and "
                           "whether some input→output path avoids every conv (without one, the fp32 "
                           "output underflows at w_lo)"));

    QVBoxLayout* layout = newEditorColumn(tools, m_view, this);
    layout->addLayout(palette);
    layout->addWidget(m_archEdit);
    layout->addWidget(newMessageRow({ m_error }, this));
    layout->addWidget(m_facts);

    connect(m_scene, &CellScene::opRequested, this, &CellEditor::setOp);
    connect(m_scene, &CellScene::selectedEdgeChanged, this, &CellEditor::updatePalette);
    showCell(m_cell);
}

CellEditor::~CellEditor()
{
    // QWidget's destructor hides a focused text field, whose editingFinished slot would read members already gone.
    disconnectChildren(this);
}

FittingView* CellEditor::view() const
{
    return m_view;
}

void CellEditor::setCell(const nb201::Cell& cell)
{
    m_undo->clear();
    showCell(cell);
}

void CellEditor::showCell(const nb201::Cell& cell)
{
    m_cell = cell;
    m_scene->setCell(cell);
    m_archEdit->setText(archText(cell));
    // Show the start of the string; the end is the same shape for every cell.
    m_archEdit->setCursorPosition(0);
    clearFieldError(m_archEdit, m_error);
    updatePalette();
    const bool convFree = cell.hasConvFreePath();
    const QString official = m_officialIds.value(archText(cell));
    m_facts->setText((official.isEmpty() ? QString() : tr("NB201 index %1 · ").arg(official))
        + tr("%1 parameters · %2 MFLOPs · %3")
              .arg(QLocale().toString(qlonglong(cell.parameterCount())))
              .arg(QLocale().toString(double(cell.flops()) / 1e6, 'f', 1))
              .arg(convFree ? tr("has a conv-free input→output path")
                            : tr("<b>no conv-free path</b>: in fp32 with w_lo = 1e-7 its output underflows "
                                 "to 0 and the score is NaN")));
}

const SearchSpace& CellEditor::space() const
{
    return nb201::space();
}

Arch CellEditor::arch() const
{
    return nb201::toArch(m_cell);
}

void CellEditor::setArch(const Arch& arch)
{
    setCell(nb201::cellOf(arch));
}

void CellEditor::editArch(const Arch& arch, const QString& description)
{
    editCell(nb201::cellOf(arch), description);
}

void CellEditor::setBenchmarkIds(const QHash<QString, QString>& idByKey)
{
    m_officialIds = idByKey;
    showCell(m_cell);
}

std::vector<TeachingExample> CellEditor::teachingExamples() const
{
    const auto cell = [](const char* text) { return nb201::toArch(nb201::Cell::parse(text)); };
    const char* const allConv
        = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|";
    return {
        { tr("ResNet-like cell"), tr("convolutions beside a skip: the best scored of the golden cells"),
            cell("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|") },
        { tr("All skip connections"), tr("a score of a few 1e-5: the outputs barely change with the weight"),
            cell("|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|") },
        { tr("All average pools"), tr("no weights inside the cells: only the stem and the ResNet blocks scale"),
            cell("|avg_pool_3x3~0|+|avg_pool_3x3~0|avg_pool_3x3~1|+|avg_pool_3x3~0|avg_pool_3x3~1|avg_pool_3x3~2|") },
        { tr("All 3×3 convolutions"), tr("NaN: every path underflows to 0 at w_lo"), cell(allConv) },
        { tr("No input → output path"), tr("NaN: the output is 0 at both weights"),
            cell("|nor_conv_3x3~0|+|skip_connect~0|nor_conv_3x3~1|+|none~0|none~1|none~2|") },
        { tr("All 3×3 convolutions in float64"),
            tr("a departure from the reference: nothing underflows, and the NaN cell scores high"), cell(allConv),
            Precision::Float64 },
    };
}

std::vector<QAction*> CellEditor::editActions() const
{
    return { m_undoRedo.undo, m_undoRedo.redo, nullptr, m_copyPaste.copy, m_copyPaste.paste, nullptr, m_randomAction,
        m_mutateAction };
}

std::vector<QAction*> CellEditor::viewActions() const
{
    return { m_view->zoomInAction(), m_view->zoomOutAction(), m_view->fitAction() };
}

void CellEditor::editCell(const nb201::Cell& cell, const QString& description)
{
    pushEdit(
        m_undo, m_cell, cell, description, [this](const nb201::Cell& shown) { showCell(shown); },
        [this] { announce(); });
}

bool CellEditor::applyArchString(const QString& text)
{
    try {
        const nb201::Cell cell = nb201::Cell::parse(text.trimmed().toStdString());
        editCell(cell, tr("Set arch string"));
        return true;
    } catch (const std::exception& error) {
        showError(QString::fromStdString(error.what()));
        return false;
    }
}

void CellEditor::showError(const QString& message)
{
    showFieldError(m_archEdit, m_error, tr("Not an NB201 arch string: %1. The cell is unchanged.").arg(message));
}

void CellEditor::setOp(int edge, nb201::Op op)
{
    if (edge < 0 || edge >= nb201::kEdgeCount)
        return;
    nb201::Cell cell = m_cell;
    cell.setOp(edge, op);
    editCell(cell, tr("Edge %1 → %2").arg(edge).arg(opStyle(op).name));
}

void CellEditor::updatePalette()
{
    const int edge = m_scene->selectedEdge();
    m_edgeLabel->setText(tr("Edge %1→%2:").arg(nb201::kEdgeSource[edge]).arg(nb201::kEdgeTarget[edge]));
    if (QAbstractButton* button = m_palette->button(int(m_cell.op(edge))))
        button->setChecked(true);
}

void CellEditor::copyArch()
{
    QApplication::clipboard()->setText(archText(m_cell));
}

void CellEditor::pasteArch()
{
    const QString text = pasteClipboardInto(m_archEdit);
    if (text.isEmpty()) {
        showError(tr("the clipboard holds no text"));
        return;
    }
    applyArchString(text);
}

void CellEditor::randomCell()
{
    editCell(nb201::Cell::fromIndex(int(QRandomGenerator::global()->bounded(nb201::kCellCount))), tr("Random cell"));
}

void CellEditor::mutateEdge()
{
    QRandomGenerator* random = QRandomGenerator::global();
    const int edge = int(random->bounded(nb201::kEdgeCount));
    // Shift by 1..4 so the op always changes.
    const int op = (int(m_cell.op(edge)) + 1 + int(random->bounded(nb201::kOpCount - 1))) % nb201::kOpCount;
    m_scene->selectEdge(edge);
    setOp(edge, nb201::kAllOps[op]);
}

} // namespace epsinas::gui
