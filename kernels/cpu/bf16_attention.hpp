#pragma once
// AVX512-BF16 prefill-attention microkernels (isa_avx512_bf16_attention.cpp, compiled with
// -mavx512bf16): bf16 attention on CPUs that have vdpbf16ps but no AMX (Zen 4, Cooper Lake).
// Both products of the attention run on vdpbf16ps, which multiplies pairs of bf16 and adds both
// products to one f32 lane:
//   S = Q K^T: A = Q as bf16 rows, B = K packed in panels of nr keys, pairs along d;
//   O += P V:  A = the probabilities P as bf16 rows, B = V packed in panels of nr columns,
//              pairs along the keys.
// Panel layout (pair-interleaved, as bf16_dot.hpp): B(kk, j) = panel[(kk / 2) * 2 * nr + j * 2 + kk % 2].
// A as rows: A(i, kk) = a[i * lda + kk] with lda even, so the pair (kk, kk + 1) of a row is one
// 32-bit word, broadcast to every lane.
#include <cstdint>

namespace accelbench::cpu_kernels {

struct bf16_attention_kernels {
  static constexpr int mr = 12;  // rows of C per call: 24 f32 accumulators of the 32 zmm
  static constexpr int nr = 32;  // columns of C per call (two vectors), and keys / columns per panel

  // C(mr x nr) = beta_i * C + A * B over k_pairs pairs of k, beta_i 0 (accumulate == false),
  // 1 (row_scale == nullptr) or row_scale[i]; C has row stride ldc.
  void (*tile_rows)(std::int64_t k_pairs, const std::uint16_t* a, std::int64_t lda, const std::uint16_t* b, float* c,
                    std::int64_t ldc, const float* row_scale, bool accumulate) = nullptr;

  // The online-softmax step of isa_kernels::softmax_row, writing the probabilities as bf16 for
  // P V (as the AMX path does): p[j] = bf16(2^(c s_j - m_new)) for j < n_valid, 0 up to n_pad.
  // m and l are updated (l sums the f32 probabilities); returns alpha = 2^(m_old - m_new).
  float (*softmax_row)(const float* s, std::uint16_t* p, std::int64_t n_valid, std::int64_t n_pad, float c, float* m,
                       float* l) = nullptr;

  // One panel (k_pad / 2 pair rows x nr columns x 2) from a bf16 matrix, zero outside
  // k_count x cols: B(kk, j) = src[kk * ld + j] (rows: V), or src[j * ld + kk] (transposed: K,
  // whose keys are the columns of K^T). k_pad is even.
  void (*pack_panel)(const std::uint16_t* src, std::int64_t ld, bool transposed, std::int64_t k_count,
                     std::int64_t k_pad, std::int64_t cols, std::uint16_t* panel) = nullptr;
};

// The kernels; call only when avx512_bf16_available() (bf16_dot.hpp).
const bf16_attention_kernels& bf16_attention_table();

}  // namespace accelbench::cpu_kernels
