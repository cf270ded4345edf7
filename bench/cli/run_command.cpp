#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "accelbench/version.hpp"
#include "backends/loader/registry.hpp"
#include "bench/cli/ceilings_cache.hpp"
#include "bench/cli/commands.hpp"
#include "bench/engine/case_runner.hpp"
#include "bench/engine/interrupt.hpp"
#include "bench/engine/system_info.hpp"
#include "bench/runner/console_table.hpp"
#include "bench/runner/gbench_driver.hpp"
#include "bench/runner/progress_meter.hpp"
#include "bench/runner/run_context.hpp"
#include "bench/runner/run_journal.hpp"
#include "bench/runner/shard.hpp"
#include "bench/runner/suite.hpp"
#include "kernels/spec/errors.hpp"
#include "kernels/spec/suggest.hpp"
#include "kernels/spec/sweep.hpp"
#include "reports/model/atomic_file.hpp"
#include "reports/model/ceilings.hpp"
#include "reports/model/result_json.hpp"
#include "reports/views/gbench_writer.hpp"

namespace accelbench {
namespace {

using json = nlohmann::ordered_json;

struct run_arguments {
  std::string suite;
  std::vector<std::string> workloads;
  std::string backends;  // comma-separated; empty = every available backend but reference
  std::string out = "accelbench-results.json";
  std::string ceilings;         // accelbench peak --out FILE, stored in system.ceilings
  std::string format = "json";  // json (canonical) | gbench (Google Benchmark JSON)
  std::string cache = "cold";
  std::uint64_t seed = 42;
  int repetitions = 0;  // 0: not given
  // Stopping rule overrides (negative = not given).
  double min_samples = -1, min_time = -1, max_noise = -1, timeout = -1, warmup_time = -1;
  bool quiet = false;
  std::string journal;  // empty: <out>.journal
  std::string resume;   // --resume JOURNAL
  bool isolate = false;
  double case_timeout = -1;  // seconds; negative = not given
  std::string shard;         // "I/N"; empty: from the batch system's environment, else the whole suite
  std::string run_id;        // empty: ACCELBENCH_RUN_ID, SLURM_ARRAY_JOB_ID or generated
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
    std::vector<std::string> known;
    for (const backend_entry& e : entries) {
      known.push_back(e.name);
      if (e.name == name) match = &e;
    }
    if (match == nullptr) {
      throw input_error(fmt::format("--backend '{}': unknown backend{}; accepted: {}", name, did_you_mean(name, known),
                                    fmt::join(known, ", ")));
    }
    if (!match->available) throw input_error(fmt::format("--backend '{}': unavailable: {}", name, match->reason));
    if (seen.insert(name).second) selected.push_back(match);
  }
  return selected;
}

// The names in --backend, so that on-demand backends (torch) start only when named.
std::vector<std::string> named_backends(const std::string& list) {
  std::vector<std::string> names;
  std::stringstream stream(list);
  std::string name;
  while (std::getline(stream, name, ',')) names.push_back(name);
  return names;
}

// Fails before anything is measured if the result file could not be written at the end.
void check_writable(const std::string& path, const char* option = "--out") {
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored)) {
    throw input_error(fmt::format("{} '{}': is a directory; name the file", option, path));
  }
  const std::string probe = fmt::format("{}.probe.{}", path, getpid());
  std::FILE* file = std::fopen(probe.c_str(), "w");
  if (file == nullptr) throw input_error(fmt::format("{} '{}': cannot create a file there", option, path));
  std::fclose(file);
  std::remove(probe.c_str());
}

std::string absolute_path(const std::string& path) {
  std::error_code ignored;
  const std::filesystem::path p = std::filesystem::absolute(path, ignored);
  return p.empty() ? path : p.lexically_normal().string();
}

