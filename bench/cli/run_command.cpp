#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
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

}  // namespace

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

}  // namespace accelbench
