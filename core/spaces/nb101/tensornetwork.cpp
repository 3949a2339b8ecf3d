// SPDX-License-Identifier: MIT
// The batched tensor form of the collapsed NB101 network (see fast.cpp for the algorithm, algorithm §4.1). A feature
// map between cells is a few (map, channel count) groups; here group g of every spec lives in slot g, a [K, B, S, S]
// tensor, with a per-spec channel count that is 0 where the spec has no such group (its map is then exactly 0). A
// spec's interior vertex t is slot t too, so edges, ops and channel counts become per-spec masks and scales.
//
// Order of operations: every sum starts from an exact 0 and adds, under a per-spec mask, the terms the loops add in
// the loops' order (0 + a == a, and a masked-out term is not added at all), so each spec sees the same additions.
// The spec structure is known on the host before the pass: masks and scales are built once per chunk and the pass
// itself never waits for the device.
#include "spaces/nb101/detail/tensornetwork.h"

#include "score/detail/devicecopy.h"

#include <algorithm>
#include <array>

namespace epsinas::detail {

namespace {

constexpr double kBatchNormEps = 1e-5;
// Slots 1..5: the interior vertices of a 7-vertex spec (slot 0, the input, is not a map of the cell).
constexpr int kSlots = nb101::kMaxVertices - 1;
// The output vertex's slot in the edge masks.
constexpr int kOutputSlot = nb101::kMaxVertices - 1;

/** Per spec of a chunk, what the cell structure says, as device tensors; the same for every cell of the network. */
struct ChunkStructure {
    // edge[s][t]: [K, 1, 1, 1] bool, spec has the edge s -> t (t = kOutputSlot: to its output vertex).
    std::array<std::array<torch::Tensor, nb101::kMaxVertices>, nb101::kMaxVertices> edge;
    // The specs whose vertex t carries each op, as indices into the chunk (undefined when there are none).
    std::array<torch::Tensor, kSlots> conv3x3, conv1x1, maxPool;
    std::array<bool, nb101::kMaxVertices> anyInto {}; // some spec has an edge s -> t, for any s (slot t is used)
    std::array<std::array<bool, nb101::kMaxVertices>, nb101::kMaxVertices> anyEdge {};
    torch::Tensor noOutputVertex; // [K, 1, 1, 1]: the bare input -> output spec
    int interiorSlots = 0; // the most interior vertices of any spec
};

/** Maps spec vertex v (of `count` vertices) to its slot: interior vertices keep their index, the output is apart. */
int slotOf(int v, int count)
{
    return v == count - 1 ? kOutputSlot : v;
}

ChunkStructure structureOf(const std::vector<nb101::Spec>& specs, torch::Device device)
{
    const std::int64_t count = static_cast<std::int64_t>(specs.size());
    ChunkStructure structure;
    std::vector<std::array<std::array<bool, nb101::kMaxVertices>, nb101::kMaxVertices>> edges(specs.size());
    std::array<std::vector<std::int64_t>, kSlots> conv3x3, conv1x1, maxPool;
    std::vector<bool> noOutputVertex(specs.size());
    for (std::size_t k = 0; k < specs.size(); ++k) {
        const nb101::Spec& spec = specs[k];
        const int vertices = spec.vertexCount();
        structure.interiorSlots = std::max(structure.interiorSlots, vertices - 2);
        bool feedsOutput = false;
        for (int s = 0; s < vertices; ++s)
            for (int t = s + 1; t < vertices; ++t)
                if (spec.hasEdge(s, t)) {
                    edges[k][slotOf(s, vertices)][slotOf(t, vertices)] = true;
                    feedsOutput = feedsOutput || (t == vertices - 1 && s > 0);
                }
        noOutputVertex[k] = !feedsOutput;
        for (int t = 1; t + 1 < vertices; ++t) {
            const auto position = static_cast<std::int64_t>(k);
            switch (spec.op(t)) {
            case nb101::Op::Conv3x3:
                conv3x3[t - 1].push_back(position);
                break;
            case nb101::Op::Conv1x1:
                conv1x1[t - 1].push_back(position);
                break;
            case nb101::Op::MaxPool3x3:
                maxPool[t - 1].push_back(position);
                break;
            default:
                throw std::logic_error("an interior NB101 vertex holds input or output");
            }
        }
    }
    const auto mask = [&](const std::vector<bool>& values) {
        std::vector<std::uint8_t> bytes(values.begin(), values.end());
        return toDevice(torch::tensor(bytes, torch::kBool).view({ count, 1, 1, 1 }), device);
    };
    for (int s = 0; s < nb101::kMaxVertices; ++s) {
        for (int t = 0; t < nb101::kMaxVertices; ++t) {
            std::vector<bool> values(specs.size());
            for (std::size_t k = 0; k < specs.size(); ++k)
                values[k] = edges[k][s][t];
            structure.anyEdge[s][t] = std::find(values.begin(), values.end(), true) != values.end();
            structure.anyInto[t] = structure.anyInto[t] || structure.anyEdge[s][t];
            if (structure.anyEdge[s][t])
                structure.edge[s][t] = mask(values);
        }
    }
    structure.noOutputVertex = mask(noOutputVertex);
    const auto indices = [&](const std::vector<std::int64_t>& positions) {
        return positions.empty() ? torch::Tensor() : toDevice(torch::tensor(positions, torch::kInt64), device);
    };
    for (int slot = 0; slot < kSlots; ++slot) {
        structure.conv3x3[slot] = indices(conv3x3[slot]);
        structure.conv1x1[slot] = indices(conv1x1[slot]);
        structure.maxPool[slot] = indices(maxPool[slot]);
    }
    return structure;
}

/** A feature map between cells: slot g's maps and each spec's channel count in that group (0: no such group). */
struct Groups {
    std::array<torch::Tensor, kSlots + 1> maps; // index 1..kSlots; undefined where no spec has the group
    std::vector<std::array<int, kSlots + 1>> channels; // per spec
};

class Pass {
public:
    Pass(const std::vector<nb101::Spec>& specs, const ChunkStructure& structure, double w, torch::TensorOptions options)
        : m_specs(specs)
        , m_structure(structure)
        , m_w(w)
        , m_options(options)
    {
    }

