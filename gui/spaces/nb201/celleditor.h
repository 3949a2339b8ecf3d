// SPDX-License-Identifier: MIT
#pragma once

#include "archeditor.h"
#include "editorsupport.h"
#include "spaces/nb201/cell.h"
#include "spaces/nb201/space.h"

#include <QWidget>

class QAction;
class QButtonGroup;
class QLabel;
class QLineEdit;
class QUndoStack;

namespace epsinas::gui {

class CellScene;

/**
 * Edits one NB201 cell: the graph, an op palette for the selected edge, and the arch string. Every user action
 * that changes the cell goes through the undo stack and emits archEdited exactly once with the new value.
 */
class CellEditor : public ArchEditor {
    Q_OBJECT
public:
    explicit CellEditor(QWidget* parent = nullptr);
    ~CellEditor() override;

    const nb201::Cell& cell() const { return m_cell; }
    /** Shows `cell` without an undo step or a signal (start-up, restoring settings). */
    void setCell(const nb201::Cell& cell);
    /** Makes `cell` current as an undoable edit; emits archEdited if it differs from the current cell. */
    void editCell(const nb201::Cell& cell, const QString& description);

    const SearchSpace& space() const override;
    Arch arch() const override;
    QString problem() const override { return {}; }
    void setArch(const Arch& arch) override;
    void editArch(const Arch& arch, const QString& description) override;
    /** Shows the official index (arch_index) of the cell with the rest of its facts: it cannot be derived from it. */
    void setBenchmarkIds(const QHash<QString, QString>& idByKey) override;
    std::vector<QAction*> editActions() const override;
    std::vector<TeachingExample> teachingExamples() const override;
    std::vector<QAction*> viewActions() const override;

    /** Parses `text` as an arch string and makes it current, or shows why it cannot and keeps the cell. */
    bool applyArchString(const QString& text);

    QUndoStack* undoStack() const { return m_undo; }
    CellScene* scene() const { return m_scene; }
    FittingView* view() const;
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

private:
    /** Shows a value; an undo step calls this and then announces the edit. */
    void showCell(const nb201::Cell& cell);
    void announce() { Q_EMIT archEdited(arch()); }
    void setOp(int edge, nb201::Op op);
    void updatePalette();
    void showError(const QString& message);
    void copyArch();
    void pasteArch();
    void randomCell();
    void mutateEdge();

    nb201::Cell m_cell;
    CellScene* m_scene = nullptr;
    FittingView* m_view = nullptr;
    QButtonGroup* m_palette = nullptr;
    QLabel* m_edgeLabel = nullptr;
    QLineEdit* m_archEdit = nullptr;
    QLabel* m_error = nullptr;
    QLabel* m_facts = nullptr;
    QHash<QString, QString> m_officialIds;
    QUndoStack* m_undo = nullptr;
    UndoRedoActions m_undoRedo;
    CopyPasteActions m_copyPaste;
    QAction* m_randomAction = nullptr;
    QAction* m_mutateAction = nullptr;
};

} // namespace epsinas::gui
