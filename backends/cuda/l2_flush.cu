#include "backends/cuda/l2_flush.hpp"

#include <stdexcept>
#include <string>

namespace accelbench::cuda {
namespace {

constexpr int flush_blocks = 1024, flush_threads = 256;

__global__ void flush_read_kernel(const unsigned* buffer, std::size_t words, unsigned* sink) {
  const std::size_t first = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x;
  unsigned value = flush_read_share(buffer, words, first, static_cast<std::size_t>(gridDim.x) * blockDim.x);
  for (int offset = 16; offset > 0; offset /= 2) value ^= __shfl_xor_sync(0xffffffffu, value, offset);
  if (threadIdx.x % 32 == 0) atomicXor(sink, value);  // one atomic per warp
}

}  // namespace

void launch_flush_read(const void* buffer, std::size_t bytes, unsigned* sink, cudaStream_t stream) {
  const std::size_t words = bytes / sizeof(unsigned);
  if (words == 0) return;
  flush_read_kernel<<<flush_blocks, flush_threads, 0, stream>>>(static_cast<const unsigned*>(buffer), words, sink);
  const cudaError_t status = cudaGetLastError();
  if (status != cudaSuccess) {
    throw std::runtime_error(std::string("l2_flush_read launch: ") + cudaGetErrorName(status) + ": " +
                             cudaGetErrorString(status));
  }
}

}  // namespace accelbench::cuda
