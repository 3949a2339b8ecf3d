// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace epsinas::nlp {

/** The language model of spec §3.3: PTB vocabulary, embedding width, hidden width (the last layer is tied). */
constexpr int kVocabularySize = 10000;
constexpr int kEmbeddingSize = 400;
constexpr int kHiddenSize = 600;
constexpr int kLayerCount = 3;
/** Time steps of the one input batch (bptt). */
constexpr int kSteps = 70;
/** Columns (and time steps) a token batch may have: far above the paper's 256, a bound on what is allocated. */
constexpr int kMaxTokenColumns = 1 << 16;

/** Hidden width of layer `layer`: 600, except the last, which is as wide as the tied embedding. */
constexpr int hiddenSize(int layer)
{
    return layer == kLayerCount - 1 ? kEmbeddingSize : kHiddenSize;
}
/** Input width of layer `layer`: the embedding for the first, the previous layer's hidden state otherwise. */
constexpr int inputSize(int layer)
{
    return layer == 0 ? kEmbeddingSize : hiddenSize(layer - 1);
}

/** A tokenised text: word ids by first appearance, and the words in id order. */
struct TokenStream {
    std::vector<std::int64_t> ids;
    std::vector<std::string> words;
};

/**
 * Tokenises text files as NAS-Bench-NLP does for PTB (spec §2): every line split on whitespace, then `<eos>`; ids by
 * first appearance over the files in the given order. Throws std::runtime_error for an unreadable file, a read
 * error, a file over 256 MiB or a line over 1 MiB.
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
    /** Synthetic: the golden batch of spec §7, tokens[t][b] = ((t * batch + b) * 7919) mod 10000. */
    Kind kind = Kind::Synthetic;
    /** PTB text files, tokenised together in this order. */
    std::vector<std::string> paths;
    int batch = 256;
    int steps = kSteps;

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
    /** Reads or generates the batch; throws std::runtime_error for unreadable files, too little text, or a
     * vocabulary larger than the model's 10,000 words. */
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

} // namespace epsinas::nlp
