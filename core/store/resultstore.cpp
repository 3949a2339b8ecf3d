// SPDX-License-Identifier: MIT
#include "store/resultstore.h"

#include <sqlite3.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <optional>
#include <utility>

namespace epsinas {

namespace {

// "EPSN", written into the database header so that `file` and this program can tell an epsinas store from any
// other SQLite file without reading its tables.
constexpr std::int32_t kApplicationId = 0x4550534E;

// How long a writer waits for another process (e.g. a second shard on the same file) to finish its transaction.
constexpr int kBusyTimeoutMs = 60000;

// One flat table: the run key is repeated per row, which costs a few MB for a whole space but keeps every write a
// single INSERT and needs no id bookkeeping. The CHECKs let a malformed row fail its whole chunk. Schema 2 added
// `evaluator` to the key (schema 1 served a fast run the reference's scores, which differ by up to 1 %).
std::string createTable(const std::string& name)
{
    return "CREATE TABLE " + name + R"sql( (
            space      TEXT NOT NULL,
            input      TEXT NOT NULL,
            weights    TEXT NOT NULL,
            precision  TEXT NOT NULL,
            evaluator  TEXT NOT NULL CHECK (length(evaluator) > 0),
            cell       TEXT NOT NULL CHECK (length(cell) > 0),
            score      REAL,
            mae        REAL,
            mean       REAL,
            nan_reason TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (space, input, weights, precision, evaluator, cell)
        ) WITHOUT ROWID;
    )sql";
}

// Schema 1 -> 2: SQLite cannot change a primary key in place, so the rows move to a new table, marked as coming from
// an unrecorded evaluator. Runs inside the writer's schema transaction: a failure leaves the schema-1 file as it was.
std::string migrationFromSchema1()
{
    return createTable("scores_v2") + "INSERT INTO scores_v2 SELECT space, input, weights, precision, '"
        + kUnrecordedEvaluator
        + "', cell, score, mae, mean, nan_reason FROM scores;"
          "DROP TABLE scores;"
          "ALTER TABLE scores_v2 RENAME TO scores;";
}

bool exists(const std::string& path)
{
    struct stat info;
    return ::stat(path.c_str(), &info) == 0;
}

bool writable(const std::string& path)
{
    return ::access(path.c_str(), W_OK) == 0;
}

std::string folderOf(const std::string& path)
{
    const std::string folder = std::filesystem::path(path).parent_path().string();
    return folder.empty() ? "." : folder;
}

// A read-only "file:" URI for `path`: absolute (a relative URI path would not name a file) and percent-encoded where
// the URI syntax gives characters a meaning.
std::string readOnlyUri(const std::string& path, const char* parameters)
{
    std::string uri = "file:";
    std::error_code error;
    const std::string absolute = std::filesystem::absolute(path, error).string();
    for (const char c : error ? path : absolute) {
        if (c == '%' || c == '?' || c == '#') {
            char escaped[4];
            std::snprintf(escaped, sizeof escaped, "%%%02X", static_cast<unsigned char>(c));
            uri += escaped;
        } else {
            uri += c;
        }
    }
    return uri + "?" + parameters;
}

bool sameScore(double a, double b)
{
    if (a == b || (std::isnan(a) && std::isnan(b)))
        return true;
    return std::abs(a - b) <= ResultStore::kMergeTolerance * std::max(std::abs(a), std::abs(b));
}

} // namespace

void ResultStore::Closer::operator()(sqlite3* db) const
{
    sqlite3_close_v2(db);
}

/** A prepared statement that reports failures through its store; it must not outlive the store. */
class ResultStore::Statement {
public:
    /** `what` describes the statement's purpose in error messages, e.g. "cannot write scores". */
    Statement(const ResultStore& store, const std::string& sql, const char* what)
        : m_store(&store)
        , m_what(what)
    {
        sqlite3_stmt* raw = nullptr;
        if (sqlite3_prepare_v2(store.m_db.get(), sql.c_str(), -1, &raw, nullptr) != SQLITE_OK)
            store.fail(m_what);
        m_stmt.reset(raw);
    }

