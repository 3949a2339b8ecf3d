// SPDX-License-Identifier: MIT
#include "store/shard.h"

#include "io/inputfile.h"

#include <cctype>
#include <stdexcept>

namespace epsinas {

namespace {

// Strict decimal: std::stoi would accept "+1", " 1" and "1x", which on a command line are more likely typos.
bool parseNumber(const std::string& digits, int& value)
{
    if (digits.empty() || digits.size() > 9)
        return false;
    value = 0;
    for (char c : digits) {
        if (!std::isdigit(static_cast<unsigned char>(c)))
            return false;
        value = value * 10 + (c - '0');
    }
    return true;
}

} // namespace

Shard Shard::parse(const std::string& text)
{
    const auto fail
        = [&](const std::string& why) { throw std::invalid_argument("shard \"" + excerpt(text) + "\": " + why); };
    const auto slash = text.find('/');
    if (slash == std::string::npos)
        fail("expected INDEX/COUNT, e.g. 0/4");
    Shard shard;
    if (!parseNumber(text.substr(0, slash), shard.index))
        fail("the index before '/' must be a non-negative whole number");
    if (!parseNumber(text.substr(slash + 1), shard.count))
        fail("the count after '/' must be a positive whole number");
    if (shard.count == 0)
        fail("the count must be at least 1");
    if (shard.index >= shard.count)
        fail("the index is 0-based and must be below the count (0.." + std::to_string(shard.count - 1) + ")");
    return shard;
}

} // namespace epsinas
