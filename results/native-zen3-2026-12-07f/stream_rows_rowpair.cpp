// The fifth session's stream_rows_variants.cpp with v_rowpair added (2026-12-07, sixth session).
// Standalone harness (not part of the build): variants of the decode-shaped kernel
// stream_rows (kernels/cpu/isa_kernels_body.inl) on AVX2, 8 rows of f32, one thread, run
// round-robin so host noise hits all alike. Usage: sr KC REPS [N=4096]; B is KC x N.
// g++ -O3 -mavx2 -mfma -o sr stream_rows_variants.cpp
#include <immintrin.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>
#include <algorithm>
#include <cstdint>
#include <functional>
using reg = __m256;
constexpr int w = 8;
#define NOINLINE __attribute__((noinline))

// m0: precomputed broadcasts (spilled), depth D, 1 vector per step
template <int rows, int D>
NOINLINE void v_spill(int64_t cols, int64_t kc, const float* a, int64_t lda, const float* b, int64_t ldb, float* c, int64_t ldc) {
  for (int64_t k = 0; k + D <= kc; k += D) {
    reg x[rows][D];
#pragma GCC unroll 8
    for (int i = 0; i < rows; ++i)
#pragma GCC unroll 16
      for (int q = 0; q < D; ++q) x[i][q] = _mm256_broadcast_ss(a + i * lda + k + q);
    for (int64_t j = 0; j < cols; j += w) {
      reg bq[D];
#pragma GCC unroll 16
      for (int q = 0; q < D; ++q) bq[q] = _mm256_loadu_ps(b + (k + q) * ldb + j);
#pragma GCC unroll 8
      for (int i = 0; i < rows; ++i) {
        reg acc = _mm256_loadu_ps(c + i * ldc + j);
#pragma GCC unroll 16
        for (int q = 0; q < D; ++q) acc = _mm256_fmadd_ps(x[i][q], bq[q], acc);
        _mm256_storeu_ps(c + i * ldc + j, acc);
      }
    }
  }
}
template <int rows, int D>
NOINLINE void v_pf(int64_t cols, int64_t kc, const float* a, int64_t lda, const float* b, int64_t ldb, float* c, int64_t ldc, int64_t pf) {
  for (int64_t k = 0; k + D <= kc; k += D) {
    reg x[rows][D];
#pragma GCC unroll 8
    for (int i = 0; i < rows; ++i)
#pragma GCC unroll 16
      for (int q = 0; q < D; ++q) x[i][q] = _mm256_broadcast_ss(a + i * lda + k + q);
    for (int64_t j = 0; j < cols; j += w) {
      reg bq[D];
      if ((j & 15) == 0)
#pragma GCC unroll 16
      for (int q = 0; q < D; ++q) __builtin_prefetch(b + (k + q) * ldb + j + pf);
#pragma GCC unroll 16
      for (int q = 0; q < D; ++q) bq[q] = _mm256_loadu_ps(b + (k + q) * ldb + j);
#pragma GCC unroll 8
      for (int i = 0; i < rows; ++i) {
        reg acc = _mm256_loadu_ps(c + i * ldc + j);
#pragma GCC unroll 16
        for (int q = 0; q < D; ++q) acc = _mm256_fmadd_ps(x[i][q], bq[q], acc);
        _mm256_storeu_ps(c + i * ldc + j, acc);
      }
    }
  }
}
template <int rows, int D>
NOINLINE void v_pair(int64_t cols, int64_t kc, const float* a, int64_t lda, const float* b, int64_t ldb, float* c, int64_t ldc) {
  for (int64_t k = 0; k + D <= kc; k += D) {
    alignas(64) float x[rows][D];
    for (int i = 0; i < rows; ++i)
      for (int q = 0; q < D; ++q) x[i][q] = a[i * lda + k + q];
    for (int64_t j = 0; j < cols; j += 2 * w) {
      const float* xs = &x[0][0];
      asm("" : "+r"(xs));
      reg b0[D], b1[D];
#pragma GCC unroll 16
      for (int q = 0; q < D; ++q) {
        b0[q] = _mm256_loadu_ps(b + (k + q) * ldb + j);
        b1[q] = _mm256_loadu_ps(b + (k + q) * ldb + j + w);
      }
#pragma GCC unroll 8
      for (int i = 0; i < rows; ++i) {
        reg acc0 = _mm256_loadu_ps(c + i * ldc + j), acc1 = _mm256_loadu_ps(c + i * ldc + j + w);
#pragma GCC unroll 16
        for (int q = 0; q < D; ++q) {
          const reg xq = _mm256_broadcast_ss(xs + i * D + q);
          acc0 = _mm256_fmadd_ps(xq, b0[q], acc0);
          acc1 = _mm256_fmadd_ps(xq, b1[q], acc1);
        }
        _mm256_storeu_ps(c + i * ldc + j, acc0);
        _mm256_storeu_ps(c + i * ldc + j + w, acc1);
      }
    }
  }
}
template <int rows, int D>
NOINLINE void v_bc(int64_t cols, int64_t kc, const float* a, int64_t lda, const float* b, int64_t ldb, float* c, int64_t ldc) {
  for (int64_t k = 0; k + D <= kc; k += D) {
    alignas(64) float x[rows][D];
    for (int i = 0; i < rows; ++i)
      for (int q = 0; q < D; ++q) x[i][q] = a[i * lda + k + q];
    for (int64_t j = 0; j < cols; j += w) {
      const float* xs = &x[0][0];
      asm("" : "+r"(xs));
      reg b0[D];
#pragma GCC unroll 16
      for (int q = 0; q < D; ++q) b0[q] = _mm256_loadu_ps(b + (k + q) * ldb + j);
#pragma GCC unroll 8
      for (int i = 0; i < rows; ++i) {
        reg acc0 = _mm256_loadu_ps(c + i * ldc + j);
#pragma GCC unroll 16
        for (int q = 0; q < D; ++q) acc0 = _mm256_fmadd_ps(_mm256_broadcast_ss(xs + i * D + q), b0[q], acc0);
        _mm256_storeu_ps(c + i * ldc + j, acc0);
      }
    }
  }
}
template <int rows, int D>
NOINLINE void v_pairspill(int64_t cols, int64_t kc, const float* a, int64_t lda, const float* b, int64_t ldb, float* c, int64_t ldc) {
  for (int64_t k = 0; k + D <= kc; k += D) {
    reg x[rows][D];
#pragma GCC unroll 8
    for (int i = 0; i < rows; ++i)
#pragma GCC unroll 16
      for (int q = 0; q < D; ++q) x[i][q] = _mm256_broadcast_ss(a + i * lda + k + q);
    for (int64_t j = 0; j < cols; j += 2 * w) {
      reg b0[D], b1[D];
#pragma GCC unroll 16
      for (int q = 0; q < D; ++q) {
        b0[q] = _mm256_loadu_ps(b + (k + q) * ldb + j);
        b1[q] = _mm256_loadu_ps(b + (k + q) * ldb + j + w);
      }
#pragma GCC unroll 8
      for (int i = 0; i < rows; ++i) {
        reg acc0 = _mm256_loadu_ps(c + i * ldc + j), acc1 = _mm256_loadu_ps(c + i * ldc + j + w);
#pragma GCC unroll 16
        for (int q = 0; q < D; ++q) {
          const reg xq = x[i][q];
          acc0 = _mm256_fmadd_ps(xq, b0[q], acc0);
          acc1 = _mm256_fmadd_ps(xq, b1[q], acc1);
        }
        _mm256_storeu_ps(c + i * ldc + j, acc0);
        _mm256_storeu_ps(c + i * ldc + j + w, acc1);
      }
    }
  }
}
// register tile: C panel of P columns (P/8 vectors) x rows kept... rows x 1 vec acc in regs over D k
// panel approach: for a column panel of width P, all k rows, C panel in L1.
template <int rows, int D>
NOINLINE void v_panel(int64_t cols, int64_t kc, const float* a, int64_t lda, const float* b, int64_t ldb, float* c, int64_t ldc, int64_t P) {
  for (int64_t j0 = 0; j0 < cols; j0 += P)
    v_spill<rows, D>(P, kc, a, lda, b + j0, ldb, c + j0, ldc);
}
// register-resident accumulators: 8 rows x 1 vec (8 acc), per k: 1 B load + 8 broadcasts. Column block strided walk.
template <int rows>
NOINLINE void v_regtile(int64_t cols, int64_t kc, const float* a, int64_t lda, const float* b, int64_t ldb, float* c, int64_t ldc, int64_t KB) {
  // A copied contiguous: xa[k][i]
  std::vector<float> xa(KB * rows);
  for (int64_t k0 = 0; k0 < kc; k0 += KB) {
    for (int64_t k = 0; k < KB; ++k) for (int i = 0; i < rows; ++i) xa[k * rows + i] = a[i * lda + k0 + k];
    const float* xs = xa.data();
    for (int64_t j = 0; j < cols; j += w) {
      reg acc[rows];
      for (int i = 0; i < rows; ++i) acc[i] = _mm256_loadu_ps(c + i * ldc + j);
      const float* bp = b + k0 * ldb + j;
      for (int64_t k = 0; k < KB; ++k) {
        const reg bk = _mm256_loadu_ps(bp + k * ldb);
#pragma GCC unroll 8
        for (int i = 0; i < rows; ++i) acc[i] = _mm256_fmadd_ps(_mm256_broadcast_ss(xs + k * rows + i), bk, acc[i]);
      }
      for (int i = 0; i < rows; ++i) _mm256_storeu_ps(c + i * ldc + j, acc[i]);
    }
  }
}

