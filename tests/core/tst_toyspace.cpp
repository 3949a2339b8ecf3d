// SPDX-License-Identifier: MIT
// A search space defined here, in the test, scored through the shared pipeline (run::Batch and the result store)
// with no line of core changed for it: the seam is SearchSpace, Arch, Evaluator and the registry.
#include "toyspace.h"

#include "run/batch.h"
#include "score/input.h"
#include "store/resultstore.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <fstream>
#include <set>
#include <string>
#include <utility>
#include <vector>

using namespace epsinas;

namespace {

// Images of the grey input batch; each image is constant at i/B, so the chains see the means 0, 1/8, ..., 7/8.
constexpr int kImages = 8;
// Side of the grey images: the smallest the input accepts, as the toy evaluator only reads their means.
constexpr int kImageSide = 4;

std::vector<Arch> parseAll(const std::vector<std::string>& texts)
{
    std::vector<Arch> archs;
    for (const std::string& text : texts)
        archs.push_back(toy::space().parse(text));
    return archs;
}

std::vector<std::string> formatAll(const std::vector<Arch>& archs)
{
    std::vector<std::string> texts;
    for (const Arch& arch : archs)
        texts.push_back(toy::space().format(arch));
    return texts;
}

std::vector<std::string> formKeys(const run::Batch& batch, const std::vector<std::size_t>& forms)
{
    std::vector<std::string> keys;
    for (std::size_t form : forms)
        keys.push_back(batch.forms()[form].key);
    return keys;
}

toy::ToyEvaluator& toyEvaluator(Evaluator& evaluator)
{
    return dynamic_cast<toy::ToyEvaluator&>(evaluator);
}

// Ten chains, each its own canonical form, in the order a batch scores them.
const std::vector<std::string> kDistinctChains { "relu", "neg", "tanh", "relu,neg", "relu,tanh", "neg,relu", "neg,tanh",
    "tanh,relu", "tanh,neg", "tanh,tanh" };

// Chains of which several compute one function: five forms (relu, neg,relu, tanh, tanh,tanh, id).
const std::vector<std::string> kOverlappingChains { "relu", "relu,id", "id,relu", "neg,relu", "tanh", "tanh,id",
    "tanh,tanh", "relu", "id", "id,id" };

bool sameScore(const ArchScore& a, const ArchScore& b)
{
    const auto same = [](double x, double y) { return (std::isnan(x) && std::isnan(y)) || x == y; };
    return same(a.score, b.score) && same(a.mae, b.mae) && same(a.mean, b.mean) && a.nanReason == b.nanReason;
}

// "chain: score, mae, mean, reason" of two scores, for a failure message.
QByteArray describe(const std::string& chain, const ArchScore& a, const ArchScore& b)
{
    const auto text = [](const ArchScore& score) {
        return QByteArray::number(score.score, 'g', 17) + " mae " + QByteArray::number(score.mae, 'g', 17) + " mean "
            + QByteArray::number(score.mean, 'g', 17) + " '" + QByteArray::fromStdString(score.nanReason) + "'";
    };
    return QByteArray::fromStdString(chain) + ": " + text(a) + " vs " + text(b);
}

} // namespace

class TestToySpace : public QObject {
    Q_OBJECT

private:
    ScoringInput m_input;
    ScoreOptions m_options;
    QTemporaryDir m_dir;

    RunKey runKey(const ScoreOptions& options) const { return run::runKey(toy::space(), m_input, options); }
    std::string storePath(const char* name) const { return m_dir.filePath(QString::fromLatin1(name)).toStdString(); }

    /** What the CLI's runBatch does with a store: every pending form, `chunk` at a time, each chunk written. */
    std::vector<std::vector<std::size_t>> scoreAll(
        run::Batch& batch, Evaluator& evaluator, ResultStore& store, const RunKey& key, const RunControl& control = {})
    {
        std::vector<std::vector<std::size_t>> chunks;
        while (batch.pending() > 0) {
            chunks.push_back(batch.scoreNext(evaluator, toy::space().runChunk(m_options), control));
            batch.write(chunks.back(), store, key);
        }
        return chunks;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        toy::registerSpace();
        InputSpec spec;
        spec.batch = kImages;
        spec.imageSize = kImageSide;
        m_input = ScoringInput::of(InputBatch::load(spec));
        m_options.weights = toy::space().defaultWeights();
    }

