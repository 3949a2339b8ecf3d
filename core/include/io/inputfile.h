// SPDX-License-Identifier: MIT
// Reading what comes from outside the program (arch lists, recipe files, text corpora, image files): in bounded
// pieces, a read error reported as an error, and quoted in messages only in part.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace epsinas {

// Bytes of outside input a message quotes at most; longer input is cut and its length named.
constexpr std::size_t kQuoteLimit = 200;

/**
 * `text` fit to be quoted in a one-line message: bytes that would not print as themselves (NUL, control
 * characters, bytes that are not UTF-8, a byte-order mark) are written \xNN, and input beyond `limit` bytes is cut,
 * its length named ("xxxx… (1000000 bytes)").
 */
std::string excerpt(std::string_view text, std::size_t limit = kQuoteLimit);

/** Thrown when a file cannot be opened or read, or is larger than its reader accepts; what() names the file. */
class FileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/**
 * A file opened for reading, read in bounded pieces. A directory is refused when it is opened, and a failed read
 * is an error, never the end of the file.
 */
class InputFile {
public:
    /**
     * Opens `path`; `kind` names it in messages ("arch file"). Throws FileError when it cannot be opened, is a
     * directory, or is larger than `maxBytes`; reading past `maxBytes` of a file of unknown size throws too. Opening
     * never waits: a FIFO that no one writes to reads as empty.
     */
    InputFile(const std::string& path, std::string kind, std::uint64_t maxBytes);
    ~InputFile();
    InputFile(const InputFile&) = delete;
    InputFile& operator=(const InputFile&) = delete;

    /** The size of a regular file; -1 for one whose size is not known in advance (a pipe, a device). */
    std::int64_t size() const { return m_size; }

    /**
     * The next line without its '\n' (and without a UTF-8 byte-order mark at the start of the file); false at the
     * end of the file. Throws FileError for a read error, or naming the line when it is longer than `maxLength`
     * bytes, without reading more of it.
     */
    bool readLine(std::string& line, std::size_t maxLength);
    /** The number of the line readLine returned last, from 1. */
    std::size_t lineNumber() const { return m_lineNumber; }
    /** "PATH:N: " for the line readLine returned last, to begin a message about it. */
    std::string where() const;

    /** The rest of the file as text, without a UTF-8 byte-order mark at its start. */
    std::string readAll();
    /** `count` bytes from byte `offset`; throws FileError when the file ends before them or a read fails. */
    std::vector<unsigned char> readAt(std::int64_t offset, std::size_t count);

private:
    /** Refills m_buffer; false at the end of the file. */
    bool fill();
    [[noreturn]] void failRead(int error) const;

    std::FILE* m_file = nullptr;
    std::string m_path; // as given, for messages (excerpt-ed when quoted)
    std::string m_kind;
    std::uint64_t m_maxBytes;
    std::int64_t m_size = -1;
    std::uint64_t m_consumed = 0; // bytes read from the file so far
    std::vector<char> m_buffer;
    std::size_t m_bufferBegin = 0, m_bufferEnd = 0;
    std::size_t m_lineNumber = 0;
};

/**
 * Calls `parse(line, number)` for every line of the list file `path` (one architecture per line) that is neither
 * blank nor a '#' comment, with surrounding blanks removed; whatever `parse` throws becomes a FileError that begins
 * "PATH:N: ". `kind` names the file in messages ("arch file"). The file may hold 256 MiB in lines of at most
 * 64 KiB; a directory, a read error or a longer line is an error naming the file.
 */
void forEachListedLine(const std::string& path, const std::string& kind,
    const std::function<void(const std::string& line, std::size_t number)>& parse);

} // namespace epsinas
