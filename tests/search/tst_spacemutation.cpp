// SPDX-License-Identifier: MIT
// The mutation of ageing evolution in every space: each mutant is an architecture the space holds (it parses back
// from its text and has no problem), differs from its parent and from the other mutants, and, for NB101 and
// NAS-Bench-NLP, is one op or one edge (one input) from its parent, as the parsed structures show. Neighbourhood
// sizes derived by hand, and with EPSINAS_DATA_DIR every spec of the NB101 table and every recipe of the NLP one.
#include "spaces/nb101/mutation.h"
#include "spaces/nb101/space.h"
#include "spaces/nlp/mutation.h"
#include "spaces/nlp/space.h"
#include "spaces/spaces.h"

#include <QtTest>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

using namespace epsinas;

namespace {

QString dataFile(const char* relative)
{
    const QString dir = qEnvironmentVariable("EPSINAS_DATA_DIR");
    return dir.isEmpty() ? QString() : dir + "/" + relative;
}

/** The specs of an NB101 table with adjacency and ops columns, read here by their column names. */
std::vector<nb101::Spec> tableSpecs(const QString& path)
{
    std::ifstream file(path.toStdString());
    std::string line;
    std::getline(file, line);
    const QStringList header = QString::fromStdString(line).split(',');
    const int adjacency = int(header.indexOf("adjacency"));
    const int ops = int(header.indexOf("ops"));
    std::vector<nb101::Spec> specs;
    while (std::getline(file, line)) {
        const QStringList fields = QString::fromStdString(line).split(',');
        specs.push_back(nb101::Spec::fromColumns(fields[adjacency].toStdString(), fields[ops].toStdString()));
    }
    return specs;
}

/** An NB101 spec from ADJ:OPS without the validation Spec::parse does: an editor's draft may break the rules. */
nb101::Spec draftSpec(const QString& text)
{
    const QStringList parts = text.split(':');
    std::vector<nb101::Op> ops;
    for (const QString& op : parts[1].split('|'))
        ops.push_back(nb101::parseOp(op.toStdString()));
    const std::size_t n = ops.size();
    std::vector<std::vector<bool>> adjacency(n, std::vector<bool>(n));
    for (std::size_t k = 0; k < n * n; ++k)
        adjacency[k / n][k % n] = parts[0][int(k)] == '1';
    return nb101::Spec(adjacency, ops);
}

/**
 * How many of a step's parts changed from `parent` to `mutant`: interior ops plus upper-triangular edges, or -1 when
 * the vertex count differs (which no step does).
 */
int nb101StepSize(const nb101::Spec& parent, const nb101::Spec& mutant)
{
    if (parent.vertexCount() != mutant.vertexCount())
        return -1;
    int changed = 0;
    for (int v = 0; v < parent.vertexCount(); ++v) {
        changed += parent.op(v) != mutant.op(v) ? 1 : 0;
        for (int to = v + 1; to < parent.vertexCount(); ++to)
            changed += parent.hasEdge(v, to) != mutant.hasEdge(v, to) ? 1 : 0;
    }
    return changed;
}

/**
 * Whether `mutant` is `parent` with one node's op changed (its inputs kept) or one input of one node replaced by a
 * source the node did not read, every other node and the node order unchanged.
 */
bool isOneNlpStep(const nlp::Recipe& parent, const nlp::Recipe& mutant)
{
    const std::vector<nlp::Node>& before = parent.nodes();
    const std::vector<nlp::Node>& after = mutant.nodes();
    if (before.size() != after.size())
        return false;
    int changedNodes = 0;
    for (std::size_t i = 0; i < before.size(); ++i) {
        if (before[i] == after[i])
            continue;
        ++changedNodes;
        if (before[i].name != after[i].name || before[i].inputs.size() != after[i].inputs.size())
            return false;
        int changedInputs = 0;
        for (std::size_t j = 0; j < before[i].inputs.size(); ++j) {
            if (before[i].inputs[j] == after[i].inputs[j])
                continue;
            ++changedInputs;
            const auto& old = before[i].inputs;
            if (std::find(old.begin(), old.end(), after[i].inputs[j]) != old.end())
                return false;
        }
        const int changedOps = before[i].op != after[i].op ? 1 : 0;
        if (changedOps + changedInputs != 1)
            return false;
    }
    return changedNodes == 1;
}

/**
 * Checks every mutant of `parent` as the space sees it: its text parses back to the same text, it has no problem, its
 * identity key is neither the parent's nor another mutant's. Returns the mutants.
 */
std::vector<Arch> checkedMutants(const SearchSpace& space, const Arch& parent)
{
    const std::vector<Arch> mutants = space.mutants(parent);
    std::set<std::string> identities { space.identityKey(parent) };
    for (const Arch& mutant : mutants) {
        const std::string text = space.format(mutant);
        const Arch parsed = space.parse(text);
        if (space.format(parsed) != text)
            qFatal("%s mutant does not read back: %s", space.key().c_str(), text.c_str());
        if (!space.problem(parsed).empty())
            qFatal("%s mutant %s: %s", space.key().c_str(), text.c_str(), space.problem(parsed).c_str());
        if (!identities.insert(space.identityKey(parsed)).second)
            qFatal("%s mutant %s repeats the parent or another mutant", space.key().c_str(), text.c_str());
    }
    return mutants;
}

void checkNb101(const nb101::Spec& parent)
{
    const std::vector<Arch> mutants = checkedMutants(nb101::space(), nb101::toArch(parent));
    std::set<std::string> hashes;
    if (parent.isValid())
        hashes.insert(parent.hash());
    for (const Arch& mutant : mutants) {
        const nb101::Spec spec = nb101::Spec::parse(nb101::space().format(mutant));
        QCOMPARE(nb101StepSize(parent, spec), 1);
        // One architecture of NB101 is one hash: isomorphic mutants count once, and never as the parent.
        QVERIFY(hashes.insert(spec.hash()).second);
    }
}

void checkNlp(const nlp::Recipe& parent)
{
    for (const Arch& mutant : checkedMutants(nlp::space(), nlp::toArch(parent)))
        QVERIFY(isOneNlpStep(parent, nlp::Recipe::parseJson(nlp::space().format(mutant))));
}

} // namespace

