// SPDX-License-Identifier: MIT
#pragma once

#include "space/searchspace.h"

#include <string>
#include <string_view>
#include <vector>

namespace epsinas {

/**
 * The search spaces a process knows, by key, in the order they were added (the order menus offer them). The
 * process-wide one (spaceRegistry(), core/spaces) holds the built-in spaces; a test may add its own before it
 * starts threads that read the registry. Spaces are never removed and must outlive the registry's users: the
 * built-in ones are function-local statics.
 */
class SpaceRegistry {
public:
    /** Adds `space`; throws std::invalid_argument when its key is taken. */
    void add(const SearchSpace& space);
    /** The space with `key`, or nullptr. */
    const SearchSpace* find(std::string_view key) const;
    /** The space with `key`; throws std::invalid_argument naming the known keys otherwise. */
    const SearchSpace& get(std::string_view key) const;
    /** Every space, in the order added. */
    const std::vector<const SearchSpace*>& all() const { return m_spaces; }
    /** The keys in order, as "a, b or c", for messages and usage texts. */
    std::string keyList() const;

private:
    std::vector<const SearchSpace*> m_spaces;
};

} // namespace epsinas
