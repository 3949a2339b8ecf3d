// SPDX-License-Identifier: MIT
#pragma once

#include "archeditor.h"
#include "editorsupport.h"
#include "spaces/nlp/recipe.h"
#include "spaces/nlp/space.h"

#include <QWidget>

#include <optional>
#include <vector>

class QAction;
class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QMenu;
class QToolButton;
class QUndoStack;

namespace epsinas::gui {

class NlpScene;

/**
 * Edits one NAS-Bench-NLP recipe: the graph, a panel for the selected node (name, op, ordered inputs), examples,
 * random recipes and the recipe JSON. Drafts may be invalid while being built; the editor says which rule fails.
 * Every user action that changes the nodes goes through the undo stack and emits archEdited exactly once, valid or
 * not (the recipe then, or an empty Arch).
 */
class NlpEditor : public ArchEditor {
    Q_OBJECT
public:
    explicit NlpEditor(QWidget* parent = nullptr);
    ~NlpEditor() override;

    /** The nodes as edited (maybe invalid). */
    const std::vector<nlp::Node>& nodes() const { return m_nodes; }
    /** The validated recipe of nodes(), or nothing while they break a rule (problem() then says which). */
    const std::optional<nlp::Recipe>& recipe() const { return m_recipe; }
    QString problem() const override { return m_problem; }
    const SearchSpace& space() const override;
    /** The recipe, or an empty Arch while the nodes break a rule. */
    Arch arch() const override;
    void setArch(const Arch& arch) override { setRecipe(nlp::recipeOf(arch)); }
    void editArch(const Arch& arch, const QString& description) override
    {
        editRecipe(nlp::recipeOf(arch), description);
    }
    std::vector<QAction*> editActions() const override
    {
        return { m_undoRedo.undo, m_undoRedo.redo, nullptr, m_copyPaste.copy, m_copyPaste.paste, nullptr,
            m_randomAction };
    }
    std::vector<QAction*> viewActions() const override;
    std::vector<TeachingExample> teachingExamples() const override;
    /** Shows `recipe` without an undo step or a signal (start-up, restoring settings). */
    void setRecipe(const nlp::Recipe& recipe);
    /** Makes `recipe` current as an undoable edit; emits archEdited if it differs. */
    void editRecipe(const nlp::Recipe& recipe, const QString& description);
    /** Undoable edit of raw nodes (valid or not); emits archEdited if they differ. */
    void editNodes(const std::vector<nlp::Node>& nodes, const QString& description);
    /**
     * Parses recipe JSON into nodes (nlp::parseNodesJson) and makes them current as an undoable edit, even when they
     * break a rule (problem() then names it); malformed JSON is shown inline instead and the nodes are kept.
     */
    bool applyRecipeJson(const QString& text);

    QUndoStack* undoStack() const { return m_undo; }
    NlpScene* scene() const { return m_scene; }
    FittingView* view() const { return m_view; }
    /** The nodes as one line of JSON, valid or not; Enter applies what is typed, Escape brings their JSON back. */
    QLineEdit* jsonEdit() const { return m_jsonEdit; }
    /** The inline JSON parse error under the field; hidden while the field holds the current nodes. */
    QLabel* errorLabel() const { return m_error; }
    /** The broken rule of an invalid draft; hidden when valid. */
    QLabel* problemLabel() const { return m_problemLabel; }

    QAction* undoAction() const { return m_undoRedo.undo; }
    QAction* redoAction() const { return m_undoRedo.redo; }
    QAction* copyAction() const { return m_copyPaste.copy; }
    QAction* pasteAction() const { return m_copyPaste.paste; }
    /** A random recipe from nlp::RecipeGenerator (random seed). */
    QAction* randomAction() const { return m_randomAction; }
    /** Adds a linear node reading x under a free name, and selects it. */
    QAction* addNodeAction() const { return m_addNodeAction; }
    /** Removes the selected node and every reference to it. */
    QAction* removeNodeAction() const { return m_removeNodeAction; }
    /** The example recipes rnn, lstm and gru (action object names), each an undoable edit. */
    QMenu* examplesMenu() const { return m_examplesMenu; }

    /** The selected node's name, empty for none. */
    QString selectedNode() const;
    void selectNode(const QString& name);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    /** Shows nodes and validates them; an undo step calls this and then announces the edit. */
    void showNodes(const std::vector<nlp::Node>& nodes);
    void announce() { Q_EMIT archEdited(arch()); }
    /** Pushes the edit to `nodes` unless they are the current ones; `selectAfter` is selected once it is shown. */
    void commit(const std::vector<nlp::Node>& nodes, const QString& description, const QString& selectAfter);
    void setOp(const QString& node, nlp::Op op);
    void addNode();
    void removeNode(const QString& node);
    void renameNode(const QString& node, const QString& name);
    void addInput(const QString& node, const QString& input);
    void removeInput(const QString& node, int position);
    void moveInput(const QString& node, int position, int offset);
    void updatePanel();
    void updateInputButtons();
    void fillInputMenu();
    void showError(const QString& message);
    /** Puts the nodes' JSON back into the field and drops a parse error. */
    void revertJsonEdit();
    void copyRecipe();
    void pasteRecipe();

    std::vector<nlp::Node> m_nodes;
    std::optional<nlp::Recipe> m_recipe;
    QString m_problem;
    /** The node the panel shows; its edits apply to this name even when the selection moves on first. */
    QString m_panelNode;
    NlpScene* m_scene = nullptr;
    FittingView* m_view = nullptr;
    QGroupBox* m_panel = nullptr;
    QLineEdit* m_nameEdit = nullptr;
    QLabel* m_nameError = nullptr;
    QComboBox* m_opCombo = nullptr;
    QListWidget* m_inputList = nullptr;
    QToolButton* m_addInputButton = nullptr;
    QMenu* m_inputMenu = nullptr;
    QToolButton* m_removeInputButton = nullptr;
    QToolButton* m_moveUpButton = nullptr;
    QToolButton* m_moveDownButton = nullptr;
    QLineEdit* m_jsonEdit = nullptr;
    QLabel* m_error = nullptr;
    QLabel* m_problemLabel = nullptr;
    QLabel* m_facts = nullptr;
    QUndoStack* m_undo = nullptr;
    UndoRedoActions m_undoRedo;
    CopyPasteActions m_copyPaste;
    QAction* m_randomAction = nullptr;
    QAction* m_addNodeAction = nullptr;
    QAction* m_removeNodeAction = nullptr;
    QMenu* m_examplesMenu = nullptr;
};

} // namespace epsinas::gui
