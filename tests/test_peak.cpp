// accelbench peak's measuring parts: the thread team's clock and the read-only bandwidth.
#include <chrono>
#include <vector>

#include <catch2/catch.hpp>

#include "bench/engine/cpu_affinity.hpp"
#include "bench/peak/stream_read.hpp"
#include "bench/peak/thread_team.hpp"

using namespace accelbench;

namespace {

// Spins (never sleeps) until `seconds` have passed on the calling thread's own clock.
void spin_for(double seconds) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < end) {
  }
}

}  // namespace

TEST_CASE("run_team: the span covers every member's work, also when the team fills every CPU", "[peak]") {
  // One spinning member per allowed CPU, and one more: the caller then finds no free CPU after
  // the release, so a span started on its clock would come out short.
  const int threads = static_cast<int>(allowed_cpus().size()) + 1;
  for (int pass = 0; pass < 3; ++pass) {
    const double span = run_team(threads, [](int) { spin_for(0.03); });
    CHECK(span >= 0.03);
    CHECK(span < 5.0);
  }
}

TEST_CASE("read-only bandwidth: the whole array read, its size and method reported", "[peak]") {
  // A 1 MiB "last-level cache" still gets the 64 MiB minimum, so no pass is served from cache.
  const read_result one = measure_read(1 << 20, 1, 2);
  CHECK(one.array_bytes >= (64ll << 20));
  CHECK(one.threads == 1);
  CHECK(one.repeats == 2);
  CHECK(one.runs_per_thread == 8);
  CHECK(one.best_gbps > 0.1);  // measure_read throws when a pass did not sum every element
  const read_result two = measure_read(1 << 20, 2, 1);
  CHECK(two.threads == 2);
  CHECK(two.best_gbps > 0.1);
}
