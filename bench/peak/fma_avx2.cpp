// Compiled with -mavx2 -mfma (bench/CMakeLists.txt); called only when the CPU has both.
#include <immintrin.h>

#include "bench/peak/fma_kernels.hpp"

namespace accelbench {

double fma_avx2_f32(std::int64_t iterations) {
  __m256 acc[fma_avx2_chains];
  for (int i = 0; i < fma_avx2_chains; ++i) acc[i] = _mm256_set1_ps(1.0f + 0.01f * static_cast<float>(i));
  // x = x * a + b with |a| < 1 converges to b / (1 - a): no overflow, no denormals.
  const __m256 a = _mm256_set1_ps(0.999f), b = _mm256_set1_ps(0.001f);
  for (std::int64_t it = 0; it < iterations; ++it) {
#pragma GCC unroll 32  // every chain in its own register, none through memory
    for (int i = 0; i < fma_avx2_chains; ++i) acc[i] = _mm256_fmadd_ps(acc[i], a, b);
  }
  __m256 sum = acc[0];
  for (int i = 1; i < fma_avx2_chains; ++i) sum = _mm256_add_ps(sum, acc[i]);
  alignas(32) float lanes[8];
  _mm256_store_ps(lanes, sum);
  double total = 0;
  for (float v : lanes) total += v;
  return total;
}

double fma_avx2_f64(std::int64_t iterations) {
  __m256d acc[fma_avx2_chains];
  for (int i = 0; i < fma_avx2_chains; ++i) acc[i] = _mm256_set1_pd(1.0 + 0.01 * i);
  const __m256d a = _mm256_set1_pd(0.999), b = _mm256_set1_pd(0.001);
  for (std::int64_t it = 0; it < iterations; ++it) {
#pragma GCC unroll 32  // every chain in its own register, none through memory
    for (int i = 0; i < fma_avx2_chains; ++i) acc[i] = _mm256_fmadd_pd(acc[i], a, b);
  }
  __m256d sum = acc[0];
  for (int i = 1; i < fma_avx2_chains; ++i) sum = _mm256_add_pd(sum, acc[i]);
  alignas(32) double lanes[4];
  _mm256_store_pd(lanes, sum);
  return lanes[0] + lanes[1] + lanes[2] + lanes[3];
}

}  // namespace accelbench
