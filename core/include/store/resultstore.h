// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

struct sqlite3;

namespace epsinas {

/** Any failure of the results store; what() names the file and says what is wrong with it. */
class StoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/**
 * The evaluator of rows written by schema 1, which did not record it: such rows may come from either evaluator (they
 * differ by up to 1 %), so they are exported and merged but never served to a run, whose evaluator is always known.
 */
inline constexpr const char* kUnrecordedEvaluator = "unrecorded";

/** What makes two scores comparable: everything that changes a score but the cell. */
struct RunKey {
    std::string space; // e.g. "nb201"
    std::string input; // InputBatch::fingerprint(), e.g. "grey:32@0x256#<hash>"
    std::string weights; // e.g. "1e-07,1"
    std::string precision; // e.g. "fp32"
    std::string evaluator; // toString(EvaluatorKind): "fast" | "reference"; kUnrecordedEvaluator for schema-1 rows

    friend bool operator==(const RunKey& a, const RunKey& b)
    {
        return a.space == b.space && a.input == b.input && a.weights == b.weights && a.precision == b.precision
            && a.evaluator == b.evaluator;
    }
    friend bool operator!=(const RunKey& a, const RunKey& b) { return !(a == b); }
};

/** One scored cell. NaN values are stored as NULL and read back as NaN. */
struct StoredScore {
    std::string cell; // canonical key text of the cell, e.g. the canonical arch string for nb201; never empty
    double score = 0.0;
    double mae = 0.0;
    double mean = 0.0;
    std::string nanReason; // why score is NaN; empty when it is not
};

/** What ResultStore::merge() did. */
struct MergeStats {
    std::size_t added = 0; // rows new to the output
    std::size_t duplicates = 0; // rows already present with the same score (within kMergeTolerance)
    std::size_t conflicts = 0; // rows already present with a different score; the existing one was kept
};

/**
 * Scores kept in a SQLite database, keyed by run and cell, so that a long scoring run can stop at any moment (even
 * kill -9) and resume without recomputing what it already wrote. Every write() is one transaction and the database
 * is in WAL mode with synchronous=FULL: after a crash the file holds exactly the chunks whose write() returned.
 *
 * The file is marked with a fixed application_id and a schema version (user_version); files without the mark, or
 * with a newer schema, are refused rather than modified. A schema-1 store (no evaluator in the key) is read as it is
 * and converted to schema 2 in one transaction when it is opened for writing. Several processes may write one store
 * (SQLite serialises them); one object must not be used from several threads at once. Move-only.
 */
class ResultStore {
public:
    /** Schema version this build writes and the newest it reads (2: the evaluator is part of the run key). */
    static constexpr int kSchemaVersion = 2;
    /** Relative difference above which merge() counts two scores of the same cell as a conflict. */
    static constexpr double kMergeTolerance = 1e-6;

    /**
     * Opens a store for reading and writing, creating the file (and an empty store in it) if missing. Every open
     * refuses a name that is no file (empty, ":memory:", a "file:" URI): such a store would keep nothing. A store
     * that fails SQLite's quick check is refused before anything is written to it (it costs a read of the file).
     */
    static ResultStore open(const std::string& path);
    /**
     * Opens an existing store without writing to it (inputs of export and merge): write() on it throws. A missing or
     * empty file is an error. Works in a read-only folder and on a read-only file, and leaves no -wal or -shm file
     * behind that was not there before.
     */
    static ResultStore openReadOnly(const std::string& path);
    /** The files a store at `path` consists of: the database and the journal files SQLite keeps beside it. */
    static std::vector<std::string> files(const std::string& path);

    const std::string& path() const { return m_path; }

    /**
     * Every run with at least one stored cell, ordered by space, input, weights, precision, evaluator. Throws
     * StoreError for a store with a row of a type this program never writes (checkRowTypes).
     */
    std::vector<RunKey> runs() const;
    /** Cells of `run` already stored, in ascending order: what a resumed run skips. */
    std::vector<std::string> scoredCells(const RunKey& run) const;
    /** The stored scores among `cells`, by cell; cells not stored are absent from the result. */
    std::unordered_map<std::string, StoredScore> lookup(const RunKey& run, const std::vector<std::string>& cells) const;
    /** All stored scores of `run`, ordered by cell. */
    std::vector<StoredScore> all(const RunKey& run) const;

    /**
     * Stores `chunk` in one transaction: either every row is written or, if this throws, none. A cell already stored
     * for `run` is replaced.
     */
    void write(const RunKey& run, const std::vector<StoredScore>& chunk);

    /** Runs SQLite's full integrity check; true when the file is sound. */
    bool integrityOk() const;

    /**
     * Adds every row of the `inputs` stores to the store at `out` (created if missing), in one transaction: if
     * anything fails, `out` is left as it was, and a missing `out` is not created (every input is opened and checked
     * first). A cell present in several places keeps the value seen first (what `out` held, then the inputs in
     * order); differing values are counted as conflicts.
     */
    static MergeStats merge(const std::string& out, const std::vector<std::string>& inputs);

private:
    struct Closer {
        void operator()(sqlite3* db) const;
    };
    class Statement;
    class Transaction;

    ResultStore(std::string path, std::unique_ptr<sqlite3, Closer> db);
    static ResultStore openWith(const std::string& path, bool readOnly);
    static void checkName(const std::string& path);
    static MergeStats mergeInto(const std::string& out, const std::vector<ResultStore>& sources);
    void checkSchema(bool mayInitialise);
    /** SQLite's quick check (integrityOk() without matching the indexes to the tables), for every open to write. */
    bool quickCheckOk() const;
    /**
     * Throws StoreError when a row holds a key that is not text or a value that is not a number or NULL. SQLite does
     * not enforce column types, and no query by run matches such a key: runs() would list one run twice, or a run
     * whose rows nothing reads. `withEvaluator`: the table has the evaluator column (schema 2).
     */
    void checkRowTypes(bool withEvaluator) const;
    std::string runCondition() const;
    void insert(const RunKey& run, const std::vector<StoredScore>& rows);
    int pragma(const char* name) const;
    void exec(const std::string& sql, const char* what) const;
    [[noreturn]] void fail(const std::string& what) const;

    std::string m_path;
    std::unique_ptr<sqlite3, Closer> m_db;
    /** The SQL that yields a row's evaluator: the column, or a constant for a schema-1 store read as it is. */
    std::string m_evaluatorColumn = "evaluator";
};

} // namespace epsinas
