// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace epsinas::cli {

/** Progress on stderr: a redrawn bar on a terminal, a line every 10 % otherwise (logs stay readable). */
class ProgressReporter {
public:
    ProgressReporter(std::string what, std::size_t total);
    void update(std::size_t done);
    /** Ends the bar and prints one summary line. */
    void finish(const std::string& summary);

private:
    std::string m_what;
    std::size_t m_total;
    bool m_terminal;
    int m_lastDecile = -1;
    std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point m_lastDraw {};
};

} // namespace epsinas::cli
