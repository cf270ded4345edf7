#pragma once
// Runs cases inside Google Benchmark: each case is a registered benchmark with manual time
// from the backend timer and one iteration per repetition, so Google Benchmark's
// --benchmark_filter, --benchmark_repetitions and --benchmark_enable_random_interleaving keep
// working. --benchmark_out is written by accelbench's own Google Benchmark JSON writer
// (reports/views/gbench_writer.hpp) from the finished records, so its cpu_time is the CPU time
// of each row's samples and it holds every case of a resumed run. Each repetition is a full measurement by
// case_runner (warm-up, samples, stopping rule); our richer record is collected beside it.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "bench/engine/case_runner.hpp"

namespace accelbench {

struct gbench_settings {
  // 0: Google Benchmark's --benchmark_repetitions decides (default 1). Above 1: the repetitions
  // of all cases run interleaved in random order (Google Benchmark's random interleaving).
  int repetitions = 0;
  std::function<void(std::size_t index)> on_case_start;
  // Once per case, after its last repetition (from Google Benchmark's report, so it holds with
  // --benchmark_repetitions and random interleaving): the record is final (the journal hook).
  std::function<void(std::size_t index, const case_result&)> on_case_finished;
  // Records finished in an earlier session (--resume): taken as they are, not run again.
  std::vector<std::optional<case_result>> resumed;
};

// records[i] belongs to cases[i]; cases Google Benchmark never ran (filtered out) are `skipped`.
// After an interrupt (interrupt.hpp) the remaining cases are not started and stay `interrupted`.
std::vector<case_result> run_cases(const std::vector<bench_case>& cases, case_runner& runner,
                                   const gbench_settings& settings);

// A case's name in Google Benchmark, what --benchmark_filter matches: WORKLOAD/BACKEND/DEVICE.
std::string benchmark_name(const bench_case& c);

// Splits argv into Google Benchmark's --benchmark_* flags (handed to benchmark::Initialize) and
// the rest (for our own parser). Returns the rest.
std::vector<char*> take_gbench_flags(int argc, char** argv);
// What --benchmark_out, --benchmark_out_format and --benchmark_report_aggregates_only asked for
// (take_gbench_flags keeps them from Google Benchmark's own file reporter).
struct gbench_output_request {
  std::string path;  // empty: no --benchmark_out
  bool aggregates_only = false;
};
gbench_output_request gbench_output();

// Throws input_error naming the first --benchmark_* flag that take_gbench_flags could not use:
// misspelt, a malformed value, or one whose effect accelbench's own output replaces.
void check_gbench_flags();
// Throws input_error when --benchmark_filter is not a valid regular expression or selects none of
// the cases: a run that would measure nothing is a usage error, not an empty success.
void check_benchmark_filter(const std::vector<bench_case>& cases);

}  // namespace accelbench
