#pragma once
// Device memory of a plan, filled on the device's work stream. The work stream is created with
// cudaStreamNonBlocking, so it does not wait for the legacy default stream: a cudaMemcpy or
// cudaMemset there could still be running when tuning or the launch estimate starts. Every
// copy and fill is therefore enqueued on the work stream itself, and waited for once.
#include <cuda_runtime_api.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "accelbench_backend.h"

namespace accelbench::cuda {

struct device_free {
  void operator()(void* p) const {
    if (p != nullptr) cudaFree(p);
  }
};
using device_buffer = std::unique_ptr<void, device_free>;

// cudaMalloc of at least 256 bytes (its pointers are 256-byte aligned). Throws cuda_error.
device_buffer allocate(std::size_t bytes);
// A new device buffer holding `bytes` of `host`, the copy enqueued on `stream`.
device_buffer upload_async(const void* host, std::size_t bytes, cudaStream_t stream);
// Sets `bytes` of `buffer` to `value`, enqueued on `stream`.
void fill_async(void* buffer, std::size_t bytes, int value, cudaStream_t stream);

// A plan's inputs and output: the inputs copied from the host, the output prefilled with
// all-ones bytes (NaN in every float type, -1 in s32: a kernel that writes nothing fails
// verification); both on `stream`, which is synchronized before the constructor returns.
struct plan_buffers {
  plan_buffers(const ab_host_tensor* host_inputs, std::uint32_t count, std::uint64_t output_bytes, cudaStream_t stream);
  std::vector<device_buffer> inputs;
  device_buffer output;
};

}  // namespace accelbench::cuda
