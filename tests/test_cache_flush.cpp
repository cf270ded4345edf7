// The host cache flush before cold-cache samples: every CPU evicts its own caches.
#include <algorithm>

#include <catch2/catch.hpp>

#include "bench/engine/cache_flush.hpp"
#include "bench/engine/cpu_affinity.hpp"

using namespace accelbench;

TEST_CASE("cache flush: one slice per allowed CPU, written from that CPU", "[flush]") {
  const std::int64_t llc = 32ll << 20;
  host_cache_flusher flusher(llc);
  const std::vector<int> cpus = allowed_cpus();
  REQUIRE_FALSE(cpus.empty());
  CHECK(flusher.cpus() == cpus);
  // Together at least twice the last-level cache; each slice at least twice a 2 MiB L2.
  CHECK(flusher.bytes_per_cpu() * static_cast<std::int64_t>(cpus.size()) >= 2 * llc);
  CHECK(flusher.bytes_per_cpu() >= (4ll << 20));
  CHECK(flusher.bytes_per_cpu() % 64 == 0);
  flusher.flush();
  // Each core's private caches see its slice: a flush from the calling thread alone left a
  // multi-threaded backend's inputs warm in the other cores' L2 (docs/methodology.md).
  CHECK(flusher.flushed_from() == cpus);
  flusher.flush();  // again: the writers are started per flush
  CHECK(flusher.flushed_from() == cpus);
}

TEST_CASE("cache flush: the CPUs can be given; an unknown LLC is taken as large", "[flush]") {
  const int first = allowed_cpus().at(0);
  host_cache_flusher one(0, {first});
  CHECK(one.cpus() == std::vector<int>{first});
  CHECK(one.bytes_per_cpu() >= (128ll << 20));  // 2 x an assumed 64 MiB
  one.flush();
  CHECK(one.flushed_from() == std::vector<int>{first});
}
