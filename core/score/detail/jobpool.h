// SPDX-License-Identifier: MIT
// Private to core/score: the thread pool of the plain-loop fast paths (no torch).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace epsinas::detail {

/**
 * Runs work(i, state) for every i in [0, count) on up to `threads` fresh threads, each taking the next index as it
 * finishes one, so uneven jobs (cells that die early) balance out. Each thread first calls makeState() for its own
 * scratch space (and thread-wide settings such as denormal flushing, which then never leak into the caller's or
 * LibTorch's threads). The first exception thrown by a job is rethrown here after all threads have stopped.
 */
template <typename MakeState, typename Work>
void forEachOnThreads(std::size_t count, int threads, MakeState makeState, Work work)
{
    std::atomic<std::size_t> next { 0 };
    std::exception_ptr failure;
    std::mutex failureMutex;
    auto run = [&] {
        try {
            auto state = makeState();
            for (std::size_t i = next++; i < count; i = next++)
                work(i, state);
        } catch (...) {
            const std::lock_guard<std::mutex> lock(failureMutex);
            if (!failure)
                failure = std::current_exception();
            next = count; // the others stop at their next job
        }
    };
    const int workerCount = std::max(1, std::min(threads, static_cast<int>(std::min<std::size_t>(count, 1 << 16))));
    std::vector<std::thread> workers;
    for (int t = 0; t < workerCount; ++t)
        workers.emplace_back(run);
    for (std::thread& worker : workers)
        worker.join();
    if (failure)
        std::rethrow_exception(failure);
}

} // namespace epsinas::detail
