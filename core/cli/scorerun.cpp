// SPDX-License-Identifier: MIT
#include "cli/scorerun.h"
#include "cli/arguments.h"
#include "cli/csvwriter.h"

#include "store/resultstore.h"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <optional>

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
    files.insert(files.end(), args.values("arch-file").begin(), args.values("arch-file").end());
    const std::string store = storeOption(args);
    if (!store.empty()) {
        const std::vector<std::string> storeFiles = ResultStore::files(store);
        files.insert(files.end(), storeFiles.begin(), storeFiles.end());
    }
    return files;
}

bool runBatch(run::Batch& batch, Evaluator& evaluator, const RunKey& key, const std::string& storePath,
    std::size_t chunk, const std::string& unit, ProgressReporter& progress, std::size_t& computed)
{
    // Before the store is opened: a run waiting for a store that another process is writing is stopped at once by a
    // second Ctrl-C too (the first is seen when the wait ends).
    catchInterrupts(SIGINT);
    catchInterrupts(SIGTERM);
    std::optional<ResultStore> store;
    if (!storePath.empty()) {
        store = ResultStore::open(storePath);
        const std::size_t taken = batch.takeStored(*store, key).size();
        if (taken > 0)
            std::fprintf(stderr, "%zu of %zu distinct %s already in %s\n", taken, batch.forms().size(), unit.c_str(),
                storePath.c_str());
    }

    progress = ProgressReporter("scoring", batch.pending());
    computed = 0;
    RunControl control;
    control.isCancelled = [] { return g_interrupted.load(); };
    control.progress = [&](std::size_t chunkDone, std::size_t) { progress.update(computed + chunkDone); };
    try {
        while (batch.pending() > 0) {
            const std::vector<std::size_t> scored = batch.scoreNext(evaluator, chunk, control);
            if (store)
                batch.write(scored, *store, key);
            computed += scored.size();
            progress.update(computed);
        }
    } catch (const Cancelled&) {
        progress.finish("interrupted after " + std::to_string(computed) + " distinct " + unit
            + (storePath.empty() ? "" : "; they are stored: run the same command again to resume"));
        return false;
    }
    return true;
}

} // namespace epsinas::cli
