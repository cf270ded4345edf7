#include "bench/peak/stream_read.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <stdexcept>
#include <vector>

#include "bench/peak/thread_team.hpp"

namespace accelbench {
namespace {

constexpr int runs_per_thread = 8;

struct free_deleter {
  void operator()(double* p) const { std::free(p); }
};

// Four doubles as one value: GCC emits the widest vector adds the build's baseline ISA has.
using four_doubles = double __attribute__((vector_size(32)));

// Sum of `count` doubles read as runs_per_thread equal runs side by side, then the remainder.
double sum_in_runs(const double* data, std::int64_t count) {
  const std::int64_t run = count / runs_per_thread / 4 * 4;
  four_doubles sums[runs_per_thread] = {};
  for (std::int64_t i = 0; i < run; i += 4) {
#pragma GCC unroll 8
    for (int r = 0; r < runs_per_thread; ++r) {
      four_doubles x;
      std::memcpy(&x, data + r * run + i, sizeof x);
      sums[r] += x;
    }
  }
  double total = 0.0;
  for (const four_doubles& s : sums) total += s[0] + s[1] + s[2] + s[3];
  for (std::int64_t i = runs_per_thread * run; i < count; ++i) total += data[i];
  return total;
}

}  // namespace

read_result measure_read(std::int64_t last_level_cache_bytes, int threads, int repeats) {
  constexpr std::int64_t min_bytes = 64ll << 20;  // also when hwloc reports no cache
  const std::int64_t bytes = std::max(4 * last_level_cache_bytes, min_bytes);
  const std::int64_t n = (bytes / 8 + 63) / 64 * 64;
  void* memory = std::aligned_alloc(64, static_cast<std::size_t>(n) * sizeof(double));
  if (memory == nullptr) throw std::bad_alloc();
  const std::unique_ptr<double[], free_deleter> data(static_cast<double*>(memory));
  auto chunk_begin = [&](int i) { return n * i / threads; };
  // First touch by the thread that later reads the chunk (NUMA placement).
  run_team(threads, [&](int i) { std::fill(data.get() + chunk_begin(i), data.get() + chunk_begin(i + 1), 1.0); });
  std::vector<double> sums(static_cast<std::size_t>(threads));
  double best = 0.0;
  for (int r = 0; r < repeats; ++r) {
    const double seconds = run_team(threads, [&](int i) {
      sums[static_cast<std::size_t>(i)] = sum_in_runs(data.get() + chunk_begin(i), chunk_begin(i + 1) - chunk_begin(i));
    });
    // Every element is 1.0, so the sum is exact: a pass that skipped data cannot count.
    double total = 0.0;
    for (double s : sums) total += s;
    if (total != static_cast<double>(n)) throw std::runtime_error("read bandwidth: wrong sum (expected the count)");
    best = std::max(best, 8.0 * static_cast<double>(n) / seconds / 1e9);
  }
  return {best, n * 8, threads, repeats, runs_per_thread};
}

}  // namespace accelbench
