// SPDX-License-Identifier: MIT
#include "editorsupport.h"

#include "fittingview.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QToolButton>
#include <QVBoxLayout>

namespace epsinas::gui {

namespace {
/** The space between two groups of tool buttons. */
constexpr int kToolGroupGap = 8;

QString translated(const char* text)
{
    return QApplication::translate("epsinas::gui::EditorSupport", text);
}
} // namespace

UndoRedoActions createUndoRedoActions(QUndoStack* undo, QWidget* parent)
{
    QAction* undoAction = undo->createUndoAction(parent, translated("&Undo"));
    undoAction->setShortcut(QKeySequence::Undo);
    undoAction->setIcon(QIcon::fromTheme(QStringLiteral("edit-undo")));
    QAction* redoAction = undo->createRedoAction(parent, translated("&Redo"));
    redoAction->setShortcut(QKeySequence::Redo);
    redoAction->setIcon(QIcon::fromTheme(QStringLiteral("edit-redo")));
    return { undoAction, redoAction };
}

CopyPasteActions createCopyPasteActions(const QString& copyText, const QString& pasteText, QWidget* parent)
{
    auto* copyAction = new QAction(QIcon::fromTheme(QStringLiteral("edit-copy")), copyText, parent);
    copyAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    auto* pasteAction = new QAction(QIcon::fromTheme(QStringLiteral("edit-paste")), pasteText, parent);
    pasteAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_V));
    return { copyAction, pasteAction };
}

QString pasteClipboardInto(QLineEdit* field)
{
    const QString text = QApplication::clipboard()->text().trimmed();
    field->setText(text);
    return text;
}

QHBoxLayout* newToolRow(const std::vector<QAction*>& actions, QWidget* parent)
{
    auto* row = new QHBoxLayout;
    row->setSpacing(2);
    for (QAction* action : actions) {
        if (!action) {
            row->addSpacing(kToolGroupGap);
            continue;
        }
        auto* button = new QToolButton(parent);
        button->setDefaultAction(action);
        button->setToolButtonStyle(action->icon().isNull() ? Qt::ToolButtonTextOnly : Qt::ToolButtonIconOnly);
        button->setAutoRaise(true);
        if (action->menu())
            button->setPopupMode(QToolButton::InstantPopup);
        row->addWidget(button);
    }
    row->addStretch();
    return row;
}

QGraphicsView* newGraphView(QGraphicsScene* scene, QWidget* parent)
{
    auto* view = new FittingView(scene, parent);
    view->setRenderHint(QPainter::Antialiasing);
    view->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    view->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    view->setFrameShape(QFrame::NoFrame);
    view->setMinimumSize(240, 130);
    return view;
}

QVBoxLayout* newEditorColumn(QLayout* tools, QGraphicsView* view, QWidget* editor)
{
    auto* column = new QVBoxLayout(editor);
    column->setContentsMargins(4, 4, 4, 4);
    column->addLayout(tools);
    column->addWidget(view, 1);
    return column;
}

QLabel* newFactsLabel(QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

QColor errorColour()
{
    return QColor(176, 0, 32);
}

QLabel* newErrorLabel(const QString& objectName, QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setStyleSheet(QStringLiteral("color: %1;").arg(errorColour().name()));
    label->hide();
    return label;
}

void showFieldError(QLineEdit* field, QLabel* label, const QString& message)
{
    label->setText(message);
    label->show();
    field->setStyleSheet(QStringLiteral("QLineEdit { border: 1px solid %1; }").arg(errorColour().name()));
}

void clearFieldError(QLineEdit* field, QLabel* label)
{
    label->hide();
    field->setStyleSheet({});
}

} // namespace epsinas::gui
