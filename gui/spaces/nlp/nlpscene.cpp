// SPDX-License-Identifier: MIT
#include "spaces/nlp/nlpscene.h"

#include "arrowitem.h"
#include "editorsupport.h"
#include "presentation.h"
#include "spaces/nlp/nlpopstyle.h"

#include <QFontMetricsF>
#include <QGraphicsPathItem>
#include <QGraphicsSceneContextMenuEvent>
#include <QGraphicsSceneMouseEvent>
#include <QGraphicsView>
#include <QKeyEvent>
#include <QMenu>
#include <QPainter>
#include <QSet>
#include <QSignalBlocker>
#include <QStyleOptionGraphicsItem>

#include <algorithm>
#include <functional>
#include <limits>

namespace epsinas::gui {

namespace {
// Size of a box (node, cell input or placeholder) and the distances between the centres of neighbouring ones.
constexpr qreal kBoxWidth = 108;
constexpr qreal kBoxHeight = 44;
constexpr qreal kColumnSpacing = 136;
constexpr qreal kRowSpacing = 56;
constexpr qreal kArrowSize = 9;
// The least room the scene takes, in columns and rows (see rebuild()).
constexpr int kMinimumColumns = 4;
constexpr int kMinimumRows = 3;
// Room around a box for the selection halo.
constexpr qreal kHalo = 5;
const QColor kLinkInk(95, 100, 112);
const QColor kSelectionHalo(255, 196, 0, 170);

const QString kInputName = QStringLiteral("x");
const QString kHiddenPrefix = QStringLiteral("h_prev_");

/** k when `name` is h_new_k, else -1. */
int outputIndexOf(const QString& name)
{
    return nlp::outputIndex(name.toStdString()).value_or(-1);
}

qreal rowY(int row, int rows)
{
    return (row - (rows - 1) / 2.0) * kRowSpacing;
}

/** Where every box goes and how it looks, worked out from the nodes alone. */
struct Layout {
    QStringList inputs;
    QStringList undefined;
    /** Per node: its column, the height of its centre, and whether it feeds an output. */
    std::vector<int> column;
    std::vector<qreal> y;
    std::vector<bool> used;
    /** The height of each cell input and placeholder (all in the first column). */
    QHash<QString, qreal> sourceY;
    /** The names, of nodes and sources alike, on some path into an output. */
    QSet<QString> feeding;
};

Layout layOut(const std::vector<nlp::Node>& nodes)
{
    Layout layout;
    const int count = int(nodes.size());
    std::vector<QString> names;
    // The first node of each name. A node named like a cell input is an error core reports; reading that name still
    // means the cell input.
    QHash<QString, int> byName;
    int hiddenCount = 1;
    for (int i = 0; i < count; ++i) {
        names.push_back(QString::fromStdString(nodes[i].name));
        if (!isCellInputName(names[i]) && !byName.contains(names[i]))
            byName.insert(names[i], i);
        hiddenCount = std::max(hiddenCount, outputIndexOf(names[i]) + 1);
    }
    layout.inputs << kInputName;
    for (int k = 0; k < hiddenCount; ++k)
        layout.inputs << kHiddenPrefix + QString::number(k);
    QSet<QString> read;
    for (const nlp::Node& node : nodes) {
        for (const std::string& input : node.inputs) {
            const QString name = QString::fromStdString(input);
            read.insert(name);
            if (!byName.contains(name) && !layout.inputs.contains(name) && !layout.undefined.contains(name))
                layout.undefined << name;
        }
    }

    // Depth by depth-first search. An input that leads back to a node still being visited closes a cycle; skipping
    // it gives the nodes of a cyclic draft columns too, and every node is visited once.
    enum class Visit : std::uint8_t { No, Open, Done };
    std::vector<Visit> visit(count, Visit::No);
    std::vector<int> depth(count, 1);
    std::function<void(int)> measure = [&](int i) {
        visit[i] = Visit::Open;
        for (const std::string& input : nodes[i].inputs) {
            const auto found = byName.constFind(QString::fromStdString(input));
            if (found == byName.cend() || visit[*found] == Visit::Open)
                continue;
            if (visit[*found] == Visit::No)
                measure(*found);
            depth[i] = std::max(depth[i], depth[*found] + 1);
        }
        visit[i] = Visit::Done;
    };
    for (int i = 0; i < count; ++i) {
        if (visit[i] == Visit::No)
            measure(i);
    }
    const int lastColumn = count ? *std::max_element(depth.begin(), depth.end()) : 1;
    // An output read by another node (LSTM's h_new_1) stays at its depth, left of its readers.
    for (int i = 0; i < count; ++i)
        layout.column.push_back(outputIndexOf(names[i]) >= 0 && !read.contains(names[i]) ? lastColumn : depth[i]);

    std::vector<QString> pending;
    for (const QString& name : names) {
        if (outputIndexOf(name) >= 0)
            pending.push_back(name);
    }
    while (!pending.empty()) {
        const QString name = pending.back();
        pending.pop_back();
        if (layout.feeding.contains(name))
            continue;
        layout.feeding.insert(name);
        if (const auto found = byName.constFind(name); found != byName.cend()) {
            for (const std::string& input : nodes[*found].inputs)
                pending.push_back(QString::fromStdString(input));
        }
    }
    for (const QString& name : names)
        layout.used.push_back(layout.feeding.contains(name));

    const QStringList sources = layout.inputs + layout.undefined;
    for (int row = 0; row < sources.size(); ++row)
        layout.sourceY.insert(sources[row], rowY(row, int(sources.size())));
    // Later columns, left to right: nodes sorted by the mean height of what they read in earlier columns, which keeps
    // arrows short and crossings few. Nodes that read nothing to their left keep node order, at the bottom.
    layout.y.assign(count, 0);
    std::vector<std::vector<int>> columns(lastColumn + 1);
    for (int i = 0; i < count; ++i)
        columns[layout.column[i]].push_back(i);
    for (int column = 1; column <= lastColumn; ++column) {
        std::vector<std::pair<qreal, int>> keyed;
        for (int i : columns[column]) {
            qreal sum = 0;
            int reads = 0;
            for (const std::string& input : nodes[i].inputs) {
                const QString name = QString::fromStdString(input);
                const auto found = byName.constFind(name);
                if (found == byName.cend()) {
                    sum += layout.sourceY.value(name);
                    ++reads;
                } else if (layout.column[*found] < column) {
                    sum += layout.y[*found];
                    ++reads;
                }
            }
            keyed.emplace_back(reads ? sum / reads : std::numeric_limits<qreal>::infinity(), i);
        }
        std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        for (int row = 0; row < int(keyed.size()); ++row)
            layout.y[keyed[row].second] = rowY(row, int(keyed.size()));
    }
    return layout;
}

/** A box of the graph: a node (op over name, selectable), a cell input, or a placeholder for a name defined nowhere. */
class BoxItem : public QGraphicsItem {
public:
    enum { Type = UserType + 21 };
    enum class Kind : std::uint8_t { Input, Node, Undefined };

