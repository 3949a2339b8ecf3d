// SPDX-License-Identifier: MIT
#pragma once

// A fourth search space that core has never heard of, written only against the public seam (SearchSpace, Arch,
// Evaluator, the registry): a chain of element-wise ops applied to each input image's mean pixel. The tests of the
// pipeline (tests/core/tst_toyspace.cpp) and of the explorer's scoring service use it to show that a space needs no
// line of shared code. It needs no LibTorch: the evaluator is plain C++ and the score is core's score formula.

#include "io/inputfile.h"
#include "score/scoreformula.h"
#include "space/parseerror.h"
#include "space/searchspace.h"
#include "spaces/spaces.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace epsinas::toy {

/** The ops of a chain, in the order enumerate() counts them. */
enum class Op { Id, Relu, Neg, Tanh };

/** The ops' names, indexed by Op. */
inline const std::vector<std::string>& opNames()
{
    static const std::vector<std::string> names { "id", "relu", "neg", "tanh" };
    return names;
}

// The most ops parse() accepts: a bound on what hostile text makes us allocate and evaluate.
constexpr std::size_t kMaxChainLength = 8;
// enumerate() lists every chain of 1 to this many ops (4 + 16 + 64 = 84 chains).
constexpr std::size_t kEnumeratedLength = 3;
// Trainable parameters of one tanh op (a gain and a bias); the other ops have none.
constexpr std::int64_t kTanhParameters = 2;
// Architectures per evaluator call in a run: small, so that the tests see several chunks.
constexpr std::size_t kRunChunk = 4;

/** The value an Arch of the toy space holds: ops applied first to last. */
struct Chain {
    std::vector<Op> ops;
    friend bool operator==(const Chain& a, const Chain& b) { return a.ops == b.ops; }
};

/**
 * Scores chains on the input images: image b is reduced to its mean pixel x_b, the chain runs on w * x_b for each
 * of the two weights, and core's score formula turns the two output rows into the score. Records what it scored,
 * so that a test can tell which forms a run computed rather than read.
 */
class ToyEvaluator : public Evaluator {
public:
    ToyEvaluator(std::vector<double> imageMeans, const ScoreOptions& options)
        : m_imageMeans(std::move(imageMeans))
        , m_options(options)
    {
    }

    std::vector<ArchScore> score(const std::vector<Arch>& archs, const RunControl& control) override
    {
        std::vector<ArchScore> scores;
        scores.reserve(archs.size());
        for (const Arch& arch : archs) {
            if (control.cancelled())
                throw Cancelled();
            const Chain& chain = arch.value<Chain>();
            scores.push_back(
                finishScore(outputs(chain, m_options.weights.low), outputs(chain, m_options.weights.high), m_options));
            m_scored.push_back(arch.space().format(arch));
            if (control.progress)
                control.progress(scores.size(), archs.size());
        }
        return scores;
    }
    const ScoreOptions& options() const override { return m_options; }

    /** The text of every architecture scored so far, in order (a cancelled chunk's finished ones included). */
    const std::vector<std::string>& scored() const { return m_scored; }

private:
    std::vector<double> outputs(const Chain& chain, double weight) const
    {
        std::vector<double> row;
        row.reserve(m_imageMeans.size());
        for (double x : m_imageMeans) {
            double value = weight * x;
            for (Op op : chain.ops) {
                if (op == Op::Relu)
                    value = std::max(value, 0.0);
                else if (op == Op::Neg)
                    value = -value;
                else if (op == Op::Tanh)
                    value = std::tanh(value);
            }
            row.push_back(value);
        }
        return row;
    }

    std::vector<double> m_imageMeans;
    ScoreOptions m_options;
    std::vector<std::string> m_scored;
};

/**
 * The toy space: "relu,id,neg" is a chain of three ops; "id" ops compute nothing, so the canonical form drops them
 * ("relu,id" and "relu" share a function key; a chain of ids only is "id").
 */
class ToySpace : public SearchSpace {
public:
    std::string key() const override { return "toy"; }
    std::string name() const override { return "Toy chains"; }
    std::string unitName(bool plural) const override { return plural ? "chains" : "chain"; }
    WeightPair defaultWeights() const override { return { 1e-7, 1.0 }; }
    InputKind inputKind() const override { return InputKind::Images; }

