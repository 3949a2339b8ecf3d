// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace epsinas {

/**
 * How a table recognises the architectures of its search space (tableKeys() of spaces/spaces.h builds one from a
 * SearchSpace). Without a `key` function every field is its own key and no column is recognised by its values.
 */
struct ArchKeys {
    /** The join key of a trimmed field that names one of the space's architectures; nullopt for one that names none. */
    std::function<std::optional<std::string>(std::string_view)> key;
    /** What those architectures are, for messages: e.g. "NAS-Bench-201 cells". */
    std::string what;
};

/**
 * The join key of an architecture: the text, trimmed, normalised by `keys` when it names one of their space's
 * architectures (so spelling differences do not matter); anything else, e.g. a hash or an index, is its own key.
 */
std::string archKey(std::string_view arch, const ArchKeys& keys = {});

/**
 * A condition on the rows of a table: the field of `column` (trimmed and unquoted as the table reads it) is `value`,
 * compared as text. E.g. {"dataset", "cifar10"} picks the CIFAR-10 rows of a table that lists several datasets.
 */
struct RowCondition {
    std::string column;
    std::string value;
};

/**
 * A benchmark table read from CSV: one header line, one architecture column and any number of numeric columns
 * (e.g. the trained accuracies of every cell of a space).
 *
 * Format: comma separated; UTF-8 with or without a byte-order mark; LF or CRLF line ends; blank lines are skipped;
 * fields are trimmed of spaces and tabs and may be double-quoted ("" inside quotes is a quote), but a field cannot
 * span lines. A column is numeric when every non-empty field parses completely as a number ("nan" and "inf"
 * included, '.' as the decimal point whatever the C locale); empty fields read as NaN.
 */
class BenchmarkTable {
public:
    /**
     * Reads a table whose architectures are keyed by `keys`. The architecture column is `archColumn` when given,
     * else the first of the columns named arch_str, arch, architecture or hash, else the first column whose values
     * all name architectures of `keys`.
     * With `where`, only the rows that meet every condition are kept, before anything else is read from them (which
     * columns are numeric, the architecture column, duplicates).
     * Throws std::runtime_error naming the file, and the line where there is one, when the file cannot be read, is
     * empty, has a row with the wrong number of fields, an unterminated quote, a duplicate or empty column name, or
     * no architecture column, and when a condition names no column or no row meets the conditions.
     */
    static BenchmarkTable load(const std::string& path, const std::string& archColumn = {}, ArchKeys keys = {},
        const std::vector<RowCondition>& where = {});

    /** All column names, in file order. */
    const std::vector<std::string>& columns() const { return m_columns; }
    /** The numeric columns other than the architecture column, in file order: the candidate targets. */
    std::vector<std::string> numericColumns() const;
    std::string archColumn() const { return m_columns[m_archColumn]; }
    std::size_t rowCount() const { return m_archs.size(); }

    /** The values of a numeric column in row order; throws std::invalid_argument listing the numeric columns. */
    std::vector<double> column(const std::string& name) const;
    /** The architecture column as written in the file (trimmed), in row order. */
    const std::vector<std::string>& archs() const { return m_archs; }

    /**
     * The target value of each given architecture, matched by archKey() with the table's keys; NaN for one that is not
     * in the table. When a key occurs in several rows, the first row wins. Throws like column() for an unknown target.
     */
    std::vector<double> lookup(const std::vector<std::string>& archs, const std::string& target) const;

    /**
     * The rows whose architecture key (archKey) repeats that of an earlier row, in row order: lookup() never reads
     * them, since the first row of a key wins. A row with an empty architecture field has no key and is not listed.
     */
    const std::vector<std::size_t>& duplicateRows() const { return m_duplicateRows; }

private:
    const std::vector<double>& numericValues(const std::string& name) const;

    std::string m_path;
    std::vector<std::string> m_columns;
    // Per column: its values when it is numeric, empty otherwise (see m_numeric).
    std::vector<std::vector<double>> m_values;
    std::vector<bool> m_numeric;
    std::size_t m_archColumn = 0;
    std::vector<std::string> m_archs;
    std::unordered_map<std::string, std::size_t> m_rowByKey;
    std::vector<std::size_t> m_duplicateRows;
    ArchKeys m_keys;
};

} // namespace epsinas
