// SPDX-License-Identifier: MIT
#include "cli/scorerun.h"
#include "cli/arguments.h"
#include "cli/csvwriter.h"

#include "store/resultstore.h"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>

namespace epsinas::cli {

namespace {
std::atomic<bool> g_interrupted { false };
static_assert(std::atomic<bool>::is_always_lock_free, "the signal handler sets this flag");

// Async-signal-safe: an atomic exchange, write(2) and exitRemovingOutput (unlink, _exit).
void onInterrupt(int)
{
    if (!g_interrupted.exchange(true)) {
        constexpr const char kFirst[] = "\nepsinas: stopping after the current step (Ctrl-C again: stop at once)\n";
        [[maybe_unused]] const ssize_t ignored = ::write(STDERR_FILENO, kFirst, sizeof kFirst - 1);
        return;
    }
    constexpr const char kSecond[] = "\nepsinas: interrupted again: stopping at once\n";
    [[maybe_unused]] const ssize_t ignored = ::write(STDERR_FILENO, kSecond, sizeof kSecond - 1);
    exitRemovingOutput(130);
}

void catchInterrupts(int signal)
{
    struct sigaction current { };
    ::sigaction(signal, nullptr, &current);
    // An ignored signal (nohup, a background job) stays ignored, as the user asked.
    if (current.sa_handler == SIG_IGN)
        return;
    struct sigaction action { };
    action.sa_handler = onInterrupt;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(signal, &action, nullptr);
}
} // namespace

std::string storeOption(const Arguments& args)
{
    if (!args.has("store"))
        return {};
    const std::string path = args.value("store");
    if (path.empty())
        throw UsageError("--store needs a file name (a store that is no file keeps nothing)");
    if (path == ":memory:" || path.rfind("file:", 0) == 0)
        throw UsageError("--store '" + path + "': give a file path, not an in-memory database or a URI (./" + path
            + " for a file of that name)");
    return path;
}

std::vector<std::string> runFiles(const Arguments& args, const std::vector<std::string>& inputs)
{
    std::vector<std::string> files = inputs;
    for (const char* option : { "arch-file", "recipe-file" })
        files.insert(files.end(), args.values(option).begin(), args.values(option).end());
    const std::string store = storeOption(args);
    if (!store.empty()) {
        const std::vector<std::string> storeFiles = ResultStore::files(store);
        files.insert(files.end(), storeFiles.begin(), storeFiles.end());
    }
    return files;
}

std::optional<std::map<std::string, CellScore>> scoreDistinct(const std::vector<std::string>& keys,
    const ScoringRun& run, const ScoreForms& score, ProgressReporter& progress, std::size_t& computed)
{
    // Before the store is opened: a run waiting for a store that another process is writing is stopped at once by a
    // second Ctrl-C too (the first is seen when the wait ends).
    catchInterrupts(SIGINT);
    catchInterrupts(SIGTERM);
    std::map<std::string, CellScore> scores;
    std::vector<std::size_t> pending;
    std::optional<ResultStore> store;
    const RunKey runKey { run.space, run.inputFingerprint, toString(run.options.weights),
        toString(run.options.precision), toString(run.options.evaluator) };
    if (!run.storePath.empty()) {
        store = ResultStore::open(run.storePath);
        const auto stored = store->lookup(runKey, keys);
        for (std::size_t i = 0; i < keys.size(); ++i) {
            const auto found = stored.find(keys[i]);
            if (found == stored.end()) {
                pending.push_back(i);
                continue;
            }
            CellScore& cached = scores[keys[i]];
            cached.score = found->second.score;
            cached.mae = found->second.mae;
            cached.mean = found->second.mean;
            cached.nanReason = found->second.nanReason;
        }
        if (pending.size() < keys.size())
            std::fprintf(stderr, "%zu of %zu distinct cells already in %s\n", keys.size() - pending.size(), keys.size(),
                run.storePath.c_str());
    }
    if (run.storePath.empty())
        for (std::size_t i = 0; i < keys.size(); ++i)
            pending.push_back(i);

    progress = ProgressReporter("scoring", pending.size());
    computed = 0;
    try {
        for (std::size_t begin = 0; begin < pending.size(); begin += run.chunkSize) {
            const std::vector<std::size_t> chunk(pending.begin() + static_cast<std::ptrdiff_t>(begin),
                pending.begin() + static_cast<std::ptrdiff_t>(std::min(pending.size(), begin + run.chunkSize)));
            RunControl control;
            control.isCancelled = [] { return g_interrupted.load(); };
            control.progress = [&](std::size_t chunkDone, std::size_t) { progress.update(computed + chunkDone); };
            const std::vector<CellScore> results = score(chunk, control);
            if (store) {
                std::vector<StoredScore> rows;
                for (std::size_t i = 0; i < chunk.size(); ++i)
                    rows.push_back(
                        { keys[chunk[i]], results[i].score, results[i].mae, results[i].mean, results[i].nanReason });
                store->write(runKey, rows);
            }
            for (std::size_t i = 0; i < chunk.size(); ++i)
                scores[keys[chunk[i]]] = results[i];
            computed += chunk.size();
            progress.update(computed);
        }
    } catch (const Cancelled&) {
        progress.finish("interrupted after " + std::to_string(computed) + " distinct cells"
            + (run.storePath.empty() ? "" : "; they are stored: run the same command again to resume"));
        return std::nullopt;
    }
    return scores;
}

} // namespace epsinas::cli
