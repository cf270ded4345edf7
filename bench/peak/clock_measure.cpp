#include "bench/peak/clock_measure.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <vector>

#include <fmt/format.h>

#include "bench/peak/thread_team.hpp"

namespace accelbench {
namespace {

#define ACCELBENCH_ADD8(op) op op op op op op op op
#if defined(__x86_64__)
#define ACCELBENCH_ADD1 "add %1, %0\n\t"
#elif defined(__aarch64__)
#define ACCELBENCH_ADD1 "add %0, %0, %1\n\t"
#endif

// 64 dependent adds per call: each needs the previous result, so 1 cycle each. The addend is a
// register, not an immediate: Intel's Golden Cove and later cores fold chains of add-immediate
// in the renamer (measured 15-16 adds per ns on a 2.8 GHz Emerald Rapids, 2026-12-01), which
// made this clock read 15 GHz; register adds still take one cycle each.
inline std::uint64_t add_chain_64(std::uint64_t x, std::uint64_t addend) {
#ifdef ACCELBENCH_ADD1
  asm volatile(ACCELBENCH_ADD8(ACCELBENCH_ADD8(ACCELBENCH_ADD1)) : "+r"(x) : "r"(addend));
#endif
  return x;
}

}  // namespace

double measure_clock_one_thread(double seconds) {
#ifndef ACCELBENCH_ADD1
  (void)seconds;
  return 0.0;
#else
  using clock = std::chrono::steady_clock;
  constexpr std::int64_t block = 1 << 14;  // calls of 64 adds between clock reads
  double best = 0.0;
  const auto end = clock::now() + std::chrono::duration<double>(seconds);
  std::uint64_t x = 0;
  const volatile std::uint64_t one = 1;  // not a constant the compiler could fold into the asm
  const std::uint64_t addend = one;
  while (clock::now() < end) {
    const auto t0 = clock::now();
    for (std::int64_t i = 0; i < block; ++i) x = add_chain_64(x, addend);
    const double elapsed = std::chrono::duration<double>(clock::now() - t0).count();
    best = std::max(best, static_cast<double>(block * 64) / elapsed / 1e9);  // fastest block: least interference
  }
  return x == 0 ? 0.0 : best;
#endif
}

clock_estimate estimate_clock(int threads) {
  clock_estimate c;
  std::ifstream max_freq("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq");
  double khz = 0;
  if (max_freq >> khz && khz > 0) c.cpufreq_max_ghz = khz / 1e6;
  std::vector<double> per_thread(static_cast<std::size_t>(std::max(1, threads)), 0.0);
  run_team(threads, [&](int i) { per_thread[static_cast<std::size_t>(i)] = measure_clock_one_thread(0.25); });
  std::sort(per_thread.begin(), per_thread.end());
  if (per_thread[per_thread.size() / 2] > 0) c.measured_ghz = per_thread[per_thread.size() / 2];
  if (c.cpufreq_max_ghz) {
    c.ghz = *c.cpufreq_max_ghz;
    c.source = fmt::format("/sys cpufreq cpuinfo_max_freq (max boost; measured under load on {} threads: {})", threads,
                           c.measured_ghz ? fmt::format("{:.3f} GHz", *c.measured_ghz) : std::string("n/a"));
  } else if (c.measured_ghz) {
    c.ghz = *c.measured_ghz;
    c.source = fmt::format(
        "measured: dependent-add chain (1 add/cycle) on all {} threads at once, median of threads, "
        "fastest 1M-add block (no /sys cpufreq on this machine)",
        threads);
  } else {
    c.source = "unknown: no /sys cpufreq and no add-chain timer for this architecture";
  }
  return c;
}

}  // namespace accelbench
