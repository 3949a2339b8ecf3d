// SPDX-License-Identifier: MIT
#include "cli/csvwriter.h"
#include "cli/arguments.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace epsinas::cli {

namespace {

// Bounds the paths the signal handler may need: it can only read memory set aside before the signal.
constexpr std::size_t kMaxPath = PATH_MAX;
// Symlinks followed when a dangling link names the file to create, as the kernel's own limit for a path.
constexpr int kMaxSymlinkHops = 40;
// Tries to take a lock whose file another writer removes and recreates meanwhile (one retry is the usual worst).
constexpr int kLockAttempts = 100;
// Names beside the destination: ".NAME" + this + six random characters (mkstemp), and ".NAME" + this + "lock".
constexpr const char* kSideInfix = ".epsinas-";
constexpr std::size_t kRandomCharacters = 6;
// The signals after which the temporary must not stay behind; a score run makes the first SIGINT and SIGTERM stop it
// gracefully instead (scorerun.cpp), which also ends by removing it.
constexpr int kFatalSignals[] = { SIGINT, SIGTERM, SIGHUP };

// What the handler removes: plain arrays filled before their flag is set, because a handler may only read memory and
// call async-signal-safe functions (unlink, _exit). One CsvWriter exists at a time (a command writes one CSV).
char g_temporaryPath[kMaxPath];
char g_lockPath[kMaxPath];
std::atomic<bool> g_temporaryArmed { false };
std::atomic<bool> g_lockArmed { false };
static_assert(std::atomic<bool>::is_always_lock_free, "the signal handler reads these flags");
struct sigaction g_previousActions[std::size(kFatalSignals)];

void arm(char (&slot)[kMaxPath], std::atomic<bool>& flag, const std::string& path)
{
    std::memcpy(slot, path.c_str(), path.size() + 1);
    flag.store(true, std::memory_order_release);
}

void exitOnSignal(int)
{
    constexpr const char kMessage[] = "\nepsinas: interrupted\n";
    [[maybe_unused]] const ssize_t ignored = ::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
    exitRemovingOutput(130);
}

void installSignalHandlers()
{
    for (std::size_t i = 0; i < std::size(kFatalSignals); ++i) {
        struct sigaction action { };
        action.sa_handler = exitOnSignal;
        sigemptyset(&action.sa_mask);
        ::sigaction(kFatalSignals[i], nullptr, &g_previousActions[i]);
        // An ignored signal (nohup, a background job) stays ignored, as the user asked.
        if (g_previousActions[i].sa_handler == SIG_DFL)
            ::sigaction(kFatalSignals[i], &action, nullptr);
    }
}

void restoreSignalHandlers()
{
    for (std::size_t i = 0; i < std::size(kFatalSignals); ++i) {
        struct sigaction current { };
        ::sigaction(kFatalSignals[i], nullptr, &current);
        // A score run has put its own handler in place meanwhile; that one stays.
        if (current.sa_handler == exitOnSignal)
            ::sigaction(kFatalSignals[i], &g_previousActions[i], nullptr);
    }
}

std::string folderOf(const std::string& path)
{
    const std::string folder = std::filesystem::path(path).parent_path().string();
    return folder.empty() ? "." : folder;
}

std::string nameOf(const std::string& path)
{
    return std::filesystem::path(path).filename().string();
}

/** What a path stands for once symlinks are followed, including a dangling one that names a file to create. */
struct Resolved {
    int error = 0; // errno when the path cannot be resolved (e.g. its folder is missing); then nothing else is set
    bool exists = false;
    struct stat info { };
    std::string path; // absolute, without symlinks, for a regular file or a missing one
};

Resolved resolve(const std::string& path)
{
    Resolved result;
    if (::stat(path.c_str(), &result.info) == 0) {
        result.exists = true;
        // Only a regular file is replaced and so needs its real path; a device or pipe may have none
        // (/dev/stdout on a pipe is "pipe:[...]").
        if (S_ISREG(result.info.st_mode)) {
            char* real = ::realpath(path.c_str(), nullptr);
            if (!real)
                result.error = errno;
            else
                result.path = real;
            std::free(real);
        }
        return result;
    }
    if (errno != ENOENT) {
        result.error = errno;
        return result;
    }
    std::string name = path;
    for (int hops = 0;; ++hops) {
        struct stat link;
        if (::lstat(name.c_str(), &link) != 0 || !S_ISLNK(link.st_mode))
            break;
        if (hops == kMaxSymlinkHops) {
            result.error = ELOOP;
            return result;
        }
        std::string target(static_cast<std::size_t>(link.st_size) + 1, '\0');
        const ssize_t length = ::readlink(name.c_str(), target.data(), target.size());
        if (length < 0 || static_cast<std::size_t>(length) >= target.size()) {
            result.error = length < 0 ? errno : EIO;
            return result;
        }
        target.resize(static_cast<std::size_t>(length));
        name = target.front() == '/' ? target : folderOf(name) + "/" + target;
    }
    const std::string file = nameOf(name);
    if (file.empty() || file == "." || file == "..") {
        result.error = EISDIR;
        return result;
    }
    char* folder = ::realpath(folderOf(name).c_str(), nullptr);
    if (!folder) {
        result.error = errno;
        return result;
    }
    result.path = std::string(folder) + "/" + file;
    std::free(folder);
    return result;
}

} // namespace

