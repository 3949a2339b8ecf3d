// SPDX-License-Identifier: MIT
#include "io/inputfile.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace epsinas {

namespace {

// Bytes read from a file at a time.
constexpr std::size_t kBufferBytes = 64 * 1024;
// The UTF-8 encoding of U+FEFF, which some editors write at the start of a text file.
constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
// Bounds on a list file: all 423,624 NB101 specs as ADJ:OPS take 40 MiB, and a line holds one architecture.
constexpr std::uint64_t kMaxListFileBytes = 256ull << 20;
constexpr std::size_t kMaxListLineBytes = 64 << 10;

/**
 * The length of the UTF-8 sequence of a printable character at text[i], or 0 when the bytes there are not one (a
 * stray or overlong byte, a surrogate, a C1 control character, a byte-order mark).
 */
std::size_t printableSequenceLength(std::string_view text, std::size_t i)
{
    const auto byte = [&](std::size_t k) { return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0; };
    const auto continuation = [](unsigned char c) { return c >= 0x80 && c <= 0xbf; };
    const unsigned char lead = byte(0);
    if (lead >= 0xc2 && lead <= 0xdf)
        return continuation(byte(1)) && !(lead == 0xc2 && byte(1) <= 0x9f) ? 2 : 0;
    if (lead >= 0xe0 && lead <= 0xef) {
        const unsigned char second = byte(1);
        const bool valid = continuation(second) && continuation(byte(2)) && !(lead == 0xe0 && second < 0xa0)
            && !(lead == 0xed && second > 0x9f);
        const bool byteOrderMark = text.substr(i, kByteOrderMark.size()) == kByteOrderMark;
        return valid && !byteOrderMark ? 3 : 0;
    }
    if (lead >= 0xf0 && lead <= 0xf4) {
        const unsigned char second = byte(1);
        const bool valid = continuation(second) && continuation(byte(2)) && continuation(byte(3))
            && !(lead == 0xf0 && second < 0x90) && !(lead == 0xf4 && second > 0x8f);
        return valid ? 4 : 0;
    }
    return 0;
}

std::string byteCount(std::uint64_t bytes)
{
    if (bytes >= (1ull << 20) && bytes % (1ull << 20) == 0)
        return std::to_string(bytes >> 20) + " MiB";
    if (bytes >= (1ull << 10) && bytes % (1ull << 10) == 0)
        return std::to_string(bytes >> 10) + " KiB";
    return std::to_string(bytes) + " bytes";
}

} // namespace

std::string excerpt(std::string_view text, std::size_t limit)
{
    std::string out;
    std::size_t i = 0;
    while (i < text.size() && i < limit) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c < 0x7f) {
            out += static_cast<char>(c);
            ++i;
            continue;
        }
        const std::size_t length = c >= 0x80 ? printableSequenceLength(text, i) : 0;
        if (length > 0 && i + length <= limit) {
            out.append(text.substr(i, length));
            i += length;
            continue;
        }
        if (length > 0)
            break; // a character that would end past the limit is left out whole
        char code[5];
        std::snprintf(code, sizeof code, "\\x%02x", c);
        out += code;
        ++i;
    }
    if (i < text.size())
        out += "… (" + std::to_string(text.size()) + " bytes)";
    return out;
}

InputFile::InputFile(const std::string& path, std::string kind, std::uint64_t maxBytes)
    : m_path(path)
    , m_kind(std::move(kind))
    , m_maxBytes(maxBytes)
{
    const std::string quoted = "'" + excerpt(path) + "'";
    // Not blocking in open(): a FIFO without a writer would otherwise hang here; it reads as empty instead.
    const int descriptor = open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (descriptor < 0)
        throw FileError("cannot read " + m_kind + " " + quoted + ": " + std::strerror(errno));
    const auto refuse = [descriptor](const std::string& message) {
        close(descriptor);
        throw FileError(message);
    };
    struct stat status { };
    if (fstat(descriptor, &status) != 0)
        refuse("cannot read " + m_kind + " " + quoted + ": " + std::strerror(errno));
    if (S_ISDIR(status.st_mode))
        refuse(m_kind + " " + quoted + " is a directory");
    if (S_ISREG(status.st_mode)) {
        m_size = static_cast<std::int64_t>(status.st_size);
        if (static_cast<std::uint64_t>(m_size) > m_maxBytes)
            refuse(m_kind + " " + quoted + " has " + std::to_string(m_size) + " bytes; at most " + byteCount(m_maxBytes)
                + " are read");
    }
    const int flags = fcntl(descriptor, F_GETFL);
    if (flags < 0 || fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK) != 0)
        refuse("cannot read " + m_kind + " " + quoted + ": " + std::strerror(errno));
    m_file = fdopen(descriptor, "rb");
    if (!m_file)
        refuse("cannot read " + m_kind + " " + quoted + ": " + std::strerror(errno));
}