// The run options that decide what a resumed run measures; they must match the journal's.
json resolved_options(const run_arguments& args, const run_options& options, const std::string& journal_path,
                      const shard_spec& shard) {
  return {{"out", absolute_path(args.out)},
          {"journal", journal_path},
          {"cache", to_string(options.cache)},
          {"seed", options.seed},
          {"repetitions", args.repetitions},
          {"stopping",
           {{"min_samples", options.stop.min_samples},
            {"min_time_s", options.stop.min_time_s},
            {"max_noise", options.stop.max_noise},
            {"timeout_s", options.stop.timeout_s},
            {"warmup_time_s", options.stop.warmup_time_s}}},
          {"isolate", options.isolate},
          {"case_timeout_s", options.case_timeout_s},
          {"shard", {{"index", shard.index}, {"count", shard.count}}}};
}

// The run id shards of one run share: given, from the batch system, or made up here.
std::string resolve_run_id(const run_arguments& args, const std::map<std::string, std::string>& env,
                           const std::string& started_at_utc) {
  if (!args.run_id.empty()) return args.run_id;
  if (const auto it = env.find("ACCELBENCH_RUN_ID"); it != env.end() && !it->second.empty()) return it->second;
  if (const auto it = env.find("SLURM_ARRAY_JOB_ID"); it != env.end() && !it->second.empty()) {
    return "slurm-" + it->second;
  }
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  std::string compact;
  for (char c : started_at_utc) {
    if (c != '-' && c != ':') compact += c;
  }
  return fmt::format("{}-{}-{}", compact, host, getpid());
}

// What --resume needs beyond the journal's cases: the header checked against this run.
void check_resumable(const journal_contents& journal, const std::string& origin, const json& meta, const json& options,
                     const std::vector<case_key>& cases, const system_info& system) {
  const json& header = journal.header;
  for (const char* key : {"tool_version", "git_revision", "build_type"}) {
    if (header["meta"].value(key, json()) != meta[key]) {
      throw input_error(fmt::format(
          "{}: written by accelbench {} (git {}); resume it with that build, this one is {} (git {})", origin,
          header["meta"].value("tool_version", json()).dump(), header["meta"].value("git_revision", json()).dump(),
          meta["tool_version"].dump(), meta["git_revision"].dump()));
    }
  }
  if (header["system"].value("system_desc_id", json()) != json(system.system_desc_id())) {
    throw input_error(
        fmt::format("{}: written on another machine or software stack (system_desc_id {}, here {}); "
                    "resume it where it started",
                    origin, header["system"].value("system_desc_id", json()).dump(), system.system_desc_id()));
  }
  for (const auto& [key, value] : options.items()) {
    if (header["options"].value(key, json()) != value) {
      throw input_error(
          fmt::format("{}: option '{}' was {} and is now {}; the suite or the defaults changed since the run started",
                      origin, key, header["options"].value(key, json()).dump(), value.dump()));
    }
  }
  if (journal.cases.size() != cases.size()) {
    throw input_error(fmt::format("{}: the run had {} cases and now has {}; the suite changed since the run started",
                                  origin, journal.cases.size(), cases.size()));
  }
  for (std::size_t i = 0; i < cases.size(); ++i) {
    if (!(journal.cases[i] == cases[i])) {
      throw input_error(
          fmt::format("{}: case {} was {} on {} and is now {} on {}; the suite changed since the run started", origin,
                      i, journal.cases[i].workload, journal.cases[i].backend, cases[i].workload, cases[i].backend));
    }
  }
}

// Everything the user typed that needs no backend, checked before any backend work.
void validate_arguments(const run_arguments& args) {
  if (args.cache != "cold" && args.cache != "hot") {
    throw input_error(fmt::format("--cache '{}': accepted values are cold, hot", args.cache));
  }
  if (args.format != "json" && args.format != "gbench") {
    throw input_error(fmt::format("--format '{}': accepted values are json, gbench", args.format));
  }
  if (args.repetitions < 0) throw input_error("--repetitions: must be a positive integer");
  if (args.case_timeout >= 0 && !args.isolate) {
    throw input_error("--case-timeout: needs --isolate (a case can only be stopped in a child process)");
  }
}

