// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace epsinas {

// Images a batch may hold: far above the paper's 256 and a CIFAR file's 10,000, and a bound on what is allocated.
constexpr int kMaxBatchImages = 1 << 16;
// The largest side of synthetic images: 32x32 networks at 32 times their size.
constexpr int kMaxImageSize = 1024;

/** Where the one unlabelled minibatch comes from. */
struct InputSpec {
    enum class Kind { Grey, Noise, Cifar10, Cifar100 };
    Kind kind = Kind::Grey;
    /** Noise: torch::manual_seed(seed) then randn on the CPU, as the golden inputs of algorithm §7 are drawn. */
    std::uint64_t seed = 0;
    /** CIFAR binary file (official format: label byte(s) + 3,072 pixel bytes per record). */
    std::string path;
    /** First record taken from a CIFAR file. */
    std::int64_t offset = 0;
    int batch = 256;
    /** Side of the square synthetic images (grey, noise); CIFAR is always 32. */
    int imageSize = 32;

    /** Parses grey | noise[:SEED] | cifar10:PATH | cifar100:PATH; throws std::invalid_argument. */
    static InputSpec parse(const std::string& text);
    /** The spelling parse() accepts, e.g. "noise:3" or "cifar10:/data/batch.bin". */
    std::string toString() const;
};

/**
 * The loaded batch, [B, 3, S, S] float32 on the CPU, shared read-only by evaluators. Its fingerprint names the
 * source, offset, batch and a hash of the pixel values, so stored scores are only reused for the same input.
 */
class InputBatch {
public:
    /**
     * Reads or generates the batch; throws std::runtime_error naming the file and what is wrong with it, and before
     * allocating when the batch is larger than kMaxBatchImages x kMaxImageSize or than the available memory.
     */
    static InputBatch load(const InputSpec& spec);

    const InputSpec& spec() const;
    int batchSize() const;
    int imageSize() const;
    std::string fingerprint() const;
    /** Pixel values, NCHW order. */
    std::vector<float> values() const;

    struct Data;
    const Data& data() const { return *m_data; }

private:
    std::shared_ptr<const Data> m_data;
};

} // namespace epsinas
