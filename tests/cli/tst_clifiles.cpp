// SPDX-License-Identifier: MIT
// What the `epsinas` command does to the files it is given (the CSV destination, the result store, the inputs): each
// test runs the built executable, then looks at the files themselves.
#include "clirun.h"

#include "spaces/nb201/cell.h"
#include "spaces/nlp/recipe.h"

#include <QtTest>

#include <sqlite3.h>

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <memory>
#include <utility>

using epsinas::nb201::Cell;

namespace {

const QString kCellA
    = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|";
const QString kCellB
    = "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|";
const QString kNb101Spec = "0110000011000010000100000:input|conv3x3-bn-relu|maxpool3x3|conv1x1-bn-relu|output";
// Columns of the NB201 score CSV and of `epsinas export`.
constexpr int kScoreColumns = 8;
constexpr int kExportColumns = 10;
// The second Ctrl-C must end the run at once: what "at once" may take on a loaded 2-core machine.
constexpr qint64 kAtOnceMs = 2000;

// Splits one CSV line (double quotes, "" inside quotes).
QStringList splitCsv(const QString& line)
{
    QStringList fields { QString() };
    bool quoted = false;
    for (int i = 0; i < line.size(); ++i) {
        const QChar c = line[i];
        if (c == '"' && quoted && i + 1 < line.size() && line[i + 1] == '"') {
            fields.back() += '"';
            ++i;
        } else if (c == '"') {
            quoted = !quoted;
        } else if (c == ',' && !quoted) {
            fields << QString();
        } else {
            fields.back() += c;
        }
    }
    return fields;
}

/** A CSV that is whole: ends with a line break, and every record has the header's number of fields. */
struct Csv {
    QStringList header;
    QList<QStringList> rows;
    bool complete = false;
    QStringList column(int index) const
    {
        QStringList values;
        for (const QStringList& row : rows)
            values << row.value(index);
        return values;
    }
};

Csv parseCsv(const QByteArray& text)
{
    Csv csv;
    csv.complete = text.endsWith('\n');
    const QStringList lines = QString::fromUtf8(text).split('\n', Qt::SkipEmptyParts);
    for (int i = 0; i < lines.size(); ++i) {
        const QStringList fields = splitCsv(lines[i]);
        if (i == 0)
            csv.header = fields;
        else
            csv.rows << fields;
        csv.complete = csv.complete && fields.size() == csv.header.size();
    }
    csv.complete = csv.complete && !csv.header.isEmpty();
    return csv;
}

QByteArray readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

/** Every entry of `folder` (hidden ones too) with its content, or for a symlink its target: to see that a run
 * changed nothing, or exactly what it changed. */
QMap<QString, QByteArray> snapshot(const QString& folder)
{
    QMap<QString, QByteArray> entries;
    const QDir dir(folder);
    for (const QFileInfo& info :
        dir.entryInfoList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot)) {
        if (info.isSymLink())
            entries[info.fileName()] = "-> " + info.symLinkTarget().toUtf8();
        else if (info.isFile())
            entries[info.fileName()] = readFile(info.filePath());
        else
            entries[info.fileName()] = "(other)";
    }
    return entries;
}

QString describeChange(const QMap<QString, QByteArray>& before, const QMap<QString, QByteArray>& after)
{
    QStringList changes;
    for (auto it = after.begin(); it != after.end(); ++it)
        if (!before.contains(it.key()) || before[it.key()] != it.value())
            changes << (before.contains(it.key()) ? "changed " : "added ") + it.key();
    for (auto it = before.begin(); it != before.end(); ++it)
        if (!after.contains(it.key()))
            changes << "removed " + it.key();
    return changes.join(", ");
}

#define QVERIFY_UNCHANGED(before, after)                                                                               \
    QVERIFY2((before) == (after), qPrintable("files changed: " + describeChange(before, after)))

/** Entries of `folder` that an epsinas CSV writer adds beside FILE: its temporary and its lock file. */
QStringList sideFiles(const QString& folder)
{
    return QDir(folder).entryList({ ".*.epsinas-*" }, QDir::Files | QDir::Hidden | QDir::System);
}

