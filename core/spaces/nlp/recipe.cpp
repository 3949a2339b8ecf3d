// SPDX-License-Identifier: MIT
#include "spaces/nlp/recipe.h"
#include "io/inputfile.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <random>
#include <set>

#include <nlohmann/json.hpp>

namespace epsinas::nlp {

namespace {

constexpr std::array<std::string_view, kAllOps.size()> kOpNames { "linear", "blend", "elementwise_prod",
    "elementwise_sum", "activation_tanh", "activation_sigm", "activation_leaky_relu" };
constexpr std::string_view kInputName = "x";
constexpr std::string_view kHiddenPrefix = "h_prev_";
constexpr std::string_view kOutputPrefix = "h_new_";
// Bytes of a node name (or other recipe text) a message quotes.
constexpr std::size_t kNameQuoteLimit = 60;
// Node names a cycle message lists; a longer cycle is shown by its two ends and its length.
constexpr std::size_t kCycleNamesShown = 8;
// Nesting of JSON read as recipes: a file's array, an entry, its recipe, a node, its input list need 5; the bound
// keeps hostile nesting from the recursive parts of the parser (a value's copy, dump, destruction).
constexpr std::size_t kMaxJsonDepth = 16;
// Bounds on recipe files: the 344 recipes of the benchmark take 0.2 MiB, in lines of at most 1 KiB.
constexpr std::uint64_t kMaxJsonLinesFileBytes = 256ull << 20;
constexpr std::uint64_t kMaxJsonFileBytes = 64ull << 20;
constexpr std::size_t kMaxRecipeLineBytes = 1 << 20;
// Bytes of a recepie_id written as text: ids are numbers in the benchmark.
constexpr std::size_t kMaxIdBytes = 256;

/** k when `name` is `prefix` followed by k written without sign or leading zeros, as the benchmark writes it. */
std::optional<int> indexedName(std::string_view name, std::string_view prefix)
{
    if (name.substr(0, prefix.size()) != prefix)
        return std::nullopt;
    const std::string_view digits = name.substr(prefix.size());
    if (digits.empty() || digits.size() > 6 || (digits.size() > 1 && digits.front() == '0')
        || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    return std::stoi(std::string(digits));
}

std::string inQuotes(std::string_view name)
{
    return "'" + excerpt(name, kNameQuoteLimit) + "'";
}

std::string opList()
{
    std::string list;
    for (std::string_view name : kOpNames)
        list += (list.empty() ? "" : ", ") + std::string(name);
    return list;
}

std::string outputRange(int count)
{
    return count == 1 ? "h_new_0" : "h_new_0 … h_new_" + std::to_string(count - 1);
}

/** Names a cycle among `pending` nodes (each has an unfinished node input), as data flows: a -> b -> a. */
std::string describeCycle(
    const std::vector<Node>& nodes, const std::map<std::string, std::size_t>& byName, const std::vector<bool>& done)
{
    std::size_t current = std::find(done.begin(), done.end(), false) - done.begin();
    std::vector<std::size_t> path;
    std::map<std::size_t, std::size_t> position;
    while (position.emplace(current, path.size()).second) {
        path.push_back(current);
        for (const std::string& input : nodes[current].inputs) {
            const auto found = byName.find(input);
            if (found != byName.end() && !done[found->second]) {
                current = found->second;
                break;
            }
        }
    }
    // `path` follows inputs backwards from consumer to producer; report it forwards, the first node again last.
    std::vector<std::string_view> names { nodes[current].name };
    for (std::size_t i = path.size(); i-- > position[current];)
        names.push_back(nodes[path[i]].name);
    const std::size_t length = names.size() - 1;
    std::string text;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (names.size() > kCycleNamesShown && i == kCycleNamesShown / 2) {
            text += " -> …";
            i = names.size() - kCycleNamesShown / 2;
        }
        text += (i == 0 ? "" : " -> ") + excerpt(names[i], kNameQuoteLimit);
    }
    return names.size() > kCycleNamesShown ? text + " (" + std::to_string(length) + " nodes)" : text;
}

std::string escaped(std::string_view text)
{
    std::string out;
    for (char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char code[8];
            std::snprintf(code, sizeof code, "\\u%04x", c);
            out += code;
        } else {
            out += c;
        }
    }
    return out;
}

using Json = nlohmann::ordered_json;

/**
 * Reads a JSON text without building it, to refuse what a recipe never holds before the parser builds a value:
 * nesting deeper than kMaxJsonDepth, an object that has a key twice (the parser would keep the last silently), or
 * more keys than a recipe has nodes (the ordered object's insertion is linear in its size). Throws RecipeError.
 */
class JsonShapeCheck final : public nlohmann::json_sax<Json> {
public:
    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override { return open(); }
    bool end_object() override { return close(); }
    bool start_array(std::size_t) override { return open(); }
    bool end_array() override { return close(); }

