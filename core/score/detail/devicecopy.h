// SPDX-License-Identifier: MIT
// Private to the scoring libraries: how the batched tensor forms hand the host-built parts of a pass (masks, index
// lists, scales) to the device.
#pragma once

#include <torch/torch.h>

namespace epsinas::detail {

/**
 * `host`, a CPU tensor, on `device`. A copy to CUDA from ordinary (pageable) memory first waits for all the work
 * queued on the device; from pinned memory it is queued like a kernel, so the small tensors a pass builds between
 * its kernels do not stall it. The caching host allocator keeps the pinned buffer until the copy has run.
 */
inline torch::Tensor toDevice(const torch::Tensor& host, torch::Device device)
{
    if (!device.is_cuda())
        return host.to(device);
    return host.pin_memory().to(device, /*non_blocking=*/true);
}

} // namespace epsinas::detail