// The canonical workload strings to measure (--suite, then -w sweeps; the smoke suite when
// neither is given), each once, and the stopping-rule options the suite sets.
std::vector<std::string> collect_workloads(const run_arguments& args, suite_option_overrides& suite_options) {
  std::vector<std::string> texts;
  if (!args.suite.empty()) {
    suite s = load_suite(args.suite);
    texts = s.workloads;
    suite_options = s.options;
  }
  for (const std::string& text : args.workloads) {
    for (const std::string& expanded : expand_sweep(text)) texts.push_back(to_string(parse_workload(expanded)));
  }
  if (texts.empty()) {
    suite s = load_suite("smoke");  // the default suite
    texts = s.workloads;
    suite_options = s.options;
  }
  std::vector<std::string> unique;  // the same workload twice would be measured twice
  std::set<std::string> seen;
  for (const std::string& text : texts) {
    if (seen.insert(text).second) unique.push_back(text);
  }
  return unique;
}

// This machine's part of a fleet run: --shard, else the batch system's task index. A resumed
// run keeps the shard it started with (it may be resumed outside the batch job).
shard_spec resolve_shard(const run_arguments& args, const journal_contents* resume,
                         const std::map<std::string, std::string>& env) {
  if (resume != nullptr) {
    const json& recorded = resume->header["options"].value("shard", json());
    if (!recorded.is_object()) return {};
    return parse_shard(
        fmt::format("{}/{}", recorded.value("index", json()).dump(), recorded.value("count", json()).dump()),
        "journal option 'shard'");
  }
  if (!args.shard.empty()) return parse_shard(args.shard);
  if (const auto from_env = shard_from_environment(env)) return *from_env;
  return {};
}

// The journal file; a new run refuses to overwrite the journal of one that did not finish.
std::string resolve_journal_path(const run_arguments& args, const journal_contents* resume) {
  const std::string journal_path = absolute_path(args.journal.empty() ? args.out + ".journal" : args.journal);
  if (journal_path == absolute_path(args.out)) throw input_error("--journal: must differ from --out");
  std::error_code ignored;
  if (resume == nullptr && std::filesystem::exists(journal_path, ignored)) {
    throw input_error(
        fmt::format("--journal '{}': exists, from a run that did not finish; finish it with "
                    "'accelbench run --resume {}' or delete it",
                    journal_path, journal_path));
  }
  return journal_path;
}

// The engine's options: defaults, then the suite's, then the command line's.
run_options resolve_run_options(const run_arguments& args, const suite_option_overrides& suite_options) {
  run_options options;
  options.cache = args.cache == "cold" ? cache_policy::cold : cache_policy::hot;
  options.seed = args.seed;
  options.isolate = args.isolate;
  if (args.case_timeout >= 0) options.case_timeout_s = args.case_timeout;
  suite_options.apply_to(options.stop);
  if (args.min_samples >= 0) options.stop.min_samples = static_cast<std::int64_t>(args.min_samples);
  if (args.min_time >= 0) options.stop.min_time_s = args.min_time;
  if (args.max_noise >= 0) options.stop.max_noise = args.max_noise;
  if (args.timeout >= 0) options.stop.timeout_s = args.timeout;
  if (args.warmup_time >= 0) options.stop.warmup_time_s = args.warmup_time;
  return options;
}

// A case is (workload, backend, device); identities are what the journal records of each.
void build_cases(const std::vector<std::string>& workload_texts, const std::vector<const backend_entry*>& backends,
                 std::vector<bench_case>& cases, std::vector<case_key>& identities) {
  for (const std::string& text : workload_texts) {
    const workload w = parse_workload(text);
    for (const backend_entry* backend : backends) {
      for (const device_description& device : backend->devices) {
        cases.push_back({text, w, backend, device.index});
        identities.push_back({text, backend->name, device.index});
      }
    }
  }
}

