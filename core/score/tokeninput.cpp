// SPDX-License-Identifier: MIT
#include "score/tokeninput.h"

#include "io/inputfile.h"

#include <cstdio>
#include <sstream>
#include <stdexcept>
#include <unordered_map>

namespace epsinas {

namespace {

// The multiplier of the synthetic batch: a prime, so consecutive positions land far apart in the vocabulary.
constexpr std::int64_t kSyntheticStride = 7919;
constexpr const char* kEndOfSentence = "<eos>";
// Bounds on a text file: PTB's training text has 5 MiB in lines of at most a few hundred bytes.
constexpr std::uint64_t kMaxTextFileBytes = 256ull << 20;
constexpr std::size_t kMaxTextLineBytes = 1 << 20;

std::uint64_t fnv1a(const std::vector<std::int64_t>& values)
{
    std::uint64_t hash = 1469598103934665603ull;
    for (std::int64_t value : values) {
        for (int byte = 0; byte < 8; ++byte) {
            hash ^= static_cast<std::uint64_t>(value >> (8 * byte)) & 0xff;
            hash *= 1099511628211ull;
        }
    }
    return hash;
}

} // namespace

TokenStream tokenize(const std::vector<std::string>& paths)
{
    TokenStream stream;
    std::unordered_map<std::string, std::int64_t> idOf;
    auto add = [&](const std::string& word) {
        const auto [entry, added] = idOf.emplace(word, static_cast<std::int64_t>(stream.words.size()));
        if (added)
            stream.words.push_back(word);
        stream.ids.push_back(entry->second);
    };
    for (const std::string& path : paths) {
        InputFile file(path, "text file", kMaxTextFileBytes);
        for (std::string line; file.readLine(line, kMaxTextLineBytes);) {
            std::istringstream words(line);
            std::string word;
            while (words >> word)
                add(word);
            add(kEndOfSentence);
        }
    }
    return stream;
}

std::vector<std::int64_t> batchify(const std::vector<std::int64_t>& ids, int batch, int steps)
{
    if (batch < 1 || steps < 1)
        throw std::invalid_argument("batch and steps must be positive");
    const std::size_t rows = ids.size() / static_cast<std::size_t>(batch);
    if (rows < static_cast<std::size_t>(steps))
        throw std::runtime_error("the text has " + std::to_string(ids.size()) + " tokens: " + std::to_string(rows)
            + " rows at batch " + std::to_string(batch) + ", fewer than the " + std::to_string(steps) + " time steps");
    std::vector<std::int64_t> tokens(static_cast<std::size_t>(steps) * batch);
    for (int t = 0; t < steps; ++t)
        for (int b = 0; b < batch; ++b)
            tokens[static_cast<std::size_t>(t) * batch + b] = ids[b * rows + t];
    return tokens;
}

TokenSpec TokenSpec::parse(const std::string& text)
{
    TokenSpec spec;
    if (text == "synthetic")
        return spec;
    const std::string prefix = "ptb:";
    if (text.rfind(prefix, 0) != 0 || text.size() == prefix.size())
        throw std::invalid_argument(
            "unknown NLP input '" + excerpt(text) + "' (expected synthetic or ptb:FILE[,FILE...])");
    spec.kind = Kind::Ptb;
    std::string::size_type begin = prefix.size();
    for (;;) {
        const auto end = text.find(',', begin);
        const std::string path = text.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
        if (path.empty())
            throw std::invalid_argument("empty file name in '" + excerpt(text) + "'");
        spec.paths.push_back(path);
        if (end == std::string::npos)
            break;
        begin = end + 1;
    }
    return spec;
}

std::string TokenSpec::toString() const
{
    if (kind == Kind::Synthetic)
        return "synthetic";
    std::string text = "ptb:";
    for (std::size_t i = 0; i < paths.size(); ++i)
        text += (i ? "," : "") + paths[i];
    return text;
}

TokenBatch TokenBatch::load(const TokenSpec& spec)
{
    if (spec.batch < 1 || spec.steps < 1 || spec.vocabulary < 1)
        throw std::runtime_error("the token batch needs at least one column and one time step");
    if (spec.batch > kMaxTokenColumns || spec.steps > kMaxTokenColumns)
        throw std::runtime_error("the token batch may have at most " + std::to_string(kMaxTokenColumns)
            + " columns and time steps (got " + std::to_string(spec.batch) + " x " + std::to_string(spec.steps) + ")");
    TokenBatch batch;
    batch.m_spec = spec;
    std::vector<std::int64_t> tokens;
    if (spec.kind == TokenSpec::Kind::Synthetic) {
        tokens.resize(static_cast<std::size_t>(spec.steps) * spec.batch);
        for (std::size_t i = 0; i < tokens.size(); ++i)
            tokens[i] = static_cast<std::int64_t>(i) * kSyntheticStride % spec.vocabulary;
    } else {
        const TokenStream stream = tokenize(spec.paths);
        if (stream.words.size() > static_cast<std::size_t>(spec.vocabulary))
            throw std::runtime_error("the text has " + std::to_string(stream.words.size())
                + " distinct words; the model's vocabulary holds " + std::to_string(spec.vocabulary));
        tokens = batchify(stream.ids, spec.batch, spec.steps);
        batch.m_vocabularyUsed = stream.words.size();
    }
    char hash[17];
    std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(fnv1a(tokens)));
    batch.m_fingerprint
        = spec.toString() + "@" + std::to_string(spec.steps) + "x" + std::to_string(spec.batch) + "#" + hash;
    batch.m_tokens = std::make_shared<const std::vector<std::int64_t>>(std::move(tokens));
    return batch;
}

} // namespace epsinas
