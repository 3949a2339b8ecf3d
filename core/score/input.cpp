// SPDX-License-Identifier: MIT
#include "score/input.h"
#include "score/detail/torchsupport.h"
#include "score/runtime.h"

#include "io/inputfile.h"

#include <array>
#include <cstdio>
#include <limits>
#include <stdexcept>

namespace epsinas {

namespace {

// Pixels of one CIFAR image: 3 planes of 32x32 bytes.
constexpr std::int64_t kCifarPixels = 3 * 32 * 32;

// A mean/std written in 0..255 units, as torchvision receives it: divided in double, stored as float32.
constexpr float kTorchvision(double value)
{
    return static_cast<float>(value / 255.0);
}

struct CifarFormat {
    const char* name;
    std::int64_t labelBytes; // CIFAR-10: label; CIFAR-100: coarse + fine label
    std::array<float, 3> mean; // per channel, algorithm §2
    std::array<float, 3> std;
};

const CifarFormat kCifar10 { "CIFAR-10", 1, { kTorchvision(125.3), kTorchvision(123.0), kTorchvision(113.9) },
    { kTorchvision(63.0), kTorchvision(62.1), kTorchvision(66.7) } };
const CifarFormat kCifar100 { "CIFAR-100", 2, { kTorchvision(129.3), kTorchvision(124.1), kTorchvision(112.4) },
    { kTorchvision(68.2), kTorchvision(65.4), kTorchvision(70.4) } };

torch::Tensor readCifar(const InputSpec& spec, const CifarFormat& format)
{
    const std::int64_t recordBytes = format.labelBytes + kCifarPixels;
    const std::string quoted = "'" + excerpt(spec.path) + "'";
    InputFile file(spec.path, std::string(format.name) + " file",
        static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()));
    const std::int64_t size = file.size();
    if (size <= 0 || size % recordBytes != 0)
        throw std::runtime_error(quoted + " is not a " + format.name + " binary file: its size ("
            + (size < 0 ? std::string("unknown: not a regular file") : std::to_string(size) + " bytes")
            + ") is not a multiple of " + std::to_string(recordBytes)
            + " bytes per record (truncated or another format?)");
    const std::int64_t records = size / recordBytes;
    if (spec.offset < 0 || spec.offset + spec.batch > records)
        throw std::runtime_error(quoted + " holds " + std::to_string(records) + " images; images "
            + std::to_string(spec.offset) + " to " + std::to_string(spec.offset + spec.batch - 1)
            + " were asked for (lower --batch or --offset)");

    const std::vector<unsigned char> bytes = file.readAt(
        spec.offset * recordBytes, static_cast<std::size_t>(spec.batch) * static_cast<std::size_t>(recordBytes));
    torch::Tensor images = torch::empty({ spec.batch, 3, 32, 32 }, torch::kFloat32);
    float* out = images.data_ptr<float>();
    for (std::int64_t image = 0; image < spec.batch; ++image) {
        const unsigned char* pixels = bytes.data() + image * recordBytes + format.labelBytes;
        for (std::int64_t i = 0; i < kCifarPixels; ++i) {
            const int channel = static_cast<int>(i / 1024);
            // ToTensor then Normalize, in float32 as torchvision computes them.
            const float value = static_cast<float>(pixels[i]) / 255.0f;
            out[image * kCifarPixels + i] = (value - format.mean[channel]) / format.std[channel];
        }
    }
    return images;
}

std::uint64_t fnv1a(const void* data, std::size_t size)
{
    std::uint64_t hash = 1469598103934665603ull;
    const auto* bytes = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < size; ++i) {
        hash ^= bytes[i];
        hash *= 1099511628211ull;
    }
    return hash;
}

/** The images of `spec`, [B, 3, S, S] float32. */
torch::Tensor images(const InputSpec& spec)
{
    switch (spec.kind) {
    case InputSpec::Kind::Grey:
        // Algorithm §2 (the grey ramp): image i is constant at i/B, not normalised.
        return (torch::arange(spec.batch, torch::kFloat32) / static_cast<float>(spec.batch))
            .view({ spec.batch, 1, 1, 1 })
            .expand({ spec.batch, 3, spec.imageSize, spec.imageSize })
            .contiguous();
    case InputSpec::Kind::Noise:
        torch::manual_seed(spec.seed);
        return torch::randn({ spec.batch, 3, spec.imageSize, spec.imageSize }, torch::kFloat32);
    case InputSpec::Kind::Cifar10:
        return readCifar(spec, kCifar10);
    case InputSpec::Kind::Cifar100:
        break;
    }
    return readCifar(spec, kCifar100);
}

} // namespace

