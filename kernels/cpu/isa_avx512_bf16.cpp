// The AVX512-BF16 GEMM microkernels (compiled with -mavx512f -mavx512bw -mavx512bf16; see
// CMakeLists.txt): up to 12 x 32 tiles of C from pair-interleaved bf16 panels, one vdpbf16ps per
// 16 lanes x 2 k, the layout of bf16_dot.hpp; and the packing of B's rows into those panels for
// decode-shaped products.
#include <immintrin.h>

#include <algorithm>
#include <cstdint>
#include <utility>

#include "kernels/cpu/bf16_dot.hpp"

namespace accelbench::cpu_kernels {
namespace {

constexpr int mr = bf16_dot_kernels::mr, nr = bf16_dot_kernels::nr;
// pack_rows asks for each B row this many rows ahead of the pair it packs (decode-shaped bf16 on
// Zen 5, cold: m = 32 in 0.62x the time without it, m = 16 0.75x; docs/performance.md).
constexpr std::int64_t pack_prefetch_rows = 8;

// C(rows x nr) from A's pairs and one B panel. A packed (packed_a): the pair (kk, kk + 1) of row i
// at a[(kk / 2) * 2 * rows + 2 * i]; else A as rows: at a[i * lda + kk].
template <int rows, bool packed_a>
void dot_tile(std::int64_t k_pairs, const std::uint16_t* a, std::int64_t lda, const std::uint16_t* b, float* c,
              std::int64_t ldc, bool accumulate) {
  __m512 acc0[rows], acc1[rows];
#pragma GCC unroll 16
  for (int i = 0; i < rows; ++i) {
    acc0[i] = accumulate ? _mm512_loadu_ps(c + i * ldc) : _mm512_setzero_ps();
    acc1[i] = accumulate ? _mm512_loadu_ps(c + i * ldc + 16) : _mm512_setzero_ps();
  }
#pragma GCC unroll 2
  for (std::int64_t p = 0; p < k_pairs; ++p) {
    const auto b0 = reinterpret_cast<__m512bh>(_mm512_loadu_si512(b + p * 2 * nr));
    const auto b1 = reinterpret_cast<__m512bh>(_mm512_loadu_si512(b + p * 2 * nr + 32));
#pragma GCC unroll 16
    for (int i = 0; i < rows; ++i) {
      // A's pair (kk, kk + 1) of row i in every lane, broadcast straight from memory as one
      // 32-bit element (a broadcast from a general register would compete with vdpbf16ps's port).
      float bits;
      __builtin_memcpy(&bits, packed_a ? a + p * 2 * rows + 2 * i : a + i * lda + 2 * p, sizeof(bits));
      const auto x = reinterpret_cast<__m512bh>(_mm512_set1_ps(bits));
      acc0[i] = _mm512_dpbf16_ps(acc0[i], x, b0);
      acc1[i] = _mm512_dpbf16_ps(acc1[i], x, b1);
    }
  }
#pragma GCC unroll 16
  for (int i = 0; i < rows; ++i) {
    _mm512_storeu_ps(c + i * ldc, acc0[i]);
    _mm512_storeu_ps(c + i * ldc + 16, acc1[i]);
  }
}

void tile(std::int64_t k_pairs, const std::uint16_t* a, const std::uint16_t* b, float* c, std::int64_t ldc,
          bool accumulate) {
  dot_tile<mr, true>(k_pairs, a, 0, b, c, ldc, accumulate);
}

template <int... r>
void tile_rows_dispatch(int rows, std::int64_t k_pairs, const std::uint16_t* a, std::int64_t lda,
                        const std::uint16_t* b, float* c, std::int64_t ldc, bool accumulate,
                        std::integer_sequence<int, r...>) {
  using fn =
      void (*)(std::int64_t, const std::uint16_t*, std::int64_t, const std::uint16_t*, float*, std::int64_t, bool);
  static constexpr fn table[] = {dot_tile<r + 1, false>...};
  table[rows - 1](k_pairs, a, lda, b, c, ldc, accumulate);
}

void tile_rows(int rows, std::int64_t k_pairs, const std::uint16_t* a, std::int64_t lda, const std::uint16_t* b,
               float* c, std::int64_t ldc, bool accumulate) {
  tile_rows_dispatch(rows, k_pairs, a, lda, b, c, ldc, accumulate, std::make_integer_sequence<int, mr>{});
}

void pack_rows(const std::uint16_t* src, std::int64_t ld, std::int64_t k_count, std::int64_t k_pad, std::int64_t cols,
               std::uint16_t* panels, std::int64_t panel_stride) {
  // Rows kk and kk + 1 (32 bf16 each) interleaved 16-bit-wise: the low 16 columns' pairs, then
  // the high 16 columns' pairs.
  const __m512i low = _mm512_set_epi16(47, 15, 46, 14, 45, 13, 44, 12, 43, 11, 42, 10, 41, 9, 40, 8, 39, 7, 38, 6, 37,
                                       5, 36, 4, 35, 3, 34, 2, 33, 1, 32, 0);
  const __m512i high = _mm512_add_epi16(low, _mm512_set1_epi16(16));
  const auto store_pair = [&](std::uint16_t* out, __m512i r0, __m512i r1) {
    _mm512_storeu_si512(out, _mm512_permutex2var_epi16(r0, low, r1));
    _mm512_storeu_si512(out + 32, _mm512_permutex2var_epi16(r0, high, r1));
  };
  const std::int64_t whole_pairs = k_count / 2, whole_panels = cols / nr;
  // Whole panels, row pair by row pair: B is read along its rows (runs of cols elements), each
  // row asked for pack_prefetch_rows rows ahead (the hardware prefetchers see only short runs).
  for (std::int64_t q = 0; q < whole_pairs; ++q) {
    const std::uint16_t* row0 = src + 2 * q * ld;
    const std::uint16_t* row1 = row0 + ld;
    const bool ask = 2 * q + pack_prefetch_rows + 1 < k_count;
    std::uint16_t* out = panels + q * 2 * nr;
    for (std::int64_t p = 0; p < whole_panels; ++p, out += panel_stride) {
      if (ask) {
        _mm_prefetch(reinterpret_cast<const char*>(row0 + pack_prefetch_rows * ld + p * nr), _MM_HINT_T0);
        _mm_prefetch(reinterpret_cast<const char*>(row1 + pack_prefetch_rows * ld + p * nr), _MM_HINT_T0);
      }
      store_pair(out, _mm512_loadu_si512(row0 + p * nr), _mm512_loadu_si512(row1 + p * nr));
    }
  }
  // An odd last row pairs with zeros; pairs past k_count are zeros; the last, partial panel reads
  // only its first columns.
  for (std::int64_t p = 0; p * nr < cols; ++p) {
    const std::int64_t width = std::min<std::int64_t>(nr, cols - p * nr);
    const __mmask32 cols_mask = static_cast<__mmask32>((std::uint64_t{1} << width) - 1);
    const std::uint16_t* column = src + p * nr;
    std::uint16_t* out = panels + p * panel_stride;
    for (std::int64_t q = p < whole_panels ? whole_pairs : 0; q < k_pad / 2; ++q) {
      const std::int64_t kk = 2 * q;
      const __m512i r0 = kk < k_count ? _mm512_maskz_loadu_epi16(cols_mask, column + kk * ld) : _mm512_setzero_si512();
      const __m512i r1 =
          kk + 1 < k_count ? _mm512_maskz_loadu_epi16(cols_mask, column + (kk + 1) * ld) : _mm512_setzero_si512();
      store_pair(out + q * 2 * nr, r0, r1);
    }
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
    t.tile_rows = tile_rows;
    t.pack_rows = pack_rows;
    return t;
  }();
  return table;
}

}  // namespace accelbench::cpu_kernels
