// Compiled with -mavx512f (bench/peak/CMakeLists.txt); called only when the CPU has avx512f.
// GCC 12 warns inside its own avx512fintrin.h (_mm512_undefined_*); not our code.
#pragma GCC diagnostic ignored "-Wuninitialized"
#include <immintrin.h>

#include "bench/peak/fma_chains.hpp"
#include "bench/peak/fma_kernels.hpp"

namespace accelbench {
namespace {

struct avx512_f32 {
  using reg = __m512;
  static reg set1(double v) { return _mm512_set1_ps(static_cast<float>(v)); }
  static reg fmadd(reg x, reg a, reg b) { return _mm512_fmadd_ps(x, a, b); }
  static reg add(reg x, reg y) { return _mm512_add_ps(x, y); }
  static double sum(reg x) { return _mm512_reduce_add_ps(x); }
};

struct avx512_f64 {
  using reg = __m512d;
  static reg set1(double v) { return _mm512_set1_pd(v); }
  static reg fmadd(reg x, reg a, reg b) { return _mm512_fmadd_pd(x, a, b); }
  static reg add(reg x, reg y) { return _mm512_add_pd(x, y); }
  static double sum(reg x) { return _mm512_reduce_add_pd(x); }
};

}  // namespace

double fma_avx512_f32(std::int64_t iterations) { return fma_chains<avx512_f32, fma_avx512_chains>(iterations); }
double fma_avx512_f64(std::int64_t iterations) { return fma_chains<avx512_f64, fma_avx512_chains>(iterations); }

}  // namespace accelbench
