#pragma once
// Suites: one workload or sweep per line, '#' comments, and '@option key=value,...' lines that
// set the stopping rule for the suite (command-line flags still win). Built-in suites live in
// bench/runner/suites/*.txt and are compiled into the binary.
#include <optional>
#include <string>
#include <vector>

#include "bench/engine/stopping_criterion.hpp"

namespace accelbench {

struct suite_option_overrides {
  std::optional<std::int64_t> min_samples;
  std::optional<double> min_time_s, max_noise, timeout_s, warmup_time_s;
  void apply_to(stopping_criterion& stop) const;
};

struct suite {
  std::string name;
  std::string description;             // first comment line
  std::vector<std::string> workloads;  // canonical strings, sweeps expanded, in file order
  suite_option_overrides options;
};

std::vector<std::string> builtin_suite_names();
// A built-in name or a file path; throws input_error naming the file, line and field.
suite load_suite(const std::string& name_or_path);
suite parse_suite(const std::string& name, const std::string& text, const std::string& origin);

}  // namespace accelbench
