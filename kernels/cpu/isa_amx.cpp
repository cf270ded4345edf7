// AMX-BF16 microkernels (compiled with -mamx-tile -mamx-bf16 and AVX-512 BF16/BW; see
// CMakeLists.txt and amx_bf16.hpp). Only called when amx_bf16_available().
//
// Tile registers, one configuration for every call: all eight tiles are 16 rows x 64 bytes.
//   tmm0..3  C: rows 0-15 / 16-31 x columns 0-15 / 16-31 (f32, 16 x 16 each)
//   tmm4, 5  A: rows 0-15 / 16-31, 32 bf16 of k each
//   tmm6, 7  B: the two 16-column VNNI panels, 32 values of k (16 pair rows) each
// so one k step is 4 loads and 4 tdpbf16ps (16 x 16 x 32 multiply-adds each).
#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "kernels/cpu/amx_bf16.hpp"
#include "kernels/cpu/exp2_polynomial.hpp"

namespace accelbench::cpu_kernels {
namespace {

// The 64-byte operand of ldtilecfg (Intel SDM vol. 1, 18.2): palette 1, then the bytes per
// row and rows of each tile register.
struct tile_config {
  std::uint8_t palette = 1;
  std::uint8_t start_row = 0;
  std::uint8_t reserved[14] = {};
  std::uint16_t bytes_per_row[16] = {};
  std::uint8_t rows[16] = {};
};
static_assert(sizeof(tile_config) == 64);

constexpr tile_config all_tiles_16x64() {
  tile_config config;
  for (int t = 0; t < 8; ++t) {
    config.bytes_per_row[t] = 64;
    config.rows[t] = 16;
  }
  return config;
}

// A constant in memory: GCC 12 does not treat ldtilecfg as reading a local's bytes and drops
// the stores that fill one in.
alignas(64) constexpr tile_config tile_configuration = all_tiles_16x64();

void begin() { _tile_loadconfig(&tile_configuration); }

void end() { _tile_release(); }

void tile(std::int64_t k, const std::uint16_t* a, std::int64_t lda, const std::uint16_t* b, std::int64_t panel_stride,
          float* c, std::int64_t ldc, bool accumulate) {
  const std::int64_t c_stride = ldc * 4, a_stride = lda * 2;
  float* c_low = c + 16 * ldc;
  if (accumulate) {
    _tile_loadd(0, c, c_stride);
    _tile_loadd(1, c + 16, c_stride);
    _tile_loadd(2, c_low, c_stride);
    _tile_loadd(3, c_low + 16, c_stride);
  } else {
    _tile_zero(0);
    _tile_zero(1);
    _tile_zero(2);
    _tile_zero(3);
  }
  const std::uint16_t* a_low = a + 16 * lda;
  const std::uint16_t* b1 = b + panel_stride;
  for (std::int64_t kk = 0; kk < k; kk += 32) {
    _tile_loadd(4, a + kk, a_stride);
    _tile_loadd(6, b + kk * 16, 64);  // pair row kk / 2 starts at element (kk / 2) * 32
    _tile_loadd(7, b1 + kk * 16, 64);
    _tile_dpbf16ps(0, 4, 6);
    _tile_dpbf16ps(1, 4, 7);
    _tile_loadd(5, a_low + kk, a_stride);
    _tile_dpbf16ps(2, 5, 6);
    _tile_dpbf16ps(3, 5, 7);
  }
  _tile_stored(0, c, c_stride);
  _tile_stored(1, c + 16, c_stride);
  _tile_stored(2, c_low, c_stride);
  _tile_stored(3, c_low + 16, c_stride);
}

#include "kernels/cpu/bf16_softmax_row.inl"

void pack_panel(const std::uint16_t* src, std::int64_t ld, bool transposed, std::int64_t k_count, std::int64_t k_pad,
                std::int64_t cols, std::uint16_t* panel) {
  std::int64_t kk = 0;
  if (!transposed && cols == 16) {
    // Rows kk and kk + 1 side by side in one zmm, then interleaved 16-bit-wise into pairs.
    const __m512i interleave = _mm512_set_epi16(31, 15, 30, 14, 29, 13, 28, 12, 27, 11, 26, 10, 25, 9, 24, 8, 23, 7, 22,
                                                6, 21, 5, 20, 4, 19, 3, 18, 2, 17, 1, 16, 0);
    for (; kk + 2 <= k_count; kk += 2) {
      const __m256i row0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + kk * ld));
      const __m256i row1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + (kk + 1) * ld));
      const __m512i both = _mm512_inserti64x4(_mm512_castsi256_si512(row0), row1, 1);
      _mm512_storeu_si512(panel + kk * 16, _mm512_permutexvar_epi16(interleave, both));
    }
  } else if (transposed && cols == 16) {
    // Each column's pair (kk, kk + 1) is 4 adjacent bytes of its row: copy them as one word.
    for (std::int64_t j = 0; j < 16; ++j) {
      const std::uint16_t* row = src + j * ld;
      for (std::int64_t pair = 0; pair < k_count / 2; ++pair) {
        std::uint32_t word;
        std::memcpy(&word, row + 2 * pair, sizeof(word));
        std::memcpy(panel + pair * 32 + j * 2, &word, sizeof(word));
      }
    }
    kk = k_count / 2 * 2;
  }
  // The rest (edges, odd k, partial panels), element by element; zeros outside the matrix.
  for (; kk < k_pad; ++kk) {
    std::uint16_t* out = panel + (kk / 2) * 32 + kk % 2;
    for (std::int64_t j = 0; j < 16; ++j) {
      const bool inside = kk < k_count && j < cols;
      out[j * 2] = inside ? (transposed ? src[j * ld + kk] : src[kk * ld + j]) : 0;
    }
  }
}

