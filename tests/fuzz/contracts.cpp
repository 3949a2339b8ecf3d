// SPDX-License-Identifier: MIT
#include "contracts.h"
#include "fuzzsupport.h"

#include "io/inputfile.h"
#include "score/input.h"
#include "score/tokeninput.h"
#include "space/parseerror.h"
#include "space/searchspace.h"
#include "spaces/nb101/spec.h"
#include "spaces/nlp/recipe.h"
#include "spaces/spaces.h"
#include "stats/benchmarktable.h"
#include "store/resultstore.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace epsinas::fuzz {

namespace {

// Images loaded from a fuzzed CIFAR file: the smallest batch InputBatch takes, so most inputs can be long enough.
constexpr int kCifarBatch = 2;
// Pixels of one CIFAR image.
constexpr std::size_t kCifarPixels = 3 * 32 * 32;

/** Equal as stored numbers: both NaN, or the same value with the same sign (so -0 is not 0). */
bool sameNumber(double a, double b)
{
    if (std::isnan(a) || std::isnan(b))
        return std::isnan(a) && std::isnan(b);
    return a == b && std::signbit(a) == std::signbit(b);
}

bool sameNumbers(const std::vector<double>& a, const std::vector<double>& b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (!sameNumber(a[i], b[i]))
            return false;
    }
    return true;
}

void checkSpaceText(std::string_view key, std::string_view bytes, bool textIsCanonical)
{
    const SearchSpace& space = spaceRegistry().get(key);
    Arch arch;
    try {
        arch = space.parse(bytes);
    } catch (const ParseError&) {
        return;
    } catch (const std::exception& error) {
        unexpectedException(error);
    }
    try {
        const std::string text = space.format(arch);
        require(!textIsCanonical || text == bytes, "the accepted text is not the one format() writes: " + text);
        require(space.parse(text) == arch, "format() does not read back as the same architecture: " + text);
        const Arch canonical = space.canonical(arch);
        require(space.canonical(canonical) == canonical, "canonical() of a canonical form changed it: " + text);
        require(space.parse(space.format(canonical)) == canonical, "the canonical form does not read back: " + text);
        require(space.parameterCount(arch) > 0, "an accepted architecture has no parameters: " + text);
    } catch (const std::exception& error) {
        unexpectedException(error);
    }
}

} // namespace

void checkNb201Arch(std::string_view bytes)
{
    checkSpaceText("nb201", bytes, true);
}

void checkNb101Spec(std::string_view bytes)
{
    checkSpaceText("nb101", bytes, false);
    // The two columns of the NB101 tables (adjacency, ops) go through Spec::fromColumns: split the input at a comma.
    const std::size_t comma = bytes.find(',');
    if (comma == std::string_view::npos)
        return;
    nb101::Spec spec;
    try {
        spec = nb101::Spec::fromColumns(bytes.substr(0, comma), bytes.substr(comma + 1));
    } catch (const ParseError&) {
        return;
    } catch (const std::exception& error) {
        unexpectedException(error);
    }
    try {
        require(spec.isValid(), "fromColumns accepted an invalid spec: " + spec.problem());
        require(nb101::Spec::fromColumns(spec.adjacencyString(), spec.opsString()) == spec,
            "the columns of a spec do not read back: " + spec.toString());
        require(
            nb101::Spec::parse(spec.toString()) == spec, "the text of a spec does not read back: " + spec.toString());
        require(spec.pruned().hash() == spec.hash(), "pruning changed the hash of " + spec.toString());
    } catch (const std::exception& error) {
        unexpectedException(error);
    }
}

void checkNlpRecipe(std::string_view bytes)
{
    // A bare recipe object: drafts (parseNodesJson), then the rules (Recipe::fromNodes).
    try {
        const std::vector<nlp::Node> nodes = nlp::parseNodesJson(bytes);
        require(nlp::parseNodesJson(nlp::toJson(nodes)) == nodes, "nodes do not read back from " + nlp::toJson(nodes));
        const nlp::Recipe recipe = nlp::Recipe::fromNodes(nodes);
        require(nlp::Recipe::parseJson(recipe.toJson()) == recipe, "a recipe does not read back: " + recipe.toJson());
    } catch (const nlp::RecipeError&) {
    } catch (const std::exception& error) {
        unexpectedException(error);
    }
    // The same bytes as a line of recipes.jsonl ({"recepie_id": N, "recipe": {...}}).
    static const ScratchFile file(".jsonl");
    std::vector<nlp::NamedRecipe> recipes;
    try {
        recipes = nlp::readRecipeFile(file.write(bytes));
    } catch (const nlp::RecipeError&) {
        return;
    } catch (const std::exception& error) {
        unexpectedException(error);
    }
    try {
        for (const nlp::NamedRecipe& named : recipes) {
            require(!named.id.empty(), "a recipe of a file has no name");
            require(nlp::Recipe::parseJson(named.recipe.toJson()) == named.recipe,
                "a recipe of a file does not read back: " + named.recipe.toJson());
        }
    } catch (const std::exception& error) {
        unexpectedException(error);
    }
}

