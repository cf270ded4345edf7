#include "bench/peak/stream_triad.hpp"

#include <algorithm>
#include <stdexcept>

#include "bench/peak/stream_arrays.hpp"
#include "bench/peak/thread_team.hpp"

namespace accelbench {

triad_result measure_triad(std::int64_t last_level_cache_bytes, int threads, int repeats) {
  const std::int64_t n = stream_array_elements(last_level_cache_bytes);
  const stream_array a = allocate_stream_array(n), b = allocate_stream_array(n), c = allocate_stream_array(n);
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
