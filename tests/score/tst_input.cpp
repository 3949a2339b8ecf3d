// SPDX-License-Identifier: MIT
#include "score/input.h"

#include <QtTest>

#include <array>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

using namespace epsinas;

namespace {

constexpr int kPixels = 3 * 32 * 32;

// The pixel byte the test writes at (record, channel, row, column).
unsigned char pixel(int record, int channel, int row, int column)
{
    return static_cast<unsigned char>((record * 37 + channel * 101 + row * 13 + column * 7) % 256);
}

// Algorithm §2: torchvision's ToTensor (float32 division by 255) then Normalize, whose mean/std are the Python doubles
// x/255 turned into a float32 tensor, applied as float32 (v - mean) / std.
struct Normalisation {
    std::array<double, 3> mean, std;
    float apply(unsigned char byte, int channel) const
    {
        const float value = static_cast<float>(byte) / 255.0f;
        return (value - static_cast<float>(mean[channel] / 255)) / static_cast<float>(std[channel] / 255);
    }
};

const Normalisation kCifar10 { { 125.3, 123.0, 113.9 }, { 63.0, 62.1, 66.7 } };
const Normalisation kCifar100 { { 129.3, 124.1, 112.4 }, { 68.2, 65.4, 70.4 } };

std::runtime_error expectRuntimeError(const InputSpec& spec)
{
    try {
        InputBatch::load(spec);
    } catch (const std::runtime_error& error) {
        return error;
    }
    return std::runtime_error("");
}

} // namespace

class TestInput : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void parseSpec_data();
    void parseSpec();
    void parseSpecRejects_data();
    void parseSpecRejects();
    void greyRamp_data();
    void greyRamp();
    void noiseDeterministic();
    void noiseMatchesTorchSeed0();
    void cifar_data();
    void cifar();
    void cifarErrors_data();
    void cifarErrors();
    void unreadablePath();
    void batchTooSmall();
    void fingerprint();

private:
    // Writes `records` CIFAR records (label bytes, then R, G, B planes) and returns the path.
    std::string writeCifar(const QString& name, int records, int labelBytes, int extraBytes = 0);

    QTemporaryDir m_dir;
};

void TestInput::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

std::string TestInput::writeCifar(const QString& name, int records, int labelBytes, int extraBytes)
{
    QByteArray bytes;
    for (int r = 0; r < records; ++r) {
        for (int l = 0; l < labelBytes; ++l)
            bytes.append(char(200 + r + l)); // labels must never be read as pixels
        for (int c = 0; c < 3; ++c)
            for (int y = 0; y < 32; ++y)
                for (int x = 0; x < 32; ++x)
                    bytes.append(char(pixel(r, c, y, x)));
    }
    bytes.append(QByteArray(extraBytes, '\x55'));
    const QString path = m_dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(path));
    return path.toStdString();
}

void TestInput::parseSpec_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("kind");
    QTest::addColumn<qulonglong>("seed");
    QTest::addColumn<QString>("path");
    QTest::newRow("grey") << "grey" << int(InputSpec::Kind::Grey) << 0ull << "";
    QTest::newRow("noise") << "noise" << int(InputSpec::Kind::Noise) << 0ull << "";
    QTest::newRow("noise:7") << "noise:7" << int(InputSpec::Kind::Noise) << 7ull << "";
    QTest::newRow("cifar10") << "cifar10:/data/a.bin" << int(InputSpec::Kind::Cifar10) << 0ull << "/data/a.bin";
    QTest::newRow("cifar100") << "cifar100:rel/b.bin" << int(InputSpec::Kind::Cifar100) << 0ull << "rel/b.bin";
}

void TestInput::parseSpec()
{
    QFETCH(QString, text);
    QFETCH(int, kind);
    QFETCH(qulonglong, seed);
    QFETCH(QString, path);
    const InputSpec spec = InputSpec::parse(text.toStdString());
    QCOMPARE(int(spec.kind), kind);
    QCOMPARE(qulonglong(spec.seed), seed);
    QCOMPARE(QString::fromStdString(spec.path), path);
    const InputSpec again = InputSpec::parse(spec.toString());
    QCOMPARE(int(again.kind), kind);
    QCOMPARE(qulonglong(again.seed), seed);
    QCOMPARE(again.path, spec.path);
}

