// SPDX-License-Identifier: MIT
#include "stats/statistics.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <stdexcept>
#include <utility>

namespace epsinas {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// The fixed number of best-scored architectures that T64/T5 inspects.
constexpr std::size_t kT64Count = 64;

void requireSameSize(const std::vector<double>& x, const std::vector<double>& y, const char* function)
{
    if (x.size() != y.size())
        throw std::invalid_argument(std::string(function) + ": the vectors differ in size (" + std::to_string(x.size())
            + " and " + std::to_string(y.size()) + ")");
}

bool anyNaN(const std::vector<double>& v)
{
    return std::any_of(v.begin(), v.end(), [](double value) { return std::isnan(value); });
}

// 1-based ranks, tied values sharing the average of the ranks they span. No NaN allowed.
std::vector<double> averageRanks(const std::vector<double>& v)
{
    std::vector<std::size_t> order(v.size());
    std::iota(order.begin(), order.end(), std::size_t { 0 });
    std::sort(order.begin(), order.end(), [&v](std::size_t a, std::size_t b) { return v[a] < v[b]; });
    std::vector<double> ranks(v.size());
    for (std::size_t begin = 0; begin < order.size();) {
        std::size_t end = begin + 1;
        while (end < order.size() && v[order[end]] == v[order[begin]])
            ++end;
        const double rank = 0.5 * static_cast<double>(begin + 1 + end);
        for (std::size_t i = begin; i < end; ++i)
            ranks[order[i]] = rank;
        begin = end;
    }
    return ranks;
}

double pearson(const std::vector<double>& x, const std::vector<double>& y)
{
    const double n = static_cast<double>(x.size());
    const double meanX = std::accumulate(x.begin(), x.end(), 0.0) / n;
    const double meanY = std::accumulate(y.begin(), y.end(), 0.0) / n;
    double sxy = 0, sxx = 0, syy = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double dx = x[i] - meanX;
        const double dy = y[i] - meanY;
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if (sxx == 0 || syy == 0)
        return kNaN;
    return sxy / std::sqrt(sxx * syy);
}

// Number of pairs within runs of equal values of a sorted sequence, sum of t(t-1)/2 over the runs.
template <typename Equal> std::int64_t tiedPairs(std::size_t size, Equal equal)
{
    std::int64_t pairs = 0;
    std::int64_t run = 1;
    for (std::size_t i = 1; i <= size; ++i) {
        if (i < size && equal(i - 1, i)) {
            ++run;
        } else {
            pairs += run * (run - 1) / 2;
            run = 1;
        }
    }
    return pairs;
}

// Sorts v by a bottom-up merge sort and returns the number of pairs i < j with v[i] > v[j] it had.
std::int64_t sortCountingInversions(std::vector<double>& v)
{
    std::vector<double> buffer(v.size());
    std::int64_t inversions = 0;
    for (std::size_t width = 1; width < v.size(); width *= 2) {
        for (std::size_t begin = 0; begin < v.size(); begin += 2 * width) {
            const std::size_t middle = std::min(begin + width, v.size());
            const std::size_t end = std::min(begin + 2 * width, v.size());
            std::size_t left = begin, right = middle, out = begin;
            while (left < middle && right < end) {
                // Equal values are no inversion: taking the left one first keeps them unpaired.
                if (v[left] <= v[right]) {
                    buffer[out++] = v[left++];
                } else {
                    inversions += static_cast<std::int64_t>(middle - left);
                    buffer[out++] = v[right++];
                }
            }
            std::copy(v.begin() + left, v.begin() + middle, buffer.begin() + out);
            std::copy(v.begin() + right, v.begin() + end, buffer.begin() + out + (middle - left));
        }
        v.swap(buffer);
    }
    return inversions;
}

/*
 * Weight of each element in "the k highest values": 1 above the cut, 0 below, and for a tie group that straddles
 * the cut the share of the group that fits under it, so that the result does not depend on the input order.
 */
std::vector<double> topWeights(const std::vector<double>& v, std::size_t k)
{
    std::vector<std::size_t> order(v.size());
    std::iota(order.begin(), order.end(), std::size_t { 0 });
    std::sort(order.begin(), order.end(), [&v](std::size_t a, std::size_t b) { return v[a] > v[b]; });
    std::vector<double> weights(v.size(), 0.0);
    for (std::size_t begin = 0; begin < order.size() && begin < k;) {
        std::size_t end = begin + 1;
        while (end < order.size() && v[order[end]] == v[order[begin]])
            ++end;
        const double weight = static_cast<double>(std::min(end, k) - begin) / static_cast<double>(end - begin);
        for (std::size_t i = begin; i < end; ++i)
            weights[order[i]] = weight;
        begin = end;
    }
    return weights;
}

/*
 * Ranks stand in for the scores under Worst/Best: the statistics only compare scores, and a score may itself be
 * ±inf, so no number is guaranteed to lie beyond every score, while rank 0 and rank m + 1 always do.
 */
void rankNaNScores(std::vector<double>& scores, NanPolicy policy)
{
    std::vector<double> present;
    for (double s : scores) {
        if (!std::isnan(s))
            present.push_back(s);
    }
    const std::vector<double> ranks = averageRanks(present);
    const double nanRank = policy == NanPolicy::Worst ? 0.0 : static_cast<double>(present.size() + 1);
    std::size_t next = 0;
    for (double& s : scores)
        s = std::isnan(s) ? nanRank : ranks[next++];
}

// NumPy's "linear" percentile of an ascending, NaN-free, non-empty sequence (see percentile()).
double percentileOfSorted(const std::vector<double>& sorted, double q)
{
    const std::size_t last = sorted.size() - 1;
    const double h = static_cast<double>(last) * (q / 100.0);
    const double below = std::floor(h);
    const double fraction = h - below;
    // NumPy clamps both neighbours to the last value once h reaches it, keeping the fraction it computed.
    const std::size_t lower = h >= static_cast<double>(last) ? last : static_cast<std::size_t>(below);
    const std::size_t upper = h >= static_cast<double>(last) ? last : lower + 1;
    const double a = sorted[lower];
    const double b = sorted[upper];
    const double difference = b - a;
    return fraction >= 0.5 ? b - difference * (1 - fraction) : a + difference * fraction;
}

std::vector<double> sortedCopy(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values;
}

// The elements of v at the positions where keep is true.
std::vector<double> selected(const std::vector<double>& v, const std::vector<bool>& keep)
{
    std::vector<double> result;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (keep[i])
            result.push_back(v[i]);
    }
    return result;
}