// The system block, with this machine's ceilings when --ceilings names a file measured here.
json system_block(const system_info& system, const std::optional<machine_ceilings>& ceilings,
                  const std::string& ceilings_file) {
  json block = to_json(system);
  if (!ceilings) return block;
  // Ceilings of another CPU would make every "% of peak" wrong.
  if (ceilings->host_processor_model_name != system.cpu_model) {
    throw input_error(
        fmt::format("--ceilings '{}': measured on '{}', this machine is '{}'; run 'accelbench peak --out FILE' here",
                    ceilings_file, ceilings->host_processor_model_name, system.cpu_model));
  }
  block["ceilings"] = to_json(*ceilings);
  return block;
}

// The result file, the console table and the exit code (0, 1 for failed cases, 128+signal).
int finish_run(const run_arguments& args, run_record& run, const run_options& options, const std::string& journal_path,
               journal_writer& journal, bool journal_failed) {
  std::size_t repetitions_done = 0;  // --repetitions or Google Benchmark's --benchmark_repetitions
  for (const case_result& r : run.results) repetitions_done = std::max(repetitions_done, r.repetitions.size());
  run.meta.stopping = {{"min_samples", options.stop.min_samples},     {"min_time_s", options.stop.min_time_s},
                       {"max_noise", options.stop.max_noise},         {"timeout_s", options.stop.timeout_s},
                       {"warmup_time_s", options.stop.warmup_time_s}, {"repetitions", repetitions_done}};
  const gbench_output_request gbench_out = gbench_output();
  const gbench_options gbench{gbench_out.aggregates_only};
  write_file_atomically(args.out, args.format == "gbench" ? to_gbench_json_text(run, gbench) : to_json_text(run));
  // Google Benchmark's --benchmark_out, from the finished records (every case of a resumed run).
  if (!gbench_out.path.empty()) write_file_atomically(gbench_out.path, to_gbench_json_text(run, gbench));
  std::size_t unfinished = 0;
  for (const case_result& r : run.results) unfinished += r.result == outcome::interrupted ? 1 : 0;
  if (unfinished == 0 && !journal_failed) journal.remove();  // the result file now holds everything

  // -q: no table, but why a case was skipped or failed is never hidden.
  std::fputs((args.quiet ? format_case_notes(run.results) : format_results_table(run.results)).c_str(), stdout);
  std::printf("%s\nresults written to %s\n", format_outcome_summary(run.results).c_str(), args.out.c_str());
  if (const int signal_number = interrupt_signal(); signal_number != 0) {
    if (unfinished > 0) {
      std::fprintf(
          stderr,
          "accelbench: interrupted by %s: %zu of %zu cases unfinished; finish with: accelbench run --resume %s\n",
          signal_name(signal_number), unfinished, run.results.size(), journal_path.c_str());
    }
    return 128 + signal_number;
  }
  for (const case_result& r : run.results) {
    if (is_failure(r.result)) return 1;
  }
  return 0;
}

