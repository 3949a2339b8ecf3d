// SPDX-License-Identifier: MIT
#pragma once

#include "spaces/nlp/recipe.h"

#include <QGraphicsScene>
#include <QHash>
#include <QStringList>

class QMenu;

namespace epsinas::gui {

/** Whether `name` is x or h_prev_k: the cell's inputs, which no node may be called. */
bool isCellInputName(const QString& name);

/**
 * A NAS-Bench-NLP recipe as a layered graph, left to right: the cell inputs x and h_prev_k in the first column,
 * every node in the column of its depth (the longest path to it from the inputs), and the outputs h_new_k that no
 * node reads in the last column. Like Nb101Scene it is a view of one value (setNodes) that never edits it but asks:
 * a node's context menu requests an op or its removal, Delete requests the selected node's removal, ↑/↓ another op
 * for it, ←/→ select the previous or next node. The value may be
 * an invalid draft: a cycle still gets columns, a name read but defined nowhere is a dashed red placeholder. Nodes
 * that feed no output are greyed. The layout depends on the nodes alone, so a recipe always looks the same.
 */
class NlpScene : public QGraphicsScene {
    Q_OBJECT
public:
    explicit NlpScene(QObject* parent = nullptr);
    ~NlpScene() override;

    void setNodes(const std::vector<nlp::Node>& nodes);
    const std::vector<nlp::Node>& nodes() const { return m_nodes; }

    /** The cell inputs drawn in the first column: x, h_prev_0 … h_prev_{K-1} for the K outputs h_new_k. */
    const QStringList& inputNames() const { return m_inputs; }
    /** Names some node reads that are neither a cell input nor a node, in the order they are first read. */
    const QStringList& undefinedNames() const { return m_undefined; }
    /** Nodes from which no output h_new_k can be reached (drawn greyed), in node order. */
    const QStringList& unusedNodes() const { return m_unused; }
    /** The box of a node, cell input or placeholder in scene coordinates; a null rect for a name not drawn. */
    QRectF boxRect(const QString& name) const;

    /** The selected node's name, empty for none. */
    QString selectedNode() const { return m_selected; }
    /** Selects the node `name`, or none when there is no such node. */
    void selectNode(const QString& name);

    /** The context menu of `node` (its ops, removal) or, for an empty name, of the empty scene. Caller owns it. */
    QMenu* createMenu(const QString& node, QWidget* parent);

Q_SIGNALS:
    void selectedNodeChanged(const QString& name);
    void opRequested(const QString& node, epsinas::nlp::Op op);
    void removeRequested(const QString& node);
    void addRequested();

protected:
    void contextMenuEvent(QGraphicsSceneContextMenuEvent* event) override;
    void mouseDoubleClickEvent(QGraphicsSceneMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    void rebuild();
    void onSelectionChanged();
    void popUpMenu(const QString& node, const QPoint& screenPos);
    /** Selects the node `step` places on in recipe order, wrapping around. */
    void selectNeighbour(int step);
    /** Asks for the selected node's op `step` places on in nlp::kAllOps, wrapping around. */
    void cycleOp(int step);
    /** The name of the selectable node box under `scenePos`, empty for none. */
    QString nodeAt(const QPointF& scenePos) const;

    std::vector<nlp::Node> m_nodes;
    QStringList m_inputs;
    QStringList m_undefined;
    QStringList m_unused;
    /** The box of each name. A node named like a cell input or an earlier node is drawn but not listed here. */
    QHash<QString, QGraphicsItem*> m_boxes;
    QString m_selected;
};

} // namespace epsinas::gui