class TestSpaceMutation : public QObject {
    Q_OBJECT

private slots:
    void everySpaceMutatesIntoItself();
    void nb101Neighbourhoods_data();
    void nb101Neighbourhoods();
    void nb101SpecsOfTheTable();
    void nlpNeighbourhoods_data();
    void nlpNeighbourhoods();
    void nlpLargeRecipesAreNotMutated();
    void nlpRecipesOfTheTable();
};

void TestSpaceMutation::everySpaceMutatesIntoItself()
{
    for (const SearchSpace* space : spaceRegistry().all()) {
        std::vector<Arch> parents = space->sample(20, 5);
        for (const NamedArch& example : space->examples())
            parents.push_back(example.arch);
        parents.push_back(space->startArch());
        std::size_t total = 0;
        for (const Arch& parent : parents)
            total += checkedMutants(*space, parent).size();
        // A space that says it mutates has mutants for its own samples; one that does not has none.
        QVERIFY2(space->mutates() == (total > 0), space->key().c_str());
        // Evolution's neighbour lists: the parents and their mutants as candidates, each parent meets its mutants.
        std::vector<std::optional<Arch>> candidates(parents.begin(), parents.end());
        for (const Arch& parent : parents)
            for (const Arch& mutant : space->mutants(parent))
                candidates.push_back(mutant);
        const std::vector<std::vector<std::size_t>> neighbours = mutationNeighbours(*space, candidates);
        for (std::size_t i = 0; i < parents.size(); ++i)
            QVERIFY2(neighbours[i].size() >= std::min<std::size_t>(1, space->mutants(parents[i]).size()),
                space->key().c_str());
    }
    // Ageing evolution on every built-in space.
    for (const char* key : { "nb201", "nb101", "nlp" })
        QVERIFY2(spaceRegistry().find(key) && spaceRegistry().find(key)->mutates(), key);
}