void checkCifar(std::string_view bytes)
{
    static const ScratchFile file(".bin");
    const std::string& path = file.write(bytes);
    for (const InputSpec::Kind kind : { InputSpec::Kind::Cifar10, InputSpec::Kind::Cifar100 }) {
        InputSpec spec;
        spec.kind = kind;
        spec.path = path;
        spec.batch = kCifarBatch;
        std::vector<float> values;
        try {
            const InputBatch batch = InputBatch::load(spec);
            require(batch.batchSize() == kCifarBatch && batch.imageSize() == 32, "a CIFAR batch of the wrong shape");
            values = batch.values();
        } catch (const std::runtime_error&) {
            continue;
        } catch (const std::exception& error) {
            unexpectedException(error);
        }
        require(values.size() == kCifarBatch * kCifarPixels, "a CIFAR batch with the wrong number of values");
        // Normalised bytes: (0..255 / 255 - mean) / std with means near 0.5 and deviations near 0.25 keep every
        // value well inside [-3, 3].
        for (float value : values)
            require(std::isfinite(value) && std::fabs(value) < 3.0f, "a CIFAR pixel out of range");
    }
    // The --input text.
    InputSpec spec;
    try {
        spec = InputSpec::parse(std::string(bytes));
    } catch (const std::invalid_argument&) {
        return;
    } catch (const std::exception& error) {
        unexpectedException(error);
    }
    try {
        const InputSpec again = InputSpec::parse(spec.toString());
        require(again.kind == spec.kind && again.seed == spec.seed && again.path == spec.path,
            "an --input text does not read back: " + spec.toString());
    } catch (const std::exception& error) {
        unexpectedException(error);
    }
}

void checkPtb(std::string_view bytes)
{
    static const ScratchFile file(".txt");
    TokenStream stream;
    try {
        stream = tokenize({ file.write(bytes) });
    } catch (const std::runtime_error&) {
        return;
    } catch (const std::exception& error) {
        unexpectedException(error);
    }
    // Every id names a word, and the words are the distinct ones in order of first appearance.
    std::int64_t next = 0;
    for (std::int64_t id : stream.ids) {
        require(id >= 0 && id <= next && id < std::int64_t(stream.words.size()), "a token id out of order");
        next += id == next ? 1 : 0;
    }
    require(next == std::int64_t(stream.words.size()), "words that no token uses");
    // The text written back from the tokens, one line per <eos>, tokenises to the same stream. It starts with a
    // byte-order mark, which the reader drops once, so a word that starts with one survives.
    std::string text = "\xEF\xBB\xBF";
    for (std::int64_t id : stream.ids) {
        const std::string& word = stream.words[std::size_t(id)];
        require(!word.empty(), "an empty word");
        text += word == "<eos>" ? "\n" : word + " ";
    }
    try {
        const TokenStream again = tokenize({ file.write(text) });
        require(again.ids == stream.ids && again.words == stream.words, "the tokens do not read back from their text");
    } catch (const std::exception& error) {
        unexpectedException(error);
    }
    // The --tokens text.
    TokenSpec spec;
    try {
        spec = TokenSpec::parse(std::string(bytes));
    } catch (const std::invalid_argument&) {
        return;
    } catch (const std::exception& error) {
        unexpectedException(error);
    }
    try {
        const TokenSpec again = TokenSpec::parse(spec.toString());
        require(again.kind == spec.kind && again.paths == spec.paths, "a --tokens text does not read back");
    } catch (const std::exception& error) {
        unexpectedException(error);
    }
}

