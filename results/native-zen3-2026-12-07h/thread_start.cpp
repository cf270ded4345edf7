// Cost of starting and joining N writer threads that do nothing (what host_cache_flusher::flush
// pays per cold sample beyond the writes themselves). g++ -O2 -std=c++20 -pthread thread_start.cpp -o spawn
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>
int main(int argc, char** argv) {
  const int n = atoi(argv[1]);
  std::vector<double> t;
  for (int rep = 0; rep < 200; ++rep) {
    auto t0 = std::chrono::steady_clock::now();
    std::vector<std::thread> w;
    w.reserve(n);
    for (int i = 0; i < n; ++i) w.emplace_back([] {});
    for (auto& x : w) x.join();
    t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(t.begin(), t.end());
  printf("%d threads: median %.1f us, q1 %.1f us\n", n, t[t.size() / 2] * 1e6, t[t.size() / 4] * 1e6);
}
