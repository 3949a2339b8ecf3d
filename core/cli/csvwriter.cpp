// SPDX-License-Identifier: MIT
#include "cli/csvwriter.h"
#include "cli/arguments.h"

#include <cerrno>
#include <cmath>
#include <cstring>

namespace epsinas::cli {

std::string formatNumber(double value)
{
    if (std::isnan(value))
        return "nan";
    char text[32];
    std::snprintf(text, sizeof text, "%.9g", value);
    return text;
}

CsvWriter::CsvWriter(const std::string& path)
    : m_path(path)
{
    if (path == "-") {
        m_file = stdout;
        return;
    }
    m_partialPath = path + ".partial";
    m_file = std::fopen(m_partialPath.c_str(), "w");
    if (!m_file)
        throw UsageError("cannot write '" + m_partialPath + "': " + std::strerror(errno));
}

CsvWriter::~CsvWriter()
{
    if (m_file && m_file != stdout) {
        std::fclose(m_file);
        std::remove(m_partialPath.c_str());
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
    const bool written = std::ferror(m_file) == 0;
    const bool closed = std::fclose(m_file) == 0;
    m_file = nullptr;
    if (!written || !closed) {
        std::remove(m_partialPath.c_str());
        throw std::runtime_error("writing '" + m_partialPath + "' failed");
    }
    if (std::rename(m_partialPath.c_str(), m_path.c_str()) != 0)
        throw std::runtime_error("cannot rename '" + m_partialPath + "' to '" + m_path + "': " + std::strerror(errno));
}

} // namespace epsinas::cli
