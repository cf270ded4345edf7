// The cost of pinning this thread to CPU 0 (pthread_setaffinity_np) and restoring its mask, 100 times:
// SLEEP=1 sleeps 5 ms before each, BUSY=US spins US microseconds after the sleep, PREPIN=1 pins
// and restores once just before. Prints the median of each (docs/performance.md, 2026-12-07).
#include <pthread.h>
#include <sched.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>
#include <algorithm>
using clk = std::chrono::steady_clock;
int main() {
  std::vector<double> a, b, c;
  for (int i = 0; i < 100; ++i) {
    if (getenv("SLEEP")) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    if (getenv("BUSY")) { auto u = clk::now() + std::chrono::microseconds(atoi(getenv("BUSY"))); while (clk::now() < u) {} }
    if (getenv("PREPIN")) { cpu_set_t s2, o2; CPU_ZERO(&o2); CPU_SET(0, &o2); sched_getaffinity(0, sizeof s2, &s2); pthread_setaffinity_np(pthread_self(), sizeof o2, &o2); sched_setaffinity(0, sizeof s2, &s2); }
    cpu_set_t saved, one; CPU_ZERO(&one); CPU_SET(0, &one);
    int cpu0 = sched_getcpu();
    auto t0 = clk::now();
    sched_getaffinity(0, sizeof saved, &saved);
    auto t1 = clk::now();
    pthread_setaffinity_np(pthread_self(), sizeof one, &one);
    auto t2 = clk::now();
    sched_setaffinity(0, sizeof saved, &saved);
    auto t3 = clk::now();
    a.push_back(std::chrono::duration<double, std::micro>(t2 - t1).count() + (cpu0 == 0 ? 0 : 100000));
    b.push_back(std::chrono::duration<double, std::micro>(t3 - t2).count());
  }
  std::sort(a.begin(), a.end()); std::sort(b.begin(), b.end());
  int moved = 0; for (double x : a) moved += x > 50000;
  std::printf("pin median %.1f us (moved %d of 100), restore median %.1f us\n", a[50], moved, b[50]);
}
