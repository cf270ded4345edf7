#include "bench/peak/stream_triad.hpp"

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <stdexcept>

#include "bench/peak/thread_team.hpp"

namespace accelbench {
namespace {

struct free_deleter {
  void operator()(double* p) const { std::free(p); }
};
using array = std::unique_ptr<double[], free_deleter>;

array allocate(std::int64_t count) {
  void* p = std::aligned_alloc(64, static_cast<std::size_t>(count) * sizeof(double));
  if (p == nullptr) throw std::bad_alloc();
  return array(static_cast<double*>(p));
}

}  // namespace

triad_result measure_triad(std::int64_t last_level_cache_bytes, int threads, int repeats) {
  constexpr std::int64_t min_bytes = 64ll << 20;  // also when hwloc reports no cache
  const std::int64_t bytes = std::max(4 * last_level_cache_bytes, min_bytes);
  const std::int64_t n = (bytes / 8 + 63) / 64 * 64;
  array a = allocate(n), b = allocate(n), c = allocate(n);
  auto chunk = [&](int i, std::int64_t& begin, std::int64_t& end) {
    begin = n * i / threads;
    end = n * (i + 1) / threads;
  };
  // First touch by the thread that later streams the chunk (NUMA placement).
  run_team(threads, [&](int i) {
    std::int64_t begin = 0, end = 0;
    chunk(i, begin, end);
    for (std::int64_t j = begin; j < end; ++j) {
      a[j] = 0.0;
      b[j] = 1.0;
      c[j] = 2.0;
    }
  });
  const double scalar = 3.0;
  double best = 0.0;
  for (int r = 0; r < repeats; ++r) {
    const double seconds = run_team(threads, [&](int i) {
      std::int64_t begin = 0, end = 0;
      chunk(i, begin, end);
      double* __restrict pa = a.get();
      const double* __restrict pb = b.get();
      const double* __restrict pc = c.get();
      for (std::int64_t j = begin; j < end; ++j) pa[j] = pb[j] + scalar * pc[j];
    });
    best = std::max(best, 3.0 * 8.0 * static_cast<double>(n) / seconds / 1e9);
  }
  if (a[n / 2] != 7.0) throw std::runtime_error("stream triad: wrong result (a[i] != b[i] + 3 c[i])");
  return {best, n * 8, threads, repeats};
}

}  // namespace accelbench
