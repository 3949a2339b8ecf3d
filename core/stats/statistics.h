// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

namespace epsinas {

/**
 * What a correlation does with architectures whose score is NaN (spec §1.6, §9.4).
 * Exclude: drop them (the paper's statistics). Worst: rank them below every other score, tied among themselves (the
 * reference search code sets NaN to 0). Best: rank them above every other score.
 */
enum class NanPolicy { Exclude, Worst, Best };

/** Parses "exclude", "worst" or "best"; throws std::invalid_argument naming the accepted values otherwise. */
NanPolicy parseNanPolicy(const std::string& text);
std::string toString(NanPolicy policy);

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
 * The statistics of spec §4.1 for one score column against one target column.
 *
 * Sizes of the "top" sets are counts, rounded up: the top 10% of n pairs is ceil(n/10) pairs, the top 5% is
 * ceil(n/20) (9,226 pairs -> 923 and 462; with 923 the published NB201 CIFAR-10 top-10% rho/tau and T10/T10 are
 * reproduced).
 * - Top by target (best target first: highest, or lowest when higherTargetIsBetter is false): targets tied across
 *   the cut are taken in input order. Targets are measured accuracies and rarely tie.
 * - Top by score (highest score first, always): scores tie often (equivalent cells get identical scores, and the
 *   Worst/Best policies tie all NaN scores), so a tie group across the cut is not split by input order; each of its
 *   members counts as the fraction of the group that fits under the cut, i.e. T10/T10 and T64/T5 are the expected
 *   values over a random order within the tie. T64/T5 can therefore be fractional.
 */
struct CorrelationReport {
    std::size_t n = 0; // pairs used
    std::size_t nanCount = 0; // pairs with a NaN score (and a non-NaN target), whatever the policy
    NanPolicy policy = NanPolicy::Exclude;
    double spearman = std::numeric_limits<double>::quiet_NaN();
    double kendall = std::numeric_limits<double>::quiet_NaN();
    double spearmanTop10 = std::numeric_limits<double>::quiet_NaN(); // over the top 10% by target
    double kendallTop10 = std::numeric_limits<double>::quiet_NaN(); // over the top 10% by target
    double t10t10 = std::numeric_limits<double>::quiet_NaN(); // % of the top 10% by score also in the top 10% by target
    double t64t5
        = std::numeric_limits<double>::quiet_NaN(); // how many of the 64 best scores are in the top 5% by target
};

/**
 * Correlates scores[i] with targets[i]. Pairs with a NaN target are dropped and not counted anywhere; NaN scores are
 * handled by the policy. The correlations keep their sign (negative for a loss target, spec §1.7).
 * Undefined values stay NaN: correlations with fewer than 2 pairs or a constant side, T10/T10 with no pairs, T64/T5
 * with fewer than 64 pairs. Throws std::invalid_argument when the sizes differ.
 */
CorrelationReport correlate(const std::vector<double>& scores, const std::vector<double>& targets, NanPolicy policy,
    bool higherTargetIsBetter = true);

} // namespace epsinas