/** Holds the write lock of a store, so that a run using it waits in its first transaction (SQLite's busy wait). */
class StoreLock {
public:
    explicit StoreLock(const QString& path)
    {
        if (sqlite3_open(path.toUtf8().constData(), &m_db) == SQLITE_OK)
            m_held = sqlite3_exec(m_db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK;
    }
    ~StoreLock() { release(); }
    bool held() const { return m_held; }
    void release()
    {
        if (m_db) {
            sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
            sqlite3_close(m_db);
        }
        m_db = nullptr;
        m_held = false;
    }

private:
    sqlite3* m_db = nullptr;
    bool m_held = false;
};

/** The user a root test switches to where file permissions must apply (they do not stop root); none otherwise. */
const passwd* unprivilegedUser()
{
    return ::geteuid() == 0 ? ::getpwnam("nobody") : nullptr;
}

} // namespace

class TestCliFiles : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void devNullStaysADevice();
    void fifoIsWrittenStraightThrough();
    void symlinkTargetIsReplaced();
    void destinationThatIsAnInputIsRefused_data();
    void destinationThatIsAnInputIsRefused();
    void secondRunForOneOutFailsAtOnce();
    void simultaneousRunsForOneOut();
    void killedRunDoesNotBlockTheNext();
    void failedRunChangesNoFile();
    void namesThatAreNoFileRefused_data();
    void namesThatAreNoFileRefused();
    void storeArgumentsChecked_data();
    void storeArgumentsChecked();
    void mergeWithABadInputCreatesNothing();
    void fastAndReferenceScoresKeptApart();
    void readOnlyStores_data();
    void readOnlyStores();
    void interrupts_data();
    void interrupts();

private:
    /** Runs epsinas in `folder` (default: the test's folder), as the unprivileged user if asked and there is one. */
    CliRun run(const QStringList& args, const QString& folder = {}, bool unprivileged = false) const;
    std::unique_ptr<QProcess> start(const QStringList& args, const QString& folder) const;
    QString write(const QString& name, const QByteArray& content) const;
    QString folder(const QString& name) const;
    /** A store holding the fast scores of kCellA and kCellB, at `name` in the test's folder. */
    QString makeStore(const QString& name) const;
    /** An arch file of `count` distinct NB201 cells. */
    QString archFile(const QString& name, int count) const;

    QTemporaryDir m_dir;
};

void TestCliFiles::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFileInfo(QStringLiteral(EPSINAS_BINARY)).isExecutable(), EPSINAS_BINARY);
    // The unprivileged user of readOnlyStores must reach the folders under it.
    QCOMPARE(::chmod(m_dir.path().toLocal8Bit().constData(), 0755), 0);
}

CliRun TestCliFiles::run(const QStringList& args, const QString& folder, bool unprivileged) const
{
    const auto dropPrivileges = [](QProcess& process) {
        if (const passwd* user = unprivilegedUser()) {
            const uid_t uid = user->pw_uid;
            const gid_t gid = user->pw_gid;
            process.setChildProcessModifier([uid, gid] {
                if (::setgroups(0, nullptr) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0)
                    ::_exit(126);
            });
        }
    };
    return runCli(args, folder.isEmpty() ? m_dir.path() : folder, 120000, QStringLiteral(EPSINAS_BINARY),
        unprivileged ? std::function<void(QProcess&)>(dropPrivileges) : std::function<void(QProcess&)>());
}

std::unique_ptr<QProcess> TestCliFiles::start(const QStringList& args, const QString& folder) const
{
    auto process = std::make_unique<QProcess>();
    process->setWorkingDirectory(folder);
    process->start(QStringLiteral(EPSINAS_BINARY), args);
    process->waitForStarted(30000);
    process->closeWriteChannel();
    return process;
}

