#include "bench/runner/gbench_driver.hpp"

#include <iostream>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <utility>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "bench/engine/interrupt.hpp"
#include "kernels/spec/errors.hpp"

namespace accelbench {
namespace {

// Google Benchmark's own console output is replaced by our table (and its file output by ours,
// gbench_output_request). It is also told when a benchmark (one case) has run all its repetitions.
class silent_reporter final : public benchmark::BenchmarkReporter {
 public:
  explicit silent_reporter(std::function<void(const std::string& name)> on_done) : m_on_done(std::move(on_done)) {}
  bool ReportContext(const Context&) override { return true; }
  void ReportRuns(const std::vector<Run>& runs) override {
    if (!runs.empty() && m_on_done) m_on_done(runs.front().run_name.function_name);
  }

 private:
  std::function<void(const std::string& name)> m_on_done;
};

// What take_gbench_flags saw: the program name, whether the user chose interleaving, and the
// --benchmark_* arguments Google Benchmark did not take (misspelt, or a malformed value).
std::string g_program_name = "accelbench";
bool g_interleaving_chosen = false;
std::vector<std::string> g_rejected_flags;
gbench_output_request g_output;

// Google Benchmark flags it parses but whose effect our own console table and result file
// replace: accepting them would silently do nothing.
constexpr std::pair<std::string_view, std::string_view> replaced_flags[] = {
    {"--benchmark_format", "accelbench prints its own table; --format json|gbench chooses the result file's form"},
    {"--benchmark_time_unit", "accelbench's table chooses the unit per case; result files are in seconds"},
    {"--benchmark_display_aggregates_only", "accelbench's table shows one row per case, the median of its repetitions"},
    {"--benchmark_counters_tabular", "accelbench prints its own table"},
    {"--benchmark_color", "accelbench prints its own table"},
};

std::string_view flag_name(std::string_view arg) { return arg.substr(0, arg.find('=')); }

// The value after '=', or nullopt without one.
std::optional<std::string_view> flag_value(std::string_view arg) {
  const std::size_t equals = arg.find('=');
  if (equals == std::string_view::npos) return std::nullopt;
  return arg.substr(equals + 1);
}

// The output flags accelbench honours itself (gbench_output_request). Returns false for any
// other flag. A malformed value is recorded as rejected.
bool take_output_flag(std::string_view arg) {
  const std::string_view name = flag_name(arg);
  const std::optional<std::string_view> value = flag_value(arg);
  if (name == "--benchmark_out") {
    if (!value || value->empty()) {
      g_rejected_flags.push_back("--benchmark_out: expected --benchmark_out=FILE");
    } else {
      g_output.path = std::string(*value);
    }
    return true;
  }
  if (name == "--benchmark_out_format") {
    if (value != std::optional<std::string_view>("json")) {
      g_rejected_flags.push_back(
          fmt::format("--benchmark_out_format '{}': accelbench writes --benchmark_out as Google Benchmark JSON only "
                      "(--benchmark_out_format=json)",
                      value.value_or("")));
    }
    return true;
  }
  if (name == "--benchmark_report_aggregates_only") {
    const std::string_view text = value.value_or("true");  // Google Benchmark: a bare flag is true
    if (text == "true" || text == "1") {
      g_output.aggregates_only = true;
    } else if (text == "false" || text == "0") {
      g_output.aggregates_only = false;
    } else {
      g_rejected_flags.push_back(
          fmt::format("--benchmark_report_aggregates_only '{}': accepted values are true, false, 1, 0", text));
    }
    return true;
  }
  return false;
}

// Google Benchmark 1.7 has no API for its flags: Initialize parses them, touching only the flags
// it is given. It re-adds --benchmark_context pairs and warns on std::cerr that they exist;
// that harmless warning is silenced.
void set_random_interleaving(bool on) {
  std::string program = g_program_name;
  std::string flag = std::string("--benchmark_enable_random_interleaving=") + (on ? "true" : "false");
  std::vector<char*> argv{program.data(), flag.data(), nullptr};
  int argc = 2;
  std::streambuf* saved = std::cerr.rdbuf(nullptr);
  benchmark::Initialize(&argc, argv.data());
  std::cerr.rdbuf(saved);
}

}  // namespace

std::string benchmark_name(const bench_case& c) { return fmt::format("{}/{}/{}", c.text, c.backend->name, c.device); }

std::vector<char*> take_gbench_flags(int argc, char** argv) {
  std::vector<char*> ours{argv[0]};
  std::vector<char*> theirs{argv[0]};
  g_rejected_flags.clear();
  g_output = {};
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.rfind("--benchmark_", 0) != 0) {
      ours.push_back(argv[i]);
      continue;
    }
    if (take_output_flag(arg)) continue;
    bool replaced = false;
    for (const auto& [name, why] : replaced_flags) {
      if (flag_name(arg) == name) {
        g_rejected_flags.push_back(fmt::format("{}: not used by accelbench run ({})", name, why));
        replaced = true;
      }
    }
    if (!replaced) theirs.push_back(argv[i]);
    if (arg.rfind("--benchmark_enable_random_interleaving", 0) == 0) g_interleaving_chosen = true;
  }
  if (argc > 0) g_program_name = argv[0];
  int gbench_argc = static_cast<int>(theirs.size());
  theirs.push_back(nullptr);
  // Initialize removes the flags it parsed; what stays is misspelt or has a malformed value (it
  // has printed a warning for the latter).
  // Its warnings about malformed values are silenced: our one-line error names the flag instead.
  std::streambuf* saved = std::cerr.rdbuf(nullptr);
  benchmark::Initialize(&gbench_argc, theirs.data());
  std::cerr.rdbuf(saved);
  for (int i = 1; i < gbench_argc; ++i) {
    g_rejected_flags.push_back(
        fmt::format("{}: not a Google Benchmark 1.7 flag, or its value is malformed (e.g. --benchmark_min_time=0.5, "
                    "--benchmark_repetitions=3, --benchmark_filter=REGEX; see 'accelbench run --help')",
                    theirs[static_cast<std::size_t>(i)]));
  }
  return ours;
}

