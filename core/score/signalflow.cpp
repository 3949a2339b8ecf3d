// SPDX-License-Identifier: MIT
#include "score/detail/torchsupport.h"

#include <stdexcept>

namespace epsinas::detail {

LayerObserver LayerTrace::observer()
{
    return [this](const std::string& layer, const torch::Tensor& output) {
        const torch::Tensor magnitude = output.detach().abs().to(torch::kFloat64);
        record(
            layer, magnitude.max().item<double>(), magnitude.mean().item<double>(), !output.ne(0).any().item<bool>());
    };
}

void LayerTrace::record(const std::string& layer, double maxAbs, double meanAbs, bool allZero)
{
    m_layers.push_back({ layer, maxAbs, meanAbs, allZero });
}

SignalFlow LayerTrace::combine(const LayerTrace& low, const LayerTrace& high)
{
    if (low.m_layers.size() != high.m_layers.size())
        throw std::logic_error("LayerTrace::combine: the two passes traced different layers");
    SignalFlow flow;
    for (std::size_t i = 0; i < low.m_layers.size(); ++i) {
        const Layer& l = low.m_layers[i];
        const Layer& h = high.m_layers[i];
        if (l.name != h.name)
            throw std::logic_error("LayerTrace::combine: layer '" + l.name + "' against '" + h.name + "'");
        flow.layers.push_back({ l.name, l.maxAbs, l.meanAbs, h.maxAbs, h.meanAbs, l.allZero, h.allZero });
    }
    return flow;
}

} // namespace epsinas::detail