QString TestCliFiles::write(const QString& name, const QByteArray& content) const
{
    const QString path = m_dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

QString TestCliFiles::folder(const QString& name) const
{
    const QString path = m_dir.filePath(name);
    if (!QDir().mkpath(path))
        qFatal("cannot create %s", qPrintable(path));
    return path;
}

QString TestCliFiles::makeStore(const QString& name) const
{
    const QString path = m_dir.filePath(name);
    const CliRun scored = run({ "score", "--arch", kCellA, "--arch", kCellB, "--batch", "16", "--store", path });
    if (scored.exitCode != 0 || !QFileInfo::exists(path))
        qFatal("cannot make the store %s: %s", qPrintable(path), qPrintable(scored.describe()));
    return path;
}

QString TestCliFiles::archFile(const QString& name, int count) const
{
    QByteArray text;
    for (int i = 0; i < count; ++i)
        text += QByteArray::fromStdString(Cell::fromIndex(i * 173 + 11).toString()) + '\n';
    return write(name, text);
}

void TestCliFiles::devNullStaysADevice()
{
    struct stat before;
    QCOMPARE(::stat("/dev/null", &before), 0);
    QVERIFY(S_ISCHR(before.st_mode));
    // The README's Slurm example: the CSV is thrown away, the store keeps the scores.
    const QString store = m_dir.filePath("devnull.db");
    const CliRun scored = run({ "score", "--arch", kCellA, "--batch", "16", "--store", store, "--out", "/dev/null" });
    QVERIFY_EXIT(scored, 0);
    struct stat after;
    QCOMPARE(::stat("/dev/null", &after), 0);
    QVERIFY2(S_ISCHR(after.st_mode), "/dev/null is no longer a character device");
    QCOMPARE(after.st_rdev, before.st_rdev);
    QCOMPARE(after.st_ino, before.st_ino);
    QVERIFY(sideFiles("/dev").isEmpty());
    QCOMPARE(parseCsv(run({ "export", "--store", store }).out).rows.size(), 1);
}

void TestCliFiles::fifoIsWrittenStraightThrough()
{
    const QString fifo = m_dir.filePath("csv.fifo");
    QCOMPARE(::mkfifo(fifo.toLocal8Bit().constData(), 0600), 0);
    // Opened for reading first (without waiting for a writer), so that the run's open for writing does not block.
    const int reader = ::open(fifo.toLocal8Bit().constData(), O_RDONLY | O_NONBLOCK);
    QVERIFY(reader >= 0);
    const CliRun scored = run({ "score", "--arch", kCellA, "--arch", kCellB, "--batch", "16", "--out", fifo });
    QByteArray received;
    char buffer[4096];
    for (ssize_t n; (n = ::read(reader, buffer, sizeof buffer)) > 0;)
        received.append(buffer, int(n));
    ::close(reader);
    QVERIFY_EXIT(scored, 0);
    struct stat info;
    QCOMPARE(::lstat(fifo.toLocal8Bit().constData(), &info), 0);
    QVERIFY2(S_ISFIFO(info.st_mode), "the FIFO was replaced");
    const Csv csv = parseCsv(received);
    QVERIFY2(csv.complete, received.constData());
    QCOMPARE(csv.column(0), (QStringList { kCellA, kCellB }));
    QVERIFY(sideFiles(m_dir.path()).isEmpty());
}

void TestCliFiles::symlinkTargetIsReplaced()
{
    const QString targets = folder("targets");
    const QString target = targets + "/scores.csv";
    write("targets/scores.csv", "old content\n");
    QCOMPARE(::chmod(target.toLocal8Bit().constData(), 0640), 0);
    const QString link = m_dir.filePath("link.csv");
    QVERIFY(QFile::link("targets/scores.csv", link)); // relative, as `ln -s` makes it
    const CliRun scored = run({ "score", "--arch", kCellA, "--arch", kCellB, "--batch", "16", "--out", link });
    QVERIFY_EXIT(scored, 0);
    QVERIFY2(QFileInfo(link).isSymLink(), "the symlink was replaced by a file");
    QCOMPARE(QFileInfo(link).symLinkTarget(), QFileInfo(target).absoluteFilePath());
    const Csv csv = parseCsv(readFile(target));
    QVERIFY(csv.complete);
    QCOMPARE(csv.column(0), (QStringList { kCellA, kCellB }));
    QCOMPARE(QFileInfo(target).permissions(),
        QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadUser | QFileDevice::WriteUser
            | QFileDevice::ReadGroup); // the replaced file keeps its mode, 0640
    QVERIFY(sideFiles(targets).isEmpty());
    QVERIFY(sideFiles(m_dir.path()).isEmpty());

    // A dangling symlink names the file to create.
    const QString dangling = m_dir.filePath("dangling.csv");
    QVERIFY(QFile::link("targets/new.csv", dangling));
    QVERIFY_EXIT(run({ "score", "--arch", kCellA, "--batch", "16", "--out", dangling }), 0);
    QVERIFY(QFileInfo(dangling).isSymLink());
    QCOMPARE(parseCsv(readFile(targets + "/new.csv")).rows.size(), 1);
}

void TestCliFiles::destinationThatIsAnInputIsRefused_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("protectedFile");
    const QString folder = this->folder("inputs");
    const QString store = makeStore("inputs/s.db");
    QVERIFY(QFile::link(store, folder + "/link.db"));
    QCOMPARE(::link(store.toLocal8Bit().constData(), (folder + "/hard.db").toLocal8Bit().constData()), 0);
    const QString cells = archFile("inputs/cells.txt", 3);
    const QString specs = write("inputs/specs.txt", kNb101Spec.toUtf8() + '\n');
    const QString recipes = write("inputs/recipes.jsonl",
        "{\"recepie_id\": 7, \"recipe\": " + QByteArray::fromStdString(epsinas::nlp::Recipe::example("rnn").toJson())
            + "}\n");
    QByteArray text;
    for (int i = 0; i < 400; ++i)
        text += "w" + QByteArray::number(i % 37) + (i % 20 == 19 ? "\n" : " ");
    const QString ptbA = write("inputs/ptb.a.txt", text);
    const QString ptbB = write("inputs/ptb.b.txt", text);
    QByteArray images;
    for (int i = 0; i < 2 * 3073; ++i)
        images += char(i * 7);
    const QString cifar = write("inputs/batch.bin", images);
    const QStringList cellA { "score", "--arch", kCellA, "--batch", "16" };

    QTest::newRow("--out is the store") << cellA + QStringList { "--store", store, "--out", store } << store;
    QTest::newRow("--out is a symlink to the store")
        << cellA + QStringList { "--store", store, "--out", folder + "/link.db" } << store;
    QTest::newRow("--out is a hard link of the store")
        << cellA + QStringList { "--store", store, "--out", folder + "/hard.db" } << store;
    QTest::newRow("--out is the store's -wal")
        << cellA + QStringList { "--store", store, "--out", store + "-wal" } << store;
    QTest::newRow("--out is a store not yet created")
        << cellA + QStringList { "--store", folder + "/new.db", "--out", folder + "/new.db" } << store;
    QTest::newRow("--out is the arch file")
        << QStringList { "score", "--arch-file", cells, "--batch", "16", "--out", cells } << cells;
    QTest::newRow("--out is the NB101 arch file")
        << QStringList { "score", "--space", "nb101", "--arch-file", specs, "--batch", "16", "--out", specs } << specs;
    QTest::newRow("--out is the NLP recipe file") << QStringList { "score", "--space", "nlp", "--recipe-file", recipes,
        "--batch", "2", "--out", recipes } << recipes;
    QTest::newRow("--out is a PTB input") << QStringList { "score", "--space", "nlp", "--recipe", "rnn", "--input",
        "ptb:" + ptbA + "," + ptbB, "--batch", "2", "--out", ptbB }
                                          << ptbB;
    QTest::newRow("--out is the CIFAR input")
        << cellA.mid(0, 3) + QStringList { "--input", "cifar10:" + cifar, "--batch", "2", "--out", cifar } << cifar;
    QTest::newRow("export --out is its store") << QStringList { "export", "--store", store, "--out", store } << store;
    QTest::newRow("export --out is a symlink to its store")
        << QStringList { "export", "--store", store, "--out", folder + "/link.db" } << store;
}

