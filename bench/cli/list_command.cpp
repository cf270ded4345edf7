#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "accelbench/errors.hpp"
#include "cli/commands.hpp"
#include "registry.hpp"
#include "suite.hpp"

namespace accelbench {

namespace {

int list_command(const std::string& what, const std::string& suite_name, bool verbose) {
  if (what == "suites") {
    for (const std::string& name : builtin_suite_names()) {
      const suite s = load_suite(name);
      fmt::print("{:<15} {:>4} workloads  {}\n", name, s.workloads.size(), s.description);
    }
    return 0;
  }
  if (what == "workloads") {
    if (suite_name.empty()) throw input_error("list workloads: name a suite (built-in name or file), e.g. 'list workloads smoke'");
    for (const std::string& w : load_suite(suite_name).workloads) fmt::print("{}\n", w);
    return 0;
  }
  std::vector<backend_entry> entries = load_backends();
  if (what == "backends") {
    for (const backend_entry& e : entries) {
      if (e.available) {
        fmt::print("{:<10} available    {}\n", e.name, e.version);
        for (const device_description& d : e.devices) {
          fmt::print("{:<10}   device {}: {} ({}, {:.1f} GiB)\n", "", d.index, d.name, d.kind, d.memory_bytes / 1073741824.0);
          if (verbose) fmt::print("{:<10}     {}\n", "", d.properties_json);
        }
      } else {
        fmt::print("{:<10} unavailable  {}\n", e.name, e.reason);
      }
    }
  } else if (what == "devices") {
    for (const backend_entry& e : entries) {
      for (const device_description& d : e.devices) {
        fmt::print("{}:{}  {}  {}  {:.1f} GiB\n", e.name, d.index, d.kind, d.name, d.memory_bytes / 1073741824.0);
      }
    }
  } else {
    throw input_error(fmt::format("list '{}': accepted: backends, devices, suites, workloads SUITE", what));
  }
  shutdown_backends(entries);
  return 0;
}

struct list_arguments {
  std::string what, suite;
  bool verbose = false;
};

}  // namespace

command add_list_command(CLI::App& parent) {
  auto args = std::make_shared<list_arguments>();
  CLI::App* list_cmd = parent.add_subcommand("list", "What is here: backends, devices, suites, workloads SUITE");
  list_cmd->set_version_flag("--version", version_text());
  list_cmd->add_option("what", args->what, "backends | devices | suites | workloads")
      ->required()
      ->check(CLI::IsMember({"backends", "devices", "suites", "workloads"}));
  list_cmd->add_option("suite", args->suite, "Suite for 'list workloads'");
  list_cmd->add_flag("--verbose,-v", args->verbose, "Show device properties");
  return {list_cmd, [args] { return list_command(args->what, args->suite, args->verbose); }};
}

}  // namespace accelbench