    BoxItem(Kind kind, const QString& name, bool used, nlp::Op op = nlp::Op::Linear, int inletCount = 0)
        : m_kind(kind)
        , m_name(name)
        , m_used(used)
        , m_op(op)
        , m_inletCount(inletCount)
    {
        setZValue(2);
    }
    int type() const override { return Type; }
    Kind kind() const { return m_kind; }
    const QString& name() const { return m_name; }

    /** Where arrows to what this box feeds leave it, in scene coordinates. */
    QPointF outlet() const { return pos() + QPointF(kBoxWidth / 2, 0); }
    /** Where the arrow of input `port` arrives: the inputs enter the left side top to bottom, in order. */
    QPointF inlet(int port) const
    {
        return pos() + QPointF(-kBoxWidth / 2, -kBoxHeight / 2 + kBoxHeight * (port + 1) / (m_inletCount + 1));
    }

    QRectF boundingRect() const override { return box().adjusted(-kHalo, -kHalo, kHalo, kHalo); }
    QPainterPath shape() const override
    {
        QPainterPath path;
        path.addRoundedRect(box(), radius(), radius());
        return path;
    }
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget*) override
    {
        painter->setRenderHint(QPainter::Antialiasing);
        const bool selected = option->state & QStyle::State_Selected;
        const bool hovered = (option->state & QStyle::State_MouseOver) && (flags() & ItemIsSelectable);
        if (selected) {
            painter->setPen(QPen(kSelectionHalo, 2 * kHalo));
            painter->setBrush(Qt::NoBrush);
            painter->drawRoundedRect(box(), radius(), radius());
        }
        QColor outline = liveInk();
        QColor title = liveInk();
        QColor fill(235, 238, 245);
        if (m_kind == Kind::Node) {
            const QColor color = opStyle(m_op).color;
            outline = color;
            title = color.darker(150);
            // A light tint of the op colour, so that black names stay readable on it.
            fill = QColor::fromRgbF(
                0.82 + 0.18 * color.redF(), 0.82 + 0.18 * color.greenF(), 0.82 + 0.18 * color.blueF());
        }
        Qt::PenStyle dash = Qt::SolidLine;
        if (m_kind == Kind::Undefined) {
            outline = title = errorColour();
            fill = QColor(253, 236, 238);
            dash = Qt::DashLine;
        } else if (!m_used) {
            outline = title = inactiveInk();
            fill = QColor(247, 247, 247);
            dash = Qt::DashLine;
        }
        painter->setPen(QPen(outline, selected ? 2.6 : hovered ? 2.2 : 1.6, dash));
        painter->setBrush(fill);
        painter->drawRoundedRect(box(), radius(), radius());

        QFont font = deskFont();
        QFont bold = font;
        bold.setBold(true);
        const QRectF text = box().adjusted(8, 4, -8, -4);
        if (m_kind == Kind::Input) {
            painter->setFont(bold);
            painter->setPen(m_used ? liveInk() : inactiveInk());
            painter->drawText(
                text, Qt::AlignCenter, QFontMetricsF(bold).elidedText(m_name, Qt::ElideMiddle, text.width()));
            return;
        }
        // Two lines: what the box computes (its op, or that it is undefined) in bold, over its name.
        const QRectF upper(text.left(), text.top(), text.width(), text.height() / 2);
        const QRectF lower = upper.translated(0, text.height() / 2);
        painter->setFont(bold);
        painter->setPen(title);
        painter->drawText(upper, Qt::AlignHCenter | Qt::AlignBottom,
            m_kind == Kind::Node ? opStyle(m_op).label : QObject::tr("undefined"));
        painter->setFont(font);
        painter->setPen(m_kind == Kind::Undefined ? errorColour() : m_used ? liveInk() : inactiveInk());
        painter->drawText(lower, Qt::AlignHCenter | Qt::AlignTop,
            QFontMetricsF(font).elidedText(m_name, Qt::ElideMiddle, lower.width()));
        if (m_kind == Kind::Node && m_op == nlp::Op::Blend)
            paintBlendPorts(painter, font);
    }

private:
    QRectF box() const { return QRectF(-kBoxWidth / 2, -kBoxHeight / 2, kBoxWidth, kBoxHeight); }
    qreal radius() const { return m_kind == Kind::Input ? kBoxHeight / 2 : 8; }

