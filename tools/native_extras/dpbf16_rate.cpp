// Instruction throughput of vdpbf16ps against vfmadd231ps on this core, the fact that decides
// whether the vdpbf16ps attention and GEMM can beat f32 here: each vdpbf16ps does 64 flops
// (16 lanes x 2 products x 2), each zmm FMA 32, so bf16 wins only where vdpbf16ps issues at more
// than half the FMA rate (the Zen 4: bf16 peak 2x f32). 24 independent accumulator
// chains per loop, the shape of the 12 x 32 microkernels; median of --rounds rounds.
// Compiled with -mavx512f -mavx512bf16 -mfma (CMakeLists.txt); exits 77 where the CPU lacks them.
#include <immintrin.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

constexpr int chains = 24;

template <bool dot>
double nanoseconds_per_instruction(long iterations) {
  __m512 acc[chains];
  for (int i = 0; i < chains; ++i) acc[i] = _mm512_setzero_ps();
  __m512 a = _mm512_set1_ps(0.5f), b = _mm512_set1_ps(1.5f);  // as bf16 pairs: 0 and 0.5 / 1.5
  const auto start = std::chrono::steady_clock::now();
  for (long it = 0; it < iterations; ++it) {
#pragma GCC unroll 32
    for (int i = 0; i < chains; ++i) {
      if constexpr (dot) {
        acc[i] = _mm512_dpbf16_ps(acc[i], reinterpret_cast<__m512bh>(a), reinterpret_cast<__m512bh>(b));
      } else {
        acc[i] = _mm512_fmadd_ps(a, b, acc[i]);
      }
    }
    __asm__ volatile("" : "+v"(a), "+v"(b));  // operands unknown each iteration: nothing hoisted
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  float sink = 0.0f;
  for (const __m512& x : acc) sink += _mm512_reduce_add_ps(x);
  __asm__ volatile("" : : "x"(sink));
  return seconds / (static_cast<double>(iterations) * chains) * 1e9;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = 7;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--rounds" && i + 1 < argc) {
      rounds = std::atoi(argv[++i]);
      if (rounds < 1 || rounds > 1000) {
        std::fprintf(stderr, "--rounds: expected an integer 1..1000, got '%s'\n", argv[i]);
        return 2;
      }
    } else {
      std::fprintf(stderr, "usage: %s [--rounds N]   (N: integer 1..1000, default 7)\n", argv[0]);
      return 2;
    }
  }
  __builtin_cpu_init();
  if (!__builtin_cpu_supports("avx512f") || !__builtin_cpu_supports("avx512bf16")) {
    std::printf("skipped: this CPU lacks AVX-512 F or AVX512-BF16\n");
    return 77;
  }
  constexpr long iterations = 20'000'000;
  std::vector<double> fma, dot;
  for (int r = 0; r < rounds; ++r) {  // interleaved, so load changes hit both alike
    fma.push_back(nanoseconds_per_instruction<false>(iterations));
    dot.push_back(nanoseconds_per_instruction<true>(iterations));
  }
  const double f = median(fma), d = median(dot);
  std::printf("vfmadd231ps zmm: %.3f ns per instruction (32 flops)\n", f);
  std::printf("vdpbf16ps zmm:   %.3f ns per instruction (64 flops)\n", d);
  std::printf("vdpbf16ps / vfmadd231ps time per instruction: %.2f; bf16 flop rate / f32 flop rate: %.2f\n", d / f,
              2.0 * f / d);
  return 0;
}