void TestInput::parseSpecRejects_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("unknown") << "imagenet:/x";
    QTest::newRow("empty") << "";
    QTest::newRow("negative seed") << "noise:-1";
    QTest::newRow("text seed") << "noise:abc";
    QTest::newRow("empty seed") << "noise:";
    QTest::newRow("cifar without path") << "cifar10:";
    QTest::newRow("grey with argument") << "grey:3";
}

void TestInput::parseSpecRejects()
{
    QFETCH(QString, text);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, InputSpec::parse(text.toStdString()));
}

void TestInput::greyRamp_data()
{
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("size");
    QTest::newRow("64x32") << 64 << 32;
    QTest::newRow("256x32") << 256 << 32;
    QTest::newRow("7x16 (not a power of two)") << 7 << 16;
}

void TestInput::greyRamp()
{
    QFETCH(int, batch);
    QFETCH(int, size);
    InputSpec spec;
    spec.kind = InputSpec::Kind::Grey;
    spec.batch = batch;
    spec.imageSize = size;
    const InputBatch input = InputBatch::load(spec);
    QCOMPARE(input.batchSize(), batch);
    QCOMPARE(input.imageSize(), size);
    const std::vector<float> values = input.values();
    const int perImage = 3 * size * size;
    QCOMPARE(int(values.size()), batch * perImage);
    // Algorithm §2 (the grey ramp): image i constant at i/B in every channel, not normalised.
    for (int i = 0; i < batch; ++i) {
        const float expected = static_cast<float>(i) / static_cast<float>(batch);
        for (int k = 0; k < perImage; ++k) {
            if (values[i * perImage + k] != expected)
                QFAIL(qPrintable(QString("image %1 value %2 is %3, expected %4")
                                     .arg(i)
                                     .arg(k)
                                     .arg(values[i * perImage + k], 0, 'g', 9)
                                     .arg(expected, 0, 'g', 9)));
        }
    }
}

void TestInput::noiseDeterministic()
{
    InputSpec spec = InputSpec::parse("noise:0");
    spec.batch = 8;
    const std::vector<float> first = InputBatch::load(spec).values();
    const std::vector<float> second = InputBatch::load(spec).values();
    QCOMPARE(int(first.size()), 8 * kPixels);
    QVERIFY(first == second);
    spec.seed = 1;
    const std::vector<float> other = InputBatch::load(spec).values();
    QCOMPARE(other.size(), first.size());
    int equal = 0;
    for (std::size_t i = 0; i < first.size(); ++i)
        equal += first[i] == other[i] ? 1 : 0;
    QVERIFY2(equal < 10, qPrintable(QString("%1 equal values across seeds").arg(equal)));
    // Standard normal: mean about 0, variance about 1 over 24,576 values (5 sigma bounds).
    double sum = 0, squares = 0;
    for (float v : other) {
        sum += v;
        squares += double(v) * v;
    }
    const double n = double(other.size());
    QVERIFY(std::abs(sum / n) < 5 / std::sqrt(n));
    QVERIFY(std::abs(squares / n - 1) < 5 * std::sqrt(2 / n));
}

void TestInput::noiseMatchesTorchSeed0()
{
    // The golden input R of algorithm §7 is torch.manual_seed(0); torch.randn(64, 3, 32, 32). Its first values, as
    // PyTorch prints them (4 decimals): -1.1258, -1.1524, -0.2506, -0.4339, 0.8487, 0.6920, -0.3160, -2.1152.
    InputSpec spec = InputSpec::parse("noise:0");
    spec.batch = 64;
    const std::vector<float> values = InputBatch::load(spec).values();
    const std::array<double, 8> expected { -1.1258, -1.1524, -0.2506, -0.4339, 0.8487, 0.6920, -0.3160, -2.1152 };
    for (std::size_t i = 0; i < expected.size(); ++i)
        QVERIFY2(std::abs(values[i] - expected[i]) <= 0.00005 + 1e-7,
            qPrintable(QString("value %1 is %2, PyTorch gives %3").arg(i).arg(values[i], 0, 'g', 9).arg(expected[i])));
}