// rowpair: broadcasts of a row pair for D k held in 2*D registers; the pass's B rows are read
// once per row pair from the L1 (slabs of S columns keep them there).
template <int rows, int D>
NOINLINE void v_rowpair(int64_t cols, int64_t kc, const float* a, int64_t lda, const float* b, int64_t ldb, float* c, int64_t ldc, int64_t S) {
  for (int64_t j0 = 0; j0 < cols; j0 += S) {
    const int64_t j1 = std::min(cols, j0 + S);
    for (int64_t k = 0; k + D <= kc; k += D) {
      for (int i = 0; i < rows; i += 2) {
        reg x0[D], x1[D];
#pragma GCC unroll 16
        for (int q = 0; q < D; ++q) {
          x0[q] = _mm256_broadcast_ss(a + i * lda + k + q);
          x1[q] = _mm256_broadcast_ss(a + (i + 1) * lda + k + q);
        }
        float* c0 = c + i * ldc;
        float* c1 = c0 + ldc;
        const float* bk = b + k * ldb;
        for (int64_t j = j0; j < j1; j += w) {
          reg acc0 = _mm256_loadu_ps(c0 + j), acc1 = _mm256_loadu_ps(c1 + j);
#pragma GCC unroll 16
          for (int q = 0; q < D; ++q) {
            const reg bq = _mm256_loadu_ps(bk + q * ldb + j);
            acc0 = _mm256_fmadd_ps(x0[q], bq, acc0);
            acc1 = _mm256_fmadd_ps(x1[q], bq, acc1);
          }
          _mm256_storeu_ps(c0 + j, acc0);
          _mm256_storeu_ps(c1 + j, acc1);
        }
      }
    }
  }
}

