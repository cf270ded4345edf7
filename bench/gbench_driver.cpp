#include "gbench_driver.hpp"

#include <string>
#include <string_view>

#include <benchmark/benchmark.h>

namespace accelbench {
namespace {

// Google Benchmark's own console output is replaced by our table; its file reporter
// (--benchmark_out) still runs.
class silent_reporter final : public benchmark::BenchmarkReporter {
 public:
  bool ReportContext(const Context&) override { return true; }
  void ReportRuns(const std::vector<Run>&) override {}
};

}  // namespace

std::vector<char*> take_gbench_flags(int argc, char** argv) {
  std::vector<char*> ours{argv[0]};
  std::vector<char*> theirs{argv[0]};
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    (arg.rfind("--benchmark_", 0) == 0 ? theirs : ours).push_back(argv[i]);
  }
  int gbench_argc = static_cast<int>(theirs.size());
  theirs.push_back(nullptr);
  benchmark::Initialize(&gbench_argc, theirs.data());
  return ours;
}

std::vector<case_result> run_cases(const std::vector<bench_case>& cases, case_runner& runner,
                                   const gbench_settings& settings) {
  std::vector<case_result> records;
  records.reserve(cases.size());
  for (const bench_case& c : cases) records.push_back(runner.new_record(c));

  for (std::size_t i = 0; i < cases.size(); ++i) {
    const std::string name = cases[i].text + "/" + cases[i].backend->name + "/" + std::to_string(cases[i].device);
    benchmark::internal::Benchmark* registered = benchmark::RegisterBenchmark(name.c_str(),
                                 [&, i](benchmark::State& state) {
                                   if (settings.on_case_start) settings.on_case_start(i);
                                   case_result& record = records[i];
                                   for (auto _ : state) {
                                     runner.run_repetition(cases[i], record);
                                     const auto& reps = record.repetitions;
                                     const bool measured = record.tflops().has_value() && !reps.empty();
                                     if (!measured) {
                                       state.SkipWithError(
                                           (std::string(to_string(record.result)) + ": " + record.reason).c_str());
                                       break;
                                     }
                                     state.SetIterationTime(reps.back().stats.median);
                                   }
                                   if (const auto tflops = record.tflops()) {
                                     state.counters["TFLOPS"] = *tflops;
                                     state.counters["samples"] =
                                         static_cast<double>(record.repetitions.back().stats.count);
                                   }
                                   if (settings.on_case_done) settings.on_case_done(i, record);
                                 });
    registered->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);
    // Without --repetitions, Google Benchmark's own --benchmark_repetitions applies.
    if (settings.repetitions > 0) registered->Repetitions(settings.repetitions);
  }
  silent_reporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::ClearRegisteredBenchmarks();

  for (case_result& record : records) {
    if (record.result == outcome::pending) {
      record.result = outcome::skipped;
      record.reason = "not selected by --benchmark_filter";
    }
  }
  return records;
}

}  // namespace accelbench
