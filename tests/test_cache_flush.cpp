// The host cache flush before cold-cache samples: every CPU evicts its own caches.
#include <algorithm>

#include <catch2/catch.hpp>

#include "bench/engine/cache_flush.hpp"
#include "bench/engine/cpu_affinity.hpp"

using namespace accelbench;

TEST_CASE("cache flush: one slice per core of the allowed CPUs, written from that CPU", "[flush]") {
  const std::int64_t llc = 32ll << 20;
  host_cache_flusher flusher(llc);
  const std::vector<int> cpus = one_cpu_per_core(allowed_cpus());
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

TEST_CASE("CPU lists as sysfs writes them", "[flush]") {
  CHECK(parse_cpu_list("0") == std::vector<int>{0});
  CHECK(parse_cpu_list("0,56") == std::vector<int>{0, 56});
  CHECK(parse_cpu_list("0-3,8,10-11") == std::vector<int>{0, 1, 2, 3, 8, 10, 11});
  CHECK(parse_cpu_list("").empty());
  CHECK(parse_cpu_list("3-1").empty());
  CHECK(parse_cpu_list("a").empty());
  CHECK(parse_cpu_list("1-2x").empty());
}

TEST_CASE("one CPU per core: SMT siblings share the core's caches, so one of them flushes", "[flush]") {
  // Two cores with two hardware threads each, numbered as Linux does on x86: 0/2 and 1/3.
  const auto two_way = [](int cpu) { return cpu % 2 == 0 ? std::string("0,2") : std::string("1,3"); };
  CHECK(one_cpu_per_core({0, 1, 2, 3}, two_way) == std::vector<int>{0, 1});
  // Affinity to the second threads only: those are the cores' only allowed CPUs.
  CHECK(one_cpu_per_core({2, 3}, two_way) == std::vector<int>{2, 3});
  // Unreadable or malformed lists: each CPU counts as a core of its own.
  CHECK(one_cpu_per_core({0, 1}, [](int) { return std::string(); }) == std::vector<int>{0, 1});
  CHECK(one_cpu_per_core({4, 5}, [](int) { return std::string("4-"); }) == std::vector<int>{4, 5});
  // This machine: every allowed core keeps one CPU.
  const std::vector<int> here = one_cpu_per_core(allowed_cpus());
  CHECK_FALSE(here.empty());
  CHECK(std::is_sorted(here.begin(), here.end()));
}