void TestSpaceMutation::nb101Neighbourhoods_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<int>("mutants");
    // Input -> output alone: no interior op to change, and removing the one edge cuts the path.
    QTest::newRow("input-output") << "0100:input|output" << 0;
    // An invalid draft without the edge: adding it is the one mutant.
    QTest::newRow("unconnected") << "0000:input|output" << 1;
    // 2 op changes, the skip 0 -> 2 added; removing either edge cuts the path.
    QTest::newRow("one vertex") << "010001000:input|conv3x3-bn-relu|output" << 3;
    // 5 vertices x 2 other ops, and each of the 15 skips i -> j (j > i + 1) added (7 edges): the chain, the one
    // Hamiltonian path, fixes every vertex, so no two of them are isomorphic. Removing a chain edge cuts the path.
    QTest::newRow("chain of 7")
        << "0100000001000000010000000100000001000000010000000:input|conv3x3-bn-relu|conv3x3-bn-relu|conv3x3-bn-relu|"
           "conv3x3-bn-relu|conv3x3-bn-relu|output"
        << 25;
    // Vertex 2 is dead (no edge from the input): its 2 op changes and the removal of 2 -> 3 prune to the parent, and
    // removing 0 -> 1 or 1 -> 3 cuts the path; left are vertex 1's 2 ops and adding 0 -> 2, 0 -> 3 or 1 -> 2.
    QTest::newRow("dead vertex") << "0100000100010000:input|conv3x3-bn-relu|conv3x3-bn-relu|output" << 5;
}

void TestSpaceMutation::nb101Neighbourhoods()
{
    QFETCH(QString, spec);
    QFETCH(int, mutants);
    const nb101::Spec parent = draftSpec(spec);
    QCOMPARE(int(nb101::oneStepMutants(parent).size()), mutants);
    checkNb101(parent);
}

void TestSpaceMutation::nb101SpecsOfTheTable()
{
    const QString path = dataFile("nb101/nb101_specs_1000.csv");
    if (path.isEmpty())
        QSKIP("EPSINAS_DATA_DIR is not set");
    const std::vector<nb101::Spec> specs = tableSpecs(path);
    QCOMPARE(specs.size(), std::size_t(1000));
    std::set<std::string> tableHashes;
    for (const nb101::Spec& spec : specs)
        tableHashes.insert(spec.hash());
    std::size_t mutants = 0, inTable = 0, withNeighbour = 0;
    // Table hashes one op change away, by table hash. An op change keeps every vertex live, and an isomorphic
    // spelling of the neighbour has the op at the image vertex to change back, so this relation is symmetric; edge
    // flips are not (a removal can prune a vertex no flip of the pruned neighbour brings back).
    std::map<std::string, std::set<std::string>> opNeighbours;
    for (const nb101::Spec& spec : specs) {
        checkNb101(spec);
        std::size_t found = 0;
        for (const nb101::Spec& mutant : nb101::oneStepMutants(spec)) {
            ++mutants;
            if (!tableHashes.count(mutant.hash()))
                continue;
            ++found;
            if (mutant.adjacencyString() == spec.adjacencyString())
                opNeighbours[spec.hash()].insert(mutant.hash());
        }
        inTable += found;
        withNeighbour += found > 0 ? 1 : 0;
    }
    qInfo("NB101 table: %zu mutants of 1,000 specs (%.1f each), %zu of them in the table; %zu specs have one there",
        mutants, double(mutants) / 1000.0, inTable, withNeighbour);
    QVERIFY(!opNeighbours.empty());
    for (const auto& [hash, neighbours] : opNeighbours)
        for (const std::string& neighbour : neighbours)
            QVERIFY(opNeighbours[neighbour].count(hash));
    QVERIFY(mutants > 10 * specs.size());
}