void TestCliFiles::destinationThatIsAnInputIsRefused()
{
    QFETCH(QStringList, args);
    QFETCH(QString, protectedFile);
    const QString folder = m_dir.filePath("inputs");
    const auto before = snapshot(folder);
    const CliRun refused = run(args);
    QVERIFY_REFUSED(refused);
    QVERIFY2(QString::fromUtf8(refused.err).contains("refusing to write"), qPrintable(refused.describe()));
    QVERIFY_UNCHANGED(before, snapshot(folder));
    // The store still opens.
    if (protectedFile.endsWith(".db"))
        QVERIFY_EXIT(run({ "export", "--store", protectedFile }), 0);
}

void TestCliFiles::secondRunForOneOutFailsAtOnce()
{
    const QString work = folder("race");
    const QString store = makeStore("race/s.db");
    const QString cells = archFile("race/cells.txt", 40);
    const QString out = work + "/f.csv";
    const QStringList args { "score", "--arch-file", cells, "--batch", "16", "--store", store, "--out", out };
    // The first run takes the CSV's lock, then waits for the store, which this test holds.
    StoreLock storeLock(store);
    QVERIFY(storeLock.held());
    const auto first = start(args, work);
    QElapsedTimer waited;
    waited.start();
    while (!QFileInfo::exists(work + "/.f.csv.epsinas-lock") && waited.elapsed() < 60000)
        QTest::qWait(50);
    QVERIFY2(QFileInfo::exists(work + "/.f.csv.epsinas-lock"), "the first run never took its lock");

    const CliRun second = run(args, work);
    QVERIFY_REFUSED(second);
    QVERIFY2(QString::fromUtf8(second.err).contains("being written by another epsinas run")
            && QString::fromUtf8(second.err).contains(out),
        qPrintable(second.describe()));
    QCOMPARE(first->state(), QProcess::Running); // the second did not wait for the first
    QVERIFY(!QFileInfo::exists(out));

    storeLock.release();
    const CliRun firstRun = finishRun(*first, "epsinas " + args.join(' '));
    QVERIFY_EXIT(firstRun, 0);
    const Csv csv = parseCsv(readFile(out));
    QVERIFY(csv.complete);
    QCOMPARE(csv.header.size(), kScoreColumns);
    QCOMPARE(csv.rows.size(), 40);
    QCOMPARE(csv.column(0).join('\n') + '\n', QString::fromUtf8(readFile(cells)));
    QVERIFY2(sideFiles(work).isEmpty(), qPrintable(sideFiles(work).join(", ")));
}

