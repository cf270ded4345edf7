#include "tools/native_extras/instruction_rate.hpp"

#include <immintrin.h>

#include <algorithm>
#include <ctime>
#include <vector>

#include <fmt/format.h>

namespace accelbench::native_extras {
namespace {

constexpr int accumulators = 24;  // as many as the 12 x 32 GEMM tiles keep
constexpr long steps = 2'000'000;

// This thread's CPU time: time slices lost to other processes on a shared machine do not count.
double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// Instructions per ns (of this thread's CPU time) of one kind on `accumulators` independent chains.
template <bool dot>
double rate() {
  __m512 acc[accumulators];
#pragma GCC unroll 24  // every accumulator in its own register, none through memory
  for (int i = 0; i < accumulators; ++i) acc[i] = _mm512_set1_ps(1e-3f * static_cast<float>(i));
  const __m512 x = _mm512_set1_ps(1.0001f);
  const __m512 y = _mm512_set1_ps(0.9999f);
  const double t0 = thread_cpu_seconds();
  for (long s = 0; s < steps; ++s) {
#pragma GCC unroll 24
    for (int i = 0; i < accumulators; ++i) {
      if constexpr (dot) {
        acc[i] = _mm512_dpbf16_ps(acc[i], reinterpret_cast<__m512bh>(x), reinterpret_cast<__m512bh>(y));
      } else {
        acc[i] = _mm512_fmadd_ps(x, y, acc[i]);
      }
    }
  }
  const double seconds = thread_cpu_seconds() - t0;
  __m512 sum = acc[0];  // a checksum, so the chains cannot be optimized away
#pragma GCC unroll 24
  for (int i = 1; i < accumulators; ++i) sum = _mm512_add_ps(sum, acc[i]);
  volatile float sink = _mm512_reduce_add_ps(sum);
  (void)sink;
  return static_cast<double>(steps) * accumulators / seconds * 1e-9;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

std::string instruction_rates(int rounds) {
  std::vector<double> fma, dot;
  for (int r = 0; r < rounds; ++r) {  // interleaved: load that drifts hits both alike
    fma.push_back(rate<false>());
    dot.push_back(rate<true>());
  }
  const double f = median(fma), d = median(dot);
  // vfmadd231ps zmm: 16 multiply-adds; vdpbf16ps zmm: 32 (16 lanes x a pair).
  return fmt::format(
      "{{\"rounds\": {}, \"vfmadd231ps_zmm_per_ns\": {:.3f}, \"vdpbf16ps_zmm_per_ns\": {:.3f}, "
      "\"vdpbf16ps_per_vfmadd231ps\": {:.3f}, \"bf16_macs_per_f32_mac\": {:.3f}}}",
      rounds, f, d, d / f, 2 * d / f);
}

}  // namespace accelbench::native_extras
