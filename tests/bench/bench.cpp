// SPDX-License-Identifier: MIT
// Speed of the evaluators, measured in one run on one machine: reference vs fast per cell on the same cells, the
// whole NB201 space on the fast path, and peak memory. Prints a Markdown table for docs/benchmarks.md. With --exact,
// it instead checks the device's fast path (CUDA, or the same tensor code on the CPU) against the CPU fast path.
#include "score/runtime.h"
#include "score/tokeninput.h"
#include "spaces/nb101/space.h"
#include "spaces/nb101/spec.h"
#include "spaces/nb201/space.h"
#include "spaces/nlp/recipe.h"
#include "spaces/nlp/space.h"
#include "stats/benchmarktable.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>
#include <random>
#include <stdexcept>
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

/** Appends `space,measure,value,unit` rows to the --results file, when one is given: the raw numbers of a run. */
class Results {
public:
    explicit Results(const std::string& path)
    {
        if (!path.empty()) {
            m_file.open(path, std::ios::app);
            if (!m_file)
                throw std::runtime_error("cannot append to " + path);
        }
    }
    void add(const std::string& space, const std::string& measure, double value, const char* unit)
    {
        if (!m_file.is_open())
            return;
        // A measure names its input, whose file list may hold commas: they become ';' to keep four fields.
        std::string field = measure;
        std::replace(field.begin(), field.end(), ',', ';');
        m_file << space << ',' << field << ',' << value << ',' << unit << '\n' << std::flush;
    }

private:
    std::ofstream m_file;
};

/** An input spec with its folders left out (cifar10:/long/path/batch.bin -> cifar10:batch.bin), for tables. */
std::string shortInput(const std::string& input)
{
    std::string text;
    for (std::size_t begin = 0; begin <= input.size();) {
        std::size_t end = input.find_first_of(":,", begin);
        if (end == std::string::npos)
            end = input.size();
        const std::string part = input.substr(begin, end - begin);
        text += part.substr(part.rfind('/') == std::string::npos ? 0 : part.rfind('/') + 1);
        if (end < input.size())
            text += input[end];
        begin = end + 1;
    }
    return text;
}

/** Splits one CSV line (no quoting: the benchmark tables have no commas inside fields). */
std::vector<std::string> csvFields(const std::string& line)
{
    std::vector<std::string> fields;
    std::size_t begin = 0;
    for (std::size_t comma; (comma = line.find(',', begin)) != std::string::npos; begin = comma + 1)
        fields.push_back(line.substr(begin, comma - begin));
    fields.push_back(line.substr(begin));
    return fields;
}

/** The specs of an NB101 table with `adjacency` and `ops` columns (nb101_specs_1000.csv). */
std::vector<epsinas::nb101::Spec> readSpecTable(const std::string& path)
{
    std::ifstream file(path);
    std::string line;
    if (!file || !std::getline(file, line))
        throw std::runtime_error("cannot read " + path);
    const std::vector<std::string> header = csvFields(line);
    const auto column = [&](const char* name) {
        const auto found = std::find(header.begin(), header.end(), name);
        if (found == header.end())
            throw std::runtime_error(path + " has no " + name + " column");
        return static_cast<std::size_t>(found - header.begin());
    };
    const std::size_t adjacency = column("adjacency"), ops = column("ops");
    std::vector<epsinas::nb101::Spec> specs;
    while (std::getline(file, line)) {
        const std::vector<std::string> fields = csvFields(line);
        if (fields.size() == header.size())
            specs.push_back(epsinas::nb101::Spec::fromColumns(fields[adjacency], fields[ops]));
    }
    return specs;
}

/** NB201 cells, one arch string per line ('#' starts a comment line). */
std::vector<epsinas::nb201::Cell> readCellList(const std::string& path)
{
    std::ifstream file(path);
    if (!file)
        throw std::runtime_error("cannot read " + path);
    std::vector<epsinas::nb201::Cell> cells;
    for (std::string line; std::getline(file, line);)
        if (!line.empty() && line.front() != '#')
            cells.push_back(epsinas::nb201::Cell::parse(line));
    return cells;
}

