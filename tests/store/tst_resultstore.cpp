// SPDX-License-Identifier: MIT
#include "store/resultstore.h"
#include "store/shard.h"

#include <QtTest>

#include <sqlite3.h>

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

using epsinas::MergeStats;
using epsinas::ResultStore;
using epsinas::RunKey;
using epsinas::Shard;
using epsinas::StoredScore;
using epsinas::StoreError;

namespace {

const RunKey kRun { "nb201", "grey:32@0x256#0123abcd", "1e-07,1", "fp32", "fast" };
const RunKey kOtherRun { "nb201", "grey:32@0x256#0123abcd", "1e-07,1", "fp64", "fast" };
// kRun scored by the full-width reference network: its scores differ from the fast path's by up to 1 %.
const RunKey kReferenceRun { "nb201", "grey:32@0x256#0123abcd", "1e-07,1", "fp32", "reference" };
// kRun as a schema-1 store holds it: the evaluator was not recorded.
const RunKey kUnrecordedRun { "nb201", "grey:32@0x256#0123abcd", "1e-07,1", "fp32", "unrecorded" };

constexpr int kCellCount = 1000;
// Does not divide kCellCount, so the last chunk of a run is a partial one.
constexpr int kChunkSize = 64;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr const char* kNanReason = "low-weight output is constant";

// Zero-padded so that the store's ordering by cell text is the ordering by position.
std::string cellName(int position)
{
    char name[16];
    std::snprintf(name, sizeof name, "c%08d", position);
    return name;
}

// A deterministic fake of scoring one cell; every seventh cell has a NaN score, as dead cells do.
StoredScore fakeScore(int position)
{
    if (position % 7 == 0)
        return { cellName(position), kNaN, 0.25 * position, kNaN, kNanReason };
    return { cellName(position), 1.0 + 0.5 * position, 0.25 * position, -0.125 * position, {} };
}

std::string storePath(const QTemporaryDir& dir, const char* name)
{
    return dir.filePath(QString::fromLatin1(name)).toStdString();
}

// Runs SQL on a file with plain SQLite, to forge files that epsinas itself would never write.
void rawExec(const std::string& path, const char* sql)
{
    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &error);
    const QByteArray message = error ? QByteArray(error) : QByteArray();
    sqlite3_free(error);
    sqlite3_close(db);
    QVERIFY2(rc == SQLITE_OK, message.constData());
}

// The message of the StoreError that `action` throws; empty when it throws none.
QString storeError(const std::function<void()>& action)
{
    try {
        action();
    } catch (const StoreError& error) {
        return QString::fromStdString(error.what());
    }
    return {};
}

QByteArray fileBytes(const std::string& path)
{
    QFile file(QString::fromStdString(path));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void writeFile(const std::string& path, const QByteArray& bytes)
{
    QFile file(QString::fromStdString(path));
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(bytes), bytes.size());
}

bool sameValue(double a, double b)
{
    return a == b || (std::isnan(a) && std::isnan(b));
}

void compareScores(const StoredScore& actual, const StoredScore& expected)
{
    QCOMPARE(actual.cell, expected.cell);
    QVERIFY2(sameValue(actual.score, expected.score), actual.cell.c_str());
    QVERIFY2(sameValue(actual.mae, expected.mae), actual.cell.c_str());
    QVERIFY2(sameValue(actual.mean, expected.mean), actual.cell.c_str());
    QCOMPARE(actual.nanReason, expected.nanReason);
}

/**
 * The loop of `epsinas score --all --store`: skip the cells already stored, score the rest chunk by chunk. Stops after
 * `chunkLimit` chunks (a crash: the store is destroyed mid-run); `poisonFirstChunk` puts an invalid row into the
 * middle of the first chunk so that its write fails halfway. `computed` counts the evaluations of each position.
 */