InputFile::~InputFile()
{
    std::fclose(m_file);
}

void InputFile::failRead(int error) const
{
    throw FileError("cannot read " + m_kind + " '" + excerpt(m_path) + "': " + std::strerror(error));
}

std::string InputFile::where() const
{
    return excerpt(m_path) + ":" + std::to_string(m_lineNumber) + ": ";
}

bool InputFile::fill()
{
    if (m_buffer.empty())
        m_buffer.resize(kBufferBytes);
    const bool atStart = m_consumed == 0;
    const std::size_t got = std::fread(m_buffer.data(), 1, m_buffer.size(), m_file);
    if (got < m_buffer.size() && std::ferror(m_file))
        failRead(errno);
    m_consumed += got;
    if (m_consumed > m_maxBytes)
        throw FileError(m_kind + " '" + excerpt(m_path) + "' holds more than " + byteCount(m_maxBytes)
            + "; at most that much is read");
    m_bufferBegin = 0;
    m_bufferEnd = got;
    if (atStart && std::string_view(m_buffer.data(), got).substr(0, kByteOrderMark.size()) == kByteOrderMark)
        m_bufferBegin = kByteOrderMark.size();
    return m_bufferBegin < m_bufferEnd;
}

bool InputFile::readLine(std::string& line, std::size_t maxLength)
{
    line.clear();
    if (m_bufferBegin == m_bufferEnd && !fill())
        return false;
    ++m_lineNumber;
    for (;;) {
        const char* begin = m_buffer.data() + m_bufferBegin;
        const std::size_t available = m_bufferEnd - m_bufferBegin;
        const auto* newline = static_cast<const char*>(std::memchr(begin, '\n', available));
        const std::size_t take = newline ? static_cast<std::size_t>(newline - begin) : available;
        if (line.size() + take > maxLength)
            throw FileError(
                where() + "the line is longer than " + byteCount(maxLength) + " (the most a line may hold)");
        line.append(begin, take);
        m_bufferBegin += take;
        if (newline) {
            ++m_bufferBegin;
            return true;
        }
        if (!fill())
            return true; // the last line, without a line break
    }
}

std::string InputFile::readAll()
{
    std::string text;
    while (m_bufferBegin < m_bufferEnd || fill()) {
        text.append(m_buffer.data() + m_bufferBegin, m_bufferEnd - m_bufferBegin);
        m_bufferBegin = m_bufferEnd;
    }
    return text;
}

std::vector<unsigned char> InputFile::readAt(std::int64_t offset, std::size_t count)
{
    if (count > m_maxBytes)
        throw FileError(std::to_string(count) + " bytes asked for from " + m_kind + " '" + excerpt(m_path)
            + "'; at most " + byteCount(m_maxBytes) + " are read");
    if (fseeko(m_file, static_cast<off_t>(offset), SEEK_SET) != 0)
        failRead(errno);
    std::vector<unsigned char> bytes(count);
    const std::size_t got = std::fread(bytes.data(), 1, count, m_file);
    if (got < count && std::ferror(m_file))
        failRead(errno);
    if (got < count)
        throw FileError(m_kind + " '" + excerpt(m_path) + "' ends at byte " + std::to_string(offset + got)
            + ", before the " + std::to_string(count) + " bytes asked for from byte " + std::to_string(offset));
    return bytes;
}

void forEachListedLine(const std::string& path, const std::string& kind,
    const std::function<void(const std::string& line, std::size_t number)>& parse)
{
    InputFile file(path, kind, kMaxListFileBytes);
    for (std::string line; file.readLine(line, kMaxListLineBytes);) {
        const auto first = line.find_first_not_of(" \t\r");
        if (first == std::string::npos || line[first] == '#')
            continue;
        const auto last = line.find_last_not_of(" \t\r");
        try {
            parse(line.substr(first, last - first + 1), file.lineNumber());
        } catch (const std::exception& error) {
            throw FileError(file.where() + error.what());
        }
    }
}

} // namespace epsinas
