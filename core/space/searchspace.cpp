// SPDX-License-Identifier: MIT
#include "space/searchspace.h"

#include <algorithm>
#include <limits>

namespace epsinas {

Arch SearchSpace::startArch() const
{
    const std::vector<NamedArch> named = examples();
    return named.empty() ? sample(1, 0).front() : named.front().arch;
}

std::pair<std::int64_t, std::int64_t> SearchSpace::parameterRange() const
{
    std::optional<std::vector<Arch>> archs = enumerate();
    if (!archs)
        archs = sample(std::min(kParameterRangeSample, sampleLimit()), /*seed=*/1);
    std::int64_t low = std::numeric_limits<std::int64_t>::max();
    std::int64_t high = std::numeric_limits<std::int64_t>::min();
    for (const Arch& arch : *archs) {
        const std::int64_t count = parameterCount(arch);
        low = std::min(low, count);
        high = std::max(high, count);
    }
    return { low, high };
}

} // namespace epsinas
