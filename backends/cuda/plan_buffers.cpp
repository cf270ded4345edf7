#include "backends/cuda/plan_buffers.hpp"

#include <algorithm>

#include "backends/cuda/cuda_check.hpp"

namespace accelbench::cuda {

device_buffer allocate(std::size_t bytes) {
  void* p = nullptr;
  ACCELBENCH_CHECK_CUDA(cudaMalloc(&p, std::max<std::size_t>(bytes, 256)));
  return device_buffer(p);
}

device_buffer upload_async(const void* host, std::size_t bytes, cudaStream_t stream) {
  device_buffer buffer = allocate(bytes);
  // From pageable memory the call returns once the bytes are staged, so `host` may go away.
  ACCELBENCH_CHECK_CUDA(cudaMemcpyAsync(buffer.get(), host, bytes, cudaMemcpyHostToDevice, stream));
  return buffer;
}

void fill_async(void* buffer, std::size_t bytes, int value, cudaStream_t stream) {
  ACCELBENCH_CHECK_CUDA(cudaMemsetAsync(buffer, value, bytes, stream));
}

plan_buffers::plan_buffers(const ab_host_tensor* host_inputs, std::uint32_t count, std::uint64_t output_bytes,
                           cudaStream_t stream) {
  for (std::uint32_t i = 0; i < count; ++i) {
    inputs.push_back(upload_async(host_inputs[i].data, host_inputs[i].bytes, stream));
  }
  output = allocate(output_bytes);
  fill_async(output.get(), output_bytes, 0xff, stream);
  ACCELBENCH_CHECK_CUDA(cudaStreamSynchronize(stream));
}

}  // namespace accelbench::cuda
