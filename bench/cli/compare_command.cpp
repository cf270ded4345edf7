// accelbench compare BASE.json NEW.json: the CI performance-regression gate (docs/ci.md). A
// verdict per case from repetition-level statistics (reports/gate/compare.hpp) and an exit code CI
// can act on: 0 no regression, 1 a regression or an incorrect result, 2 bad input or usage.
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "bench/cli/commands.hpp"
#include "kernels/spec/errors.hpp"
#include "reports/gate/compare.hpp"
#include "reports/gate/compare_writers.hpp"
#include "reports/model/atomic_file.hpp"
#include "reports/model/result_reader.hpp"

namespace accelbench {
namespace {

struct compare_arguments {
  std::string base, contender, format = "text", out;
  std::vector<std::string> pool_base, pool_new;  // more files of each side, repetitions pooled
  double threshold = 0;                          // percent
  CLI::Option* threshold_option = nullptr;
  bool fail_on_unsure = false;
  bool allow_different_machines = false;
  bool allow_missing = false;
};

// A Google Benchmark file (run --format gbench) is a common mix-up: say so instead of naming
// the first missing field.
bool is_gbench_file(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  const auto document = nlohmann::json::parse(text.str(), nullptr, false);
  return document.is_object() && document.contains("benchmarks") && document.contains("context") &&
         !document.contains("schema_version");
}

run_record read_input(const std::string& path) {
  try {
    return read_result_file(path);
  } catch (const input_error&) {
    if (is_gbench_file(path)) {
      throw input_error(
          fmt::format("{}: a Google Benchmark JSON file (run --format gbench); compare reads accelbench "
                      "result files (run --format json, the default)",
                      path));
    }
    throw;
  }
}

int compare_command(const compare_arguments& args) {
  const auto format = compare_format_from_string(args.format);
  if (!format)
    throw input_error(fmt::format("--format '{}': accepted values are text, md, json, junit, rerun", args.format));
  compare_options options;
  if (args.threshold_option != nullptr && args.threshold_option->count() > 0) {
    if (!(args.threshold > 0 && args.threshold < 100)) {
      throw input_error(
          fmt::format("--threshold '{}': accepted: a percentage above 0 and below 100, e.g. 5", args.threshold));
    }
    options.threshold = args.threshold / 100.0;
  }
  options.fail_on_unsure = args.fail_on_unsure;
  options.allow_different_machines = args.allow_different_machines;
  options.allow_missing = args.allow_missing;

  const auto read_side = [](const std::string& first, const std::vector<std::string>& more) {
    std::vector<std::string> paths{first};
    paths.insert(paths.end(), more.begin(), more.end());
    std::vector<run_record> runs;
    for (const std::string& path : paths) runs.push_back(read_input(path));
    return pool_runs(runs, paths);
  };
  const run_record base = read_side(args.base, args.pool_base);
  const run_record contender = read_side(args.contender, args.pool_new);
  const auto label = [](const std::string& path, std::size_t pooled) {
    return pooled == 0 ? path : fmt::format("{} (+{} pooled)", path, pooled);
  };
  const comparison result = compare_runs(base, contender, options, label(args.base, args.pool_base.size()),
                                         label(args.contender, args.pool_new.size()));
  const std::string text = format_comparison(result, *format);
  if (args.out.empty()) {
    std::fputs(text.c_str(), stdout);
  } else {
    try {
      write_file_atomically(args.out, text);
    } catch (const std::exception& e) {
      throw input_error(fmt::format("--out '{}': cannot write the report: {}", args.out, e.what()));
    }
    std::printf("%s\nreport written to %s\n", comparison_summary(result).c_str(), args.out.c_str());
  }
  return result.exit_code();
}

}  // namespace

command add_compare_command(CLI::App& parent) {
  auto args = std::make_shared<compare_arguments>();
  CLI::App* cmd = parent.add_subcommand("compare", "Baseline vs new result files: verdict per case and a CI exit code");
  cmd->set_version_flag("--version", version_text());
  cmd->add_option("base", args->base, "Baseline result file (accelbench run --out)")->required();
  cmd->add_option("new", args->contender, "New result file, measured on the same machine")->required();
  cmd->add_option("--format", args->format,
                  "text | md (pull-request comment) | json | junit | rerun (the --benchmark_filter of the UNSURE cases "
                  "more repetitions could decide)")
      ->capture_default_str();
  cmd->add_option("--out,-o", args->out, "Write the report to this file (atomically); stdout gets the summary line");
  args->threshold_option = cmd->add_option(
      "--threshold", args->threshold, "Effect floor in percent for every case (default 5 on CPUs, 3 on GPUs/NPUs)");
  cmd->add_option("--pool-base", args->pool_base,
                  "Another baseline file from the same machine, method and accelbench build: its repetitions are "
                  "pooled with BASE's (runs made as alternating processes, A B A B ...; repeatable)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--pool-new", args->pool_new, "Another new file, pooled with NEW (repeatable)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_flag("--fail-on-unsure", args->fail_on_unsure, "Exit 1 on UNSURE verdicts too (strict gates)");
  cmd->add_flag("--allow-missing", args->allow_missing,
                "Cases of BASE missing in NEW do not fail the gate (without it they do: exit 1)");
  cmd->add_flag("--allow-different-machines", args->allow_different_machines,
                "Compare files whose system fingerprints differ (hardware differences make changes UNSURE)");
  cmd->footer(
      "Verdicts: SLOWER/FASTER (significant after Holm correction, beyond the floor and 2x noise, bootstrap\n"
      "interval clear of 1), SAME (interval within the floor), UNSURE (with the reason), FAIL (NEW incorrect or\n"
      "failed), SKIPPED (measured on neither side). Needs at least 5 repetitions per case on both sides:\n"
      "accelbench run --repetitions 9. Files measured under different protocols (meta.method_version) give\n"
      "UNSURE for significant changes: measure the baseline again with this accelbench. See docs/ci.md.\n"
      "Exit code: 0 no regression, 1 SLOWER or FAIL (or UNSURE with --fail-on-unsure), 2 bad input or usage.\n\n"
      "Examples:\n"
      "  accelbench compare base.json new.json                    terminal table\n"
      "  accelbench compare base.json new.json --format md --out compare.md   for a pull-request comment\n"
      "  accelbench compare base0.json new0.json --pool-base base1.json --pool-new new1.json   A/B rounds");
  return {cmd, [args] { return compare_command(*args); }};
}

}  // namespace accelbench
