// SPDX-License-Identifier: MIT
#include "cli/statisticsarguments.h"

#include "io/inputfile.h"
#include "spaces/spaces.h"

#include <algorithm>
#include <stdexcept>

namespace epsinas::cli {

namespace {

// The text of each score rule in --space's list of spaces.
std::string ruleText(ScoreRule rule)
{
    switch (rule) {
    case ScoreRule::NanOut:
        return "NaN scores out";
    case ScoreRule::NonPositiveOut:
        return "scores <= 0 out as well";
    case ScoreRule::ZeroIsNan:
        return "a score of 0 is NaN";
    }
    return {};
}

// Parses an option's value, naming the option when the value is not one it accepts.
template <typename Parse>
auto parsedOption(const Arguments& args, const std::string& name, const char* fallback, Parse parse)
{
    try {
        return parse(args.value(name, fallback));
    } catch (const std::invalid_argument& error) {
        throw UsageError("--" + name + ": " + error.what());
    }
}

} // namespace

StatisticsChoice statisticsChoice(const Arguments& args, bool readsNanPolicy)
{
    StatisticsChoice choice;
    CorrelationOptions& options = choice.options;
    options.higherTargetIsBetter = !args.has("lower-is-better");
    if (readsNanPolicy)
        options.policy = parsedOption(args, "nan", "exclude", parseNanPolicy);
    choice.space = &defaultStatisticsSpace(options.higherTargetIsBetter);
    if (args.has("space")) {
        choice.space = spaceRegistry().find(args.value("space"));
        if (!choice.space)
            throw UsageError("--space: unknown score rule '" + excerpt(args.value("space")) + "' (expected "
                + spaceRegistry().keyList() + ")");
    }
    choice.reference = choice.space->statisticsReference();
    choice.lossReference = defaultStatisticsSpace(false).statisticsReference();
    options.scoreRule = choice.reference.rule;
    options.topSets = parsedOption(args, "top-sets", "reference", parseTopSets);
    options.t10Denominator = parsedOption(args, "t10-denominator", "reference", parseT10Denominator);
    return choice;
}

std::string statisticsUsage()
{
    const SpaceRegistry& spaces = spaceRegistry();
    const SearchSpace& higherDefault = defaultStatisticsSpace(true);
    const SearchSpace& lowerDefault = defaultStatisticsSpace(false);
    std::size_t keyWidth = 0;
    for (const SearchSpace* space : spaces.all())
        keyWidth = std::max(keyWidth, space->key().size());
    std::string spaceLines;
    for (const SearchSpace* space : spaces.all())
        spaceLines += "                          " + space->key() + std::string(keyWidth + 2 - space->key().size(), ' ')
            + ruleText(space->statisticsReference().rule)
            + (space->statisticsReference().ranksLosses ? "; ranks a loss (maximize=False)" : "") + "\n";
    return R"(  --lower-is-better     the target is a loss: "top" means lowest target (correlations keep their sign), as in
                        )"
        + lowerDefault.name() + R"('s compute_stats(maximize=False)
  --space SPACE         whose reference compute_stats decides which scores count, and how the tables' arch columns
                        are read (default )"
        + lowerDefault.key() + " with --lower-is-better, else " + higherDefault.key() + R"():
)" + spaceLines
        + R"(  --top-sets RULE       reference (default: P90/P95 percentiles, strict cuts, ties at the 64th score all counted) |
                        tie-weighted (a departure: top ceil(n/10), ceil(n/20) by rank, ties shared by weight)
  --t10-denominator D   with --lower-is-better, what T10/T10 divides by: reference (default: |score < P10(score)|,
                        as )"
        + lowerDefault.name() + R"( does, sic) | consistent (a departure: |score > P90(score)|)
)";
}

std::string t10DenominatorText(const CorrelationOptions& options)
{
    if (options.topSets == TopSets::TieWeighted)
        return "ceil(n/10), the tie-weighted top 10% by score";
    if (options.higherTargetIsBetter)
        return "|score > P90(score)|";
    return options.t10Denominator == T10Denominator::Reference ? "|score < P10(score)| (the reference's, sic)"
                                                               : "|score > P90(score)| (consistent)";
}

} // namespace epsinas::cli