gbench_output_request gbench_output() { return g_output; }

void check_gbench_flags() {
  if (!g_rejected_flags.empty()) throw input_error(g_rejected_flags.front());
}

void check_benchmark_filter(const std::vector<bench_case>& cases) {
  const std::string given = benchmark::GetBenchmarkFilter();
  if (given.empty() || given == "all" || cases.empty()) return;
  const bool negative = given.front() == '-';  // Google Benchmark: "-REGEX" runs what does not match
  std::regex pattern;
  try {
    pattern = std::regex(given.substr(negative ? 1 : 0), std::regex::extended);  // Google Benchmark's flavour
  } catch (const std::regex_error& e) {
    throw input_error(
        fmt::format("--benchmark_filter '{}': not a valid extended regular expression ({})", given, e.what()));
  }
  for (const bench_case& c : cases) {
    if (std::regex_search(benchmark_name(c), pattern) != negative) return;
  }
  throw input_error(fmt::format(
      "--benchmark_filter '{}': matches none of the {} cases; a case's name is WORKLOAD/BACKEND/DEVICE, e.g. '{}'",
      given, cases.size(), benchmark_name(cases.front())));
}

std::vector<case_result> run_cases(const std::vector<bench_case>& cases, case_runner& runner,
                                   const gbench_settings& settings) {
  std::vector<case_result> records;
  records.reserve(cases.size());
  std::vector<bool> finished(cases.size(), false);
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const bool resumed = i < settings.resumed.size() && settings.resumed[i].has_value();
    records.push_back(resumed ? *settings.resumed[i] : runner.new_record(cases[i]));
    finished[i] = resumed;
  }

  std::map<std::string, std::size_t> index_of_name;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    if (finished[i]) continue;
    const std::string name = benchmark_name(cases[i]);
    index_of_name[name] = i;
    benchmark::internal::Benchmark* registered =
        benchmark::RegisterBenchmark(name.c_str(), [&, i](benchmark::State& state) {
          case_result& record = records[i];
          if (interrupt_requested()) {  // between cases: start nothing new
            if (record.result == outcome::passed || record.result == outcome::mistrusted) {
              // Some repetitions done, not all: the case is not finished.
              record.result = outcome::interrupted;
              record.reason = fmt::format("{} between repetitions; accelbench run --resume JOURNAL measures it again",
                                          signal_name(interrupt_signal()));
            }
            state.SkipWithError("interrupted");
            return;
          }
          if (settings.on_case_start) settings.on_case_start(i);
          for (auto _ : state) {
            runner.run_repetition(cases[i], record);
            const auto& reps = record.repetitions;
            const bool measured = record.tflops().has_value() && !reps.empty();
            if (!measured) {
              state.SkipWithError((std::string(to_string(record.result)) + ": " + record.reason).c_str());
              break;
            }
            state.SetIterationTime(reps.back().stats.median);
          }
          if (const auto tflops = record.tflops()) {
            state.counters["TFLOPS"] = *tflops;
            state.counters["samples"] = static_cast<double>(record.repetitions.back().stats.count);
          }
        });
    registered->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);
    // Without --repetitions, Google Benchmark's own --benchmark_repetitions applies.
    if (settings.repetitions > 0) registered->Repetitions(settings.repetitions);
  }
  silent_reporter reporter([&](const std::string& name) {
    const auto it = index_of_name.find(name);
    if (it == index_of_name.end() || finished[it->second]) return;
    const case_result& record = records[it->second];
    if (record.result == outcome::pending || record.result == outcome::interrupted) return;  // not finished
    finished[it->second] = true;
    if (settings.on_case_finished) settings.on_case_finished(it->second, record);
  });
  // --repetitions N: repetitions run interleaved across cases in random order (Google
  // Benchmark's random interleaving), so a slow minute of the machine spreads over all cases
  // instead of landing on one case's N back-to-back repetitions. An explicit
  // --benchmark_enable_random_interleaving from the user wins.
  const bool interleave = settings.repetitions > 1 && !g_interleaving_chosen;
  if (interleave) set_random_interleaving(true);
  // Nothing to run (an empty shard, a resumed run whose cases are all done): Google Benchmark
  // would complain that no benchmark matched.
  if (!index_of_name.empty()) benchmark::RunSpecifiedBenchmarks(&reporter);
  if (interleave) set_random_interleaving(false);
  benchmark::ClearRegisteredBenchmarks();

  for (case_result& record : records) {
    if (record.result != outcome::pending) continue;
    if (interrupt_requested()) {
      record.result = outcome::interrupted;
      record.reason =
          fmt::format("not started: the run was interrupted by {}; accelbench run --resume JOURNAL measures it",
                      signal_name(interrupt_signal()));
    } else {
      record.result = outcome::skipped;
      record.reason = "not selected by --benchmark_filter";
    }
  }
  return records;
}

}  // namespace accelbench
