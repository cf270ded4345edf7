#include "bench/peak/thread_team.hpp"

#include <algorithm>
#include <barrier>
#include <chrono>
#include <thread>

#include "bench/engine/cpu_affinity.hpp"

namespace accelbench {

double run_team(int threads, const std::function<void(int)>& body) {
  using clock = std::chrono::steady_clock;
  threads = std::max(1, threads);
  const std::vector<int> cpus = allowed_cpus();
  std::barrier start(threads + 1);
  // Each thread stamps its own start and finish. The calling thread's clock after the barrier
  // would be late whenever the team fills every CPU: it then waits for a time slice or for a
  // member to finish, and the span shrinks (a 2-CPU machine read 189 GB/s of memory that way).
  std::vector<clock::time_point> started(static_cast<std::size_t>(threads)), finished(started.size());
  std::vector<std::thread> team;
  team.reserve(static_cast<std::size_t>(threads));
  for (int i = 0; i < threads; ++i) {
    team.emplace_back([&, i] {
      if (!cpus.empty()) pin_this_thread(cpus[static_cast<std::size_t>(i) % cpus.size()]);
      start.arrive_and_wait();
      started[static_cast<std::size_t>(i)] = clock::now();
      body(i);
      finished[static_cast<std::size_t>(i)] = clock::now();
    });
  }
  start.arrive_and_wait();
  for (std::thread& t : team) t.join();
  const clock::time_point first = *std::min_element(started.begin(), started.end());
  const clock::time_point last = *std::max_element(finished.begin(), finished.end());
  return std::chrono::duration<double>(last - first).count();
}

}  // namespace accelbench
