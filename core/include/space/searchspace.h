// SPDX-License-Identifier: MIT
#pragma once

#include "space/arch.h"
#include "space/evaluator.h"
#include "space/scoringinput.h"
#include "stats/statistics.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace epsinas {

/**
 * A search space as the shared code sees it: everything the pipeline, the store, the CLI, the scoring service and
 * the tables need to know about one space, and nothing they would have to switch on. One object per space lives in
 * the registry (core/spaces); its Arch values point back at it.
 *
 * Keys. Three strings identify an architecture, each for its own purpose:
 * - format(arch): the architecture as the user wrote it (an arch string, ADJ:OPS, recipe JSON);
 * - identityKey(arch): what makes two architectures one row of a table (e.g. two specs that prune alike);
 * - functionKey(arch) = format(canonical(arch)): what makes two architectures compute the same function; the one
 *   key scores are stored under, by the CLI and the explorer alike, and the form that is actually scored.
 */
class SearchSpace {
public:
    /** The sample parameterRange() draws by default. */
    static constexpr std::size_t kParameterRangeSample = 2000;

    virtual ~SearchSpace() = default;

    /** Short key: store run keys, settings, --space. E.g. "nb201". */
    virtual std::string key() const = 0;
    /** The benchmark's name, e.g. "NAS-Bench-201". */
    virtual std::string name() const = 0;
    /** What one architecture is called in counts, singular and plural: "cell"/"cells", "recipe"/"recipes". */
    virtual std::string unitName(bool plural) const = 0;

    /** The reference's constant weights for this space (algorithm §2). */
    virtual WeightPair defaultWeights() const = 0;
    /** What the networks read. */
    virtual InputKind inputKind() const = 0;

    /** Parses the space's text form; throws ParseError (std::invalid_argument) naming what is wrong. */
    virtual Arch parse(std::string_view text) const = 0;
    /** The text form parse() reads back. */
    virtual std::string format(const Arch& arch) const = 0;
    /**
     * Reads architectures from a file (the CLI's --arch-file): one per line, or the space's own file formats.
     * Throws std::runtime_error naming the file, the line and the problem.
     */
    virtual std::vector<NamedArch> readFile(const std::string& path) const = 0;
    /**
     * The architecture an explorer shows before the user picks one: a well-known, valid one. By default the first
     * example, else the first of sample(1, 0).
     */
    virtual Arch startArch() const;
    /** Examples with a name (e.g. the benchmark's rnn/lstm/gru), for --arch NAME and menus. */
    virtual std::vector<NamedArch> examples() const { return {}; }
    /**
     * How an architecture and a file of them (--arch, --arch-file) are written, for usage texts: lines starting with
     * two spaces.
     */
    virtual std::string syntaxHelp() const = 0;
    /** What else a user of this space should know, for the end of usage texts (lines ending in newlines). */
    virtual std::string usageNotes() const { return {}; }
    /**
     * The benchmark's own words for the command line's "arch" options, as (alias, option) pairs: a benchmark that
     * calls its architectures recipes offers --recipe and --recipe-file.
     */
    virtual std::vector<std::pair<std::string, std::string>> optionAliases() const { return {}; }
    /** Why the architecture cannot be scored (e.g. a graph without an input -> output path); empty if it can. */
    virtual std::string problem(const Arch& /*arch*/) const { return {}; }
    /**
     * Whether the network's output can depend on its input at all, as the architecture's structure tells: false for
     * a scorable architecture without an input -> output path (e.g. an NB201 cell whose every route is cut by a
     * `none` edge), whose output is then 0 at every weight and whose score is NaN; nullopt where the space does not
     * say. Explains NaN scores in words.
     */
    virtual std::optional<bool> hasInputOutputPath(const Arch& /*arch*/) const { return std::nullopt; }
    /**
     * How a synthetic input (`input` is "grey" or "noise" for images, "synthetic" for tokens) ranks this space's
     * architectures against a real batch, measured, as the end of "it ranks …" (e.g. "much worse than a CIFAR-10
     * batch (ρ ≈ 0.31 against 0.68 …)"); empty where it was not measured.
     */
    virtual std::string syntheticInputEffect(const std::string& /*input*/) const { return {}; }
    /** Whether mutants() mutates this space's architectures; ageing evolution needs it. */
    virtual bool mutates() const { return false; }
    /**
     * The architectures one mutation away from `arch` (ageing evolution's step, e.g. one edge's op changed), each
     * one the space can hold; empty where the space has no mutation.
     */
    virtual std::vector<Arch> mutants(const Arch& /*arch*/) const { return {}; }

