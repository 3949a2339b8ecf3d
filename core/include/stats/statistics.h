// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

namespace epsinas {

/**
 * What a correlation does with architectures whose score is NaN (algorithm §1.6).
 * Exclude: drop them (the paper's statistics). Worst: rank them below every other score, tied among themselves (the
 * reference search code sets NaN to 0). Best: rank them above every other score.
 */
enum class NanPolicy { Exclude, Worst, Best };

/** Parses "exclude", "worst" or "best"; throws std::invalid_argument naming the accepted values otherwise. */
NanPolicy parseNanPolicy(const std::string& text);
std::string toString(NanPolicy policy);

/**
 * Which scores count, as the `compute_stats` of a search space's reference folder decides before anything else
 * (algorithm §1.6). NanOut: a pair counts unless score or target is NaN. NonPositiveOut: a score <= 0 is dropped as
 * well, whatever the NaN policy. ZeroIsNan: a score of exactly 0 is NaN (and then follows the NaN policy).
 */
enum class ScoreRule { NanOut, NonPositiveOut, ZeroIsNan };

/**
 * The reference statistics a correlation follows: one search space's `compute_stats`, as the space declares it
 * (SearchSpace::statisticsReference()). The names only label reports; the rule and the target order are what count.
 */
struct StatisticsReference {
    /** How reports name the score rule: the space's key. */
    std::string name;
    /** The reference folder whose epsinas_utils.py holds this compute_stats: the benchmark's name. */
    std::string folder;
    ScoreRule rule = ScoreRule::NanOut;
    /** Whether this compute_stats ranks a lower-is-better target (it takes maximize=False). */
    bool ranksLosses = false;
};

/**
 * How the "top" sets of ρ/τ top-10%, T10/T10 and T64/T5 are formed.
 * Reference: by NumPy percentiles and the comparisons of `compute_stats` (docs/statistics.md), the paper's numbers.
 * TieWeighted (a departure): the best ceil(n/10) and ceil(n/20) pairs by rank, a tie across the cut counted by the
 * share of it that fits, so that the result never depends on how ties fall.
 */
enum class TopSets { Reference, TieWeighted };

/** Parses "reference" or "tie-weighted"; throws std::invalid_argument naming the accepted values otherwise. */
TopSets parseTopSets(const std::string& text);
std::string toString(TopSets sets);

/**
 * The denominator of T10/T10 when a lower target is better. Reference: |{score < P10(score)}|, as NAS-Bench-NLP's
 * `compute_stats(maximize=False)` divides (a quirk: its numerator asks for score > P90). Consistent (a departure):
 * |{score > P90(score)}|, the set of the numerator. With a higher-is-better target both are the latter.
 */
enum class T10Denominator { Reference, Consistent };

/** Parses "reference" or "consistent"; throws std::invalid_argument naming the accepted values otherwise. */
T10Denominator parseT10Denominator(const std::string& text);
std::string toString(T10Denominator denominator);

/**
 * Everything that decides how correlate() reads its pairs; the defaults are the reference's statistics for a space
 * whose rule drops NaN scores only.
 */
struct CorrelationOptions {
    NanPolicy policy = NanPolicy::Exclude;
    /** False for a loss: "top" then means the lowest targets, the rules of the compute_stats with maximize=False. */
    bool higherTargetIsBetter = true;
    ScoreRule scoreRule = ScoreRule::NanOut;
    TopSets topSets = TopSets::Reference;
    T10Denominator t10Denominator = T10Denominator::Reference;
};

/**
 * What in `options` (whose scoreRule is `reference`'s) departs from `reference`'s compute_stats, one phrase each: a
 * NaN policy other than exclude, tie-weighted top sets, the consistent T10/T10 denominator, or a lower-is-better
 * target under a reference that has no maximize=False (the rules then are those of `lossReference`, a compute_stats
 * that ranks losses). Empty for the reference's own statistics.
 */
std::vector<std::string> departures(
    const CorrelationOptions& options, const StatisticsReference& reference, const StatisticsReference& lossReference);

/**
 * Which statistics `options` compute, in words: "reference: NAS-Bench-201/epsinas_utils.py compute_stats" (the
 * reference's folder, with "(maximize=False)" for a lower-is-better target), or "departure: " and the departures.
 */
std::string describeVariant(
    const CorrelationOptions& options, const StatisticsReference& reference, const StatisticsReference& lossReference);

/**
 * NumPy's default percentile (`np.percentile(values, q)`, method "linear"), q in [0, 100]: with the values sorted
 * and h = (n - 1) * (q / 100), it interpolates between x[floor(h)] and the next value by the fraction of h, written
 * as NumPy >= 1.22 does (from the upper value when the fraction is at least 0.5), so that results agree to the bit.
 * NaN for no values or when any value is NaN; ±inf follow IEEE arithmetic as in NumPy (inf - inf is NaN). Throws
 * std::invalid_argument for q outside [0, 100].
 */
double percentile(std::vector<double> values, double q);

/**
 * Spearman's rank correlation: Pearson's r of the ranks, tied values getting the average of their ranks.
 * NaN when there are fewer than 2 pairs, when either vector is constant, or when any value is NaN (±inf are ordinary
 * extreme values). Throws std::invalid_argument when the sizes differ.
 */
double spearman(const std::vector<double>& x, const std::vector<double>& y);

/**
 * Kendall's tau-b, (concordant - discordant) / sqrt((n0 - tiesX) * (n0 - tiesY)) with n0 = n(n-1)/2, computed in
 * O(n log n) by Knight's algorithm. Same NaN and size rules as spearman().
 */
double kendallTauB(const std::vector<double>& x, const std::vector<double>& y);

/**
 * The statistics of algorithm §8 for one score column against one target column; docs/statistics.md defines each.
 *
 * With TopSets::Reference and a higher-is-better target (P = NumPy percentile over the pairs used):
 * - top-10% set M = {target > P90(target)}; spearmanTop10 and kendallTop10 are taken over M;
 * - t10t10 = 100 · |M ∩ {score > P90(score)}| / |{score > P90(score)}|;
 * - t64t5 = |{target > P95(target)} ∩ {score >= the 64th highest score}|, ties at the 64th score all counted, and
 *   only when more than 64 pairs are used.
 * A lower-is-better target uses target < P10 (P5 for T64/T5); the score side stays score > P90 / the 64 highest,
 * and the T10/T10 denominator follows CorrelationOptions::t10Denominator.
 * Under Worst and Best the NaN-scored pairs share one score below or above every other, so the strict "> P90" keeps
 * the whole tie out of the top-10% by score when P90 falls on it, and ">= the 64th" takes the whole tie in.
 */
struct CorrelationReport {
    CorrelationOptions options;
    std::size_t n = 0; // pairs used
    std::size_t nanCount = 0; // pairs with a NaN score (and a non-NaN target), whatever the policy
    std::size_t zeroAsNanCount = 0; // of those, scores of exactly 0 that ScoreRule::ZeroIsNan turned into NaN
    std::size_t nonPositiveCount
        = 0; // pairs dropped by ScoreRule::NonPositiveOut for a score <= 0 (not in n or nanCount)
    std::size_t top10TargetCount = 0; // |M|, the pairs behind spearmanTop10 and kendallTop10
    std::size_t t10DenominatorCount = 0; // the count T10/T10 divides by
    double spearman = std::numeric_limits<double>::quiet_NaN();
    double kendall = std::numeric_limits<double>::quiet_NaN();
    double spearmanTop10 = std::numeric_limits<double>::quiet_NaN(); // over the top 10% by target
    double kendallTop10 = std::numeric_limits<double>::quiet_NaN(); // over the top 10% by target
    double t10t10 = std::numeric_limits<double>::quiet_NaN(); // % of the top 10% by score also in the top 10% by target
    double t64t5
        = std::numeric_limits<double>::quiet_NaN(); // how many of the 64 best scores are in the top 5% by target
};

/**
 * Correlates scores[i] with targets[i]. Pairs with a NaN target are dropped and not counted anywhere; the score rule
 * applies next, then the NaN policy. The correlations keep their sign (negative for a loss target, algorithm §1.1).
 * Undefined values stay NaN: correlations with fewer than 2 pairs or a constant side, T10/T10 with an empty
 * denominator, T64/T5 with too few pairs. Throws std::invalid_argument when the sizes differ.
 */
CorrelationReport correlate(
    const std::vector<double>& scores, const std::vector<double>& targets, const CorrelationOptions& options = {});

/**
 * Whether correlate() with `options` uses the pair (score, target): its target is not NaN, the score rule keeps it,
 * and its score is not NaN (after the rule) unless the NaN policy keeps NaN scores. The architectures that several
 * score columns all count are those for which this holds for every column.
 */
bool pairIsUsed(double score, double target, const CorrelationOptions& options);

/** correlate() with the given policy and target order, and the other options at their reference defaults. */
CorrelationReport correlate(const std::vector<double>& scores, const std::vector<double>& targets, NanPolicy policy,
    bool higherTargetIsBetter = true);

} // namespace epsinas