    bool key(string_t& name) override
    {
        Level& level = m_levels.back();
        const std::string where = level.name.empty() ? "" : " in " + inQuotes(level.name);
        if (!level.keys.insert(name).second)
            throw RecipeError("duplicate key " + inQuotes(name) + where + ": a key may appear once in an object");
        if (level.keys.size() > static_cast<std::size_t>(kMaxNodes))
            throw RecipeError("an object" + where + " has more than " + std::to_string(kMaxNodes)
                + " keys (a recipe has at most " + std::to_string(kMaxNodes) + " nodes)");
        m_key = name;
        return true;
    }

    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& error) override
    {
        // The parser's message ends with the token it read last, which may be the whole of a huge string.
        throw RecipeError("malformed JSON: " + excerpt(error.what()));
    }

private:
    struct Level {
        std::string name; // the key whose value this object or array is; empty at the top and in an array
        std::set<std::string> keys;
    };

    bool open()
    {
        if (m_levels.size() >= kMaxJsonDepth)
            throw RecipeError("the JSON nests deeper than " + std::to_string(kMaxJsonDepth)
                + " levels (a recipe needs 5: list, entry, recipe, node, inputs)");
        m_levels.push_back({ m_key, {} });
        m_key.clear();
        return true;
    }

    bool close()
    {
        m_levels.pop_back();
        m_key.clear();
        return true;
    }

    std::vector<Level> m_levels;
    std::string m_key; // the key read last in the innermost object
};

/** `text` parsed once JsonShapeCheck has passed it; throws RecipeError. */
Json parseChecked(std::string_view text)
{
    JsonShapeCheck check;
    Json::sax_parse(text.begin(), text.end(), &check);
    try {
        return Json::parse(text.begin(), text.end());
    } catch (const nlohmann::json::exception& error) {
        throw RecipeError("malformed JSON: " + excerpt(error.what()));
    }
}

std::vector<Node> nodesFromJson(const Json& object)
{
    if (!object.is_object())
        throw RecipeError("a recipe must be a JSON object mapping node names to {\"op\": ..., \"input\": [...]}");
    std::vector<Node> nodes;
    for (const auto& [name, spec] : object.items()) {
        const std::string where = "node " + inQuotes(name) + ": ";
        if (!spec.is_object())
            throw RecipeError(where + "expected an object with \"op\" and \"input\"");
        const auto op = spec.find("op");
        if (op == spec.end() || !op->is_string())
            throw RecipeError(where + "\"op\" must be a string");
        const auto input = spec.find("input");
        if (input == spec.end() || !input->is_array())
            throw RecipeError(where + "\"input\" must be a list of node names");
        Node node { name, Op::Linear, {} };
        const std::string opText = op->get<std::string>();
        const std::optional<Op> parsed = opFromName(opText);
        if (!parsed)
            throw RecipeError(where + "unknown op " + inQuotes(opText) + " (expected one of " + opList() + ")");
        node.op = *parsed;
        for (const Json& item : *input) {
            if (!item.is_string())
                throw RecipeError(
                    where + "\"input\" must be a list of node names, found " + excerpt(item.dump(), kNameQuoteLimit));
            node.inputs.push_back(item.get<std::string>());
        }
        nodes.push_back(std::move(node));
    }
    return nodes;
}

