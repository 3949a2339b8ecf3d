// SPDX-License-Identifier: MIT
#pragma once

#include "archeditor.h"
#include "editorsupport.h"
#include "spaces/nb101/space.h"
#include "spaces/nb101/spec.h"

#include <QWidget>

class QAction;
class QButtonGroup;
class QLabel;
class QLineEdit;
class QUndoStack;

namespace epsinas::gui {

class Nb101Scene;

/**
 * Edits one NB101 spec: the graph (vertices, edges, ops), vertex tools and the `ADJ:OPS` text. Specs may be invalid
 * while being built; the editor says which rule fails. Every user action that changes the spec goes through the
 * undo stack and emits archEdited exactly once with the new value, valid or not.
 */
class Nb101Editor : public ArchEditor {
    Q_OBJECT
public:
    explicit Nb101Editor(QWidget* parent = nullptr);
    ~Nb101Editor() override;

    const nb101::Spec& spec() const { return m_spec; }
    /** Shows `spec` without an undo step or a signal (start-up, restoring settings). */
    void setSpec(const nb101::Spec& spec);
    /** Makes `spec` current as an undoable edit; emits archEdited if it differs from the current spec. */
    void editSpec(const nb101::Spec& spec, const QString& description);
    const SearchSpace& space() const override;
    /** The spec shown, valid or not. */
    Arch arch() const override;
    QString problem() const override { return QString::fromStdString(m_spec.problem()); }
    void setArch(const Arch& arch) override { setSpec(nb101::specOf(arch)); }
    void editArch(const Arch& arch, const QString& description) override { editSpec(nb101::specOf(arch), description); }
    std::vector<QAction*> editActions() const override
    {
        return { m_undoRedo.undo, m_undoRedo.redo, nullptr, m_randomAction };
    }
    std::vector<QAction*> viewActions() const override;
    std::vector<TeachingExample> teachingExamples() const override;

    /** Parses `text` as `ADJ:OPS` and makes it current, or shows why it cannot and keeps the spec. */
    bool applySpecString(const QString& text);

    QUndoStack* undoStack() const { return m_undo; }
    Nb101Scene* scene() const { return m_scene; }
    FittingView* view() const { return m_view; }
    QLineEdit* specEdit() const { return m_specEdit; }
    /** The inline parse error under the text field; hidden while the field holds the current spec. */
    QLabel* errorLabel() const { return m_error; }
    /** The broken rule of an invalid spec; hidden for a valid one. */
    QLabel* problemLabel() const { return m_problem; }
    /** The op palette of the selected vertex: one checkable button per interior op, named palette_<op>. */
    QButtonGroup* palette() const { return m_palette; }

    QAction* undoAction() const { return m_undoRedo.undo; }
    QAction* redoAction() const { return m_undoRedo.redo; }
    QAction* randomAction() const { return m_randomAction; }

private:
    /** Shows a value; an undo step calls this and then announces the edit. */
    void showSpec(const nb101::Spec& spec);
    void announce() { Q_EMIT archEdited(arch()); }
    void setEdge(int from, int to, bool present);
    void setOp(int vertex, nb101::Op op);
    void addVertex();
    void removeVertex(int vertex);
    void showError(const QString& message);
    void updatePalette();

    nb101::Spec m_spec;
    Nb101Scene* m_scene = nullptr;
    FittingView* m_view = nullptr;
    QLabel* m_vertexLabel = nullptr;
    QButtonGroup* m_palette = nullptr;
    QLineEdit* m_specEdit = nullptr;
    QLabel* m_error = nullptr;
    QLabel* m_problem = nullptr;
    QLabel* m_facts = nullptr;
    QUndoStack* m_undo = nullptr;
    UndoRedoActions m_undoRedo;
    QAction* m_addAction = nullptr;
    QAction* m_removeAction = nullptr;
    QAction* m_randomAction = nullptr;
};

} // namespace epsinas::gui