// The top sets of docs/statistics.md: percentiles and strict comparisons as the reference's compute_stats.
void referenceTopStatistics(const std::vector<double>& s, const std::vector<double>& t, CorrelationReport& report)
{
    const std::size_t n = s.size();
    const bool higherIsBetter = report.options.higherTargetIsBetter;
    const std::vector<double> sortedScores = sortedCopy(s);
    const std::vector<double> sortedTargets = sortedCopy(t);
    const double scoreCut = percentileOfSorted(sortedScores, 90);
    const double targetCut = percentileOfSorted(sortedTargets, higherIsBetter ? 90 : 10);
    const double targetCut5 = percentileOfSorted(sortedTargets, higherIsBetter ? 95 : 5);
    const auto inTop10Target = [&](std::size_t i) { return higherIsBetter ? t[i] > targetCut : t[i] < targetCut; };
    const auto inTop5Target = [&](std::size_t i) { return higherIsBetter ? t[i] > targetCut5 : t[i] < targetCut5; };

    std::vector<bool> top10Target(n);
    std::size_t overlap = 0;
    std::size_t topScores = 0;
    for (std::size_t i = 0; i < n; ++i) {
        top10Target[i] = inTop10Target(i);
        report.top10TargetCount += top10Target[i] ? 1 : 0;
        topScores += s[i] > scoreCut ? 1 : 0;
        overlap += top10Target[i] && s[i] > scoreCut ? 1 : 0;
    }
    report.spearmanTop10 = spearman(selected(s, top10Target), selected(t, top10Target));
    report.kendallTop10 = kendallTauB(selected(s, top10Target), selected(t, top10Target));

    report.t10DenominatorCount = topScores;
    if (!higherIsBetter && report.options.t10Denominator == T10Denominator::Reference) {
        const double lowScoreCut = percentileOfSorted(sortedScores, 10);
        report.t10DenominatorCount = static_cast<std::size_t>(
            std::count_if(s.begin(), s.end(), [lowScoreCut](double score) { return score < lowScoreCut; }));
    }
    // The reference's order of operations, np.sum(...) / np.sum(...) * 100; 0/0 is NaN there too.
    report.t10t10 = report.t10DenominatorCount == 0
        ? kNaN
        : static_cast<double>(overlap) / static_cast<double>(report.t10DenominatorCount) * 100;

    if (n > kT64Count) {
        const double sixtyFourth = sortedScores[n - kT64Count];
        std::size_t hits = 0;
        for (std::size_t i = 0; i < n; ++i)
            hits += inTop5Target(i) && s[i] >= sixtyFourth ? 1 : 0;
        report.t64t5 = static_cast<double>(hits);
    }
}

