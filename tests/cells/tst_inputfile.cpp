// SPDX-License-Identifier: MIT
// Reading files from outside: bounded lines and sizes, directories and read errors as errors, quoting in part.
#include "io/inputfile.h"

#include <QtTest>

#include <sys/stat.h>

#include <functional>
#include <string>
#include <vector>

using namespace epsinas;

namespace {

// Linux: opening succeeds and the first read fails with EIO (address 0 of the process is not mapped).
const std::string kUnreadable = "/proc/self/mem";

std::string errorOf(const std::function<void()>& action)
{
    try {
        action();
    } catch (const FileError& error) {
        return error.what();
    }
    return {};
}

std::vector<std::string> linesOf(InputFile& file, std::size_t maxLength = 1 << 16)
{
    std::vector<std::string> lines;
    for (std::string line; file.readLine(line, maxLength);)
        lines.push_back(line);
    return lines;
}

} // namespace

class TestInputFile : public QObject {
    Q_OBJECT

private slots:
    void excerptQuotesPrintableTextAsIs_data();
    void excerptQuotesPrintableTextAsIs();
    void excerptEscapesAndCuts_data();
    void excerptEscapesAndCuts();
    void readsLinesAndDropsTheByteOrderMark();
    void refusesADirectory();
    void fifoWithoutWriterDoesNotHang();
    void readErrorIsAnErrorNotTheEnd();
    void missingFileNamesTheReason();
    void longLineIsRefusedWithItsNumber();
    void sizeIsBounded();
    void readAtReadsOrSaysWhereTheFileEnds();

private:
    std::string write(const QString& name, const QByteArray& content) const;
    QTemporaryDir m_dir;
};

std::string TestInputFile::write(const QString& name, const QByteArray& content) const
{
    QFile file(m_dir.filePath(name));
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
        qFatal("cannot write %s", qPrintable(file.fileName()));
    return file.fileName().toStdString();
}

void TestInputFile::excerptQuotesPrintableTextAsIs_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("ascii") << QByteArray("|nor_conv_3x3~0|+|none~0|");
    QTest::newRow("utf-8") << QByteArray("h_new_0 → tanh, “é” 中文 😀");
    QTest::newRow("empty") << QByteArray();
}

void TestInputFile::excerptQuotesPrintableTextAsIs()
{
    QFETCH(QByteArray, text);
    QCOMPARE(QByteArray::fromStdString(excerpt(text.toStdString())), text);
}

void TestInputFile::excerptEscapesAndCuts_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("limit");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("NUL") << QByteArray("nor\0_conv", 9) << 200 << QByteArray("nor\\x00_conv");
    QTest::newRow("newline and escape") << QByteArray("a\nb\x1b[2J") << 200 << QByteArray("a\\x0ab\\x1b[2J");
    QTest::newRow("DEL") << QByteArray("a\x7f") << 200 << QByteArray("a\\x7f");
    QTest::newRow("not utf-8") << QByteArray("a\xff\xc3") << 200 << QByteArray("a\\xff\\xc3");
    QTest::newRow("overlong") << QByteArray("\xc0\xaf") << 200 << QByteArray("\\xc0\\xaf");
    QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << 200 << QByteArray("\\xed\\xa0\\x80");
    QTest::newRow("C1 control") << QByteArray("\xc2\x85") << 200 << QByteArray("\\xc2\\x85");
    QTest::newRow("byte-order mark") << QByteArray("\xef\xbb\xbfx") << 200 << QByteArray("\\xef\\xbb\\xbfx");
    QTest::newRow("cut") << QByteArray(1000000, 'x') << 5 << QByteArray("xxxxx… (1000000 bytes)");
    // A character that would end past the limit is left out whole, never cut into bytes.
    QTest::newRow("cut before a character") << QByteArray("abcd€f") << 5 << QByteArray("abcd… (8 bytes)");
}

void TestInputFile::excerptEscapesAndCuts()
{
    QFETCH(QByteArray, text);
    QFETCH(int, limit);
    QFETCH(QByteArray, expected);
    QCOMPARE(QByteArray::fromStdString(excerpt(text.toStdString(), static_cast<std::size_t>(limit))), expected);
}

