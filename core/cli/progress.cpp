// SPDX-License-Identifier: MIT
#include "cli/progress.h"

#include <cstdio>
#include <unistd.h>

namespace epsinas::cli {

ProgressReporter::ProgressReporter(std::string what, std::size_t total)
    : m_what(std::move(what))
    , m_total(total)
    , m_terminal(isatty(STDERR_FILENO) != 0)
{
}

void ProgressReporter::update(std::size_t done)
{
    if (m_total == 0)
        return;
    const auto now = std::chrono::steady_clock::now();
    const double elapsed = std::chrono::duration<double>(now - m_start).count();
    const double fraction = static_cast<double>(done) / static_cast<double>(m_total);
    const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0;
    const double left = rate > 0 ? static_cast<double>(m_total - done) / rate : 0;
    if (m_terminal) {
        if (done < m_total && now - m_lastDraw < std::chrono::milliseconds(100))
            return;
        m_lastDraw = now;
        constexpr int kWidth = 30;
        const int filled = static_cast<int>(fraction * kWidth);
        std::fprintf(stderr, "\r%s [%.*s%*s] %3d%% %zu/%zu, %.1f/s, %d:%02d left ", m_what.c_str(), filled,
            "##############################", kWidth - filled, "", static_cast<int>(fraction * 100), done, m_total,
            rate, static_cast<int>(left) / 60, static_cast<int>(left) % 60);
        std::fflush(stderr);
    } else {
        const int decile = static_cast<int>(fraction * 10);
        if (decile == m_lastDecile)
            return;
        m_lastDecile = decile;
        std::fprintf(stderr, "%s: %zu/%zu (%d%%), %.1f/s\n", m_what.c_str(), done, m_total, decile * 10, rate);
    }
}

void ProgressReporter::finish(const std::string& summary)
{
    if (m_terminal && m_lastDraw.time_since_epoch().count() != 0)
        std::fprintf(stderr, "\n");
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    std::fprintf(stderr, "%s in %.1f s\n", summary.c_str(), elapsed);
}

} // namespace epsinas::cli
