#pragma once
// Runs cases inside Google Benchmark: each case is a registered benchmark with manual time
// from the backend timer and one iteration per repetition, so Google Benchmark's
// --benchmark_filter, --benchmark_repetitions, --benchmark_enable_random_interleaving and
// --benchmark_out/--benchmark_format keep working. Each repetition is a full measurement by
// case_runner (warm-up, samples, stopping rule); our richer record is collected beside it.
#include <functional>
#include <vector>

#include "case_runner.hpp"

namespace accelbench {

struct gbench_settings {
  int repetitions = 0;  // 0: Google Benchmark's --benchmark_repetitions decides (default 1)
  std::function<void(std::size_t index, const case_result&)> on_case_done;  // progress
  std::function<void(std::size_t index)> on_case_start;
};

// records[i] belongs to cases[i]; cases Google Benchmark never ran (filtered out) are `skipped`.
std::vector<case_result> run_cases(const std::vector<bench_case>& cases, case_runner& runner,
                                   const gbench_settings& settings);

// Splits argv into Google Benchmark's --benchmark_* flags (handed to benchmark::Initialize) and
// the rest (for our own parser). Returns the rest.
std::vector<char*> take_gbench_flags(int argc, char** argv);

}  // namespace accelbench
