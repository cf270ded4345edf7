// AVX2 + FMA microkernels (compiled with -mavx2 -mfma; see CMakeLists.txt). 8 f32 lanes,
// 6 x 16 tiles: 12 accumulators + 2 B vectors + 1 broadcast = 15 of the 16 ymm registers.
#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <utility>

#include "kernels/cpu/exp2_polynomial.hpp"
#include "kernels/cpu/isa_dispatch.hpp"

namespace accelbench::cpu_kernels::avx2_isa {

struct vec {
  using reg = __m256;
  static constexpr int width = 8;
  static constexpr int mr = 6;
  static reg zero() { return _mm256_setzero_ps(); }
  static reg set1(float x) { return _mm256_set1_ps(x); }
  static reg load(const float* p) { return _mm256_loadu_ps(p); }
  static void store(float* p, reg x) { _mm256_storeu_ps(p, x); }
  // The first `count` (1..8) lanes; the rest read as 0 and are never written (vmaskmovps does
  // not touch, or fault on, the masked-off lanes' memory).
  static __m256i first(int count) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(count), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  }
  static reg load_partial(const float* p, int count) { return _mm256_maskload_ps(p, first(count)); }
  static void store_partial(float* p, reg x, int count) { _mm256_maskstore_ps(p, first(count), x); }
  static reg broadcast(const float* p) { return _mm256_broadcast_ss(p); }
  static reg fmadd(reg a, reg b, reg c) { return _mm256_fmadd_ps(a, b, c); }
  static reg add(reg a, reg b) { return _mm256_add_ps(a, b); }
  static reg mul(reg a, reg b) { return _mm256_mul_ps(a, b); }
  static reg max(reg a, reg b) { return _mm256_max_ps(a, b); }
  static float reduce_add(reg x) {
    __m128 r = _mm_add_ps(_mm256_castps256_ps128(x), _mm256_extractf128_ps(x, 1));
    r = _mm_add_ps(r, _mm_movehl_ps(r, r));
    r = _mm_add_ss(r, _mm_movehdup_ps(r));
    return _mm_cvtss_f32(r);
  }
  static float reduce_max(reg x) {
    __m128 r = _mm_max_ps(_mm256_castps256_ps128(x), _mm256_extractf128_ps(x, 1));
    r = _mm_max_ps(r, _mm_movehl_ps(r, r));
    r = _mm_max_ss(r, _mm_movehdup_ps(r));
    return _mm_cvtss_f32(r);
  }
  // bf16 is the top half of an f32: widen 8 values by zero-extending to 32 bits and shifting.
  static reg load_bf16(const std::uint16_t* p) {
    const __m256i wide = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
    return _mm256_castsi256_ps(_mm256_slli_epi32(wide, 16));
  }
  // 2^x for x <= 128: 2^round(x) built in the exponent field times a degree-7 Taylor
  // polynomial of 2^f on [-0.5, 0.5] (relative error < 1e-8 before f32 rounding). x <= -127
  // gives exactly 0, which is how masked and underflowing scores vanish.
  static reg exp2(reg x) {
    x = _mm256_min_ps(_mm256_max_ps(x, _mm256_set1_ps(-127.0f)), _mm256_set1_ps(127.0f));
    const reg n = _mm256_round_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    const reg f = _mm256_sub_ps(x, n);
    const reg p = exp2_fraction<7>(
        f, [](reg a, reg b, reg c) { return _mm256_fmadd_ps(a, b, c); }, [](float c) { return _mm256_set1_ps(c); });
    const __m256i e = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(p, _mm256_castsi256_ps(e));
  }
};

#include "kernels/cpu/isa_kernels_body.inl"

}  // namespace accelbench::cpu_kernels::avx2_isa

namespace accelbench::cpu_kernels {

const isa_kernels& avx2_kernels() {
  static const isa_kernels table = avx2_isa::make_table(isa::avx2, "avx2+fma");
  return table;
}

}  // namespace accelbench::cpu_kernels
