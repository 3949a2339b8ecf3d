// SPDX-License-Identifier: MIT
// One libFuzzer target: EPSINAS_FUZZ_CONTRACT names the contract of contracts.h it checks (tests/fuzz/CMakeLists.txt
// builds this file once per parser).
#include "contracts.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    epsinas::fuzz::EPSINAS_FUZZ_CONTRACT(std::string_view(reinterpret_cast<const char*>(data), size));
    return 0;
}
