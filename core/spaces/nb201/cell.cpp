// SPDX-License-Identifier: MIT
#include "spaces/nb201/cell.h"
#include "io/inputfile.h"

#include <algorithm>

namespace epsinas::nb201 {

namespace {

constexpr std::array<std::string_view, kOpCount> kOpNames { "none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3",
    "avg_pool_3x3" };

// Index of the first edge of node n (1..3) in arch-string order.
constexpr int firstEdgeOfNode(int node)
{
    return node * (node - 1) / 2;
}

std::string allOpNames()
{
    std::string names;
    for (auto name : kOpNames) {
        if (!names.empty())
            names += ", ";
        names += name;
    }
    return names;
}

// Bytes of a part of an arch string (an op, an edge) a message quotes, besides the string itself.
constexpr std::size_t kPartQuoteLimit = 40;

[[noreturn]] void fail(std::string_view text, std::size_t position, const std::string& what)
{
    throw ParseError(
        "invalid NB201 arch string '" + excerpt(text) + "' at character " + std::to_string(position + 1) + ": " + what);
}

// Parameters of one op inside a cell of width c (conv weights + BN gamma/beta).
std::int64_t opParameters(Op op, std::int64_t c)
{
    switch (op) {
    case Op::Conv3x3:
        return c * c * 9 + 2 * c;
    case Op::Conv1x1:
        return c * c + 2 * c;
    default:
        return 0;
    }
}

// ReLU-Conv-BN of a residual block branch, in -> out, 3x3.
std::int64_t convBnParameters(std::int64_t in, std::int64_t out)
{
    return in * out * 9 + 2 * out;
}

std::int64_t resnetBlockParameters(std::int64_t in, std::int64_t out)
{
    return convBnParameters(in, out) + convBnParameters(out, out) + in * out; // + 1x1 residual projection
}

} // namespace

std::string_view opName(Op op)
{
    return kOpNames[static_cast<int>(op)];
}

Cell Cell::parse(std::string_view text)
{
    std::array<Op, kEdgeCount> ops {};
    std::size_t nodeStart = 0;
    for (int node = 1; node <= 3; ++node) {
        const std::size_t plus = text.find('+', nodeStart);
        const std::size_t nodeEnd = node < 3 ? plus : text.size();
        if (node < 3 && plus == std::string_view::npos)
            fail(text, text.size() > 0 ? text.size() - 1 : 0,
                "expected 3 nodes separated by '+', found " + std::to_string(node));
        if (node == 3 && plus != std::string_view::npos)
            fail(text, plus, "expected 3 nodes separated by '+', found more");
        const std::string_view part = text.substr(nodeStart, nodeEnd - nodeStart);
        if (part.size() < 2 || part.front() != '|' || part.back() != '|')
            fail(text, nodeStart,
                "node " + std::to_string(node) + " must be written |op~0|...| (begin and end with '|')");

        int edgeInNode = 0;
        std::size_t tokenStart = nodeStart + 1;
        while (tokenStart < nodeEnd) {
            const std::size_t bar = text.find('|', tokenStart);
            const std::string_view token = text.substr(tokenStart, bar - tokenStart);
            if (edgeInNode >= node)
                fail(text, tokenStart,
                    "node " + std::to_string(node) + " must have exactly " + std::to_string(node)
                        + " edge(s), found more");
            const std::size_t tilde = token.find('~');
            if (tilde == std::string_view::npos)
                fail(text, tokenStart, "edge '" + excerpt(token, kPartQuoteLimit) + "' must be written op~k");
            const std::string_view name = token.substr(0, tilde);
            const auto found = std::find(kOpNames.begin(), kOpNames.end(), name);
            if (found == kOpNames.end())
                fail(text, tokenStart,
                    "unknown op '" + excerpt(name, kPartQuoteLimit) + "' (expected one of " + allOpNames() + ")");
            const std::string_view source = token.substr(tilde + 1);
            if (source != std::to_string(edgeInNode))
                fail(text, tokenStart + tilde,
                    "edge " + std::to_string(edgeInNode + 1) + " of node " + std::to_string(node) + " must read from ~"
                        + std::to_string(edgeInNode) + ", found ~" + excerpt(source, kPartQuoteLimit));
            ops[firstEdgeOfNode(node) + edgeInNode] = static_cast<Op>(found - kOpNames.begin());
            ++edgeInNode;
            tokenStart = bar + 1;
        }
        if (edgeInNode != node)
            fail(text, nodeStart,
                "node " + std::to_string(node) + " must have exactly " + std::to_string(node) + " edge(s), found "
                    + std::to_string(edgeInNode));
        nodeStart = nodeEnd + 1;
    }
    return Cell(ops);
}

Cell Cell::fromIndex(int index)
{
    if (index < 0 || index >= kCellCount)
        throw std::out_of_range(
            "NB201 cell index " + std::to_string(index) + " is outside 0.." + std::to_string(kCellCount - 1));
    std::array<Op, kEdgeCount> ops {};
    for (int edge = kEdgeCount - 1; edge >= 0; --edge) {
        ops[edge] = static_cast<Op>(index % kOpCount);
        index /= kOpCount;
    }
    return Cell(ops);
}

int Cell::index() const
{
    int index = 0;
    for (Op op : m_ops)
        index = index * kOpCount + static_cast<int>(op);
    return index;
}

std::string Cell::toString() const
{
    std::string text;
    for (int node = 1; node <= 3; ++node) {
        if (node > 1)
            text += '+';
        text += '|';
        for (int k = 0; k < node; ++k) {
            text += opName(m_ops[firstEdgeOfNode(node) + k]);
            text += '~';
            text += std::to_string(k);
            text += '|';
        }
    }
    return text;
}

Cell Cell::canonical() const
{
    std::array<Op, kEdgeCount> ops = m_ops;
    // Removing an edge can make another one dead, so iterate to a fixed point (at most a few rounds).
    for (bool changed = true; changed;) {
        changed = false;
        std::array<bool, 4> fromInput { true, false, false, false };
        for (int e = 0; e < kEdgeCount; ++e)
            if (ops[e] != Op::None && fromInput[kEdgeSource[e]])
                fromInput[kEdgeTarget[e]] = true;
        std::array<bool, 4> toOutput { false, false, false, true };
        for (int e = kEdgeCount - 1; e >= 0; --e)
            if (ops[e] != Op::None && toOutput[kEdgeTarget[e]])
                toOutput[kEdgeSource[e]] = true;
        for (int e = 0; e < kEdgeCount; ++e) {
            // A zero node stays zero through every op (BN of an all-zero map is 0), and a node that cannot reach
            // the output does not change it: either way the edge adds an exact 0.
            if (ops[e] != Op::None && (!fromInput[kEdgeSource[e]] || !toOutput[kEdgeTarget[e]])) {
                ops[e] = Op::None;
                changed = true;
            }
        }
    }
    Cell best(ops);
    if (ops[2] == Op::None) {
        // Nodes 1 and 2 are then interchangeable: swap their input edges (0, 1) and output edges (4, 5).
        Cell swapped({ ops[1], ops[0], ops[2], ops[3], ops[5], ops[4] });
        if (swapped.index() < best.index())
            best = swapped;
    }
    return best;
}

std::int64_t Cell::parameterCount(int classes) const
{
    constexpr std::int64_t kStemChannels = 16;
    constexpr int kCellsPerStage = 5;
    std::int64_t count = 3 * kStemChannels * 9 + 2 * kStemChannels; // stem conv + BN
    for (std::int64_t channels : { 16, 32, 64 })
        for (Op op : m_ops)
            count += kCellsPerStage * opParameters(op, channels);
    count += resnetBlockParameters(16, 32) + resnetBlockParameters(32, 64);
    count += 2 * 64; // lastact BN
    count += 64 * static_cast<std::int64_t>(classes) + classes; // linear head
    return count;
}

std::int64_t Cell::flops(int classes) const
{
    // Stage s (0, 1, 2) has 16 << s channels on a (32 >> s)^2 map: a conv costs the same in every stage.
    constexpr std::int64_t kStagePixels[] = { 32 * 32, 16 * 16, 8 * 8 };
    constexpr std::int64_t kStageChannels[] = { 16, 32, 64 };
    constexpr int kCellsPerStage = 5;
    std::int64_t count = kStagePixels[0] * 3 * 16 * 9; // stem conv
    for (int stage = 0; stage < 3; ++stage) {
        const std::int64_t pixels = kStagePixels[stage], channels = kStageChannels[stage];
        for (Op op : m_ops) {
            if (op == Op::Conv3x3)
                count += kCellsPerStage * pixels * channels * channels * 9;
            else if (op == Op::Conv1x1)
                count += kCellsPerStage * pixels * channels * channels;
        }
        if (stage > 0) {
            // The residual block into this stage: a strided 3x3 conv, a 3x3 conv and the 1x1 projection of the
            // pooled input, all on this stage's map.
            const std::int64_t in = kStageChannels[stage - 1];
            count += pixels * (in * channels * 9 + channels * channels * 9 + in * channels);
        }
    }
    return count + 64 * static_cast<std::int64_t>(classes); // linear head
}

bool Cell::hasConvFreePath() const
{
    std::array<bool, 4> reached { true, false, false, false };
    for (int e = 0; e < kEdgeCount; ++e)
        if ((m_ops[e] == Op::SkipConnect || m_ops[e] == Op::AvgPool3x3) && reached[kEdgeSource[e]])
            reached[kEdgeTarget[e]] = true;
    return reached[3];
}

std::vector<Cell> allCells()
{
    std::vector<Cell> cells;
    cells.reserve(kCellCount);
    for (int i = 0; i < kCellCount; ++i)
        cells.push_back(Cell::fromIndex(i));
    return cells;
}

} // namespace epsinas::nb201
