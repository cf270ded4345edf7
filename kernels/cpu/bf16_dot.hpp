#pragma once
// AVX512-BF16 microkernel (isa_avx512_bf16.cpp, the only file compiled with -mavx512bf16 for
// it): the bf16 GEMM on CPUs that have vdpbf16ps but no AMX (Zen 4, Cooper Lake). vdpbf16ps
// multiplies pairs of bf16 and adds both products to one f32 lane, so both operands are
// packed pair-interleaved along k:
//   A panel of mr rows: A(i, kk) = a[(kk / 2) * 2 * mr + i * 2 + kk % 2],
//   B panel of nr columns: B(kk, j) = b[(kk / 2) * 2 * nr + j * 2 + kk % 2],
// k padded to even with zeros. C is f32 rows.
#include <cstdint>

namespace accelbench::cpu_kernels {

struct bf16_dot_kernels {
  static constexpr int mr = 12;  // rows of C per call: 24 accumulators, as the f32 tile
  static constexpr int nr = 32;  // columns of C per call: two vectors of 16 f32

  // C(mr x nr) = (accumulate ? C : 0) + A * B over k_pairs pairs of k; C has row stride ldc.
  void (*tile)(std::int64_t k_pairs, const std::uint16_t* a, const std::uint16_t* b, float* c, std::int64_t ldc,
               bool accumulate) = nullptr;

  // Decode-shaped products (few rows, B streamed): C(rows x nr) = (accumulate ? C : 0) + A * B
  // for rows 1..mr, A as rows (A(i, kk) = a[i * lda + kk], lda even, so a pair is one 32-bit
  // word), B one panel as above.
  void (*tile_rows)(int rows, std::int64_t k_pairs, const std::uint16_t* a, std::int64_t lda, const std::uint16_t* b,
                    float* c, std::int64_t ldc, bool accumulate) = nullptr;
  // Rows k0 .. k0 + k_count of a row-major bf16 B (row stride ld), columns 0 .. cols, as
  // ceil(cols / nr) panels of k_pad / 2 pairs (k_pad even), panel_stride elements apart; zeros
  // past k_count and past cols. Row pair by row pair, so B is read along its rows.
  void (*pack_rows)(const std::uint16_t* src, std::int64_t ld, std::int64_t k_count, std::int64_t k_pad,
                    std::int64_t cols, std::uint16_t* panels, std::int64_t panel_stride) = nullptr;
};

// Whether this CPU (and OS) runs AVX-512 F/BW and AVX512-BF16.
bool avx512_bf16_available();
// The kernels; call only when avx512_bf16_available().
const bf16_dot_kernels& bf16_dot_table();

}  // namespace accelbench::cpu_kernels
