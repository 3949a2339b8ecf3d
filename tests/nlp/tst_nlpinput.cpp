// SPDX-License-Identifier: MIT
// NAS-Bench-NLP token input: PTB tokenisation, batchify, the synthetic golden batch and the input spelling.
#include "score/tokeninput.h"
#include "spaces/nlp/model.h"

#include <QtTest>

#include <fstream>

using namespace epsinas;
using namespace epsinas::nlp;

class TestNlpInput : public QObject {
    Q_OBJECT

private slots:
    void tokenizesByFirstAppearanceAcrossFiles();
    void batchifyIsColumnMajorOverTheStream();
    void syntheticBatchIsTheGoldenOne();
    void specParsing();
    void rejectsTooLargeVocabularyAndShortText();
    void ptbCounts();
};

void TestNlpInput::tokenizesByFirstAppearanceAcrossFiles()
{
    QTemporaryDir dir;
    const std::string first = dir.filePath("a.txt").toStdString();
    const std::string second = dir.filePath("b.txt").toStdString();
    // Leading/trailing spaces and no final newline, as in the PTB files; a blank line still ends a sentence.
    std::ofstream(first) << " the cat sat \n\n the  dog ";
    std::ofstream(second) << " a cat\n";
    const TokenStream stream = tokenize({ first, second });
    QCOMPARE(stream.words, (std::vector<std::string> { "the", "cat", "sat", "<eos>", "dog", "a" }));
    QCOMPARE(stream.ids, (std::vector<std::int64_t> { 0, 1, 2, 3, 3, 0, 4, 3, 5, 1, 3 }));
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, tokenize({ dir.filePath("missing.txt").toStdString() }));
}

void TestNlpInput::batchifyIsColumnMajorOverTheStream()
{
    std::vector<std::int64_t> ids(23);
    for (std::size_t i = 0; i < ids.size(); ++i)
        ids[i] = static_cast<std::int64_t>(i);
    // 23 tokens in 4 columns: 5 rows, the trailing 3 dropped; column b holds tokens b*5 ... b*5+4.
    const std::vector<std::int64_t> x = batchify(ids, 4, 3);
    QCOMPARE(x, (std::vector<std::int64_t> { 0, 5, 10, 15, 1, 6, 11, 16, 2, 7, 12, 17 }));
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, batchify(ids, 4, 6));
}

void TestNlpInput::syntheticBatchIsTheGoldenOne()
{
    const TokenBatch batch = TokenBatch::load(TokenSpec {});
    QCOMPARE(batch.steps(), 70);
    QCOMPARE(batch.batchSize(), 256);
    const auto& tokens = batch.tokens();
    for (int t : { 0, 1, 37, 69 })
        for (int b : { 0, 1, 128, 255 })
            QCOMPARE(tokens[t * 256 + b], static_cast<std::int64_t>((t * 256 + b) * 7919 % 10000));
    QVERIFY(QString::fromStdString(batch.fingerprint()).startsWith("synthetic@70x256#"));
}

void TestNlpInput::specParsing()
{
    QCOMPARE(TokenSpec::parse("synthetic").kind, TokenSpec::Kind::Synthetic);
    const TokenSpec ptb = TokenSpec::parse("ptb:/d/a.txt,/d/b.txt");
    QCOMPARE(ptb.kind, TokenSpec::Kind::Ptb);
    QCOMPARE(ptb.paths, (std::vector<std::string> { "/d/a.txt", "/d/b.txt" }));
    QCOMPARE(ptb.toString(), std::string("ptb:/d/a.txt,/d/b.txt"));
    for (const char* bad : { "ptb:", "ptb:a,,b", "cifar10:x", "" })
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, TokenSpec::parse(bad));
}

void TestNlpInput::rejectsTooLargeVocabularyAndShortText()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("words.txt").toStdString();
    {
        std::ofstream file(path);
        for (int i = 0; i < kVocabularySize; ++i)
            file << " w" << i;
    }
    TokenSpec spec = TokenSpec::parse("ptb:" + path);
    spec.batch = 2;
    try {
        TokenBatch::load(spec);
        QFAIL("10,001 distinct tokens must not fit the vocabulary");
    } catch (const std::runtime_error& error) {
        QVERIFY2(QString(error.what()).contains("10001 distinct words"), error.what());
    }
    std::ofstream(path) << "one two three\n";
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, TokenBatch::load(spec));
}

void TestNlpInput::ptbCounts()
{
    const QString dataDir = qEnvironmentVariable("EPSINAS_DATA_DIR");
    if (dataDir.isEmpty())
        QSKIP("EPSINAS_DATA_DIR is not set: the PTB counts need the shared PTB text");
    const std::string valid = QDir(dataDir).filePath("ptb/ptb.valid.txt").toStdString();
    const std::string test = QDir(dataDir).filePath("ptb/ptb.test.txt").toStdString();
    const TokenStream stream = tokenize({ valid });
    QCOMPARE(stream.ids.size(), std::size_t(73760));
    QCOMPARE(stream.words.size(), std::size_t(6022)); // 6,021 words and <eos>

    const TokenBatch batch = TokenBatch::load(TokenSpec::parse("ptb:" + valid + "," + test));
    QCOMPARE(batch.vocabularyUsed(), std::size_t(7596));
    // 156,190 tokens: 610 rows of 256 columns; x[t][b] = ids[b * 610 + t].
    const TokenStream both = tokenize({ valid, test });
    QCOMPARE(both.ids.size(), std::size_t(156190));
    for (int t : { 0, 1, 69 })
        for (int b : { 0, 1, 255 })
            QCOMPARE(batch.tokens()[t * 256 + b], both.ids[b * 610 + t]);
    QCOMPARE(batch.tokens()[1], std::int64_t(288));
}

QTEST_GUILESS_MAIN(TestNlpInput)
#include "tst_nlpinput.moc"