// The departure TopSets::TieWeighted: counts by rank, ties across a cut shared out (see TopSets).
void tieWeightedTopStatistics(const std::vector<double>& s, const std::vector<double>& t, CorrelationReport& report)
{
    const std::size_t n = s.size();
    const bool higherIsBetter = report.options.higherTargetIsBetter;
    const std::size_t top10 = (n + 9) / 10;
    const std::size_t top5 = (n + 19) / 20;

    std::vector<std::size_t> byTarget(n);
    std::iota(byTarget.begin(), byTarget.end(), std::size_t { 0 });
    std::stable_sort(byTarget.begin(), byTarget.end(),
        [&t, higherIsBetter](std::size_t a, std::size_t b) { return higherIsBetter ? t[a] > t[b] : t[a] < t[b]; });
    std::vector<bool> inTop10Target(n, false);
    std::vector<bool> inTop5Target(n, false);
    for (std::size_t rank = 0; rank < top10; ++rank) {
        inTop10Target[byTarget[rank]] = true;
        inTop5Target[byTarget[rank]] = rank < top5;
    }
    report.top10TargetCount = top10;
    report.spearmanTop10 = spearman(selected(s, inTop10Target), selected(t, inTop10Target));
    report.kendallTop10 = kendallTauB(selected(s, inTop10Target), selected(t, inTop10Target));

    const std::vector<double> top10Score = topWeights(s, top10);
    double overlap10 = 0;
    for (std::size_t i = 0; i < n; ++i)
        overlap10 += inTop10Target[i] ? top10Score[i] : 0.0;
    report.t10DenominatorCount = top10;
    report.t10t10 = 100.0 * overlap10 / static_cast<double>(top10);

    if (n >= kT64Count) {
        const std::vector<double> top64Score = topWeights(s, kT64Count);
        double overlap5 = 0;
        for (std::size_t i = 0; i < n; ++i)
            overlap5 += inTop5Target[i] ? top64Score[i] : 0.0;
        report.t64t5 = overlap5;
    }
}

template <typename Enum, std::size_t Count>
Enum parseName(const std::string& text, const std::pair<Enum, const char*> (&names)[Count], const char* what)
{
    std::string accepted;
    for (std::size_t i = 0; i < Count; ++i) {
        if (text == names[i].second)
            return names[i].first;
        accepted += std::string(i == 0 ? "" : (i + 1 == Count ? " or " : ", ")) + names[i].second;
    }
    throw std::invalid_argument("unknown " + std::string(what) + " '" + text + "' (expected " + accepted + ")");
}

template <typename Enum, std::size_t Count>
std::string nameOf(Enum value, const std::pair<Enum, const char*> (&names)[Count])
{
    for (const auto& entry : names) {
        if (entry.first == value)
            return entry.second;
    }
    return {};
}

