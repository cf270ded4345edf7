#include "bench/peak/stream_read.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "bench/peak/stream_arrays.hpp"
#include "bench/peak/thread_team.hpp"

namespace accelbench {
namespace {

constexpr int runs_per_thread = 8;

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
  const std::int64_t n = stream_array_elements(last_level_cache_bytes);
  const stream_array data = allocate_stream_array(n);
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
