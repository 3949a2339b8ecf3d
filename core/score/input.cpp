// SPDX-License-Identifier: MIT
#include "score/input.h"
#include "score/torchsupport.h"

#include <array>
#include <cstdio>
#include <fstream>
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
    std::array<float, 3> mean; // per channel, spec §2
    std::array<float, 3> std;
};

const CifarFormat kCifar10 { "CIFAR-10", 1, { kTorchvision(125.3), kTorchvision(123.0), kTorchvision(113.9) },
    { kTorchvision(63.0), kTorchvision(62.1), kTorchvision(66.7) } };
const CifarFormat kCifar100 { "CIFAR-100", 2, { kTorchvision(129.3), kTorchvision(124.1), kTorchvision(112.4) },
    { kTorchvision(68.2), kTorchvision(65.4), kTorchvision(70.4) } };

torch::Tensor readCifar(const InputSpec& spec, const CifarFormat& format)
{
    const std::int64_t recordBytes = format.labelBytes + kCifarPixels;
    std::ifstream file(spec.path, std::ios::binary | std::ios::ate);
    if (!file)
        throw std::runtime_error("cannot read " + std::string(format.name) + " file '" + spec.path + "'");
    const std::int64_t size = file.tellg();
    if (size <= 0 || size % recordBytes != 0)
        throw std::runtime_error("'" + spec.path + "' is not a " + format.name + " binary file: its size ("
            + std::to_string(size) + " bytes) is not a multiple of " + std::to_string(recordBytes)
            + " bytes per record (truncated or another format?)");
    const std::int64_t records = size / recordBytes;
    if (spec.offset < 0 || spec.offset + spec.batch > records)
        throw std::runtime_error("'" + spec.path + "' holds " + std::to_string(records) + " images; images "
            + std::to_string(spec.offset) + " to " + std::to_string(spec.offset + spec.batch - 1)
            + " were asked for (lower --batch or --offset)");

    std::vector<unsigned char> bytes(static_cast<std::size_t>(spec.batch * recordBytes));
    file.seekg(spec.offset * recordBytes);
    if (!file.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size())))
        throw std::runtime_error("reading '" + spec.path + "' failed");

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
            throw std::invalid_argument("input 'grey' takes no argument (got '" + text + "')");
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
                throw std::invalid_argument("input '" + text + "': the noise seed must be a non-negative integer");
        }
    } else if (kind == "cifar10" || kind == "cifar100") {
        spec.kind = kind == "cifar10" ? Kind::Cifar10 : Kind::Cifar100;
        if (argument.empty())
            throw std::invalid_argument("input '" + text + "' needs a file: " + kind + ":PATH");
        spec.path = argument;
    } else {
        throw std::invalid_argument(
            "unknown input '" + text + "' (expected grey, noise[:SEED], cifar10:PATH or cifar100:PATH)");
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
    if (spec.batch < 2)
        throw std::runtime_error("the batch must hold at least 2 images (got " + std::to_string(spec.batch) + ")");
    if (spec.imageSize < 4)
        throw std::runtime_error("images must be at least 4x4 (got " + std::to_string(spec.imageSize) + ")");
    auto data = std::make_shared<Data>();
    data->spec = spec;
    switch (spec.kind) {
    case InputSpec::Kind::Grey: {
        // Spec §4.5: image i is constant at i/B, not normalised.
        data->images = (torch::arange(spec.batch, torch::kFloat32) / static_cast<float>(spec.batch))
                           .view({ spec.batch, 1, 1, 1 })
                           .expand({ spec.batch, 3, spec.imageSize, spec.imageSize })
                           .contiguous();
        break;
    }
    case InputSpec::Kind::Noise: {
        torch::manual_seed(spec.seed);
        data->images = torch::randn({ spec.batch, 3, spec.imageSize, spec.imageSize }, torch::kFloat32);
        break;
    }
    case InputSpec::Kind::Cifar10:
        data->images = readCifar(spec, kCifar10);
        data->spec.imageSize = 32;
        break;
    case InputSpec::Kind::Cifar100:
        data->images = readCifar(spec, kCifar100);
        data->spec.imageSize = 32;
        break;
    }
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