void TestCliFiles::simultaneousRunsForOneOut()
{
    const QString work = folder("simultaneous");
    const QString store = makeStore("simultaneous/s.db");
    const QString cells = archFile("simultaneous/cells.txt", 30);
    const QString out = work + "/f.csv";
    const QStringList args { "score", "--arch-file", cells, "--batch", "16", "--store", store, "--out", out };
    StoreLock storeLock(store);
    QVERIFY(storeLock.held());
    // Started together, both reach the lock within moments; the winner then waits for the store, so exactly one
    // loses.
    std::unique_ptr<QProcess> runs[] = { start(args, work), start(args, work) };
    QElapsedTimer waited;
    waited.start();
    int loser = -1;
    while (loser < 0 && waited.elapsed() < 90000) {
        QTest::qWait(50);
        for (int i = 0; i < 2; ++i)
            if (runs[i]->state() == QProcess::NotRunning)
                loser = i;
    }
    QVERIFY2(loser >= 0, "neither run gave up: both wait, or one waited for the other");
    const CliRun lost = finishRun(*runs[loser], "epsinas " + args.join(' '));
    QVERIFY_REFUSED(lost);
    QVERIFY2(QString::fromUtf8(lost.err).contains("being written by another epsinas run"), qPrintable(lost.describe()));
    QCOMPARE(runs[1 - loser]->state(), QProcess::Running);
    storeLock.release();
    const CliRun won = finishRun(*runs[1 - loser], "epsinas " + args.join(' '));
    QVERIFY_EXIT(won, 0);
    const Csv csv = parseCsv(readFile(out));
    QVERIFY(csv.complete);
    QCOMPARE(csv.rows.size(), 30);
    QVERIFY(sideFiles(work).isEmpty());
}

void TestCliFiles::killedRunDoesNotBlockTheNext()
{
    const QString work = folder("killed");
    const QString store = makeStore("killed/s.db");
    const QString out = work + "/f.csv";
    const QStringList args { "score", "--arch", kCellA, "--arch", kCellB, "--batch", "16", "--store", store, "--out",
        out };
    StoreLock storeLock(store);
    QVERIFY(storeLock.held());
    const auto killed = start(args, work);
    QElapsedTimer waited;
    waited.start();
    while (sideFiles(work).size() < 2 && waited.elapsed() < 60000)
        QTest::qWait(50);
    QCOMPARE(sideFiles(work).size(), 2); // the lock and the temporary
    ::kill(pid_t(killed->processId()), SIGKILL);
    QVERIFY(killed->waitForFinished(30000));
    QCOMPARE(killed->exitStatus(), QProcess::CrashExit);
    QCOMPARE(sideFiles(work).size(), 2); // SIGKILL cannot be cleaned up after ...
    storeLock.release();

    // ... but the lock died with its process, and the next run removes the stale temporary.
    const CliRun next = run(args, work);
    QVERIFY_EXIT(next, 0);
    QCOMPARE(parseCsv(readFile(out)).rows.size(), 2);
    QVERIFY2(sideFiles(work).isEmpty(), qPrintable(sideFiles(work).join(", ")));
}

void TestCliFiles::failedRunChangesNoFile()
{
    const QString work = folder("failed");
    write("failed/out.csv", "old,content\n");
    write("failed/out.csv.partial", "a file of the user's\n");
    const QString foreign = write("failed/foreign.db", QByteArray("not a store\n").repeated(400));
    const QString out = work + "/out.csv";
    const QList<QStringList> failing {
        // Fails after the CSV is opened, when the store is.
        { "score", "--arch", kCellA, "--batch", "16", "--store", foreign, "--out", out },
        { "score", "--arch", "|bogus~0|", "--out", out },
        { "export", "--store", foreign, "--out", out },
        { "score", "--arch", kCellA, "--batch", "16", "--out", work + "/missing/out.csv" },
    };
    const auto before = snapshot(work);
    for (const QStringList& args : failing) {
        const CliRun failed = run(args, work);
        QVERIFY_REFUSED(failed);
        QVERIFY_UNCHANGED(before, snapshot(work));
    }
    // A run that succeeds replaces out.csv and nothing else.
    QVERIFY_EXIT(run({ "score", "--arch", kCellA, "--batch", "16", "--out", out }, work), 0);
    auto after = snapshot(work);
    QVERIFY(parseCsv(after.take("out.csv")).complete);
    auto expected = before;
    expected.remove("out.csv");
    QVERIFY_UNCHANGED(expected, after);
}