    /** Blend is a·b + (1−a)·c, so which input is which matters: name them where they enter. */
    void paintBlendPorts(QPainter* painter, QFont font) const
    {
        font.setPointSizeF(font.pointSizeF() * 0.8);
        font.setBold(true);
        painter->setFont(font);
        painter->setPen(m_used ? opStyle(m_op).color.darker(150) : inactiveInk());
        const QString letters = QStringLiteral("abc");
        for (int port = 0; port < std::min<int>(m_inletCount, int(letters.size())); ++port) {
            const QPointF at = inlet(port) - pos();
            painter->drawText(QRectF(at.x() + 2, at.y() - 6, 8, 12), Qt::AlignCenter, letters.at(port));
        }
    }

    Kind m_kind;
    QString m_name;
    bool m_used;
    nlp::Op m_op;
    int m_inletCount;
};

/** An arrow from what a node reads to one of its inlets: a curve that leaves and arrives horizontally. */
class LinkItem : public ArrowItem {
public:
    LinkItem(const QPointF& from, const QPointF& to, const QPen& pen)
    {
        const QPointF end = to - QPointF(kArrowSize, 0);
        QPainterPath path(from);
        if (end.x() > from.x()) {
            const qreal pull = std::max<qreal>(36, (end.x() - from.x()) / 2);
            path.cubicTo(from + QPointF(pull, 0), end - QPointF(pull, 0), end);
        } else {
            // A link back to the left (a cycle in a draft) loops under both boxes rather than through them.
            constexpr qreal pull = 40;
            const qreal below = std::max(from.y(), end.y()) + kBoxHeight / 2 + 18;
            const QPointF bottom((from.x() + end.x()) / 2, below);
            path.cubicTo(from + QPointF(pull, 0), QPointF(from.x() + pull, below), bottom);
            path.cubicTo(QPointF(end.x() - pull, below), end - QPointF(pull, 0), end);
        }
        setPath(path);
        setPen(pen);
        setZValue(1);
        setAcceptedMouseButtons(Qt::NoButton);
        setHead(QPolygonF({ to, end + QPointF(0, kArrowSize / 2.5), end - QPointF(0, kArrowSize / 2.5) }));
    }
};

QString inputToolTip(const QString& name)
{
    if (name == kInputName)
        return QObject::tr("x: the cell input (the embedded token, or the output of the layer below)");
    return QObject::tr("%1: hidden state %2 from the previous time step")
        .arg(name)
        .arg(nlp::hiddenInputIndex(name.toStdString()).value_or(-1));
}

QString nodeToolTip(const nlp::Node& node, bool used)
{
    QStringList inputs;
    for (const std::string& input : node.inputs)
        inputs << QString::fromStdString(input);
    QString tip = QStringLiteral("%1 = %2(%3)")
                      .arg(QString::fromStdString(node.name), opStyle(node.op).name, inputs.join(QStringLiteral(", ")));
    if (node.op == nlp::Op::Blend)
        tip += QObject::tr("\nblend(a, b, c) = a·b + (1 − a)·c");
    if (!used)
        tip += QObject::tr("\nFeeds no output h_new_k, so it does not change the cell (greyed)");
    return tip + QObject::tr("\nClick to edit it below; double-click or right-click for its op; Delete removes it");
}
} // namespace

