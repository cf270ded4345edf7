// Standalone (not part of the build): the old single-thread flush against host_cache_flusher, 41 rounds.
// g++ -O2 -std=c++20 -I. -o fl flush_cost.cpp build/release/bench/engine/libaccelbench_engine.a -pthread
// Flush cost: the old single-thread flush (2 x LLC from the caller) against host_cache_flusher.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>
#include "bench/engine/cache_flush.hpp"
int main() {
  const std::int64_t llc = 32ll << 20;
  accelbench::host_cache_flusher f(llc);
  std::vector<std::int64_t> old(2 * llc / 8);
  std::vector<double> a, b;
  for (int r = 0; r < 41; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    volatile std::int64_t* d = old.data();
    for (std::size_t i = 0; i < old.size(); i += 8) d[i] = r;
    auto t1 = std::chrono::steady_clock::now();
    f.flush();
    auto t2 = std::chrono::steady_clock::now();
    a.push_back(std::chrono::duration<double>(t1 - t0).count());
    b.push_back(std::chrono::duration<double>(t2 - t1).count());
  }
  std::sort(a.begin(), a.end()); std::sort(b.begin(), b.end());
  std::printf("old (caller alone, %lld MiB): median %.2f ms; new (%zu CPUs x %lld MiB): median %.2f ms\n",
              (long long)(2 * llc >> 20), a[20] * 1e3, f.cpus().size(), (long long)(f.bytes_per_cpu() >> 20), b[20] * 1e3);
}