void scoreAll(const std::string& path, int chunkLimit, bool poisonFirstChunk, std::vector<int>& computed)
{
    ResultStore store = ResultStore::open(path);
    const std::vector<std::string> stored = store.scoredCells(kRun);
    const std::unordered_set<std::string> done(stored.begin(), stored.end());
    std::vector<int> pending;
    for (int position = 0; position < kCellCount; ++position) {
        if (!done.count(cellName(position)))
            pending.push_back(position);
    }

    int chunks = 0;
    for (std::size_t start = 0; start < pending.size() && chunks != chunkLimit; start += kChunkSize) {
        std::vector<StoredScore> chunk;
        for (std::size_t i = start; i < std::min(pending.size(), start + kChunkSize); ++i) {
            ++computed[static_cast<std::size_t>(pending[i])];
            chunk.push_back(fakeScore(pending[i]));
        }
        if (poisonFirstChunk && chunks == 0)
            chunk[chunk.size() / 2].cell.clear();
        store.write(kRun, chunk);
        ++chunks;
    }
}

// Child process of the kill -9 test: appends chunks of kKillChunk cells after those already stored, forever, and
// writes one byte to `ready` after its first commit. Never returns.
constexpr int kKillChunk = 50;
[[noreturn]] void writeUntilKilled(const std::string& path, int ready)
{
    try {
        ResultStore store = ResultStore::open(path);
        int next = static_cast<int>(store.scoredCells(kRun).size());
        for (bool signalled = false;; signalled = true) {
            std::vector<StoredScore> chunk;
            for (int i = 0; i < kKillChunk; ++i)
                chunk.push_back(fakeScore(next++));
            store.write(kRun, chunk);
            if (!signalled && ::write(ready, "x", 1) != 1)
                _exit(2);
        }
    } catch (...) {
        _exit(1);
    }
}

// A store as schema 1 wrote it (no evaluator in the key, WAL mode), holding fakeScore(1) and fakeScore(7) of kRun.
void writeSchema1Store(const std::string& path)
{
    rawExec(path, R"sql(
        PRAGMA journal_mode = WAL;
        CREATE TABLE scores (
            space      TEXT NOT NULL,
            input      TEXT NOT NULL,
            weights    TEXT NOT NULL,
            precision  TEXT NOT NULL,
            cell       TEXT NOT NULL CHECK (length(cell) > 0),
            score      REAL,
            mae        REAL,
            mean       REAL,
            nan_reason TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (space, input, weights, precision, cell)
        ) WITHOUT ROWID;
        INSERT INTO scores VALUES ('nb201', 'grey:32@0x256#0123abcd', '1e-07,1', 'fp32', 'c00000001', 1.5, 0.25,
            -0.125, '');
        INSERT INTO scores VALUES ('nb201', 'grey:32@0x256#0123abcd', '1e-07,1', 'fp32', 'c00000007', NULL, 1.75,
            NULL, 'low-weight output is constant');
        PRAGMA application_id = 1162892110; -- "EPSN"
        PRAGMA user_version = 1;
    )sql");
}

// An integer pragma of the file at `path`, read with plain SQLite; -1 when it cannot be read. Opened read-write, as
// only such a connection removes the -wal and -shm files of a WAL database when it closes.
int rawPragma(const std::string& path, const char* name)
{
    sqlite3* db = nullptr;
    int value = -1;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
        sqlite3_stmt* statement = nullptr;
        const std::string sql = std::string("PRAGMA ") + name;
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK
            && sqlite3_step(statement) == SQLITE_ROW)
            value = sqlite3_column_int(statement, 0);
        sqlite3_finalize(statement);
    }
    sqlite3_close(db);
    return value;
}

// Files in `folder`, names only, sorted.
QStringList filesIn(const QString& folder)
{
    return QDir(folder).entryList(QDir::Files | QDir::Hidden, QDir::Name);
}

/**
 * Runs `read` as a user without write permission on what the test made read-only. Root ignores file permissions, so
 * as root (the CI) it runs in a child process switched to the user nobody; otherwise in this process, where chmod
 * already applies. True when `read` returned true; a child prints what went wrong.
 */
bool readsAsUnprivileged(const std::function<bool()>& read)
{
    const auto attempt = [&] {
        try {
            return read();
        } catch (const std::exception& error) {
            std::fprintf(stderr, "reader failed: %s\n", error.what());
            return false;
        }
    };
    if (::geteuid() != 0)
        return attempt();
    const passwd* nobody = ::getpwnam("nobody");
    if (!nobody)
        return false;
    const pid_t child = ::fork();
    if (child == 0) {
        if (::setgroups(0, nullptr) != 0 || ::setgid(nobody->pw_gid) != 0 || ::setuid(nobody->pw_uid) != 0)
            _exit(3);
        _exit(attempt() ? 0 : 1);
    }
    int status = 0;
    return child > 0 && ::waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// Gives `folder` to the unprivileged reader of readsAsUnprivileged (as root: to nobody; else it is the user's own).
void giveToReader(const QString& folder)
{
    if (::geteuid() != 0)
        return;
    const passwd* nobody = ::getpwnam("nobody");
    QVERIFY(nobody);
    QCOMPARE(::chown(folder.toLocal8Bit().constData(), nobody->pw_uid, nobody->pw_gid), 0);
}

} // namespace