// Panels [0, panel_count) of a block of B rows (panel p: columns [16p, 16p + 16), at
// panels + p * panel_stride), walked two rows at a time across all the columns, so each row is
// read as one run.
void pack_panels(const std::uint16_t* src, std::int64_t ld, std::int64_t k_count, std::int64_t k_pad, std::int64_t cols,
                 std::int64_t panel_count, std::uint16_t* panels, std::int64_t panel_stride) {
  const __m512i interleave = _mm512_set_epi16(31, 15, 30, 14, 29, 13, 28, 12, 27, 11, 26, 10, 25, 9, 24, 8, 23, 7, 22,
                                              6, 21, 5, 20, 4, 19, 3, 18, 2, 17, 1, 16, 0);
  const std::int64_t full = cols / 16, tail = cols - full * 16;
  const __mmask16 tail_mask = static_cast<__mmask16>((1u << tail) - 1u);
  for (std::int64_t kk = 0; kk < k_pad; kk += 2) {
    const std::uint16_t* row0 = src + kk * ld;
    const std::uint16_t* row1 = row0 + ld;
    const bool has0 = kk < k_count, has1 = kk + 1 < k_count;  // rows past k_count are zeros
    std::uint16_t* out = panels + kk * 16;                    // pair row kk / 2 of every panel
    for (std::int64_t p = 0; p < panel_count; ++p) {
      __m256i low = _mm256_setzero_si256(), high = _mm256_setzero_si256();
      if (p < full) {
        if (has0) low = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(row0 + p * 16));
        if (has1) high = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(row1 + p * 16));
      } else if (p == full && tail > 0) {
        if (has0) low = _mm256_maskz_loadu_epi16(tail_mask, row0 + p * 16);
        if (has1) high = _mm256_maskz_loadu_epi16(tail_mask, row1 + p * 16);
      }
      const __m512i both = _mm512_inserti64x4(_mm512_castsi256_si512(low), high, 1);
      _mm512_storeu_si512(out + p * panel_stride, _mm512_permutexvar_epi16(interleave, both));
    }
  }
}

}  // namespace

const amx_bf16_kernels& amx_kernels() {
  static const amx_bf16_kernels table = [] {
    amx_bf16_kernels t;
    t.begin = begin;
    t.end = end;
    t.tile = tile;
    t.softmax_row = softmax_row;
    t.pack_panel = pack_panel;
    t.pack_panels = pack_panels;
    return t;
  }();
  return table;
}

}  // namespace accelbench::cpu_kernels
