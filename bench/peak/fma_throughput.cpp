#include "bench/peak/fma_throughput.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>

#include "bench/peak/fma_kernels.hpp"
#include "bench/peak/thread_team.hpp"
#include "kernels/cpu/amx_bf16.hpp"

namespace accelbench {
namespace {

struct kernel {
  const char* dtype;
  const char* isa;
  int vector_bits;
  double (*run)(std::int64_t);
  std::int64_t flops_per_iteration;
};

fma_measurement measure_kernel(const kernel& k, int threads, double seconds, int repeats) {
  // Calibrate on one thread so each timed pass lasts about `seconds`.
  std::int64_t iterations = 1 << 12;
  for (;;) {
    const auto t0 = std::chrono::steady_clock::now();
    volatile double sink = k.run(iterations);
    (void)sink;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (elapsed > 0.02) {
      iterations = static_cast<std::int64_t>(static_cast<double>(iterations) * seconds / elapsed) + 1;
      break;
    }
    iterations *= 4;
  }
  double best = 0.0;
  std::vector<double> sinks(static_cast<std::size_t>(threads));
  for (int r = 0; r < repeats; ++r) {
    const double wall = run_team(threads, [&](int i) { sinks[static_cast<std::size_t>(i)] = k.run(iterations); });
    const double flops = static_cast<double>(iterations) * static_cast<double>(k.flops_per_iteration) * threads;
    best = std::max(best, flops / wall / 1e12);
  }
  return {k.dtype, k.isa, k.vector_bits, best, threads, seconds};
}

}  // namespace

std::vector<fma_measurement> measure_fma(const cpu_identity& cpu, int threads, double seconds, int repeats) {
  std::vector<kernel> kernels;
#if defined(__x86_64__)
  // The bf16 tile unit's own rate, when there is one: the ceiling for bf16 matmul.
  if (cpu_kernels::amx_bf16_available()) {
    kernels.push_back({"bf16", "amx-bf16", 0, amx_bf16_dot, amx_bf16_flops_per_iteration});
  }
  if (cpu.has("avx512f")) {
    kernels.push_back({"f32", "avx512f", 512, fma_avx512_f32, fma_avx512_chains * 16 * 2});
    kernels.push_back({"f64", "avx512f", 512, fma_avx512_f64, fma_avx512_chains * 8 * 2});
  }
  if (cpu.has("avx2") && cpu.has("fma")) {
    kernels.push_back({"f32", "avx2+fma", 256, fma_avx2_f32, fma_avx2_chains * 8 * 2});
    kernels.push_back({"f64", "avx2+fma", 256, fma_avx2_f64, fma_avx2_chains * 4 * 2});
  }
#else
  (void)cpu;
#endif
  std::vector<fma_measurement> out;
  for (const kernel& k : kernels) out.push_back(measure_kernel(k, threads, seconds, repeats));
  return out;
}

}  // namespace accelbench