namespace {

std::string csvField(const std::string& text)
{
    std::string field = "\"";
    for (char c : text)
        field += c == '"' ? std::string("\"\"") : std::string(1, c);
    return field + "\"";
}

std::string csvNumber(double value)
{
    if (std::isnan(value))
        return "nan";
    if (std::isinf(value))
        return value > 0 ? "inf" : "-inf";
    char text[32];
    std::snprintf(text, sizeof text, "%.17g", value);
    return text;
}

/** The architecture column and the numeric columns of `table` as CSV, every field quoted. */
std::string csvOf(const BenchmarkTable& table)
{
    const std::vector<std::string> numeric = table.numericColumns();
    std::vector<std::vector<double>> values;
    std::string text = csvField(table.archColumn());
    for (const std::string& name : numeric) {
        text += "," + csvField(name);
        values.push_back(table.column(name));
    }
    text += "\n";
    for (std::size_t row = 0; row < table.rowCount(); ++row) {
        text += csvField(table.archs()[row]);
        for (const auto& column : values)
            text += "," + csvNumber(column[row]);
        text += "\n";
    }
    return text;
}

void checkTable(const ScratchFile& file, std::string_view bytes, const ArchKeys& keys)
{
    std::optional<BenchmarkTable> table;
    try {
        table = BenchmarkTable::load(file.write(bytes), {}, keys);
    } catch (const std::runtime_error&) {
        return;
    } catch (const std::exception& error) {
        unexpectedException(error);
    }
    try {
        const std::vector<std::string> numeric = table->numericColumns();
        require(table->archs().size() == table->rowCount(), "an architecture column of the wrong length");
        for (const std::string& name : numeric) {
            require(table->column(name).size() == table->rowCount(), "a numeric column of the wrong length");
            table->lookup(table->archs(), name);
        }
        const BenchmarkTable again = BenchmarkTable::load(file.write(csvOf(*table)), table->archColumn(), keys);
        require(again.archColumn() == table->archColumn() && again.archs() == table->archs()
                && again.numericColumns() == numeric && again.duplicateRows() == table->duplicateRows(),
            "a table does not read back from its CSV");
        for (const std::string& name : numeric)
            require(sameNumbers(again.column(name), table->column(name)), "column '" + name + "' does not read back");
    } catch (const std::exception& error) {
        unexpectedException(error);
    }
}

bool sameScores(const std::vector<StoredScore>& a, const std::vector<StoredScore>& b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].cell != b[i].cell || !sameNumber(a[i].score, b[i].score) || !sameNumber(a[i].mae, b[i].mae)
            || !sameNumber(a[i].mean, b[i].mean) || a[i].nanReason != b[i].nanReason)
            return false;
    }
    return true;
}

void removeStore(const std::string& path)
{
    for (const std::string& file : ResultStore::files(path))
        std::remove(file.c_str());
}

bool storeFilesExist(const std::string& path)
{
    for (const std::string& file : ResultStore::files(path)) {
        if (file != path && std::filesystem::exists(file))
            return true;
    }
    return false;
}

/** Everything `store` holds, run by run, read through each of its queries, which must agree. */
std::vector<std::pair<RunKey, std::vector<StoredScore>>> readStore(const ResultStore& store)
{
    std::vector<std::pair<RunKey, std::vector<StoredScore>>> content;
    for (const RunKey& run : store.runs()) {
        std::vector<StoredScore> rows = store.all(run);
        const std::vector<std::string> cells = store.scoredCells(run);
        require(cells.size() == rows.size(), "scoredCells and all() disagree on a run's rows");
        require(store.lookup(run, cells).size() == rows.size(), "lookup() misses stored cells");
        content.emplace_back(run, std::move(rows));
    }
    return content;
}

} // namespace

void checkBenchmarkTable(std::string_view bytes)
{
    static const ScratchFile file(".csv");
    checkTable(file, bytes, {});
    checkTable(file, bytes, tableKeys(spaceRegistry().get("nb201")));
}

void checkResultStore(std::string_view bytes)
{
    static const ScratchFile file(".sqlite");
    static const ScratchFile copy(".copy.sqlite");
    // Read-only: the file is never changed and no journal file is left beside it.
    removeStore(file.path());
    file.write(bytes);
    std::vector<std::pair<RunKey, std::vector<StoredScore>>> content;
    bool opened = false;
    try {
        const ResultStore store = ResultStore::openReadOnly(file.path());
        // A damaged file (keys out of order, say) answers queries inconsistently: SQLite finds that only in its
        // integrity check, which says so; such a file need only be read without harm.
        if (store.integrityOk()) {
            content = readStore(store);
            opened = true;
        } else {
            store.runs();
        }
    } catch (const StoreError&) {
    } catch (const std::exception& error) {
        unexpectedException(error);
    }
    require(file.read() == bytes, "openReadOnly changed the file");
    require(!storeFilesExist(file.path()), "openReadOnly left a journal file behind");
    // Every row read copies to a fresh store and reads back the same; a row that store refuses is refused with a
    // StoreError (a foreign file may hold what this program never writes, e.g. an empty cell).
    if (opened) {
        removeStore(copy.path());
        try {
            ResultStore out = ResultStore::open(copy.path());
            for (const auto& [run, rows] : content)
                out.write(run, rows);
            const auto again = readStore(out);
            require(again.size() == content.size(), "a copied store has another number of runs");
            for (std::size_t i = 0; i < again.size(); ++i)
                require(again[i].first == content[i].first && sameScores(again[i].second, content[i].second),
                    "a copied run does not read back the same");
        } catch (const StoreError&) {
        } catch (const std::exception& error) {
            unexpectedException(error);
        }
        removeStore(copy.path());
    }
    // For writing: a file that is refused is left as it was.
    try {
        const ResultStore store = ResultStore::open(file.path());
        if (store.integrityOk())
            readStore(store);
    } catch (const StoreError&) {
        require(file.read() == bytes, "open() changed a file it refused");
    } catch (const std::exception& error) {
        unexpectedException(error);
    }
    removeStore(file.path());
}

} // namespace epsinas::fuzz