class TestResultStore : public QObject {
    Q_OBJECT

private slots:
    void writeAndLookUp()
    {
        QTemporaryDir dir;
        const std::string path = storePath(dir, "scores.db");
        const std::vector<StoredScore> rows { fakeScore(0), fakeScore(1), fakeScore(2) };
        {
            ResultStore store = ResultStore::open(path);
            QVERIFY(store.runs().empty());
            store.write(kRun, rows);
        }

        const ResultStore store = ResultStore::openReadOnly(path);
        QCOMPARE(store.runs().size(), std::size_t(1));
        QVERIFY(store.runs().front() == kRun);
        QCOMPARE(store.scoredCells(kRun), (std::vector<std::string> { cellName(0), cellName(1), cellName(2) }));
        QVERIFY(store.scoredCells(kOtherRun).empty());

        const auto found = store.lookup(kRun, { cellName(0), cellName(2), cellName(5) });
        QCOMPARE(found.size(), std::size_t(2));
        compareScores(found.at(cellName(0)), rows[0]);
        compareScores(found.at(cellName(2)), rows[2]);
        QVERIFY(std::isnan(found.at(cellName(0)).score));
        QCOMPARE(found.at(cellName(0)).nanReason, std::string(kNanReason));
        QVERIFY(store.lookup(kOtherRun, { cellName(0) }).empty());

        const std::vector<StoredScore> all = store.all(kRun);
        QCOMPARE(all.size(), rows.size());
        for (std::size_t i = 0; i < rows.size(); ++i)
            compareScores(all[i], rows[i]);
        QVERIFY(store.integrityOk());
    }

    void writeReplacesStoredCell()
    {
        QTemporaryDir dir;
        ResultStore store = ResultStore::open(storePath(dir, "scores.db"));
        store.write(kRun, { fakeScore(1) });
        StoredScore changed = fakeScore(1);
        changed.score = 42.0;
        store.write(kRun, { changed });
        const std::vector<StoredScore> all = store.all(kRun);
        QCOMPARE(all.size(), std::size_t(1));
        QCOMPARE(all.front().score, 42.0);
    }

