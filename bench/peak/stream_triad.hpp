#pragma once
// STREAM-style triad a[i] = b[i] + s * c[i] on all threads, each array at least 4x the last-level
// cache so no pass is served from cache; best of `repeats` passes. Bytes counted the STREAM way:
// 3 x 8 bytes per element (write-allocate traffic not counted).
#include <cstdint>

namespace accelbench {

struct triad_result {
  double best_gbps = 0.0;
  std::int64_t array_bytes = 0;
  int threads = 0, repeats = 0;
};

triad_result measure_triad(std::int64_t last_level_cache_bytes, int threads, int repeats);

}  // namespace accelbench