/** A wrapped entry {"recepie_id": N, "recipe": {...}} or, failing that, a bare recipe object. */
NamedRecipe entryFromJson(const Json& value, std::size_t position)
{
    const bool wrapped = value.is_object() && value.contains("recipe")
        && !(value["recipe"].is_object() && value["recipe"].contains("op"));
    NamedRecipe entry { std::to_string(position), Recipe::fromNodes(nodesFromJson(wrapped ? value["recipe"] : value)) };
    if (wrapped && value.contains("recepie_id")) {
        const Json& id = value["recepie_id"];
        if (!id.is_number() && !id.is_string())
            throw RecipeError(
                "\"recepie_id\" must be a number or a string, found " + excerpt(id.dump(), kNameQuoteLimit));
        entry.id = id.is_string() ? id.get<std::string>() : id.dump();
        if (entry.id.size() > kMaxIdBytes)
            throw RecipeError(
                "\"recepie_id\" " + inQuotes(entry.id) + " is longer than " + std::to_string(kMaxIdBytes) + " bytes");
    }
    return entry;
}

bool endsWith(std::string_view text, std::string_view suffix)
{
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

} // namespace

std::optional<int> hiddenInputIndex(std::string_view name)
{
    return indexedName(name, kHiddenPrefix);
}

std::optional<int> outputIndex(std::string_view name)
{
    return indexedName(name, kOutputPrefix);
}

bool isCellInput(std::string_view name)
{
    return name == kInputName || hiddenInputIndex(name);
}

std::string_view opName(Op op)
{
    return kOpNames[static_cast<std::size_t>(op)];
}

std::optional<Op> opFromName(std::string_view name)
{
    for (Op op : kAllOps)
        if (opName(op) == name)
            return op;
    return std::nullopt;
}

int minInputs(Op op)
{
    switch (op) {
    case Op::Linear:
        return 1;
    case Op::Blend:
        return 3;
    case Op::ElementwiseProd:
    case Op::ElementwiseSum:
        return 2;
    case Op::Tanh:
    case Op::Sigmoid:
    case Op::LeakyRelu:
        break;
    }
    return 1;
}

int maxInputs(Op op)
{
    // MultiLinear sums any number of inputs; the elementwise ops are fixed at 2 because the benchmark's loop for
    // more inputs reuses a stale index (algorithm §3.3), so more would not mean what it says.
    return op == Op::Linear ? kMaxNodes : minInputs(op);
}

