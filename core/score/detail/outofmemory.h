// SPDX-License-Identifier: MIT
// Private to the scoring libraries: how the spaces' tensor forms survive a device that runs out of memory.
#pragma once

#include "score/detail/torchsupport.h"

#include <cstdint>
#include <string>
#include <vector>

namespace epsinas::detail {

/**
 * Whether LibTorch's error is the device running out of memory. CUDA's caching allocator says "out of memory"; the
 * CPU's "can't allocate memory" is not matched, since the CPU chunk sizes are bounded by the free memory already.
 */
inline bool isDeviceOutOfMemory(const c10::Error& error)
{
    return std::string(error.what_without_backtrace()).find("out of memory") != std::string::npos;
}

/**
 * Runs `forward` on all of `items` at once and returns its result on the CPU in float64. When the device runs out of
 * memory, it runs each half instead (recursively, down to one item, whose error is rethrown) and joins the halves.
 * `forward(items)` returns a tensor whose dimension `itemDimension` has one entry per item, in order; every other
 * error is rethrown at once. The chunk sizes are guesses from the device's memory, so a smaller GPU splits on the
 * first error instead of failing the run.
 */
template <typename Item, typename Forward>
torch::Tensor forwardHalvingOnOutOfMemory(
    const std::vector<Item>& items, const Forward& forward, std::int64_t itemDimension = 0)
{
    try {
        return forward(items).to(torch::kCPU, torch::kFloat64);
    } catch (const c10::Error& error) {
        if (!isDeviceOutOfMemory(error) || items.size() <= 1)
            throw;
    }
    const auto middle = items.begin() + static_cast<std::ptrdiff_t>(items.size() / 2);
    const torch::Tensor first
        = forwardHalvingOnOutOfMemory(std::vector<Item>(items.begin(), middle), forward, itemDimension);
    const torch::Tensor second
        = forwardHalvingOnOutOfMemory(std::vector<Item>(middle, items.end()), forward, itemDimension);
    return torch::cat({ first, second }, itemDimension);
}

/** Row k of a [rows, …] CPU tensor as doubles, for every k: one output vector per row. */
inline std::vector<std::vector<double>> toDoubleRows(const torch::Tensor& rows)
{
    std::vector<std::vector<double>> result;
    result.reserve(static_cast<std::size_t>(rows.size(0)));
    for (std::int64_t k = 0; k < rows.size(0); ++k)
        result.push_back(toDoubles(rows[k]));
    return result;
}

} // namespace epsinas::detail
