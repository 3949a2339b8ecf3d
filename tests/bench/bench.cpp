// SPDX-License-Identifier: MIT
// Speed of the evaluators, measured in one run on one machine: reference vs fast per cell on the same cells, the
// whole NB201 space on the fast path, and peak memory. Prints a Markdown table for docs/benchmarks.md.
#include "score/runtime.h"
#include "score/tokeninput.h"
#include "spaces/nb101/space.h"
#include "spaces/nb101/spec.h"
#include "spaces/nb201/space.h"
#include "spaces/nlp/recipe.h"
#include "spaces/nlp/space.h"

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
template <typename Evaluator, typename Cell>
std::vector<double> timeOneByOne(Evaluator& evaluator, const std::vector<Cell>& cells)
{
    std::vector<double> seconds;
    for (const Cell& cell : cells) {
        const auto start = Clock::now();
        evaluator.score({ cell });
        seconds.push_back(secondsSince(start));
    }
    return seconds;
}

/** The per-cell rows of the table: reference and fast on the same cells, then fast on all of them. */
template <typename Evaluator, typename Cell>
void reportPerCell(Evaluator& reference, Evaluator& fast, const std::vector<Cell>& cells, int referenceCells)
{
    const std::vector<Cell> shared(cells.begin(), cells.begin() + referenceCells);
    fast.score({ shared.front() }); // first-call set-up (allocations, CUDA context) is not a per-cell cost
    const std::vector<double> referenceSeconds = timeOneByOne(reference, shared);
    const std::vector<double> fastSharedSeconds = timeOneByOne(fast, shared);
    const std::vector<double> fastSeconds = timeOneByOne(fast, cells);
    std::printf(
        "| reference, one cell at a time (median of %d) | %.3f s |\n", referenceCells, median(referenceSeconds));
    std::printf(
        "| fast, same %d cells one at a time (median) | %.1f ms |\n", referenceCells, 1e3 * median(fastSharedSeconds));
    std::printf("| speed-up on the same cells (median ratio) | %.0fx |\n",
        median(referenceSeconds) / median(fastSharedSeconds));
    std::printf("| fast, one cell at a time (median of %d) | %.1f ms |\n", static_cast<int>(cells.size()),
        1e3 * median(fastSeconds));
    std::fflush(stdout);
}

const char* const kUsage
    = R"(usage: epsinas-bench [--space nb201|nb101|nlp] [--input SPEC] [--batch N] [--device cpu|cuda]
                     [--threads N] [--reference-cells N] [--fast-cells N] [--no-space] [--chunk N] [--seed N]

Times, in one run: `reference` and `fast` one cell at a time on the same cells (their ratio), `fast` on more cells
(median latency), for NB201 the whole space on the fast path (cells/s), and the peak RSS of the process.
Cells are a seeded random sample (NB201 cells, NB101 specs, NAS-Bench-NLP generated recipes). Inputs: NB201 and
NB101 take grey|noise[:SEED]|cifar10:PATH|cifar100:PATH, NLP takes synthetic|ptb:FILE[,FILE...].
)";

} // namespace

int main(int argc, char** argv)
{
    using namespace epsinas;
    std::string space = "nb201";
    std::string inputText;
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
            if (arg == "--space")
                space = next();
            else if (arg == "--input")
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
        if (space != "nb201" && space != "nb101" && space != "nlp")
            throw std::invalid_argument("unknown --space " + space + " (expected nb201, nb101 or nlp)");
        if (inputText.empty())
            inputText = space == "nlp" ? "synthetic" : "grey";
        std::mt19937 random(seed);
        ScoreOptions options;
        options.device = device;
        options.threads = threads;
        options.chunkSize = chunk;
        options.keepOutputs = true; // what the explorer asks for on every edit
        const int cellCount = std::max(referenceCells, fastCells);
        setCpuThreads(threads);
        std::printf("| measure | value |\n|---|---|\n");
        std::printf("| machine | %s, space %s, input %s, batch %d, fp32 |\n",
            deviceDescription(device == Device::Cuda).c_str(), space.c_str(), inputText.c_str(), batch);

        if (space == "nlp") {
            TokenSpec spec = TokenSpec::parse(inputText);
            spec.batch = batch;
            const TokenBatch input = TokenBatch::load(spec);
            options.weights = nlp::kDefaultWeights;
            nlp::RecipeGenerator generator(seed);
            std::vector<nlp::Recipe> recipes;
            for (int i = 0; i < cellCount; ++i)
                recipes.push_back(generator.next());
            ScoreOptions referenceOptions = options;
            referenceOptions.evaluator = EvaluatorKind::Reference;
            const auto reference = nlp::space().makeEvaluator(ScoringInput::of(input), referenceOptions);
            const auto fast = nlp::space().makeEvaluator(ScoringInput::of(input), options);
            reportPerCell(*reference, *fast, nlp::toArchs(recipes), referenceCells);
        } else if (space == "nb101") {
            InputSpec spec = InputSpec::parse(inputText);
            spec.batch = batch;
            const InputBatch input = InputBatch::load(spec);
            options.weights = nb101::kDefaultWeights;
            const std::vector<nb101::Spec> specs = nb101::randomSpecs(static_cast<std::size_t>(cellCount), seed);
            ScoreOptions referenceOptions = options;
            referenceOptions.evaluator = EvaluatorKind::Reference;
            const auto reference = nb101::space().makeEvaluator(ScoringInput::of(input), referenceOptions);
            const auto fast = nb101::space().makeEvaluator(ScoringInput::of(input), options);
            reportPerCell(*reference, *fast, nb101::toArchs(specs), referenceCells);
        }

        if (space == "nb201") {
            InputSpec spec = InputSpec::parse(inputText);
            spec.batch = batch;
            const InputBatch input = InputBatch::load(spec);
            // A fixed random sample, the same for both evaluators.
            std::uniform_int_distribution<int> pick(0, nb201::kCellCount - 1);
            std::vector<nb201::Cell> cells;
            for (int i = 0; i < cellCount; ++i)
                cells.push_back(nb201::Cell::fromIndex(pick(random)));
            ScoreOptions referenceOptions = options;
            referenceOptions.evaluator = EvaluatorKind::Reference;
            const auto reference = nb201::space().makeEvaluator(ScoringInput::of(input), referenceOptions);
            const auto fast = nb201::space().makeEvaluator(ScoringInput::of(input), options);
            reportPerCell(*reference, *fast, nb201::toArchs(cells), referenceCells);

            if (wholeSpace) {
                ScoreOptions spaceOptions = options;
                spaceOptions.keepOutputs = false; // as `epsinas score --all` runs
                const auto spaceEvaluator = nb201::space().makeEvaluator(ScoringInput::of(input), spaceOptions);
                const auto start = Clock::now();
                const std::vector<ArchScore> scores = spaceEvaluator->score(nb201::toArchs(nb201::allCells()));
                const double seconds = secondsSince(start);
                const auto nanCount
                    = std::count_if(scores.begin(), scores.end(), [](const ArchScore& s) { return s.isNan(); });
                std::printf("| whole space, fast (%d cells, %ld NaN) | %.1f s |\n", nb201::kCellCount,
                    static_cast<long>(nanCount), seconds);
                std::printf("| whole space throughput | %.0f cells/s |\n", nb201::kCellCount / seconds);
            }
        }
        std::printf("| peak RSS of this process | %.0f MiB |\n", peakRssMiB());
    } catch (const std::exception& error) {
        std::fprintf(stderr, "epsinas-bench: %s\n", error.what());
        return 2;
    }
    return 0;
}