void TestInput::cifar_data()
{
    QTest::addColumn<bool>("hundred");
    QTest::addColumn<int>("records");
    QTest::addColumn<int>("offset");
    QTest::addColumn<int>("batch");
    QTest::newRow("cifar10 whole file") << false << 3 << 0 << 3;
    QTest::newRow("cifar10 offset 2") << false << 6 << 2 << 3;
    QTest::newRow("cifar10 last records") << false << 6 << 4 << 2;
    QTest::newRow("cifar100 whole file") << true << 3 << 0 << 3;
    QTest::newRow("cifar100 offset 1") << true << 5 << 1 << 4;
}

void TestInput::cifar()
{
    QFETCH(bool, hundred);
    QFETCH(int, records);
    QFETCH(int, offset);
    QFETCH(int, batch);
    const std::string path
        = writeCifar(QString(QTest::currentDataTag()).replace(' ', '_') + ".bin", records, hundred ? 2 : 1);
    InputSpec spec = InputSpec::parse((hundred ? "cifar100:" : "cifar10:") + path);
    spec.offset = offset;
    spec.batch = batch;
    const InputBatch input = InputBatch::load(spec);
    QCOMPARE(input.batchSize(), batch);
    QCOMPARE(input.imageSize(), 32);
    const std::vector<float> values = input.values();
    QCOMPARE(int(values.size()), batch * kPixels);
    const Normalisation& norm = hundred ? kCifar100 : kCifar10;
    int mismatches = 0;
    QString first;
    for (int b = 0; b < batch; ++b) {
        for (int c = 0; c < 3; ++c) {
            for (int y = 0; y < 32; ++y) {
                for (int x = 0; x < 32; ++x) {
                    const unsigned char byte = pixel(offset + b, c, y, x);
                    const float expected = norm.apply(byte, c);
                    const float actual = values[((b * 3 + c) * 32 + y) * 32 + x];
                    if (actual != expected) {
                        if (mismatches++ == 0)
                            first = QString("image %1 channel %2 (%3,%4) byte %5: %6, expected %7 (diff %8)")
                                        .arg(b)
                                        .arg(c)
                                        .arg(y)
                                        .arg(x)
                                        .arg(byte)
                                        .arg(actual, 0, 'g', 9)
                                        .arg(expected, 0, 'g', 9)
                                        .arg(double(actual) - expected, 0, 'g', 3);
                    }
                }
            }
        }
    }
    QVERIFY2(mismatches == 0,
        qPrintable(QString("%1 of %2 values differ; first: %3").arg(mismatches).arg(values.size()).arg(first)));
}

void TestInput::cifarErrors_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("records");
    QTest::addColumn<int>("extraBytes");
    QTest::addColumn<int>("offset");
    QTest::addColumn<int>("batch");
    QTest::addColumn<QStringList>("mentions");
    QTest::newRow("truncated") << "cifar10" << 3 << -100 << 0 << 2 << QStringList { "3073", "truncated" };
    QTest::newRow("trailing bytes") << "cifar10" << 3 << 1 << 0 << 2 << QStringList { "3073" };
    QTest::newRow("garbage text") << "cifar10" << -1 << 0 << 0 << 2 << QStringList { "3073" };
    QTest::newRow("empty file") << "cifar10" << 0 << 0 << 0 << 2 << QStringList { "0 bytes" };
    QTest::newRow("cifar10 file read as cifar100")
        << "cifar100" << 5 << 0 << 0 << 2 << QStringList { "CIFAR-100", "3074" };
    QTest::newRow("batch larger than file") << "cifar10" << 3 << 0 << 0 << 4 << QStringList { "holds 3 images" };
    QTest::newRow("offset past the end") << "cifar10" << 3 << 0 << 3 << 2 << QStringList { "holds 3 images" };
    QTest::newRow("offset plus batch past the end")
        << "cifar10" << 3 << 0 << 2 << 2 << QStringList { "holds 3 images" };
    QTest::newRow("negative offset") << "cifar10" << 3 << 0 << -1 << 2 << QStringList {};
}