void TestCliFiles::namesThatAreNoFileRefused_data()
{
    QTest::addColumn<QStringList>("args");
    const QString store = makeStore("names.db");
    const QStringList cellA { "score", "--arch", kCellA, "--batch", "16" };
    QTest::newRow("score --out ''") << cellA + QStringList { "--out", "" };
    QTest::newRow("export --out ''") << QStringList { "export", "--store", store, "--out", "" };
    for (const QString& name :
        { QString(), QString(":memory:"), QString("file::memory:"), QString("file:x?mode=memory") }) {
        QTest::addRow("score --store '%s'", qPrintable(name)) << cellA + QStringList { "--store", name };
        QTest::addRow("export --store '%s'", qPrintable(name)) << QStringList { "export", "--store", name };
        QTest::addRow("merge '%s' IN", qPrintable(name)) << QStringList { "merge", name, store };
        QTest::addRow("merge OUT '%s'", qPrintable(name)) << QStringList { "merge", "out.db", name };
    }
}

void TestCliFiles::namesThatAreNoFileRefused()
{
    QFETCH(QStringList, args);
    const QString work = folder("names");
    const auto before = snapshot(work);
    const CliRun refused = run(args, work);
    QVERIFY_REFUSED(refused);
    QVERIFY_UNCHANGED(before, snapshot(work)); // no ./.partial, no file named file::memory:, no out.db
}

void TestCliFiles::storeArgumentsChecked_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("mentions");
    folder("arguments");
    const QString store = makeStore("arguments/s.db");
    const QString out = m_dir.filePath("arguments/out.db");
    QVERIFY(QFile::link(store, m_dir.filePath("arguments/link.db")));
    QTest::newRow("export with a stray argument") << QStringList { "export", "--store", store, "extra" } << "extra";
    QTest::newRow("merge without inputs") << QStringList { "merge", out } << "IN";
    QTest::newRow("merge OUT as an input") << QStringList { "merge", store, store } << "also given as an input";
    QTest::newRow("merge OUT as an input through a symlink")
        << QStringList { "merge", m_dir.filePath("arguments/link.db"), store } << "also given as an input";
    QTest::newRow("merge a new OUT and one input twice") << QStringList { "merge", out, store, store } << "twice";
    QTest::newRow("merge with a missing input") << QStringList { "merge", out, store, "missing.db" } << "missing.db";
}

void TestCliFiles::storeArgumentsChecked()
{
    QFETCH(QStringList, args);
    QFETCH(QString, mentions);
    const QString work = m_dir.filePath("arguments");
    const auto before = snapshot(work);
    const CliRun refused = run(args, work);
    QVERIFY_REFUSED(refused);
    QVERIFY2(QString::fromUtf8(refused.err).contains(mentions), qPrintable(refused.describe()));
    QVERIFY_UNCHANGED(before, snapshot(work));
}

void TestCliFiles::mergeWithABadInputCreatesNothing()
{
    const QString work = folder("merge");
    const QString good = makeStore("merge/good.db");
    write("merge/foreign.db", QByteArray("cell,score\n").repeated(300));
    const auto before = snapshot(work);
    for (const QString& bad : { QString("missing.db"), QString("foreign.db") }) {
        const CliRun failed = run({ "merge", "out.db", "good.db", bad }, work);
        QVERIFY_REFUSED(failed);
        QVERIFY2(QString::fromUtf8(failed.err).contains(bad), qPrintable(failed.describe()));
        QVERIFY_UNCHANGED(before, snapshot(work)); // no empty out.db
    }
    // An existing OUT is left as it was.
    QVERIFY_EXIT(run({ "merge", "out.db", "good.db" }, work), 0);
    const QByteArray merged = readFile(work + "/out.db");
    QVERIFY_REFUSED(run({ "merge", "out.db", "good.db", "foreign.db" }, work));
    QCOMPARE(readFile(work + "/out.db"), merged);
}

