// SPDX-License-Identifier: MIT
#pragma once

#include "space/parseerror.h"

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace epsinas {

namespace nb201 {

/** The five NAS-Bench-201 edge operations, in the order of the benchmark's op list. */
enum class Op : std::uint8_t { None, SkipConnect, Conv1x1, Conv3x3, AvgPool3x3 };

// Number of edges of a cell: node 1 has one input, node 2 two, node 3 three.
constexpr int kEdgeCount = 6;
// Number of distinct operations an edge can carry.
constexpr int kOpCount = 5;
// Number of cells in the space, kOpCount ^ kEdgeCount.
constexpr int kCellCount = 15625;

/** Edge e runs from node kEdgeSource[e] into node kEdgeTarget[e], in arch-string order. */
constexpr std::array<int, kEdgeCount> kEdgeSource { 0, 0, 1, 0, 1, 2 };
constexpr std::array<int, kEdgeCount> kEdgeTarget { 1, 2, 2, 3, 3, 3 };

/** The benchmark's spelling of an op, e.g. "nor_conv_3x3". */
std::string_view opName(Op op);
/** All ops in enumeration order. */
constexpr std::array<Op, kOpCount> kAllOps { Op::None, Op::SkipConnect, Op::Conv1x1, Op::Conv3x3, Op::AvgPool3x3 };

/**
 * One NAS-Bench-201 cell: the op on each of the six edges. A plain value; the index is the base-5 number whose
 * most significant digit is edge 0 (our enumeration order, not the NB201 API's uid).
 */
class Cell {
public:
    Cell() = default;
    explicit Cell(const std::array<Op, kEdgeCount>& ops)
        : m_ops(ops)
    {
    }

    /** Parses `|op~0|+|op~0|op~1|+|op~0|op~1|op~2|`; throws ParseError naming the offending part. */
    static Cell parse(std::string_view text);
    static Cell fromIndex(int index);

    std::string toString() const;
    int index() const;

    Op op(int edge) const { return m_ops[edge]; }
    void setOp(int edge, Op op) { m_ops[edge] = op; }
    const std::array<Op, kEdgeCount>& ops() const { return m_ops; }

    /**
     * The representative of all cells that compute the same function: edges whose result is zero or cannot
     * reach the output become `none` (a `none` edge adds an exact 0), and of the two numberings of nodes 1 and
     * 2 (interchangeable when no live edge joins them) the one with the smaller index is taken.
     */
    Cell canonical() const;
    int canonicalIndex() const { return canonical().index(); }

    /** Parameters of the network epsinas builds (C=16, N=5) with a head of `classes` outputs. */
    std::int64_t parameterCount(int classes = 1) const;
    /**
     * Multiply-accumulates of the conv and linear layers of the same network for one 32x32 image (SearchSpace::flops):
     * what BN, ReLU, pooling and sums cost is not counted.
     */
    std::int64_t flops(int classes = 1) const;

    /** True when some path from the cell input to its output uses only skip_connect/avg_pool_3x3 edges. */
    bool hasConvFreePath() const;

    friend bool operator==(const Cell& a, const Cell& b) { return a.m_ops == b.m_ops; }
    friend bool operator!=(const Cell& a, const Cell& b) { return !(a == b); }

private:
    std::array<Op, kEdgeCount> m_ops {};
};

/** All 15,625 cells in index order. */
std::vector<Cell> allCells();

} // namespace nb201
} // namespace epsinas