InputSpec InputSpec::parse(const std::string& text)
{
    InputSpec spec;
    const auto colon = text.find(':');
    const std::string kind = text.substr(0, colon);
    const std::string argument = colon == std::string::npos ? std::string() : text.substr(colon + 1);
    if (kind == "grey" || kind == "gray") {
        spec.kind = Kind::Grey;
        if (colon != std::string::npos)
            throw std::invalid_argument("input 'grey' takes no argument (got '" + excerpt(text) + "')");
    } else if (kind == "noise") {
        spec.kind = Kind::Noise;
        if (colon != std::string::npos) {
            std::size_t used = 0;
            try {
                spec.seed = std::stoull(argument, &used);
            } catch (const std::exception&) {
                used = 0;
            }
            if (argument.empty() || used != argument.size() || argument[0] == '-')
                throw std::invalid_argument(
                    "input '" + excerpt(text) + "': the noise seed must be a non-negative integer");
        }
    } else if (kind == "cifar10" || kind == "cifar100") {
        spec.kind = kind == "cifar10" ? Kind::Cifar10 : Kind::Cifar100;
        if (argument.empty())
            throw std::invalid_argument("input '" + excerpt(text) + "' needs a file: " + kind + ":PATH");
        spec.path = argument;
    } else {
        throw std::invalid_argument(
            "unknown input '" + excerpt(text) + "' (expected grey, noise[:SEED], cifar10:PATH or cifar100:PATH)");
    }
    return spec;
}

std::string InputSpec::toString() const
{
    switch (kind) {
    case Kind::Grey:
        return "grey";
    case Kind::Noise:
        return "noise:" + std::to_string(seed);
    case Kind::Cifar10:
        return "cifar10:" + path;
    case Kind::Cifar100:
        return "cifar100:" + path;
    }
    return {};
}

InputBatch InputBatch::load(const InputSpec& spec)
{
    if (spec.batch < 2 || spec.batch > kMaxBatchImages)
        throw std::runtime_error("the batch must hold 2 to " + std::to_string(kMaxBatchImages) + " images (got "
            + std::to_string(spec.batch) + ")");
    const bool cifar = spec.kind == InputSpec::Kind::Cifar10 || spec.kind == InputSpec::Kind::Cifar100;
    const int side = cifar ? 32 : spec.imageSize;
    if (side < 4 || side > kMaxImageSize)
        throw std::runtime_error("images must be 4x4 to " + std::to_string(kMaxImageSize) + "x"
            + std::to_string(kMaxImageSize) + " (got " + std::to_string(side) + ")");
    // The float32 batch, and for CIFAR the records it is decoded from.
    const double pixels = double(spec.batch) * 3 * side * side;
    requireMemory(pixels * sizeof(float) + (cifar ? double(spec.batch) * (kCifarPixels + 2) : 0),
        "the input batch (" + std::to_string(spec.batch) + " images of 3x" + std::to_string(side) + "x"
            + std::to_string(side) + ")",
        "lower --batch" + std::string(cifar ? "" : " or --image-size"));
    auto data = std::make_shared<Data>();
    data->spec = spec;
    try {
        data->images = images(spec);
    } catch (const c10::Error& error) {
        // The memory check above passed, yet the allocation failed (a limit on the address space, overcommit).
        const std::string message = error.what_without_backtrace();
        if (message.find("can't allocate memory") != std::string::npos)
            throw std::runtime_error("out of memory for the input batch (" + std::to_string(spec.batch)
                + " images of 3x" + std::to_string(side) + "x" + std::to_string(side) + "; lower --batch)");
        throw std::runtime_error("cannot create the input batch: " + excerpt(message.substr(0, message.find('\n'))));
    }
    if (cifar)
        data->spec.imageSize = 32;
    char hash[17];
    std::snprintf(hash, sizeof hash, "%016llx",
        static_cast<unsigned long long>(fnv1a(data->images.data_ptr<float>(), data->images.numel() * sizeof(float))));
    const std::string source = spec.kind == InputSpec::Kind::Grey || spec.kind == InputSpec::Kind::Noise
        ? spec.toString() + ":" + std::to_string(spec.imageSize)
        : (spec.kind == InputSpec::Kind::Cifar10 ? "cifar10" : "cifar100");
    data->fingerprint = source + "@" + std::to_string(spec.offset) + "x" + std::to_string(spec.batch) + "#" + hash;
    InputBatch batch;
    batch.m_data = std::move(data);
    return batch;
}

const InputSpec& InputBatch::spec() const
{
    return m_data->spec;
}
int InputBatch::batchSize() const
{
    return m_data->spec.batch;
}
int InputBatch::imageSize() const
{
    return m_data->spec.imageSize;
}
std::string InputBatch::fingerprint() const
{
    return m_data->fingerprint;
}

std::vector<float> InputBatch::values() const
{
    return std::vector<float>(
        m_data->images.data_ptr<float>(), m_data->images.data_ptr<float>() + m_data->images.numel());
}

} // namespace epsinas
