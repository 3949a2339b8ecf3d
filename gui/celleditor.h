// SPDX-License-Identifier: MIT
#pragma once

#include "editorsupport.h"
#include "spaces/nb201/cell.h"

#include <QWidget>

class QAction;
class QButtonGroup;
class QGraphicsView;
class QLabel;
class QLineEdit;
class QUndoStack;

namespace epsinas::gui {

class CellScene;

/**
 * Edits one NB201 cell: the graph, an op palette for the selected edge, and the arch string. Every user action
 * that changes the cell goes through the undo stack and emits cellEdited exactly once with the new value.
 */
class CellEditor : public QWidget {
    Q_OBJECT
public:
    explicit CellEditor(QWidget* parent = nullptr);
    ~CellEditor() override;

    const nb201::Cell& cell() const { return m_cell; }
    /** Shows `cell` without an undo step or a signal (start-up, restoring settings). */
    void setCell(const nb201::Cell& cell);
    /** Makes `cell` current as an undoable edit; emits cellEdited if it differs from the current cell. */
    void editCell(const nb201::Cell& cell, const QString& description);
    /**
     * The official NB201 index of each cell by enumeration position (BenchmarkData::archIndex), shown with the cell;
     * empty (no loaded table has it) shows no index: the official order cannot be derived from the cell.
     */
    void setArchIndex(std::vector<int> byCell);
    /** Parses `text` as an arch string and makes it current, or shows why it cannot and keeps the cell. */
    bool applyArchString(const QString& text);

    QUndoStack* undoStack() const { return m_undo; }
    CellScene* scene() const { return m_scene; }
    QGraphicsView* view() const;
    QLineEdit* archEdit() const { return m_archEdit; }
    /** The inline parse error under the arch field; hidden while the field holds the current cell. */
    QLabel* errorLabel() const { return m_error; }
    /** The line of facts under the graph: official index (when known), parameters, conv-free path. */
    QLabel* factsLabel() const { return m_facts; }

    QAction* undoAction() const { return m_undoRedo.undo; }
    QAction* redoAction() const { return m_undoRedo.redo; }
    QAction* copyAction() const { return m_copyPaste.copy; }
    QAction* pasteAction() const { return m_copyPaste.paste; }
    QAction* randomAction() const { return m_randomAction; }
    QAction* mutateAction() const { return m_mutateAction; }

Q_SIGNALS:
    void cellEdited(const epsinas::nb201::Cell& cell);

private:
    /** Shows a value; an undo step calls this and then announces the edit. */
    void showCell(const nb201::Cell& cell);
    void announce() { Q_EMIT cellEdited(m_cell); }
    void setOp(int edge, nb201::Op op);
    void updatePalette();
    void showError(const QString& message);
    void copyArch();
    void pasteArch();
    void randomCell();
    void mutateEdge();

    nb201::Cell m_cell;
    CellScene* m_scene = nullptr;
    QGraphicsView* m_view = nullptr;
    QButtonGroup* m_palette = nullptr;
    QLabel* m_edgeLabel = nullptr;
    QLineEdit* m_archEdit = nullptr;
    QLabel* m_error = nullptr;
    QLabel* m_facts = nullptr;
    std::vector<int> m_archIndex;
    QUndoStack* m_undo = nullptr;
    UndoRedoActions m_undoRedo;
    CopyPasteActions m_copyPaste;
    QAction* m_randomAction = nullptr;
    QAction* m_mutateAction = nullptr;
};

} // namespace epsinas::gui
