// SPDX-License-Identifier: MIT
// The torch-free face of a probe of forwardHalvingOnOutOfMemory (outofmemoryprobe.cpp), so that the Qt Test file
// includes no LibTorch header.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace epsinas::test {

struct HalvingProbe {
    std::vector<std::vector<double>> rows; ///< what the caller is handed, one output row after the other
    std::vector<std::size_t> callSizes; ///< the items of every forward call, in the order of the calls
    std::string error; ///< the message of the error that escaped; empty when none did
};

/**
 * Runs items 0 … count − 1 through forwardHalvingOnOutOfMemory on a fake device that runs out of memory for more than
 * `fits` items at once, or (`otherFailure`) fails for any other reason. Item v's outputs are v and v + 100:
 * `perWeightLayout` returns them as the NLP form does ([2, items, 1]: every item's first output, then every item's
 * second, read back as 2 × items rows), otherwise as one row [v, v + 100] per item.
 */
HalvingProbe probeHalving(std::size_t count, std::size_t fits, bool perWeightLayout, bool otherFailure = false);

} // namespace epsinas::test