    void registersBesideTheBuiltInSpaces()
    {
        const SpaceRegistry& registry = spaceRegistry();
        QCOMPARE(&registry.get("toy"), static_cast<const SearchSpace*>(&toy::space()));
        QCOMPARE(registry.all().back(), static_cast<const SearchSpace*>(&toy::space()));
        for (const char* builtin : { "nb201", "nb101", "nlp" })
            QVERIFY2(registry.find(builtin), builtin);
        QCOMPARE(registry.keyList(), std::string("nb201, nb101, nlp or toy"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, spaceRegistry().add(toy::space()));
        QCOMPARE(registry.all().size(), std::size_t(4));
    }

    void parsesFormatsAndCanonicalises_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("canonical");
        QTest::newRow("the brief's chain") << "relu,id,neg"
                                           << "relu,neg";
        QTest::newRow("one op") << "relu"
                                << "relu";
        QTest::newRow("ids around") << "id,relu,id"
                                    << "relu";
        QTest::newRow("identity") << "id"
                                  << "id";
        QTest::newRow("ids only") << "id,id,id"
                                  << "id";
        QTest::newRow("no id") << "tanh,neg,tanh"
                               << "tanh,neg,tanh";
        QTest::newRow("longest") << "id,relu,neg,tanh,id,relu,neg,tanh"
                                 << "relu,neg,tanh,relu,neg,tanh";
    }

    void parsesFormatsAndCanonicalises()
    {
        QFETCH(QString, text);
        QFETCH(QString, canonical);
        const SearchSpace& space = toy::space();
        const Arch arch = space.parse(text.toStdString());
        QCOMPARE(&arch.space(), &space);
        QVERIFY(arch.holds<toy::Chain>());
        QCOMPARE(space.format(arch), text.toStdString());
        QCOMPARE(space.functionKey(arch), canonical.toStdString());
        QCOMPARE(space.identityKey(arch), text.toStdString());
        const Arch form = space.canonical(arch);
        QCOMPARE(space.functionKey(form), canonical.toStdString());
        QCOMPARE(form, space.parse(canonical.toStdString()));
        QCOMPARE(arch == form, text == canonical);
        QCOMPARE(arch, space.parse(text.toStdString()));
    }

