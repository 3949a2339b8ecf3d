// SPDX-License-Identifier: MIT
#pragma once

#include <cstdio>
#include <string>
#include <vector>

namespace epsinas::cli {

/** "%.9g" (float32 round-trips) or "nan". */
std::string formatNumber(double value);

/**
 * CSV to stdout ("-") or to a file that appears only when commit() succeeds: rows go to FILE.partial, renamed over
 * FILE at the end, so an interrupted or failed run never leaves a half-written file behind.
 */
class CsvWriter {
public:
    explicit CsvWriter(const std::string& path);
    ~CsvWriter();
    CsvWriter(const CsvWriter&) = delete;
    CsvWriter& operator=(const CsvWriter&) = delete;

    /** Writes one record, quoting fields that contain a comma, quote or line break. */
    void row(const std::vector<std::string>& fields);
    void commit();

private:
    std::string m_path;
    std::string m_partialPath;
    std::FILE* m_file = nullptr;
};

} // namespace epsinas::cli