bool isCellInputName(const QString& name)
{
    return nlp::isCellInput(name.toStdString());
}

NlpScene::NlpScene(QObject* parent)
    : QGraphicsScene(parent)
{
    connect(this, &QGraphicsScene::selectionChanged, this, &NlpScene::onSelectionChanged);
    rebuild();
}

NlpScene::~NlpScene()
{
    // Deleting the selected box would announce an empty selection to an owner that is itself being destroyed.
    const QSignalBlocker blocker(this);
    clear();
}

void NlpScene::setNodes(const std::vector<nlp::Node>& nodes)
{
    m_nodes = nodes;
    rebuild();
    // The selected node stays selected across edits as long as it exists.
    selectNode(m_selected);
}

void NlpScene::rebuild()
{
    {
        // Removing the selected box would announce an empty selection that setNodes restores right after.
        const QSignalBlocker blocker(this);
        clear();
    }
    m_boxes.clear();
    const Layout layout = layOut(m_nodes);
    m_inputs = layout.inputs;
    m_undefined = layout.undefined;
    m_unused.clear();

    const QStringList sources = layout.inputs + layout.undefined;
    for (const QString& name : sources) {
        const bool input = layout.inputs.contains(name);
        auto* box
            = new BoxItem(input ? BoxItem::Kind::Input : BoxItem::Kind::Undefined, name, layout.feeding.contains(name));
        box->setPos(0, layout.sourceY.value(name));
        box->setToolTip(input
                ? inputToolTip(name)
                : tr("'%1' is read but defined nowhere: add a node of that name, or remove the input").arg(name));
        addItem(box);
        m_boxes.insert(name, box);
    }
    std::vector<BoxItem*> nodeBoxes;
    for (std::size_t i = 0; i < m_nodes.size(); ++i) {
        const nlp::Node& node = m_nodes[i];
        const QString name = QString::fromStdString(node.name);
        auto* box = new BoxItem(BoxItem::Kind::Node, name, layout.used[i], node.op, int(node.inputs.size()));
        box->setPos(layout.column[i] * kColumnSpacing, layout.y[i]);
        box->setToolTip(nodeToolTip(node, layout.used[i]));
        addItem(box);
        nodeBoxes.push_back(box);
        if (!layout.used[i])
            m_unused << name;
        if (!m_boxes.contains(name)) {
            box->setFlag(QGraphicsItem::ItemIsSelectable);
            box->setAcceptHoverEvents(true);
            box->setCursor(Qt::PointingHandCursor);
            m_boxes.insert(name, box);
        }
    }
    for (std::size_t i = 0; i < m_nodes.size(); ++i) {
        const std::vector<std::string>& inputs = m_nodes[i].inputs;
        for (int port = 0; port < int(inputs.size()); ++port) {
            const auto* source = static_cast<BoxItem*>(m_boxes.value(QString::fromStdString(inputs[port])));
            const bool undefined = source->kind() == BoxItem::Kind::Undefined;
            const QColor ink = undefined ? errorColour() : layout.used[i] ? kLinkInk : inactiveInk();
            addItem(new LinkItem(source->outlet(), nodeBoxes[i]->inlet(port),
                QPen(ink, 1.5, undefined || !layout.used[i] ? Qt::DashLine : Qt::SolidLine, Qt::RoundCap)));
        }
    }
    // The fitting view scales the graph to its size; a small recipe gets at least the room of a few columns and rows
    // so that it is not blown up far beyond the size of a larger one.
    const QRectF drawn = itemsBoundingRect().adjusted(-12, -12, 12, 12);
    QRectF room(
        QPointF(), drawn.size().expandedTo(QSizeF(kMinimumColumns * kColumnSpacing, kMinimumRows * kRowSpacing)));
    room.moveCenter(drawn.center());
    setSceneRect(room);
}