int execute_run(const run_arguments& args, const journal_contents* resume) {
  const auto started = std::chrono::steady_clock::now();
  run_record run;
  run.meta.started_at_utc = utc_now();

  validate_arguments(args);
  suite_option_overrides suite_options;
  std::vector<std::string> workload_texts = collect_workloads(args, suite_options);
  const std::map<std::string, std::string> env = current_environment();
  const shard_spec shard = resolve_shard(args, resume, env);
  workload_texts = select_shard(workload_texts, shard);
  check_writable(args.out);
  const gbench_output_request gbench_out = gbench_output();
  if (!gbench_out.path.empty()) check_writable(gbench_out.path, "--benchmark_out");
  std::optional<machine_ceilings> ceilings;
  if (!args.ceilings.empty() && args.ceilings != "auto") ceilings = read_ceilings_file(args.ceilings);
  const std::string journal_path = resolve_journal_path(args, resume);
  const run_options options = resolve_run_options(args, suite_options);

  std::vector<backend_entry> entries = load_backends(nullptr, named_backends(args.backends));
  const std::vector<const backend_entry*> backends = select_backends(entries, args.backends);
  system_info system = detect_system();
  for (const backend_entry& e : entries) {
    if (e.available) system.libraries[e.name] = e.version;
  }
  std::string ceilings_file = args.ceilings;
  if (args.ceilings == "auto") ceilings = cached_ceilings(system, args.quiet, ceilings_file);
  std::vector<bench_case> cases;
  std::vector<case_key> identities;
  build_cases(workload_texts, backends, cases, identities);
  check_benchmark_filter(cases);  // before the journal: a run that would measure nothing is refused

  run.meta.tool_version = tool_version;
  run.meta.git_revision = git_revision;
  run.meta.build_type = build_type;
  run.meta.argv = args.argv;
  run.meta.seed = args.seed;
  run.system = system_block(system, ceilings, ceilings_file);
  const json journal_options = resolved_options(args, options, journal_path, shard);
  run.meta.run_id = resume != nullptr ? resume->header["meta"].value("run_id", std::string())
                                      : resolve_run_id(args, env, run.meta.started_at_utc);
  if (shard.count > 1) {
    run.meta.shard_index = shard.index;
    run.meta.shard_count = shard.count;
  }
  json journal_meta = {{"tool_version", run.meta.tool_version},
                       {"git_revision", run.meta.git_revision},
                       {"build_type", run.meta.build_type},
                       {"argv", run.meta.argv},
                       {"cwd", absolute_path(".")},
                       {"started_at_utc", run.meta.started_at_utc},
                       {"run_id", run.meta.run_id}};

  gbench_settings settings;
  double elapsed_before = 0.0;  // measuring time of earlier sessions (--resume)
  journal_writer journal;
  if (resume != nullptr) {
    check_resumable(*resume, journal_path, journal_meta, journal_options, identities, system);
    // The result file must read as if the run had never stopped: its start and machine are the journal's.
    run.meta.started_at_utc = resume->header["meta"].value("started_at_utc", run.meta.started_at_utc);
    run.system = resume->header["system"];
    settings.resumed.resize(cases.size());
    for (const journal_entry& e : resume->entries) {
      settings.resumed[e.index] = e.record;
      elapsed_before = std::max(elapsed_before, e.elapsed_s);
    }
    journal = journal_writer::reopen(journal_path, resume->valid_bytes);
  } else {
    check_writable(journal_path, "--journal");
    journal = journal_writer::create(journal_path,
                                     make_journal_header(journal_meta, run.system, journal_options, identities));
  }
  auto elapsed = [&] {
    return elapsed_before + std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };

  case_runner runner(options, system.last_level_cache_bytes);
  const bool show_progress = isatty(STDERR_FILENO) != 0 && !args.quiet;
  settings.repetitions = args.repetitions;
  const std::size_t repetitions = args.repetitions > 0 ? static_cast<std::size_t>(args.repetitions) : 1;
  if (!args.quiet) {
    std::fputs(format_run_context(version_text(), system, current_load_average(), cases.size(), repetitions).c_str(),
               stdout);
    std::fflush(stdout);
  }
  std::vector<double> step_costs;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const bool resumed = i < settings.resumed.size() && settings.resumed[i].has_value();
    step_costs.push_back(resumed ? 0.0 : estimated_cost(cases[i].text));
  }
  progress_meter progress(step_costs, repetitions);
  settings.on_case_start = [&](std::size_t i) {
    const std::string line = progress.starting(i, elapsed(), cases[i].text + " on " + cases[i].backend->name);
    if (show_progress) {
      std::fprintf(stderr, "\r\033[K%s", line.c_str());
      std::fflush(stderr);
    }
  };
  // Every record says where it was measured, so shards and machines can be merged.
  const std::string system_desc_id = run.system.value("system_desc_id", std::string());
  auto stamp = [&](case_result r) {
    r.system_desc_id = system_desc_id;
    r.run_id = run.meta.run_id;
    return r;
  };
  bool journal_failed = false;
  settings.on_case_finished = [&](std::size_t i, const case_result& record) {
    // Each result as soon as its case is finished, above the progress line (the table follows).
    if (show_progress) std::fprintf(stderr, "\r\033[K%s\n", format_result_line(record).c_str());
    if (journal_failed) return;
    try {
      journal.append(i, elapsed(), stamp(record));
    } catch (const std::exception& e) {
      journal_failed = true;  // the run goes on; only the protection against interruption is lost
      std::fprintf(stderr, "accelbench: warning: %s; finished cases are no longer journaled\n", e.what());
    }
  };
  install_interrupt_handlers();
  run.results = run_cases(cases, runner, settings);
  for (case_result& r : run.results) r = stamp(std::move(r));
  if (show_progress) std::fprintf(stderr, "\r\033[K");

  run.meta.timestamp_utc = utc_now();
  run.meta.wall_s = elapsed();
  const int exit_code = finish_run(args, run, options, journal_path, journal, journal_failed);
  shutdown_backends(entries);
  return exit_code;
}

