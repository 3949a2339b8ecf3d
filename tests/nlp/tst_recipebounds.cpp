// SPDX-License-Identifier: MIT
// Hostile or careless recipe JSON: nesting, duplicate keys, sizes and the length of what a message quotes.
#include "spaces/nlp/recipe.h"

#include <QtTest>

#include <chrono>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

using namespace epsinas::nlp;

namespace {

// The most bytes a message about one recipe may take: a few quoted names (60 bytes each) and the words around them.
constexpr int kMessageBound = 400;

QString errorOf(const std::function<void()>& action)
{
    try {
        action();
    } catch (const RecipeError& error) {
        return QString::fromStdString(error.what());
    }
    return {};
}

QString parseError(const std::string& json)
{
    return errorOf([&] { Recipe::parseJson(json); });
}

/** A recipe object whose nodes n0..n(count-1) each read the next one, the last reading n0; h_new_0 reads n0. */
std::string cycleJson(int count)
{
    std::string json = "{";
    for (int i = 0; i < count; ++i)
        json += "\"n" + std::to_string(i) + "\": {\"op\": \"linear\", \"input\": [\"n" + std::to_string((i + 1) % count)
            + "\"]}, ";
    return json + R"("h_new_0": {"op": "activation_tanh", "input": ["n0"]}})";
}

const std::string kRnnNodes = R"("f": {"op": "linear", "input": ["x", "h_prev_0"]}, )"
                              R"("h_new_0": {"op": "activation_tanh", "input": ["f"]})";

} // namespace

class TestRecipeBounds : public QObject {
    Q_OBJECT

private slots:
    void duplicateKeysAreRefused_data();
    void duplicateKeysAreRefused();
    void duplicateEntryKeysNameTheLine_data();
    void duplicateEntryKeysNameTheLine();
    void deepNestingIsRefusedAtOnce_data();
    void deepNestingIsRefusedAtOnce();
    void theFormatsOwnNestingIsRead();
    void nodeCountIsBounded();
    void longCycleMessageIsBounded();
    void longNamesAreQuotedInPart();
    void recipeIdIsANumberOrAShortString();

private:
    std::string write(const QString& name, const std::string& content) const;
    QTemporaryDir m_dir;
};

std::string TestRecipeBounds::write(const QString& name, const std::string& content) const
{
    const std::string path = m_dir.filePath(name).toStdString();
    std::ofstream(path, std::ios::binary) << content;
    return path;
}

void TestRecipeBounds::duplicateKeysAreRefused_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("message");
    // The parser alone keeps the last of two keys: this recipe would score as a different cell.
    QTest::newRow("node twice") << QString::fromStdString(R"({"f": {"op": "linear", "input": ["x", "h_prev_0"]}, )"
                                                          R"("f": {"op": "linear", "input": ["h_prev_0"]}, )"
                                                          R"("h_new_0": {"op": "activation_tanh", "input": ["f"]}})")
                                << "duplicate key 'f': a key may appear once in an object";
    QTest::newRow("op twice") << QString::fromStdString(
        R"({"h_new_0": {"op": "linear", "op": "activation_tanh", "input": ["x"]}})")
                              << "duplicate key 'op' in 'h_new_0': a key may appear once in an object";
    QTest::newRow("input twice") << QString::fromStdString(
        R"({"h_new_0": {"op": "linear", "input": ["x"], "input": ["h_prev_0"]}})")
                                 << "duplicate key 'input' in 'h_new_0': a key may appear once in an object";
}

void TestRecipeBounds::duplicateKeysAreRefused()
{
    QFETCH(QString, json);
    QFETCH(QString, message);
    QCOMPARE(parseError(json.toStdString()), message);
    // The explorer's editor reads drafts through parseNodesJson: the same rule.
    QCOMPARE(errorOf([&] { parseNodesJson(json.toStdString()); }), message);
}