QRectF NlpScene::boxRect(const QString& name) const
{
    const QGraphicsItem* box = m_boxes.value(name);
    return box ? QRectF(box->pos() - QPointF(kBoxWidth / 2, kBoxHeight / 2), QSizeF(kBoxWidth, kBoxHeight)) : QRectF();
}

void NlpScene::selectNode(const QString& name)
{
    QGraphicsItem* box = m_boxes.value(name);
    const bool selectable = box && (box->flags() & QGraphicsItem::ItemIsSelectable);
    {
        const QSignalBlocker blocker(this);
        clearSelection();
        if (selectable)
            box->setSelected(true);
    }
    const QString selected = selectable ? name : QString();
    if (selected == m_selected)
        return;
    m_selected = selected;
    Q_EMIT selectedNodeChanged(selected);
}

void NlpScene::onSelectionChanged()
{
    const QList<QGraphicsItem*> chosen = selectedItems();
    const auto* box = chosen.isEmpty() ? nullptr : qgraphicsitem_cast<BoxItem*>(chosen.front());
    const QString name = box ? box->name() : QString();
    if (name == m_selected)
        return;
    m_selected = name;
    Q_EMIT selectedNodeChanged(name);
}

QString NlpScene::nodeAt(const QPointF& scenePos) const
{
    for (QGraphicsItem* item : items(scenePos)) {
        if (item->type() == BoxItem::Type && (item->flags() & QGraphicsItem::ItemIsSelectable))
            return static_cast<BoxItem*>(item)->name();
    }
    return {};
}

QMenu* NlpScene::createMenu(const QString& node, QWidget* parent)
{
    auto* menu = new QMenu(parent);
    menu->setObjectName(QStringLiteral("nodeMenu"));
    const auto found = std::find_if(m_nodes.begin(), m_nodes.end(),
        [&](const nlp::Node& candidate) { return candidate.name == node.toStdString(); });
    if (!node.isEmpty() && found != m_nodes.end()) {
        menu->addSection(tr("Node %1").arg(node));
        for (nlp::Op op : nlp::kAllOps) {
            const OpStyle style = opStyle(op);
            QAction* action = menu->addAction(opSwatch(op), style.name);
            action->setObjectName(style.name);
            action->setCheckable(true);
            action->setChecked(op == found->op);
            connect(action, &QAction::triggered, this, [this, node, op] { Q_EMIT opRequested(node, op); });
        }
        menu->addSeparator();
        QAction* remove = menu->addAction(tr("Remove Node %1").arg(node));
        remove->setObjectName(QStringLiteral("removeNode"));
        connect(remove, &QAction::triggered, this, [this, node] { Q_EMIT removeRequested(node); });
    }
    QAction* add = menu->addAction(tr("Add Node"));
    add->setObjectName(QStringLiteral("addNode"));
    connect(add, &QAction::triggered, this, &NlpScene::addRequested);
    return menu;
}