// --min-samples and friends: a finite number >= 0 (NaN, infinity and negatives are refused).
const CLI::Validator finite_non_negative(
    [](const std::string& text) -> std::string {
      double value = 0.0;
      if (!CLI::detail::lexical_cast(text, value) || !std::isfinite(value) || value < 0) {
        return fmt::format("'{}' must be a finite number >= 0", text);
      }
      return {};
    },
    "NUMBER>=0");

const CLI::Validator whole_count(
    [](const std::string& text) -> std::string {
      double value = 0.0;
      if (!CLI::detail::lexical_cast(text, value) || !(value >= 0) || value > 1e9 || value != std::floor(value)) {
        return fmt::format("'{}' must be a whole number from 0 to 1e9", text);
      }
      return {};
    },
    "COUNT");

const CLI::Validator positive_seconds(
    [](const std::string& text) -> std::string {
      double value = 0.0;
      if (!CLI::detail::lexical_cast(text, value) || !std::isfinite(value) || value <= 0) {
        return fmt::format("'{}' must be a finite number of seconds > 0", text);
      }
      return {};
    },
    "SECONDS>0");

// Every option of `run` but --resume; also used to re-read a journal's command line.
void add_run_options(CLI::App* run_cmd, run_arguments& args_ref) {
  run_arguments* args = &args_ref;
  run_cmd->add_option("--suite", args->suite, "Built-in suite name (see 'list suites') or a suite file");
  run_cmd->add_option("--workload,-w", args->workloads,
                      "Workload or sweep, e.g. gemm:m=[1024:4096:*2],n=4096,k=4096,dt=bf16 (repeatable)");
  run_cmd->add_option("--backend,-b", args->backends,
                      "Comma-separated backends (default: all available but reference)");
  run_cmd->add_option("--out,-o", args->out, "Result JSON file (written atomically)")->capture_default_str();
  run_cmd->add_option("--ceilings", args->ceilings,
                      "Ceilings file from 'accelbench peak --out FILE', stored in the result's system block; 'auto': "
                      "this machine's quick ceilings, measured once and cached per machine (ACCELBENCH_CACHE_DIR)");
  run_cmd
      ->add_option("--format", args->format,
                   "json: canonical results (what compare and report read); gbench: Google Benchmark JSON "
                   "(compare.py, github-action-benchmark, Bencher)")
      ->capture_default_str();
  run_cmd->add_option("--cache", args->cache, "cold: flush every core's caches before each sample; hot: no flush")
      ->capture_default_str();
  run_cmd->add_option("--seed", args->seed, "Seed of the random inputs")
      ->capture_default_str()
      ->check(CLI::Validator(
          [](const std::string& text) -> std::string {  // CLI11 would wrap "-3" around to 2^64-3
            const bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
            return digits ? std::string() : fmt::format("'{}' must be a whole number from 0 to 2^64-1", text);
          },
          "UINT64"));
  const run_options defaults;  // the help prints these, so it cannot drift from them
  run_cmd
      ->add_option("--repetitions", args->repetitions,
                   "Independent measurements per case, each with its own warm-up and samples (default 1); "
                   "above 1 they run interleaved across cases in random order")
      ->check(CLI::Validator(
          [](std::string& text) {
            int value = 0;
            const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
            return ec == std::errc() && end == text.data() + text.size() && value >= 1 && value <= 1000
                       ? std::string()
                       : fmt::format("'{}' must be a whole number from 1 to 1000", text);
          },
          "1..1000"));
  run_cmd
      ->add_option("--min-samples", args->min_samples,
                   fmt::format("Samples before the noise test may stop (default {})", defaults.stop.min_samples))
      ->check(whole_count);
  run_cmd
      ->add_option("--min-time", args->min_time,
                   fmt::format("Seconds of measured time before stopping (default {:g})", defaults.stop.min_time_s))
      ->check(finite_non_negative);
  run_cmd
      ->add_option(
          "--max-noise", args->max_noise,
          fmt::format("Stop once the coefficient of variation is below this (default {:g})", defaults.stop.max_noise))
      ->check(finite_non_negative);
  run_cmd
      ->add_option("--timeout", args->timeout,
                   fmt::format("Seconds of sampling per case before giving up on the noise target (default {:g})",
                               defaults.stop.timeout_s))
      ->check(finite_non_negative);
  run_cmd
      ->add_option("--warmup-time", args->warmup_time,
                   fmt::format("Seconds of warm-up calls per case (default {:g})", defaults.stop.warmup_time_s))
      ->check(finite_non_negative);
  run_cmd->add_flag("--quiet,-q", args->quiet, "No table, no progress line");
  run_cmd->add_option(
      "--journal", args->journal,
      "Journal of finished cases, fsync'd after each (default: <out>.journal; removed when the run completes)");
  run_cmd->add_flag("--isolate", args->isolate,
                    "Run each case in a child process: a crash or hang fails that case only");
  run_cmd
      ->add_option("--shard", args->shard,
                   "This machine's part I/N of the suite (0 <= I < N), balanced by estimated cost; default from "
                   "SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT or JOB_COMPLETION_INDEX/ACCELBENCH_SHARD_COUNT")
      ->type_name("I/N");
  run_cmd->add_option(
      "--run-id", args->run_id,
      "Id shared by the shards of one run (default: ACCELBENCH_RUN_ID, slurm-SLURM_ARRAY_JOB_ID, or generated)");
  run_cmd
      ->add_option(
          "--case-timeout", args->case_timeout,
          fmt::format("With --isolate: seconds one repetition of a case may take before it is killed (default {:g})",
                      defaults.case_timeout_s))
      ->check(positive_seconds);
}

