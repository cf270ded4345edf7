// Standalone harness (not part of the build), 2026-12-07: read-only rates of access patterns on
// 1 and 2 pinned threads, 64 MiB of f32 in rows of 4096, flushed between passes, thread creation
// timed. g++ -O3 -mavx2 -mfma -pthread -o rd3 read_patterns.cpp && ./rd3
// Read patterns, 2 threads (and 1), each over a contiguous 32 MiB share (rows of 4096 floats):
// seq: one stream; rowsR: R adjacent rows read together (strands 16 KiB apart); farS: S long streams.
#include <immintrin.h>
#include <pthread.h>
#include <sched.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>
#include <algorithm>
#include <functional>
static float sink;
constexpr long row = 4096;
template <int S>
float strands(const float* p, long rows, long spacing_rows, long advance_rows) {
  // groups of S strands: strand s starts at row g*advance + s*spacing; each strand reads one row... repeated
  __m256 a[S];
  for (int s = 0; s < S; ++s) a[s] = _mm256_setzero_ps();
  const long groups = rows / S;
  for (long g = 0; g < groups; ++g) {
    // the rows this group reads: base + s*spacing
    const long base = (spacing_rows == 1) ? g * S : g;  // adjacent rows, or far streams (one row of each per group)
    for (long j = 0; j < row; j += 8) {
#pragma GCC unroll 16
      for (int s = 0; s < S; ++s) a[s] = _mm256_add_ps(a[s], _mm256_load_ps(p + (base + s * spacing_rows) * row + j));
    }
  }
  __m256 t = _mm256_setzero_ps();
  for (int s = 0; s < S; ++s) t = _mm256_add_ps(t, a[s]);
  float f[8]; _mm256_storeu_ps(f, t); return f[0] + f[7];
}
int main() {
  const long n = 16L << 20, rows = n / row;  // 64 MiB, 4096 rows
  float* b = (float*)aligned_alloc(64, n * 4);
  for (long i = 0; i < n; ++i) b[i] = 1.0f;
  float* flush = (float*)aligned_alloc(64, 64 << 20);
  memset(flush, 1, 64 << 20);
  struct v { const char* name; std::function<float(const float*, long)> f; };
  std::vector<v> vs = {
    {"seq (1 stream)", [](const float* p, long r) { return strands<1>(p, r, 1, 1); }},
    {"rows4 adjacent", [](const float* p, long r) { return strands<4>(p, r, 1, 4); }},
    {"rows8 adjacent", [](const float* p, long r) { return strands<8>(p, r, 1, 8); }},
    {"far2", [](const float* p, long r) { return strands<2>(p, r, r / 2, 1); }},
    {"far4", [](const float* p, long r) { return strands<4>(p, r, r / 4, 1); }},
    {"far8", [](const float* p, long r) { return strands<8>(p, r, r / 8, 1); }},
  };
  std::vector<double> t[2][8];
  for (int r = 0; r < 11; ++r)
    for (int threads = 1; threads <= 2; ++threads)
      for (size_t v = 0; v < vs.size(); ++v) {
        sink += strands<1>(flush, rows, 1, 1);
        auto t0 = std::chrono::steady_clock::now();
        std::vector<std::thread> ts;
        for (int th = 0; th < threads; ++th)
          ts.emplace_back([&, th] {
            cpu_set_t s; CPU_ZERO(&s); CPU_SET(th, &s); pthread_setaffinity_np(pthread_self(), sizeof s, &s);
            sink += vs[v].f(b + th * (n / threads), rows / threads);
          });
        for (auto& x : ts) x.join();
        t[threads - 1][v].push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
      }
  for (int th = 0; th < 2; ++th)
    for (size_t v = 0; v < vs.size(); ++v) {
      auto& x = t[th][v]; std::sort(x.begin(), x.end());
      printf("threads %d %-16s median %.1f GB/s  best %.1f\n", th + 1, vs[v].name, n * 4 / x[5] / 1e9, n * 4 / x[0] / 1e9);
    }
}