void TestRecipeBounds::duplicateEntryKeysNameTheLine_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("message");
    const QString recipe = QString::fromStdString("{" + kRnnNodes + "}");
    QTest::newRow("recepie_id") << R"({"recepie_id": 1, "recepie_id": 2, "recipe": )" + recipe + "}"
                                << ":2: duplicate key 'recepie_id': a key may appear once in an object";
    QTest::newRow("recipe") << R"({"recepie_id": 1, "recipe": )" + recipe + R"(, "recipe": )" + recipe + "}"
                            << ":2: duplicate key 'recipe': a key may appear once in an object";
    QTest::newRow("node") << R"({"recepie_id": 1, "recipe": {"f": {"op": "linear", "input": ["x"]}, )"
            + QString::fromStdString(kRnnNodes) + "}}"
                          << ":2: duplicate key 'f' in 'recipe': a key may appear once in an object";
}

void TestRecipeBounds::duplicateEntryKeysNameTheLine()
{
    QFETCH(QString, line);
    QFETCH(QString, message);
    const std::string good = R"({"recepie_id": 7, "recipe": {)" + kRnnNodes + "}}\n";
    const std::string path = write("duplicate.jsonl", good + line.toStdString() + "\n");
    QCOMPARE(errorOf([&] { readRecipeFile(path); }), QString::fromStdString(path) + message);
}

void TestRecipeBounds::deepNestingIsRefusedAtOnce_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("prefix");
    QTest::addColumn<QString>("suffix");
    // 100,000 levels overflowed the stack of the recursive parts of the JSON library (SIGSEGV).
    QTest::newRow("in an input list") << "deep.jsonl"
                                      << R"({"recepie_id": 1, "recipe": {"f": {"op": "linear", "input": )"
                                      << "}}}";
    QTest::newRow("bare arrays") << "deep.json"
                                 << ""
                                 << "";
    QTest::newRow("objects") << "objects.json"
                             << ""
                             << "";
}

void TestRecipeBounds::deepNestingIsRefusedAtOnce()
{
    QFETCH(QString, name);
    QFETCH(QString, prefix);
    QFETCH(QString, suffix);
    constexpr int kDepth = 100000;
    const bool objects = name.startsWith("objects");
    std::string nested;
    for (int i = 0; i < kDepth; ++i)
        nested += objects ? R"({"a": )" : "[";
    nested += objects ? "1" : "";
    for (int i = 0; i < kDepth; ++i)
        nested += objects ? "}" : "]";
    const std::string path = write(name, prefix.toStdString() + nested + suffix.toStdString() + "\n");
    const auto start = std::chrono::steady_clock::now();
    const QString message = errorOf([&] { readRecipeFile(path); });
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    QVERIFY2(message.contains("the JSON nests deeper than 16 levels"), qPrintable(message));
    QVERIFY2(message.startsWith(QString::fromStdString(path)), qPrintable(message));
    QVERIFY2(seconds < 2, qPrintable(QString("took %1 s").arg(seconds)));
    QVERIFY(parseError(nested).contains("nests deeper than 16 levels"));
}

void TestRecipeBounds::theFormatsOwnNestingIsRead()
{
    // A .json array of wrapped entries nests 5 deep: list, entry, recipe, node, input list.
    const std::string entry = R"({"recepie_id": 3, "recipe": {)" + kRnnNodes + "}}";
    const auto recipes = readRecipeFile(write("array.json", "[" + entry + ", " + entry + "]"));
    QCOMPARE(recipes.size(), std::size_t(2));
    QCOMPARE(recipes[1].id, std::string("3"));
    QVERIFY(recipes[1].recipe == Recipe::example("rnn"));
    // Keys that repeat across objects (every node has "op" and "input") are not duplicates.
    QVERIFY(parseError(Recipe::example("lstm").toJson()).isEmpty());
}

