// SPDX-License-Identifier: MIT
#include "spaces/nb101/space.h"

#include "io/inputfile.h"
#include "spaces/nb101/detail/internal.h"
#include "spaces/nb101/mutation.h"
#include "stats/benchmarktable.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace epsinas {

namespace detail {

std::vector<ArchScore> Nb101EvaluatorBase::scoreValues(const std::vector<nb101::Spec>& specs, const RunControl& control)
{
    // Both evaluators build the pruned spec; checking here gives one error for a bad spec before any work.
    std::vector<nb101::Spec> pruned;
    pruned.reserve(specs.size());
    for (const nb101::Spec& spec : specs) {
        spec.validate();
        pruned.push_back(spec.pruned());
    }
    return ImageEvaluatorFrame::scoreValues(pruned, control);
}

std::optional<SignalFlow> Nb101EvaluatorBase::traceValue(const nb101::Spec& spec)
{
    spec.validate();
    return tracePruned(spec.pruned());
}

std::string nb101CellLayer(int cellNumber)
{
    return "cell " + std::to_string(cellNumber);
}

std::string nb101DownsampleLayer(int downsampleNumber)
{
    return "downsample " + std::to_string(downsampleNumber);
}

} // namespace detail

namespace nb101 {

namespace {

// Specs per evaluator call and store transaction in long runs: seconds of the fast path on the CPU.
constexpr std::size_t kRunChunk = 64;
// The most specs sample() draws: drawing distinct hashes slows down sharply beyond (50,000 take half a minute).
constexpr std::size_t kMaxSample = 10000;

std::string trimmed(const std::string& text)
{
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string::npos)
        return {};
    return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

std::vector<std::string> splitCommas(const std::string& line)
{
    std::vector<std::string> fields;
    std::stringstream stream(line);
    for (std::string field; std::getline(stream, field, ',');)
        fields.push_back(trimmed(field));
    return fields;
}

class Nb101Space final : public SearchSpace {
public:
    std::string key() const override { return "nb101"; }
    std::string name() const override { return "NAS-Bench-101"; }
    std::string unitName(bool plural) const override { return plural ? "cells" : "cell"; }
    WeightPair defaultWeights() const override { return kDefaultWeights; }
    InputKind inputKind() const override { return InputKind::Images; }

    Arch parse(std::string_view text) const override { return toArch(Spec::parse(text)); }
    std::string format(const Arch& arch) const override { return specOf(arch).toString(); }
    /** One ADJ:OPS per line, or a CSV whose header has 'adjacency' and 'ops' columns (nb101_specs_1000.csv). */
    std::vector<NamedArch> readFile(const std::string& path) const override
    {
        std::vector<NamedArch> specs;
        int adjacencyColumn = -1, opsColumn = -1;
        forEachListedLine(path, "arch file", [&](const std::string& line, std::size_t number) {
            if (number == 1 && line.find("adjacency") != std::string::npos) {
                const std::vector<std::string> header = splitCommas(line);
                for (std::size_t c = 0; c < header.size(); ++c) {
                    adjacencyColumn = header[c] == "adjacency" ? int(c) : adjacencyColumn;
                    opsColumn = header[c] == "ops" ? int(c) : opsColumn;
                }
                if (adjacencyColumn < 0 || opsColumn < 0)
                    throw std::invalid_argument("a CSV arch file needs columns named 'adjacency' and 'ops'");
                return;
            }
            if (adjacencyColumn < 0) {
                specs.push_back({ {}, toArch(Spec::parse(line)) });
                return;
            }
            const std::vector<std::string> fields = splitCommas(line);
            if (int(fields.size()) <= std::max(adjacencyColumn, opsColumn))
                throw std::invalid_argument("too few fields");
            specs.push_back({ {}, toArch(Spec::fromColumns(fields[adjacencyColumn], fields[opsColumn])) });
        });
        if (specs.empty())
            throw FileError("arch file '" + excerpt(path) + "' holds no cell");
        return specs;
    }
    /** A small cell with every interior op. */
    Arch startArch() const override
    {
        return toArch(Spec::parse("0110000011000010000100000:input|conv3x3-bn-relu|maxpool3x3|conv1x1-bn-relu|output"));
    }
    std::string syntaxHelp() const override
    {
        return "  an NB101 cell as ADJ:OPS: the V*V adjacency row-major as 0/1, then the ops joined by '|', e.g.\n"
               "  '0110000011000010000100000:input|conv3x3-bn-relu|maxpool3x3|conv1x1-bn-relu|output'; an arch file\n"
               "  holds one ADJ:OPS per line ('#' comments and blank lines ignored), or is a CSV whose header has\n"
               "  'adjacency' and 'ops' columns (e.g. nb101_specs_1000.csv)\n";
    }
    std::string usageNotes() const override
    {
        return "Cells are evaluated in their pruned form; cells with the same pruned form are scored once.\n";
    }
    std::string problem(const Arch& arch) const override { return specOf(arch).problem(); }