// The journal's command line, parsed as the original run parsed it.
run_arguments parse_journal_argv(const std::vector<std::string>& argv, const std::string& origin) {
  if (argv.size() < 2)
    throw input_error(fmt::format("{}: field 'meta.argv': expected the original command line", origin));
  std::vector<std::string> copy = argv;
  std::vector<char*> pointers;
  for (std::string& a : copy) pointers.push_back(a.data());
  // Google Benchmark's flags (filter, repetitions, out) apply again to the resumed part.
  std::vector<char*> rest = take_gbench_flags(static_cast<int>(pointers.size()), pointers.data());
  CLI::App app;
  app.allow_extras();  // global options (e.g. --backend-dir) are given again on the resume line
  app.fallthrough();
  CLI::App* run_cmd = app.add_subcommand("run");
  run_arguments restored;
  add_run_options(run_cmd, restored);
  try {
    app.parse(static_cast<int>(rest.size()), rest.data());
  } catch (const CLI::ParseError& e) {
    throw input_error(fmt::format("{}: field 'meta.argv': cannot be parsed again: {}", origin, e.what()));
  }
  if (!run_cmd->parsed())
    throw input_error(fmt::format("{}: field 'meta.argv': not an 'accelbench run' command", origin));
  restored.argv = argv;
  return restored;
}