Recipe Recipe::fromNodes(std::vector<Node> nodes)
{
    if (nodes.empty())
        throw RecipeError("the recipe has no nodes");
    if (nodes.size() > static_cast<std::size_t>(kMaxNodes))
        throw RecipeError("the recipe has " + std::to_string(nodes.size()) + " nodes; at most "
            + std::to_string(kMaxNodes) + " are allowed");
    Recipe recipe;
    std::map<std::string, std::size_t> byName;
    std::map<int, std::size_t> outputNode;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const Node& node = nodes[i];
        if (node.name.empty())
            throw RecipeError("a node has an empty name");
        if (isCellInput(node.name))
            throw RecipeError("node " + inQuotes(node.name) + ": x and h_prev_k name the cell's inputs, not nodes");
        if (!byName.emplace(node.name, i).second)
            throw RecipeError("node " + inQuotes(node.name) + " is defined twice");
        const int count = static_cast<int>(node.inputs.size());
        if (count < minInputs(node.op) || count > maxInputs(node.op)) {
            const std::string expected = node.op == Op::Linear
                ? (count < 1 ? "at least 1 input" : "at most " + std::to_string(kMaxNodes) + " inputs")
                : minInputs(node.op) == 1 ? "exactly 1 input"
                                          : "exactly " + std::to_string(minInputs(node.op)) + " inputs";
            throw RecipeError("node " + inQuotes(node.name) + ": " + std::string(opName(node.op)) + " takes " + expected
                + ", got " + std::to_string(count));
        }
        if (const auto k = outputIndex(node.name))
            outputNode[*k] = i;
    }
    if (outputNode.empty())
        throw RecipeError("the recipe has no output node h_new_0");
    const int hiddenCount = outputNode.rbegin()->first + 1;
    for (int k = 0; k < hiddenCount; ++k)
        if (!outputNode.count(k))
            throw RecipeError("the recipe defines h_new_" + std::to_string(hiddenCount - 1) + " but not h_new_"
                + std::to_string(k) + ": the outputs must be " + outputRange(hiddenCount));

    for (const Node& node : nodes) {
        for (const std::string& input : node.inputs) {
            const std::string where = "node " + inQuotes(node.name) + ": ";
            if (input == kInputName) {
                if (node.op != Op::Linear)
                    throw RecipeError(where + std::string(opName(node.op))
                        + " cannot read x (only linear nodes can: x is as wide as the layer input, not the hidden "
                          "state)");
            } else if (const auto k = hiddenInputIndex(input)) {
                if (*k >= hiddenCount)
                    throw RecipeError(where + "reads " + input + ", but the cell has " + std::to_string(hiddenCount)
                        + " hidden state" + (hiddenCount == 1 ? "" : "s") + " (outputs " + outputRange(hiddenCount)
                        + ")");
            } else if (!byName.count(input)) {
                throw RecipeError(where + "input " + inQuotes(input)
                    + " is not defined (neither x, an h_prev_k nor a node of the recipe)");
            }
        }
    }

    // Topological order: repeatedly take the first node in the given order whose node inputs are all computed.
    std::vector<bool> done(nodes.size(), false);
    std::vector<int> stepOf(nodes.size(), -1);
    while (recipe.m_stepNode.size() < nodes.size()) {
        std::size_t ready = nodes.size();
        for (std::size_t i = 0; i < nodes.size() && ready == nodes.size(); ++i) {
            if (done[i])
                continue;
            const bool inputsReady = std::all_of(nodes[i].inputs.begin(), nodes[i].inputs.end(), [&](const auto& in) {
                const auto found = byName.find(in);
                return found == byName.end() || done[found->second];
            });
            if (inputsReady)
                ready = i;
        }
        if (ready == nodes.size())
            throw RecipeError("the recipe has a cycle: " + describeCycle(nodes, byName, done));
        Step step { nodes[ready].op, {} };
        for (const std::string& input : nodes[ready].inputs) {
            if (input == kInputName)
                step.operands.push_back({ Operand::Kind::Input, 0 });
            else if (const auto k = hiddenInputIndex(input))
                step.operands.push_back({ Operand::Kind::Hidden, *k });
            else
                step.operands.push_back({ Operand::Kind::Step, stepOf[byName[input]] });
        }
        done[ready] = true;
        stepOf[ready] = static_cast<int>(recipe.m_steps.size());
        recipe.m_steps.push_back(std::move(step));
        recipe.m_stepNode.push_back(ready);
    }
    for (int k = 0; k < hiddenCount; ++k)
        recipe.m_outputs.push_back(stepOf[outputNode[k]]);
    recipe.m_nodes = std::move(nodes);
    return recipe;
}

Recipe Recipe::example(std::string_view name)
{
    const std::vector<std::string> xh { "x", "h_prev_0" };
    if (name == "rnn")
        return fromNodes({ { "f", Op::Linear, xh }, { "h_new_0", Op::Tanh, { "f" } } });
    if (name == "lstm") {
        return fromNodes({ { "i", Op::Linear, xh }, { "i_act", Op::Tanh, { "i" } }, { "j", Op::Linear, xh },
            { "j_act", Op::Sigmoid, { "j" } }, { "f", Op::Linear, xh }, { "f_act", Op::Sigmoid, { "f" } },
            { "o", Op::Linear, xh }, { "o_act", Op::Tanh, { "o" } },
            { "h_new_1_part1", Op::ElementwiseProd, { "f_act", "h_prev_1" } },
            { "h_new_1_part2", Op::ElementwiseProd, { "i_act", "j_act" } },
            { "h_new_1", Op::ElementwiseSum, { "h_new_1_part1", "h_new_1_part2" } },
            { "h_new_1_act", Op::Tanh, { "h_new_1" } },
            { "h_new_0", Op::ElementwiseProd, { "h_new_1_act", "o_act" } } });
    }
    if (name == "gru") {
        return fromNodes({ { "r", Op::Linear, xh }, { "r_act", Op::Sigmoid, { "r" } }, { "z", Op::Linear, xh },
            { "z_act", Op::Sigmoid, { "z" } }, { "rh", Op::ElementwiseProd, { "r_act", "h_prev_0" } },
            { "h_tilde", Op::Linear, { "x", "rh" } }, { "h_tilde_act", Op::Tanh, { "h_tilde" } },
            { "h_new_0", Op::Blend, { "z_act", "h_prev_0", "h_tilde_act" } } });
    }
    throw RecipeError("unknown example recipe " + inQuotes(name) + " (expected rnn, lstm or gru)");
}

