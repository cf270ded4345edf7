// AVX-512 (F) microkernels (compiled with -mavx512f -mfma; see CMakeLists.txt). 16 f32
// lanes, 12 x 32 tiles: 24 accumulators + 2 B vectors + 1 broadcast of the 32 zmm registers.
// The same body as the AVX2 file with a different `vec`; the tests run it wherever the CPU
// has AVX-512.
#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <utility>

#include "kernels/cpu/exp2_polynomial.hpp"
#include "kernels/cpu/isa_dispatch.hpp"

namespace accelbench::cpu_kernels::avx512_isa {

struct vec {
  using reg = __m512;
  static constexpr int width = 16;
  static constexpr int mr = 12;
  static reg zero() { return _mm512_setzero_ps(); }
  static reg set1(float x) { return _mm512_set1_ps(x); }
  static reg load(const float* p) { return _mm512_loadu_ps(p); }
  static void store(float* p, reg x) { _mm512_storeu_ps(p, x); }
  // The first `count` (1..16) lanes; the rest read as 0 and are never written.
  static __mmask16 first(int count) { return static_cast<__mmask16>((1u << count) - 1u); }
  static reg load_partial(const float* p, int count) { return _mm512_maskz_loadu_ps(first(count), p); }
  static void store_partial(float* p, reg x, int count) { _mm512_mask_storeu_ps(p, first(count), x); }
  static reg broadcast(const float* p) { return _mm512_set1_ps(*p); }
  static reg fmadd(reg a, reg b, reg c) { return _mm512_fmadd_ps(a, b, c); }
  static reg add(reg a, reg b) { return _mm512_add_ps(a, b); }
  static reg mul(reg a, reg b) { return _mm512_mul_ps(a, b); }
  static reg max(reg a, reg b) { return _mm512_max_ps(a, b); }
  static float reduce_add(reg x) { return _mm512_reduce_add_ps(x); }
  static float reduce_max(reg x) { return _mm512_reduce_max_ps(x); }
  static reg load_bf16(const std::uint16_t* p) {
    const __m512i wide = _mm512_cvtepu16_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
    return _mm512_castsi512_ps(_mm512_slli_epi32(wide, 16));
  }
  // The polynomial of the AVX2 exp2 (see isa_avx2.cpp); 2^n is applied by vscalefps, which
  // underflows to 0 (and overflows to inf) by itself, so no clamping or exponent-field
  // arithmetic is needed. Inputs <= -127 still give (nearly) 0: masked keys vanish.
  static reg exp2(reg x) {
    const reg n = _mm512_roundscale_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    const reg f = _mm512_sub_ps(x, n);
    const reg p = exp2_fraction<7>(
        f, [](reg a, reg b, reg c) { return _mm512_fmadd_ps(a, b, c); }, [](float c) { return _mm512_set1_ps(c); });
    return _mm512_scalef_ps(p, n);
  }
};

#include "kernels/cpu/isa_kernels_body.inl"

}  // namespace accelbench::cpu_kernels::avx512_isa

namespace accelbench::cpu_kernels {

const isa_kernels& avx512_kernels() {
  static const isa_kernels table = avx512_isa::make_table(isa::avx512, "avx512f");
  return table;
}

}  // namespace accelbench::cpu_kernels
