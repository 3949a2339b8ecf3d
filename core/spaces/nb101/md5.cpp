// SPDX-License-Identifier: MIT
// MD5 written from the description in RFC 1321 (sections 3.1-3.5).
#include "spaces/nb101/md5.h"

#include <array>
#include <cmath>
#include <cstdint>

namespace epsinas {

namespace {

// Left-rotation amounts, four per round (RFC 1321 §3.4).
constexpr std::array<int, 16> kShifts { 7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21 };

/** T[i] = floor(2^32 * |sin(i + 1)|), the additive constants of the 64 steps (RFC 1321 §3.4). */
std::array<std::uint32_t, 64> sineTable()
{
    std::array<std::uint32_t, 64> table {};
    for (int i = 0; i < 64; ++i)
        table[i] = static_cast<std::uint32_t>(std::floor(4294967296.0 * std::fabs(std::sin(i + 1.0))));
    return table;
}

std::uint32_t rotateLeft(std::uint32_t x, int n)
{
    return (x << n) | (x >> (32 - n));
}

void processBlock(const unsigned char* block, std::array<std::uint32_t, 4>& state)
{
    static const std::array<std::uint32_t, 64> table = sineTable();
    std::uint32_t words[16];
    for (int i = 0; i < 16; ++i)
        words[i] = std::uint32_t(block[4 * i]) | std::uint32_t(block[4 * i + 1]) << 8
            | std::uint32_t(block[4 * i + 2]) << 16 | std::uint32_t(block[4 * i + 3]) << 24;

    std::uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    for (int step = 0; step < 64; ++step) {
        const int round = step / 16;
        std::uint32_t mixed;
        int word;
        switch (round) {
        case 0:
            mixed = (b & c) | (~b & d);
            word = step;
            break;
        case 1:
            mixed = (b & d) | (c & ~d);
            word = (5 * step + 1) % 16;
            break;
        case 2:
            mixed = b ^ c ^ d;
            word = (3 * step + 5) % 16;
            break;
        default:
            mixed = c ^ (b | ~d);
            word = (7 * step) % 16;
            break;
        }
        const std::uint32_t rotated
            = b + rotateLeft(a + mixed + words[word] + table[step], kShifts[4 * round + step % 4]);
        a = d;
        d = c;
        c = b;
        b = rotated;
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
}

} // namespace

std::string md5Hex(std::string_view bytes)
{
    std::array<std::uint32_t, 4> state { 0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u };
    const std::size_t fullBlocks = bytes.size() / 64;
    const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
    for (std::size_t i = 0; i < fullBlocks; ++i)
        processBlock(data + 64 * i, state);

    // Padding: a 1 bit, zeros up to 56 bytes mod 64, then the message length in bits, little-endian (§3.1, §3.2).
    unsigned char tail[128] = {};
    const std::size_t rest = bytes.size() - 64 * fullBlocks;
    for (std::size_t i = 0; i < rest; ++i)
        tail[i] = data[64 * fullBlocks + i];
    tail[rest] = 0x80;
    const std::size_t tailSize = rest < 56 ? 64 : 128;
    const std::uint64_t bits = static_cast<std::uint64_t>(bytes.size()) * 8;
    for (int i = 0; i < 8; ++i)
        tail[tailSize - 8 + i] = static_cast<unsigned char>(bits >> (8 * i));
    for (std::size_t offset = 0; offset < tailSize; offset += 64)
        processBlock(tail + offset, state);

    static const char kHex[] = "0123456789abcdef";
    std::string digest;
    digest.reserve(32);
    for (std::uint32_t word : state) {
        for (int i = 0; i < 4; ++i) {
            const unsigned byte = (word >> (8 * i)) & 0xffu;
            digest += kHex[byte >> 4];
            digest += kHex[byte & 0xfu];
        }
    }
    return digest;
}

} // namespace epsinas