std::string formatNumber(double value)
{
    if (std::isnan(value))
        return "nan";
    char text[32];
    std::snprintf(text, sizeof text, "%.9g", value);
    return text;
}

bool sameFile(const std::string& a, const std::string& b)
{
    const Resolved first = resolve(a);
    const Resolved second = resolve(b);
    if (first.error || second.error || first.exists != second.exists)
        return false;
    if (first.exists)
        return first.info.st_dev == second.info.st_dev && first.info.st_ino == second.info.st_ino;
    return first.path == second.path;
}

void exitRemovingOutput(int status) noexcept
{
    if (g_temporaryArmed.load(std::memory_order_acquire))
        ::unlink(g_temporaryPath);
    if (g_lockArmed.load(std::memory_order_acquire))
        ::unlink(g_lockPath);
    ::_exit(status);
}

CsvWriter::CsvWriter(const std::string& path, const std::vector<std::string>& protectedFiles)
    : m_path(path)
{
    if (path.empty())
        throw UsageError("--out needs a file name ('-' for stdout)");
    if (path == "-") {
        m_file = stdout;
        return;
    }
    const Resolved target = resolve(path);
    if (target.error)
        throw UsageError("cannot write '" + path + "': " + std::strerror(target.error));
    if (target.exists && S_ISDIR(target.info.st_mode))
        throw UsageError("cannot write '" + path + "': it is a folder");
    if (target.exists && !S_ISREG(target.info.st_mode)) {
        // A device (/dev/null), FIFO or socket is written straight through: replacing it would destroy it, and a
        // reader on the other end sees the rows as they come anyway. Nor is it compared with the inputs: it is
        // never replaced, and /dev/stdin and /dev/stdout may well be one terminal.
        m_file = std::fopen(path.c_str(), "w");
        if (!m_file)
            throw UsageError("cannot write '" + path + "': " + std::strerror(errno));
        return;
    }
    for (const std::string& other : protectedFiles) {
        if (!other.empty() && sameFile(path, other))
            throw UsageError("refusing to write '" + path + "' over '" + other
                + "', which this run reads or stores into; choose another --out");
    }
    if (g_temporaryArmed.load() || g_lockArmed.load())
        throw std::logic_error("one CsvWriter at a time");

    m_target = target.path;
    const std::string folder = folderOf(m_target);
    const std::string name = nameOf(m_target);
    std::string pattern = folder + "/." + name + kSideInfix + std::string(kRandomCharacters, 'X');
    if (pattern.size() >= kMaxPath)
        throw UsageError("cannot write '" + path + "': its path is too long");
    lock(folder, name);
    try {
        removeStaleTemporaries(folder, name);
        const int fd = ::mkostemp(pattern.data(), O_CLOEXEC);
        if (fd < 0)
            throw UsageError("cannot write '" + path + "': cannot create a temporary file in '" + folder
                + "': " + std::strerror(errno));
        m_temporaryPath = pattern;
        arm(g_temporaryPath, g_temporaryArmed, m_temporaryPath);
        // mkstemp makes the file 0600. The new file gets what a plain create would give it; a replaced one keeps
        // its owner (best effort: only root may give a file away) and mode, so its user can still edit it.
        if (target.exists) {
            [[maybe_unused]] const int owned = ::fchown(fd, target.info.st_uid, target.info.st_gid);
            ::fchmod(fd, target.info.st_mode & 07777);
        } else {
            // umask can only be read by setting it; no other thread creates files while a command starts.
            const mode_t mask = ::umask(0);
            ::umask(mask);
            ::fchmod(fd, 0666 & ~mask);
        }
        m_file = ::fdopen(fd, "w");
        if (!m_file) {
            ::close(fd);
            throw UsageError("cannot write '" + m_temporaryPath + "': " + std::strerror(errno));
        }
        installSignalHandlers();
    } catch (...) {
        release();
        throw;
    }
}

CsvWriter::~CsvWriter()
{
    if (m_file && m_file != stdout)
        std::fclose(m_file);
    release();
}

