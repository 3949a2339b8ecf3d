// SPDX-License-Identifier: MIT
// NAS-Bench-NLP recipes: JSON parsing, validation messages, the built-in examples and the random generator.
#include "spaces/nlp/recipe.h"

#include <QtTest>

#include <fstream>
#include <set>

using namespace epsinas::nlp;

namespace {

/** The message of the RecipeError that parsing `json` throws; empty when it parses. */
QString errorOf(const std::string& json)
{
    try {
        Recipe::parseJson(json);
    } catch (const RecipeError& error) {
        return QString::fromStdString(error.what());
    }
    return {};
}

/** The message of the RecipeError that parseNodesJson throws for `json`; empty when it parses. */
QString nodesErrorOf(const std::string& json)
{
    try {
        parseNodesJson(json);
    } catch (const RecipeError& error) {
        return QString::fromStdString(error.what());
    }
    return {};
}

} // namespace

class TestNlpRecipe : public QObject {
    Q_OBJECT

private slots:
    void parsesAndResolves();
    void namesTheCellInputsAndOutputs();
    void examplesMatchTheBenchmarkFile();
    void validationMessages_data();
    void validationMessages();
    void jsonRoundTrip();
    void draftsHaveJson();
    void nodesJsonShapeErrors_data();
    void nodesJsonShapeErrors();
    void nodesJsonMalformed();
    void readsJsonLinesAndJson();
    void generatorFollowsTheRules();
    void generatorIsSeeded();
};

void TestNlpRecipe::parsesAndResolves()
{
    // Nodes out of dependency order: evaluation order must still put producers first.
    const Recipe recipe = Recipe::parseJson(R"({"h_new_0": {"op": "activation_tanh", "input": ["f"]},
        "f": {"op": "linear", "input": ["x", "h_prev_0", "h_new_1"]},
        "h_new_1": {"op": "elementwise_prod", "input": ["h_prev_0", "h_prev_1"]}})");
    QCOMPARE(recipe.hiddenCount(), 2);
    QCOMPARE(recipe.nodes().front().name, std::string("h_new_0"));
    QCOMPARE(recipe.steps().size(), std::size_t(3));
    QCOMPARE(recipe.stepName(0), std::string("h_new_1"));
    QCOMPARE(recipe.stepName(1), std::string("f"));
    QCOMPARE(recipe.stepName(2), std::string("h_new_0"));
    QCOMPARE(recipe.outputs(), (std::vector<int> { 2, 0 }));
    const Step& linear = recipe.steps()[1];
    QCOMPARE(linear.op, Op::Linear);
    QCOMPARE(linear.operands.size(), std::size_t(3));
    QCOMPARE(linear.operands[0].kind, Operand::Kind::Input);
    QCOMPARE(linear.operands[1].kind, Operand::Kind::Hidden);
    QCOMPARE(linear.operands[1].index, 0);
    QCOMPARE(linear.operands[2].kind, Operand::Kind::Step);
    QCOMPARE(linear.operands[2].index, 0);
}

void TestNlpRecipe::namesTheCellInputsAndOutputs()
{
    QCOMPARE(hiddenInputIndex("h_prev_0"), std::optional<int>(0));
    QCOMPARE(hiddenInputIndex("h_prev_12"), std::optional<int>(12));
    QCOMPARE(outputIndex("h_new_1"), std::optional<int>(1));
    // Written as the benchmark writes them: no sign, no leading zero, nothing after the digits.
    for (const char* name : { "h_prev_", "h_prev_01", "h_prev_-1", "h_prev_1a", "h_new_0", "x" })
        QVERIFY2(!hiddenInputIndex(name), name);
    QVERIFY(!outputIndex("h_prev_0"));
    QVERIFY(isCellInput("x"));
    QVERIFY(isCellInput("h_prev_3"));
    QVERIFY(!isCellInput("h_new_0"));
    QVERIFY(!isCellInput("x1"));
}

