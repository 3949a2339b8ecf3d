// SPDX-License-Identifier: MIT
#pragma once

#include <string>

namespace epsinas {

/** True when this LibTorch build has CUDA and a device is present. */
bool cudaAvailable();
/** "NVIDIA H200" or "CPU (2 threads)": what a status bar says. */
std::string deviceDescription(bool cuda);
/** LibTorch's version, e.g. "1.13.1". */
std::string torchVersion();
/** Sets LibTorch's intra-op CPU threads; 0 means all cores. Returns the count in force. */
int setCpuThreads(int threads);
/** Cores this process may use. */
int availableCores();

} // namespace epsinas
