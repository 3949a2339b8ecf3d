// SPDX-License-Identifier: MIT
// Private to the NB101 space: the batched tensor form of the width-collapsed network (tensornetwork.cpp).
#pragma once

#include "score/detail/torchsupport.h"
#include "spaces/nb101/spec.h"

namespace epsinas::detail {

/**
 * The collapsed NB101 network of fast.cpp for many specs in one pass, on any LibTorch device: tensors are
 * [K specs, B samples, S, S], one per vertex slot (a spec's vertex t sits in slot t, its output vertex apart), and
 * what differs between specs (edges, ops, channel counts) is a per-spec mask or scale. It computes what the plain
 * loops compute, operation for operation in the same order and precision (BN statistics in double, x * alpha + beta
 * in the evaluation precision), so the two agree to the last bits; it runs on CUDA and, through
 * FastBackend::Tensors, on the CPU, where it is tested.
 */
class Nb101TensorNetwork {
public:
    /** `stem`: one channel of the stem's output for weight w, [B, S, S], on the device and in the precision wanted. */
    Nb101TensorNetwork(torch::Tensor stem, double w);

    /** The logits [K, B] of valid, pruned specs, on the stem's device. */
    torch::Tensor forward(const std::vector<nb101::Spec>& specs) const;

private:
    torch::Tensor m_stem;
    double m_w;
};

} // namespace epsinas::detail
