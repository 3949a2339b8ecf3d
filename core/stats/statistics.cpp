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

} // namespace

NanPolicy parseNanPolicy(const std::string& text)
{
    if (text == "exclude")
        return NanPolicy::Exclude;
    if (text == "worst")
        return NanPolicy::Worst;
    if (text == "best")
        return NanPolicy::Best;
    throw std::invalid_argument("unknown NaN policy '" + text + "' (expected exclude, worst or best)");
}

std::string toString(NanPolicy policy)
{
    switch (policy) {
    case NanPolicy::Exclude:
        return "exclude";
    case NanPolicy::Worst:
        return "worst";
    case NanPolicy::Best:
        return "best";
    }
    return {};
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

CorrelationReport correlate(
    const std::vector<double>& scores, const std::vector<double>& targets, NanPolicy policy, bool higherTargetIsBetter)
{
    requireSameSize(scores, targets, "correlate");
    CorrelationReport report;
    report.policy = policy;

    std::vector<double> s;
    std::vector<double> t;
    for (std::size_t i = 0; i < scores.size(); ++i) {
        if (std::isnan(targets[i]))
            continue;
        if (std::isnan(scores[i])) {
            ++report.nanCount;
            if (policy == NanPolicy::Exclude)
                continue;
        }
        s.push_back(scores[i]);
        t.push_back(targets[i]);
    }
    if (policy != NanPolicy::Exclude && report.nanCount > 0)
        rankNaNScores(s, policy);

    const std::size_t n = s.size();
    report.n = n;
    report.spearman = spearman(s, t);
    report.kendall = kendallTauB(s, t);
    if (n == 0)
        return report;

    const std::size_t top10 = (n + 9) / 10;
    const std::size_t top5 = (n + 19) / 20;

    std::vector<std::size_t> byTarget(n);
    std::iota(byTarget.begin(), byTarget.end(), std::size_t { 0 });
    std::stable_sort(byTarget.begin(), byTarget.end(), [&t, higherTargetIsBetter](std::size_t a, std::size_t b) {
        return higherTargetIsBetter ? t[a] > t[b] : t[a] < t[b];
    });
    std::vector<bool> inTop10Target(n, false);
    std::vector<bool> inTop5Target(n, false);
    std::vector<double> topScores;
    std::vector<double> topTargets;
    for (std::size_t rank = 0; rank < top10; ++rank) {
        const std::size_t i = byTarget[rank];
        inTop10Target[i] = true;
        inTop5Target[i] = rank < top5;
        topScores.push_back(s[i]);
        topTargets.push_back(t[i]);
    }
    report.spearmanTop10 = spearman(topScores, topTargets);
    report.kendallTop10 = kendallTauB(topScores, topTargets);

    const std::vector<double> top10Score = topWeights(s, top10);
    double overlap10 = 0;
    for (std::size_t i = 0; i < n; ++i)
        overlap10 += inTop10Target[i] ? top10Score[i] : 0.0;
    report.t10t10 = 100.0 * overlap10 / static_cast<double>(top10);

    if (n >= kT64Count) {
        const std::vector<double> top64Score = topWeights(s, kT64Count);
        double overlap5 = 0;
        for (std::size_t i = 0; i < n; ++i)
            overlap5 += inTop5Target[i] ? top64Score[i] : 0.0;
        report.t64t5 = overlap5;
    }
    return report;
}

} // namespace epsinas