void CsvWriter::lock(const std::string& folder, const std::string& name)
{
    m_lockPath = folder + "/." + name + kSideInfix + "lock";
    for (int attempt = 0; attempt < kLockAttempts; ++attempt) {
        // O_NOFOLLOW: a symlink planted under the lock's name must not make this create or lock another file.
        const int fd = ::open(m_lockPath.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
            throw UsageError("cannot write '" + m_path + "': cannot create the lock file '" + m_lockPath
                + "': " + std::strerror(errno));
        struct stat held;
        // The lock file is always empty; anything else of that name is someone's file, and is left alone.
        if (::fstat(fd, &held) != 0 || !S_ISREG(held.st_mode) || held.st_size != 0) {
            ::close(fd);
            throw UsageError(
                "cannot write '" + m_path + "': '" + m_lockPath + "' is not an epsinas lock file (it is not empty)");
        }
        if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
            const int error = errno;
            ::close(fd);
            if (error == EWOULDBLOCK)
                throw UsageError("'" + m_path
                    + "' is being written by another epsinas run; wait for it to finish or choose another --out");
            throw UsageError("cannot lock '" + m_lockPath + "': " + std::strerror(error));
        }
        // Each owner removes the lock file before it lets go of the lock, so a lock taken on a file that was
        // removed meanwhile guards nothing: only the file still under the name counts.
        struct stat current;
        if (::stat(m_lockPath.c_str(), &current) == 0 && current.st_dev == held.st_dev
            && current.st_ino == held.st_ino) {
            m_lockFd = fd;
            arm(g_lockPath, g_lockArmed, m_lockPath);
            return;
        }
        ::close(fd);
    }
    throw UsageError("cannot lock '" + m_lockPath + "': another process keeps replacing it");
}

void CsvWriter::removeStaleTemporaries(const std::string& folder, const std::string& name) const
{
    // Holding the lock, no other run writes this file: a temporary of it that is still there was left by a run
    // killed with SIGKILL or by a power cut.
    const std::string prefix = "." + name + kSideInfix;
    DIR* directory = ::opendir(folder.c_str());
    if (!directory)
        return;
    while (const dirent* entry = ::readdir(directory)) {
        const std::string entryName = entry->d_name;
        if (entryName.size() != prefix.size() + kRandomCharacters || entryName.compare(0, prefix.size(), prefix) != 0)
            continue;
        struct stat info;
        if (::fstatat(::dirfd(directory), entry->d_name, &info, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(info.st_mode))
            ::unlinkat(::dirfd(directory), entry->d_name, 0);
    }
    ::closedir(directory);
}

void CsvWriter::release()
{
    if (!m_temporaryPath.empty()) {
        ::unlink(m_temporaryPath.c_str());
        g_temporaryArmed.store(false);
        m_temporaryPath.clear();
    }
    if (m_lockFd >= 0) {
        // Removed while still held; see lock().
        ::unlink(m_lockPath.c_str());
        g_lockArmed.store(false);
        ::close(m_lockFd);
        m_lockFd = -1;
        restoreSignalHandlers();
    }
}

void CsvWriter::row(const std::vector<std::string>& fields)
{
    std::string line;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i > 0)
            line += ',';
        const std::string& field = fields[i];
        if (field.find_first_of(",\"\n\r") == std::string::npos) {
            line += field;
            continue;
        }
        line += '"';
        for (char c : field)
            line += c == '"' ? std::string("\"\"") : std::string(1, c);
        line += '"';
    }
    line += '\n';
    std::fputs(line.c_str(), m_file);
}

void CsvWriter::commit()
{
    if (m_file == stdout) {
        if (std::fflush(stdout) != 0)
            throw std::runtime_error(std::string("writing to stdout failed: ") + std::strerror(errno));
        return;
    }
    // The temporary is synced before the rename, so that after a crash the name holds the old or the new content.
    bool written = std::fflush(m_file) == 0 && std::ferror(m_file) == 0;
    if (written && !m_target.empty())
        written = ::fsync(::fileno(m_file)) == 0;
    const int error = errno;
    const bool closed = std::fclose(m_file) == 0;
    m_file = nullptr;
    if (!written || !closed)
        throw std::runtime_error("writing '" + m_path + "' failed: " + std::strerror(written ? errno : error));
    if (m_target.empty())
        return;
    if (std::rename(m_temporaryPath.c_str(), m_target.c_str()) != 0)
        throw std::runtime_error("cannot replace '" + m_target + "': " + std::strerror(errno));
    g_temporaryArmed.store(false);
    m_temporaryPath.clear();
    // Makes the rename itself durable; a folder that cannot be synced leaves it to the file system, as any write.
    const int folder = ::open(folderOf(m_target).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (folder >= 0) {
        ::fsync(folder);
        ::close(folder);
    }
    release();
}

} // namespace epsinas::cli
