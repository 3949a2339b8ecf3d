// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace epsinas {

/** Time steps of the one token batch by default: the bptt of NAS-Bench-NLP's training. */
constexpr int kDefaultTokenSteps = 70;
/** Word ids a token batch may use by default: PTB's vocabulary. */
constexpr int kDefaultVocabulary = 10000;
/** Largest number of columns or time steps of a token batch. */
constexpr int kMaxTokenColumns = 1 << 16;

/** A tokenised text: word ids by first appearance, and the words in id order. */
struct TokenStream {
    std::vector<std::int64_t> ids;
    std::vector<std::string> words;
};

/**
 * Tokenises text files as NAS-Bench-NLP does for PTB (algorithm §2): every line split on whitespace, then `<eos>`;
 * ids by first appearance over the files in the given order. Throws std::runtime_error for an unreadable file, a
 * read error, a file over 256 MiB or a line over 1 MiB.
 */
TokenStream tokenize(const std::vector<std::string>& paths);

/**
 * The first `steps` rows of `ids` batchified into `batch` columns, time-major: x[t][b] = ids[b * rows + t] with
 * rows = ids.size() / batch. Throws std::runtime_error when there are fewer than `steps` rows.
 */
std::vector<std::int64_t> batchify(const std::vector<std::int64_t>& ids, int batch, int steps);

/** Where the one token batch comes from. */
struct TokenSpec {
    enum class Kind { Synthetic, Ptb };
    /** Synthetic: the golden token batch (algorithm §2, §7), tokens[t][b] = ((t * batch + b) * 7919) mod 10000. */
    Kind kind = Kind::Synthetic;
    /** PTB text files, tokenised together in this order. */
    std::vector<std::string> paths;
    int batch = 256;
    int steps = kDefaultTokenSteps;
    /** Word ids the model embeds: the synthetic batch stays below it, and a text with more distinct words is refused.
     */
    int vocabulary = kDefaultVocabulary;

    /** Parses synthetic | ptb:FILE[,FILE...]; throws std::invalid_argument. */
    static TokenSpec parse(const std::string& text);
    std::string toString() const;
};

/**
 * The loaded token batch, [steps, batch] time-major, shared read-only by evaluators. Its fingerprint names the
 * source, shape and a hash of the ids, so stored scores are only reused for the same input.
 */
class TokenBatch {
public:
    /** Reads or generates the batch; throws std::runtime_error for unreadable files, too little text, or more
     * distinct words than spec.vocabulary. */
    static TokenBatch load(const TokenSpec& spec);

    const TokenSpec& spec() const { return m_spec; }
    int steps() const { return m_spec.steps; }
    int batchSize() const { return m_spec.batch; }
    /** Token ids, steps × batch, row = time step. */
    const std::vector<std::int64_t>& tokens() const { return *m_tokens; }
    /** Distinct words of the tokenised text (0 for the synthetic batch). */
    std::size_t vocabularyUsed() const { return m_vocabularyUsed; }
    const std::string& fingerprint() const { return m_fingerprint; }

private:
    TokenSpec m_spec;
    std::shared_ptr<const std::vector<std::int64_t>> m_tokens;
    std::size_t m_vocabularyUsed = 0;
    std::string m_fingerprint;
};

} // namespace epsinas
