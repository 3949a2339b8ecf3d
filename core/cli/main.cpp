// SPDX-License-Identifier: MIT
// The `epsinas` command: headless scoring, statistics and result stores. Its interface is relied on by scripts.
#include "cli/arguments.h"
#include "cli/commands.h"

#include "io/inputfile.h"
#include "spaces/spaces.h"

#include <cstdio>
#include <exception>
#include <new>
#include <string>
#include <vector>

namespace {

// Bytes of an error message printed at most: the messages themselves quote at most kQuoteLimit bytes of input each,
// this bounds what reaches the terminal whatever threw.
constexpr std::size_t kMessageLimit = 1000;
// Bytes of the command name quoted: every message begins with it.
constexpr std::size_t kCommandQuoteLimit = 40;

// The usage text; the search spaces come from the registry.
std::string usage()
{
    std::string names;
    const std::vector<const epsinas::SearchSpace*>& spaces = epsinas::spaceRegistry().all();
    for (std::size_t i = 0; i < spaces.size(); ++i)
        names += (i == 0 ? "" : i + 1 == spaces.size() ? " or " : ", ") + spaces[i]->name();
    return R"(usage: epsinas COMMAND [OPTIONS]

Scores untrained networks with epsinas (two constant shared weights; Gracheva, arXiv 2302.04406).

commands:
  score      score architectures of )"
        + names + ", and write CSV (arch,score,...);\n             --space " + epsinas::spaceRegistry().keyList()
        + R"( picks the space (see epsinas score --help)
  correlate  join a scores CSV to a benchmark table and print rank correlations
  compare    the paper's table of zero-cost proxies: one row per score column, over the same architectures
  search     random search and ageing evolution over a benchmark table, with precomputed scores or scoring
             its architectures
  export     write the scores held in a result store as CSV
  merge      merge result stores (e.g. the shards of a cluster run)

'epsinas COMMAND --help' describes one command. Exit status: 0 done, 2 bad usage or input, 130 interrupted.
)";
}

} // namespace

int main(int argc, char** argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::fputs(usage().c_str(), args.empty() ? stderr : stdout);
        return args.empty() ? 2 : 0;
    }
    if (args[0] == "--version") {
        std::printf("epsinas %s\n", EPSINAS_VERSION);
        return 0;
    }
    const std::string command = epsinas::excerpt(args[0], kCommandQuoteLimit);
    args.erase(args.begin());
    // One line on stderr: the first line of `message` (a LibTorch error that slipped through carries its
    // backtrace after it), NUL and control bytes escaped, at most kMessageLimit bytes.
    auto fail = [&command](const std::string& message) {
        const std::string line = epsinas::excerpt(message.substr(0, message.find('\n')), kMessageLimit);
        std::fprintf(stderr, "epsinas %s: %s\n", command.c_str(), line.c_str());
        return 2;
    };
    try {
        if (command == "score")
            return epsinas::cli::scoreCommand(args);
        if (command == "correlate")
            return epsinas::cli::correlateCommand(args);
        if (command == "compare")
            return epsinas::cli::compareCommand(args);
        if (command == "search")
            return epsinas::cli::searchCommand(args);
        if (command == "export")
            return epsinas::cli::exportCommand(args);
        if (command == "merge")
            return epsinas::cli::mergeCommand(args);
        throw epsinas::cli::UsageError("unknown command '" + command + "' (try epsinas --help)");
    } catch (const std::bad_alloc&) {
        return fail("out of memory (try a smaller --batch or --chunk)");
    } catch (const std::exception& error) {
        // Bad usage, malformed input, unreadable files, missing CUDA, out of memory: one line, status 2.
        return fail(error.what());
    }
}