void TestInput::cifarErrors()
{
    QFETCH(QString, kind);
    QFETCH(int, records);
    QFETCH(int, extraBytes);
    QFETCH(int, offset);
    QFETCH(int, batch);
    QFETCH(QStringList, mentions);
    std::string path;
    const QString name = QString(QTest::currentDataTag()).replace(' ', '_') + ".bin";
    if (records < 0) {
        path = m_dir.filePath(name).toStdString();
        QFile file(QString::fromStdString(path));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray("this is not a CIFAR file\n").repeated(200));
    } else if (extraBytes >= 0) {
        path = writeCifar(name, records, 1, extraBytes);
    } else {
        path = writeCifar(name, records, 1);
        QVERIFY(
            QFile::resize(QString::fromStdString(path), QFileInfo(QString::fromStdString(path)).size() + extraBytes));
    }
    InputSpec spec = InputSpec::parse(kind.toStdString() + ":" + path);
    spec.offset = offset;
    spec.batch = batch;
    const QString message = QString::fromUtf8(expectRuntimeError(spec).what());
    QVERIFY2(!message.isEmpty(), "no std::runtime_error");
    QVERIFY2(message.contains(QString::fromStdString(path)), qPrintable("path missing from: " + message));
    for (const QString& part : mentions)
        QVERIFY2(message.contains(part), qPrintable("'" + part + "' missing from: " + message));
}

void TestInput::unreadablePath()
{
    for (const std::string& path : { m_dir.filePath("missing.bin").toStdString(), m_dir.path().toStdString() }) {
        InputSpec spec = InputSpec::parse("cifar10:" + path);
        spec.batch = 2;
        const QString message = QString::fromUtf8(expectRuntimeError(spec).what());
        QVERIFY2(!message.isEmpty(), qPrintable("no std::runtime_error for " + QString::fromStdString(path)));
        QVERIFY2(message.contains(QString::fromStdString(path)), qPrintable("path missing from: " + message));
    }
}

void TestInput::batchTooSmall()
{
    InputSpec spec;
    spec.batch = 1;
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, InputBatch::load(spec));
}

void TestInput::fingerprint()
{
    const std::string a = writeCifar("fp_a.bin", 4, 1);
    InputSpec spec = InputSpec::parse("cifar10:" + a);
    spec.batch = 2;
    const std::string base = InputBatch::load(spec).fingerprint();
    QVERIFY(!base.empty());
    QCOMPARE(InputBatch::load(spec).fingerprint(), base); // same input, same fingerprint

    // One pixel changed in the first image.
    const std::string b = m_dir.filePath("fp_b.bin").toStdString();
    QVERIFY(QFile::copy(QString::fromStdString(a), QString::fromStdString(b)));
    {
        QFile file(QString::fromStdString(b));
        QVERIFY(file.open(QIODevice::ReadWrite));
        QVERIFY(file.seek(1 + 500));
        const char changed = char(pixel(0, 0, 500 / 32, 500 % 32) ^ 1);
        QCOMPARE(file.write(&changed, 1), qint64(1));
    }
    InputSpec modified = spec;
    modified.path = b;
    QVERIFY(InputBatch::load(modified).fingerprint() != base);

    InputSpec shifted = spec;
    shifted.offset = 1;
    QVERIFY(InputBatch::load(shifted).fingerprint() != base);
    InputSpec larger = spec;
    larger.batch = 3;
    QVERIFY(InputBatch::load(larger).fingerprint() != base);

    InputSpec grey;
    grey.batch = 16;
    InputSpec greySmall = grey;
    greySmall.imageSize = 16;
    InputSpec noise = InputSpec::parse("noise:0");
    noise.batch = 16;
    InputSpec noise1 = noise;
    noise1.seed = 1;
    const std::vector<std::string> synthetic { InputBatch::load(grey).fingerprint(),
        InputBatch::load(greySmall).fingerprint(), InputBatch::load(noise).fingerprint(),
        InputBatch::load(noise1).fingerprint() };
    for (std::size_t i = 0; i < synthetic.size(); ++i)
        for (std::size_t j = i + 1; j < synthetic.size(); ++j)
            QVERIFY2(synthetic[i] != synthetic[j], synthetic[i].c_str());
}

QTEST_GUILESS_MAIN(TestInput)
#include "tst_input.moc"