    void bind(int index, const std::string& text)
    {
        check(sqlite3_bind_text(m_stmt.get(), index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT));
    }

    // SQLite would turn a NaN into NULL by itself; saying so here keeps the read side (NULL -> NaN) obviously paired.
    void bind(int index, double value)
    {
        check(std::isnan(value) ? sqlite3_bind_null(m_stmt.get(), index)
                                : sqlite3_bind_double(m_stmt.get(), index, value));
    }

    /** Binds ?1..?5, the parameters of runCondition(). */
    void bindRun(const RunKey& run)
    {
        bind(1, run.space);
        bind(2, run.input);
        bind(3, run.weights);
        bind(4, run.precision);
        bind(5, run.evaluator);
    }

    /** Advances to the next row; false when there is none. */
    bool step()
    {
        const int rc = sqlite3_step(m_stmt.get());
        if (rc == SQLITE_ROW)
            return true;
        if (rc != SQLITE_DONE)
            m_store->fail(m_what);
        return false;
    }

    /** Makes the statement ready to run again; bindings are kept. */
    void reset() { sqlite3_reset(m_stmt.get()); }

    std::string text(int column) const
    {
        const auto* bytes = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt.get(), column));
        return bytes ? std::string(bytes, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt.get(), column)))
                     : std::string();
    }

    double real(int column) const
    {
        return sqlite3_column_type(m_stmt.get(), column) == SQLITE_NULL ? std::numeric_limits<double>::quiet_NaN()
                                                                        : sqlite3_column_double(m_stmt.get(), column);
    }

    std::int64_t integer(int column) const { return sqlite3_column_int64(m_stmt.get(), column); }

    StoredScore score() const { return { text(0), real(1), real(2), real(3), text(4) }; }

private:
    struct Finalizer {
        void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
    };

    void check(int rc) const
    {
        if (rc != SQLITE_OK)
            m_store->fail(m_what);
    }

    const ResultStore* m_store;
    const char* m_what;
    std::unique_ptr<sqlite3_stmt, Finalizer> m_stmt;
};