void TestCliFiles::fastAndReferenceScoresKeptApart()
{
    const QString work = folder("evaluators");
    const QStringList cells { "score", "--arch", kCellA, "--arch", kCellB, "--batch", "16", "--threads", "1" };
    const CliRun fast = run(cells + QStringList { "--store", "both.db" }, work);
    QVERIFY_EXIT(fast, 0);
    // The same cells with the reference network are not served the fast scores ...
    const QStringList reference = cells + QStringList { "--evaluator", "reference" };
    const CliRun full = run(reference + QStringList { "--store", "both.db" }, work);
    QVERIFY_EXIT(full, 0);
    QVERIFY2(QString::fromUtf8(full.err).contains("(2 distinct, 2 computed)"), qPrintable(full.describe()));
    // ... but their own, once stored.
    const CliRun again = run(reference + QStringList { "--store", "both.db" }, work);
    QVERIFY_EXIT(again, 0);
    QVERIFY2(QString::fromUtf8(again.err).contains("(2 distinct, 0 computed)"), qPrintable(again.describe()));
    QCOMPARE(again.out, full.out);

    const Csv exported = parseCsv(run({ "export", "--store", "both.db" }, work).out);
    QVERIFY(exported.complete);
    QCOMPARE(exported.header.size(), kExportColumns);
    QCOMPARE(exported.header.last(), QString("evaluator"));
    QCOMPARE(exported.rows.size(), 4);
    QMap<QString, QString> stored; // evaluator + cell -> score
    for (const QStringList& row : exported.rows)
        stored[row.last() + " " + row[0]] = row[1];
    for (const auto& [evaluator, csv] :
        { std::pair { QString("fast"), fast.out }, std::pair { QString("reference"), full.out } }) {
        for (const QStringList& row : parseCsv(csv).rows)
            QCOMPARE(stored.value(evaluator + " " + row[6]), row[1]); // canonical form -> the run's score
    }

    // Stores of the two evaluators merge without conflicts.
    QVERIFY_EXIT(run(cells + QStringList { "--store", "fast.db" }, work), 0);
    QVERIFY_EXIT(run(reference + QStringList { "--store", "reference.db" }, work), 0);
    const CliRun merged = run({ "merge", "merged.db", "fast.db", "reference.db" }, work);
    QVERIFY_EXIT(merged, 0);
    QVERIFY2(QString::fromUtf8(merged.err).contains("4 scores added, 0 already present, 0 conflicts"),
        qPrintable(merged.describe()));
}

void TestCliFiles::readOnlyStores_data()
{
    QTest::addColumn<bool>("folderWritable");
    QTest::newRow("read-only folder") << false;
    QTest::newRow("read-only file in a writable folder") << true;
}

void TestCliFiles::readOnlyStores()
{
    QFETCH(bool, folderWritable);
    const QString name = folderWritable ? "ro_file" : "ro_folder";
    const QString stores = folder(name);
    const QString store = makeStore(name + "/s.db");
    const CliRun expected = run({ "export", "--store", store });
    QVERIFY_EXIT(expected, 0);
    const QString outFolder = folder(name + "_out");
    // Root ignores permissions: there the runs below are made as the user nobody, for whom the root-owned store is
    // read-only, and the folders meant to be writable are given to nobody.
    const passwd* user = unprivilegedUser();
    const auto giveAway = [&](const QString& path) {
        return !user || ::chown(path.toLocal8Bit().constData(), user->pw_uid, user->pw_gid) == 0;
    };
    QVERIFY(giveAway(outFolder));
    QCOMPARE(::chmod(store.toLocal8Bit().constData(), 0444), 0);
    if (folderWritable)
        QVERIFY(giveAway(stores));
    else
        QCOMPARE(::chmod(stores.toLocal8Bit().constData(), 0555), 0);
    if (::geteuid() == 0 && !user)
        QSKIP("running as root without a user 'nobody': permissions cannot be tested");
    const auto before = snapshot(stores);

    const CliRun exported = run({ "export", "--store", store }, outFolder, true);
    const CliRun merged = run({ "merge", outFolder + "/merged.db", store }, outFolder, true);
    const CliRun mergedExport = run({ "export", "--store", outFolder + "/merged.db" });
    ::chmod(stores.toLocal8Bit().constData(), 0755);
    QVERIFY_EXIT(exported, 0);
    QCOMPARE(exported.out, expected.out);
    QVERIFY_EXIT(merged, 0);
    QVERIFY2(QString::fromUtf8(merged.err).contains("2 scores added"), qPrintable(merged.describe()));
    QCOMPARE(mergedExport.out, expected.out);
    QVERIFY_UNCHANGED(before, snapshot(stores)); // and no -wal or -shm left behind
}