std::string Recipe::toJson() const
{
    return nlp::toJson(m_nodes);
}

std::string toJson(const std::vector<Node>& nodes)
{
    std::string out = "{";
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const Node& node = nodes[i];
        out += (i ? ", \"" : "\"") + escaped(node.name) + "\": {\"op\": \"" + std::string(opName(node.op))
            + "\", \"input\": [";
        for (std::size_t j = 0; j < node.inputs.size(); ++j)
            out += (j ? ", \"" : "\"") + escaped(node.inputs[j]) + "\"";
        out += "]}";
    }
    return out + "}";
}

Recipe Recipe::parseJson(std::string_view text)
{
    return fromNodes(parseNodesJson(text));
}

std::vector<Node> parseNodesJson(std::string_view text)
{
    return nodesFromJson(parseChecked(text));
}

std::vector<NamedRecipe> readRecipeFile(const std::string& path)
{
    std::vector<NamedRecipe> recipes;
    const std::string quoted = excerpt(path);
    try {
        if (endsWith(path, ".jsonl")) {
            InputFile file(path, "recipe file", kMaxJsonLinesFileBytes);
            for (std::string line; file.readLine(line, kMaxRecipeLineBytes);) {
                if (line.find_first_not_of(" \t\r") == std::string::npos)
                    continue;
                try {
                    recipes.push_back(entryFromJson(parseChecked(line), recipes.size()));
                } catch (const RecipeError& error) {
                    throw RecipeError(file.where() + error.what());
                }
            }
        } else {
            InputFile file(path, "recipe file", kMaxJsonFileBytes);
            const Json value = [&] {
                try {
                    return parseChecked(file.readAll());
                } catch (const RecipeError& error) {
                    throw RecipeError(quoted + ": " + error.what());
                }
            }();
            const bool array = value.is_array();
            const std::size_t count = array ? value.size() : 1;
            for (std::size_t i = 0; i < count; ++i) {
                try {
                    recipes.push_back(entryFromJson(array ? value[i] : value, i));
                } catch (const RecipeError& error) {
                    throw RecipeError(
                        quoted + (array ? ": entry " + std::to_string(i) : std::string()) + ": " + error.what());
                }
            }
        }
    } catch (const FileError& error) {
        throw RecipeError(error.what());
    }
    if (recipes.empty())
        throw RecipeError("recipe file '" + quoted + "' holds no recipe");
    return recipes;
}

struct RecipeGenerator::State {
    std::mt19937_64 engine;

    /** An index drawn with the given integer weights; plain modulo keeps the sequence the same on every platform. */
    std::size_t pick(std::initializer_list<unsigned> weights)
    {
        unsigned total = 0;
        for (unsigned weight : weights)
            total += weight;
        unsigned draw = static_cast<unsigned>(engine() % total);
        std::size_t index = 0;
        for (unsigned weight : weights) {
            if (draw < weight)
                return index;
            draw -= weight;
            ++index;
        }
        return index - 1;
    }

    /** `count` distinct elements of `candidates`, in draw order (a partial Fisher–Yates shuffle). */
    std::vector<std::string> choose(std::vector<std::string> candidates, std::size_t count)
    {
        for (std::size_t i = 0; i < count; ++i)
            std::swap(candidates[i], candidates[i + engine() % (candidates.size() - i)]);
        candidates.resize(count);
        return candidates;
    }
};

