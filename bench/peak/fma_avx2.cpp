// Compiled with -mavx2 -mfma (bench/peak/CMakeLists.txt); called only when the CPU has both.
#include <immintrin.h>

#include "bench/peak/fma_chains.hpp"
#include "bench/peak/fma_kernels.hpp"

namespace accelbench {
namespace {

struct avx2_f32 {
  using reg = __m256;
  static reg set1(double v) { return _mm256_set1_ps(static_cast<float>(v)); }
  static reg fmadd(reg x, reg a, reg b) { return _mm256_fmadd_ps(x, a, b); }
  static reg add(reg x, reg y) { return _mm256_add_ps(x, y); }
  static double sum(reg x) {
    alignas(32) float lanes[8];
    _mm256_store_ps(lanes, x);
    double total = 0;
    for (float v : lanes) total += v;
    return total;
  }
};

struct avx2_f64 {
  using reg = __m256d;
  static reg set1(double v) { return _mm256_set1_pd(v); }
  static reg fmadd(reg x, reg a, reg b) { return _mm256_fmadd_pd(x, a, b); }
  static reg add(reg x, reg y) { return _mm256_add_pd(x, y); }
  static double sum(reg x) {
    alignas(32) double lanes[4];
    _mm256_store_pd(lanes, x);
    return lanes[0] + lanes[1] + lanes[2] + lanes[3];
  }
};

}  // namespace

double fma_avx2_f32(std::int64_t iterations) { return fma_chains<avx2_f32, fma_avx2_chains>(iterations); }
double fma_avx2_f64(std::int64_t iterations) { return fma_chains<avx2_f64, fma_avx2_chains>(iterations); }

}  // namespace accelbench