void NlpScene::contextMenuEvent(QGraphicsSceneContextMenuEvent* event)
{
    event->accept();
    const QString node = nodeAt(event->scenePos());
    selectNode(node);
    popUpMenu(node, event->screenPos());
}

void NlpScene::popUpMenu(const QString& node, const QPoint& screenPos)
{
    QMenu* menu = createMenu(node, views().isEmpty() ? nullptr : views().front());
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(screenPos);
}

void NlpScene::mouseDoubleClickEvent(QGraphicsSceneMouseEvent* event)
{
    const QString node = nodeAt(event->scenePos());
    if (node.isEmpty()) {
        QGraphicsScene::mouseDoubleClickEvent(event);
        return;
    }
    event->accept();
    selectNode(node);
    popUpMenu(node, event->screenPos());
}

void NlpScene::selectNeighbour(int step)
{
    // The selectable nodes in recipe order; with none selected, → starts at the first and ← at the last.
    QStringList order;
    for (const nlp::Node& node : m_nodes) {
        const QString name = QString::fromStdString(node.name);
        const QGraphicsItem* box = m_boxes.value(name);
        if (box && (box->flags() & QGraphicsItem::ItemIsSelectable) && !order.contains(name))
            order << name;
    }
    if (order.isEmpty())
        return;
    const auto at = order.indexOf(m_selected);
    const auto count = order.size();
    const auto next = at < 0 ? (step > 0 ? 0 : count - 1) : (at + step + count) % count;
    selectNode(order[next]);
}

void NlpScene::cycleOp(int step)
{
    const auto found = std::find_if(
        m_nodes.begin(), m_nodes.end(), [&](const nlp::Node& node) { return node.name == m_selected.toStdString(); });
    if (m_selected.isEmpty() || found == m_nodes.end())
        return;
    const int count = int(nlp::kAllOps.size());
    const int at = int(std::find(nlp::kAllOps.begin(), nlp::kAllOps.end(), found->op) - nlp::kAllOps.begin());
    // A copy: the edit rebuilds the scene while the signal is still being handled.
    const QString node = m_selected;
    Q_EMIT opRequested(node, nlp::kAllOps[(at + step + count) % count]);
}

void NlpScene::keyPressEvent(QKeyEvent* event)
{
    switch (event->key()) {
    case Qt::Key_Right:
        selectNeighbour(+1);
        break;
    case Qt::Key_Left:
        selectNeighbour(-1);
        break;
    case Qt::Key_Up:
    case Qt::Key_Space:
        cycleOp(+1);
        break;
    case Qt::Key_Down:
        cycleOp(-1);
        break;
    case Qt::Key_Return:
    case Qt::Key_Enter:
    case Qt::Key_Menu:
        if (!m_selected.isEmpty() && !views().isEmpty()) {
            QGraphicsView* view = views().front();
            const QPointF at = boxRect(m_selected).center();
            popUpMenu(m_selected, view->viewport()->mapToGlobal(view->mapFromScene(at)));
        }
        break;
    case Qt::Key_Delete:
    case Qt::Key_Backspace:
        if (!m_selected.isEmpty()) {
            // A copy: the removal rebuilds the scene and clears m_selected while the signal is still being handled.
            const QString node = m_selected;
            Q_EMIT removeRequested(node);
        }
        break;
    case Qt::Key_Escape:
        selectNode({});
        break;
    default:
        QGraphicsScene::keyPressEvent(event);
        return;
    }
    event->accept();
}

} // namespace epsinas::gui
