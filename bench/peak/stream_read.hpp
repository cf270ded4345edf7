#pragma once
// Read-only memory bandwidth on all threads: the ceiling of kernels that only stream an operand,
// such as a decode-shaped GEMM reading B. The triad writes a third of its traffic (and its
// write-allocate reads are not counted), so a read-bound kernel is set against this figure
// too. Each thread sums its share of one array at least 4x the last-level cache as several
// sequential runs read side by side: one run per thread leaves the memory system idle between
// the prefetcher's requests on some CPUs (Zen 3: about half the rate of four to eight runs).
// Best of `repeats` passes; bytes counted: 8 per element read.
#include <cstdint>

namespace accelbench {

struct read_result {
  double best_gbps = 0.0;
  std::int64_t array_bytes = 0;
  int threads = 0, repeats = 0, runs_per_thread = 0;
};

read_result measure_read(std::int64_t last_level_cache_bytes, int threads, int repeats);

}  // namespace accelbench
