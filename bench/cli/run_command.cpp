#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <memory>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "accelbench/errors.hpp"
#include "accelbench/sweep.hpp"
#include "accelbench/version.hpp"
#include "atomic_file.hpp"
#include "case_runner.hpp"
#include "cli/commands.hpp"
#include "console_table.hpp"
#include "engine/system_info.hpp"
#include "gbench_driver.hpp"
#include "registry.hpp"
#include "result_json.hpp"
#include "suite.hpp"

namespace accelbench {
namespace {

struct run_arguments {
  std::string suite;
  std::vector<std::string> workloads;
  std::string backends;  // comma-separated; empty = every available backend but reference
  std::string out = "accelbench-results.json";
  std::string cache = "cold";
  std::uint64_t seed = 42;
  int repetitions = 0;  // 0: not given
  // Stopping rule overrides (negative = not given).
  double min_samples = -1, min_time = -1, max_noise = -1, timeout = -1, warmup_time = -1;
  bool quiet = false;
  std::vector<std::string> argv;
};


std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%SZ", &parts);
  return buffer;
}

std::vector<const backend_entry*> select_backends(const std::vector<backend_entry>& entries, const std::string& list) {
  std::vector<const backend_entry*> selected;
  if (list.empty()) {
    for (const backend_entry& e : entries) {
      if (e.available && e.name != "reference") selected.push_back(&e);
    }
    if (selected.empty()) throw input_error("no backend is available; see 'accelbench list backends'");
    return selected;
  }
  std::stringstream names(list);
  std::string name;
  std::set<std::string> seen;
  while (std::getline(names, name, ',')) {
    const backend_entry* match = nullptr;
    std::string known;
    for (const backend_entry& e : entries) {
      known += (known.empty() ? "" : ", ") + e.name;
      if (e.name == name) match = &e;
    }
    if (match == nullptr) throw input_error(fmt::format("--backend '{}': unknown backend; accepted: {}", name, known));
    if (!match->available) throw input_error(fmt::format("--backend '{}': unavailable: {}", name, match->reason));
    if (seen.insert(name).second) selected.push_back(match);
  }
  return selected;
}

// Fails before anything is measured if the result file could not be written at the end.
void check_writable(const std::string& path) {
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored)) {
    throw input_error(fmt::format("--out '{}': is a directory; name the result file", path));
  }
  const std::string probe = fmt::format("{}.probe.{}", path, getpid());
  std::FILE* file = std::fopen(probe.c_str(), "w");
  if (file == nullptr) throw input_error(fmt::format("--out '{}': cannot create a file there", path));
  std::fclose(file);
  std::remove(probe.c_str());
}

