// AVX512-BF16 dot products (compiled with -mavx512f -mavx512bf16; see CMakeLists.txt), used
// by the bf16 decode path for q.k: vdpbf16ps multiplies pairs of bf16 exactly and accumulates
// in f32, so no widening is needed. Only called when CPUID reports AVX512-BF16; the
// development machine (Zen 3) has none, so this file is compiled there but never run.
#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "cpu/isa_dispatch.hpp"

namespace accelbench::cpu_kernels {

void avx512bf16_scores(const std::uint16_t* q, std::int64_t heads, const std::uint16_t* k, std::int64_t keys,
                       std::int64_t d, float* s, std::int64_t s_stride) {
  const std::int64_t d_vec = d / 32 * 32;  // 32 bf16 = one zmm of 16 pairs
  for (std::int64_t h = 0; h < heads; ++h) {
    const std::uint16_t* qh = q + h * d;
    for (std::int64_t j = 0; j < keys; ++j) {
      const std::uint16_t* kj = k + j * d;
      __m512 acc = _mm512_setzero_ps();
      for (std::int64_t x = 0; x < d_vec; x += 32) {
        const __m512i qa = _mm512_loadu_si512(qh + x);
        const __m512i ka = _mm512_loadu_si512(kj + x);
        acc = _mm512_dpbf16_ps(acc, reinterpret_cast<__m512bh>(qa), reinterpret_cast<__m512bh>(ka));
      }
      float dot = _mm512_reduce_add_ps(acc);
      for (std::int64_t x = d_vec; x < d; ++x) {  // tail: widen exactly (bf16 = high half of f32)
        const std::uint32_t qb = static_cast<std::uint32_t>(qh[x]) << 16, kb = static_cast<std::uint32_t>(kj[x]) << 16;
        float qf, kf;
        std::memcpy(&qf, &qb, sizeof(qf));
        std::memcpy(&kf, &kb, sizeof(kf));
        dot += qf * kf;
      }
      s[h * s_stride + j] = dot;
    }
  }
}

}  // namespace accelbench::cpu_kernels
