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

namespace accelbench {
std::string version_text() {
  return fmt::format("accelbench {} (git {}, {} build)", tool_version, git_revision, build_type);
}
}  // namespace accelbench

int main(int argc, char** argv) {
  const std::vector<std::string> original_argv(argv, argv + argc);
  // Google Benchmark's --benchmark_* flags are taken first; CLI11 sees the rest.
  std::vector<char*> args = accelbench::take_gbench_flags(argc, argv);

  CLI::App app{"accelbench: verified GEMM and attention benchmarks for AI accelerators"};
  app.set_version_flag("--version", accelbench::version_text());
  app.require_subcommand(1);
  // Global: searched before ACCELBENCH_BACKEND_PATH and the built-in plugin folders. Accepted
  // before or after the subcommand (subcommands created below inherit fallthrough).
  std::vector<std::string> backend_dirs;
  app.add_option("--backend-dir", backend_dirs,
                 "Folder searched first for backend plugins libaccelbench-backend-<name>[-variant].so (repeatable)")
      ->type_name("DIR");
  app.fallthrough();
  const std::vector<accelbench::command> commands{
      accelbench::add_run_command(app, original_argv),
      accelbench::add_list_command(app),
      accelbench::add_specs_command(app),
      accelbench::add_peak_command(app),
      accelbench::add_report_command(app),
      accelbench::add_compare_command(app),
      accelbench::add_merge_command(app),
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
    std::fprintf(stderr, "accelbench: error: %s (see --help)\n", e.what());
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