const std::pair<NanPolicy, const char*> kNanPolicyNames[]
    = { { NanPolicy::Exclude, "exclude" }, { NanPolicy::Worst, "worst" }, { NanPolicy::Best, "best" } };
const std::pair<TopSets, const char*> kTopSetsNames[]
    = { { TopSets::Reference, "reference" }, { TopSets::TieWeighted, "tie-weighted" } };
const std::pair<T10Denominator, const char*> kT10DenominatorNames[]
    = { { T10Denominator::Reference, "reference" }, { T10Denominator::Consistent, "consistent" } };

} // namespace

NanPolicy parseNanPolicy(const std::string& text)
{
    return parseName(text, kNanPolicyNames, "NaN policy");
}

std::string toString(NanPolicy policy)
{
    return nameOf(policy, kNanPolicyNames);
}

TopSets parseTopSets(const std::string& text)
{
    return parseName(text, kTopSetsNames, "top sets");
}

std::string toString(TopSets sets)
{
    return nameOf(sets, kTopSetsNames);
}

T10Denominator parseT10Denominator(const std::string& text)
{
    return parseName(text, kT10DenominatorNames, "T10/T10 denominator");
}

std::string toString(T10Denominator denominator)
{
    return nameOf(denominator, kT10DenominatorNames);
}

std::vector<std::string> departures(
    const CorrelationOptions& options, const StatisticsReference& reference, const StatisticsReference& lossReference)
{
    const bool minimising = !options.higherTargetIsBetter;
    std::vector<std::string> found;
    if (options.policy != NanPolicy::Exclude)
        found.push_back("NaN scores ranked " + toString(options.policy));
    if (options.topSets == TopSets::TieWeighted)
        found.push_back("tie-weighted top sets");
    if (minimising && options.topSets == TopSets::Reference && options.t10Denominator == T10Denominator::Consistent)
        found.push_back("consistent T10/T10 denominator");
    if (minimising && !reference.ranksLosses)
        found.push_back(lossReference.folder + "'s lower-is-better rules under the " + reference.name + " score rule");
    return found;
}

std::string describeVariant(
    const CorrelationOptions& options, const StatisticsReference& reference, const StatisticsReference& lossReference)
{
    const std::vector<std::string> found = departures(options, reference, lossReference);
    if (found.empty()) {
        return "reference: " + reference.folder + "/epsinas_utils.py compute_stats"
            + (options.higherTargetIsBetter ? "" : " (maximize=False)");
    }
    std::string text = "departure: ";
    for (std::size_t i = 0; i < found.size(); ++i)
        text += (i == 0 ? "" : "; ") + found[i];
    return text;
}

double percentile(std::vector<double> values, double q)
{
    if (!(q >= 0 && q <= 100))
        throw std::invalid_argument("percentile: q must lie in [0, 100], got " + std::to_string(q));
    if (values.empty() || anyNaN(values))
        return kNaN;
    std::sort(values.begin(), values.end());
    return percentileOfSorted(values, q);
}

double spearman(const std::vector<double>& x, const std::vector<double>& y)
{
    requireSameSize(x, y, "spearman");
    if (x.size() < 2 || anyNaN(x) || anyNaN(y))
        return kNaN;
    return pearson(averageRanks(x), averageRanks(y));
}