int resume_run(const run_arguments& args, CLI::App* run_cmd) {
  for (const CLI::Option* option : run_cmd->get_options()) {
    const std::string name = option->get_name();
    if (option->count() > 0 && name != "--resume" && name != "--quiet" && name != "--help") {
      throw input_error(fmt::format("--resume: takes every run option from the journal; drop {}", name));
    }
  }
  for (const std::string& a : args.argv) {
    if (a.rfind("--benchmark_", 0) == 0) {
      throw input_error(fmt::format("--resume: takes the Google Benchmark flags from the journal; drop {}", a));
    }
  }
  const std::string path = absolute_path(args.resume);
  const journal_contents journal = read_journal(path);
  const json& meta = journal.header["meta"];
  std::vector<std::string> argv;
  if (!meta.contains("argv") || !meta["argv"].is_array()) {
    throw input_error(fmt::format("{}:1: field 'meta.argv': expected the original command line", path));
  }
  for (const json& a : meta["argv"]) {
    if (!a.is_string()) throw input_error(fmt::format("{}:1: field 'meta.argv': expected strings", path));
    argv.push_back(a.get<std::string>());
  }
  const std::string cwd = meta.value("cwd", std::string());
  // Relative paths on the original command line (--out, --suite FILE) mean what they meant then.
  if (cwd.empty() || ::chdir(cwd.c_str()) != 0) {
    throw input_error(fmt::format("{}:1: field 'meta.cwd': cannot enter '{}' (the run's working folder)", path, cwd));
  }
  run_arguments restored = parse_journal_argv(argv, path);
  restored.quiet = restored.quiet || args.quiet;
  if (absolute_path(restored.journal.empty() ? restored.out + ".journal" : restored.journal) != path) {
    restored.journal = path;  // the journal was moved: keep appending where it is now
  }
  return execute_run(restored, &journal);
}

}  // namespace

command add_run_command(CLI::App& parent, const std::vector<std::string>& original_argv) {
  auto args = std::make_shared<run_arguments>();
  args->argv = original_argv;
  CLI::App* run_cmd = parent.add_subcommand("run", "Measure workloads on backends; write canonical JSON");
  run_cmd->set_version_flag("--version", version_text());
  add_run_options(run_cmd, *args);
  run_cmd->add_option("--resume", args->resume,
                      "Finish an interrupted run from its journal: the same options and cases, the finished ones kept");
  run_cmd->footer(
      "With neither --workload nor --suite, runs the smoke suite. A suite's '@option' lines set its stopping\n"
      "rule (smoke: timeout=0.4, min-samples=5, min-time=0.05, warmup-time=0.02); the flags above override\n"
      "them, and the defaults shown apply where neither does.\n\n"
      "Examples:\n"
      "  accelbench run                                        smoke suite, every available backend\n"
      "  accelbench run --suite gemm-llm -b onednn --repetitions 5 --out r.json\n"
      "  accelbench run -w 'gemm:m=[1024:8192:*2],n=4096,k=4096,dt=[f32,bf16]' --cache hot\n"
      "  accelbench run --ceilings auto                        with this machine's ceilings (% of peak)\n"
      "  accelbench run --resume r.json.journal                finish an interrupted run\n\n"
      "Google Benchmark flags pass through: --benchmark_filter=REGEX, --benchmark_repetitions=N,\n"
      "--benchmark_enable_random_interleaving=true, --benchmark_out=FILE (Google Benchmark JSON),\n"
      "--benchmark_report_aggregates_only=true (that file and --format gbench: aggregates only).\n"
      "A filter that selects no case, a misspelt or malformed --benchmark_* flag, or one whose effect\n"
      "accelbench's own output replaces (--benchmark_format, --benchmark_time_unit) is refused (exit 2).\n"
      "Exit code: 0 all cases verified, 1 some incorrect or failed, 2 bad usage or input,\n"
      "130/143 interrupted by SIGINT/SIGTERM (partial results written; --resume JOURNAL finishes the run).");
  return {run_cmd,
          [args, run_cmd] { return args->resume.empty() ? execute_run(*args, nullptr) : resume_run(*args, run_cmd); }};
}

}  // namespace accelbench