void TestRecipeBounds::nodeCountIsBounded()
{
    std::vector<Node> chain;
    for (int i = 0; i < kMaxNodes; ++i)
        chain.push_back({ "n" + std::to_string(i), Op::Linear, { i == 0 ? "x" : "n" + std::to_string(i - 1) } });
    chain.back().name = "h_new_0";
    // A chain of kMaxNodes nodes is a recipe; one node more is not.
    QCOMPARE(Recipe::fromNodes(chain).steps().size(), std::size_t(kMaxNodes));
    chain.insert(chain.begin(), { "extra", Op::Linear, { "x" } });
    QCOMPARE(
        errorOf([&] { Recipe::fromNodes(chain); }), QString("the recipe has 1001 nodes; at most 1000 are allowed"));
    // JSON with more keys in one object is refused while it is read (the ordered object inserts in linear time).
    QVERIFY(parseError(cycleJson(10000)).contains("an object has more than 1000 keys"));
    // A linear node reads at most kMaxNodes inputs.
    std::string inputs;
    for (int i = 0; i <= kMaxNodes; ++i)
        inputs += std::string(i ? ", " : "") + "\"x\"";
    QCOMPARE(parseError(R"({"h_new_0": {"op": "linear", "input": [)" + inputs + "]}}"),
        QString("node 'h_new_0': linear takes at most 1000 inputs, got 1001"));
}

void TestRecipeBounds::longCycleMessageIsBounded()
{
    // 10,000 nodes printed 89 KB; a cycle through 999 nodes is named by its ends and its length.
    const QString message = parseError(cycleJson(999));
    QCOMPARE(message,
        QString("the recipe has a cycle: n0 -> n998 -> n997 -> n996 -> … -> n3 -> n2 -> n1 -> n0 (999 nodes)"));
    QCOMPARE(parseError(cycleJson(3)), QString("the recipe has a cycle: n0 -> n2 -> n1 -> n0"));
}

void TestRecipeBounds::longNamesAreQuotedInPart()
{
    const std::string name(100000, 'q');
    const QString undefined = parseError(R"({"h_new_0": {"op": "linear", "input": [")" + name + R"("]}})");
    QVERIFY2(undefined.startsWith("node 'h_new_0': input 'qqqq"), qPrintable(undefined.left(100)));
    QVERIFY2(undefined.contains("… (100000 bytes)' is not defined"), qPrintable(undefined.left(kMessageBound)));
    QVERIFY2(undefined.size() < kMessageBound, qPrintable(QString::number(undefined.size())));
    const QString badOp = parseError(R"({"h_new_0": {"op": ")" + name + R"(", "input": ["x"]}})");
    QVERIFY2(badOp.contains("unknown op 'qqq") && badOp.size() < kMessageBound, qPrintable(badOp.left(kMessageBound)));
    // A malformed string (a control byte inside it) is quoted in part by the JSON error too.
    const QString malformed = parseError(R"({"h_new_0": {"op": ")" + name + "\x01\"}}");
    QVERIFY2(malformed.startsWith("malformed JSON: ") && malformed.size() < kMessageBound,
        qPrintable(malformed.left(kMessageBound)));
}

void TestRecipeBounds::recipeIdIsANumberOrAShortString()
{
    const std::string recipe = "{" + kRnnNodes + "}";
    const std::string path = write("ids.jsonl",
        R"({"recepie_id": "abc", "recipe": )" + recipe + "}\n" + R"({"recepie_id": 12, "recipe": )" + recipe + "}\n");
    const auto recipes = readRecipeFile(path);
    QCOMPARE(recipes[0].id, std::string("abc"));
    QCOMPARE(recipes[1].id, std::string("12"));
    const std::string objectId = write("object.jsonl", R"({"recepie_id": {"a": [1]}, "recipe": )" + recipe + "}\n");
    QCOMPARE(errorOf([&] { readRecipeFile(objectId); }),
        QString::fromStdString(objectId) + ":1: \"recepie_id\" must be a number or a string, found {\"a\":[1]}");
    const std::string longId
        = write("long.jsonl", R"({"recepie_id": ")" + std::string(1000, '7') + R"(", "recipe": )" + recipe + "}\n");
    QVERIFY(errorOf([&] { readRecipeFile(longId); }).contains("is longer than 256 bytes"));
}

QTEST_GUILESS_MAIN(TestRecipeBounds)
#include "tst_recipebounds.moc"