/**
 * Scores `archs` with the CPU fast path (plain loops) and with `options` (the device's fast path), writes one CSV row
 * per architecture and prints the verdict of issue 15: NaN sets equal, finite scores within relative 5e-3.
 */
void reportExactness(const epsinas::SearchSpace& space, const epsinas::ScoringInput& input,
    const epsinas::ScoreOptions& options, const std::vector<epsinas::Arch>& archs,
    const std::vector<std::string>& names, const std::string& csvPath, const std::string& label, Results& results)
{
    using namespace epsinas;
    // Issue 15's agreement bound between the GPU and the CPU fast path (both float32, TF32 off).
    constexpr double kRelativeTolerance = 5e-3;
    ScoreOptions cpuOptions = options;
    cpuOptions.device = Device::Cpu;
    cpuOptions.fastBackend = FastBackend::Auto;
    const std::vector<ArchScore> cpu = space.makeEvaluator(input, cpuOptions)->score(archs);
    const std::vector<ArchScore> device = space.makeEvaluator(input, options)->score(archs);
    std::ofstream csv(csvPath);
    if (!csv)
        throw std::runtime_error("cannot write " + csvPath);
    csv << "arch,cpu_fast,device_fast,relative_difference\n";
    csv.precision(17);
    // Scores below this are float32 rounding noise of nearly equal output vectors (~1 % for NB201's all-skip cell,
    // see tst_agreement): counted apart, not excused.
    constexpr double kTinyScore = 1e-3;
    int nanMismatches = 0, outOfTolerance = 0, tinyOutOfTolerance = 0, nanCount = 0;
    double maxRelative = 0;
    for (std::size_t i = 0; i < archs.size(); ++i) {
        const bool cpuNan = cpu[i].isNan(), deviceNan = device[i].isNan();
        double relative = 0;
        if (cpuNan != deviceNan)
            ++nanMismatches;
        else if (!cpuNan) {
            relative = std::abs(device[i].score - cpu[i].score) / std::max(std::abs(cpu[i].score), 1e-300);
            maxRelative = std::max(maxRelative, relative);
            outOfTolerance += relative > kRelativeTolerance;
            tinyOutOfTolerance += relative > kRelativeTolerance && std::abs(cpu[i].score) < kTinyScore;
        }
        nanCount += cpuNan;
        std::string quoted;
        for (char c : names[i])
            quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
        const auto text = [](const ArchScore& score) {
            char buffer[32];
            std::snprintf(buffer, sizeof buffer, "%.9g", score.score);
            return score.isNan() ? std::string("nan") : std::string(buffer);
        };
        csv << '"' << quoted << "\"," << text(cpu[i]) << ',' << text(device[i]) << ',' << relative << '\n';
    }
    const bool pass = nanMismatches == 0 && outOfTolerance == 0;
    std::printf("| exact, %s: %zu archs (%d NaN on the CPU) | %s: %d NaN mismatches, %d beyond 5e-3 (%d of them "
                "scores below 1e-3), max relative %.2e |\n",
        label.c_str(), archs.size(), nanCount, pass ? "PASS" : "FAIL", nanMismatches, outOfTolerance,
        tinyOutOfTolerance, maxRelative);
    std::fflush(stdout);
    results.add(space.key(), "exact " + label + " archs", double(archs.size()), "count");
    results.add(space.key(), "exact " + label + " nan mismatches", nanMismatches, "count");
    results.add(space.key(), "exact " + label + " beyond 5e-3", outOfTolerance, "count");
    results.add(space.key(), "exact " + label + " beyond 5e-3 below 1e-3", tinyOutOfTolerance, "count");
    results.add(space.key(), "exact " + label + " max relative", maxRelative, "ratio");
}

/**
 * Scores all of `archs` in one call, twice: the first call (CUDA context, allocator growth, tables) is the warm-up,
 * reported separately, the second is the timed one.
 */