void TestNlpRecipe::examplesMatchTheBenchmarkFile()
{
    // recipes.jsonl starts with the three example cells of the benchmark (ids 1000000-1000002) when it is present.
    QCOMPARE(Recipe::example("rnn").hiddenCount(), 1);
    QCOMPARE(Recipe::example("lstm").hiddenCount(), 2);
    QCOMPARE(Recipe::example("gru").hiddenCount(), 1);
    QVERIFY_THROWS_EXCEPTION(RecipeError, Recipe::example("transformer"));
    const QString dataDir = qEnvironmentVariable("EPSINAS_DATA_DIR");
    if (dataDir.isEmpty())
        QSKIP("EPSINAS_DATA_DIR is not set: cannot compare with recipes.jsonl");
    const auto recipes = readRecipeFile(QDir(dataDir).filePath("nasbench_nlp/recipes.jsonl").toStdString());
    QCOMPARE(recipes.size(), std::size_t(344));
    QCOMPARE(recipes[0].id, std::string("1000000"));
    QVERIFY(recipes[0].recipe == Recipe::example("rnn"));
    QVERIFY(recipes[1].recipe == Recipe::example("lstm"));
    QVERIFY(recipes[2].recipe == Recipe::example("gru"));
}

void TestNlpRecipe::validationMessages_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("message");
    QTest::newRow("malformed") << R"({"h_new_0": )"
                               << "malformed JSON";
    QTest::newRow("not an object") << R"([1, 2])"
                                   << "a recipe must be a JSON object";
    QTest::newRow("empty") << R"({})"
                           << "the recipe has no nodes";
    QTest::newRow("unknown op") << R"({"h_new_0": {"op": "conv", "input": ["x"]}})"
                                << "node 'h_new_0': unknown op 'conv' (expected one of linear, blend";
    QTest::newRow("no input list") << R"({"h_new_0": {"op": "linear", "input": "x"}})"
                                   << "node 'h_new_0': \"input\" must be a list of node names";
    QTest::newRow("arity") << R"({"h_new_0": {"op": "blend", "input": ["h_prev_0", "h_prev_0"]}})"
                           << "node 'h_new_0': blend takes exactly 3 inputs, got 2";
    QTest::newRow("activation arity") << R"({"h_new_0": {"op": "activation_tanh", "input": []}})"
                                      << "node 'h_new_0': activation_tanh takes exactly 1 input, got 0";
    QTest::newRow("linear arity") << R"({"h_new_0": {"op": "linear", "input": []}})"
                                  << "node 'h_new_0': linear takes at least 1 input, got 0";
    QTest::newRow("undefined") << R"({"h_new_0": {"op": "linear", "input": ["x", "g"]}})"
                               << "node 'h_new_0': input 'g' is not defined";
    QTest::newRow("hidden out of range") << R"({"h_new_0": {"op": "linear", "input": ["x", "h_prev_1"]}})"
                                         << "node 'h_new_0': reads h_prev_1, but the cell has 1 hidden state";
    QTest::newRow("x into elementwise") << R"({"h_new_0": {"op": "elementwise_sum", "input": ["x", "h_prev_0"]}})"
                                        << "node 'h_new_0': elementwise_sum cannot read x";
    QTest::newRow("no output") << R"({"f": {"op": "linear", "input": ["x"]}})"
                               << "the recipe has no output node h_new_0";
    QTest::newRow("output gap") << R"({"h_new_0": {"op": "linear", "input": ["x"]},
        "h_new_2": {"op": "linear", "input": ["x"]}})"
                                << "the recipe defines h_new_2 but not h_new_1";
    QTest::newRow("cycle") << R"({"a": {"op": "activation_tanh", "input": ["b"]},
        "b": {"op": "linear", "input": ["x", "a"]}, "h_new_0": {"op": "activation_sigm", "input": ["a"]}})"
                           << "the recipe has a cycle: a -> b -> a";
    QTest::newRow("self loop") << R"({"h_new_0": {"op": "linear", "input": ["x", "h_new_0"]}})"
                               << "the recipe has a cycle: h_new_0 -> h_new_0";
    QTest::newRow("input as node") << R"({"h_prev_0": {"op": "linear", "input": ["x"]}})"
                                   << "node 'h_prev_0': x and h_prev_k name the cell's inputs, not nodes";
}

void TestNlpRecipe::validationMessages()
{
    QFETCH(QString, json);
    QFETCH(QString, message);
    const QString error = errorOf(json.toStdString());
    QVERIFY2(error.startsWith(message), qPrintable("got: " + error));
}

void TestNlpRecipe::jsonRoundTrip()
{
    for (const char* name : { "rnn", "lstm", "gru" }) {
        const Recipe recipe = Recipe::example(name);
        QVERIFY(Recipe::parseJson(recipe.toJson()) == recipe);
    }
    const Recipe odd = Recipe::fromNodes({ { "h_new_0", Op::Linear, { "x", "a \"quoted\"\\name" } },
        { "a \"quoted\"\\name", Op::Tanh, { "h_prev_0" } } });
    QVERIFY(Recipe::parseJson(odd.toJson()) == odd);
}

