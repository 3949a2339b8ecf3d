// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace epsinas {

/** Where the one unlabelled minibatch comes from. */
struct InputSpec {
    enum class Kind { Grey, Noise, Cifar10, Cifar100 };
    Kind kind = Kind::Grey;
    /** Noise: torch::manual_seed(seed) then randn on the CPU, as the spec's golden inputs are drawn. */
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
    /** Reads or generates the batch; throws std::runtime_error naming the file and what is wrong with it. */
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
