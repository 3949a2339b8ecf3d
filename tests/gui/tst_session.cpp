// SPDX-License-Identifier: MIT
#include "session.h"
#include "settings.h"

#include "spaces/nb101/space.h"
#include "spaces/nb201/space.h"
#include "spaces/nlp/space.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <functional>
#include <limits>
#include <vector>

#include <sys/resource.h>
#include <sys/stat.h>

using epsinas::gui::RecentSessions;
using epsinas::gui::Session;
using epsinas::gui::SessionError;
using epsinas::gui::Settings;

namespace {
/** A session of `space` in which every field differs from its default. */
Session unusualSession(const epsinas::SearchSpace& space)
{
    Session session;
    session.space = &space;
    session.arch = QString::fromStdString(space.format(space.sample(1, 7).front()));
    session.input.kind = epsinas::InputSpec::Kind::Cifar100;
    // Above 2^53: a seed a JSON number would round.
    session.input.seed = std::numeric_limits<std::uint64_t>::max() - 2;
    session.input.path = "/data/cifar-100, with a comma: and ünïcode/train.bin";
    session.input.offset = 123457;
    session.input.batch = 64;
    session.tokens.kind = epsinas::TokenSpec::Kind::Ptb;
    session.tokens.paths = { "/data/ptb,valid.txt", "/data/ptb.test.txt" };
    // Weights that only read back exactly when written with enough digits.
    session.weights = { 0.1 + 0.2, 1.0 / 3.0 };
    session.precision = epsinas::Precision::Float64;
    session.evaluator = epsinas::EvaluatorKind::Reference;
    session.deviceChoice = QStringLiteral("cpu");
    session.benchmarkPath = QStringLiteral("/tables/nb201 \"quoted\".csv");
    session.benchmarkTarget = QStringLiteral("test-accuracy (200 epochs)");
    session.nanPolicy = QStringLiteral("worst");
    session.windowGeometry = QByteArray("\x01\xd9\xd0\xcb\x00\x03\x00\x00\xff", 9);
    session.windowState = QByteArray(300, '\0') + QByteArray("\xfe\xff dock state");
    session.logMagnitude = false;
    return session;
}

QString nb201Arch()
{
    return QString::fromStdString(epsinas::nb201::space().format(epsinas::nb201::space().startArch()));
}

/** A session file's text with `fields` added to (or replacing) those of a valid minimal session. */
QByteArray sessionWith(const QJsonObject& fields)
{
    QJsonObject root { { "format", "epsinas-session" }, { "version", 1 }, { "space", "nb201" },
        { "arch", nb201Arch() } };
    for (auto field = fields.begin(); field != fields.end(); ++field)
        root.insert(field.key(), field.value());
    return QJsonDocument(root).toJson();
}

QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeAll(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

/** The message of the SessionError `read` throws; empty when it throws none. */
template <typename Read> QString refusal(Read read)
{
    try {
        read();
    } catch (const SessionError& error) {
        return QString::fromStdString(error.what());
    }
    return {};
}
} // namespace

class TestSession : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("epsinas-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_session"));
        QSettings().clear();
    }

    void roundTripKeepsEveryField_data()
    {
        QTest::addColumn<QString>("space");
        for (const char* space : { "nb201", "nb101", "nlp" })
            QTest::newRow(space) << QString::fromLatin1(space);
    }

    void roundTripKeepsEveryField()
    {
        QFETCH(QString, space);
        const Session written = unusualSession(*epsinas::gui::findSpace(space));
        QTemporaryDir folder;
        const QString path = folder.filePath(QStringLiteral("my.epsinas-session"));
        epsinas::gui::writeSessionFile(path, written);
        const Session read = epsinas::gui::readSessionFile(path);
        QVERIFY(read == written);
        // Field by field too, so that a field operator== forgot would still be caught here.
        QCOMPARE(read.space, written.space);
        QCOMPARE(read.arch, written.arch);
        QCOMPARE(read.input.seed, written.input.seed);
        QCOMPARE(read.input.path, written.input.path);
        QCOMPARE(read.input.offset, written.input.offset);
        QCOMPARE(read.input.batch, written.input.batch);
        QVERIFY(read.input.kind == written.input.kind);
        QVERIFY(read.tokens.paths == written.tokens.paths);
        QVERIFY(read.tokens.kind == written.tokens.kind);
        QCOMPARE(read.weights.low, 0.1 + 0.2);
        QCOMPARE(read.weights.high, 1.0 / 3.0);
        QVERIFY(read.precision == epsinas::Precision::Float64);
        QVERIFY(read.evaluator == epsinas::EvaluatorKind::Reference);
        QCOMPARE(read.deviceChoice, QStringLiteral("cpu"));
        QCOMPARE(read.benchmarkPath, written.benchmarkPath);
        QCOMPARE(read.benchmarkTarget, written.benchmarkTarget);
        QCOMPARE(read.nanPolicy, QStringLiteral("worst"));
        QCOMPARE(read.windowGeometry, written.windowGeometry);
        QCOMPARE(read.windowState, written.windowState);
        QCOMPARE(read.logMagnitude, false);
        // The architecture is still one the space reads as the same architecture.
        const epsinas::SearchSpace& module = *read.space;
        QCOMPARE(module.format(module.parse(read.arch.toStdString())), written.arch.toStdString());
    }

    void equalityNoticesEveryField()
    {
        // The round trip compares with operator==: each field it ignored would go unnoticed there.
        const Session base = unusualSession(epsinas::nb201::space());
        const std::vector<std::function<void(Session&)>> changes = {
            [](Session& s) { s.version = 0; },
            [](Session& s) { s.space = &epsinas::nb101::space(); },
            [](Session& s) { s.arch += QLatin1Char(' '); },
            [](Session& s) { s.input.kind = epsinas::InputSpec::Kind::Cifar10; },
            [](Session& s) { s.input.seed += 1; },
            [](Session& s) { s.input.path += "x"; },
            [](Session& s) { s.input.offset += 1; },
            [](Session& s) { s.input.batch += 1; },
            [](Session& s) { s.tokens.kind = epsinas::TokenSpec::Kind::Synthetic; },
            [](Session& s) { s.tokens.paths.pop_back(); },
            [](Session& s) { s.weights.low *= 2; },
            [](Session& s) { s.weights.high *= 2; },
            [](Session& s) { s.precision = epsinas::Precision::Float32; },
            [](Session& s) { s.evaluator = epsinas::EvaluatorKind::Fast; },
            [](Session& s) { s.deviceChoice = QStringLiteral("auto"); },
            [](Session& s) { s.benchmarkPath.clear(); },
            [](Session& s) { s.benchmarkTarget.clear(); },
            [](Session& s) { s.nanPolicy = QStringLiteral("best"); },
            [](Session& s) { s.windowGeometry.chop(1); },
            [](Session& s) { s.windowState.chop(1); },
            [](Session& s) { s.logMagnitude = true; },
        };
        for (std::size_t i = 0; i < changes.size(); ++i) {
            Session changed = base;
            changes[i](changed);
            QVERIFY2(changed != base, qPrintable(QStringLiteral("change %1 went unnoticed").arg(i)));
        }
    }

    void fileIsTaggedAndVersioned()
    {
        const QJsonObject root = QJsonDocument::fromJson(epsinas::gui::toJson(Session {})).object();
        QCOMPARE(root.value("format").toString(), QStringLiteral("epsinas-session"));
        QCOMPARE(root.value("version").toInt(), 1);
        QCOMPARE(root.value("space").toString(), QStringLiteral("nb201"));
    }

    void documentedExampleReads()
    {
        const QByteArray page = readAll(QStringLiteral(EPSINAS_DOCS_DIR "/session.md"));
        const qsizetype begin = page.indexOf("```json\n");
        const qsizetype end = page.indexOf("```\n", begin + 1);
        QVERIFY(begin >= 0 && end > begin);
        const Session session = epsinas::gui::fromJson(page.mid(begin + 8, end - begin - 8));
        QCOMPARE(session.space, &epsinas::nb201::space());
        QVERIFY(session.input.kind == epsinas::InputSpec::Kind::Cifar10);
        QVERIFY(session.weights == epsinas::nb201::space().defaultWeights());
        QCOMPARE(session.benchmarkTarget, QStringLiteral("test_accuracy"));
    }

    void missingFieldsTakeDefaultsAndUnknownOnesAreIgnored()
    {
        // NB101's reference weights differ from the default space's: a session without weights gets its space's.
        const epsinas::SearchSpace& nb101 = epsinas::nb101::space();
        QVERIFY(!(nb101.defaultWeights() == epsinas::nb201::space().defaultWeights()));
        const QJsonObject fields { { "space", "nb101" },
            { "arch", QString::fromStdString(nb101.format(nb101.startArch())) },
            { "comment", "written by a later 1.x with more fields" },
            { "scoring", QJsonObject { { "futureKnob", 3 }, { "input", QJsonObject { { "batch", 32 } } } } },
            { "view", QJsonObject { { "zoom", 2.5 } } } };
        const Session session = epsinas::gui::fromJson(sessionWith(fields));
        const Session defaults;
        QCOMPARE(session.space, &nb101);
        QVERIFY(session.weights == nb101.defaultWeights());
        QCOMPARE(session.input.batch, 32);
        QVERIFY(session.input.kind == defaults.input.kind);
        QVERIFY(session.tokens.kind == defaults.tokens.kind);
        QVERIFY(session.precision == defaults.precision);
        QVERIFY(session.evaluator == defaults.evaluator);
        QCOMPARE(session.deviceChoice, QStringLiteral("auto"));
        QCOMPARE(session.nanPolicy, QStringLiteral("exclude"));
        QVERIFY(session.benchmarkPath.isEmpty());
        QVERIFY(session.windowGeometry.isEmpty());
        QCOMPARE(session.logMagnitude, true);
    }

    void badFilesAreRefusedAndLeftAlone_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("message");
        const auto scoring = [](const QJsonObject& fields) { return sessionWith({ { "scoring", fields } }); };
        QTest::newRow("empty") << QByteArray() << "not a session file: invalid JSON at byte 0";
        QTest::newRow("not JSON") << QByteArray("space=nb201\n") << "not a session file: invalid JSON at byte 1";
        QTest::newRow("cut short") << sessionWith({}).left(40) << "not a session file: invalid JSON at byte";
        QTest::newRow("array") << QByteArray("[1, 2]") << "not a session file: it is JSON but not a JSON object";
        QTest::newRow("no format")
            << QByteArray(R"({"version": 1, "space": "nb201"})")
            << R"(not an epsinas session file (its "format" is missing, expected 'epsinas-session'))";
        QTest::newRow("other format") << sessionWith({ { "format", "qt-creator-session" } })
                                      << "its \"format\" is 'qt-creator-session'";
        QTest::newRow("newer version") << sessionWith({ { "version", 2 } })
                                       << "written by a newer epsinas explorer (version 2); this one reads version 1";
        QTest::newRow("much newer version")
            << sessionWith({ { "version", 1e15 } })
            << "written by a newer epsinas explorer (version 1000000000000000); this one reads version 1";
        QTest::newRow("no version") << sessionWith({ { "version", QJsonValue() } })
                                    << "session field 'version' is missing";
        QTest::newRow("version 0") << sessionWith({ { "version", 0 } })
                                   << "session field 'version' must be a whole number, 1 or more";
        QTest::newRow("version 1.5") << sessionWith({ { "version", 1.5 } })
                                     << "session field 'version' must be a whole";
        QTest::newRow("version text") << sessionWith({ { "version", "1" } })
                                      << "session field 'version' must be a whole";
        QTest::newRow("unknown space") << sessionWith({ { "space", "nb999" } })
                                       << "unknown space 'nb999' (this explorer knows";
        QTest::newRow("no space") << sessionWith({ { "space", QJsonValue() } }) << "session field 'space' is missing";
        QTest::newRow("space not text") << sessionWith({ { "space", 201 } })
                                        << "session field 'space' must be a string";
        QTest::newRow("bad arch") << sessionWith({ { "arch", "|conv_9x9~0|" } })
                                  << "the architecture is not a NAS-Bench-201 cell: ";
        QTest::newRow("no arch") << sessionWith({ { "arch", QJsonValue() } }) << "session field 'arch' is missing";
        QTest::newRow("empty arch") << sessionWith({ { "arch", "" } })
                                    << "the architecture is not a NAS-Bench-201 cell";
        QTest::newRow("arch of another space")
            << sessionWith({ { "space", "nb101" } }) << "the architecture is not a NAS-Bench-101";
        QTest::newRow("scoring not an object")
            << sessionWith({ { "scoring", QJsonArray {} } }) << "session field 'scoring' must be an object";
        QTest::newRow("weights reversed") << scoring({ { "weights", QJsonObject { { "low", 1 }, { "high", 1e-7 } } } })
                                          << "session field 'scoring.weights.low' (w_lo) must be smaller than 'high'";
        QTest::newRow("weights equal") << scoring({ { "weights", QJsonObject { { "low", 0.5 }, { "high", 0.5 } } } })
                                       << "(w_lo) must be smaller than 'high' (w_hi)";
        QTest::newRow("weight as text") << scoring({ { "weights", QJsonObject { { "high", "1" } } } })
                                        << "session field 'scoring.weights.high' must be a number";
        QTest::newRow("infinite weight") << QByteArray(
            sessionWith({}).replace("\"arch\"", R"("scoring": {"weights": {"high": 1e999}}, "arch")"))
                                         << "not a session file: invalid JSON at byte 43 (illegal number)";
        QTest::newRow("batch 1") << scoring({ { "input", QJsonObject { { "batch", 1 } } } })
                                 << "session field 'scoring.input.batch' must be a whole number from 2 to 65536";
        QTest::newRow("batch too large") << scoring({ { "input", QJsonObject { { "batch", 1e9 } } } })
                                         << "'scoring.input.batch' must be a whole number from 2 to 65536";
        QTest::newRow("batch fraction") << scoring({ { "input", QJsonObject { { "batch", 16.5 } } } })
                                        << "'scoring.input.batch' must be a whole number";
        QTest::newRow("negative offset") << scoring({ { "input", QJsonObject { { "offset", -1 } } } })
                                         << "'scoring.input.offset' must be a whole number, 0 or more";
        QTest::newRow("seed not digits")
            << scoring({ { "input", QJsonObject { { "seed", "-3" } } } })
            << "'scoring.input.seed' must be a whole number from 0 to 18446744073709551615";
        QTest::newRow("seed over 64 bits")
            << scoring({ { "input", QJsonObject { { "seed", "18446744073709551616" } } } })
            << "'scoring.input.seed' must be a whole number";
        QTest::newRow("unknown input") << scoring({ { "input", QJsonObject { { "kind", "imagenet" } } } })
                                       << "'scoring.input.kind' is 'imagenet'; expected grey, noise, cifar10, cifar100";
        QTest::newRow("cifar without file") << scoring({ { "input", QJsonObject { { "kind", "cifar10" } } } })
                                            << "'scoring.input.path' must name the CIFAR binary file";
        QTest::newRow("ptb without files") << scoring({ { "tokens", QJsonObject { { "kind", "ptb" } } } })
                                           << "'scoring.tokens.paths' must name one or more PTB text files";
        QTest::newRow("token paths not text")
            << scoring({ { "tokens", QJsonObject { { "kind", "ptb" }, { "paths", QJsonArray { "a.txt", 3 } } } } })
            << "'scoring.tokens.paths' must be a list of strings";
        QTest::newRow("empty token path")
            << scoring({ { "tokens", QJsonObject { { "kind", "ptb" }, { "paths", QJsonArray { "a.txt", "" } } } } })
            << "'scoring.tokens.paths' must not hold an empty file name";
        QTest::newRow("precision") << scoring({ { "precision", "fp16" } })
                                   << "'scoring.precision' is wrong: unknown precision 'fp16' (expected fp32 or fp64)";
        QTest::newRow("evaluator") << scoring({ { "evaluator", "slow" } })
                                   << "'scoring.evaluator' is wrong: unknown evaluator 'slow'";
        QTest::newRow("device") << scoring({ { "device", "tpu" } })
                                << "'scoring.device' is 'tpu'; expected auto, cpu, cuda";
        QTest::newRow("NaN policy") << sessionWith({ { "nanPolicy", "ignore" } })
                                    << "'nanPolicy' is 'ignore'; expected exclude, worst, best";
        QTest::newRow("table path not text") << sessionWith({ { "benchmark", QJsonObject { { "path", true } } } })
                                             << "'benchmark.path' must be a string";
        QTest::newRow("geometry not base64")
            << sessionWith({ { "view", QJsonObject { { "geometry", "no base64!" } } } })
            << "'view.geometry' must be base64 text";
        QTest::newRow("log magnitude") << sessionWith({ { "view", QJsonObject { { "logMagnitude", "yes" } } } })
                                       << "'view.logMagnitude' must be true or false";
        QTest::newRow("long value quoted short")
            << sessionWith({ { "nanPolicy", QString(5000, QLatin1Char('x')) + "\nsecond line" } })
            << "'nanPolicy' is 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…'; expected";
        // Nesting far deeper than any session, within the size bound: Qt's parser stops at its depth limit.
        QTest::newRow("deep nesting") << QByteArray(250000, '[') + QByteArray(250000, ']')
                                      << "not a session file: invalid JSON at byte";
        QTest::newRow("deep nesting in an extra field") << QByteArray(sessionWith({}).replace(
            "\"arch\"", "\"extra\": " + QByteArray(200000, '[') + QByteArray(200000, ']') + ", \"arch\""))
                                                        << "not a session file: invalid JSON at byte";
    }

    void badFilesAreRefusedAndLeftAlone()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, message);
        QTemporaryDir folder;
        const QString path = folder.filePath(QStringLiteral("bad.epsinas-session"));
        QVERIFY(writeAll(path, bytes));
        const QDateTime modified = QFileInfo(path).lastModified();
        const QString error = refusal([&] { epsinas::gui::readSessionFile(path); });
        QVERIFY2(error.contains(message), qPrintable(error));
        QVERIFY2(error.startsWith(QStringLiteral("session file '%1': ").arg(path)), qPrintable(error));
        QVERIFY2(!error.contains(QLatin1Char('\n')), qPrintable(error));
        QVERIFY(error.size() < 400);
        QCOMPARE(readAll(path), bytes);
        QCOMPARE(QFileInfo(path).lastModified(), modified);
        QCOMPARE(QDir(folder.path()).entryList(QDir::Files | QDir::Hidden), QStringList { "bad.epsinas-session" });
    }

    void oversizeIsRefusedBeforeParsing()
    {
        // A valid session padded past the bound: only the size check can refuse it.
        QByteArray bytes = sessionWith({});
        QVERIFY(epsinas::gui::fromJson(bytes).arch == nb201Arch());
        bytes.append(QByteArray(epsinas::gui::kMaxSessionBytes, ' '));
        QTemporaryDir folder;
        const QString path = folder.filePath(QStringLiteral("big.epsinas-session"));
        QVERIFY(writeAll(path, bytes));
        QElapsedTimer timer;
        timer.start();
        const QString fromFile = refusal([&] { epsinas::gui::readSessionFile(path); });
        const QString fromText = refusal([&] { epsinas::gui::fromJson(bytes); });
        const qint64 elapsed = timer.elapsed();
        QVERIFY2(
            fromFile.endsWith(QStringLiteral("larger than 1024 KiB, too large for a session")), qPrintable(fromFile));
        QVERIFY2(fromText.contains(QStringLiteral("too large for a session (at most 1024 KiB)")), qPrintable(fromText));
        QCOMPARE(readAll(path), bytes);
        qInfo("refused a %lld-byte session in %lld ms", qlonglong(bytes.size()), qlonglong(elapsed));
        QVERIFY(elapsed < 2000);
    }

    void largestSessionReadsQuickly()
    {
        // Just under the bound, a window state of ~750 KB (base64 grows it by a third): still read, and fast.
        Session session = unusualSession(epsinas::nlp::space());
        session.windowState = QByteArray(750 * 1024, 's');
        const QByteArray json = epsinas::gui::toJson(session);
        QVERIFY(json.size() > 1000 * 1024 && json.size() <= epsinas::gui::kMaxSessionBytes);
        QElapsedTimer timer;
        timer.start();
        const Session read = epsinas::gui::fromJson(json);
        const qint64 elapsed = timer.elapsed();
        QVERIFY(read == session);
        qInfo("read a %lld-byte session in %lld ms", qlonglong(json.size()), qlonglong(elapsed));
        QVERIFY(elapsed < 2000);
    }

    void devicesAndPipesAreRefused()
    {
        // Neither may be read: a device such as /dev/zero never ends, and a pipe without a writer blocks.
        const QString device = refusal([] { epsinas::gui::readSessionFile(QStringLiteral("/dev/zero")); });
        QVERIFY2(device.endsWith(QStringLiteral("is not a regular file")), qPrintable(device));
        QTemporaryDir folder;
        const QString fifo = folder.filePath(QStringLiteral("pipe"));
        QCOMPARE(mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        const QString pipe = refusal([&] { epsinas::gui::readSessionFile(fifo); });
        QVERIFY2(pipe.endsWith(QStringLiteral("is not a regular file")), qPrintable(pipe));
    }

    void missingAndFolderPathsAreRefused()
    {
        QTemporaryDir folder;
        const QString missing = refusal([&] { epsinas::gui::readSessionFile(folder.filePath("none.json")); });
        QVERIFY2(missing.startsWith(QStringLiteral("session file '%1': ").arg(folder.filePath("none.json"))),
            qPrintable(missing));
        const QString isFolder = refusal([&] { epsinas::gui::readSessionFile(folder.path()); });
        QVERIFY2(isFolder.endsWith(QStringLiteral("is a folder")), qPrintable(isFolder));
    }

    void writingReplacesAnExistingSession()
    {
        QTemporaryDir folder;
        const QString path = folder.filePath(QStringLiteral("s.epsinas-session"));
        epsinas::gui::writeSessionFile(path, Session {});
        const Session second = unusualSession(epsinas::nlp::space());
        epsinas::gui::writeSessionFile(path, second);
        QVERIFY(epsinas::gui::readSessionFile(path) == second);
        QCOMPARE(QDir(folder.path()).entryList(QDir::Files | QDir::Hidden), QStringList { "s.epsinas-session" });
    }

    void writeFailingMidwayKeepsTheOldFile()
    {
        QTemporaryDir folder;
        const QString path = folder.filePath(QStringLiteral("s.epsinas-session"));
        epsinas::gui::writeSessionFile(path, Session {});
        const QByteArray before = readAll(path);
        Session larger = unusualSession(epsinas::nb201::space());
        larger.windowState = QByteArray(200000, 'd');
        // Files this process writes may not grow past 64 KiB: the write fails part-way, as on a full disk, even for
        // root (who ignores permissions). SIGXFSZ would end the process; ignored, the write returns EFBIG instead.
        rlimit saved {};
        QCOMPARE(getrlimit(RLIMIT_FSIZE, &saved), 0);
        const auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);
        rlimit small = saved;
        small.rlim_cur = 64 * 1024;
        QCOMPARE(setrlimit(RLIMIT_FSIZE, &small), 0);
        const QString error = refusal([&] { epsinas::gui::writeSessionFile(path, larger); });
        setrlimit(RLIMIT_FSIZE, &saved);
        std::signal(SIGXFSZ, oldHandler);
        QVERIFY2(error.startsWith(QStringLiteral("cannot write session file '%1': ").arg(path)), qPrintable(error));
        QVERIFY2(!error.contains(QLatin1Char('\n')), qPrintable(error));
        QCOMPARE(readAll(path), before);
        QCOMPARE(QDir(folder.path()).entryList(QDir::Files | QDir::Hidden), QStringList { "s.epsinas-session" });
        // The limit was what failed it: without it the same session is written.
        epsinas::gui::writeSessionFile(path, larger);
        QVERIFY(epsinas::gui::readSessionFile(path) == larger);
    }

    void writeIntoReadOnlyFolderKeepsTheOldFile()
    {
        QTemporaryDir folder;
        const QString path = folder.filePath(QStringLiteral("s.epsinas-session"));
        epsinas::gui::writeSessionFile(path, Session {});
        const QByteArray before = readAll(path);
        QVERIFY(QFile::setPermissions(folder.path(), QFile::ReadOwner | QFile::ExeOwner));
        const bool writable = QFile(folder.filePath("probe")).open(QIODevice::WriteOnly);
        if (writable) {
            QFile::remove(folder.filePath("probe"));
            QFile::setPermissions(folder.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
            QSKIP("this user (root) may write into read-only folders; writeFailingMidwayKeepsTheOldFile covers it");
        }
        const QString error
            = refusal([&] { epsinas::gui::writeSessionFile(path, unusualSession(epsinas::nb201::space())); });
        QFile::setPermissions(folder.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        QVERIFY2(error.startsWith(QStringLiteral("cannot write session file '%1': ").arg(path)), qPrintable(error));
        QCOMPARE(readAll(path), before);
    }

    void writeUnderAFileOrOverAFolderIsRefused()
    {
        QTemporaryDir folder;
        const QString file = folder.filePath(QStringLiteral("plain"));
        QVERIFY(writeAll(file, "not a folder"));
        const QString underFile = refusal([&] { epsinas::gui::writeSessionFile(file + "/s.json", Session {}); });
        QVERIFY2(underFile.startsWith(QStringLiteral("cannot write session file")), qPrintable(underFile));
        QCOMPARE(readAll(file), QByteArray("not a folder"));
        QVERIFY(QDir(folder.path()).mkdir(QStringLiteral("taken")));
        QVERIFY(writeAll(folder.filePath("taken/keep.txt"), "kept"));
        const QString overFolder
            = refusal([&] { epsinas::gui::writeSessionFile(folder.filePath("taken"), Session {}); });
        QVERIFY2(overFolder.startsWith(QStringLiteral("cannot write session file")), qPrintable(overFolder));
        QCOMPARE(readAll(folder.filePath("taken/keep.txt")), QByteArray("kept"));
    }

    void recentListIsOrderedDeduplicatedAndBounded()
    {
        QTemporaryDir folder;
        RecentSessions recent;
        recent.clear();
        QStringList files;
        for (int i = 0; i < 10; ++i) {
            const QString file = folder.filePath(QStringLiteral("s%1.json").arg(i));
            QVERIFY(writeAll(file, "{}"));
            files << QFileInfo(file).canonicalFilePath();
            recent.add(file);
        }
        // Most recent first, the two oldest dropped.
        QStringList expected;
        for (int i = 9; i >= 2; --i)
            expected << files[i];
        QCOMPARE(recent.paths(), expected);
        QCOMPARE(RecentSessions::kMaxEntries, 8);

        // Reopening moves an entry to the front instead of listing it twice, whatever path names the file.
        QVERIFY(QFile::link(files[5], folder.filePath(QStringLiteral("link.json"))));
        recent.add(folder.filePath(QStringLiteral("link.json")));
        QCOMPARE(recent.paths().size(), 8);
        QCOMPARE(recent.paths().front(), files[5]);
        QCOMPARE(recent.paths().count(files[5]), 1);
        QDir::setCurrent(folder.path());
        recent.add(QStringLiteral("./s7.json"));
        QCOMPARE(recent.paths().front(), files[7]);
        QCOMPARE(recent.paths().count(files[7]), 1);
        // files 7, 5, 9, 8, 6, 4, 3, 2
        QCOMPARE(recent.paths(),
            QStringList({ files[7], files[5], files[9], files[8], files[6], files[4], files[3], files[2] }));

        // Files that have gone are dropped when asked, and only then.
        QVERIFY(QFile::remove(files[9]));
        QVERIFY(QFile::remove(files[3]));
        QCOMPARE(recent.paths().size(), 8);
        const QStringList left = recent.removeMissing();
        QCOMPARE(left, QStringList({ files[7], files[5], files[8], files[6], files[4], files[2] }));
        QCOMPARE(recent.paths(), left);
        recent.remove(files[6]);
        QCOMPARE(recent.paths(), QStringList({ files[7], files[5], files[8], files[4], files[2] }));

        // A hand-edited, overlong list is cut to the bound when read.
        QStringList many;
        for (int i = 0; i < 50; ++i)
            many << QStringLiteral("/x/%1").arg(i);
        QSettings().setValue("Session/recent", many);
        QCOMPARE(recent.paths(), many.mid(0, 8));
        recent.clear();
        QVERIFY(recent.paths().isEmpty());
    }

    void applyThenCaptureGivesTheSessionBack()
    {
        Settings& settings = Settings::instance();
        QCOMPARE(&settings.space(), &epsinas::nb201::space());
        const epsinas::WeightPair nb201Weights = settings.scoringConfig().options.weights;
        Session session = unusualSession(epsinas::nb101::space());
        // A device this machine surely has, so that the resolved device is known.
        session.deviceChoice = QStringLiteral("cpu");
        session.input.kind = epsinas::InputSpec::Kind::Cifar10;
        session.input.seed = 0; // the settings keep a seed only for noise inputs
        // The settings keep token files as one comma-separated text: no commas in their names.
        session.tokens.paths = { "/data/ptb.valid.txt", "/data/ptb.test.txt" };
        QSignalSpy changed(&settings, &Settings::changed);
        epsinas::gui::applySession(session, settings);
        QCOMPARE(changed.count(), 1);

        QCOMPARE(&settings.space(), &epsinas::nb101::space());
        QCOMPARE(settings.lastArch(epsinas::nb101::space()), session.arch);
        QCOMPARE(settings.benchmarkPath(epsinas::nb101::space()), session.benchmarkPath);
        QCOMPARE(settings.benchmarkTarget(epsinas::nb101::space()), session.benchmarkTarget);
        const epsinas::gui::ScoringConfig config = settings.scoringConfig();
        QVERIFY(config.options.weights == session.weights);
        QVERIFY(config.options.precision == epsinas::Precision::Float64);
        QVERIFY(config.options.evaluator == epsinas::EvaluatorKind::Reference);
        QVERIFY(config.options.device == epsinas::Device::Cpu);
        QCOMPARE(config.input.path, session.input.path);
        QCOMPARE(config.input.offset, session.input.offset);
        QCOMPARE(config.input.batch, session.input.batch);
        QVERIFY(config.tokens.paths == session.tokens.paths);
        QCOMPARE(settings.nanPolicy(), QStringLiteral("worst"));
        QCOMPARE(settings.logMagnitude(), false);
        QCOMPARE(settings.windowGeometry(), session.windowGeometry);
        QCOMPARE(settings.windowState(), session.windowState);

        const Session captured
            = epsinas::gui::captureSession(settings, session.arch, session.windowGeometry, session.windowState);
        QVERIFY(captured == session);
        // Weights are per space: the other space's are untouched.
        settings.setSpace(epsinas::nb201::space());
        QVERIFY(settings.scoringConfig().options.weights == nb201Weights);

        // A session without a window leaves the stored one.
        Session windowless = session;
        windowless.windowGeometry.clear();
        windowless.windowState.clear();
        epsinas::gui::applySession(windowless, settings);
        QCOMPARE(settings.windowGeometry(), session.windowGeometry);
    }
};

QTEST_GUILESS_MAIN(TestSession)
#include "tst_session.moc"
