// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace epsinas {

/**
 * The signal after one layer (or cell) of a network, for each constant weight: max |x| and mean |x| over the whole
 * output tensor of that layer for the whole input batch, and whether that tensor is exactly 0 everywhere.
 */
struct LayerSignal {
    /** The layer as a teacher reads it: "stem", "cell 3", "reduction 1", "classifier"... */
    std::string name;
    double lowMaxAbs = 0, lowMeanAbs = 0, highMaxAbs = 0, highMeanAbs = 0;
    bool lowAllZero = false, highAllZero = false;
};

/**
 * How the signal travels through one architecture's network at w_lo and at w_hi, input to output: this is where
 * the float32 underflow that makes a score NaN becomes visible (the w_lo signal becomes exactly 0 at a named layer).
 * The last layer is the output the score takes (algorithm §1.4).
 */
struct SignalFlow {
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);
    std::vector<LayerSignal> layers;

    /** Index of the first layer whose w_lo signal is exactly 0 everywhere, or npos. */
    std::size_t firstLowZero() const
    {
        for (std::size_t i = 0; i < layers.size(); ++i)
            if (layers[i].lowAllZero)
                return i;
        return npos;
    }
    /** The same for w_hi. */
    std::size_t firstHighZero() const
    {
        for (std::size_t i = 0; i < layers.size(); ++i)
            if (layers[i].highAllZero)
                return i;
        return npos;
    }
};

} // namespace epsinas
