// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <string>

namespace epsinas {

/**
 * One of `count` disjoint slices of an enumeration, for scoring a space on several machines at once: slice `index`
 * (0-based) holds the positions p with p % count == index. Round-robin rather than contiguous ranges so that every
 * slice gets a similar mix of cheap and expensive cells.
 */
struct Shard {
    int index = 0;
    int count = 1;

    /** Parses "i/N" with 0 <= i < N; throws std::invalid_argument naming the text and what is wrong with it. */
    static Shard parse(const std::string& text);

    bool contains(std::size_t position) const
    {
        return position % static_cast<std::size_t>(count) == static_cast<std::size_t>(index);
    }
};

} // namespace epsinas