void TestSpaceMutation::nlpNeighbourhoods_data()
{
    QTest::addColumn<QString>("recipe");
    QTest::addColumn<int>("mutants");
    // f = linear(x, h_prev_0), h_new_0 = tanh(f). f's 2 inputs fit linear, prod and sum, but only linear reads x;
    // h_new_0 may become linear, sigm or leaky_relu; f cannot be rewired (it reads x and h_prev_0 already, and
    // reading itself or h_new_0 is a cycle); h_new_0 may read h_prev_0 instead of f (tanh cannot read x).
    QTest::newRow("rnn") << "rnn" << 4;
    // h_new_0 = linear(x): one input fits linear and the activations, which cannot read x; x may become h_prev_0.
    QTest::newRow("one linear") << R"({"h_new_0": {"op": "linear", "input": ["x"]}})" << 1;
}

void TestSpaceMutation::nlpNeighbourhoods()
{
    QFETCH(QString, recipe);
    QFETCH(int, mutants);
    const nlp::Recipe parent = nlp::recipeOf(nlp::space().parse(recipe.toStdString()));
    QCOMPARE(int(nlp::oneStepMutants(parent).size()), mutants);
    checkNlp(parent);
    for (const char* name : { "lstm", "gru" })
        checkNlp(nlp::Recipe::example(name));
}

void TestSpaceMutation::nlpLargeRecipesAreNotMutated()
{
    // A chain of linear nodes reading h_prev_0 too: kMaxMutatedNodes nodes and 63 inputs, at the bounds.
    std::vector<nlp::Node> nodes;
    std::string previous = "x";
    for (int i = 0; i + 1 < nlp::kMaxMutatedNodes; ++i) {
        nodes.push_back({ "n" + std::to_string(i), nlp::Op::Linear, { previous, "h_prev_0" } });
        previous = nodes.back().name;
    }
    nodes.push_back({ "h_new_0", nlp::Op::Tanh, { previous } });
    checkNlp(nlp::Recipe::fromNodes(nodes));
    QVERIFY(!nlp::oneStepMutants(nlp::Recipe::fromNodes(nodes)).empty());
    // One node more, or two inputs more, and it is not mutated.
    std::vector<nlp::Node> longer = nodes;
    longer.insert(longer.begin(), { "extra", nlp::Op::Sigmoid, { "h_prev_0" } });
    QVERIFY(nlp::oneStepMutants(nlp::Recipe::fromNodes(longer)).empty());
    std::vector<nlp::Node> wider = nodes;
    wider.back().op = nlp::Op::Linear;
    wider.back().inputs.push_back("n0");
    QVERIFY(!nlp::oneStepMutants(nlp::Recipe::fromNodes(wider)).empty());
    wider.back().inputs.push_back("n1");
    QVERIFY(nlp::oneStepMutants(nlp::Recipe::fromNodes(wider)).empty());
}

void TestSpaceMutation::nlpRecipesOfTheTable()
{
    const QString path = dataFile("nasbench_nlp/recipes.jsonl");
    if (path.isEmpty())
        QSKIP("EPSINAS_DATA_DIR is not set");
    const std::vector<nlp::NamedRecipe> recipes = nlp::readRecipeFile(path.toStdString());
    QCOMPARE(recipes.size(), std::size_t(344));
    std::unordered_map<std::string, std::size_t> idsByJson;
    for (const nlp::NamedRecipe& named : recipes)
        ++idsByJson[named.recipe.toJson()];
    std::size_t mutants = 0, inTable = 0, withNeighbour = 0;
    for (const nlp::NamedRecipe& named : recipes) {
        checkNlp(named.recipe);
        std::size_t found = 0;
        const std::vector<nlp::Recipe> steps = nlp::oneStepMutants(named.recipe);
        for (const nlp::Recipe& mutant : steps) {
            const auto ids = idsByJson.find(mutant.toJson());
            found += ids == idsByJson.end() ? 0 : ids->second;
        }
        mutants += steps.size();
        inTable += found;
        withNeighbour += found > 0 ? 1 : 0;
    }
    qInfo("NLP recipes: %zu mutants of 344 recipes (%.1f each), %zu table ids among them; %zu recipes have one there",
        mutants, double(mutants) / 344.0, inTable, withNeighbour);
    QVERIFY(mutants > 10 * recipes.size());
}

QTEST_GUILESS_MAIN(TestSpaceMutation)
#include "tst_spacemutation.moc"
