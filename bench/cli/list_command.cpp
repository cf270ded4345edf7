#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "backends/loader/registry.hpp"
#include "bench/cli/commands.hpp"
#include "bench/runner/progress_meter.hpp"
#include "bench/runner/shard.hpp"
#include "bench/runner/suite.hpp"
#include "kernels/spec/errors.hpp"

namespace accelbench {

namespace {

// Where plugins were looked for, and every candidate file with what became of it.
void print_plugin_report(const plugin_report& plugins) {
  fmt::print("\nplugin search path (first match wins):\n");
  for (const plugin_dir& d : plugins.dirs) {
    fmt::print("  {:<24} {}{}\n", to_string(d.origin), d.path.string(), d.exists ? "" : "  (does not exist)");
  }
  fmt::print("plugin files:{}\n", plugins.candidates.empty() ? " none" : "");
  for (const plugin_candidate& c : plugins.candidates) {
    if (c.selected) {
      fmt::print("  selected  {}  (score {})\n", c.file.string(), c.score);
    } else if (c.reason.empty()) {
      fmt::print("  loaded    {}  (score {})\n", c.file.string(), c.score);
    } else {
      fmt::print("  rejected  {}: {}\n", c.file.string(), c.reason);
    }
  }
}

int list_command(const std::string& what, const std::string& suite_name, bool verbose) {
  if (what == "suites") {
    // Duration: the sharding cost model (about 1 s per case plus its FLOPs at a nominal rate) per
    // backend; a guide to plan by, not a promise (the stopping rule adapts to the machine).
    fmt::print("{:<15} {:>9} {:>12}  {}\n", "suite", "workloads", "~per backend", "description");
    for (const std::string& name : builtin_suite_names()) {
      const suite s = load_suite(name);
      double seconds = 0.0;
      for (const std::string& w : s.workloads) seconds += estimated_cost(w);
      fmt::print("{:<15} {:>9} {:>12}  {}\n", name, s.workloads.size(), clock_text(seconds), s.description);
    }
    fmt::print(
        "\n~per backend: estimated time for one backend and one repetition (m:ss); 'list workloads SUITE' "
        "shows the cases\n");
    return 0;
  }
  if (what == "workloads") {
    if (suite_name.empty())
      throw input_error("list workloads: name a suite (built-in name or file), e.g. 'list workloads smoke'");
    for (const std::string& w : load_suite(suite_name).workloads) fmt::print("{}\n", w);
    return 0;
  }
  plugin_report plugins;
  std::vector<backend_entry> entries = load_backends(&plugins, on_demand_backends());  // list says what each has
  if (what == "backends") {
    for (const backend_entry& e : entries) {
      if (e.available) {
        fmt::print("{:<10} available    {}\n", e.name, e.version);
        if (verbose && !e.file.empty()) fmt::print("{:<10}   plugin {}\n", "", e.file);
        for (const device_description& d : e.devices) {
          fmt::print("{:<10}   device {}: {} ({}, {:.1f} GiB)\n", "", d.index, d.name, d.kind,
                     d.memory_bytes / 1073741824.0);
          if (verbose) fmt::print("{:<10}     {}\n", "", d.properties_json);
        }
      } else {
        fmt::print("{:<10} unavailable  {}\n", e.name, e.reason);
      }
    }
    if (verbose) print_plugin_report(plugins);
  } else if (what == "devices") {
    // One row per physical device, with every backend that reaches it (a CPU is reached by
    // openblas, onednn, native and reference alike).
    struct device_row {
      std::string kind, name;
      double gib = 0.0;
      std::vector<std::string> backends;
    };
    std::vector<device_row> rows;
    for (const backend_entry& e : entries) {
      for (const device_description& d : e.devices) {
        const double gib = d.memory_bytes / 1073741824.0;
        // The host is one CPU device whatever reaches it; its memory is what is available now,
        // which moves between two backends' probes, so it is no part of a CPU's identity.
        const bool cpu = d.kind == "cpu";
        auto it = std::find_if(rows.begin(), rows.end(), [&](const device_row& r) {
          return r.kind == d.kind && r.name == d.name && (cpu || std::abs(r.gib - gib) < 0.05);
        });
        if (it == rows.end()) it = rows.insert(rows.end(), {d.kind, d.name, gib, {}});
        it->backends.push_back(fmt::format("{}:{}", e.name, d.index));
      }
    }
    fmt::print("{:<5} {:<40} {:>9}  {}\n", "kind", "device", "memory", "backends (name:device index)");
    for (const device_row& r : rows) {
      fmt::print("{:<5} {:<40} {:>9}  {}\n", r.kind, r.name, fmt::format("{:.1f} GiB", r.gib),
                 fmt::join(r.backends, ", "));
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
  list_cmd->add_flag("--verbose,-v", args->verbose,
                     "Show device properties, the plugin search path and every plugin file with why it is not used");
  list_cmd->footer(
      "Examples:\n"
      "  accelbench list backends          each backend: library version and devices, or why it is unavailable\n"
      "  accelbench list devices           each device once, with the backends that reach it\n"
      "  accelbench list suites            built-in suites: size and estimated duration\n"
      "  accelbench list workloads smoke   the cases of a suite");
  return {list_cmd, [args] { return list_command(args->what, args->suite, args->verbose); }};
}

}  // namespace accelbench
