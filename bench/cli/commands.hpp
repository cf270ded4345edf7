#pragma once
// Subcommands of the accelbench executable. Each file under bench/cli/ adds one subcommand to
// the parent app (its options and help) and returns how to execute it. Execution returns the
// process exit code: 0 success, 1 some case incorrect or failed (or a regression), 2 usage
// or input error (thrown as input_error and reported by main).
#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace accelbench {

struct command {
  CLI::App* app = nullptr;
  std::function<int()> execute;
};

std::string version_text();

command add_run_command(CLI::App& parent, const std::vector<std::string>& original_argv);
command add_list_command(CLI::App& parent);
command add_specs_command(CLI::App& parent);
command add_peak_command(CLI::App& parent);
command add_report_command(CLI::App& parent);
command add_compare_command(CLI::App& parent);
command add_merge_command(CLI::App& parent);
command add_model_command(CLI::App& parent);

}  // namespace accelbench
