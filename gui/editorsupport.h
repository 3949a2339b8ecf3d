// SPDX-License-Identifier: MIT
// What the spaces' editors (gui/spaces/) share: each keeps one value, changes it only through undoable
// SetValueCommands, and shows text that does not parse inline under its field, which it marks red.
#pragma once

#include "fittingview.h"

#include <QLabel>
#include <QUndoCommand>
#include <QUndoStack>

#include <functional>
#include <utility>
#include <vector>

class QAction;
class QColor;
class QFont;
class QGraphicsScene;
class QGraphicsView;
class QHBoxLayout;
class QLineEdit;
class QVBoxLayout;
class QWidget;

namespace epsinas::gui {

/** One edit of an editor's value: holds both values, so undo and redo just show the other one and announce it. */
template <typename Value> class SetValueCommand : public QUndoCommand {
public:
    /** Shows a value in the editor, making it the current one. */
    using Show = std::function<void(const Value&)>;
    /** Tells the editor's listeners that the value it shows is the edited value now. */
    using Announce = std::function<void()>;

    SetValueCommand(Value before, Value after, Show show, Announce announce, const QString& text)
        : QUndoCommand(text)
        , m_before(std::move(before))
        , m_after(std::move(after))
        , m_show(std::move(show))
        , m_announce(std::move(announce))
    {
    }
    void redo() override
    {
        m_show(m_after);
        m_announce();
    }
    void undo() override
    {
        m_show(m_before);
        m_announce();
    }

private:
    Value m_before;
    Value m_after;
    Show m_show;
    Announce m_announce;
};

/**
 * Makes `after` current as the undoable edit `description` from `before`, the value shown now. An `after` equal to
 * `before` leaves no undo step and announces nothing, but `before` is shown again, so that a stale error or
 * half-typed text does not stay behind.
 */
template <typename Value>
void pushEdit(QUndoStack* undo, Value before, Value after, const QString& description,
    typename SetValueCommand<Value>::Show show, typename SetValueCommand<Value>::Announce announce)
{
    if (after == before) {
        show(before);
        return;
    }
    undo->push(new SetValueCommand<Value>(
        std::move(before), std::move(after), std::move(show), std::move(announce), description));
}

/** The Undo and Redo actions of an editor's undo stack. */
struct UndoRedoActions {
    QAction* undo = nullptr;
    QAction* redo = nullptr;
};
/** The Copy and Paste actions of an editor's value as text. */
struct CopyPasteActions {
    QAction* copy = nullptr;
    QAction* paste = nullptr;
};

/** The Undo and Redo actions of `undo`, with the standard shortcuts and theme icons, owned by `parent`. */
UndoRedoActions createUndoRedoActions(QUndoStack* undo, QWidget* parent);

/**
 * The Copy and Paste actions of the value as text, with theme icons and Ctrl+Shift+C and Ctrl+Shift+V (plain Ctrl+C
 * and Ctrl+V stay with the text fields), owned by `parent`.
 */
CopyPasteActions createCopyPasteActions(const QString& copyText, const QString& pasteText, QWidget* parent);
/** Puts the clipboard's text, trimmed, into `field`, so that what is applied or refused stays in view; returns it. */
QString pasteClipboardInto(QLineEdit* field);

/**
 * A row of flat tool buttons for `actions`: icon only where the action has an icon, its text otherwise. A null
 * entry leaves a gap between two groups; an action with a menu opens it on the first click.
 */
QHBoxLayout* newToolRow(const std::vector<QAction*>& actions, QWidget* parent);

/** The least on-screen size of a graph's labels, in points. */
constexpr qreal kReadableLabelPoints = 9;
/** The scale at which text in `font` (in scene units) is drawn at kReadableLabelPoints: a graph view's floor. */
qreal readableScale(const QFont& font);

/**
 * The editors' graph view of `scene`: a FittingView, antialiased, frameless, without scroll bars (it pans by drag and
 * wheel), at least 240×110, with `help` as its tooltip and What's This.
 */
FittingView* newGraphView(QGraphicsScene* scene, const QString& help, QWidget* parent);

/**
 * The editor's column: `tools` on top, with the view's zoom buttons at its right end, then `view`, which takes the
 * spare height; the caller adds the rest below. The zoom actions become the editor's, so that their shortcuts work
 * wherever the focus is in it.
 */
QVBoxLayout* newEditorColumn(QHBoxLayout* tools, FittingView* view, QWidget* editor);
/**
 * A word-wrapped, selectable label for facts about the value, `lines` lines high even for fewer, so that edits do not
 * move what is above it.
 */
QLabel* newFactsLabel(int lines, QWidget* parent);

/**
 * A one-line label that elides its text to its width and then shows the whole text as its tooltip. Its height is one
 * line whatever the text, and its width hint small, so a long message neither grows the editor nor moves the graph.
 */
class MessageLabel : public QLabel {
public:
    explicit MessageLabel(QWidget* parent = nullptr);
    /** Whether the text is longer than the label shows. */
    bool isElided() const;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    bool event(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;

private:
    QString oneLine() const;
};

/** The red of errors and of what they point at. */
QColor errorColour();
/** The brown of warnings: departures from the reference, stale numbers, synthetic input. */
QColor warningColour();
/**
 * Writes `widget`'s text in `colour`; an invalid colour gives it back the inherited one. Through the palette, not a
 * style sheet: a style sheet fixes the font it was set under, so the text would not follow a change of the
 * application's font (presentation mode).
 */
void setTextColour(QWidget* widget, const QColor& colour);
/** A hidden red MessageLabel for a field's inline error or a value's broken rule. */
QLabel* newErrorLabel(const QString& objectName, QWidget* parent);
/**
 * A row one line high holding `labels` side by side: room for messages that is there whether they are shown or not,
 * so that showing one never changes the height of the graph above it.
 */
QWidget* newMessageRow(const std::vector<QLabel*>& labels, QWidget* parent);
/** Shows `message` in `label` and gives `field` a red border, until clearFieldError. */
void showFieldError(QLineEdit* field, QLabel* label, const QString& message);
/** Hides `label` and drops the red border of `field`. */
void clearFieldError(QLineEdit* field, QLabel* label);

} // namespace epsinas::gui