void TestNlpRecipe::draftsHaveJson()
{
    // One format for recipes and drafts, written without nlohmann-json.
    const std::string rnn = R"({"f": {"op": "linear", "input": ["x", "h_prev_0"]}, )"
                            R"("h_new_0": {"op": "activation_tanh", "input": ["f"]}})";
    QCOMPARE(toJson(Recipe::example("rnn").nodes()), rnn);
    QCOMPARE(Recipe::example("rnn").toJson(), rnn);
    QCOMPARE(toJson({}), std::string("{}"));
    QCOMPARE(toJson({ { "h_new_0", Op::Blend, { "h_prev_0", "h_prev_0" } } }),
        std::string(R"({"h_new_0": {"op": "blend", "input": ["h_prev_0", "h_prev_0"]}})"));

    // Each breaks a rule of Recipe::fromNodes, yet reads back as written, in the same order.
    const std::vector<std::vector<Node>> drafts {
        {},
        { { "h_new_0", Op::Blend, { "h_prev_0", "h_prev_0" } } },
        { { "b", Op::Tanh, { "a" } }, { "a", Op::Linear, { "x", "b" } }, { "h_new_0", Op::Sigmoid, { "b" } } },
        { { "h_new_0", Op::ElementwiseSum, { "x", "ghost" } } },
        { { "x", Op::Linear, { "h_prev_0" } }, { "h_new_2", Op::Sigmoid, { "x" } } },
        { { "h_new_0", Op::Linear, {} }, { "tab\tand \"quote\"", Op::LeakyRelu, { "back\\slash" } } },
    };
    for (const std::vector<Node>& draft : drafts) {
        QVERIFY_THROWS_EXCEPTION(RecipeError, Recipe::fromNodes(draft));
        QVERIFY2(parseNodesJson(toJson(draft)) == draft, toJson(draft).c_str());
    }
    QVERIFY(parseNodesJson(rnn) == Recipe::example("rnn").nodes());
}

void TestNlpRecipe::nodesJsonShapeErrors_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("message");
    QTest::newRow("not an object")
        << R"([1, 2])"
        << R"(a recipe must be a JSON object mapping node names to {"op": ..., "input": [...]})";
    QTest::newRow("node not an object") << R"({"a": ["linear", "x"]})"
                                        << R"(node 'a': expected an object with "op" and "input")";
    QTest::newRow("no op") << R"({"a": {"input": ["x"]}})"
                           << R"(node 'a': "op" must be a string)";
    QTest::newRow("op not a string") << R"({"a": {"op": 1, "input": ["x"]}})"
                                     << R"(node 'a': "op" must be a string)";
    const QString knownOps = QStringLiteral("(expected one of linear, blend, elementwise_prod, elementwise_sum, "
                                            "activation_tanh, activation_sigm, activation_leaky_relu)");
    QTest::newRow("unknown op") << R"({"a": {"op": "conv", "input": ["x"]}})"
                                << "node 'a': unknown op 'conv' " + knownOps;
    QTest::newRow("no input") << R"({"a": {"op": "linear"}})"
                              << R"(node 'a': "input" must be a list of node names)";
    QTest::newRow("input not a list") << R"({"a": {"op": "linear", "input": "x"}})"
                                      << R"(node 'a': "input" must be a list of node names)";
    QTest::newRow("input not a name") << R"({"a": {"op": "linear", "input": ["x", 2]}})"
                                      << R"(node 'a': "input" must be a list of node names, found 2)";
    QTest::newRow("second node") << R"({"h_new_0": {"op": "linear", "input": ["x"]}, "b": {"op": "sum", "input": []}})"
                                 << "node 'b': unknown op 'sum' " + knownOps;
}

void TestNlpRecipe::nodesJsonShapeErrors()
{
    QFETCH(QString, json);
    QFETCH(QString, message);
    QCOMPARE(nodesErrorOf(json.toStdString()), message);
    // Recipe::parseJson checks the shape first, with the same words.
    QCOMPARE(errorOf(json.toStdString()), message);
}

