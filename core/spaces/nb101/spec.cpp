// SPDX-License-Identifier: MIT
#include "spaces/nb101/spec.h"
#include "io/inputfile.h"
#include "spaces/nb101/md5.h"

#include <algorithm>
#include <stdexcept>
#include <unordered_set>

namespace epsinas::nb101 {

namespace {

constexpr std::array<Op, 5> kAllOps { Op::Conv3x3, Op::Conv1x1, Op::MaxPool3x3, Op::Input, Op::Output };
constexpr std::array<Op, 3> kInteriorOps { Op::Conv3x3, Op::Conv1x1, Op::MaxPool3x3 };
// Bytes of a part of a spec (an op name, the adjacency) a message quotes.
constexpr std::size_t kPartQuoteLimit = 60;

std::string_view trimmed(std::string_view text)
{
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos)
        return {};
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

/** Vertices reachable from `start` along the edges (or against them when `backwards`), as a bit mask. */
std::uint32_t reachable(const Spec& spec, int start, bool backwards)
{
    std::uint32_t seen = 1u << start;
    for (bool grew = true; grew;) {
        grew = false;
        for (int from = 0; from < spec.vertexCount(); ++from) {
            for (int to = 0; to < spec.vertexCount(); ++to) {
                const int known = backwards ? to : from;
                const int other = backwards ? from : to;
                if (spec.hasEdge(from, to) && (seen >> known & 1u) && !(seen >> other & 1u)) {
                    seen |= 1u << other;
                    grew = true;
                }
            }
        }
    }
    return seen;
}

int hashLabel(Op op)
{
    switch (op) {
    case Op::Input:
        return -1;
    case Op::Output:
        return -2;
    default:
        return static_cast<int>(op); // the interior ops are numbered as in the benchmark's op list
    }
}

/** SplitMix64: a tiny generator whose sequence is fixed by its definition, so samples match across platforms. */
class SampleGenerator {
public:
    explicit SampleGenerator(std::uint64_t seed)
        : m_state(seed)
    {
    }
    std::uint64_t next()
    {
        std::uint64_t z = (m_state += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }

private:
    std::uint64_t m_state;
};

} // namespace

std::string_view opName(Op op)
{
    switch (op) {
    case Op::Conv3x3:
        return "conv3x3-bn-relu";
    case Op::Conv1x1:
        return "conv1x1-bn-relu";
    case Op::MaxPool3x3:
        return "maxpool3x3";
    case Op::Input:
        return "input";
    case Op::Output:
        return "output";
    }
    return "?";
}

Op parseOp(std::string_view name)
{
    for (Op op : kAllOps)
        if (opName(op) == name)
            return op;
    throw ParseError("unknown NB101 op '" + excerpt(name, kPartQuoteLimit)
        + "' (expected input, conv3x3-bn-relu, conv1x1-bn-relu, maxpool3x3 or output)");
}

Spec::Spec(const std::vector<std::vector<bool>>& adjacency, const std::vector<Op>& ops)
{
    const int vertices = static_cast<int>(ops.size());
    if (vertices < 2 || vertices > kMaxVertices)
        throw ParseError(std::to_string(vertices) + " vertices: an NB101 cell has 2 to " + std::to_string(kMaxVertices)
            + " (input, up to 5 interior vertices, output)");
    if (adjacency.size() != ops.size())
        throw ParseError("the adjacency has " + std::to_string(adjacency.size()) + " rows but there are "
            + std::to_string(vertices) + " ops: sizes must match");
    m_vertices = vertices;
    for (int i = 0; i < vertices; ++i) {
        if (adjacency[i].size() != ops.size())
            throw ParseError("adjacency row " + std::to_string(i) + " has " + std::to_string(adjacency[i].size())
                + " entries but there are " + std::to_string(vertices) + " ops: sizes must match");
        for (int j = 0; j < vertices; ++j)
            if (adjacency[i][j])
                m_successors[i] |= static_cast<std::uint8_t>(1u << j);
        m_ops[i] = ops[i];
    }
}

Spec Spec::fromColumns(std::string_view adjacency, std::string_view opsText)
{
    adjacency = trimmed(adjacency);
    opsText = trimmed(opsText);
    std::vector<Op> ops;
    for (std::size_t begin = 0;;) {
        const std::size_t end = opsText.find('|', begin);
        ops.push_back(parseOp(trimmed(opsText.substr(begin, end == std::string_view::npos ? end : end - begin))));
        if (end == std::string_view::npos)
            break;
        begin = end + 1;
    }
    const std::size_t n = ops.size();
    if (adjacency.size() != n * n)
        throw ParseError("the adjacency '" + excerpt(adjacency, kPartQuoteLimit) + "' has "
            + std::to_string(adjacency.size()) + " entries but " + std::to_string(n) + " ops need "
            + std::to_string(n * n) + " (" + std::to_string(n) + "x" + std::to_string(n)
            + ", row-major): sizes must match");
    std::vector<std::vector<bool>> matrix(n, std::vector<bool>(n));
    for (std::size_t k = 0; k < adjacency.size(); ++k) {
        if (adjacency[k] != '0' && adjacency[k] != '1')
            throw ParseError("the adjacency may hold only 0 and 1, found '" + excerpt(adjacency.substr(k, 1))
                + "' at position " + std::to_string(k));
        matrix[k / n][k % n] = adjacency[k] == '1';
    }
    const Spec spec(matrix, ops);
    spec.validate();
    return spec;
}

Spec Spec::parse(std::string_view text)
{
    const std::string_view body = trimmed(text);
    const std::size_t colon = body.find(':');
    if (colon == std::string_view::npos)
        throw ParseError("'" + excerpt(body)
            + "' is not an NB101 spec: expected ADJ:OPS, e.g. 0110000011000010000100000:input|conv3x3-bn-relu|"
              "maxpool3x3|conv1x1-bn-relu|output");
    return fromColumns(body.substr(0, colon), body.substr(colon + 1));
}

std::string Spec::adjacencyString() const
{
    std::string text;
    for (int i = 0; i < m_vertices; ++i)
        for (int j = 0; j < m_vertices; ++j)
            text += hasEdge(i, j) ? '1' : '0';
    return text;
}

std::string Spec::opsString() const
{
    std::string text;
    for (int i = 0; i < m_vertices; ++i) {
        if (i > 0)
            text += '|';
        text += opName(m_ops[i]);
    }
    return text;
}

std::string Spec::toString() const
{
    return adjacencyString() + ":" + opsString();
}

int Spec::edgeCount() const
{
    int count = 0;
    for (int i = 0; i < m_vertices; ++i)
        for (int j = 0; j < m_vertices; ++j)
            count += hasEdge(i, j) ? 1 : 0;
    return count;
}

std::string Spec::problem() const
{
    if (m_vertices < 2)
        return "an NB101 cell needs at least the input and the output vertex";
    for (int i = 0; i < m_vertices; ++i)
        for (int j = 0; j <= i; ++j)
            if (hasEdge(i, j))
                return "edge " + std::to_string(i) + " -> " + std::to_string(j)
                    + " does not go forward: the adjacency must be upper triangular (edges only to later vertices)";
    if (m_ops[0] != Op::Input)
        return "vertex 0 is '" + std::string(opName(m_ops[0])) + "': the first vertex must be 'input'";
    const int last = m_vertices - 1;
    if (m_ops[last] != Op::Output)
        return "vertex " + std::to_string(last) + " is '" + std::string(opName(m_ops[last]))
            + "': the last vertex must be 'output'";
    for (int v = 1; v < last; ++v)
        if (m_ops[v] == Op::Input || m_ops[v] == Op::Output)
            return "vertex " + std::to_string(v) + " is '" + std::string(opName(m_ops[v]))
                + "': interior vertices must be conv3x3-bn-relu, conv1x1-bn-relu or maxpool3x3";
    if (!(liveVertices() >> last & 1u))
        return "no path from the input (vertex 0) to the output (vertex " + std::to_string(last) + ")";
    const int liveEdges = pruned().edgeCount();
    if (liveEdges > kMaxEdges) {
        const int allEdges = edgeCount();
        return std::to_string(liveEdges) + " edges"
            + (allEdges != liveEdges ? " on input-output paths (" + std::to_string(allEdges) + " in all)" : "")
            + ": at most " + std::to_string(kMaxEdges) + " are allowed";
    }
    return {};
}

void Spec::validate() const
{
    const std::string message = problem();
    if (!message.empty())
        throw ParseError(message);
}

std::uint32_t Spec::liveVertices() const
{
    if (m_vertices == 0)
        return 0;
    return reachable(*this, 0, false) & reachable(*this, m_vertices - 1, true);
}

Spec Spec::pruned() const
{
    if (m_vertices == 0)
        return *this;
    const std::uint32_t live = liveVertices();
    const int last = m_vertices - 1;
    std::vector<int> kept;
    if (live >> last & 1u) {
        for (int v = 0; v < m_vertices; ++v)
            if (live >> v & 1u)
                kept.push_back(v);
    } else {
        kept = { 0, last };
    }
    const std::size_t n = kept.size();
    std::vector<std::vector<bool>> matrix(n, std::vector<bool>(n));
    std::vector<Op> ops(n);
    for (std::size_t i = 0; i < n; ++i) {
        ops[i] = m_ops[kept[i]];
        for (std::size_t j = 0; j < n; ++j)
            matrix[i][j] = (live >> kept[i] & 1u) && (live >> kept[j] & 1u) && hasEdge(kept[i], kept[j]);
    }
    return Spec(matrix, ops);
}

std::string Spec::hash() const
{
    validate();
    const Spec spec = pruned();
    const int n = spec.vertexCount();
    std::vector<std::string> hashes(n);
    for (int v = 0; v < n; ++v) {
        int in = 0, out = 0;
        for (int u = 0; u < n; ++u) {
            in += spec.hasEdge(u, v) ? 1 : 0;
            out += spec.hasEdge(v, u) ? 1 : 0;
        }
        // Python's str() of the tuple (out_degree, in_degree, label).
        hashes[v] = md5Hex(
            "(" + std::to_string(out) + ", " + std::to_string(in) + ", " + std::to_string(hashLabel(spec.op(v))) + ")");
    }
    for (int round = 0; round < n; ++round) {
        std::vector<std::string> next(n);
        for (int v = 0; v < n; ++v) {
            std::vector<std::string> in, out;
            for (int u = 0; u < n; ++u) {
                if (spec.hasEdge(u, v))
                    in.push_back(hashes[u]);
                if (spec.hasEdge(v, u))
                    out.push_back(hashes[u]);
            }
            std::sort(in.begin(), in.end());
            std::sort(out.begin(), out.end());
            std::string text;
            for (const std::string& h : in)
                text += h;
            text += '|';
            for (const std::string& h : out)
                text += h;
            text += '|';
            text += hashes[v];
            next[v] = md5Hex(text);
        }
        hashes = std::move(next);
    }
    std::sort(hashes.begin(), hashes.end());
    // Python's str() of a list of strings.
    std::string list = "[";
    for (int v = 0; v < n; ++v)
        list += (v > 0 ? ", '" : "'") + hashes[v] + "'";
    list += "]";
    return md5Hex(list);
}

std::vector<int> Spec::vertexChannels(int inChannels, int outChannels) const
{
    const Spec spec = pruned();
    const int n = spec.vertexCount();
    const int last = n - 1;
    std::vector<int> channels(n, 0);
    channels[0] = inChannels;
    channels[last] = outChannels;
    if (n == 2)
        return channels;
    int feeding = 0;
    for (int v = 1; v < last; ++v)
        feeding += spec.hasEdge(v, last) ? 1 : 0;
    // Pruned and valid: the last interior vertex of every input-output path feeds the output, so feeding > 0.
    if (feeding == 0)
        throw ParseError("no interior vertex feeds the output: " + spec.problem());
    int remainder = outChannels % feeding;
    for (int v = 1; v < last; ++v) {
        if (spec.hasEdge(v, last)) {
            channels[v] = outChannels / feeding + (remainder > 0 ? 1 : 0);
            remainder -= remainder > 0 ? 1 : 0;
        }
    }
    for (int v = last - 1; v >= 1; --v)
        if (!spec.hasEdge(v, last))
            for (int to = v + 1; to < last; ++to)
                if (spec.hasEdge(v, to))
                    channels[v] = std::max(channels[v], channels[to]);
    return channels;
}

std::int64_t Spec::parameterCount(int classes) const
{
    validate();
    const Spec spec = pruned();
    const int last = spec.vertexCount() - 1;
    // Conv without bias plus BN gamma and beta.
    auto convBnRelu
        = [](std::int64_t in, std::int64_t out, std::int64_t kernel) { return in * out * kernel * kernel + 2 * out; };
    std::int64_t count = convBnRelu(3, kStemChannels, 3);
    int in = kStemChannels, out = kStemChannels;
    for (int stack = 0; stack < kStacks; ++stack) {
        if (stack > 0)
            out *= 2;
        for (int cell = 0; cell < kCellsPerStack; ++cell) {
            const std::vector<int> channels = spec.vertexChannels(in, out);
            for (int v = 1; v < last; ++v) {
                if (spec.hasEdge(0, v))
                    count += convBnRelu(in, channels[v], 1);
                if (spec.op(v) == Op::Conv3x3)
                    count += convBnRelu(channels[v], channels[v], 3);
                else if (spec.op(v) == Op::Conv1x1)
                    count += convBnRelu(channels[v], channels[v], 1);
            }
            if (spec.hasEdge(0, last))
                count += convBnRelu(in, out, 1);
            in = out;
        }
    }
    return count + static_cast<std::int64_t>(out) * classes + classes;
}

std::int64_t Spec::flops(int classes) const
{
    validate();
    const Spec spec = pruned();
    const int last = spec.vertexCount() - 1;
    std::int64_t side = 32; // the map's side: halved by the max-pool before stacks 2 and 3
    std::int64_t count = side * side * 3 * kStemChannels * 9;
    int in = kStemChannels, out = kStemChannels;
    for (int stack = 0; stack < kStacks; ++stack) {
        if (stack > 0) {
            out *= 2;
            side /= 2;
        }
        const std::int64_t pixels = side * side;
        for (int cell = 0; cell < kCellsPerStack; ++cell) {
            const std::vector<int> channels = spec.vertexChannels(in, out);
            for (int v = 1; v < last; ++v) {
                const std::int64_t width = channels[v];
                if (spec.hasEdge(0, v))
                    count += pixels * in * width;
                if (spec.op(v) == Op::Conv3x3)
                    count += pixels * width * width * 9;
                else if (spec.op(v) == Op::Conv1x1)
                    count += pixels * width * width;
            }
            if (spec.hasEdge(0, last))
                count += pixels * in * out;
            in = out;
        }
    }
    return count + static_cast<std::int64_t>(out) * classes;
}

std::vector<Spec> randomSpecs(std::size_t count, std::uint64_t seed)
{
    if (count > static_cast<std::size_t>(kSpecCount))
        throw std::invalid_argument("cannot draw " + std::to_string(count) + " distinct NB101 specs: the space has "
            + std::to_string(kSpecCount));
    SampleGenerator generator(seed);
    std::vector<Spec> specs;
    std::unordered_set<std::string> seen;
    std::vector<std::vector<bool>> matrix(kMaxVertices, std::vector<bool>(kMaxVertices));
    std::vector<Op> ops(kMaxVertices);
    ops.front() = Op::Input;
    ops.back() = Op::Output;
    while (specs.size() < count) {
        const std::uint64_t bits = generator.next();
        int bit = 0;
        for (int i = 0; i < kMaxVertices; ++i)
            for (int j = 0; j < kMaxVertices; ++j)
                matrix[i][j] = j > i && (bits >> bit++ & 1u);
        for (int v = 1; v < kMaxVertices - 1; ++v)
            ops[v] = kInteriorOps[generator.next() % kInteriorOps.size()];
        const Spec spec(matrix, ops);
        if (!spec.isValid())
            continue;
        if (seen.insert(spec.hash()).second)
            specs.push_back(spec.pruned());
    }
    return specs;
}

} // namespace epsinas::nb101