double kendallTauB(const std::vector<double>& x, const std::vector<double>& y)
{
    requireSameSize(x, y, "kendallTauB");
    if (x.size() < 2 || anyNaN(x) || anyNaN(y))
        return kNaN;

    std::vector<std::pair<double, double>> pairs(x.size());
    for (std::size_t i = 0; i < x.size(); ++i)
        pairs[i] = { x[i], y[i] };
    std::sort(pairs.begin(), pairs.end());

    const auto n = static_cast<std::int64_t>(pairs.size());
    const std::int64_t allPairs = n * (n - 1) / 2;
    const std::int64_t tiesX
        = tiedPairs(pairs.size(), [&pairs](std::size_t a, std::size_t b) { return pairs[a].first == pairs[b].first; });
    const std::int64_t tiesXY
        = tiedPairs(pairs.size(), [&pairs](std::size_t a, std::size_t b) { return pairs[a] == pairs[b]; });

    // Sorted by x and, within equal x, by y: every remaining inversion of y is a discordant pair.
    std::vector<double> ys(pairs.size());
    for (std::size_t i = 0; i < pairs.size(); ++i)
        ys[i] = pairs[i].second;
    const std::int64_t discordant = sortCountingInversions(ys);
    const std::int64_t tiesY = tiedPairs(ys.size(), [&ys](std::size_t a, std::size_t b) { return ys[a] == ys[b]; });

    if (allPairs == tiesX || allPairs == tiesY)
        return kNaN;
    // concordant - discordant, since concordant + discordant + tiesX + tiesY - tiesXY = allPairs.
    const std::int64_t difference = allPairs - tiesX - tiesY + tiesXY - 2 * discordant;
    return static_cast<double>(difference)
        / std::sqrt(static_cast<double>(allPairs - tiesX) * static_cast<double>(allPairs - tiesY));
}

namespace {

// What the score rule makes of one pair, before the NaN policy: the one place that reads the rule.
enum class PairFate { NoTarget, NonPositive, ZeroAsNan, NanScore, Scored };

PairFate pairFate(double score, double target, ScoreRule rule)
{
    if (std::isnan(target))
        return PairFate::NoTarget;
    if (rule == ScoreRule::ZeroIsNan && score == 0)
        return PairFate::ZeroAsNan;
    if (rule == ScoreRule::NonPositiveOut && score <= 0)
        return PairFate::NonPositive;
    return std::isnan(score) ? PairFate::NanScore : PairFate::Scored;
}

} // namespace

bool pairIsUsed(double score, double target, const CorrelationOptions& options)
{
    switch (pairFate(score, target, options.scoreRule)) {
    case PairFate::Scored:
        return true;
    case PairFate::ZeroAsNan:
    case PairFate::NanScore:
        return options.policy != NanPolicy::Exclude;
    case PairFate::NoTarget:
    case PairFate::NonPositive:
        return false;
    }
    return false;
}

CorrelationReport correlate(
    const std::vector<double>& scores, const std::vector<double>& targets, const CorrelationOptions& options)
{
    requireSameSize(scores, targets, "correlate");
    CorrelationReport report;
    report.options = options;

    std::vector<double> s;
    std::vector<double> t;
    for (std::size_t i = 0; i < scores.size(); ++i) {
        const PairFate fate = pairFate(scores[i], targets[i], options.scoreRule);
        if (fate == PairFate::NoTarget)
            continue;
        if (fate == PairFate::NonPositive) {
            ++report.nonPositiveCount;
            continue;
        }
        if (fate == PairFate::ZeroAsNan)
            ++report.zeroAsNanCount;
        if (fate == PairFate::ZeroAsNan || fate == PairFate::NanScore) {
            ++report.nanCount;
            if (options.policy == NanPolicy::Exclude)
                continue;
        }
        s.push_back(fate == PairFate::ZeroAsNan ? kNaN : scores[i]);
        t.push_back(targets[i]);
    }
    if (options.policy != NanPolicy::Exclude && report.nanCount > 0)
        rankNaNScores(s, options.policy);

    report.n = s.size();
    report.spearman = spearman(s, t);
    report.kendall = kendallTauB(s, t);
    if (report.n == 0)
        return report;
    if (options.topSets == TopSets::Reference)
        referenceTopStatistics(s, t, report);
    else
        tieWeightedTopStatistics(s, t, report);
    return report;
}

CorrelationReport correlate(
    const std::vector<double>& scores, const std::vector<double>& targets, NanPolicy policy, bool higherTargetIsBetter)
{
    CorrelationOptions options;
    options.policy = policy;
    options.higherTargetIsBetter = higherTargetIsBetter;
    return correlate(scores, targets, options);
}

} // namespace epsinas
