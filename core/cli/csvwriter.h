// SPDX-License-Identifier: MIT
#pragma once

#include <cstdio>
#include <string>
#include <vector>

namespace epsinas::cli {

/** "%.9g" (float32 round-trips) or "nan". */
std::string formatNumber(double value);

/**
 * True when `a` and `b` name one file once symlinks are followed: the same device and inode where both exist, else
 * the same resolved path (a store that a run is about to create). A path whose folder is missing names no file.
 */
bool sameFile(const std::string& a, const std::string& b);

/**
 * The CSV of a command, to stdout ("-"), straight into a destination that is no regular file (a device such as
 * /dev/null, a FIFO: never replaced), or into a regular file that is replaced whole by commit(): rows go to a unique
 * temporary beside the file (the target of a symlink, which stays a symlink), renamed over it at the end. A reader
 * sees the old file or the complete new one; the temporary is removed on every error path and on SIGINT, SIGTERM
 * and SIGHUP; a file of the user's such as FILE.partial is never touched.
 *
 * Two runs for one file: from construction until after the rename the writer holds an advisory lock (flock) on
 * .FILE.epsinas-lock beside the file, and a second writer for the same file fails at once (UsageError naming it),
 * before any work, so that no run reports success for a file it did not write. The lock dies with its process, so
 * the file a kill -9 leaves behind does not block the next run, which also removes that run's stale temporaries.
 */
class CsvWriter {
public:
    /**
     * Opens the destination, or throws UsageError (an empty path, a folder, a missing folder, another run writing the
     * file, or a destination that is one of `protectedFiles`: the run's inputs and its store, which must never be
     * replaced by a CSV; empty entries are ignored).
     */
    explicit CsvWriter(const std::string& path, const std::vector<std::string>& protectedFiles = {});
    ~CsvWriter();
    CsvWriter(const CsvWriter&) = delete;
    CsvWriter& operator=(const CsvWriter&) = delete;

    /** Writes one record, quoting fields that contain a comma, quote or line break. */
    void row(const std::vector<std::string>& fields);
    /** Flushes, syncs and renames the temporary into place; throws std::runtime_error when any step fails. */
    void commit();

private:
    void lock(const std::string& folder, const std::string& name);
    void removeStaleTemporaries(const std::string& folder, const std::string& name) const;
    void release();

    std::string m_path;
    /** The regular file that commit() replaces (symlinks followed); empty when writing straight through. */
    std::string m_target;
    std::string m_temporaryPath;
    std::string m_lockPath;
    int m_lockFd = -1;
    std::FILE* m_file = nullptr;
};

/**
 * Removes the temporary and the lock file of the CsvWriter being written, if any, and ends the process with
 * `status` at once, without unwinding. Async-signal-safe: for signal handlers (the second Ctrl-C of a score run).
 */
[[noreturn]] void exitRemovingOutput(int status) noexcept;

} // namespace epsinas::cli
