// accelbench: measure GEMM and attention on whatever hardware is present, verified, with a
// sound timing protocol, written as canonical JSON.
#include <cstdio>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "accelbench/errors.hpp"
#include "accelbench/version.hpp"
#include "cli/commands.hpp"
#include "gbench_driver.hpp"

namespace {

std::string version_text() {
  return fmt::format("accelbench {} (git {}, {} build)", accelbench::tool_version, accelbench::git_revision,
                     accelbench::build_type);
}

}  // namespace

int main(int argc, char** argv) {
  using accelbench::input_error;
  std::vector<std::string> original_argv(argv, argv + argc);
  // Google Benchmark's --benchmark_* flags are taken first; CLI11 sees the rest.
  std::vector<char*> args = accelbench::take_gbench_flags(argc, argv);

  CLI::App app{"accelbench: verified GEMM and attention benchmarks for AI accelerators"};
  app.set_version_flag("--version", version_text());
  app.require_subcommand(1);

  accelbench::run_arguments run;
  CLI::App* run_cmd = app.add_subcommand("run", "Measure workloads on backends; write canonical JSON");
  run_cmd->set_version_flag("--version", version_text());
  run_cmd->add_option("--suite", run.suite, "Built-in suite name (see 'list suites') or a suite file");
  run_cmd->add_option("--workload,-w", run.workloads, "Workload or sweep, e.g. gemm:m=[1024:4096:*2],n=4096,k=4096,dt=bf16 (repeatable)");
  run_cmd->add_option("--backend,-b", run.backends, "Comma-separated backends (default: all available but reference)");
  run_cmd->add_option("--out,-o", run.out, "Result JSON file (written atomically)")->capture_default_str();
  run_cmd->add_option("--cache", run.cache, "cold: flush caches before each sample; hot: no flush")
      ->capture_default_str();
  run_cmd->add_option("--seed", run.seed, "Seed of the random inputs")->capture_default_str();
  run_cmd->add_option("--repetitions", run.repetitions,
                      "Independent measurements per case, each with its own warm-up and samples (default 1)")
      ->check(CLI::PositiveNumber);
  run_cmd->add_option("--min-samples", run.min_samples, "Samples before the noise test may stop (default 10)");
  run_cmd->add_option("--min-time", run.min_time, "Seconds of measured time before stopping (default 0.5)");
  run_cmd->add_option("--max-noise", run.max_noise, "Stop once the coefficient of variation is below this (default 0.01)");
  run_cmd->add_option("--timeout", run.timeout, "Seconds of sampling per case before giving up on the noise target (default 5)");
  run_cmd->add_option("--warmup-time", run.warmup_time, "Seconds of warm-up calls per case (default 0.1)");
  run_cmd->add_flag("--quiet,-q", run.quiet, "No table, no progress line");
  run_cmd->footer(
      "Google Benchmark flags pass through: --benchmark_filter=REGEX, --benchmark_repetitions=N,\n"
      "--benchmark_enable_random_interleaving=true, --benchmark_out=FILE --benchmark_out_format=json.\n"
      "Exit code: 0 all cases verified, 1 some incorrect or failed, 2 bad usage or input.");

  std::string list_what, list_suite;
  bool list_verbose = false;
  CLI::App* list_cmd = app.add_subcommand("list", "What is here: backends, devices, suites, workloads SUITE");
  list_cmd->set_version_flag("--version", version_text());
  list_cmd->add_option("what", list_what, "backends | devices | suites | workloads")
      ->required()
      ->check(CLI::IsMember({"backends", "devices", "suites", "workloads"}));
  list_cmd->add_option("suite", list_suite, "Suite for 'list workloads'");
  list_cmd->add_flag("--verbose,-v", list_verbose, "Show device properties");

  try {
    app.parse(static_cast<int>(args.size()), args.data());
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "accelbench: error: %s (see --help)\n", e.what());
    return 2;
  }

  try {
    if (run_cmd->parsed()) {
      run.argv = original_argv;
      return accelbench::run_command(run);
    }
    return accelbench::list_command(list_what, list_suite, list_verbose);
  } catch (const input_error& e) {
    std::fprintf(stderr, "accelbench: error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "accelbench: internal error: %s\n", e.what());
    return 3;
  }
}
