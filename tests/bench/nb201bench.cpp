// SPDX-License-Identifier: MIT
// Speed of the NB201 evaluators, measured in one run on one machine: reference vs fast per cell on the same cells,
// the whole space on the fast path, and peak memory. Prints a Markdown table for docs/benchmarks.md.
#include "score/nb201evaluator.h"
#include "score/runtime.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>

#include <sys/resource.h>

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n == 0 ? 0 : (n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2);
}

double peakRssMiB()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0; // ru_maxrss is in KiB on Linux
}

/** Seconds per cell, scoring the cells one at a time as the explorer does on every edit. */
std::vector<double> timeOneByOne(epsinas::Nb201Evaluator& evaluator, const std::vector<epsinas::nb201::Cell>& cells)
{
    std::vector<double> seconds;
    for (const epsinas::nb201::Cell& cell : cells) {
        const auto start = Clock::now();
        evaluator.score({ cell });
        seconds.push_back(secondsSince(start));
    }
    return seconds;
}

const char* const kUsage = R"(usage: epsinas-bench [--input SPEC] [--batch N] [--device cpu|cuda] [--threads N]
                     [--reference-cells N] [--fast-cells N] [--no-space] [--chunk N] [--seed N]

Times, in one run: `reference` and `fast` one cell at a time on the same cells (their ratio), `fast` on more cells
(median latency), the whole NB201 space on the fast path (cells/s), and the peak RSS of the process.
)";

} // namespace

int main(int argc, char** argv)
{
    using namespace epsinas;
    std::string inputText = "grey";
    int batch = 256, referenceCells = 8, fastCells = 100, threads = 0, chunk = 0;
    unsigned seed = 21;
    bool wholeSpace = true;
    Device device = Device::Cpu;
    try {
        for (int i = 1; i < argc; ++i) {
            const std::string arg = argv[i];
            auto next = [&]() -> std::string {
                if (i + 1 >= argc)
                    throw std::invalid_argument(arg + " needs a value");
                return argv[++i];
            };
            if (arg == "--input")
                inputText = next();
            else if (arg == "--batch")
                batch = std::stoi(next());
            else if (arg == "--device")
                device = parseDevice(next());
            else if (arg == "--threads")
                threads = std::stoi(next());
            else if (arg == "--reference-cells")
                referenceCells = std::stoi(next());
            else if (arg == "--fast-cells")
                fastCells = std::stoi(next());
            else if (arg == "--chunk")
                chunk = std::stoi(next());
            else if (arg == "--seed")
                seed = static_cast<unsigned>(std::stoul(next()));
            else if (arg == "--no-space")
                wholeSpace = false;
            else if (arg == "--help") {
                std::fputs(kUsage, stdout);
                return 0;
            } else
                throw std::invalid_argument("unknown option " + arg);
        }
        InputSpec spec = InputSpec::parse(inputText);
        spec.batch = batch;
        const InputBatch input = InputBatch::load(spec);

        // A fixed random sample, the same for both evaluators.
        std::mt19937 random(seed);
        std::uniform_int_distribution<int> pick(0, nb201::kCellCount - 1);
        std::vector<nb201::Cell> cells;
        for (int i = 0; i < std::max(referenceCells, fastCells); ++i)
            cells.push_back(nb201::Cell::fromIndex(pick(random)));
        const std::vector<nb201::Cell> shared(cells.begin(), cells.begin() + referenceCells);

        ScoreOptions options;
        options.device = device;
        options.threads = threads;
        options.chunkSize = chunk;
        options.keepOutputs = true; // what the explorer asks for on every edit
        ScoreOptions referenceOptions = options;
        referenceOptions.evaluator = EvaluatorKind::Reference;
        const auto reference = makeNb201Evaluator(input, referenceOptions);
        const auto fast = makeNb201Evaluator(input, options);
        fast->score({ shared.front() }); // first-call set-up (allocations, CUDA context) is not a per-cell cost
        reference->score({ shared.front() });

        const std::vector<double> referenceSeconds = timeOneByOne(*reference, shared);
        const std::vector<double> fastSharedSeconds = timeOneByOne(*fast, shared);
        const std::vector<double> fastSeconds = timeOneByOne(*fast, cells);

        std::printf("| measure | value |\n|---|---|\n");
        std::printf("| machine | %s, input %s, batch %d, weights 1e-7,1, fp32 |\n",
            deviceDescription(device == Device::Cuda).c_str(), inputText.c_str(), batch);
        std::printf(
            "| reference, one cell at a time (median of %d) | %.3f s |\n", referenceCells, median(referenceSeconds));
        std::printf("| fast, same %d cells one at a time (median) | %.1f ms |\n", referenceCells,
            1e3 * median(fastSharedSeconds));
        std::printf("| speed-up on the same cells (median ratio) | %.0fx |\n",
            median(referenceSeconds) / median(fastSharedSeconds));
        std::printf("| fast, one cell at a time (median of %d) | %.1f ms |\n", static_cast<int>(cells.size()),
            1e3 * median(fastSeconds));
        std::fflush(stdout);

        if (wholeSpace) {
            ScoreOptions spaceOptions = options;
            spaceOptions.keepOutputs = false; // as `epsinas score --all` runs
            const auto spaceEvaluator = makeNb201Evaluator(input, spaceOptions);
            const std::vector<nb201::Cell> all = nb201::allCells();
            const auto start = Clock::now();
            const std::vector<CellScore> scores = spaceEvaluator->score(all);
            const double seconds = secondsSince(start);
            const auto nanCount
                = std::count_if(scores.begin(), scores.end(), [](const CellScore& s) { return s.isNan(); });
            std::printf("| whole space, fast (%d cells, %ld NaN) | %.1f s |\n", nb201::kCellCount,
                static_cast<long>(nanCount), seconds);
            std::printf("| whole space throughput | %.0f cells/s |\n", nb201::kCellCount / seconds);
        }
        std::printf("| peak RSS of this process | %.0f MiB |\n", peakRssMiB());
    } catch (const std::exception& error) {
        std::fprintf(stderr, "epsinas-bench: %s\n", error.what());
        return 2;
    }
    return 0;
}
