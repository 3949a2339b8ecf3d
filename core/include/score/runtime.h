// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>

namespace epsinas {

/** True when this LibTorch build has CUDA and a device is present. */
bool cudaAvailable();
/** "NVIDIA H200" or "CPU (2 threads)": what a status bar says. */
std::string deviceDescription(bool cuda);
/** LibTorch's version, e.g. "1.13.1". */
std::string torchVersion();
/**
 * Sets LibTorch's intra-op CPU threads; 0 means all cores. More than maxCpuThreads() are never started (creating
 * tens of thousands of threads takes minutes and helps nothing). Returns the count in force.
 */
int setCpuThreads(int threads);
/** Cores this process may use. */
int availableCores();
/** The most CPU threads a run may ask for: 4 x the hardware threads of the machine. */
int maxCpuThreads();

/** Bytes of memory a new allocation can still take: MemAvailable of /proc/meminfo, else the free pages. */
std::uint64_t availableMemoryBytes();
/**
 * Throws std::runtime_error when `bytes` (what `what` needs, e.g. "the input batch (256 images of 3x32x32
 * float32)") exceed the available memory, naming both and `remedy` ("lower --batch"): checked before allocating, so
 * that a hostile size fails at once with a message instead of swapping or being killed by the kernel.
 */
void requireMemory(double bytes, const std::string& what, const std::string& remedy);

} // namespace epsinas
