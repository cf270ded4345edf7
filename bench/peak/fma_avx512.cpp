// Compiled with -mavx512f (bench/CMakeLists.txt); called only when the CPU has avx512f.
// GCC 12 warns inside its own avx512fintrin.h (_mm512_undefined_*); not our code.
#pragma GCC diagnostic ignored "-Wuninitialized"
#include <immintrin.h>

#include "bench/peak/fma_kernels.hpp"

namespace accelbench {

double fma_avx512_f32(std::int64_t iterations) {
  __m512 acc[fma_avx512_chains];
  for (int i = 0; i < fma_avx512_chains; ++i) acc[i] = _mm512_set1_ps(1.0f + 0.01f * static_cast<float>(i));
  const __m512 a = _mm512_set1_ps(0.999f), b = _mm512_set1_ps(0.001f);
  for (std::int64_t it = 0; it < iterations; ++it) {
#pragma GCC unroll 32  // every chain in its own register, none through memory
    for (int i = 0; i < fma_avx512_chains; ++i) acc[i] = _mm512_fmadd_ps(acc[i], a, b);
  }
  __m512 sum = acc[0];
  for (int i = 1; i < fma_avx512_chains; ++i) sum = _mm512_add_ps(sum, acc[i]);
  return _mm512_reduce_add_ps(sum);
}

double fma_avx512_f64(std::int64_t iterations) {
  __m512d acc[fma_avx512_chains];
  for (int i = 0; i < fma_avx512_chains; ++i) acc[i] = _mm512_set1_pd(1.0 + 0.01 * i);
  const __m512d a = _mm512_set1_pd(0.999), b = _mm512_set1_pd(0.001);
  for (std::int64_t it = 0; it < iterations; ++it) {
#pragma GCC unroll 32  // every chain in its own register, none through memory
    for (int i = 0; i < fma_avx512_chains; ++i) acc[i] = _mm512_fmadd_pd(acc[i], a, b);
  }
  __m512d sum = acc[0];
  for (int i = 1; i < fma_avx512_chains; ++i) sum = _mm512_add_pd(sum, acc[i]);
  return _mm512_reduce_add_pd(sum);
}

}  // namespace accelbench
