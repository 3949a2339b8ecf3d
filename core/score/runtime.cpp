// SPDX-License-Identifier: MIT
#include "score/runtime.h"
#include "score/detail/outofmemory.h"
#include "score/detail/torchsupport.h"

#include "io/inputfile.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <optional>
#include <thread>

#include <dlfcn.h>
#include <sched.h>
#include <unistd.h>

namespace epsinas {

bool cudaAvailable()
{
    return torch::cuda::is_available();
}

namespace {
/**
 * The name of CUDA device 0 from the driver's own library, or empty. Through dlopen: the CUDA headers are not part of
 * every LibTorch (not of Python's wheels), while libcuda.so.1 comes with every NVIDIA driver.
 */
std::string cudaDeviceName()
{
    void* driver = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!driver)
        return {};
    using Init = int (*)(unsigned);
    using DeviceGet = int (*)(int*, int);
    using DeviceGetName = int (*)(char*, int, int);
    const auto init = reinterpret_cast<Init>(dlsym(driver, "cuInit"));
    const auto deviceGet = reinterpret_cast<DeviceGet>(dlsym(driver, "cuDeviceGet"));
    const auto deviceGetName = reinterpret_cast<DeviceGetName>(dlsym(driver, "cuDeviceGetName"));
    char name[256] = {};
    int device = 0;
    // CUDA_SUCCESS is 0.
    const bool named = init && deviceGet && deviceGetName && init(0) == 0 && deviceGet(&device, 0) == 0
        && deviceGetName(name, int(sizeof(name)) - 1, device) == 0;
    dlclose(driver);
    return named ? std::string(name) : std::string();
}
} // namespace

std::string deviceDescription(bool cuda)
{
    if (cuda && cudaAvailable()) {
        const std::string name = cudaDeviceName();
        const std::size_t count = torch::cuda::device_count();
        const std::string others = count > 1 ? " (1 of " + std::to_string(count) + ")" : std::string();
        return (name.empty() ? std::string("CUDA device 0") : name) + others;
    }
    return "CPU (" + std::to_string(at::get_num_threads()) + " threads)";
}

std::string torchVersion()
{
    return std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "."
        + std::to_string(TORCH_VERSION_PATCH);
}

int availableCores()
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0)
        return CPU_COUNT(&set);
    return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

int maxCpuThreads()
{
    // A multiple of the hardware threads: oversubscribing a little can help with stalls; beyond that only harms.
    constexpr int kThreadsPerHardwareThread = 4;
    const int hardware = static_cast<int>(std::thread::hardware_concurrency());
    return kThreadsPerHardwareThread * std::max(availableCores(), hardware);
}

int setCpuThreads(int threads)
{
    const int wanted = std::min(threads > 0 ? threads : availableCores(), maxCpuThreads());
    if (at::get_num_threads() != wanted)
        at::set_num_threads(wanted);
    return at::get_num_threads();
}

namespace {

/** The first number of the first line of `path` (a cgroup file), or nothing when it cannot be read ("max"). */
std::optional<std::uint64_t> readNumber(const char* path)
{
    std::ifstream file(path);
    std::uint64_t value = 0;
    if (file >> value)
        return value;
    return std::nullopt;
}

/** Bytes the memory cgroup of this process may still take (cgroup v2, then v1); nothing without a limit. */
std::optional<std::uint64_t> cgroupMemoryLeft()
{
    for (const auto& [limitPath, usagePath] :
        { std::pair { "/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current" },
            { "/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory/memory.usage_in_bytes" } }) {
        const auto limit = readNumber(limitPath);
        const auto usage = readNumber(usagePath);
        if (limit && usage)
            return *limit > *usage ? *limit - *usage : 0;
    }
    return std::nullopt;
}

std::string gibibytes(double bytes)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.1f GiB", bytes / double(1ull << 30));
    return text;
}

} // namespace

std::uint64_t availableMemoryBytes()
{
    std::uint64_t available = std::numeric_limits<std::uint64_t>::max();
    std::ifstream meminfo("/proc/meminfo");
    bool found = false;
    for (std::string line; !found && std::getline(meminfo, line);) {
        unsigned long long kibibytes = 0;
        if (std::sscanf(line.c_str(), "MemAvailable: %llu kB", &kibibytes) == 1) {
            available = kibibytes * 1024;
            found = true;
        }
    }
    if (!found) {
        const long pages = sysconf(_SC_AVPHYS_PAGES);
        const long pageSize = sysconf(_SC_PAGESIZE);
        if (pages > 0 && pageSize > 0)
            available = static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(pageSize);
    }
    if (const auto left = cgroupMemoryLeft())
        available = std::min(available, *left);
    return available;
}

void requireMemory(double bytes, const std::string& what, const std::string& remedy)
{
    const auto available = static_cast<double>(availableMemoryBytes());
    if (std::isfinite(bytes) && bytes <= available)
        return;
    throw std::runtime_error(what + " needs " + gibibytes(bytes) + " of memory, but " + gibibytes(available)
        + " is available (" + remedy + ")");
}

namespace detail {

torch::Device prepareDevice(const ScoreOptions& options)
{
    setCpuThreads(options.threads);
    if (options.device == Device::Cpu)
        return torch::kCPU;
    if (!torch::cuda::is_available())
        throw std::runtime_error("CUDA was requested but is not available (this LibTorch build "
            + std::string(torch::cuda::device_count() == 0 ? "sees no CUDA device" : "cannot use CUDA")
            + "); use --device cpu");
    // Algorithm §5: TF32 moves full-width scores by up to 49 %; the exact mode needs full float32.
    at::globalContext().setAllowTF32CuDNN(false);
    at::globalContext().setAllowTF32CuBLAS(false);
    at::globalContext().setDeterministicCuDNN(true);
    at::globalContext().setBenchmarkCuDNN(false);
    return torch::Device(torch::kCUDA, 0);
}

torch::ScalarType scalarType(Precision precision)
{
    return precision == Precision::Float32 ? torch::kFloat32 : torch::kFloat64;
}

std::vector<double> toDoubles(const torch::Tensor& values)
{
    const torch::Tensor flat = values.detach().to(torch::kCPU, torch::kFloat64).contiguous().view(-1);
    return std::vector<double>(flat.data_ptr<double>(), flat.data_ptr<double>() + flat.numel());
}

void rethrowAsRuntimeError(const c10::Error& error, const ScoreOptions& options)
{
    const std::string message = error.what_without_backtrace();
    // The device's "out of memory", and LibTorch's CPU allocator's "can't allocate memory".
    if (isDeviceOutOfMemory(error) || message.find("can't allocate memory") != std::string::npos)
        throw std::runtime_error(
            "out of memory on " + toString(options.device) + " (try a smaller --batch or --chunk)");
    throw std::runtime_error("LibTorch error: " + excerpt(message.substr(0, message.find('\n'))));
}

} // namespace detail
} // namespace epsinas
