// AVX512-BF16 prefill-attention microkernels (compiled with -mavx512f -mavx512bw -mavx512bf16;
// see CMakeLists.txt and bf16_attention.hpp): 12 x 32 tiles of f32 C from bf16 rows of A and
// pair-interleaved bf16 panels of B, one vdpbf16ps per 16 lanes x 2 k; the softmax step that
// writes bf16 probabilities; the packing of K and V into panels.
#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "kernels/cpu/bf16_attention.hpp"
#include "kernels/cpu/bf16_dot.hpp"
#include "kernels/cpu/exp2_polynomial.hpp"

namespace accelbench::cpu_kernels {
namespace {

constexpr int mr = bf16_attention_kernels::mr, nr = bf16_attention_kernels::nr;

#include "kernels/cpu/bf16_softmax_row.inl"

// Per pair of k: 2 loads of B, 12 broadcasts of A's pair (one 32-bit element, straight from
// memory), 24 vdpbf16ps. The row scale is how the online softmax rescales O while it is loaded.
void tile_rows(std::int64_t k_pairs, const std::uint16_t* a, std::int64_t lda, const std::uint16_t* b, float* c,
               std::int64_t ldc, const float* row_scale, bool accumulate) {
  __m512 acc0[mr], acc1[mr];
#pragma GCC unroll 16
  for (int i = 0; i < mr; ++i) {
    if (accumulate) {
      const __m512 beta = _mm512_set1_ps(row_scale != nullptr ? row_scale[i] : 1.0f);
      acc0[i] = _mm512_mul_ps(beta, _mm512_loadu_ps(c + i * ldc));
      acc1[i] = _mm512_mul_ps(beta, _mm512_loadu_ps(c + i * ldc + 16));
    } else {
      acc0[i] = _mm512_setzero_ps();
      acc1[i] = _mm512_setzero_ps();
    }
  }
#pragma GCC unroll 2
  for (std::int64_t p = 0; p < k_pairs; ++p) {
    const auto b0 = reinterpret_cast<__m512bh>(_mm512_loadu_si512(b + p * 2 * nr));
    const auto b1 = reinterpret_cast<__m512bh>(_mm512_loadu_si512(b + p * 2 * nr + 32));
#pragma GCC unroll 16
    for (int i = 0; i < mr; ++i) {
      float bits;
      std::memcpy(&bits, a + i * lda + 2 * p, sizeof(bits));
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

void pack_panel(const std::uint16_t* src, std::int64_t ld, bool transposed, std::int64_t k_count, std::int64_t k_pad,
                std::int64_t cols, std::uint16_t* panel) {
  // V's rows: the GEMM's row-pair packing (bf16_dot.hpp), one panel.
  if (!transposed) {
    bf16_dot_table().pack_rows(src, ld, k_count, k_pad, cols, panel, k_pad * nr);
    return;
  }
  // K: each column's pair (kk, kk + 1) is 4 adjacent bytes of its row: copy them as one word.
  for (std::int64_t j = 0; j < cols; ++j) {
    const std::uint16_t* row = src + j * ld;
    for (std::int64_t pair = 0; pair < k_count / 2; ++pair) {
      std::uint32_t word;
      std::memcpy(&word, row + 2 * pair, sizeof(word));
      std::memcpy(panel + pair * 2 * nr + j * 2, &word, sizeof(word));
    }
  }
  for (std::int64_t pair = 0; pair < k_count / 2; ++pair)
    std::fill(panel + pair * 2 * nr + cols * 2, panel + (pair + 1) * 2 * nr, std::uint16_t{0});
  // The rest (odd k, padding), element by element; zeros outside the matrix.
  for (std::int64_t kk = k_count / 2 * 2; kk < k_pad; ++kk) {
    std::uint16_t* out = panel + (kk / 2) * 2 * nr + kk % 2;
    for (std::int64_t j = 0; j < nr; ++j) out[j * 2] = kk < k_count && j < cols ? src[j * ld + kk] : 0;
  }
}

}  // namespace

const bf16_attention_kernels& bf16_attention_table() {
  static const bf16_attention_kernels table = [] {
    bf16_attention_kernels t;
    t.tile_rows = tile_rows;
    t.softmax_row = softmax_row;
    t.pack_panel = pack_panel;
    return t;
  }();
  return table;
}

}  // namespace accelbench::cpu_kernels
