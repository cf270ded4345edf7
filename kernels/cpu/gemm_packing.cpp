#include "kernels/cpu/gemm_packing.hpp"

#include <emmintrin.h>

#include <cstring>

namespace accelbench::cpu_kernels {
namespace {

inline std::uint32_t load_word(const char* p) {
  std::uint32_t word;
  std::memcpy(&word, p, sizeof(word));
  return word;
}

}  // namespace

void transpose_words(const void* src, std::int64_t src_stride_bytes, std::int64_t rows, std::int64_t cols,
                     std::uint32_t* dst, std::int64_t dst_stride) {
  const char* base = static_cast<const char*>(src);
  const std::int64_t rows4 = rows / 4 * 4, cols4 = cols / 4 * 4;
  for (std::int64_t r = 0; r < rows4; r += 4) {
    const char* s0 = base + r * src_stride_bytes;
    const char* s1 = s0 + src_stride_bytes;
    const char* s2 = s1 + src_stride_bytes;
    const char* s3 = s2 + src_stride_bytes;
    std::int64_t c = 0;
    for (; c < cols4; c += 4) {
      // 4 x 4 words: two rounds of unpacks, as _MM_TRANSPOSE4_PS.
      const __m128i x0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s0 + 4 * c));
      const __m128i x1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s1 + 4 * c));
      const __m128i x2 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s2 + 4 * c));
      const __m128i x3 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s3 + 4 * c));
      const __m128i t0 = _mm_unpacklo_epi32(x0, x1), t1 = _mm_unpackhi_epi32(x0, x1);
      const __m128i t2 = _mm_unpacklo_epi32(x2, x3), t3 = _mm_unpackhi_epi32(x2, x3);
      std::uint32_t* d = dst + c * dst_stride + r;
      _mm_storeu_si128(reinterpret_cast<__m128i*>(d), _mm_unpacklo_epi64(t0, t2));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(d + dst_stride), _mm_unpackhi_epi64(t0, t2));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(d + 2 * dst_stride), _mm_unpacklo_epi64(t1, t3));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(d + 3 * dst_stride), _mm_unpackhi_epi64(t1, t3));
    }
    for (; c < cols; ++c) {
      std::uint32_t* d = dst + c * dst_stride + r;
      d[0] = load_word(s0 + 4 * c);
      d[1] = load_word(s1 + 4 * c);
      d[2] = load_word(s2 + 4 * c);
      d[3] = load_word(s3 + 4 * c);
    }
  }
  for (std::int64_t r = rows4; r < rows; ++r) {
    const char* s = base + r * src_stride_bytes;
    for (std::int64_t c = 0; c < cols; ++c) dst[c * dst_stride + r] = load_word(s + 4 * c);
  }
}

void interleave_pairs(const std::uint16_t* first, const std::uint16_t* second, std::int64_t count, std::uint16_t* dst) {
  std::int64_t j = 0;
  const __m128i zero = _mm_setzero_si128();
  for (; j + 8 <= count; j += 8) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(first + j));
    const __m128i y = second != nullptr ? _mm_loadu_si128(reinterpret_cast<const __m128i*>(second + j)) : zero;
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + 2 * j), _mm_unpacklo_epi16(x, y));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + 2 * j + 8), _mm_unpackhi_epi16(x, y));
  }
  for (; j < count; ++j) {
    dst[2 * j] = first[j];
    dst[2 * j + 1] = second != nullptr ? second[j] : std::uint16_t{0};
  }
}

}  // namespace accelbench::cpu_kernels