RecipeGenerator::RecipeGenerator(std::uint64_t seed)
    : m_state(std::make_unique<State>())
{
    m_state->engine.seed(seed);
}

RecipeGenerator::~RecipeGenerator() = default;

Recipe RecipeGenerator::next()
{
    constexpr int kHidden = 2;
    constexpr int kIntermediate = 7;
    constexpr std::array<Op, 4> kMainOps { Op::Linear, Op::Blend, Op::ElementwiseProd, Op::ElementwiseSum };
    constexpr std::array<Op, 3> kActivations { Op::Tanh, Op::Sigmoid, Op::LeakyRelu };
    State& state = *m_state;
    std::vector<std::string> hidden;
    for (int k = 0; k < kHidden; ++k)
        hidden.push_back(std::string(kHiddenPrefix) + std::to_string(k));

    for (;;) {
        std::vector<Node> nodes;
        std::vector<std::string> activations;
        auto nextName = [&] { return "node_" + std::to_string(nodes.size()); };
        while (static_cast<int>(nodes.size()) < kHidden + kIntermediate) {
            const Op op = kMainOps[state.pick({ 3, 1, 1, 1 })];
            if (op == Op::Linear) {
                std::vector<std::string> candidates { std::string(kInputName) };
                candidates.insert(candidates.end(), hidden.begin(), hidden.end());
                candidates.insert(candidates.end(), activations.begin(), activations.end());
                const std::size_t count = std::min<std::size_t>(state.pick({ 4, 1 }) + 2, candidates.size());
                nodes.push_back({ nextName(), op, state.choose(candidates, count) });
                // Every linear is followed by an activation, even past the vertex budget, as the benchmark does.
                const Op activation = kActivations[state.pick({ 1, 1, 1 })];
                nodes.push_back({ nextName(), activation, { nodes.back().name } });
                activations.push_back(nodes.back().name);
            } else {
                std::vector<std::string> candidates = hidden;
                for (const Node& node : nodes)
                    candidates.push_back(node.name);
                const std::size_t count = op == Op::Blend ? 3 : 2;
                if (count <= candidates.size())
                    nodes.push_back({ nextName(), op, state.choose(candidates, count) });
            }
        }

        // Two distinct nodes become the outputs; they move to the end, h_new_0 first.
        std::vector<std::string> names;
        for (const Node& node : nodes)
            names.push_back(node.name);
        std::map<std::string, std::string> renamed;
        for (const std::string& name : state.choose(names, kHidden))
            renamed[name] = std::string(kOutputPrefix) + std::to_string(renamed.size());
        std::vector<Node> outputs(kHidden), kept;
        for (Node& node : nodes) {
            for (std::string& input : node.inputs)
                if (renamed.count(input))
                    input = renamed[input];
            if (renamed.count(node.name)) {
                node.name = renamed[node.name];
                outputs[*outputIndex(node.name)] = node;
            } else {
                kept.push_back(node);
            }
        }
        kept.insert(kept.end(), outputs.begin(), outputs.end());

        // Keep what the outputs depend on.
        std::set<std::string> needed;
        std::vector<std::string> queue;
        for (const Node& node : outputs)
            queue.push_back(node.name);
        while (!queue.empty()) {
            const std::string name = queue.back();
            queue.pop_back();
            if (!needed.insert(name).second)
                continue;
            const auto node = std::find_if(kept.begin(), kept.end(), [&](const Node& n) { return n.name == name; });
            if (node != kept.end())
                queue.insert(queue.end(), node->inputs.begin(), node->inputs.end());
        }
        kept.erase(
            std::remove_if(kept.begin(), kept.end(), [&](const Node& n) { return !needed.count(n.name); }), kept.end());

        bool usable = needed.count(std::string(kInputName)) > 0;
        for (const std::string& name : hidden)
            usable = usable && needed.count(name) > 0;
        for (const Node& output : outputs)
            for (const std::string& input : output.inputs)
                usable = usable && !hiddenInputIndex(input);
        if (usable)
            return Recipe::fromNodes(std::move(kept));
    }
}

} // namespace epsinas::nlp
