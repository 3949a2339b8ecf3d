// SPDX-License-Identifier: MIT
#include "spaces/nb201/space.h"

#include "io/inputfile.h"
#include "spaces/nb201/detail/internal.h"
#include "spaces/nb201/mutation.h"

#include <random>
#include <stdexcept>

namespace epsinas::nb201 {

namespace {

// Cells handed to the evaluator and written to the store at once by long runs: a second or two of the fast path on
// the CPU, a large batched pass on a GPU.
constexpr std::size_t kCpuRunChunk = 256;
constexpr std::size_t kCudaRunChunk = 2048;

class Nb201Space final : public SearchSpace {
public:
    std::string key() const override { return "nb201"; }
    std::string name() const override { return "NAS-Bench-201"; }
    std::string unitName(bool plural) const override { return plural ? "cells" : "cell"; }
    WeightPair defaultWeights() const override { return kDefaultWeights; }
    InputKind inputKind() const override { return InputKind::Images; }

    Arch parse(std::string_view text) const override { return toArch(Cell::parse(text)); }
    std::string format(const Arch& arch) const override { return cellOf(arch).toString(); }
    std::vector<NamedArch> readFile(const std::string& path) const override
    {
        std::vector<NamedArch> cells;
        forEachListedLine(path, "arch file", [&cells](const std::string& line, std::size_t) {
            cells.push_back({ {}, toArch(Cell::parse(line)) });
        });
        if (cells.empty())
            throw FileError("arch file '" + excerpt(path) + "' holds no cell");
        return cells;
    }
    /** The best-known ResNet-like cell. */
    Arch startArch() const override
    {
        return toArch(Cell::parse(
            "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|"));
    }
    std::string syntaxHelp() const override
    {
        return "  an NB201 cell: the op of each edge into nodes 1, 2, 3, e.g.\n"
               "  '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|'\n"
               "  (ops: none, skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3); an arch file holds one cell "
               "per\n"
               "  line ('#' comments and blank lines ignored)\n";
    }

    std::string usageNotes() const override
    {
        return "Each canonical form (isomorphic cells, dead edges; 8,765 for the 15,625 cells) is scored once.\n";
    }

    Arch canonical(const Arch& arch) const override { return toArch(cellOf(arch).canonical()); }
    std::optional<bool> hasInputOutputPath(const Arch& arch) const override
    {
        // The canonical form turns every edge that cannot reach the output into `none`: no path leaves none else.
        return cellOf(arch).canonical() != Cell();
    }
    std::optional<std::string> tableFieldKey(std::string_view field) const override
    {
        // Cheap rejection first: a failed parse throws, far too slow to try on every number of a table.
        if (field.empty() || field.front() != '|')
            return std::nullopt;
        try {
            return Cell::parse(field).toString();
        } catch (const ParseError&) {
            return std::nullopt;
        }
    }

    /**
     * Drawn with replacement: a std::mt19937 seeded through std::seed_seq with the 32-bit seed, each draw scaled to
     * the index range by a multiply and a 32-bit shift (the same draws as Qt's QRandomGenerator(seed).bounded()).
     */
    std::vector<Arch> sample(std::size_t count, std::uint64_t seed) const override
    {
        std::seed_seq sequence { static_cast<std::uint32_t>(seed) };
        std::mt19937 engine(sequence);
        std::vector<Arch> cells;
        cells.reserve(count);
        for (std::size_t i = 0; i < count; ++i) {
            const std::uint64_t scaled = static_cast<std::uint64_t>(engine()) * kCellCount;
            cells.push_back(toArch(Cell::fromIndex(static_cast<int>(scaled >> 32))));
        }
        return cells;
    }
    std::optional<std::vector<Arch>> enumerate() const override { return toArchs(allCells()); }

    std::int64_t parameterCount(const Arch& arch) const override { return cellOf(arch).parameterCount(); }
    std::optional<std::int64_t> flops(const Arch& arch) const override { return cellOf(arch).flops(); }

    std::unique_ptr<Evaluator> makeEvaluator(const ScoringInput& input, const ScoreOptions& options) const override
    {
        if (!input.images)
            throw std::invalid_argument("NAS-Bench-201 networks read images, not tokens");
        if (options.evaluator == EvaluatorKind::Reference)
            return detail::makeNb201ReferenceEvaluator(*input.images, options);
        return detail::makeNb201FastEvaluator(*input.images, options);
    }
    std::size_t runChunk(const ScoreOptions& options) const override
    {
        return options.device == Device::Cuda ? kCudaRunChunk : kCpuRunChunk;
    }

    std::vector<std::string> csvColumns() const override
    {
        return { "arch", "score", "mae", "mean", "params", "flops", "canonical", "nan_reason" };
    }
    std::string csvField(const std::string& column, const NamedArch& named) const override
    {
        return column == "canonical" ? cellOf(named.arch).canonical().toString() : std::string();
    }

    // Tables name cells by their arch string; their official order is not the enumeration's (algorithm §3.1).
    std::string tableIdColumn() const override { return "arch_index"; }
    std::int64_t enumerationIndex(const Arch& arch) const override { return cellOf(arch).index(); }

    /** NAS-Bench-201/epsinas_utils.py: a pair counts unless score or target is NaN; no maximize=False. */
    StatisticsReference statisticsReference() const override { return { key(), name(), ScoreRule::NanOut, false }; }
    bool mutates() const override { return true; }
    std::vector<Arch> mutants(const Arch& arch) const override
    {
        std::vector<Arch> mutants;
        for (const Cell& mutant : oneEdgeMutants(cellOf(arch)))
            mutants.push_back(toArch(mutant));
        return mutants;
    }
    std::string syntheticInputEffect(const std::string& input) const override
    {
        // The paper's input ablation over 5,000 cells against CIFAR-10 test accuracy (docs/algorithm.md, inputs).
        if (input == "grey")
            return "about as well as CIFAR-10 images (ρ 0.87 for both; within the top 10 %, 0.44 against 0.59)";
        if (input == "noise")
            return "much worse than CIFAR-10 images (ρ 0.54 against 0.87 in the paper)";
        return {};
    }
};

} // namespace

const SearchSpace& space()
{
    static const Nb201Space instance;
    return instance;
}

Arch toArch(const Cell& cell)
{
    return Arch(space(), cell);
}

std::vector<Arch> toArchs(const std::vector<Cell>& cells)
{
    std::vector<Arch> archs;
    archs.reserve(cells.size());
    for (const Cell& cell : cells)
        archs.push_back(toArch(cell));
    return archs;
}

const Cell& cellOf(const Arch& arch)
{
    return arch.value<Cell>();
}

} // namespace epsinas::nb201
