// SPDX-License-Identifier: MIT
#pragma once

#include "space/parseerror.h"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace epsinas::nb101 {

/** The labels of NAS-Bench-101 vertices; the three interior ops in the benchmark's order (hash labels 0, 1, 2). */
enum class Op : std::uint8_t { Conv3x3, Conv1x1, MaxPool3x3, Input, Output };

// Limits of the NB101 space (nasbench config: module_vertices, max_edges).
constexpr int kMaxVertices = 7;
constexpr int kMaxEdges = 9;
// Distinct architectures (hashes) of the space.
constexpr int kSpecCount = 423624;
// The network epsinas builds: stem width, stacks, cells per stack.
constexpr int kStemChannels = 128;
constexpr int kStacks = 3;
constexpr int kCellsPerStack = 3;

/** The benchmark's spelling, e.g. "conv3x3-bn-relu". */
std::string_view opName(Op op);
/** The op spelled `name`; throws ParseError listing the known names otherwise. */
Op parseOp(std::string_view name);

/**
 * One NAS-Bench-101 cell: a DAG over 2..7 vertices given by its adjacency (edge i -> j) and one op per vertex. A
 * plain value that may be invalid (an editor holds such states); problem() says which rule fails.
 *
 * Text form `ADJ:OPS`: ADJ is the V*V adjacency written row-major as `0`/`1` (row = source vertex), OPS the V ops
 * joined by `|`, e.g. `0110000011000010000100000:input|conv3x3-bn-relu|maxpool3x3|conv1x1-bn-relu|output`.
 */
class Spec {
public:
    Spec() = default;
    /**
     * `adjacency[i][j]` = edge i -> j. Throws ParseError when the sizes do not match (V ops, V x V adjacency) or V is
     * not 2..7, which a Spec cannot represent; every other rule is reported by problem().
     */
    Spec(const std::vector<std::vector<bool>>& adjacency, const std::vector<Op>& ops);

    /**
     * Parses `ADJ:OPS` (surrounding blanks ignored) and checks every rule; throws ParseError naming the part or the
     * rule that is wrong.
     */
    static Spec parse(std::string_view text);
    /** Parses the two columns of the NB101 tables (adjacency string, ops joined by `|`); same checks as parse(). */
    static Spec fromColumns(std::string_view adjacency, std::string_view ops);

    std::string toString() const;
    /** The adjacency column of the NB101 tables: V*V `0`/`1` characters. */
    std::string adjacencyString() const;
    /** The ops column of the NB101 tables: op names joined by `|`. */
    std::string opsString() const;

    int vertexCount() const { return m_vertices; }
    Op op(int vertex) const { return m_ops[vertex]; }
    bool hasEdge(int from, int to) const { return (m_successors[from] >> to) & 1u; }
    int edgeCount() const;

    /** Empty when the spec is a valid NB101 cell; otherwise the first broken rule, in words. */
    std::string problem() const;
    bool isValid() const { return problem().empty(); }
    /** Throws ParseError(problem()) for an invalid spec. */
    void validate() const;

    /** Vertices that lie on some input -> output path, as a bit mask; the others are pruned. */
    std::uint32_t liveVertices() const;
    /**
     * The spec NB101 evaluates: vertices not on an input -> output path removed, the others kept in order. The
     * result of an unconnected spec is the bare input -> output pair without the edge (so it is still invalid).
     */
    Spec pruned() const;

    /** The NAS-Bench-101 module hash of the pruned spec (32 hex digits); throws ParseError for an invalid spec. */
    std::string hash() const;

    /**
     * Output channels of each vertex of the pruned spec in a cell of `inChannels` -> `outChannels`, by the rules
     * of the NB101 network (algorithm §3.2): the output's channels are split among the vertices feeding it, the others
     * take the largest of their successors'.
     */
    std::vector<int> vertexChannels(int inChannels, int outChannels) const;

    /** Trainable parameters of the network epsinas builds (stem 128, 3x3 cells, 1-class head) for the pruned spec. */
    std::int64_t parameterCount(int classes = 1) const;
    /**
     * Multiply-accumulates of the conv and linear layers of the same network for one 32x32 image (SearchSpace::flops):
     * the stem, every projection and vertex conv, the head; BN, ReLU, pooling and sums are not counted.
     */
    std::int64_t flops(int classes = 1) const;

    friend bool operator==(const Spec& a, const Spec& b)
    {
        return a.m_vertices == b.m_vertices && a.m_successors == b.m_successors && a.m_ops == b.m_ops;
    }
    friend bool operator!=(const Spec& a, const Spec& b) { return !(a == b); }

private:
    int m_vertices = 0;
    std::array<std::uint8_t, kMaxVertices> m_successors {}; // bit j of row i = edge i -> j
    std::array<Op, kMaxVertices> m_ops {};
};

/**
 * `count` valid specs with distinct hashes, drawn as NB101's own sampler does: a random 7-vertex
 * upper-triangular adjacency (each edge with probability 1/2) and random interior ops, redrawn until valid, then
 * pruned. The draw depends on `seed` only (a fixed 64-bit generator, no platform distributions).
 * Throws std::invalid_argument when `count` exceeds the size of the space.
 */
std::vector<Spec> randomSpecs(std::size_t count, std::uint64_t seed);

} // namespace epsinas::nb101
