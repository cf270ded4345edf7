// The online-softmax step that turns f32 scores into bf16 probabilities, shared by the bf16
// prefill paths (AMX tiles and vdpbf16ps): included inside an anonymous namespace of a file
// compiled with AVX-512 F/BW and AVX512-BF16 (isa_amx.cpp, isa_avx512_bf16_attention.cpp), as
// isa_kernels_body.inl is, so the copies compiled with different -m flags never merge.
// Requires <immintrin.h>, <algorithm>, <cmath>, <limits> and exp2_polynomial.hpp.

// 2^x for x <= 0 (arguments are c s - m with m the running maximum): 2^round(x) applied by
// vscalefps (exact, underflows to 0 for very negative x) times 2^f, |f| <= 1/2, by its
// degree-5 Taylor polynomial (relative error < 4e-6, far below bf16's 2^-9 rounding; exp2_polynomial.hpp).
inline __m512 exp2_nonpositive(__m512 x) {
  const __m512 n = _mm512_roundscale_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  const __m512 f = _mm512_sub_ps(x, n);
  const __m512 p = exp2_fraction<5>(
      f, [](__m512 a, __m512 b, __m512 c) { return _mm512_fmadd_ps(a, b, c); },
      [](float c) { return _mm512_set1_ps(c); });
  return _mm512_scalef_ps(p, n);
}

inline __mmask16 lanes_below(std::int64_t count) {
  return count >= 16 ? static_cast<__mmask16>(0xffff) : count <= 0 ? 0 : static_cast<__mmask16>((1u << count) - 1);
}

float softmax_row(const float* s, std::uint16_t* p, std::int64_t n_valid, std::int64_t n_pad, float c, float* m,
                  float* l) {
  __m512 vmax = _mm512_set1_ps(-std::numeric_limits<float>::infinity());
  for (std::int64_t j = 0; j < n_valid; j += 16) {
    const __mmask16 valid = lanes_below(n_valid - j);
    vmax = _mm512_mask_max_ps(vmax, valid, vmax, _mm512_maskz_loadu_ps(valid, s + j));
  }
  const float m_old = *m;
  // c > 0, so max(c * s) = c * max(s); a row with nothing valid keeps its maximum.
  const float m_new = n_valid > 0 ? std::max(m_old, _mm512_reduce_max_ps(vmax) * c) : m_old;
  const __m512 vc = _mm512_set1_ps(c), vneg_m = _mm512_set1_ps(-m_new);
  __m512 vsum = _mm512_setzero_ps();
  std::int64_t j = 0;
  // Masked lanes are never loaded (the scores of skipped causal panels were never written).
  const auto probabilities = [&](std::int64_t at) {
    const __mmask16 valid = lanes_below(n_valid - at);
    const __m512 x = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(valid, s + at), vc, vneg_m);
    const __m512 e = _mm512_maskz_mov_ps(valid, exp2_nonpositive(x));
    vsum = _mm512_add_ps(vsum, e);
    return e;
  };
  for (; j + 32 <= n_pad; j += 32) {
    const __m512 low = probabilities(j), high = probabilities(j + 16);
    _mm512_storeu_si512(p + j, reinterpret_cast<__m512i>(_mm512_cvtne2ps_pbh(high, low)));
  }
  for (; j < n_pad; j += 16) {
    const __m256bh half = _mm512_cvtneps_pbh(probabilities(j));
    _mm256_mask_storeu_epi16(p + j, lanes_below(n_pad - j), reinterpret_cast<const __m256i&>(half));
  }
  const float alpha = std::exp2(m_old - m_new);  // m starts at -1e30: alpha underflows to 0
  *m = m_new;
  *l = *l * alpha + _mm512_reduce_add_ps(vsum);
  return alpha;
}