void TestCliFiles::interrupts_data()
{
    QTest::addColumn<QList<int>>("sent");
    QTest::addColumn<bool>("storeBusy");
    QTest::addColumn<QString>("says");
    QTest::newRow("one Ctrl-C stops gracefully") << QList<int> { SIGINT } << false << "interrupted after";
    QTest::newRow("a second Ctrl-C stops at once") << QList<int> { SIGINT, SIGINT } << false << "interrupted again";
    QTest::newRow("SIGTERM, then Ctrl-C") << QList<int> { SIGTERM, SIGINT } << false << "interrupted again";
    // Waiting for a store another process writes, the run cannot stop on the first signal: only the second ends it.
    QTest::newRow("a second Ctrl-C while the store is busy")
        << QList<int> { SIGINT, SIGINT } << true << "interrupted again";
}

void TestCliFiles::interrupts()
{
    QFETCH(QList<int>, sent);
    QFETCH(bool, storeBusy);
    QFETCH(QString, says);
    const QString name
        = "interrupt_" + QString::fromLatin1(QTest::currentDataTag()).replace(QRegularExpression("\\W"), "_");
    const QString work = folder(name);
    const QString cells = archFile(name + "/cells.txt", 30);
    const QString store = makeStore(name + "/s.db");
    const QByteArray storeBefore = readFile(store);
    StoreLock storeLock(store);
    if (storeBusy)
        QVERIFY(storeLock.held());
    else
        storeLock.release();
    // The reference network takes about a second per cell here: the run is inside a cell when the signals come.
    const QStringList args { "score", "--evaluator", "reference", "--arch-file", cells, "--batch", "16", "--threads",
        "1", "--store", "s.db", "--out", "f.csv" };
    const auto process = start(args, work);
    QByteArray err;
    // Reads stderr until it holds `text` or the run ends; what the run has said so far stays in `err`.
    const auto waitFor = [&](const QByteArray& text) {
        QElapsedTimer waited;
        waited.start();
        while (!err.contains(text) && process->state() == QProcess::Running && waited.elapsed() < 120000) {
            process->waitForReadyRead(20);
            err += process->readAllStandardError();
        }
        return err.contains(text);
    };
    if (storeBusy) {
        QElapsedTimer waited;
        waited.start();
        while (sideFiles(work).size() < 2 && waited.elapsed() < 60000)
            QTest::qWait(20);
        QTest::qWait(500); // past the CSV's lock, into the wait for the store
    } else {
        QVERIFY2(waitFor("scoring:"), err.constData());
    }
    QElapsedTimer sinceLast;
    for (int i = 0; i < sent.size(); ++i) {
        // Two signals sent together arrive as one (the kernel keeps one pending signal of a kind): the second goes
        // once the run has said that it saw the first, as a user's second Ctrl-C does.
        if (i > 0)
            QVERIFY2(waitFor("Ctrl-C again"), err.constData());
        ::kill(pid_t(process->processId()), sent[i]);
        sinceLast.start();
    }
    QVERIFY(process->waitForFinished(120000));
    const qint64 stopMs = sinceLast.elapsed();
    err += process->readAllStandardError();
    qInfo("stopped %lld ms after the last signal", stopMs);
    QCOMPARE(process->exitStatus(), QProcess::NormalExit);
    QCOMPARE(process->exitCode(), 130);
    QVERIFY2(err.contains(says.toUtf8()), err.constData());
    if (sent.size() > 1)
        QVERIFY2(stopMs < kAtOnceMs, qPrintable(QString("took %1 ms").arg(stopMs)));
    QVERIFY(!QFileInfo::exists(work + "/f.csv"));
    QVERIFY2(sideFiles(work).isEmpty(), qPrintable(sideFiles(work).join(", ")));
    // The store opens and holds no half-written chunk: the 30 cells are one chunk, so nothing was added.
    storeLock.release();
    const CliRun exported = run({ "export", "--store", "s.db" }, work);
    QVERIFY_EXIT(exported, 0);
    const Csv csv = parseCsv(exported.out);
    QVERIFY(csv.complete);
    QCOMPARE(csv.rows.size(), 2);
    QCOMPARE(readFile(store), storeBefore);
}

QTEST_GUILESS_MAIN(TestCliFiles)
#include "tst_clifiles.moc"
