// The masked softmax of hip's composed attention (softmax_kernel.hpp). This file is the kernel's
// source as hiprtc compiles it at run time (embedded as a string at build time), and the host
// test (tests/test_hip_musa.cpp) compiles the same text with shims for the HIP built-ins.
//
// hiprtc predefines the HIP device API (threadIdx, __syncthreads, expf, fmaxf) but no standard
// header, so nothing is included. Shared-memory tree reductions, never warp shuffles: the
// wavefront is 64 wide on GFX9 and Hygon DCUs, 32 on RDNA. f16 through clang's _Float16, bf16
// rounded to nearest even by hand (no hip_bf16.h needed).
#define ABK_THREADS 256

__device__ inline float abk_block_reduce(float value, float* shared, bool take_max) {
  const unsigned t = threadIdx.x;
  shared[t] = value;
  __syncthreads();
  for (unsigned stride = ABK_THREADS / 2; stride > 0; stride /= 2) {
    if (t < stride) shared[t] = take_max ? fmaxf(shared[t], shared[t + stride]) : shared[t] + shared[t + stride];
    __syncthreads();
  }
  const float result = shared[0];
  __syncthreads();
  return result;
}

__device__ inline void abk_store(float* out, long long j, float x) { out[j] = x; }
__device__ inline void abk_store(_Float16* out, long long j, float x) { out[j] = (_Float16)x; }
__device__ inline void abk_store(unsigned short* out, long long j, float x) {
  union { float f; unsigned int u; } bits;
  bits.f = x;
  if ((bits.u & 0x7fffffffu) > 0x7f800000u) { out[j] = 0x7fc0; return; }  // NaN stays NaN
  out[j] = (unsigned short)((bits.u + 0x7fffu + ((bits.u >> 16) & 1u)) >> 16);
}

template <typename T>
__device__ void abk_masked_softmax(const float* scores, T* probs, long long rows_per_group, long long row_offset,
                                   long long sq, long long skv, long long causal, long long window, float scale) {
  __shared__ float shared[ABK_THREADS];
  const long long row = blockIdx.x;
  const float* in = scores + row * skv;
  T* out = probs + row * skv;
  const long long i = (row_offset + row % rows_per_group) % sq;  // the query's position in its head
  long long start = 0, limit = skv;
  if (causal) {
    limit = i + skv - sq + 1;
    limit = limit < 0 ? 0 : (limit > skv ? skv : limit);
    if (window > 0) {
      start = limit - window;
      start = start < 0 ? 0 : start;
    }
  }
  float local = -__builtin_huge_valf();
  for (long long j = start + threadIdx.x; j < limit; j += ABK_THREADS) local = fmaxf(local, in[j] * scale);
  const float row_max = abk_block_reduce(local, shared, true);
  local = 0.0f;
  for (long long j = start + threadIdx.x; j < limit; j += ABK_THREADS) local += expf(in[j] * scale - row_max);
  const float inverse = limit > start ? 1.0f / abk_block_reduce(local, shared, false) : 0.0f;
  // Each element is read and written by the same thread, so f32 probabilities may alias scores.
  for (long long j = threadIdx.x; j < skv; j += ABK_THREADS) {
    abk_store(out, j, j >= start && j < limit ? expf(in[j] * scale - row_max) * inverse : 0.0f);
  }
}

extern "C" __global__ void __launch_bounds__(ABK_THREADS)
accelbench_masked_softmax_f32(const float* scores, float* probs, long long rows_per_group, long long row_offset,
                              long long sq, long long skv, long long causal, long long window, float scale) {
  abk_masked_softmax(scores, probs, rows_per_group, row_offset, sq, skv, causal, window, scale);
}

extern "C" __global__ void __launch_bounds__(ABK_THREADS)
accelbench_masked_softmax_f16(const float* scores, _Float16* probs, long long rows_per_group, long long row_offset,
                              long long sq, long long skv, long long causal, long long window, float scale) {
  abk_masked_softmax(scores, probs, rows_per_group, row_offset, sq, skv, causal, window, scale);
}

extern "C" __global__ void __launch_bounds__(ABK_THREADS)
accelbench_masked_softmax_bf16(const float* scores, unsigned short* probs, long long rows_per_group,
                               long long row_offset, long long sq, long long skv, long long causal, long long window,
                               float scale) {
  abk_masked_softmax(scores, probs, rows_per_group, row_offset, sq, skv, causal, window, scale);
}
