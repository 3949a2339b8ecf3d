// SPDX-License-Identifier: MIT
#include "store/resultstore.h"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
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
// single INSERT and needs no id bookkeeping. The CHECK lets a malformed row fail its whole chunk.
constexpr const char* kCreateSchema = R"sql(
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
    )sql";

constexpr const char* kRunCondition = "space = ?1 AND input = ?2 AND weights = ?3 AND precision = ?4";

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

    void bindRun(const RunKey& run)
    {
        bind(1, run.space);
        bind(2, run.input);
        bind(3, run.weights);
        bind(4, run.precision);
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
    return openWith(path, false);
}

ResultStore ResultStore::openReadOnly(const std::string& path)
{
    // SQLite's own message for this case ("unable to open database file") does not say that the file is missing.
    std::error_code error;
    if (!std::filesystem::exists(path, error))
        throw StoreError(path + ": no such store");
    return openWith(path, true);
}

ResultStore ResultStore::openWith(const std::string& path, bool readOnly)
{
    // A reader opens read-write too (SQLite falls back to read-only for a write-protected file) and is kept from
    // writing by query_only: a read-only connection could not remove the -wal and -shm files it creates, and exported
    // or merged stores would keep those leftovers beside them.
    sqlite3* raw = nullptr;
    const int flags = readOnly ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    // The handle is allocated even when opening fails and must be closed either way.
    std::unique_ptr<sqlite3, Closer> db(raw);
    if (rc != SQLITE_OK)
        throw StoreError(path + ": cannot open: " + (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
    sqlite3_busy_timeout(raw, kBusyTimeoutMs);

    ResultStore store(path, std::move(db));
    if (readOnly)
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
    // For a writer the check and the creation of the schema are one transaction, so two processes starting on the
    // same new file cannot both create it.
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
        exec(kCreateSchema, what);
        exec("PRAGMA application_id = " + std::to_string(kApplicationId), what);
        exec("PRAGMA user_version = " + std::to_string(kSchemaVersion), what);
    } else if (applicationId != kApplicationId || version < 1) {
        throw StoreError(m_path + ": foreign database: no epsinas schema");
    } else if (version > kSchemaVersion) {
        throw StoreError(m_path + ": written by a newer epsinas (schema " + std::to_string(version)
            + "); this build reads up to " + std::to_string(kSchemaVersion));
    }
    if (transaction)
        transaction->commit();
}

std::vector<RunKey> ResultStore::runs() const
{
    Statement query(*this, "SELECT DISTINCT space, input, weights, precision FROM scores ORDER BY 1, 2, 3, 4",
        "cannot list the runs");
    std::vector<RunKey> runs;
    while (query.step())
        runs.push_back({ query.text(0), query.text(1), query.text(2), query.text(3) });
    return runs;
}

std::vector<std::string> ResultStore::scoredCells(const RunKey& run) const
{
    Statement query(*this, std::string("SELECT cell FROM scores WHERE ") + kRunCondition + " ORDER BY cell",
        "cannot read the stored cells");
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
        std::string("SELECT cell, score, mae, mean, nan_reason FROM scores WHERE ") + kRunCondition + " AND cell = ?5",
        "cannot look up scores");
    query.bindRun(run);
    std::unordered_map<std::string, StoredScore> found;
    for (const std::string& cell : cells) {
        query.bind(5, cell);
        if (query.step())
            found.emplace(cell, query.score());
        query.reset();
    }
    return found;
}

std::vector<StoredScore> ResultStore::all(const RunKey& run) const
{
    Statement query(*this,
        std::string("SELECT cell, score, mae, mean, nan_reason FROM scores WHERE ") + kRunCondition + " ORDER BY cell",
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
        "INSERT OR REPLACE INTO scores (space, input, weights, precision, cell, score, mae, mean, nan_reason) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        "cannot write scores");
    statement.bindRun(run);
    for (const StoredScore& row : rows) {
        statement.bind(5, row.cell);
        statement.bind(6, row.score);
        statement.bind(7, row.mae);
        statement.bind(8, row.mean);
        statement.bind(9, row.nanReason);
        statement.step();
        statement.reset();
    }
}

bool ResultStore::integrityOk() const
{
    Statement check(*this, "PRAGMA integrity_check", "cannot check integrity");
    return check.step() && check.text(0) == "ok";
}

MergeStats ResultStore::merge(const std::string& out, const std::vector<std::string>& inputs)
{
    ResultStore target = open(out);
    Transaction transaction(target);
    MergeStats stats;
    for (const std::string& input : inputs) {
        const ResultStore source = openReadOnly(input);
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