void reportAll(epsinas::Evaluator& evaluator, const std::vector<epsinas::Arch>& archs, const std::string& space,
    const std::string& label, Results& results)
{
    auto start = Clock::now();
    evaluator.score(archs);
    const double warmUp = secondsSince(start);
    start = Clock::now();
    const std::vector<epsinas::ArchScore> scores = evaluator.score(archs);
    const double seconds = secondsSince(start);
    const auto nanCount
        = std::count_if(scores.begin(), scores.end(), [](const epsinas::ArchScore& s) { return s.isNan(); });
    std::printf("| %s, fast (%zu archs, %ld NaN): first call (warm-up) | %.3f s |\n", label.c_str(), archs.size(),
        static_cast<long>(nanCount), warmUp);
    std::printf("| %s, fast: second call | %.3f s (%.0f archs/s) |\n", label.c_str(), seconds, archs.size() / seconds);
    std::fflush(stdout);
    results.add(space, label + " warm-up", warmUp, "s");
    results.add(space, label, seconds, "s");
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

/**
 * The per-cell rows of the table: reference and fast on the same cells (none with referenceCells 0), then fast on all
 * of them.
 */
template <typename Evaluator, typename Cell>
void reportPerCell(Evaluator& reference, Evaluator& fast, const std::vector<Cell>& cells, int referenceCells,
    const std::string& space, Results& results)
{
    const std::vector<Cell> shared(cells.begin(), cells.begin() + referenceCells);
    fast.score({ cells.front() }); // first-call set-up (allocations, CUDA context) is not a per-cell cost
    if (!shared.empty()) {
        const std::vector<double> referenceSeconds = timeOneByOne(reference, shared);
        const std::vector<double> fastSharedSeconds = timeOneByOne(fast, shared);
        std::printf(
            "| reference, one cell at a time (median of %d) | %.3f s |\n", referenceCells, median(referenceSeconds));
        std::printf("| fast, same %d cells one at a time (median) | %.1f ms |\n", referenceCells,
            1e3 * median(fastSharedSeconds));
        std::printf("| speed-up on the same cells (median ratio) | %.0fx |\n",
            median(referenceSeconds) / median(fastSharedSeconds));
        results.add(space, "reference one at a time median", median(referenceSeconds), "s");
    }
    const std::vector<double> fastSeconds = timeOneByOne(fast, cells);
    std::printf("| fast, one cell at a time (median of %d) | %.1f ms |\n", static_cast<int>(cells.size()),
        1e3 * median(fastSeconds));
    std::fflush(stdout);
    results.add(space, "fast one at a time median", median(fastSeconds), "s");
}

/** How long BenchmarkTable::load takes on `path` (the explorer loads a table when one is opened): median of 5. */
void reportTableLoad(const std::string& path, Results& results)
{
    std::vector<double> seconds;
    std::size_t rows = 0;
    for (int run = 0; run < 5; ++run) {
        const auto start = std::chrono::steady_clock::now();
        rows = epsinas::BenchmarkTable::load(path).rowCount();
        seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    const std::string name = path.substr(path.rfind('/') + 1);
    std::printf("| measure | value |\n|---|---|\n");
    std::printf("| load %s, %zu rows (median of 5) | %.1f ms |\n", name.c_str(), rows, 1e3 * median(seconds));
    results.add("table", "load " + name + " median", median(seconds), "s");
}

const char* const kUsage
    = R"(usage: epsinas-bench [--space nb201|nb101|nlp] [--input SPEC] [--batch N] [--device cpu|cuda] [--tensors]
                     [--threads N] [--reference-cells N] [--fast-cells N] [--no-space] [--chunk N] [--seed N]
                     [--cells FILE] [--all] [--exact CSV] [--exact-random N] [--results CSV]
       epsinas-bench --table CSV [--results CSV]

Times, in one run: `reference` and `fast` one cell at a time on the same cells (their ratio), `fast` on more cells
(median latency), for NB201 the whole space on the fast path (cells/s; the first call, the warm-up, is reported
apart), and the peak RSS of the process. Cells are a seeded random sample (NB201 cells, NB101 specs, NAS-Bench-NLP
generated recipes) or, with --cells, read from FILE: an NB101 table with adjacency and ops columns
(nb101_specs_1000.csv), a NAS-Bench-NLP recipe file (recipes.jsonl) or NB201 arch strings, one a line. --all times
all of FILE's architectures in one call (twice: warm-up, then timed). Inputs: NB201 and NB101 take
grey|noise[:SEED]|cifar10:PATH|cifar100:PATH, NLP takes synthetic|ptb:FILE[,FILE...].
--tensors runs the fast path's batched tensor form (what CUDA runs) on the CPU too.
--exact CSV checks instead of timing: FILE's architectures (NB201: plus --exact-random N random cells) scored by the
CPU fast path and by the chosen device's fast path, one CSV row each; NaN sets must be equal and finite scores
within relative 5e-3. --results CSV appends every number as space,measure,value,unit.
--table CSV times only the loading of a benchmark table (what the explorer's scatter reads), median of 5 loads.
)";

} // namespace

int main(int argc, char** argv)
{
    using namespace epsinas;
    std::string space = "nb201";
    std::string inputText, cellsPath, exactPath, resultsPath, tablePath;
    int batch = 256, referenceCells = 8, fastCells = 100, threads = 0, chunk = 0, exactRandom = 0;
    unsigned seed = 21;
    bool wholeSpace = true, timeAll = false, tensors = false;
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
            else if (arg == "--tensors")
                tensors = true;
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
            else if (arg == "--cells")
                cellsPath = next();
            else if (arg == "--all")
                timeAll = true;
            else if (arg == "--exact")
                exactPath = next();
            else if (arg == "--exact-random")
                exactRandom = std::stoi(next());
            else if (arg == "--results")
                resultsPath = next();
            else if (arg == "--table")
                tablePath = next();
            else if (arg == "--help") {
                std::fputs(kUsage, stdout);
                return 0;
            } else
                throw std::invalid_argument("unknown option " + arg);
        }
        if (space != "nb201" && space != "nb101" && space != "nlp")
            throw std::invalid_argument("unknown --space " + space + " (expected nb201, nb101 or nlp)");
        if (referenceCells < 0 || fastCells < 1 || exactRandom < 0)
            throw std::invalid_argument("--reference-cells and --exact-random take N >= 0, --fast-cells N >= 1");
        if (timeAll && cellsPath.empty())
            throw std::invalid_argument("--all times the architectures of --cells FILE");
        if (inputText.empty())
            inputText = space == "nlp" ? "synthetic" : "grey";
        Results results(resultsPath);
        if (!tablePath.empty()) {
            reportTableLoad(tablePath, results);
            return 0;
        }
        std::mt19937 random(seed);
        ScoreOptions options;
        options.device = device;
        options.threads = threads;
        options.chunkSize = chunk;
        options.keepOutputs = true; // what the explorer asks for on every edit
        if (tensors)
            options.fastBackend = FastBackend::Tensors;
        const int cellCount = std::max(referenceCells, fastCells);
        setCpuThreads(threads);
        std::printf("| measure | value |\n|---|---|\n");
        std::printf("| machine | %s, space %s, input %s, batch %d, fp32%s |\n",
            deviceDescription(device == Device::Cuda).c_str(), space.c_str(), shortInput(inputText).c_str(), batch,
            tensors ? ", tensor form" : "");

        // Every space's architectures as Arch values, with the names the --exact CSV gives them.
        std::vector<Arch> listed, sampled;
        std::vector<std::string> listedNames;
        std::optional<InputBatch> images;
        std::optional<TokenBatch> tokens;
        const SearchSpace* searchSpace = nullptr;
        if (space == "nlp") {
            searchSpace = &nlp::space();
            TokenSpec spec = TokenSpec::parse(inputText);
            spec.batch = batch;
            tokens = TokenBatch::load(spec);
            options.weights = nlp::kDefaultWeights;
            nlp::RecipeGenerator generator(seed);
            std::vector<nlp::Recipe> recipes;
            for (int i = 0; i < cellCount; ++i)
                recipes.push_back(generator.next());
            sampled = nlp::toArchs(recipes);
            if (!cellsPath.empty())
                for (const nlp::NamedRecipe& named : nlp::readRecipeFile(cellsPath)) {
                    listed.push_back(nlp::toArch(named.recipe));
                    listedNames.push_back(named.id);
                }
        } else {
            InputSpec spec = InputSpec::parse(inputText);
            spec.batch = batch;
            images = InputBatch::load(spec);
            if (space == "nb101") {
                searchSpace = &nb101::space();
                options.weights = nb101::kDefaultWeights;
                sampled = nb101::toArchs(nb101::randomSpecs(static_cast<std::size_t>(cellCount), seed));
                if (!cellsPath.empty())
                    listed = nb101::toArchs(readSpecTable(cellsPath));
            } else {
                searchSpace = &nb201::space();
                // A fixed random sample, the same for both evaluators.
                std::uniform_int_distribution<int> pick(0, nb201::kCellCount - 1);
                std::vector<nb201::Cell> cells;
                for (int i = 0; i < cellCount; ++i)
                    cells.push_back(nb201::Cell::fromIndex(pick(random)));
                sampled = nb201::toArchs(cells);
                if (!cellsPath.empty())
                    listed = nb201::toArchs(readCellList(cellsPath));
            }
            for (const Arch& arch : listed)
                listedNames.push_back(searchSpace->format(arch));
        }
        const ScoringInput input = images ? ScoringInput::of(*images) : ScoringInput::of(*tokens);

        if (!exactPath.empty()) {
            std::string label = cellsPath.empty() ? std::string() : cellsPath.substr(cellsPath.rfind('/') + 1);
            if (space == "nb201" && exactRandom > 0) {
                std::uniform_int_distribution<int> pick(0, nb201::kCellCount - 1);
                for (int i = 0; i < exactRandom; ++i) {
                    listed.push_back(nb201::toArch(nb201::Cell::fromIndex(pick(random))));
                    listedNames.push_back(searchSpace->format(listed.back()));
                }
                label += (label.empty() ? "" : " + ") + std::to_string(exactRandom) + " random";
            }
            if (listed.empty())
                throw std::invalid_argument("--exact needs architectures: --cells FILE (NB201: or --exact-random N)");
            reportExactness(*searchSpace, input, options, listed, listedNames, exactPath,
                label + " @ " + shortInput(inputText), results);
            return 0;
        }

        ScoreOptions referenceOptions = options;
        referenceOptions.evaluator = EvaluatorKind::Reference;
        const auto reference = searchSpace->makeEvaluator(input, referenceOptions);
        const auto fast = searchSpace->makeEvaluator(input, options);
        reportPerCell(*reference, *fast, sampled, referenceCells, space, results);
        if (timeAll)
            reportAll(*fast, listed, space, "all of " + cellsPath.substr(cellsPath.rfind('/') + 1), results);
        if (space == "nb201" && wholeSpace) {
            ScoreOptions spaceOptions = options;
            spaceOptions.keepOutputs = false; // as `epsinas score --all` runs
            const auto spaceEvaluator = searchSpace->makeEvaluator(input, spaceOptions);
            reportAll(*spaceEvaluator, nb201::toArchs(nb201::allCells()), space, "whole space", results);
        }
        std::printf("| peak RSS of this process | %.0f MiB |\n", peakRssMiB());
        results.add(space, "peak RSS", peakRssMiB(), "MiB");
    } catch (const std::exception& error) {
        std::fprintf(stderr, "epsinas-bench: %s\n", error.what());
        return 2;
    }
    return 0;
}
