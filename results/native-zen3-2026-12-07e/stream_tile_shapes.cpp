// In-cache throughput of stream-tile shapes on AVX2: rows x (V vectors) register tiles, kc = 32,
// B from a packed pass buffer (kc x cols, blocks of V*8 columns contiguous), A rows lda = kc,
// C compact. One thread; GFLOPS of FMA work.
#include <immintrin.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>
#include <algorithm>
#include <cstdint>
using reg = __m256;
template <int R, int V>
__attribute__((noinline)) void tile(int64_t kc, const float* a, int64_t lda, const float* b, float* c, int64_t ldc) {
  reg acc[R][V];
#pragma GCC unroll 8
  for (int i = 0; i < R; ++i)
#pragma GCC unroll 4
    for (int v = 0; v < V; ++v) acc[i][v] = _mm256_loadu_ps(c + i * ldc + v * 8);
#pragma GCC unroll 2
  for (int64_t k = 0; k < kc; ++k) {
    reg bv[V];
#pragma GCC unroll 4
    for (int v = 0; v < V; ++v) bv[v] = _mm256_loadu_ps(b + k * V * 8 + v * 8);
#pragma GCC unroll 8
    for (int i = 0; i < R; ++i) {
      const reg x = _mm256_broadcast_ss(a + i * lda + k);
#pragma GCC unroll 4
      for (int v = 0; v < V; ++v) acc[i][v] = _mm256_fmadd_ps(x, bv[v], acc[i][v]);
    }
  }
#pragma GCC unroll 8
  for (int i = 0; i < R; ++i)
#pragma GCC unroll 4
    for (int v = 0; v < V; ++v) _mm256_storeu_ps(c + i * ldc + v * 8, acc[i][v]);
}
template <int R, int V>
double run(int64_t m, int64_t cols, int64_t kc, int reps, int64_t passes) {
  const int64_t nrv = V * 8, blocks = cols / nrv, ldc = cols + 16;
  std::vector<float> a(m * kc, 0.5f), b(kc * cols, 0.25f), c(m * ldc, 0.f);
  std::vector<double> t;
  for (int r = 0; r < reps; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    for (int64_t p = 0; p < passes; ++p)
      for (int64_t jb = 0; jb < blocks; ++jb)
        for (int64_t i0 = 0; i0 + R <= m; i0 += R)
          tile<R, V>(kc, a.data() + i0 * kc, kc, b.data() + jb * kc * nrv, c.data() + i0 * ldc + jb * nrv, ldc);
    t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(t.begin(), t.end());
  const double flops = 2.0 * (m / R * R) * (blocks * nrv) * kc * passes;
  return flops / t[t.size() / 2] / 1e9;
}
int main(int argc, char** argv) {
  const int reps = argc > 1 ? atoi(argv[1]) : 21;
  for (int round = 0; round < 3; ++round) {
    printf("6x16 (m=30) %.1f  5x16 (m=30) %.1f  4x24 (m=32) %.1f  3x32 (m=30) %.1f  6x16 kc128 %.1f  4x24 kc128 %.1f GFLOPS\n",
           run<6, 2>(30, 512, 32, reps, 40), run<5, 2>(30, 512, 32, reps, 40), run<4, 3>(32, 528, 32, reps, 40),
           run<3, 4>(30, 512, 32, reps, 40), run<6, 2>(30, 512, 128, reps, 10), run<4, 3>(32, 528, 128, reps, 10));
  }
}