    /** The representative of every architecture that computes the same function: the form that is scored. */
    virtual Arch canonical(const Arch& arch) const { return arch; }
    /** format(canonical(arch)): the store key. */
    std::string functionKey(const Arch& arch) const { return format(canonical(arch)); }
    /** What makes two architectures one row; by default their text. */
    virtual std::string identityKey(const Arch& arch) const { return format(arch); }
    /**
     * The join key of a benchmark table's field (trimmed) that names one of the space's architectures, so that two
     * spellings of one meet; nullopt for a field that names none. By default none: every field is its own key.
     */
    virtual std::optional<std::string> tableFieldKey(std::string_view /*field*/) const { return std::nullopt; }

    /** `count` architectures drawn with the space's own sampler from `seed`; deterministic, not always distinct. */
    virtual std::vector<Arch> sample(std::size_t count, std::uint64_t seed) const = 0;
    /** The most architectures one sample() call draws (for some spaces the cost grows faster than the count). */
    virtual std::size_t sampleLimit() const { return 1000000; }
    /** Every architecture in the space's order, where the space is small enough to list; nothing otherwise. */
    virtual std::optional<std::vector<Arch>> enumerate() const { return std::nullopt; }

    /** Trainable parameters of the network the benchmark trains around this architecture. */
    virtual std::int64_t parameterCount(const Arch& arch) const = 0;
    /**
     * Multiply-accumulates of the conv and linear layers of the network parameterCount() counts (the same head), for
     * one input: one 32x32 image for the image spaces, one token step of the recurrent cells and the decoder for
     * NAS-Bench-NLP. BN, activations, pooling and element-wise sums are not counted (docs/flops.md compares this with
     * NAS-Bench-Suite-Zero's counts). nullopt where the space does not say.
     */
    virtual std::optional<std::int64_t> flops(const Arch& /*arch*/) const { return std::nullopt; }

    /** Throws std::runtime_error when the options cannot be honoured (e.g. CUDA requested but absent). */
    virtual std::unique_ptr<Evaluator> makeEvaluator(const ScoringInput& input, const ScoreOptions& options) const = 0;
    /**
     * Architectures per evaluator call and per store transaction in a long run: an interrupted run loses at most one
     * chunk, so it is sized to take seconds.
     */
    virtual std::size_t runChunk(const ScoreOptions& options) const = 0;

    /**
     * Whether a table row names its architecture by an id rather than by its text (e.g. a recepie_id column: a
     * recipe's JSON is too long to key a table with). The CLI's arch column then holds ids, and architectures
     * without one get one ("sample-3").
     */
    virtual bool labelsRowsById() const { return false; }

    /**
     * The CSV columns of `epsinas score`, in order. The pipeline fills arch (the id, or the text when there is
     * none), score, mae, mean, params, flops (empty where flops() is nullopt) and
     * nan_reason; csvField() fills the space's own columns.
     */
    virtual std::vector<std::string> csvColumns() const = 0;
    /** The value of one of the space's own CSV columns for `named`. */
    virtual std::string csvField(const std::string& /*column*/, const NamedArch& /*named*/) const { return {}; }

    /**
     * The statistics of the space's reference folder (algorithm §1.6), for epsinas correlate and the explorer: which
     * scores its compute_stats counts, whether it ranks a lower-is-better target, and the names reports give it (key()
     * and name()).
     */
    virtual StatisticsReference statisticsReference() const = 0;

    /**
     * Benchmark tables, which the explorer plots scores against. The column that joins a table's rows to
     * architectures; empty: the column of architecture texts, which BenchmarkTable finds by name or content.
     */
    virtual std::string tableKeyColumn() const { return {}; }
    /** The value of tableKeyColumn() that names `named` in the space's tables; by default its text. */
    virtual std::string tableKey(const NamedArch& named) const { return format(named.arch); }
    /**
     * The column of a table that holds the benchmark's own id of each row, for exports: the join key itself unless
     * the benchmark numbers its architectures in an order that cannot be derived from them.
     */
    virtual std::string tableIdColumn() const { return tableKeyColumn(); }
    /**
     * The architectures a table at `path`, with the header `columns`, names, where they can be read (from its
     * columns or a file beside it), so that they can be scored: random samples rarely hit a table's rows. Throws
     * std::runtime_error when a file that is there cannot be read.
     */
    virtual std::vector<NamedArch> tableArchs(
        const std::string& /*path*/, const std::vector<std::string>& /*columns*/) const
    {
        return {};
    }
    /** Parts of a column name that mark the target a user most likely wants, most wanted first. */
    virtual std::vector<std::string> targetHints() const { return { "test", "acc" }; }

    /**
     * The smallest and largest parameter count of the space: the ends of a colour scale that never moves. By
     * default over enumerate(), or where the space cannot be listed over a fixed sample (seed 1) of
     * kParameterRangeSample architectures, which spans nearly all of it. Each call computes it; cache it.
     */
    virtual std::pair<std::int64_t, std::int64_t> parameterRange() const;
    /** The position of `arch` in enumerate() (a table's natural order); -1 where the space is not enumerated. */
    virtual std::int64_t enumerationIndex(const Arch& /*arch*/) const { return -1; }
};

} // namespace epsinas