void TestNlpRecipe::nodesJsonMalformed()
{
    for (const char* json : { R"({"h_new_0": )", "", "not a recipe" }) {
        const QString error = nodesErrorOf(json);
        QVERIFY2(error.startsWith(QStringLiteral("malformed JSON: ")), qPrintable(error));
    }
}

void TestNlpRecipe::readsJsonLinesAndJson()
{
    QTemporaryDir dir;
    const std::string lines = dir.filePath("r.jsonl").toStdString();
    std::ofstream(lines) << R"({"recepie_id": 7, "recipe": )" << Recipe::example("rnn").toJson() << "}\n\n"
                         << R"({"recepie_id": 9, "recipe": )" << Recipe::example("gru").toJson() << "}\n";
    const auto read = readRecipeFile(lines);
    QCOMPARE(read.size(), std::size_t(2));
    QCOMPARE(read[1].id, std::string("9"));
    QVERIFY(read[1].recipe == Recipe::example("gru"));

    const std::string bare = dir.filePath("r.json").toStdString();
    std::ofstream(bare) << Recipe::example("lstm").toJson();
    const auto single = readRecipeFile(bare);
    QCOMPARE(single.size(), std::size_t(1));
    QCOMPARE(single[0].id, std::string("0"));
    QVERIFY(single[0].recipe == Recipe::example("lstm"));

    const std::string broken = dir.filePath("broken.jsonl").toStdString();
    std::ofstream(broken) << R"({"recepie_id": 1, "recipe": )" << Recipe::example("rnn").toJson() << "}\n"
                          << R"({"recepie_id": 2, "recipe": {"h_new_0": {"op": "linear", "input": ["y"]}}})"
                          << "\n";
    try {
        readRecipeFile(broken);
        QFAIL("an undefined input must be reported");
    } catch (const RecipeError& error) {
        QCOMPARE(QString(error.what()),
            QString::fromStdString(broken)
                + ":2: node 'h_new_0': input 'y' is not defined (neither x, an h_prev_k nor a node of the recipe)");
    }
    QVERIFY_THROWS_EXCEPTION(RecipeError, readRecipeFile(dir.filePath("missing.jsonl").toStdString()));
}

void TestNlpRecipe::generatorFollowsTheRules()
{
    RecipeGenerator generator(1);
    for (int i = 0; i < 200; ++i) {
        const Recipe recipe = generator.next();
        QCOMPARE(recipe.hiddenCount(), 2);
        std::set<std::string> read, activations;
        for (const Node& node : recipe.nodes())
            if (node.op == Op::Tanh || node.op == Op::Sigmoid || node.op == Op::LeakyRelu)
                activations.insert(node.name);
        for (const Node& node : recipe.nodes()) {
            read.insert(node.inputs.begin(), node.inputs.end());
            if (node.op == Op::Linear) {
                QVERIFY(node.inputs.size() == 2 || node.inputs.size() == 3);
                QCOMPARE(std::set<std::string>(node.inputs.begin(), node.inputs.end()).size(), node.inputs.size());
                for (const std::string& input : node.inputs) // linears read inputs and activated nodes only
                    QVERIFY(input == "x" || input.rfind("h_prev_", 0) == 0 || activations.count(input)
                        || input.rfind("h_new_", 0) == 0);
            }
            if (node.name.rfind("h_new_", 0) == 0)
                for (const std::string& input : node.inputs)
                    QVERIFY(input.rfind("h_prev_", 0) != 0);
        }
        for (const char* input : { "x", "h_prev_0", "h_prev_1" })
            QVERIFY(read.count(input));
        // Every linear's output goes through an activation: no other node reads a linear that is not an output.
        for (const Node& node : recipe.nodes())
            if (node.op == Op::Linear && node.name.rfind("h_new_", 0) != 0)
                for (const Node& reader : recipe.nodes())
                    for (const std::string& input : reader.inputs)
                        if (input == node.name && reader.op == Op::Linear)
                            QFAIL(qPrintable(QString::fromStdString("a linear reads linear " + node.name)));
    }
}

void TestNlpRecipe::generatorIsSeeded()
{
    RecipeGenerator a(42), b(42), c(43);
    bool differs = false;
    for (int i = 0; i < 20; ++i) {
        const Recipe first = a.next();
        QVERIFY(first == b.next());
        differs = differs || !(first == c.next());
    }
    QVERIFY(differs);
}

QTEST_GUILESS_MAIN(TestNlpRecipe)
#include "tst_nlprecipe.moc"