    Arch parse(std::string_view text) const override
    {
        Chain chain;
        std::size_t begin = 0;
        while (true) {
            if (chain.ops.size() == kMaxChainLength)
                throw ParseError("a toy chain has at most " + std::to_string(kMaxChainLength) + " ops");
            const std::size_t comma = text.find(',', begin);
            const std::string_view name
                = text.substr(begin, comma == std::string_view::npos ? text.npos : comma - begin);
            const auto found = std::find(opNames().begin(), opNames().end(), name);
            if (found == opNames().end())
                throw ParseError("toy op " + std::to_string(chain.ops.size() + 1) + " '" + excerpt(name)
                    + "' is not one of id, relu, neg, tanh");
            chain.ops.push_back(static_cast<Op>(found - opNames().begin()));
            if (comma == std::string_view::npos)
                return Arch(*this, std::move(chain));
            begin = comma + 1;
        }
    }
    std::string format(const Arch& arch) const override
    {
        std::string text;
        for (Op op : arch.value<Chain>().ops)
            text += (text.empty() ? "" : ",") + opNames()[static_cast<std::size_t>(op)];
        return text;
    }
    std::vector<NamedArch> readFile(const std::string& path) const override
    {
        std::vector<NamedArch> chains;
        forEachListedLine(path, "chain file", [&](const std::string& line, std::size_t) {
            chains.push_back({ {}, parse(line) });
        });
        if (chains.empty())
            throw FileError("chain file '" + excerpt(path) + "' holds no chain");
        return chains;
    }
    std::string syntaxHelp() const override
    {
        return "  a chain of ops separated by commas, e.g. 'relu,id,neg' (ops: id, relu, neg, tanh; at most "
            + std::to_string(kMaxChainLength) + "); a chain file holds one per line\n";
    }

    Arch canonical(const Arch& arch) const override
    {
        Chain chain;
        for (Op op : arch.value<Chain>().ops)
            if (op != Op::Id)
                chain.ops.push_back(op);
        if (chain.ops.empty())
            chain.ops.push_back(Op::Id);
        return Arch(*this, std::move(chain));
    }

    std::vector<Arch> sample(std::size_t count, std::uint64_t seed) const override
    {
        std::mt19937_64 random(seed);
        std::uniform_int_distribution<std::size_t> length(1, kMaxChainLength);
        std::uniform_int_distribution<std::size_t> op(0, opNames().size() - 1);
        std::vector<Arch> archs;
        archs.reserve(count);
        for (std::size_t i = 0; i < count; ++i) {
            Chain chain;
            chain.ops.resize(length(random));
            for (Op& each : chain.ops)
                each = static_cast<Op>(op(random));
            archs.emplace_back(*this, std::move(chain));
        }
        return archs;
    }
    std::optional<std::vector<Arch>> enumerate() const override
    {
        std::vector<Arch> all;
        std::vector<Chain> shorter { Chain {} };
        for (std::size_t length = 1; length <= kEnumeratedLength; ++length) {
            std::vector<Chain> longer;
            for (const Chain& prefix : shorter) {
                for (std::size_t op = 0; op < opNames().size(); ++op) {
                    Chain chain = prefix;
                    chain.ops.push_back(static_cast<Op>(op));
                    all.emplace_back(*this, chain);
                    longer.push_back(std::move(chain));
                }
            }
            shorter = std::move(longer);
        }
        return all;
    }

    std::int64_t parameterCount(const Arch& arch) const override
    {
        const std::vector<Op>& ops = arch.value<Chain>().ops;
        return kTanhParameters * std::count(ops.begin(), ops.end(), Op::Tanh);
    }

    std::unique_ptr<Evaluator> makeEvaluator(const ScoringInput& input, const ScoreOptions& options) const override
    {
        if (input.kind != InputKind::Images || !input.images)
            throw std::runtime_error("the toy space reads images");
        if (options.device != Device::Cpu)
            throw std::runtime_error("the toy space runs on the CPU only");
        const std::vector<float> pixels = input.images->values();
        const std::size_t images = static_cast<std::size_t>(input.images->batchSize());
        const std::size_t perImage = pixels.size() / images;
        std::vector<double> means(images, 0.0);
        for (std::size_t i = 0; i < pixels.size(); ++i)
            means[i / perImage] += pixels[i] / static_cast<double>(perImage);
        return std::make_unique<ToyEvaluator>(std::move(means), options);
    }
    std::size_t runChunk(const ScoreOptions& /*options*/) const override { return kRunChunk; }

    std::vector<std::string> csvColumns() const override
    {
        return { "arch", "length", "score", "mae", "mean", "params", "nan_reason" };
    }
    /** Its statistics are the NB201 reference's: a pair counts unless score or target is NaN. */
    StatisticsReference statisticsReference() const override { return { key(), name(), ScoreRule::NanOut, false }; }
    std::string csvField(const std::string& column, const NamedArch& named) const override
    {
        return column == "length" ? std::to_string(named.arch.value<Chain>().ops.size()) : std::string();
    }
};

/** The one toy space of the process; like the built-in spaces it lives as long as the process. */
inline const ToySpace& space()
{
    static const ToySpace toy;
    return toy;
}

/** Adds the toy space to the process-wide registry unless it is there already; call before threads read it. */
inline void registerSpace()
{
    if (!spaceRegistry().find(space().key()))
        spaceRegistry().add(space());
}

} // namespace epsinas::toy
