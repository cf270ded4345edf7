// The stream kernel's depth per call, in the L1: a copy of the f32 stream_tile loop (rows of A
// lda apart, or packed A with mode 1) run over one 512-column slab of C in the row chunks
// m = 32 takes on AVX2 (5, 5, 6, 5, 5, 6), B one 16-column block already in the L1.
// g++ -O2 -mavx2 -mfma -std=c++20 stream_tile_depth.cpp -o std && taskset -c 1 ./std KC MODE [M]
#include <immintrin.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>
#include <cstdint>
using reg = __m256;
template <int rows, bool packedA>
__attribute__((noinline)) void kern(long kc, const float* a, long lda, const float* b, long ldb, float* c, long ldc) {
  reg acc0[rows], acc1[rows];
#pragma GCC unroll 16
  for (int i = 0; i < rows; ++i) { acc0[i] = _mm256_loadu_ps(c + i * ldc); acc1[i] = _mm256_loadu_ps(c + i * ldc + 8); }
#pragma GCC unroll 2
  for (long k = 0; k < kc; ++k) {
    const reg b0 = _mm256_loadu_ps(b + k * ldb), b1 = _mm256_loadu_ps(b + k * ldb + 8);
#pragma GCC unroll 16
    for (int i = 0; i < rows; ++i) {
      const reg x = _mm256_broadcast_ss(packedA ? a + k * rows + i : a + i * lda + k);
      acc0[i] = _mm256_fmadd_ps(x, b0, acc0[i]);
      acc1[i] = _mm256_fmadd_ps(x, b1, acc1[i]);
    }
  }
#pragma GCC unroll 16
  for (int i = 0; i < rows; ++i) { _mm256_storeu_ps(c + i * ldc, acc0[i]); _mm256_storeu_ps(c + i * ldc + 8, acc1[i]); }
}
int main(int argc, char** argv) {
  const long kc = atol(argv[1]); const int mode = atoi(argv[2]); const int m = argc > 3 ? atoi(argv[3]) : 32;
  const int slab = 512, nr = 16, ldc = slab + 16;
  std::vector<float> a(m * kc + 64, 0.5f), b(kc * nr, 0.25f), c(40 * ldc, 0.f);
  const int chunks = (m + 5) / 6;
  double best = 1e9;
  for (int rep = 0; rep < 300; ++rep) {
    auto t0 = std::chrono::steady_clock::now();
    for (int pass = 0; pass < 4096 / kc / 16; ++pass)
      for (int j = 0; j < slab; j += nr)
        for (int ch = 0; ch < chunks; ++ch) {
          int i0 = ch * m / chunks, i1 = (ch + 1) * m / chunks; int r = i1 - i0;
          float* cc = c.data() + i0 * ldc + j;
          if (mode == 0) { if (r == 5) kern<5, false>(kc, a.data() + i0 * kc, kc, b.data(), nr, cc, ldc); else kern<6, false>(kc, a.data() + i0 * kc, kc, b.data(), nr, cc, ldc); }
          else { if (r == 5) kern<5, true>(kc, a.data() + i0 * kc, kc, b.data(), nr, cc, ldc); else kern<6, true>(kc, a.data() + i0 * kc, kc, b.data(), nr, cc, ldc); }
        }
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (s < best) best = s;
  }
  printf("kc %ld mode %d m %d: %.1f GFLOPS\n", kc, mode, m, 2.0 * m * slab * (4096 / kc / 16) * kc / best / 1e9);
}
