// SPDX-License-Identifier: MIT
#include "editorsupport.h"

#include "fittingview.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHelpEvent>
#include <QLineEdit>
#include <QMenu>
#include <QPainter>
#include <QPainterPath>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>

namespace epsinas::gui {

namespace {
/** The space between two groups of tool buttons. */
constexpr int kToolGroupGap = 8;

QString translated(const char* text)
{
    return QApplication::translate("epsinas::gui::EditorSupport", text);
}

/** The tool icons the editors draw themselves where the desktop's icon theme has none. */
enum class Glyph : std::uint8_t { ZoomIn, ZoomOut, Fit, Undo, Redo, Copy, Paste };

/**
 * A drawn tool icon, so that the buttons stay icons, and their width fixed, on any desktop: without it a button
 * shows its action's text, and Undo's text changes with every edit.
 */
QIcon drawnIcon(Glyph glyph, const QColor& ink)
{
    QPixmap pixmap(16, 16);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(ink, 1.6, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    switch (glyph) {
    case Glyph::Fit:
        for (const QPointF& corner : { QPointF(2, 2), QPointF(14, 2), QPointF(14, 14), QPointF(2, 14) }) {
            const qreal dx = corner.x() < 8 ? 4 : -4;
            const qreal dy = corner.y() < 8 ? 4 : -4;
            painter.drawLine(corner, corner + QPointF(dx, 0));
            painter.drawLine(corner, corner + QPointF(0, dy));
        }
        painter.drawRect(QRectF(5.5, 5.5, 5, 5));
        break;
    case Glyph::ZoomIn:
    case Glyph::ZoomOut:
        painter.drawEllipse(QPointF(6.5, 6.5), 4.8, 4.8);
        painter.drawLine(QPointF(10, 10), QPointF(14.5, 14.5));
        painter.drawLine(QPointF(4.3, 6.5), QPointF(8.7, 6.5));
        if (glyph == Glyph::ZoomIn)
            painter.drawLine(QPointF(6.5, 4.3), QPointF(6.5, 8.7));
        break;
    case Glyph::Undo:
    case Glyph::Redo: {
        // An arc that turns back, with its arrow head at the start; Redo is its mirror image.
        if (glyph == Glyph::Redo)
            painter.setTransform(QTransform(-1, 0, 0, 1, 16, 0));
        QPainterPath arc(QPointF(3, 6));
        arc.cubicTo(QPointF(6, 2), QPointF(14, 2), QPointF(13.5, 8.5));
        arc.cubicTo(QPointF(13, 13), QPointF(8, 14), QPointF(6, 13));
        painter.drawPath(arc);
        painter.drawPolyline(QPolygonF({ QPointF(3, 2), QPointF(3, 6), QPointF(7, 6.5) }));
        break;
    }
    case Glyph::Copy:
        painter.drawRoundedRect(QRectF(2, 2, 8, 9), 1.5, 1.5);
        painter.setBrush(Qt::white);
        painter.drawRoundedRect(QRectF(6, 5, 8, 9), 1.5, 1.5);
        break;
    case Glyph::Paste:
        painter.drawRoundedRect(QRectF(2.5, 3, 11, 12), 1.5, 1.5);
        painter.setBrush(ink);
        painter.drawRoundedRect(QRectF(5.5, 1.5, 5, 3), 1, 1);
        painter.drawLine(QPointF(5, 8.5), QPointF(11, 8.5));
        painter.drawLine(QPointF(5, 11.5), QPointF(11, 11.5));
        break;
    }
    return QIcon(pixmap);
}

/** The theme's icon `name`, or the drawn `glyph` where the theme has none. */
QIcon toolIcon(const char* name, Glyph glyph)
{
    const QIcon themed = QIcon::fromTheme(QString::fromLatin1(name));
    return themed.isNull() ? drawnIcon(glyph, QApplication::palette().color(QPalette::ButtonText)) : themed;
}
} // namespace

UndoRedoActions createUndoRedoActions(QUndoStack* undo, QWidget* parent)
{
    QAction* undoAction = undo->createUndoAction(parent, translated("&Undo"));
    undoAction->setShortcut(QKeySequence::Undo);
    undoAction->setIcon(toolIcon("edit-undo", Glyph::Undo));
    QAction* redoAction = undo->createRedoAction(parent, translated("&Redo"));
    redoAction->setShortcut(QKeySequence::Redo);
    redoAction->setIcon(toolIcon("edit-redo", Glyph::Redo));
    // The tooltips say which edit a click takes back or does again (the actions' texts name it too, in the menu).
    const auto explainUndo = [undoAction](const QString& edit) {
        undoAction->setToolTip(edit.isEmpty() ? translated("Nothing to undo") : translated("Undo: %1").arg(edit));
        undoAction->setStatusTip(undoAction->toolTip());
    };
    const auto explainRedo = [redoAction](const QString& edit) {
        redoAction->setToolTip(edit.isEmpty() ? translated("Nothing to redo") : translated("Redo: %1").arg(edit));
        redoAction->setStatusTip(redoAction->toolTip());
    };
    QObject::connect(undo, &QUndoStack::undoTextChanged, undoAction, explainUndo);
    QObject::connect(undo, &QUndoStack::redoTextChanged, redoAction, explainRedo);
    explainUndo(undo->undoText());
    explainRedo(undo->redoText());
    return { undoAction, redoAction };
}

CopyPasteActions createCopyPasteActions(const QString& copyText, const QString& pasteText, QWidget* parent)
{
    auto* copyAction = new QAction(toolIcon("edit-copy", Glyph::Copy), copyText, parent);
    copyAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    auto* pasteAction = new QAction(toolIcon("edit-paste", Glyph::Paste), pasteText, parent);
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

FittingView* newGraphView(QGraphicsScene* scene, const QString& help, QWidget* parent)
{
    auto* view = new FittingView(scene, parent);
    view->setObjectName(QStringLiteral("graphView"));
    view->setRenderHint(QPainter::Antialiasing);
    view->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    view->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    view->setFrameShape(QFrame::NoFrame);
    view->setMinimumSize(240, 110);
    const QString navigation = translated("Ctrl+wheel or +/− zoom, Ctrl+0 fits the graph again; when it is bigger "
                                          "than the view, drag the background or use the wheel to pan.");
    view->setToolTip(help + QLatin1Char('\n') + navigation);
    view->setWhatsThis(help + QLatin1Char(' ') + navigation);
    view->zoomInAction()->setIcon(toolIcon("zoom-in", Glyph::ZoomIn));
    view->zoomOutAction()->setIcon(toolIcon("zoom-out", Glyph::ZoomOut));
    view->fitAction()->setIcon(toolIcon("zoom-fit-best", Glyph::Fit));
    return view;
}

qreal readableScale(const QFont& font)
{
    return kReadableLabelPoints / font.pointSizeF();
}

QVBoxLayout* newEditorColumn(QHBoxLayout* tools, FittingView* view, QWidget* editor)
{
    for (QAction* action : { view->zoomOutAction(), view->zoomInAction(), view->fitAction() }) {
        editor->addAction(action);
        auto* button = new QToolButton(editor);
        button->setDefaultAction(action);
        button->setToolButtonStyle(Qt::ToolButtonIconOnly);
        button->setAutoRaise(true);
        tools->addWidget(button);
    }
    auto* column = new QVBoxLayout(editor);
    column->setContentsMargins(4, 4, 4, 4);
    column->setSpacing(4);
    column->addLayout(tools);
    column->addWidget(view, 1);
    return column;
}

QLabel* newFactsLabel(int lines, QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setMinimumHeight(lines * label->fontMetrics().lineSpacing());
    label->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    return label;
}

MessageLabel::MessageLabel(QWidget* parent)
    : QLabel(parent)
{
    setTextFormat(Qt::PlainText);
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
}

QString MessageLabel::oneLine() const
{
    return text().simplified();
}

bool MessageLabel::isElided() const
{
    return fontMetrics().horizontalAdvance(oneLine()) > contentsRect().width();
}

QSize MessageLabel::sizeHint() const
{
    return minimumSizeHint();
}

QSize MessageLabel::minimumSizeHint() const
{
    const QMargins margins = contentsMargins();
    return QSize(fontMetrics().averageCharWidth() * 12, fontMetrics().height() + margins.top() + margins.bottom());
}

bool MessageLabel::event(QEvent* event)
{
    // The tooltip is the whole message, and only while part of it is hidden.
    if (event->type() == QEvent::ToolTip && toolTip().isEmpty()) {
        if (isElided())
            QToolTip::showText(static_cast<QHelpEvent*>(event)->globalPos(), text(), this);
        else
            QToolTip::hideText();
        return true;
    }
    return QLabel::event(event);
}

void MessageLabel::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setPen(palette().color(foregroundRole()));
    const QRect room = contentsRect();
    painter.drawText(room, Qt::AlignLeft | Qt::AlignVCenter | Qt::TextSingleLine,
        fontMetrics().elidedText(oneLine(), Qt::ElideRight, room.width()));
}

QColor errorColour()
{
    return QColor(176, 0, 32);
}

QColor warningColour()
{
    return QColor(0x9a, 0x4d, 0x00);
}

void setTextColour(QWidget* widget, const QColor& colour)
{
    if (!colour.isValid()) {
        widget->setPalette(QPalette());
        return;
    }
    QPalette palette;
    palette.setColor(QPalette::WindowText, colour);
    palette.setColor(QPalette::Text, colour);
    widget->setPalette(palette);
}

QLabel* newErrorLabel(const QString& objectName, QWidget* parent)
{
    auto* label = new MessageLabel(parent);
    label->setObjectName(objectName);
    setTextColour(label, errorColour());
    label->hide();
    return label;
}

QWidget* newMessageRow(const std::vector<QLabel*>& labels, QWidget* parent)
{
    auto* row = new QWidget(parent);
    row->setObjectName(QStringLiteral("messageRow"));
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    int height = 0;
    for (QLabel* label : labels) {
        layout->addWidget(label, 1);
        height = std::max(height, label->minimumSizeHint().height());
    }
    row->setFixedHeight(height);
    row->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    return row;
}

void showFieldError(QLineEdit* field, QLabel* label, const QString& message)
{
    label->setText(message);
    label->show();
    // A style sheet drops the native frame, and with it the field's height; keep that, so nothing below moves.
    if (field->minimumHeight() != field->maximumHeight())
        field->setFixedHeight(field->sizeHint().height());
    field->setStyleSheet(QStringLiteral("QLineEdit { border: 1px solid %1; }").arg(errorColour().name()));
}

void clearFieldError(QLineEdit* field, QLabel* label)
{
    label->hide();
    field->setStyleSheet({});
}

} // namespace epsinas::gui