/** BEGIN IMMEDIATE ... COMMIT, rolled back when left without commit() (an exception on the way). */
class ResultStore::Transaction {
public:
    // IMMEDIATE takes the write lock up front, so two writers queue on the busy timeout instead of one failing when
    // it upgrades a read transaction.
    explicit Transaction(const ResultStore& store)
        : m_store(store)
    {
        m_store.exec("BEGIN IMMEDIATE", "cannot start a transaction");
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    ~Transaction()
    {
        // Some errors already roll back on their own; then this ROLLBACK fails harmlessly, so its result is ignored.
        if (m_open)
            sqlite3_exec(m_store.m_db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
    }

    void commit()
    {
        m_store.exec("COMMIT", "cannot commit");
        m_open = false;
    }

private:
    const ResultStore& m_store;
    bool m_open = true;
};

ResultStore::ResultStore(std::string path, std::unique_ptr<sqlite3, Closer> db)
    : m_path(std::move(path))
    , m_db(std::move(db))
{
}

ResultStore ResultStore::open(const std::string& path)
{
    checkName(path);
    return openWith(path, false);
}

ResultStore ResultStore::openReadOnly(const std::string& path)
{
    checkName(path);
    // SQLite's own message for this case ("unable to open database file") does not say that the file is missing.
    if (!exists(path))
        throw StoreError(path + ": no such store");
    return openWith(path, true);
}

std::vector<std::string> ResultStore::files(const std::string& path)
{
    return { path, path + "-wal", path + "-shm", path + "-journal" };
}

void ResultStore::checkName(const std::string& path)
{
    // SQLite would open each of these without complaint and keep the scores in memory or in a temporary file that
    // vanishes with the process: a long run would seem to be stored and resume from nothing.
    if (path.empty())
        throw StoreError("a store needs a file name (got an empty one)");
    if (path == ":memory:" || path.rfind("file:", 0) == 0)
        throw StoreError("'" + path + "': a store must be a file path, not an in-memory database or a URI (write ./"
            + path + " for a file of that name)");
}

ResultStore ResultStore::openWith(const std::string& path, bool readOnly)
{
    // A reader that may write the file and its folder opens read-write and is kept from writing by query_only: it
    // sees a concurrent writer's commits as they happen, and removes the -wal and -shm files it creates when it
    // closes, which a read-only connection cannot (exported or merged stores would keep those leftovers beside them).
    //
    // Where it may not write (a read-only folder, file or medium), SQLite cannot create the -shm file a WAL database
    // needs. If there is no -wal file with content, the main file holds every committed row and is opened
    // immutable=1: no locks, no side files. A non-empty -wal holds commits not yet copied into the file, which
    // immutable=1 would silently skip; mode=ro reads them through the -wal and -shm that exist (SQLite >= 3.22).
    // immutable=1 also means that a writer with more rights who starts while this reads is not seen (nor guarded
    // against); exports and merges of such folders are of finished stores.
    std::string name = path;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    bool queryOnly = false;
    if (readOnly) {
        flags = SQLITE_OPEN_READWRITE;
        queryOnly = true;
        if (!writable(path) || !writable(folderOf(path))) {
            struct stat wal;
            const bool pendingWal = ::stat((path + "-wal").c_str(), &wal) == 0 && wal.st_size > 0;
            name = readOnlyUri(path, pendingWal ? "mode=ro" : "immutable=1");
            flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_URI;
            queryOnly = false;
        }
    }
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(name.c_str(), &raw, flags, nullptr);
    // The handle is allocated even when opening fails and must be closed either way.
    std::unique_ptr<sqlite3, Closer> db(raw);
    if (rc != SQLITE_OK)
        throw StoreError(path + ": cannot open: " + (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
    sqlite3_busy_timeout(raw, kBusyTimeoutMs);

    ResultStore store(path, std::move(db));
    if (queryOnly)
        store.exec("PRAGMA query_only = ON", "cannot open read-only");
    store.checkSchema(!readOnly);
    if (!readOnly) {
        // Only after the check: a foreign file must be left exactly as it was. WAL mode is stored in the file;
        // synchronous=FULL makes a committed chunk survive even a power cut, at one fsync per chunk.
        store.exec("PRAGMA journal_mode = WAL", "cannot switch to WAL mode");
        store.exec("PRAGMA synchronous = FULL", "cannot set synchronous mode");
    }
    return store;
}

void ResultStore::checkSchema(bool mayInitialise)
{
    // For a writer the check and the creation or conversion of the schema are one transaction, so two processes
    // starting on the same file cannot both create or convert it.
    std::optional<Transaction> transaction;
    if (mayInitialise)
        transaction.emplace(*this);

    const int applicationId = pragma("application_id");
    const int version = pragma("user_version");
    if (applicationId == 0 && version == 0) {
        Statement objects(*this, "SELECT count(*) FROM sqlite_master", "cannot read the schema");
        objects.step();
        if (objects.integer(0) != 0)
            throw StoreError(m_path + ": foreign database: no epsinas schema");
        if (!mayInitialise)
            throw StoreError(m_path + ": not an epsinas store (an empty database)");
        const char* what = "cannot create the store";
        exec(createTable("scores"), what);
        exec("PRAGMA application_id = " + std::to_string(kApplicationId), what);
        exec("PRAGMA user_version = " + std::to_string(kSchemaVersion), what);
    } else if (applicationId != kApplicationId || version < 1) {
        throw StoreError(m_path + ": foreign database: no epsinas schema");
    } else if (version > kSchemaVersion) {
        throw StoreError(m_path + ": written by a newer epsinas (schema " + std::to_string(version)
            + "); this build reads up to " + std::to_string(kSchemaVersion));
    } else if (mayInitialise && !quickCheckOk()) {
        // Before anything writes: SQLite would write to a damaged file (a truncated one grows by a page when the
        // connection closes) and still refuse it.
        throw StoreError(m_path + ": damaged store (SQLite's quick check fails); it is left as it is");
    } else {
        // Also before anything writes: a writer's first commit or close lets SQLite rewrite the header (an invalid
        // page count, say), and runs() would refuse such a row only after that.
        if (mayInitialise)
            checkRowTypes(/*withEvaluator=*/version >= 2);
        if (version == 1 && mayInitialise) {
            exec(migrationFromSchema1(), "cannot convert the store from schema 1");
            exec("PRAGMA user_version = " + std::to_string(kSchemaVersion), "cannot convert the store from schema 1");
        } else if (version == 1) {
            // Read as it is: the file is an input and stays exactly as it was.
            m_evaluatorColumn = std::string("'") + kUnrecordedEvaluator + "'";
        }
    }
    if (transaction)
        transaction->commit();
}

void ResultStore::checkRowTypes(bool withEvaluator) const
{
    std::string condition;
    std::vector<std::string> textColumns { "space", "input", "weights", "precision", "cell", "nan_reason" };
    if (withEvaluator)
        textColumns.push_back("evaluator");
    for (const std::string& column : textColumns)
        condition += (condition.empty() ? "typeof(" : " OR typeof(") + column + ") <> 'text'";
    for (const char* column : { "score", "mae", "mean" })
        condition += std::string(" OR typeof(") + column + ") NOT IN ('real', 'integer', 'null')";
    Statement query(*this, "SELECT count(*) FROM scores WHERE " + condition, "cannot read the store");
    query.step();
    if (const std::int64_t rows = query.integer(0); rows != 0)
        throw StoreError(m_path + ": damaged store: " + std::to_string(rows)
            + " row(s) hold a value of a type this program never writes (a BLOB key, say); it is left as it is");
}

std::string ResultStore::runCondition() const
{
    return "space = ?1 AND input = ?2 AND weights = ?3 AND precision = ?4 AND " + m_evaluatorColumn + " = ?5";
}

std::vector<RunKey> ResultStore::runs() const
{
    // Listing the runs reads every row anyway; a second pass over them checks their types.
    checkRowTypes(m_evaluatorColumn == "evaluator");
    Statement query(*this,
        "SELECT DISTINCT space, input, weights, precision, " + m_evaluatorColumn
            + " FROM scores ORDER BY 1, 2, 3, 4, 5",
        "cannot list the runs");
    std::vector<RunKey> runs;
    while (query.step())
        runs.push_back({ query.text(0), query.text(1), query.text(2), query.text(3), query.text(4) });
    return runs;
}

std::vector<std::string> ResultStore::scoredCells(const RunKey& run) const
{
    Statement query(
        *this, "SELECT cell FROM scores WHERE " + runCondition() + " ORDER BY cell", "cannot read the stored cells");
    query.bindRun(run);
    std::vector<std::string> cells;
    while (query.step())
        cells.push_back(query.text(0));
    return cells;
}

std::unordered_map<std::string, StoredScore> ResultStore::lookup(
    const RunKey& run, const std::vector<std::string>& cells) const
{
    Statement query(*this,
        "SELECT cell, score, mae, mean, nan_reason FROM scores WHERE " + runCondition() + " AND cell = ?6",
        "cannot look up scores");
    query.bindRun(run);
    std::unordered_map<std::string, StoredScore> found;
    for (const std::string& cell : cells) {
        query.bind(6, cell);
        if (query.step())
            found.emplace(cell, query.score());
        query.reset();
    }
    return found;
}

std::vector<StoredScore> ResultStore::all(const RunKey& run) const
{
    Statement query(*this,
        "SELECT cell, score, mae, mean, nan_reason FROM scores WHERE " + runCondition() + " ORDER BY cell",
        "cannot read the scores");
    query.bindRun(run);
    std::vector<StoredScore> scores;
    while (query.step())
        scores.push_back(query.score());
    return scores;
}

void ResultStore::write(const RunKey& run, const std::vector<StoredScore>& chunk)
{
    Transaction transaction(*this);
    insert(run, chunk);
    transaction.commit();
}

void ResultStore::insert(const RunKey& run, const std::vector<StoredScore>& rows)
{
    Statement statement(*this,
        "INSERT OR REPLACE INTO scores (space, input, weights, precision, evaluator, cell, score, mae, mean, "
        "nan_reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        "cannot write scores");
    statement.bindRun(run);
    for (const StoredScore& row : rows) {
        statement.bind(6, row.cell);
        statement.bind(7, row.score);
        statement.bind(8, row.mae);
        statement.bind(9, row.mean);
        statement.bind(10, row.nanReason);
        statement.step();
        statement.reset();
    }
}

bool ResultStore::quickCheckOk() const
{
    Statement check(*this, "PRAGMA quick_check(1)", "cannot check the store");
    return check.step() && check.text(0) == "ok";
}

bool ResultStore::integrityOk() const
{
    Statement check(*this, "PRAGMA integrity_check", "cannot check integrity");
    return check.step() && check.text(0) == "ok";
}

MergeStats ResultStore::merge(const std::string& out, const std::vector<std::string>& inputs)
{
    checkName(out);
    // Every input is opened and its schema checked before `out` is touched: a missing or foreign input is the
    // common failure, and it must not leave a new, empty `out` behind.
    std::vector<ResultStore> sources;
    sources.reserve(inputs.size());
    for (const std::string& input : inputs)
        sources.push_back(openReadOnly(input));
    // Creating the file here (O_EXCL) tells for certain whether this call made it, and so may remove it on failure;
    // SQLite turns the empty file into a store as it does a missing one.
    const int created = ::open(out.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (created >= 0)
        ::close(created);
    try {
        return mergeInto(out, sources);
    } catch (...) {
        if (created >= 0)
            for (const std::string& file : files(out))
                std::remove(file.c_str());
        throw;
    }
}

MergeStats ResultStore::mergeInto(const std::string& out, const std::vector<ResultStore>& sources)
{
    ResultStore target = open(out);
    Transaction transaction(target);
    MergeStats stats;
    for (const ResultStore& source : sources) {
        for (const RunKey& run : source.runs()) {
            std::vector<StoredScore> rows = source.all(run);
            std::vector<std::string> cells;
            cells.reserve(rows.size());
            for (const StoredScore& row : rows)
                cells.push_back(row.cell);
            const auto existing = target.lookup(run, cells);

            std::vector<StoredScore> fresh;
            for (StoredScore& row : rows) {
                const auto it = existing.find(row.cell);
                if (it == existing.end())
                    fresh.push_back(std::move(row));
                else if (sameScore(it->second.score, row.score))
                    ++stats.duplicates;
                else
                    ++stats.conflicts;
            }
            target.insert(run, fresh);
            stats.added += fresh.size();
        }
    }
    transaction.commit();
    return stats;
}

int ResultStore::pragma(const char* name) const
{
    const char* what = "cannot read the file header";
    Statement query(*this, std::string("PRAGMA ") + name, what);
    if (!query.step())
        fail(what);
    return static_cast<int>(query.integer(0));
}

void ResultStore::exec(const std::string& sql, const char* what) const
{
    if (sqlite3_exec(m_db.get(), sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK)
        fail(what);
}

void ResultStore::fail(const std::string& what) const
{
    const char* message = sqlite3_errmsg(m_db.get());
    // A file that is not SQLite at all only shows itself on the first read, whatever that read was for.
    if ((sqlite3_errcode(m_db.get()) & 0xff) == SQLITE_NOTADB)
        throw StoreError(m_path + ": not an epsinas store: " + message);
    throw StoreError(m_path + ": " + what + ": " + message);
}

} // namespace epsinas