    bool mutates() const override { return true; }
    std::vector<Arch> mutants(const Arch& arch) const override { return toArchs(oneStepMutants(specOf(arch))); }

    Arch canonical(const Arch& arch) const override { return toArch(specOf(arch).pruned()); }
    std::string identityKey(const Arch& arch) const override { return specOf(arch).pruned().toString(); }

    std::vector<Arch> sample(std::size_t count, std::uint64_t seed) const override
    {
        return toArchs(randomSpecs(count, seed));
    }
    std::size_t sampleLimit() const override { return kMaxSample; }

    std::int64_t parameterCount(const Arch& arch) const override { return specOf(arch).parameterCount(); }
    std::optional<std::int64_t> flops(const Arch& arch) const override { return specOf(arch).flops(); }

    std::unique_ptr<Evaluator> makeEvaluator(const ScoringInput& input, const ScoreOptions& options) const override
    {
        if (!input.images)
            throw std::invalid_argument("NAS-Bench-101 networks read images, not tokens");
        if (options.evaluator == EvaluatorKind::Reference)
            return detail::makeNb101ReferenceEvaluator(*input.images, options);
        return detail::makeNb101FastEvaluator(*input.images, options);
    }
    std::size_t runChunk(const ScoreOptions&) const override { return kRunChunk; }

    std::vector<std::string> csvColumns() const override
    {
        return { "arch", "score", "hash", "mae", "mean", "params", "flops", "nan_reason" };
    }
    std::string csvField(const std::string& column, const NamedArch& named) const override
    {
        return column == "hash" ? specOf(named.arch).hash() : std::string();
    }

    // Tables key cells by the benchmark's module hash; those with adjacency and ops columns hold the cells too.
    std::string tableKeyColumn() const override { return "hash"; }
    std::string tableKey(const NamedArch& named) const override { return specOf(named.arch).hash(); }
    std::vector<NamedArch> tableArchs(const std::string& path, const std::vector<std::string>& columns) const override
    {
        const auto has
            = [&](const char* name) { return std::find(columns.begin(), columns.end(), name) != columns.end(); };
        std::vector<NamedArch> specs;
        if (!has("adjacency") || !has("ops"))
            return specs;
        // BenchmarkTable reads one non-numeric column per load.
        const std::vector<std::string> adjacency = BenchmarkTable::load(path, "adjacency").archs();
        const std::vector<std::string> ops = BenchmarkTable::load(path, "ops").archs();
        for (std::size_t row = 0; row < adjacency.size() && row < ops.size(); ++row) {
            try {
                specs.push_back({ {}, toArch(Spec::fromColumns(adjacency[row], ops[row])) });
            } catch (const ParseError&) {
                // A row that is not a valid cell still has its targets; it just cannot be scored.
            }
        }
        return specs;
    }
    // Tables of NB101 have validation accuracies only; the one after the full 108 epochs is what the paper uses.
    std::vector<std::string> targetHints() const override { return { "108", "acc" }; }

    /**
     * NAS-Bench-101/epsinas_utils.py: a score <= 0 is dropped before anything else, whatever the NaN policy; no
     * maximize=False.
     */
    std::string syntheticInputEffect(const std::string& input) const override
    {
        // Measured with epsinas correlate over the 1,000 specs of the NB101 table (docs/algorithm.md, inputs).
        if (input == "grey")
            return "much worse than a CIFAR-10 batch (ρ ≈ 0.31 against 0.68 over the 1,000 table specs)";
        return {};
    }
    StatisticsReference statisticsReference() const override
    {
        return { key(), name(), ScoreRule::NonPositiveOut, false };
    }
};

} // namespace

const SearchSpace& space()
{
    static const Nb101Space instance;
    return instance;
}

Arch toArch(const Spec& spec)
{
    return Arch(space(), spec);
}

std::vector<Arch> toArchs(const std::vector<Spec>& specs)
{
    std::vector<Arch> archs;
    archs.reserve(specs.size());
    for (const Spec& spec : specs)
        archs.push_back(toArch(spec));
    return archs;
}

const Spec& specOf(const Arch& arch)
{
    return arch.value<Spec>();
}

} // namespace nb101

} // namespace epsinas