    /** [K] scales w * channels, rounded to the evaluation precision on the host as the loops round them. */
    torch::Tensor scales(const std::vector<int>& channels) const
    {
        std::vector<double> values(channels.size());
        for (std::size_t k = 0; k < channels.size(); ++k)
            values[k] = m_options.dtype() == torch::kFloat32
                ? static_cast<double>(static_cast<float>(m_w * channels[k]))
                : m_w * channels[k];
        const torch::Tensor host = torch::tensor(values, torch::kFloat64).to(m_options.dtype().toScalarType());
        return toDevice(host, m_options.device()).view({ static_cast<std::int64_t>(channels.size()), 1, 1, 1 });
    }

    /** BN with batch statistics per spec (gamma = w, beta = 0), then ReLU: the loops' batchNormRelu. */
    torch::Tensor batchNormRelu(const torch::Tensor& x) const
    {
        const torch::Tensor values = x.to(torch::kFloat64);
        const double n = static_cast<double>(x[0].numel());
        const torch::Tensor mean = values.sum({ 1, 2, 3 }, /*keepdim=*/true).div(n);
        const torch::Tensor squares = values.sub(mean).square().sum({ 1, 2, 3 }, /*keepdim=*/true);
        const torch::Tensor invStd = squares.div(n).add(kBatchNormEps).sqrt().reciprocal();
        const torch::Tensor alpha = invStd.mul(m_w).to(x.scalar_type());
        const torch::Tensor beta = mean.neg().mul(invStd).mul(m_w).to(x.scalar_type());
        return x.mul(alpha).add(beta).clamp_min(0);
    }

    /** 3x3 window sums with zero padding, rows first, then columns of row sums, as the loops add them. */
    static torch::Tensor boxSum(const torch::Tensor& x)
    {
        const std::int64_t s = x.size(2);
        const torch::Tensor padded = torch::constant_pad_nd(x, { 1, 1, 1, 1 });
        const torch::Tensor rows
            = padded.narrow(3, 0, s).add(padded.narrow(3, 1, s)).add(padded.narrow(3, 2, s)); // [K, B, S+2, S]
        return rows.narrow(2, 0, s).add(rows.narrow(2, 1, s)).add(rows.narrow(2, 2, s));
    }

    /** ConvBnRelu(1x1) of a grouped input, the groups summed in slot order weighted by w * channels. */
    torch::Tensor projection(const Groups& x) const
    {
        torch::Tensor sum;
        for (int g = 1; g <= kSlots; ++g) {
            if (!x.maps[g].defined())
                continue;
            std::vector<int> channels(m_specs.size());
            for (std::size_t k = 0; k < m_specs.size(); ++k)
                channels[k] = x.channels[k][g];
            const torch::Tensor term = x.maps[g].mul(scales(channels));
            sum = sum.defined() ? sum.add(term) : term;
        }
        return batchNormRelu(sum);
    }

