// `run --repetitions N` interleaves repetitions across cases (bench/runner/gbench_driver.cpp): the
// repetitions of different cases alternate instead of running N back to back, every case still
// gets N repetitions, and each case is verified once, not once per repetition.
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "backends/loader/registry.hpp"
#include "bench/engine/case_runner.hpp"
#include "bench/runner/gbench_driver.hpp"

using namespace accelbench;

namespace {

// read_output is only called to verify (before any timing), so counting its calls per plan
// counts verifications.
const ab_backend* g_reference = nullptr;
int g_read_outputs = 0;
ab_status counting_read_output(ab_plan* plan, void* host, std::uint64_t bytes) {
  ++g_read_outputs;
  return g_reference->read_output(plan, host, bytes);
}

}  // namespace

TEST_CASE("--repetitions N: repetitions of different cases are interleaved, each case verified once",
          "[interleaving]") {
  std::vector<backend_entry> entries = load_backends();
  const backend_entry* reference = nullptr;
  for (const backend_entry& e : entries) {
    if (e.name == "reference" && e.available) reference = &e;
  }
  REQUIRE(reference != nullptr);  // the reference backend is always built
  g_reference = reference->table;
  ab_backend counting = *reference->table;
  counting.read_output = counting_read_output;
  backend_entry wrapped = *reference;
  wrapped.table = &counting;

  run_options options;
  options.stop.timeout_s = 0.05;
  options.stop.min_samples = 2;
  options.stop.min_time_s = 0.001;
  options.stop.warmup_time_s = 0.001;
  options.cache = cache_policy::hot;
  case_runner runner(options, 1 << 20);
  std::vector<bench_case> cases;
  for (int m : {8, 12, 16, 20}) {
    const std::string text = "gemm:m=" + std::to_string(m) + ",n=8,k=8,dt=f32";
    cases.push_back({text, parse_workload(text), &wrapped, 0});
  }
  constexpr int repetitions = 4;
  std::vector<std::size_t> order;
  gbench_settings settings;
  settings.repetitions = repetitions;
  settings.on_case_start = [&](std::size_t i) { order.push_back(i); };
  g_read_outputs = 0;
  const std::vector<case_result> records = run_cases(cases, runner, settings);

  REQUIRE(order.size() == cases.size() * repetitions);
  std::map<std::size_t, int> starts;
  for (std::size_t i : order) ++starts[i];
  for (std::size_t i = 0; i < cases.size(); ++i) {
    INFO("case " << i);
    CHECK(starts[i] == repetitions);
    CHECK(records[i].result == outcome::passed);
    CHECK(records[i].repetitions.size() == repetitions);
  }
  CHECK(g_read_outputs == static_cast<int>(cases.size()));  // verified once per case

  // Back to back would be 0000 1111 2222 3333: at least one case must not be contiguous. The
  // order is random (Google Benchmark's random interleaving): the chance that a shuffle of 16
  // happens to be fully grouped is 4! 4!^4 / 16! = 4e-7.
  std::string sequence;
  for (std::size_t i : order) sequence += std::to_string(i);
  INFO("order of repetitions: " << sequence);
  bool interleaved = false;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto first = sequence.find(std::to_string(i)), last = sequence.rfind(std::to_string(i));
    if (last - first + 1 != static_cast<std::size_t>(repetitions)) interleaved = true;
  }
  CHECK(interleaved);

  // With one repetition nothing is interleaved: the cases run in order.
  order.clear();
  settings.repetitions = 1;
  run_cases(cases, runner, settings);
  CHECK(order == std::vector<std::size_t>{0, 1, 2, 3});
  shutdown_backends(entries);
}
