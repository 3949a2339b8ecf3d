// SPDX-License-Identifier: MIT
// Private to core/score: the width-collapsed NB201 network as plain C++ loops for the CPU (no torch).
#pragma once

#include "spaces/nb201/cell.h"

#include <vector>

namespace epsinas::detail {

/**
 * One job of the collapsed CPU network: a canonical cell and one of the constant weights. Each job runs on one
 * thread, start to finish, in buffers that thread keeps: no per-op dispatch or synchronisation, which is what makes
 * a one-channel network fast on a 2-core machine.
 */
struct CollapsedJob {
    nb201::Cell cell;
    int weightIndex = 0; // 0 = w_lo, 1 = w_hi
};

/**
 * The exact width-collapsed TinyNetwork of algorithm §4.1 for one input batch and a pair of weights. Real is float (the
 * reference precision) or double. Denormals are flushed on the worker threads: in the w_lo pass a map that reaches
 * the denormal range shrinks by ~1e-9 per conv and is exactly 0 at the output either way, and in finite cells such
 * values lie ~18 orders below the maps they are added to, so flushing changes no result while avoiding the
 * 100x-slower denormal arithmetic.
 */
template <typename Real> class CollapsedCpuNetwork {
public:
    /**
     * `stemLow`/`stemHigh`: the stem's output (one channel, [B, S, S]) for each weight. The stem is the same for every
     * cell, so the caller computes it once with the reference's own full-width conv and BN.
     */
    CollapsedCpuNetwork(std::vector<Real> stemLow, std::vector<Real> stemHigh, int batch, int imageSize,
        double weightLow, double weightHigh);

    /** Runs the jobs on up to `threads` threads; returns the B logits of each job, in job order. */
    std::vector<std::vector<double>> run(const std::vector<CollapsedJob>& jobs, int threads) const;

private:
    std::vector<double> forward(const CollapsedJob& job, std::vector<std::vector<Real>>& buffers) const;

    int m_batch;
    int m_size;
    double m_weights[2];
    std::vector<Real> m_stem[2]; // stem output per weight: shared by every cell
};

} // namespace epsinas::detail