    Groups cell(const Groups& input, int in, int out) const
    {
        std::vector<std::vector<int>> vertexChannels(m_specs.size());
        for (std::size_t k = 0; k < m_specs.size(); ++k)
            vertexChannels[k] = m_specs[k].vertexChannels(in, out);
        const torch::Tensor projected = projection(input);
        const torch::Tensor zero = torch::zeros_like(projected);
        std::array<torch::Tensor, kSlots + 1> vertices;
        for (int t = 1; t <= m_structure.interiorSlots; ++t) {
            if (!m_structure.anyInto[t])
                continue;
            // The loops' order: interior sources by index, then the input projection.
            torch::Tensor sum = zero;
            for (int source = 1; source < t; ++source)
                if (m_structure.anyEdge[source][t] && vertices[source].defined())
                    sum = torch::where(m_structure.edge[source][t], sum.add(vertices[source]), sum);
            if (m_structure.anyEdge[0][t])
                sum = torch::where(m_structure.edge[0][t], sum.add(projected), sum);
            std::vector<int> channels(m_specs.size());
            for (std::size_t k = 0; k < m_specs.size(); ++k)
                channels[k] = t + 1 < m_specs[k].vertexCount() ? vertexChannels[k][t] : 0;
            const torch::Tensor scale = scales(channels);
            torch::Tensor vertex = torch::zeros_like(sum);
            if (const torch::Tensor& k = m_structure.conv3x3[t - 1]; k.defined())
                vertex.index_copy_(0, k, batchNormRelu(boxSum(sum.index_select(0, k)).mul(scale.index_select(0, k))));
            if (const torch::Tensor& k = m_structure.conv1x1[t - 1]; k.defined())
                vertex.index_copy_(0, k, batchNormRelu(sum.index_select(0, k).mul(scale.index_select(0, k))));
            if (const torch::Tensor& k = m_structure.maxPool[t - 1]; k.defined())
                vertex.index_copy_(0, k, torch::max_pool2d(sum.index_select(0, k), 3, 1, 1));
            vertices[t] = vertex;
        }
        Groups output;
        output.channels.assign(m_specs.size(), {});
        const bool anyInputToOutput = m_structure.anyEdge[0][kOutputSlot];
        for (int t = 1; t <= m_structure.interiorSlots; ++t) {
            if (!m_structure.anyEdge[t][kOutputSlot] || !vertices[t].defined())
                continue;
            // The projection to C_out is added to every channel of the concatenation.
            torch::Tensor group = vertices[t];
            if (anyInputToOutput)
                group = torch::where(m_structure.edge[0][kOutputSlot], group.add(projected), group);
            output.maps[t] = torch::where(m_structure.edge[t][kOutputSlot], group, zero);
            for (std::size_t k = 0; k < m_specs.size(); ++k)
                if (t + 1 < m_specs[k].vertexCount() && m_specs[k].hasEdge(t, m_specs[k].vertexCount() - 1))
                    output.channels[k][t] = vertexChannels[k][t];
        }
        // A spec without interior vertices: the cell is its input projection, one group of `out` channels.
        bool anyBare = false;
        for (std::size_t k = 0; k < m_specs.size(); ++k) {
            if (m_specs[k].vertexCount() == 2) {
                output.channels[k][1] = out;
                anyBare = true;
            }
        }
        if (anyBare) {
            const torch::Tensor first = output.maps[1].defined() ? output.maps[1] : zero;
            output.maps[1] = torch::where(m_structure.noOutputVertex, projected, first);
        }
        return output;
    }

    /** Mean over H, W per group, then Linear(out -> 1) with weight w, in double as the loops add them. */
    torch::Tensor head(const Groups& x) const
    {
        torch::Tensor sum;
        for (int g = 1; g <= kSlots; ++g) {
            if (!x.maps[g].defined())
                continue;
            const double area = static_cast<double>(x.maps[g].size(2) * x.maps[g].size(3));
            const torch::Tensor means
                = x.maps[g].to(torch::kFloat64).sum({ 2, 3 }).div(area).to(x.maps[g].scalar_type()).to(torch::kFloat64);
            std::vector<double> channels(m_specs.size());
            for (std::size_t k = 0; k < m_specs.size(); ++k)
                channels[k] = x.channels[k][g];
            const torch::Tensor term = means.mul(
                toDevice(torch::tensor(channels, torch::kFloat64), means.device()).view({ means.size(0), 1 }));
            sum = sum.defined() ? sum.add(term) : term;
        }
        return sum.mul(m_w).to(m_options.dtype().toScalarType());
    }

private:
    const std::vector<nb101::Spec>& m_specs;
    const ChunkStructure& m_structure;
    double m_w;
    torch::TensorOptions m_options;
};

} // namespace

Nb101TensorNetwork::Nb101TensorNetwork(torch::Tensor stem, double w)
    : m_stem(std::move(stem))
    , m_w(w)
{
}

torch::Tensor Nb101TensorNetwork::forward(const std::vector<nb101::Spec>& specs) const
{
    const std::int64_t count = static_cast<std::int64_t>(specs.size());
    const ChunkStructure structure = structureOf(specs, m_stem.device());
    const Pass pass(specs, structure, m_w, m_stem.options());
    Groups x;
    x.maps[1] = m_stem.unsqueeze(0).expand({ count, m_stem.size(0), m_stem.size(1), m_stem.size(2) });
    x.channels.assign(specs.size(), {});
    for (auto& channels : x.channels)
        channels[1] = nb101::kStemChannels;
    int in = nb101::kStemChannels, out = nb101::kStemChannels;
    for (int stack = 0; stack < nb101::kStacks; ++stack) {
        if (stack > 0) {
            for (torch::Tensor& maps : x.maps)
                if (maps.defined())
                    maps = torch::max_pool2d(maps, 2, 2);
            out *= 2;
        }
        for (int i = 0; i < nb101::kCellsPerStack; ++i) {
            x = pass.cell(x, in, out);
            in = out;
        }
    }
    return pass.head(x);
}

} // namespace epsinas::detail
