// Masked softmax for the composed attention path: one block per score row, three passes over
// the row (max, sum, write) in f32. Written for correctness and clarity, not speed: the
// composed path is a labelled fallback, not the headline attention number.
#include "backends/cuda/attention_kernels.hpp"

#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <cmath>
#include <stdexcept>
#include <string>

namespace accelbench::cuda {
namespace {

constexpr int block_threads = 256;

template <typename T>
__device__ T from_float(float x);
template <>
__device__ float from_float<float>(float x) {
  return x;
}
template <>
__device__ __nv_bfloat16 from_float<__nv_bfloat16>(float x) {
  return __float2bfloat16(x);
}
template <>
__device__ __half from_float<__half>(float x) {
  return __float2half(x);
}

// Block-wide reduction through warp shuffles; every thread gets the result.
template <bool is_max>
__device__ float block_reduce(float value) {
  __shared__ float partial[block_threads / 32];
  __shared__ float result;
  for (int offset = 16; offset > 0; offset /= 2) {
    const float other = __shfl_xor_sync(0xffffffffu, value, offset);
    value = is_max ? fmaxf(value, other) : value + other;
  }
  const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
  if (lane == 0) partial[warp] = value;
  __syncthreads();
  if (threadIdx.x == 0) {
    float total = partial[0];
    for (int w = 1; w < block_threads / 32; ++w) total = is_max ? fmaxf(total, partial[w]) : total + partial[w];
    result = total;
  }
  __syncthreads();
  return result;
}

template <typename T>
__global__ void __launch_bounds__(block_threads)
    masked_softmax_kernel(const float* scores, T* probs, std::int64_t rows_per_group, std::int64_t row_offset,
                          std::int64_t sq, std::int64_t skv, int causal, float scale) {
  const std::int64_t row = blockIdx.x;
  const float* in = scores + row * skv;
  T* out = probs + row * skv;
  const std::int64_t i = (row_offset + row % rows_per_group) % sq;
  std::int64_t limit = skv;
  if (causal) {
    limit = i + skv - sq + 1;
    limit = limit < 0 ? 0 : (limit > skv ? skv : limit);
  }
  float local_max = -INFINITY;
  for (std::int64_t j = threadIdx.x; j < limit; j += block_threads) local_max = fmaxf(local_max, in[j] * scale);
  const float row_max = block_reduce<true>(local_max);
  float local_sum = 0.0f;
  for (std::int64_t j = threadIdx.x; j < limit; j += block_threads) local_sum += expf(in[j] * scale - row_max);
  const float row_sum = block_reduce<false>(local_sum);
  const float inverse = limit > 0 ? 1.0f / row_sum : 0.0f;
  // Each element is read and written by the same thread, so probs may alias scores (f32).
  for (std::int64_t j = threadIdx.x; j < skv; j += block_threads) {
    out[j] = from_float<T>(j < limit ? expf(in[j] * scale - row_max) * inverse : 0.0f);
  }
}

void check_launch(const char* what) {
  const cudaError_t status = cudaGetLastError();
  if (status != cudaSuccess) {
    throw std::runtime_error(std::string(what) + " launch: " + cudaGetErrorName(status) + ": " +
                             cudaGetErrorString(status));
  }
}

}  // namespace

void launch_masked_softmax(const float* scores, void* probs, prob_type type, std::int64_t rows,
                           std::int64_t rows_per_group, std::int64_t row_offset, std::int64_t sq, std::int64_t skv,
                           bool causal, float scale, cudaStream_t stream) {
  if (rows <= 0) return;
  if (rows > 2147483647ll) throw std::runtime_error("masked_softmax: more than 2^31-1 rows in one launch");
  const dim3 grid(static_cast<unsigned>(rows));
  switch (type) {
    case prob_type::f32:
      masked_softmax_kernel<float><<<grid, block_threads, 0, stream>>>(
          scores, static_cast<float*>(probs), rows_per_group, row_offset, sq, skv, causal ? 1 : 0, scale);
      break;
    case prob_type::bf16:
      masked_softmax_kernel<__nv_bfloat16><<<grid, block_threads, 0, stream>>>(
          scores, static_cast<__nv_bfloat16*>(probs), rows_per_group, row_offset, sq, skv, causal ? 1 : 0, scale);
      break;
    case prob_type::f16:
      masked_softmax_kernel<__half><<<grid, block_threads, 0, stream>>>(
          scores, static_cast<__half*>(probs), rows_per_group, row_offset, sq, skv, causal ? 1 : 0, scale);
      break;
  }
  check_launch("masked_softmax");
}

}  // namespace accelbench::cuda
