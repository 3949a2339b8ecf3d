// SPDX-License-Identifier: MIT
// The seeded draws and running statistics the search strategies share (private to core/search).
#pragma once

#include "search/randomsearch.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <utility>
#include <vector>

namespace epsinas::search::detail {

// Run `run` of a search from `seed`: a generator seeded by both. std::seed_seq and std::mt19937_64 are specified to
// the bit by the standard, so a seed means the same draws on every platform (the distributions are not, see below).
inline std::mt19937_64 runGenerator(std::uint64_t seed, std::size_t run)
{
    const std::uint64_t runWord = run;
    std::seed_seq sequence { std::uint32_t(seed), std::uint32_t(seed >> 32), std::uint32_t(runWord),
        std::uint32_t(runWord >> 32) };
    return std::mt19937_64(sequence);
}

// A uniform integer below `bound` (> 0) by rejection: exact, and unlike std::uniform_int_distribution the same on
// every standard library.
inline std::size_t uniformBelow(std::mt19937_64& generator, std::size_t bound)
{
    const std::uint64_t range = bound;
    const std::uint64_t limit
        = std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % range;
    std::uint64_t value = generator();
    while (value >= limit)
        value = generator();
    return std::size_t(value % range);
}

/*
 * Draws without replacement from one permutation of the candidates that every run reuses: a partial Fisher-Yates
 * shuffle whose swaps are undone after the run, so a run costs O(samples), not O(candidates), and each run starts
 * from the identity (its draw depends on its own generator alone).
 */
class Drawer {
public:
    explicit Drawer(std::size_t candidateCount)
        : m_permutation(candidateCount)
    {
        for (std::size_t i = 0; i < candidateCount; ++i)
            m_permutation[i] = i;
    }

    /** Calls visit(candidate) for each of `samples` draws, in order. */
    template <typename Visit> void draw(std::mt19937_64& generator, std::size_t samples, Visit visit)
    {
        m_swaps.clear();
        const std::size_t count = m_permutation.size();
        for (std::size_t i = 0; i < samples; ++i) {
            const std::size_t j = i + uniformBelow(generator, count - i);
            std::swap(m_permutation[i], m_permutation[j]);
            m_swaps.push_back(j);
            visit(m_permutation[i]);
        }
        for (std::size_t i = samples; i-- > 0;)
            std::swap(m_permutation[i], m_permutation[m_swaps[i]]);
    }

private:
    std::vector<std::size_t> m_permutation;
    std::vector<std::size_t> m_swaps;
};

// Welford's running mean and variance, for the trajectory's per-query summaries (one pass over the runs).
struct Running {
    std::size_t n = 0;
    double mean = 0;
    double m2 = 0;

    void add(double value)
    {
        ++n;
        const double delta = value - mean;
        mean += delta / double(n);
        m2 += delta * (value - mean);
    }
    Summary summary() const
    {
        Summary result;
        result.n = n;
        if (n > 0) {
            result.mean = mean;
            result.std = std::sqrt(m2 / double(n));
        }
        return result;
    }
};

} // namespace epsinas::search::detail
