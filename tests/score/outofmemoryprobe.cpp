// SPDX-License-Identifier: MIT
#include "outofmemoryprobe.h"

#include "score/detail/outofmemory.h"

#include <numeric>

namespace epsinas::test {

HalvingProbe probeHalving(std::size_t count, std::size_t fits, bool perWeightLayout, bool otherFailure)
{
    HalvingProbe probe;
    std::vector<int> items(count);
    std::iota(items.begin(), items.end(), 0);
    const auto forward = [&](const std::vector<int>& part) {
        probe.callSizes.push_back(part.size());
        // The messages LibTorch's CUDA allocator and an unrelated failure would raise.
        TORCH_CHECK(!otherFailure, "Expected all tensors to be on the same device");
        TORCH_CHECK(part.size() <= fits, "CUDA out of memory. Tried to allocate 2.00 GiB");
        const torch::Tensor values = torch::tensor(std::vector<float>(part.begin(), part.end()));
        const torch::Tensor outputs = torch::stack({ values, values + 100 }); // [2, items]
        return perWeightLayout ? outputs.unsqueeze(2) : outputs.t().contiguous();
    };
    try {
        const torch::Tensor result = detail::forwardHalvingOnOutOfMemory(items, forward, perWeightLayout ? 1 : 0);
        probe.rows = detail::toDoubleRows(perWeightLayout ? result.view({ -1, 1 }) : result);
    } catch (const c10::Error& error) {
        probe.error = error.what_without_backtrace();
    }
    return probe;
}

} // namespace epsinas::test
