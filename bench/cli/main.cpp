// accelbench: measure GEMM and attention on whatever hardware is present, verified, with a
// sound timing protocol, written as canonical JSON. Each subcommand lives in its own file
// under bench/cli/ and is listed once below.
#include <cstdio>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "accelbench/version.hpp"
#include "backends/loader/plugin_loader.hpp"
#include "bench/cli/commands.hpp"
#include "bench/runner/gbench_driver.hpp"
#include "kernels/spec/errors.hpp"
#include "kernels/spec/suggest.hpp"

namespace accelbench {
std::string version_text() {
  return fmt::format("accelbench {} (git {}, {} build)", tool_version, git_revision, build_type);
}

namespace {

// CLI11's "A subcommand is required" when the user typed one wrong: name it and suggest.
std::string explain_parse_error(const CLI::ParseError& e, const CLI::App& app, const std::vector<char*>& args) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands({})) names.push_back(sub->get_name());
  if (app.get_subcommands().empty()) {
    for (std::size_t i = 1; i < args.size() && args[i] != nullptr; ++i) {
      const std::string word = args[i];
      if (word == "--backend-dir") {
        ++i;  // its value
        continue;
      }
      if (word.empty() || word.front() == '-') continue;
      return fmt::format("'{}' is not a subcommand{}; accepted: {} (see --help)", word, did_you_mean(word, names),
                         fmt::join(names, ", "));
    }
    return fmt::format("a subcommand is required: {} (see --help)", fmt::join(names, ", "));
  }
  return fmt::format("{} (see --help)", e.what());
}

}  // namespace
}  // namespace accelbench

int main(int argc, char** argv) {
  const std::vector<std::string> original_argv(argv, argv + argc);
  // Google Benchmark's --benchmark_* flags are taken first; CLI11 sees the rest.
  std::vector<char*> args = accelbench::take_gbench_flags(argc, argv);

  CLI::App app{"accelbench: verified GEMM and attention benchmarks for AI accelerators", "accelbench"};
  app.set_version_flag("--version", accelbench::version_text());
  app.require_subcommand(1);
  // Global: searched before ACCELBENCH_BACKEND_PATH and the built-in plugin folders. Accepted
  // before or after the subcommand (subcommands created below inherit fallthrough).
  std::vector<std::string> backend_dirs;
  app.add_option("--backend-dir", backend_dirs,
                 "Folder searched first for backend plugins libaccelbench-backend-<name>[-variant].so (repeatable)")
      ->type_name("DIR");
  app.fallthrough();
  app.footer(
      "Examples:\n"
      "  accelbench run                                   the smoke suite on every available backend\n"
      "  accelbench run --suite gemm-llm -b onednn,openblas --repetitions 5 --out r.json\n"
      "  accelbench report r.json --out report/           Markdown, CSV, HTML and JSON against the spec database\n"
      "  accelbench compare base.json new.json            regression gate: exit 1 on SLOWER or FAIL\n"
      "  accelbench specs compare H100 H20                what the quoted 1979 vs 296 really is\n"
      "Each subcommand has its own --help.");
  const std::vector<accelbench::command> commands{
      accelbench::add_run_command(app, original_argv),
      accelbench::add_list_command(app),
      accelbench::add_specs_command(app),
      accelbench::add_peak_command(app),
      accelbench::add_report_command(app),
      accelbench::add_compare_command(app),
      accelbench::add_merge_command(app),
      accelbench::add_model_command(app),
  };

  try {
    app.parse(static_cast<int>(args.size()), args.data());
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "accelbench: error: %s\n", accelbench::explain_parse_error(e, app, args).c_str());
    return 2;
  }

  try {
    accelbench::check_gbench_flags();
    accelbench::set_backend_dirs(backend_dirs);
    for (const accelbench::command& c : commands) {
      if (c.app->parsed()) return c.execute();
    }
    return 2;
  } catch (const accelbench::input_error& e) {
    std::fprintf(stderr, "accelbench: error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "accelbench: internal error: %s\n", e.what());
    return 3;
  }
}