    void refusesMalformedChains_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("reason");
        QTest::newRow("empty") << ""
                               << "toy op 1 '' is not one of";
        QTest::newRow("trailing comma") << "relu,"
                                        << "toy op 2 ''";
        QTest::newRow("leading comma") << ",relu"
                                       << "toy op 1 ''";
        QTest::newRow("double comma") << "relu,,id"
                                      << "toy op 2 ''";
        QTest::newRow("unknown op") << "relu,sigmoid"
                                    << "toy op 2 'sigmoid'";
        QTest::newRow("capitals") << "RELU"
                                  << "'RELU'";
        QTest::newRow("blank") << " relu"
                               << "' relu'";
        QTest::newRow("nine ops") << "id,id,id,id,id,id,id,id,id"
                                  << "at most 8 ops";
        QTest::newRow("a million commas") << QString(1000000, QLatin1Char(',')) << "toy op 1 ''";
        QTest::newRow("a million ids") << QString("id,").repeated(1000000) << "at most 8 ops";
        QTest::newRow("a megabyte op") << QString(1000000, QLatin1Char('x')) << "(1000000 bytes)";
    }

    void refusesMalformedChains()
    {
        QFETCH(QString, text);
        QFETCH(QString, reason);
        try {
            toy::space().parse(text.toStdString());
            QFAIL("parsed");
        } catch (const ParseError& error) {
            const std::string message = error.what();
            QVERIFY2(message.find(reason.toStdString()) != std::string::npos, error.what());
            // A message quotes hostile input only in part.
            QVERIFY2(message.size() < 400, qPrintable(QString::number(message.size())));
        }
    }

    void readsChainFiles()
    {
        const std::string path = storePath("chains.txt");
        std::ofstream(path) << "# two chains\nrelu,id\n\n  tanh  \n";
        std::vector<Arch> read;
        for (const NamedArch& named : toy::space().readFile(path))
            read.push_back(named.arch);
        QCOMPARE(formatAll(read), (std::vector<std::string> { "relu,id", "tanh" }));

        const std::string bad = storePath("bad.txt");
        std::ofstream(bad) << "relu\n# fine so far\nrelu,swish\n";
        try {
            toy::space().readFile(bad);
            QFAIL("read a file with a bad line");
        } catch (const FileError& error) {
            QVERIFY2(std::string(error.what()).find(bad + ":3: toy op 2 'swish'") == 0, error.what());
        }
    }

    void enumeratesSmallChains()
    {
        const SearchSpace& space = toy::space();
        const std::optional<std::vector<Arch>> all = space.enumerate();
        QVERIFY(all);
        QCOMPARE(all->size(), std::size_t(4 + 16 + 64));
        std::set<std::string> texts, keys;
        for (const Arch& arch : *all) {
            texts.insert(space.format(arch));
            keys.insert(space.functionKey(arch));
            QCOMPARE(space.parse(space.format(arch)), arch);
        }
        QCOMPARE(texts.size(), all->size());
        // Without ids: 3 + 9 + 27 chains, and "id" for the chains of ids only.
        QCOMPARE(keys.size(), std::size_t(3 + 9 + 27 + 1));

        // What a stored form stands for, as the explorer's tables ask: every listed chain with its function key.
        QCOMPARE(formatAll(run::membersOfStoredForm(space, "relu")),
            (std::vector<std::string> { "relu", "id,relu", "relu,id", "id,id,relu", "id,relu,id", "relu,id,id" }));
        QVERIFY(run::membersOfStoredForm(space, "relu,id").empty()); // not a canonical form
        QVERIFY(run::membersOfStoredForm(space, "written by another version").empty());
    }

    void samplesDeterministically()
    {
        const SearchSpace& space = toy::space();
        const std::vector<std::string> drawn = formatAll(space.sample(200, 7));
        QCOMPARE(drawn.size(), std::size_t(200));
        QCOMPARE(formatAll(space.sample(200, 7)), drawn);
        QVERIFY(formatAll(space.sample(200, 8)) != drawn);
        std::set<std::size_t> lengths;
        for (const Arch& arch : space.sample(200, 7))
            lengths.insert(arch.value<toy::Chain>().ops.size());
        QCOMPARE(lengths, (std::set<std::size_t> { 1, 2, 3, 4, 5, 6, 7, 8 }));
    }

    void countsParametersAndFillsItsColumns()
    {
        const SearchSpace& space = toy::space();
        QCOMPARE(space.parameterCount(space.parse("relu,id,neg")), std::int64_t(0));
        QCOMPARE(space.parameterCount(space.parse("tanh,id,tanh")), std::int64_t(4));
        const std::vector<std::string> columns = space.csvColumns();
        for (const char* shared : { "arch", "score", "mae", "mean", "params", "nan_reason" })
            QVERIFY2(std::find(columns.begin(), columns.end(), shared) != columns.end(), shared);
        QCOMPARE(space.csvField("length", { {}, space.parse("relu,id,neg") }), std::string("3"));
    }

    void refusesOptionsItCannotHonour()
    {
        ScoreOptions cuda = m_options;
        cuda.device = Device::Cuda;
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, toy::space().makeEvaluator(m_input, cuda));
        QVERIFY_THROWS_EXCEPTION(
            std::runtime_error, toy::space().makeEvaluator(ScoringInput::of(TokenBatch::load({})), m_options));
    }

    void scoresEachDistinctFormOnce()
    {
        const std::vector<Arch> archs = parseAll(kOverlappingChains);
        run::Batch batch(archs);
        QCOMPARE(formKeys(batch, { 0, 1, 2, 3, 4 }),
            (std::vector<std::string> { "relu", "neg,relu", "tanh", "tanh,tanh", "id" }));
        QCOMPARE(batch.forms().size(), std::size_t(5));
        QCOMPARE(batch.members(0), (std::vector<std::size_t> { 0, 1, 2, 7 }));
        QCOMPARE(batch.members(4), (std::vector<std::size_t> { 8, 9 }));
        QCOMPARE(batch.pending(), std::size_t(5));

        const auto evaluator = toy::space().makeEvaluator(m_input, m_options);
        std::vector<std::vector<std::size_t>> chunks;
        while (batch.pending() > 0)
            chunks.push_back(batch.scoreNext(*evaluator, toy::space().runChunk(m_options), {}));
        QCOMPARE(chunks, (std::vector<std::vector<std::size_t>> { { 0, 1, 2, 3 }, { 4 } }));
        // Each form once, in its canonical spelling.
        QCOMPARE(toyEvaluator(*evaluator).scored(),
            (std::vector<std::string> { "relu", "neg,relu", "tanh", "tanh,tanh", "id" }));

        // Every architecture gets the score of its own chain, not just of some form: scored alone, as written.
        for (std::size_t i = 0; i < archs.size(); ++i) {
            const auto alone = toy::space().makeEvaluator(m_input, m_options);
            const ArchScore own = alone->score({ archs[i] }).front();
            QVERIFY2(batch.formOf(i).scored, kOverlappingChains[i].c_str());
            QVERIFY2(sameScore(batch.formOf(i).score, own),
                describe(kOverlappingChains[i], batch.formOf(i).score, own).constData());
        }
        // The forms differ, so a score given to the wrong form would show.
        const ArchScore& tanh = batch.formOf(4).score;
        const ArchScore& tanhTanh = batch.formOf(6).score;
        QVERIFY2(!tanh.isNan() && !tanhTanh.isNan() && tanh.score != tanhTanh.score,
            describe("tanh against tanh,tanh", tanh, tanhTanh).constData());
        // neg then relu is 0 everywhere: the score formula's NaN, with its reason.
        const ArchScore& dead = batch.formOf(3).score;
        QVERIFY2(dead.isNan(), describe("neg,relu", dead, dead).constData());
        QVERIFY2(
            dead.nanReason.find("all outputs equal (underflow to 0)") != std::string::npos, dead.nanReason.c_str());
    }

    void takesStoredScoresFirst()
    {
        const RunKey key = runKey(m_options);
        QCOMPARE(key.space, std::string("toy"));
        QCOMPARE(key.input, m_input.fingerprint());
        QCOMPARE(key.weights, std::string("1e-07,1"));
        QCOMPARE(key.precision, std::string("fp32"));
        QCOMPARE(key.evaluator, std::string("fast"));

        const std::string path = storePath("toy.sqlite");
        const std::vector<Arch> archs = parseAll(kOverlappingChains);
        run::Batch first(archs);
        {
            ResultStore store = ResultStore::open(path);
            QVERIFY(first.takeStored(store, key).empty());
            const auto evaluator = toy::space().makeEvaluator(m_input, m_options);
            scoreAll(first, *evaluator, store, key);
            QCOMPARE(toyEvaluator(*evaluator).scored().size(), std::size_t(5));
        }

        // The rows carry the toy run key and the canonical forms.
        const ResultStore reopened = ResultStore::openReadOnly(path);
        QCOMPARE(reopened.runs().size(), std::size_t(1));
        QVERIFY(reopened.runs().front() == key);
        QCOMPARE(
            reopened.scoredCells(key), (std::vector<std::string> { "id", "neg,relu", "relu", "tanh", "tanh,tanh" }));

        // A second run over more chains computes only the new form; "neg,id,relu" is the stored "neg,relu".
        std::vector<std::string> more = kOverlappingChains;
        more.insert(more.end(), { "tanh,neg", "neg,id,relu" });
        run::Batch second(parseAll(more));
        ResultStore store = ResultStore::open(path);
        QCOMPARE(second.takeStored(store, key).size(), std::size_t(5));
        QCOMPARE(second.pending(), std::size_t(1));
        const auto evaluator = toy::space().makeEvaluator(m_input, m_options);
        scoreAll(second, *evaluator, store, key);
        QCOMPARE(toyEvaluator(*evaluator).scored(), (std::vector<std::string> { "tanh,neg" }));
        for (std::size_t i = 0; i < archs.size(); ++i) {
            const ArchScore& stored = second.formOf(i).score;
            QVERIFY2(
                sameScore(stored, first.formOf(i).score), describe(more[i], stored, first.formOf(i).score).constData());
            QVERIFY(stored.outputLow.empty()); // the store keeps no raw outputs
        }
        QVERIFY(sameScore(second.formOf(more.size() - 1).score, first.formOf(3).score));
        QCOMPARE(store.scoredCells(key).size(), std::size_t(6));

        // Another precision is another run: nothing of this one is served to it.
        ScoreOptions fp64 = m_options;
        fp64.precision = Precision::Float64;
        run::Batch third(archs);
        QVERIFY(third.takeStored(store, runKey(fp64)).empty());
        QCOMPARE(third.pending(), std::size_t(5));
    }

    void scoresInChunksWithProgress()
    {
        const RunKey key = runKey(m_options);
        ResultStore store = ResultStore::open(storePath("chunks.sqlite"));
        run::Batch batch(parseAll(kDistinctChains));
        QCOMPARE(batch.pending(), kDistinctChains.size());
        const auto evaluator = toy::space().makeEvaluator(m_input, m_options);

        std::vector<std::pair<std::size_t, std::size_t>> reports;
        RunControl control;
        control.progress = [&reports](std::size_t done, std::size_t total) { reports.emplace_back(done, total); };
        std::vector<std::size_t> pendingAfter, storedAfter;
        std::vector<std::size_t> chunkSizes;
        while (batch.pending() > 0) {
            const std::vector<std::size_t> chunk
                = batch.scoreNext(*evaluator, toy::space().runChunk(m_options), control);
            batch.write(chunk, store, key);
            chunkSizes.push_back(chunk.size());
            pendingAfter.push_back(batch.pending());
            storedAfter.push_back(store.scoredCells(key).size());
        }
        QCOMPARE(chunkSizes, (std::vector<std::size_t> { 4, 4, 2 }));
        QCOMPARE(pendingAfter, (std::vector<std::size_t> { 6, 2, 0 }));
        QCOMPARE(storedAfter, (std::vector<std::size_t> { 4, 8, 10 }));
        // Progress is reported within each chunk, as the CLI's and the explorer's drivers expect.
        const std::vector<std::pair<std::size_t, std::size_t>> expected { { 1, 4 }, { 2, 4 }, { 3, 4 }, { 4, 4 },
            { 1, 4 }, { 2, 4 }, { 3, 4 }, { 4, 4 }, { 1, 2 }, { 2, 2 } };
        QCOMPARE(reports, expected);
        QCOMPARE(toyEvaluator(*evaluator).scored(), kDistinctChains);
    }

    void cancelLeavesTheChunkPendingAndResumes()
    {
        const RunKey key = runKey(m_options);
        const std::string path = storePath("cancel.sqlite");
        ResultStore store = ResultStore::open(path);
        run::Batch batch(parseAll(kDistinctChains));
        const auto evaluator = toy::space().makeEvaluator(m_input, m_options);
        const toy::ToyEvaluator& counting = toyEvaluator(*evaluator);

        // Stop in the middle of the second chunk, after two of its chains.
        RunControl stopAfterSix;
        stopAfterSix.isCancelled = [&counting] { return counting.scored().size() >= 6; };
        const std::size_t chunk = toy::space().runChunk(m_options);
        const std::vector<std::size_t> firstChunk = batch.scoreNext(*evaluator, chunk, stopAfterSix);
        batch.write(firstChunk, store, key);
        QVERIFY_THROWS_EXCEPTION(Cancelled, batch.scoreNext(*evaluator, chunk, stopAfterSix));
        QCOMPARE(counting.scored().size(), std::size_t(6));
        QCOMPARE(batch.pending(), std::size_t(6));
        for (std::size_t form = 0; form < batch.forms().size(); ++form)
            QCOMPARE(batch.forms()[form].scored, form < 4);
        QCOMPARE(store.scoredCells(key).size(), std::size_t(4));

        // The same batch goes on with the interrupted chunk: its two finished chains are computed again.
        const std::vector<std::size_t> resumed = batch.scoreNext(*evaluator, chunk, {});
        QCOMPARE(resumed, (std::vector<std::size_t> { 4, 5, 6, 7 }));
        QCOMPARE(counting.scored().size(), std::size_t(10));
        batch.write(resumed, store, key);

        // A rerun (a new batch, as after Ctrl-C) takes the stored chunks and computes only the rest.
        run::Batch rerun(parseAll(kDistinctChains));
        QCOMPARE(rerun.takeStored(store, key), (std::vector<std::size_t> { 0, 1, 2, 3, 4, 5, 6, 7 }));
        const auto rerunEvaluator = toy::space().makeEvaluator(m_input, m_options);
        scoreAll(rerun, *rerunEvaluator, store, key);
        QCOMPARE(toyEvaluator(*rerunEvaluator).scored(), (std::vector<std::string> { "tanh,neg", "tanh,tanh" }));
        QCOMPARE(store.scoredCells(key).size(), kDistinctChains.size());

        // Cancelled before anything: nothing scored, nothing lost.
        run::Batch untouched(parseAll(kDistinctChains));
        RunControl stopAtOnce;
        stopAtOnce.isCancelled = [] { return true; };
        const auto idle = toy::space().makeEvaluator(m_input, m_options);
        QVERIFY_THROWS_EXCEPTION(Cancelled, untouched.scoreNext(*idle, chunk, stopAtOnce));
        QVERIFY(toyEvaluator(*idle).scored().empty());
        QCOMPARE(untouched.pending(), kDistinctChains.size());
    }
};

QTEST_GUILESS_MAIN(TestToySpace)
#include "tst_toyspace.moc"
