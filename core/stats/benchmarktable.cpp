// SPDX-License-Identifier: MIT
#include "stats/benchmarktable.h"

#include "io/inputfile.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <stdexcept>
#include <utility>

namespace epsinas {

namespace {

// Largest table read: the biggest benchmark tables (all of NAS-Bench-101) are a few hundred MB.
constexpr std::uint64_t kMaxTableBytes = std::uint64_t(2) << 30;
// Column names that mark the architecture column, in order of preference; `hash` is NB101's key.
constexpr std::array<std::string_view, 4> kArchColumnNames { "arch_str", "arch", "architecture", "hash" };

std::string_view trimmed(std::string_view text)
{
    const std::size_t begin = text.find_first_not_of(" \t");
    if (begin == std::string_view::npos)
        return {};
    const std::size_t end = text.find_last_not_of(" \t");
    return text.substr(begin, end - begin + 1);
}

std::string joined(const std::vector<std::string>& names)
{
    std::string text;
    for (const auto& name : names) {
        if (!text.empty())
            text += ", ";
        text += name;
    }
    return text.empty() ? std::string("none") : text;
}

[[noreturn]] void failAt(const std::string& path, std::size_t line, const std::string& what)
{
    throw std::runtime_error(path + ":" + std::to_string(line) + ": " + what);
}

// Splits one line into trimmed fields, unquoting double-quoted ones.
std::vector<std::string> splitFields(std::string_view line, const std::string& path, std::size_t lineNumber)
{
    std::vector<std::string> fields;
    std::size_t pos = 0;
    while (true) {
        while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t'))
            ++pos;
        std::string field;
        if (pos < line.size() && line[pos] == '"') {
            ++pos;
            while (true) {
                if (pos >= line.size())
                    failAt(path, lineNumber, "field " + std::to_string(fields.size() + 1) + ": unterminated quote");
                if (line[pos] == '"') {
                    if (pos + 1 < line.size() && line[pos + 1] == '"') {
                        field += '"';
                        pos += 2;
                        continue;
                    }
                    ++pos;
                    break;
                }
                field += line[pos++];
            }
            while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t'))
                ++pos;
            if (pos < line.size() && line[pos] != ',')
                failAt(path, lineNumber,
                    "field " + std::to_string(fields.size() + 1) + ": unexpected text after the closing quote");
        } else {
            const std::size_t comma = std::min(line.find(',', pos), line.size());
            field = std::string(trimmed(line.substr(pos, comma - pos)));
            pos = comma;
        }
        fields.push_back(std::move(field));
        if (pos >= line.size())
            return fields;
        ++pos; // the comma
    }
}

/*
 * Parses a whole field as a double. std::from_chars rather than strtod: strtod follows the C locale, which a Qt
 * application sets from the environment, so "0.5" would not parse under e.g. a German locale.
 */
bool parseNumber(std::string_view text, double& value)
{
    if (text.empty()) {
        value = std::numeric_limits<double>::quiet_NaN();
        return true;
    }
    if (text.front() == '+' && text.size() > 1 && text[1] != '-')
        text.remove_prefix(1);
    const char* end = text.data() + text.size();
    const auto result = std::from_chars(text.data(), end, value);
    return result.ec == std::errc() && result.ptr == end;
}

// Distinct values of a column quoted in a message about a condition no row meets.
constexpr std::size_t kQuotedValues = 5;

// Keeps the rows of `raw` (column by column) that meet every condition of `where`.
void keepRowsWhere(std::vector<std::vector<std::string>>& raw, const std::vector<std::string>& columns,
    const std::vector<RowCondition>& where, const std::string& path, std::size_t headerLine)
{
    if (where.empty())
        return;
    const std::size_t rowCount = raw.empty() ? 0 : raw.front().size();
    std::vector<bool> keep(rowCount, true);
    for (const RowCondition& condition : where) {
        const auto column = std::find(columns.begin(), columns.end(), condition.column);
        if (column == columns.end())
            failAt(path, headerLine,
                "no column '" + excerpt(condition.column) + "' to select rows by; columns: " + joined(columns));
        const std::vector<std::string>& fields = raw[std::size_t(column - columns.begin())];
        const bool anyLeft = std::find(keep.begin(), keep.end(), true) != keep.end();
        bool anyKept = false;
        for (std::size_t r = 0; r < rowCount; ++r) {
            keep[r] = keep[r] && fields[r] == condition.value;
            anyKept = anyKept || keep[r];
        }
        if (!anyKept && anyLeft) {
            std::vector<std::string> seen;
            for (std::size_t r = 0; r < rowCount && seen.size() < kQuotedValues; ++r) {
                if (std::find(seen.begin(), seen.end(), excerpt(fields[r])) == seen.end())
                    seen.push_back(excerpt(fields[r]));
            }
            throw std::runtime_error(path + ": no row where " + condition.column + " is '" + excerpt(condition.value)
                + "' (its values include " + joined(seen) + ")");
        }
    }
    if (std::find(keep.begin(), keep.end(), true) == keep.end())
        throw std::runtime_error(path + ": no row meets every condition");
    for (std::vector<std::string>& fields : raw) {
        std::size_t kept = 0;
        for (std::size_t r = 0; r < rowCount; ++r) {
            if (keep[r])
                fields[kept++] = std::move(fields[r]);
        }
        fields.resize(kept);
    }
}

} // namespace

std::string archKey(std::string_view arch, const ArchKeys& keys)
{
    const std::string_view text = trimmed(arch);
    if (keys.key) {
        if (std::optional<std::string> key = keys.key(text))
            return std::move(*key);
    }
    return std::string(text);
}

BenchmarkTable BenchmarkTable::load(
    const std::string& path, const std::string& archColumn, ArchKeys keys, const std::vector<RowCondition>& where)
{
    // InputFile refuses a directory, reports a read error as one (never as the end of the table) and drops a
    // byte-order mark.
    const std::string data = InputFile(path, "benchmark table", kMaxTableBytes).readAll();
    std::string_view rest(data);

    BenchmarkTable table;
    table.m_path = path;
    // Raw fields, column by column, until each column is known to be numeric or not.
    std::vector<std::vector<std::string>> raw;
    std::size_t lineNumber = 0;
    std::size_t headerLine = 0;
    while (!rest.empty()) {
        const std::size_t newline = rest.find('\n');
        std::string_view line = rest.substr(0, newline);
        rest.remove_prefix(newline == std::string_view::npos ? rest.size() : newline + 1);
        ++lineNumber;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (trimmed(line).empty())
            continue;

        std::vector<std::string> fields = splitFields(line, path, lineNumber);
        if (headerLine == 0) {
            headerLine = lineNumber;
            for (std::size_t i = 0; i < fields.size(); ++i) {
                if (fields[i].empty())
                    failAt(path, lineNumber, "column " + std::to_string(i + 1) + " of the header has no name");
                for (std::size_t j = 0; j < i; ++j) {
                    if (fields[j] == fields[i])
                        failAt(path, lineNumber, "column name '" + fields[i] + "' appears twice in the header");
                }
            }
            table.m_columns = std::move(fields);
            raw.resize(table.m_columns.size());
            continue;
        }
        if (fields.size() != table.m_columns.size())
            failAt(path, lineNumber,
                "expected " + std::to_string(table.m_columns.size()) + " fields as in the header, found "
                    + std::to_string(fields.size()));
        for (std::size_t i = 0; i < fields.size(); ++i)
            raw[i].push_back(std::move(fields[i]));
    }
    if (headerLine == 0)
        throw std::runtime_error(path + ": empty file (no header line)");
    keepRowsWhere(raw, table.m_columns, where, path, headerLine);

    const std::size_t columnCount = table.m_columns.size();
    table.m_values.resize(columnCount);
    table.m_numeric.assign(columnCount, true);
    for (std::size_t c = 0; c < columnCount; ++c) {
        std::vector<double>& values = table.m_values[c];
        values.resize(raw[c].size());
        for (std::size_t r = 0; r < raw[c].size() && table.m_numeric[c]; ++r)
            table.m_numeric[c] = parseNumber(raw[c][r], values[r]);
        if (!table.m_numeric[c])
            values.clear();
    }

    const auto columnNamed = [&table](std::string_view name) {
        for (std::size_t c = 0; c < table.m_columns.size(); ++c) {
            if (table.m_columns[c] == name)
                return c;
        }
        return table.m_columns.size();
    };
    std::size_t found = columnCount;
    if (!archColumn.empty()) {
        found = columnNamed(archColumn);
        if (found == columnCount)
            failAt(
                path, headerLine, "no architecture column '" + archColumn + "'; columns: " + joined(table.m_columns));
    }
    for (std::size_t i = 0; i < kArchColumnNames.size() && found == columnCount; ++i)
        found = columnNamed(kArchColumnNames[i]);
    const auto namesArch = [&keys](const std::string& field) { return keys.key(field).has_value(); };
    for (std::size_t c = 0; keys.key && c < columnCount && found == columnCount; ++c) {
        const auto& values = raw[c];
        if (!values.empty() && std::all_of(values.begin(), values.end(), namesArch))
            found = c;
    }
    if (found == columnCount)
        failAt(path, headerLine,
            "no architecture column (expected one named arch_str, arch, architecture or hash"
                + (keys.key ? ", or one whose values are all " + keys.what : std::string())
                + "); columns: " + joined(table.m_columns));

    table.m_keys = std::move(keys);
    table.m_archColumn = found;
    table.m_archs = std::move(raw[found]);
    table.m_rowByKey.reserve(table.m_archs.size());
    for (std::size_t r = 0; r < table.m_archs.size(); ++r) {
        if (!table.m_archs[r].empty() && !table.m_rowByKey.emplace(archKey(table.m_archs[r], table.m_keys), r).second)
            table.m_duplicateRows.push_back(r);
    }
    return table;
}

std::vector<std::string> BenchmarkTable::numericColumns() const
{
    std::vector<std::string> names;
    for (std::size_t c = 0; c < m_columns.size(); ++c) {
        if (m_numeric[c] && c != m_archColumn)
            names.push_back(m_columns[c]);
    }
    return names;
}

const std::vector<double>& BenchmarkTable::numericValues(const std::string& name) const
{
    for (std::size_t c = 0; c < m_columns.size(); ++c) {
        if (m_columns[c] != name)
            continue;
        if (!m_numeric[c])
            throw std::invalid_argument("column '" + name + "' of '" + m_path
                + "' is not numeric; numeric columns: " + joined(numericColumns()));
        return m_values[c];
    }
    throw std::invalid_argument(
        "no column '" + name + "' in '" + m_path + "'; numeric columns: " + joined(numericColumns()));
}

std::vector<double> BenchmarkTable::column(const std::string& name) const
{
    return numericValues(name);
}

std::vector<double> BenchmarkTable::lookup(const std::vector<std::string>& archs, const std::string& target) const
{
    const std::vector<double>& values = numericValues(target);
    std::vector<double> result(archs.size(), std::numeric_limits<double>::quiet_NaN());
    for (std::size_t i = 0; i < archs.size(); ++i) {
        const auto row = m_rowByKey.find(archKey(archs[i], m_keys));
        if (row != m_rowByKey.end())
            result[i] = values[row->second];
    }
    return result;
}

} // namespace epsinas