void TestInputFile::readsLinesAndDropsTheByteOrderMark()
{
    const std::string path = write("bom.txt",
        "\xef\xbb\xbf"
        "first\nsecond\r\n\nlast");
    InputFile file(path, "test file", 1 << 20);
    QCOMPARE(file.size(), std::int64_t(22));
    const std::vector<std::string> lines = linesOf(file);
    QCOMPARE(lines, (std::vector<std::string> { "first", "second\r", "", "last" }));
    QCOMPARE(file.lineNumber(), std::size_t(4));
    // Only at the start of the file: a mark inside is text (and excerpt shows it).
    InputFile inner(write("inner.txt",
                        "a\n\xef\xbb\xbf"
                        "b\n"),
        "test file", 1 << 20);
    QCOMPARE(linesOf(inner),
        (std::vector<std::string> { "a",
            "\xef\xbb\xbf"
            "b" }));
    InputFile whole(path, "test file", 1 << 20);
    QCOMPARE(whole.readAll(), std::string("first\nsecond\r\n\nlast"));
}

void TestInputFile::refusesADirectory()
{
    const std::string message = errorOf([&] { InputFile(m_dir.path().toStdString(), "arch file", 1 << 20); });
    QCOMPARE(QString::fromStdString(message), "arch file '" + m_dir.path() + "' is a directory");
}

void TestInputFile::fifoWithoutWriterDoesNotHang()
{
    const std::string path = m_dir.filePath("fifo").toStdString();
    QCOMPARE(::mkfifo(path.c_str(), 0600), 0);
    InputFile file(path, "arch file", 1 << 20);
    QCOMPARE(file.size(), std::int64_t(-1));
    QVERIFY(linesOf(file).empty());
}

void TestInputFile::readErrorIsAnErrorNotTheEnd()
{
    if (!QFileInfo::exists(QString::fromStdString(kUnreadable)))
        QSKIP("no /proc/self/mem here");
    // The reader checks every read the same way (fread short, then ferror), so a failure at the first read stands
    // for one in the middle of a file.
    InputFile lines(kUnreadable, "arch file", 1 << 20);
    std::string line;
    const std::string lineError = errorOf([&] { lines.readLine(line, 1 << 16); });
    QVERIFY2(lineError.find("cannot read arch file '/proc/self/mem': Input/output error") != std::string::npos,
        lineError.c_str());
    InputFile whole(kUnreadable, "recipe file", 1 << 20);
    QVERIFY(errorOf([&] { whole.readAll(); }).find("Input/output error") != std::string::npos);
}

void TestInputFile::missingFileNamesTheReason()
{
    const std::string path = m_dir.filePath("missing.txt").toStdString();
    QCOMPARE(errorOf([&] { InputFile(path, "text file", 1 << 20); }),
        "cannot read text file '" + path + "': No such file or directory");
}

void TestInputFile::longLineIsRefusedWithItsNumber()
{
    const QByteArray longLine(100000, 'y');
    const std::string path = write("long.txt", "short\n" + longLine + "\nafter\n");
    InputFile file(path, "arch file", 1 << 20);
    std::string line;
    QVERIFY(file.readLine(line, 1000));
    const std::string message = errorOf([&] { file.readLine(line, 1000); });
    QCOMPARE(message, path + ":2: the line is longer than 1000 bytes (the most a line may hold)");
    // A line of exactly the limit is read.
    InputFile exact(write("exact.txt", QByteArray(1000, 'z') + "\n"), "arch file", 1 << 20);
    QVERIFY(exact.readLine(line, 1000));
    QCOMPARE(line.size(), std::size_t(1000));
}

void TestInputFile::sizeIsBounded()
{
    const std::string path = write("big.txt", QByteArray(4096, 'a'));
    QCOMPARE(errorOf([&] { InputFile(path, "recipe file", 1024); }),
        "recipe file '" + path + "' has 4096 bytes; at most 1 KiB are read");
    // A device whose size is not known in advance is stopped once it passes the bound.
    InputFile zeros("/dev/zero", "text file", 1 << 20);
    QCOMPARE(zeros.size(), std::int64_t(-1));
    const std::string message = errorOf([&] { zeros.readAll(); });
    QCOMPARE(message, std::string("text file '/dev/zero' holds more than 1 MiB; at most that much is read"));
}

void TestInputFile::readAtReadsOrSaysWhereTheFileEnds()
{
    const std::string path = write("bytes.bin", QByteArray("0123456789"));
    InputFile file(path, "CIFAR-10 file", 1 << 20);
    QCOMPARE(file.readAt(3, 4), (std::vector<unsigned char> { '3', '4', '5', '6' }));
    QCOMPARE(errorOf([&] { file.readAt(8, 4); }),
        "CIFAR-10 file '" + path + "' ends at byte 10, before the 4 bytes asked for from byte 8");
}

QTEST_GUILESS_MAIN(TestInputFile)
#include "tst_inputfile.moc"
