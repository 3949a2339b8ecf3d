// SPDX-License-Identifier: MIT
#include "space/registry.h"

#include "io/inputfile.h"

#include <stdexcept>

namespace epsinas {

void SpaceRegistry::add(const SearchSpace& space)
{
    if (find(space.key()))
        throw std::invalid_argument("a search space with the key '" + space.key() + "' is registered already");
    m_spaces.push_back(&space);
}

const SearchSpace* SpaceRegistry::find(std::string_view key) const
{
    for (const SearchSpace* space : m_spaces) {
        if (space->key() == key)
            return space;
    }
    return nullptr;
}

const SearchSpace& SpaceRegistry::get(std::string_view key) const
{
    if (const SearchSpace* space = find(key))
        return *space;
    throw std::invalid_argument("unknown search space '" + excerpt(key) + "' (expected " + keyList() + ")");
}

std::string SpaceRegistry::keyList() const
{
    std::string list;
    for (std::size_t i = 0; i < m_spaces.size(); ++i) {
        if (i > 0)
            list += i + 1 == m_spaces.size() ? " or " : ", ";
        list += m_spaces[i]->key();
    }
    return list;
}

} // namespace epsinas
