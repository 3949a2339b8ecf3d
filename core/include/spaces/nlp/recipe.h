// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace epsinas::nlp {

/** Thrown for a malformed or invalid recipe; what() names the node and what is wrong with it. */
class RecipeError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

/**
 * The most nodes a recipe may have, and the most inputs of a linear node: the benchmark's cells have at most 15 nodes
 * of at most 3 inputs; the bound keeps a hostile recipe from taking unbounded work to check and evaluate.
 */
constexpr int kMaxNodes = 1000;

/** The node operations of the NAS-Bench-NLP cell graph (algorithm §3.3). */
enum class Op : std::uint8_t { Linear, Blend, ElementwiseProd, ElementwiseSum, Tanh, Sigmoid, LeakyRelu };

constexpr std::array<Op, 7> kAllOps { Op::Linear, Op::Blend, Op::ElementwiseProd, Op::ElementwiseSum, Op::Tanh,
    Op::Sigmoid, Op::LeakyRelu };

/** The benchmark's spelling, e.g. "activation_sigm". */
std::string_view opName(Op op);
std::optional<Op> opFromName(std::string_view name);
/** Inputs an op takes: linear 1 to kMaxNodes (MultiLinear), blend 3, the elementwise ops 2, activations 1. */
int minInputs(Op op);
int maxInputs(Op op);

/** k when `name` is h_prev_k, the cell's k-th previous hidden state (k written as the benchmark writes it). */
std::optional<int> hiddenInputIndex(std::string_view name);
/** k when `name` is h_new_k, the node that becomes the cell's k-th new hidden state. */
std::optional<int> outputIndex(std::string_view name);
/** Whether `name` names one of the cell's inputs, x or an h_prev_k, which no node may be called. */
bool isCellInput(std::string_view name);

/** One named node as written in a recipe. */
struct Node {
    std::string name;
    Op op = Op::Linear;
    std::vector<std::string> inputs;
    friend bool operator==(const Node& a, const Node& b)
    {
        return a.name == b.name && a.op == b.op && a.inputs == b.inputs;
    }
};

/** A value a step reads: the cell input x, a previous hidden state h_prev_k, or the result of an earlier step. */
struct Operand {
    enum class Kind : std::uint8_t { Input, Hidden, Step };
    Kind kind = Kind::Input;
    int index = 0; // k of h_prev_k, or the step's position in Recipe::steps()
};

/** A node resolved for evaluation: its op and operands, every operand computed before it. */
struct Step {
    Op op = Op::Linear;
    std::vector<Operand> operands;
};

/**
 * A validated NAS-Bench-NLP cell: nodes named in any order, read from the inputs `x` and `h_prev_0..K-1`, written to
 * the outputs `h_new_0..K-1` (K = the hidden tuple size). A plain value: once constructed it is known to be
 * evaluable, so evaluators never check again.
 */
class Recipe {
public:
    /**
     * Validates and resolves `nodes`; throws RecipeError when there are more than kMaxNodes, when a node has an
     * unknown name form, a wrong number of inputs, an undefined input, reads x without being linear (x is as wide as
     * the layer input, not the hidden state), when the graph has a cycle, or when h_new_0..K-1 are not all present.
     */
    static Recipe fromNodes(std::vector<Node> nodes);
    /**
     * Parses one recipe object {"name": {"op": ..., "input": [...]}, ...}, keeping the file's node order: that is
     * fromNodes(parseNodesJson(text)). Throws RecipeError for malformed JSON or an invalid recipe, and when this build
     * has no JSON support.
     */
    static Recipe parseJson(std::string_view text);
    /** The example cells of NAS-Bench-NLP's search space: "rnn", "lstm" or "gru"; throws RecipeError otherwise. */
    static Recipe example(std::string_view name);

    /** The recipe object as JSON on one line, nodes in order (nlp::toJson of nodes()); parseJson() reads it back. */
    std::string toJson() const;

    const std::vector<Node>& nodes() const { return m_nodes; }
    /** Nodes in evaluation order (a topological order that keeps the given order where it can). */
    const std::vector<Step>& steps() const { return m_steps; }
    /** The name of each step's node. */
    const std::string& stepName(std::size_t step) const { return m_nodes[m_stepNode[step]].name; }
    /** The step that computes h_new_k, for k = 0..hiddenCount()-1. */
    const std::vector<int>& outputs() const { return m_outputs; }
    int hiddenCount() const { return static_cast<int>(m_outputs.size()); }

    friend bool operator==(const Recipe& a, const Recipe& b) { return a.m_nodes == b.m_nodes; }

private:
    std::vector<Node> m_nodes;
    std::vector<Step> m_steps;
    std::vector<std::size_t> m_stepNode;
    std::vector<int> m_outputs;
};

/**
 * `nodes` as one recipe object on one line, in their order: {"name": {"op": "linear", "input": ["x"]}, ...}. It
 * writes any nodes, a draft that breaks the rules of Recipe::fromNodes too; parseNodesJson reads them back.
 */
std::string toJson(const std::vector<Node>& nodes);
/**
 * Parses one recipe object into its nodes in the file's order, checking only the JSON's shape: an object of
 * objects, each with an "op" string that opFromName knows and an "input" list of strings; no key twice in an
 * object, nesting at most 16 deep. The rules of a recipe
 * (input counts, defined inputs, outputs, cycles) are left to Recipe::fromNodes, so drafts that break them are read
 * too. Throws RecipeError naming the node and what is wrong for a wrong shape or malformed JSON, and when this build
 * has no JSON support.
 */
std::vector<Node> parseNodesJson(std::string_view text);

/** A recipe with the name it is reported under: its recepie_id, an example name, or its position in a file. */
struct NamedRecipe {
    std::string id;
    Recipe recipe;
};

/**
 * Reads recipes from a file: JSON Lines with one {"recepie_id": N, "recipe": {...}} per line (blank lines skipped,
 * lines up to 1 MiB, files up to 256 MiB), or a .json file (up to 64 MiB) holding one such object, an array of
 * them, or a bare recipe object. Recipes without an id are named by their 0-based position. Throws RecipeError
 * naming the file and line, for a read error too.
 */
std::vector<NamedRecipe> readRecipeFile(const std::string& path);

/**
 * Draws random cells by the rules of NAS-Bench-NLP's generator (algorithm §3.3): 2 hidden states, 7 intermediate
 * vertices, ops linear:blend:prod:sum = 3:1:1:1, an activation after every linear, 2 or 3 linear inputs (4:1),
 * blend/prod/sum never on x, unreachable nodes removed, and a draw rejected unless it reads x and every h_prev_k and
 * no h_new_k reads an h_prev_k directly. The same seed gives the same sequence (our own generator, not numpy's).
 */
class RecipeGenerator {
public:
    explicit RecipeGenerator(std::uint64_t seed);
    ~RecipeGenerator();
    RecipeGenerator(const RecipeGenerator&) = delete;
    RecipeGenerator& operator=(const RecipeGenerator&) = delete;

    Recipe next();

private:
    struct State;
    std::unique_ptr<State> m_state;
};

} // namespace epsinas::nlp
