// SPDX-License-Identifier: MIT
#include "celleditor.h"

#include "cellscene.h"
#include "fittingview.h"
#include "opstyle.h"

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
#include <QUndoCommand>
#include <QUndoStack>
#include <QVBoxLayout>

namespace epsinas::gui {

namespace {
QString archText(const nb201::Cell& cell)
{
    return QString::fromStdString(cell.toString());
}
} // namespace

/** One edit of the cell: holds both values, so undo and redo just show the other one and announce it. */
class CellEditor::SetCellCommand : public QUndoCommand {
public:
    SetCellCommand(CellEditor* editor, const nb201::Cell& before, const nb201::Cell& after, const QString& text)
        : QUndoCommand(text)
        , m_editor(editor)
        , m_before(before)
        , m_after(after)
    {
    }
    void redo() override
    {
        m_editor->showCell(m_after);
        m_editor->announce();
    }
    void undo() override
    {
        m_editor->showCell(m_before);
        m_editor->announce();
    }

private:
    CellEditor* m_editor;
    nb201::Cell m_before;
    nb201::Cell m_after;
};

CellEditor::CellEditor(QWidget* parent)
    : QWidget(parent)
    , m_scene(new CellScene(this))
    , m_undo(new QUndoStack(this))
{
    m_undoAction = m_undo->createUndoAction(this, tr("&Undo"));
    m_undoAction->setShortcut(QKeySequence::Undo);
    m_undoAction->setIcon(QIcon::fromTheme(QStringLiteral("edit-undo")));
    m_redoAction = m_undo->createRedoAction(this, tr("&Redo"));
    m_redoAction->setShortcut(QKeySequence::Redo);
    m_redoAction->setIcon(QIcon::fromTheme(QStringLiteral("edit-redo")));
    m_copyAction = new QAction(QIcon::fromTheme(QStringLiteral("edit-copy")), tr("&Copy Arch String"), this);
    m_copyAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    m_pasteAction = new QAction(QIcon::fromTheme(QStringLiteral("edit-paste")), tr("&Paste Arch String"), this);
    m_pasteAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_V));
    m_randomAction = new QAction(tr("R&andom Cell"), this);
    m_randomAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_randomAction->setToolTip(tr("Replace the cell by one drawn uniformly from all 15,625"));
    m_mutateAction = new QAction(tr("&Mutate One Edge"), this);
    m_mutateAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
    m_mutateAction->setToolTip(tr("Give one random edge a different random op"));
    connect(m_copyAction, &QAction::triggered, this, &CellEditor::copyArch);
    connect(m_pasteAction, &QAction::triggered, this, &CellEditor::pasteArch);
    connect(m_randomAction, &QAction::triggered, this, &CellEditor::randomCell);
    connect(m_mutateAction, &QAction::triggered, this, &CellEditor::mutateEdge);

    auto* tools = new QHBoxLayout;
    tools->setSpacing(2);
    for (QAction* action :
        { m_undoAction, m_redoAction, m_randomAction, m_mutateAction, m_copyAction, m_pasteAction }) {
        auto* button = new QToolButton(this);
        button->setDefaultAction(action);
        button->setToolButtonStyle(action->icon().isNull() ? Qt::ToolButtonTextOnly : Qt::ToolButtonIconOnly);
        button->setAutoRaise(true);
        tools->addWidget(button);
        if (action == m_redoAction || action == m_mutateAction)
            tools->addSpacing(8);
    }
    tools->addStretch();

    m_view = new FittingView(m_scene, this);
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_view->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_view->setFrameShape(QFrame::NoFrame);
    m_view->setFocusPolicy(Qt::StrongFocus);
    m_view->setMinimumSize(240, 130);

    auto* palette = new QHBoxLayout;
    palette->setSpacing(2);
    m_edgeLabel = new QLabel(this);
    palette->addWidget(m_edgeLabel);
    m_palette = new QButtonGroup(this);
    m_palette->setExclusive(true);
    for (nb201::Op op : nb201::kAllOps) {
        const OpStyle style = opStyle(op);
        auto* button = new QToolButton(this);
        button->setObjectName(QStringLiteral("palette_") + style.name);
        button->setText(style.label);
        button->setIcon(opSwatch(op));
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        button->setCheckable(true);
        button->setAutoRaise(true);
        button->setToolTip(tr("Set the selected edge to %1 (key %2)").arg(style.name).arg(int(op)));
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

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("archError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_error->hide();

    m_facts = new QLabel(this);
    m_facts->setWordWrap(true);
    m_facts->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(tools);
    layout->addWidget(m_view, 1);
    layout->addLayout(palette);
    layout->addWidget(m_archEdit);
    layout->addWidget(m_error);
    layout->addWidget(m_facts);

    connect(m_scene, &CellScene::opRequested, this, &CellEditor::setOp);
    connect(m_scene, &CellScene::selectedEdgeChanged, this, &CellEditor::updatePalette);
    showCell(m_cell);
}

CellEditor::~CellEditor() = default;

QGraphicsView* CellEditor::view() const
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
    m_error->hide();
    m_archEdit->setStyleSheet({});
    updatePalette();
    const bool convFree = cell.hasConvFreePath();
    m_facts->setText(tr("Cell %1 · %2 parameters · %3")
                         .arg(cell.index())
                         .arg(QLocale().toString(qlonglong(cell.parameterCount())))
                         .arg(convFree ? tr("has a conv-free input→output path")
                                       : tr("<b>no conv-free path</b>: in fp32 with w_lo = 1e-7 its output underflows "
                                            "to 0 and the score is NaN")));
}

void CellEditor::editCell(const nb201::Cell& cell, const QString& description)
{
    if (cell == m_cell) {
        // Nothing changes, but a stale error or half-typed text should not stay behind.
        showCell(m_cell);
        return;
    }
    m_undo->push(new SetCellCommand(this, m_cell, cell, description));
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
    m_error->setText(tr("Not an NB201 arch string: %1. The cell is unchanged.").arg(message));
    m_error->show();
    m_archEdit->setStyleSheet(QStringLiteral("QLineEdit { border: 1px solid #b00020; }"));
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
    m_edgeLabel->setText(tr("Edge %1 (%2→%3):").arg(edge).arg(nb201::kEdgeSource[edge]).arg(nb201::kEdgeTarget[edge]));
    if (QAbstractButton* button = m_palette->button(int(m_cell.op(edge))))
        button->setChecked(true);
}

void CellEditor::copyArch()
{
    QApplication::clipboard()->setText(archText(m_cell));
}

void CellEditor::pasteArch()
{
    const QString text = QApplication::clipboard()->text().trimmed();
    m_archEdit->setText(text);
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