int main(int argc, char** argv) {
  const int64_t n = argc > 3 ? atol(argv[3]) : 4096, kc = atol(argv[1]);  // B rows
  const int reps = atoi(argv[2]);
  const int64_t ldc = n + 112;
  float* b = (float*)aligned_alloc(64, kc * n * 4);
  float* a = (float*)aligned_alloc(64, 8 * 4096 * 4);
  float* c = (float*)aligned_alloc(64, 8 * ldc * 4 + 4096);
  for (int64_t i = 0; i < kc * n; ++i) b[i] = (i % 7) * 0.1f;
  for (int64_t i = 0; i < 8 * 4096; ++i) a[i] = (i % 5) * 0.1f;
  memset(c, 0, 8 * ldc * 4);
  struct variant { const char* name; std::function<void()> run; };
  const int64_t lda = 4096;
  const std::vector<variant> variants = {
      {"spill4 (main)", [&] { v_spill<8, 4>(n, kc, a, lda, b, n, c, ldc); }},
      {"spill8", [&] { v_spill<8, 8>(n, kc, a, lda, b, n, c, ldc); }},
      {"pair4", [&] { v_pair<8, 4>(n, kc, a, lda, b, n, c, ldc); }},
      {"pair2", [&] { v_pair<8, 2>(n, kc, a, lda, b, n, c, ldc); }},
      {"pairspill4", [&] { v_pairspill<8, 4>(n, kc, a, lda, b, n, c, ldc); }},
      {"bc4", [&] { v_bc<8, 4>(n, kc, a, lda, b, n, c, ldc); }},
      {"panel512x4", [&] { v_panel<8, 4>(n, kc, a, lda, b, n, c, ldc, 512); }},
      {"regtile16", [&] { v_regtile<8>(n, kc, a, lda, b, n, c, ldc, 16); }},
      {"pf512", [&] { v_pf<8, 4>(n, kc, a, lda, b, n, c, ldc, 512); }},
      {"rowpair4 s512", [&] { v_rowpair<8, 4>(n, kc, a, lda, b, n, c, ldc, 512); }},
      {"rowpair6 s512", [&] { v_rowpair<8, 6>(n, kc, a, lda, b, n, c, ldc, 512); }},
      {"rowpair4 s256", [&] { v_rowpair<8, 4>(n, kc, a, lda, b, n, c, ldc, 256); }},
      {"rowpair4 s1024", [&] { v_rowpair<8, 4>(n, kc, a, lda, b, n, c, ldc, 1024); }},
      {"rows1 (B only)", [&] { v_spill<1, 4>(n, kc, a, lda, b, n, c, ldc); }},
      {"rows4", [&] { v_spill<4, 4>(n, kc, a, lda, b, n, c, ldc); }},
  };
  std::vector<std::vector<double>> t(variants.size());
  for (int r = 0; r < reps; ++r)
    for (size_t v = 0; v < variants.size(); ++v) {
      auto t0 = std::chrono::steady_clock::now();
      variants[v].run();
      t[v].push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
  for (size_t v = 0; v < variants.size(); ++v) {
    std::sort(t[v].begin(), t[v].end());
    double med = t[v][t[v].size() / 2];
    printf("%-16s med %.3f ms  B %.1f GB/s\n", variants[v].name, med * 1e3, kc * n * 4 / med / 1e9);
  }
}
