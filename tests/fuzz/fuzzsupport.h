// SPDX-License-Identifier: MIT
// What every libFuzzer target of tests/fuzz shares: a contract failure that libFuzzer reports as a crash (with the
// input that caused it), and a scratch file for the parsers that read files.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <typeinfo>

#include <unistd.h>

namespace epsinas::fuzz {

/**
 * The parser broke its contract: says how on stderr and traps, so libFuzzer stops and keeps the input. Not an
 * exception: a contract failure must never be mistaken for the documented error.
 */
[[noreturn]] inline void contractFailure(std::string_view what)
{
    std::fprintf(stderr, "contract failure: %.*s\n", int(what.size()), what.data());
    std::fflush(stderr);
    __builtin_trap();
}

inline void require(bool condition, std::string_view what)
{
    if (!condition)
        contractFailure(what);
}

/** An exception the parser must not throw: its dynamic type and message, then contractFailure. */
[[noreturn]] inline void unexpectedException(const std::exception& error)
{
    contractFailure(std::string("undocumented exception ") + typeid(error).name() + ": " + error.what());
}

/**
 * A file of this process that each input is written to, for parsers that read files: in $TMPDIR, else in /dev/shm
 * (in memory: a disk-backed /tmp makes every input cost a write to disk, 5 to 10 times the parse), else in /tmp. The
 * name carries the process id, so targets run side by side do not share it; the file is removed at exit.
 */
class ScratchFile {
public:
    explicit ScratchFile(const std::string& suffix)
    {
        const char* variable = std::getenv("TMPDIR");
        std::string folder = variable && *variable ? variable : "/tmp";
        if (!(variable && *variable) && access("/dev/shm", W_OK) == 0)
            folder = "/dev/shm";
        m_path = folder + "/epsinas-fuzz-" + std::to_string(getpid()) + suffix;
    }
    ~ScratchFile() { std::remove(m_path.c_str()); }
    ScratchFile(const ScratchFile&) = delete;
    ScratchFile& operator=(const ScratchFile&) = delete;

    /** Replaces the file's content with `bytes`; its path. */
    const std::string& write(std::string_view bytes) const
    {
        std::ofstream out(m_path, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.close();
        require(bool(out), "cannot write the scratch file " + m_path);
        return m_path;
    }
    /** The file's content now. */
    std::string read() const
    {
        std::ifstream in(m_path, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    const std::string& path() const { return m_path; }

private:
    std::string m_path;
};

} // namespace epsinas::fuzz
