// SPDX-License-Identifier: MIT
#include "score/runtime.h"
#include "score/torchsupport.h"

#include <thread>

#include <sched.h>

namespace epsinas {

bool cudaAvailable()
{
    return torch::cuda::is_available();
}

std::string deviceDescription(bool cuda)
{
    if (cuda && cudaAvailable())
        return "CUDA (" + std::to_string(torch::cuda::device_count()) + " device(s))";
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

int setCpuThreads(int threads)
{
    const int wanted = threads > 0 ? threads : availableCores();
    if (at::get_num_threads() != wanted)
        at::set_num_threads(wanted);
    return at::get_num_threads();
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
    // Spec §9.2: TF32 moves full-width scores by up to 49 %; the exact mode needs full float32.
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
    if (message.find("out of memory") != std::string::npos)
        throw std::runtime_error(
            "out of memory on " + toString(options.device) + " (try a smaller --batch or --chunk)");
    throw std::runtime_error("LibTorch error: " + message.substr(0, message.find('\n')));
}

} // namespace detail
} // namespace epsinas
