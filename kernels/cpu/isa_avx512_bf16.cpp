// The AVX512-BF16 GEMM microkernel (compiled with -mavx512f -mavx512bw -mavx512bf16; see
// CMakeLists.txt): 12 x 32 tiles of C from pair-interleaved bf16 panels, one vdpbf16ps per
// 16 lanes x 2 k, the layout of bf16_dot.hpp.
#include <immintrin.h>

#include "kernels/cpu/bf16_dot.hpp"

namespace accelbench::cpu_kernels {
namespace {

constexpr int mr = bf16_dot_kernels::mr, nr = bf16_dot_kernels::nr;

void tile(std::int64_t k_pairs, const std::uint16_t* a, const std::uint16_t* b, float* c, std::int64_t ldc,
          bool accumulate) {
  __m512 acc0[mr], acc1[mr];
#pragma GCC unroll 16
  for (int i = 0; i < mr; ++i) {
    acc0[i] = accumulate ? _mm512_loadu_ps(c + i * ldc) : _mm512_setzero_ps();
    acc1[i] = accumulate ? _mm512_loadu_ps(c + i * ldc + 16) : _mm512_setzero_ps();
  }
#pragma GCC unroll 2
  for (std::int64_t p = 0; p < k_pairs; ++p) {
    const auto b0 = reinterpret_cast<__m512bh>(_mm512_loadu_si512(b + p * 2 * nr));
    const auto b1 = reinterpret_cast<__m512bh>(_mm512_loadu_si512(b + p * 2 * nr + 32));
    const std::uint16_t* pair = a + p * 2 * mr;
#pragma GCC unroll 16
    for (int i = 0; i < mr; ++i) {
      // A's pair (kk, kk + 1) of row i in every lane, broadcast straight from memory as one
      // 32-bit element (a broadcast from a general register would compete with vdpbf16ps's port).
      float bits;
      __builtin_memcpy(&bits, pair + 2 * i, sizeof(bits));
      const auto x = reinterpret_cast<__m512bh>(_mm512_set1_ps(bits));
      acc0[i] = _mm512_dpbf16_ps(acc0[i], x, b0);
      acc1[i] = _mm512_dpbf16_ps(acc1[i], x, b1);
    }
  }
#pragma GCC unroll 16
  for (int i = 0; i < mr; ++i) {
    _mm512_storeu_ps(c + i * ldc, acc0[i]);
    _mm512_storeu_ps(c + i * ldc + 16, acc1[i]);
  }
}

}  // namespace

bool avx512_bf16_available() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512bf16");
}

const bf16_dot_kernels& bf16_dot_table() {
  static const bf16_dot_kernels table = [] {
    bf16_dot_kernels t;
    t.tile = tile;
    return t;
  }();
  return table;
}

}  // namespace accelbench::cpu_kernels