    void readerNeitherWritesNorLeavesFiles()
    {
        QTemporaryDir dir;
        const std::string path = storePath(dir, "scores.db");
        ResultStore::open(path).write(kRun, { fakeScore(1) });
        {
            ResultStore reader = ResultStore::openReadOnly(path);
            const QString message = storeError([&] { reader.write(kRun, { fakeScore(2) }); });
            QVERIFY2(message.contains(QLatin1String("readonly")), qPrintable(message));
            QCOMPARE(reader.all(kRun).size(), std::size_t(1));
        }
        // No -wal or -shm files stay behind once the last connection is closed.
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList { QStringLiteral("scores.db") });
    }

    void failedWriteStoresNothing()
    {
        QTemporaryDir dir;
        ResultStore store = ResultStore::open(storePath(dir, "scores.db"));
        std::vector<StoredScore> chunk { fakeScore(1), fakeScore(2), fakeScore(3) };
        chunk[2].cell.clear();
        const QString message = storeError([&] { store.write(kRun, chunk); });
        QVERIFY2(message.contains(QLatin1String("scores.db")), qPrintable(message));
        QVERIFY(store.all(kRun).empty());
        // The store stays usable after a failed transaction.
        store.write(kRun, { fakeScore(4) });
        QCOMPARE(store.all(kRun).size(), std::size_t(1));
    }

    void resumeAfterInterruption_data()
    {
        QTest::addColumn<int>("chunksBeforeCrash");
        QTest::newRow("crash before the first chunk") << 0;
        QTest::newRow("crash after 1 chunk") << 1;
        QTest::newRow("crash after 5 chunks") << 5;
        QTest::newRow("crash before the partial last chunk") << kCellCount / kChunkSize;
    }

    void resumeAfterInterruption()
    {
        QFETCH(int, chunksBeforeCrash);
        QTemporaryDir dir;
        const std::string path = storePath(dir, "scores.db");
        std::vector<int> computed(kCellCount, 0);

        scoreAll(path, chunksBeforeCrash, false, computed);
        QCOMPARE(ResultStore::openReadOnly(path).all(kRun).size(), std::size_t(chunksBeforeCrash * kChunkSize));

        // The next attempt dies inside its first write: that chunk must leave no trace.
        QVERIFY_THROWS_EXCEPTION(StoreError, scoreAll(path, -1, true, computed));
        QCOMPARE(ResultStore::openReadOnly(path).all(kRun).size(), std::size_t(chunksBeforeCrash * kChunkSize));

        scoreAll(path, -1, false, computed);

        const ResultStore store = ResultStore::openReadOnly(path);
        const std::vector<StoredScore> all = store.all(kRun);
        QCOMPARE(all.size(), std::size_t(kCellCount));
        for (int position = 0; position < kCellCount; ++position)
            compareScores(all[static_cast<std::size_t>(position)], fakeScore(position));
        // Cells are only recomputed for the chunk whose write failed.
        int recomputed = 0;
        for (int count : computed) {
            QVERIFY(count == 1 || count == 2);
            recomputed += count - 1;
        }
        QVERIFY(recomputed <= kChunkSize);
        QVERIFY(store.integrityOk());

        // A finished run resumes to nothing.
        std::fill(computed.begin(), computed.end(), 0);
        scoreAll(path, -1, false, computed);
        QCOMPARE(std::count(computed.begin(), computed.end(), 0), std::ptrdiff_t(kCellCount));
    }

    void killedWriterLeavesWholeChunks()
    {
        QTemporaryDir dir;
        const std::string path = storePath(dir, "scores.db");
        std::size_t previous = 0;
        for (int delayMs : { 0, 3, 10, 30, 60 }) {
            int ready[2];
            QCOMPARE(::pipe(ready), 0);
            const pid_t child = ::fork();
            QVERIFY(child >= 0);
            if (child == 0) {
                ::close(ready[0]);
                writeUntilKilled(path, ready[1]);
            }
            ::close(ready[1]);
            char byte = 0;
            const bool started = ::read(ready[0], &byte, 1) == 1;
            ::close(ready[0]);
            ::usleep(static_cast<useconds_t>(delayMs) * 1000);
            ::kill(child, SIGKILL);
            int status = 0;
            QCOMPARE(::waitpid(child, &status, 0), child);
            QVERIFY2(started, "the writer failed before its first commit");
            QVERIFY(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

            const ResultStore store = ResultStore::openReadOnly(path);
            QVERIFY(store.integrityOk());
            const std::vector<std::string> cells = store.scoredCells(kRun);
            // Whole chunks only, and each restart appended at least the chunk it announced.
            QCOMPARE(cells.size() % kKillChunk, std::size_t(0));
            QVERIFY(cells.size() >= previous + kKillChunk);
            for (std::size_t i = 0; i < cells.size(); ++i)
                QCOMPARE(cells[i], cellName(static_cast<int>(i)));
            previous = cells.size();
        }
        QVERIFY(ResultStore::open(path).integrityOk());
    }

    void missingAndEmptyFiles()
    {
        QTemporaryDir dir;
        const std::string missing = storePath(dir, "missing.db");
        QString message = storeError([&] { ResultStore::openReadOnly(missing); });
        QVERIFY2(message.contains(QLatin1String("no such store")), qPrintable(message));
        QVERIFY(!QFile::exists(QString::fromStdString(missing)));

        const std::string empty = storePath(dir, "empty.db");
        writeFile(empty, {});
        message = storeError([&] { ResultStore::openReadOnly(empty); });
        QVERIFY2(message.contains(QLatin1String("not an epsinas store")), qPrintable(message));
        // A writer turns an empty file into a store, as it does a missing one.
        ResultStore::open(empty).write(kRun, { fakeScore(1) });
        ResultStore::open(missing).write(kRun, { fakeScore(1) });
        QCOMPARE(ResultStore::openReadOnly(empty).all(kRun).size(), std::size_t(1));
        QCOMPARE(ResultStore::openReadOnly(missing).all(kRun).size(), std::size_t(1));
    }

    void foreignDatabaseRejected()
    {
        QTemporaryDir dir;
        const std::string path = storePath(dir, "other.db");
        rawExec(path, "CREATE TABLE people (name TEXT); INSERT INTO people VALUES ('ada');");
        const QByteArray before = fileBytes(path);

        for (const auto& open : { &ResultStore::open, &ResultStore::openReadOnly }) {
            const QString message = storeError([&] { open(path); });
            QVERIFY2(message.contains(QLatin1String("foreign database")), qPrintable(message));
            QVERIFY2(message.contains(QLatin1String("other.db")), qPrintable(message));
        }
        QCOMPARE(fileBytes(path), before);
    }

    void foreignApplicationIdRejected()
    {
        QTemporaryDir dir;
        const std::string path = storePath(dir, "other.db");
        rawExec(path, "PRAGMA application_id = 1234;");
        const QString message = storeError([&] { ResultStore::open(path); });
        QVERIFY2(message.contains(QLatin1String("foreign database")), qPrintable(message));
    }

    void nonDatabaseFileRejected_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::newRow("short text") << QByteArray("cell,score\n");
        QTest::newRow("long text")
            << QByteArray("cell,score\n|none~0|+|none~0|none~1|+|none~0|none~1|none~2|,nan\n").repeated(200);
    }

    void nonDatabaseFileRejected()
    {
        QFETCH(QByteArray, content);
        QTemporaryDir dir;
        const std::string path = storePath(dir, "scores.db");
        writeFile(path, content);
        for (const auto& open : { &ResultStore::open, &ResultStore::openReadOnly }) {
            const QString message = storeError([&] { open(path); });
            QVERIFY2(message.contains(QLatin1String("not an epsinas store")), qPrintable(message));
        }
        QCOMPARE(fileBytes(path), content);
    }

    void newerSchemaRejected()
    {
        QTemporaryDir dir;
        const std::string path = storePath(dir, "scores.db");
        ResultStore::open(path).write(kRun, { fakeScore(1) });
        const std::string newer = "PRAGMA user_version = " + std::to_string(ResultStore::kSchemaVersion + 1);
        rawExec(path, newer.c_str());

        for (const auto& open : { &ResultStore::open, &ResultStore::openReadOnly }) {
            const QString message = storeError([&] { open(path); });
            QVERIFY2(message.contains(QLatin1String("newer epsinas")), qPrintable(message));
            QVERIFY2(message.contains(QStringLiteral("schema %1").arg(ResultStore::kSchemaVersion + 1)),
                qPrintable(message));
            QVERIFY2(message.contains(QStringLiteral("reads up to %1").arg(ResultStore::kSchemaVersion)),
                qPrintable(message));
        }
    }

    void mergeOverlappingShards()
    {
        QTemporaryDir dir;
        const std::string first = storePath(dir, "shard0.db");
        const std::string second = storePath(dir, "shard1.db");
        const std::string out = storePath(dir, "merged.db");

        // Two shards of one space, each also holding positions 0..99 (as if both had been given that range): the
        // overlap agrees except for one real conflict and one difference far below the tolerance.
        constexpr int kOverlap = 100;
        constexpr int kConflicting = 10;
        constexpr int kNearlyEqual = 20;
        const std::string shardNames[] { "0/2", "1/2" };
        for (int s = 0; s < 2; ++s) {
            const Shard shard = Shard::parse(shardNames[s]);
            std::vector<StoredScore> rows;
            for (int position = 0; position < kCellCount; ++position) {
                if (!shard.contains(static_cast<std::size_t>(position)) && position >= kOverlap)
                    continue;
                rows.push_back(fakeScore(position));
                if (s == 1 && position == kConflicting)
                    rows.back().score *= 1.01;
                if (s == 1 && position == kNearlyEqual)
                    rows.back().score *= 1.0 + 1e-9;
            }
            ResultStore store = ResultStore::open(s == 0 ? first : second);
            store.write(kRun, rows);
            if (s == 1)
                store.write(kOtherRun, { fakeScore(1), fakeScore(2), fakeScore(3) });
        }

        MergeStats stats = ResultStore::merge(out, { first, second });
        QCOMPARE(stats.added, std::size_t(kCellCount + 3));
        QCOMPARE(stats.duplicates, std::size_t(kOverlap - 1));
        QCOMPARE(stats.conflicts, std::size_t(1));

        {
            const ResultStore merged = ResultStore::openReadOnly(out);
            QVERIFY(merged.runs() == (std::vector<RunKey> { kRun, kOtherRun }));
            const std::vector<StoredScore> all = merged.all(kRun);
            QCOMPARE(all.size(), std::size_t(kCellCount));
            // The conflict keeps the value seen first, i.e. the first input's.
            for (int position = 0; position < kCellCount; ++position)
                compareScores(all[static_cast<std::size_t>(position)], fakeScore(position));
            QCOMPARE(merged.all(kOtherRun).size(), std::size_t(3));
        }

        // Merging the same inputs again adds nothing.
        stats = ResultStore::merge(out, { first, second });
        QCOMPARE(stats.added, std::size_t(0));
        QCOMPARE(stats.conflicts, std::size_t(1));
        QCOMPARE(ResultStore::openReadOnly(out).all(kRun).size(), std::size_t(kCellCount));
    }

    void failedMergeChangesNothing()
    {
        QTemporaryDir dir;
        const std::string good = storePath(dir, "good.db");
        const std::string bad = storePath(dir, "bad.db");
        const std::string out = storePath(dir, "merged.db");
        ResultStore::open(good).write(kRun, { fakeScore(1), fakeScore(2) });
        writeFile(bad, QByteArray("not a store\n").repeated(100));

        const QString message = storeError([&] { ResultStore::merge(out, { good, bad }); });
        QVERIFY2(message.contains(QLatin1String("bad.db")), qPrintable(message));
        // Every input is checked before the output is created: a failed merge leaves no new, empty store behind.
        QVERIFY(!QFile::exists(QString::fromStdString(out)));
        QVERIFY(storeError([&] {
            ResultStore::merge(out, { good, storePath(dir, "missing.db") });
        }).contains(QLatin1String("no such store")));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), (QStringList { "bad.db", "good.db" }));

        // An existing output is left exactly as it was.
        ResultStore::open(out).write(kOtherRun, { fakeScore(5) });
        const QByteArray outBefore = fileBytes(out);
        QVERIFY(!storeError([&] { ResultStore::merge(out, { good, bad }); }).isEmpty());
        QCOMPARE(fileBytes(out), outBefore);

        const std::string foreign = storePath(dir, "foreign.db");
        rawExec(foreign, "CREATE TABLE people (name TEXT);");
        const QByteArray before = fileBytes(foreign);
        QVERIFY(storeError([&] { ResultStore::merge(foreign, { good }); }).contains(QLatin1String("foreign")));
        QCOMPARE(fileBytes(foreign), before);
    }

    void evaluatorKeepsRunsApart()
    {
        QTemporaryDir dir;
        const std::string path = storePath(dir, "scores.db");
        StoredScore reference = fakeScore(1);
        reference.score *= 1.01;
        {
            ResultStore store = ResultStore::open(path);
            store.write(kRun, { fakeScore(1), fakeScore(2) });
            store.write(kReferenceRun, { reference });
            // A fast run is not served the reference's value, and the other way round.
            compareScores(store.lookup(kRun, { cellName(1) }).at(cellName(1)), fakeScore(1));
            compareScores(store.lookup(kReferenceRun, { cellName(1) }).at(cellName(1)), reference);
            QVERIFY(store.lookup(kReferenceRun, { cellName(2) }).empty());
            QVERIFY(store.runs() == (std::vector<RunKey> { kRun, kReferenceRun }));
        }
        QVERIFY2(!storeError([&] {
            ResultStore::open(path).write({ "nb201", "grey", "1e-07,1", "fp32", "" }, { fakeScore(3) });
        }).isEmpty(),
            "a run key without an evaluator is refused");

        // Stores of the two evaluators merge without conflicts: their scores belong to different runs.
        const std::string fast = storePath(dir, "fast.db");
        const std::string full = storePath(dir, "reference.db");
        ResultStore::open(fast).write(kRun, { fakeScore(1), fakeScore(2) });
        ResultStore::open(full).write(kReferenceRun, { reference, fakeScore(2) });
        const MergeStats stats = ResultStore::merge(storePath(dir, "merged.db"), { fast, full });
        QCOMPARE(stats.added, std::size_t(4));
        QCOMPARE(stats.conflicts, std::size_t(0));
        QCOMPARE(stats.duplicates, std::size_t(0));
    }

    void schema1StoreIsReadAsItIs()
    {
        QTemporaryDir dir;
        const std::string path = storePath(dir, "old.db");
        writeSchema1Store(path);
        const QByteArray before = fileBytes(path);
        {
            const ResultStore store = ResultStore::openReadOnly(path);
            QVERIFY(store.runs() == std::vector<RunKey> { kUnrecordedRun });
            const std::vector<StoredScore> all = store.all(kUnrecordedRun);
            QCOMPARE(all.size(), std::size_t(2));
            compareScores(all[0], fakeScore(1));
            compareScores(all[1], fakeScore(7));
            // Scores of an unknown evaluator are never served to a run.
            QVERIFY(store.lookup(kRun, { cellName(1) }).empty());
            QVERIFY(store.lookup(kReferenceRun, { cellName(1) }).empty());
        }
        QCOMPARE(fileBytes(path), before);
        QCOMPARE(rawPragma(path, "user_version"), 1);
        QCOMPARE(filesIn(dir.path()), QStringList { "old.db" });

        // A schema-1 input merges into a new store with its evaluator marked as unrecorded.
        const std::string out = storePath(dir, "merged.db");
        QCOMPARE(ResultStore::merge(out, { path }).added, std::size_t(2));
        QCOMPARE(fileBytes(path), before);
        QVERIFY(ResultStore::openReadOnly(out).runs() == std::vector<RunKey> { kUnrecordedRun });
    }

    void schema1StoreIsConvertedForWriting()
    {
        QTemporaryDir dir;
        const std::string path = storePath(dir, "old.db");
        writeSchema1Store(path);
        {
            ResultStore store = ResultStore::open(path);
            QVERIFY(store.runs() == std::vector<RunKey> { kUnrecordedRun });
            QVERIFY(store.lookup(kRun, { cellName(1) }).empty());
            store.write(kRun, { fakeScore(1) });
            QCOMPARE(store.all(kUnrecordedRun).size(), std::size_t(2));
            QCOMPARE(store.all(kRun).size(), std::size_t(1));
            QVERIFY(store.integrityOk());
        }
        QCOMPARE(rawPragma(path, "user_version"), ResultStore::kSchemaVersion);
        QCOMPARE(rawPragma(path, "application_id"), 0x4550534E);
        const ResultStore reopened = ResultStore::openReadOnly(path);
        compareScores(reopened.all(kUnrecordedRun)[1], fakeScore(7));
        QVERIFY(reopened.runs() == (std::vector<RunKey> { kRun, kUnrecordedRun }));
    }

    void namesThatAreNoFileRefused_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("empty") << QString();
        QTest::newRow(":memory:") << ":memory:";
        QTest::newRow("memory URI") << "file::memory:";
        QTest::newRow("URI with mode=memory") << "file:x?mode=memory";
    }

    void namesThatAreNoFileRefused()
    {
        QFETCH(QString, name);
        QTemporaryDir dir;
        const std::string good = storePath(dir, "good.db");
        ResultStore::open(good).write(kRun, { fakeScore(1) });
        const QString previous = QDir::currentPath();
        QVERIFY(QDir::setCurrent(dir.path()));
        const std::string path = name.toStdString();
        const QStringList messages { storeError([&] { ResultStore::open(path); }),
            storeError([&] { ResultStore::openReadOnly(path); }),
            storeError([&] { ResultStore::merge(path, { good }); }),
            storeError([&] { ResultStore::merge(storePath(dir, "out.db"), { path }); }) };
        QDir::setCurrent(previous);
        for (const QString& message : messages)
            QVERIFY2(message.contains(QLatin1String("file name")) || message.contains(QLatin1String("file path")),
                qPrintable(message));
        // Nothing was created under the name or elsewhere.
        QCOMPARE(filesIn(dir.path()), QStringList { "good.db" });
    }

    void mergeFailingMidwayRemovesTheNewOutput()
    {
        QTemporaryDir dir;
        const std::string damaged = storePath(dir, "damaged.db");
        {
            ResultStore store = ResultStore::open(damaged);
            std::vector<StoredScore> rows;
            for (int position = 0; position < kCellCount; ++position)
                rows.push_back(fakeScore(position));
            store.write(kRun, rows);
        }
        // Header and schema pages stay intact, so the store opens and passes its schema check; the rows do not read.
        QByteArray bytes = fileBytes(damaged);
        constexpr int kIntactBytes = 2 * 4096;
        QVERIFY(bytes.size() > 4 * kIntactBytes);
        bytes.replace(kIntactBytes, bytes.size() - kIntactBytes, QByteArray(bytes.size() - kIntactBytes, '\x5a'));
        writeFile(damaged, bytes);
        QVERIFY(storeError([&] { ResultStore::openReadOnly(damaged); }).isEmpty());

        const std::string out = storePath(dir, "merged.db");
        const QString message = storeError([&] { ResultStore::merge(out, { damaged }); });
        QVERIFY2(message.contains(QLatin1String("damaged.db")), qPrintable(message));
        QCOMPARE(filesIn(dir.path()), QStringList { "damaged.db" });
    }

    void readOnlyStores_data()
    {
        QTest::addColumn<bool>("folderWritable");
        QTest::addColumn<bool>("unfinishedWal");
        QTest::newRow("read-only folder") << false << false;
        QTest::newRow("read-only file in a writable folder") << true << false;
        QTest::newRow("read-only folder, commits still in the -wal") << false << true;
    }

    void readOnlyStores()
    {
        QFETCH(bool, folderWritable);
        QFETCH(bool, unfinishedWal);
        QTemporaryDir dir;
        QCOMPARE(::chmod(dir.path().toLocal8Bit().constData(), 0755), 0);
        const QString folder = dir.filePath("stores");
        const QString outFolder = dir.filePath("out");
        QVERIFY(QDir().mkdir(folder) && QDir().mkdir(outFolder));
        giveToReader(outFolder);
        const std::string path = (folder + "/scores.db").toStdString();
        std::vector<StoredScore> rows;
        for (int position = 0; position < 100; ++position)
            rows.push_back(fakeScore(position));
        ResultStore::open(path).write(kRun, rows);
        std::size_t expected = rows.size();
        if (unfinishedWal) {
            // A writer that dies without closing leaves its last commits in the -wal only (no checkpoint).
            const pid_t child = ::fork();
            if (child == 0) {
                ResultStore store = ResultStore::open(path);
                store.write(kRun, { fakeScore(500), fakeScore(501) });
                _exit(0);
            }
            int status = 0;
            QCOMPARE(::waitpid(child, &status, 0), child);
            QVERIFY(WIFEXITED(status) && WEXITSTATUS(status) == 0);
            QVERIFY(QFileInfo(folder + "/scores.db-wal").size() > 0);
            expected += 2;
        }
        QCOMPARE(::chmod(path.c_str(), 0444), 0);
        if (folderWritable)
            giveToReader(folder);
        else
            QCOMPARE(::chmod(folder.toLocal8Bit().constData(), 0555), 0);
        const QStringList filesBefore = filesIn(folder);
        const QByteArray before = fileBytes(path);

        const std::string out = (outFolder + "/merged.db").toStdString();
        const bool read = readsAsUnprivileged([&] {
            // The reader really may not write the store: otherwise this test would prove nothing.
            if (::access(path.c_str(), W_OK) == 0)
                return false;
            {
                const ResultStore store = ResultStore::openReadOnly(path);
                if (store.all(kRun).size() != expected || !store.integrityOk())
                    return false;
            }
            return ResultStore::merge(out, { path }).added == expected
                && ResultStore::openReadOnly(out).all(kRun).size() == expected;
        });
        ::chmod(folder.toLocal8Bit().constData(), 0755);
        QVERIFY2(read, "the read-only store could not be exported or merged (see the reader's message above)");
        QCOMPARE(fileBytes(path), before);
        QCOMPARE(filesIn(folder), filesBefore); // no -wal or -shm left behind, none removed
    }
};

QTEST_GUILESS_MAIN(TestResultStore)
#include "tst_resultstore.moc"