int run_command(const run_arguments& args) {
  const auto started = std::chrono::steady_clock::now();
  run_record run;
  run.meta.started_at_utc = utc_now();

  // Everything the user typed is validated before any backend work.
  if (args.cache != "cold" && args.cache != "hot") {
    throw input_error(fmt::format("--cache '{}': accepted values are cold, hot", args.cache));
  }
  if (args.repetitions < 0) throw input_error("--repetitions: must be a positive integer");
  std::vector<std::string> workload_texts;
  suite_option_overrides suite_options;
  if (!args.suite.empty()) {
    suite s = load_suite(args.suite);
    workload_texts = s.workloads;
    suite_options = s.options;
  }
  for (const std::string& text : args.workloads) {
    for (const std::string& expanded : expand_sweep(text)) workload_texts.push_back(to_string(parse_workload(expanded)));
  }
  if (workload_texts.empty()) {
    suite s = load_suite("smoke");  // the default suite
    workload_texts = s.workloads;
    suite_options = s.options;
  }
  check_writable(args.out);

  run_options options;
  options.cache = args.cache == "cold" ? cache_policy::cold : cache_policy::hot;
  options.seed = args.seed;
  suite_options.apply_to(options.stop);
  if (args.min_samples >= 0) options.stop.min_samples = static_cast<std::int64_t>(args.min_samples);
  if (args.min_time >= 0) options.stop.min_time_s = args.min_time;
  if (args.max_noise >= 0) options.stop.max_noise = args.max_noise;
  if (args.timeout >= 0) options.stop.timeout_s = args.timeout;
  if (args.warmup_time >= 0) options.stop.warmup_time_s = args.warmup_time;

  std::vector<backend_entry> entries = load_backends();
  const std::vector<const backend_entry*> backends = select_backends(entries, args.backends);

  system_info system = detect_system();
  for (const backend_entry& e : entries) {
    if (e.available) system.libraries[e.name] = e.version;
  }
  std::vector<bench_case> cases;
  for (const std::string& text : workload_texts) {
    const workload w = parse_workload(text);
    for (const backend_entry* backend : backends) {
      for (const device_description& device : backend->devices) cases.push_back({text, w, backend, device.index});
    }
  }

  case_runner runner(options, system.last_level_cache_bytes);
  const bool show_progress = isatty(STDERR_FILENO) != 0 && !args.quiet;
  gbench_settings settings;
  settings.repetitions = args.repetitions;
  settings.on_case_start = [&](std::size_t i) {
    if (show_progress) {
      std::fprintf(stderr, "\r\033[K[%zu/%zu] %s on %s", i + 1, cases.size(), cases[i].text.c_str(),
                   cases[i].backend->name.c_str());
      std::fflush(stderr);
    }
  };
  run.results = run_cases(cases, runner, settings);
  if (show_progress) std::fprintf(stderr, "\r\033[K");

  run.meta.tool_version = tool_version;
  run.meta.git_revision = git_revision;
  run.meta.build_type = build_type;
  run.meta.argv = args.argv;
  run.meta.timestamp_utc = utc_now();
  run.meta.seed = args.seed;
  run.meta.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::size_t repetitions_done = 0;  // --repetitions or Google Benchmark's --benchmark_repetitions
  for (const case_result& r : run.results) repetitions_done = std::max(repetitions_done, r.repetitions.size());
  run.meta.stopping = {{"min_samples", options.stop.min_samples},
                       {"min_time_s", options.stop.min_time_s},
                       {"max_noise", options.stop.max_noise},
                       {"timeout_s", options.stop.timeout_s},
                       {"warmup_time_s", options.stop.warmup_time_s},
                       {"repetitions", repetitions_done}};
  run.system = to_json(system);
  write_file_atomically(args.out, to_json_text(run));
  shutdown_backends(entries);

  if (!args.quiet) std::fputs(format_results_table(run.results).c_str(), stdout);
  std::printf("%s\nresults written to %s\n", format_outcome_summary(run.results).c_str(), args.out.c_str());
  for (const case_result& r : run.results) {
    if (is_failure(r.result)) return 1;
  }
  return 0;
}

}  // namespace

command add_run_command(CLI::App& parent, const std::vector<std::string>& original_argv) {
  auto args = std::make_shared<run_arguments>();
  args->argv = original_argv;
  CLI::App* run_cmd = parent.add_subcommand("run", "Measure workloads on backends; write canonical JSON");
  run_cmd->set_version_flag("--version", version_text());
  run_cmd->add_option("--suite", args->suite, "Built-in suite name (see 'list suites') or a suite file");
  run_cmd->add_option("--workload,-w", args->workloads,
                      "Workload or sweep, e.g. gemm:m=[1024:4096:*2],n=4096,k=4096,dt=bf16 (repeatable)");
  run_cmd->add_option("--backend,-b", args->backends, "Comma-separated backends (default: all available but reference)");
  run_cmd->add_option("--out,-o", args->out, "Result JSON file (written atomically)")->capture_default_str();
  run_cmd->add_option("--cache", args->cache, "cold: flush caches before each sample; hot: no flush")
      ->capture_default_str();
  run_cmd->add_option("--seed", args->seed, "Seed of the random inputs")->capture_default_str();
  run_cmd->add_option("--repetitions", args->repetitions,
                      "Independent measurements per case, each with its own warm-up and samples (default 1)")
      ->check(CLI::PositiveNumber);
  run_cmd->add_option("--min-samples", args->min_samples, "Samples before the noise test may stop (default 10)");
  run_cmd->add_option("--min-time", args->min_time, "Seconds of measured time before stopping (default 0.5)");
  run_cmd->add_option("--max-noise", args->max_noise, "Stop once the coefficient of variation is below this (default 0.01)");
  run_cmd->add_option("--timeout", args->timeout,
                      "Seconds of sampling per case before giving up on the noise target (default 5)");
  run_cmd->add_option("--warmup-time", args->warmup_time, "Seconds of warm-up calls per case (default 0.1)");
  run_cmd->add_flag("--quiet,-q", args->quiet, "No table, no progress line");
  run_cmd->footer(
      "Google Benchmark flags pass through: --benchmark_filter=REGEX, --benchmark_repetitions=N,\n"
      "--benchmark_enable_random_interleaving=true, --benchmark_out=FILE --benchmark_out_format=json.\n"
      "Exit code: 0 all cases verified, 1 some incorrect or failed, 2 bad usage or input.");
  return {run_cmd, [args] { return run_command(*args); }};
}

}  // namespace accelbench
