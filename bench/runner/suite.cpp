#include "bench/runner/suite.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include <fmt/format.h>

#include "kernels/spec/errors.hpp"
#include "kernels/spec/suggest.hpp"
#include "kernels/spec/sweep.hpp"
#include "kernels/spec/workload.hpp"

namespace accelbench {

std::vector<std::pair<std::string_view, std::string_view>> builtin_suite_texts();

namespace {

constexpr std::string_view option_form =
    "@option key=value[,key=value...] with keys min-samples, min-time, max-noise, timeout, warmup-time";

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  const auto last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

double parse_positive(const std::string& value, const std::string& where) {
  double result = 0.0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), result);
  if (ec != std::errc() || end != value.data() + value.size() || !(result >= 0.0) || !std::isfinite(result)) {
    throw input_error(
        fmt::format("{}: '{}' must be a non-negative number; accepted form: {}", where, value, option_form));
  }
  return result;
}

void parse_option_line(const std::string& body, const std::string& where, suite_option_overrides& options) {
  std::stringstream items(body);
  std::string item;
  while (std::getline(items, item, ',')) {
    item = trim(item);
    const auto eq = item.find('=');
    if (eq == std::string::npos)
      throw input_error(fmt::format("{}: '{}' is not key=value; accepted form: {}", where, item, option_form));
    const std::string key = item.substr(0, eq);
    const double value = parse_positive(item.substr(eq + 1), fmt::format("{}: option '{}'", where, key));
    if (key == "min-samples") {
      if (value != std::floor(value) || value > 1e9) {  // the cast below must be exact and defined
        throw input_error(
            fmt::format("{}: option 'min-samples': '{}' must be a whole number up to 1e9; accepted form: {}", where,
                        item.substr(eq + 1), option_form));
      }
      options.min_samples = static_cast<std::int64_t>(value);
    } else if (key == "min-time") {
      options.min_time_s = value;
    } else if (key == "max-noise") {
      options.max_noise = value;
    } else if (key == "timeout") {
      options.timeout_s = value;
    } else if (key == "warmup-time") {
      options.warmup_time_s = value;
    } else {
      throw input_error(fmt::format("{}: unknown option '{}'; accepted form: {}", where, key, option_form));
    }
  }
}

}  // namespace

void suite_option_overrides::apply_to(stopping_criterion& stop) const {
  if (min_samples) stop.min_samples = *min_samples;
  if (min_time_s) stop.min_time_s = *min_time_s;
  if (max_noise) stop.max_noise = *max_noise;
  if (timeout_s) stop.timeout_s = *timeout_s;
  if (warmup_time_s) stop.warmup_time_s = *warmup_time_s;
}

std::vector<std::string> builtin_suite_names() {
  std::vector<std::string> names;
  for (const auto& [name, text] : builtin_suite_texts()) names.emplace_back(name);
  return names;
}

suite parse_suite(const std::string& name, const std::string& text, const std::string& origin) {
  suite s;
  s.name = name;
  std::istringstream lines(text);
  std::string line;
  int line_number = 0;
  std::set<std::string> seen;
  while (std::getline(lines, line)) {
    ++line_number;
    line = trim(line);
    const std::string where = fmt::format("{}:{}", origin, line_number);
    if (line.empty()) continue;
    if (line.front() == '#') {
      if (s.description.empty()) s.description = trim(line.substr(1));
      continue;
    }
    // A trailing comment: "gemm:m=4096,n=4096,k=4096,dt=bf16   # Llama-3-8B FFN". '#' is no
    // character of the workload or option grammar.
    if (const std::size_t hash = line.find('#'); hash != std::string::npos) line = trim(line.substr(0, hash));
    if (line.rfind("@option", 0) == 0) {
      parse_option_line(trim(line.substr(7)), where, s.options);
      continue;
    }
    if (line.front() == '@') {
      throw input_error(fmt::format("{}: unknown directive '{}'; accepted form: {}", where, line, option_form));
    }
    try {
      for (const std::string& expanded : expand_sweep(line)) {
        std::string canonical = to_string(parse_workload(expanded));
        if (seen.insert(canonical).second) s.workloads.push_back(std::move(canonical));
      }
    } catch (const input_error& e) {
      throw input_error(fmt::format("{}: {}", where, e.what()));
    }
  }
  if (s.workloads.empty())
    throw input_error(fmt::format("{}: suite has no workloads (one workload or sweep per line)", origin));
  return s;
}

suite load_suite(const std::string& name_or_path) {
  for (const auto& [name, text] : builtin_suite_texts()) {
    if (name == name_or_path) return parse_suite(std::string(name), std::string(text), fmt::format("suite '{}'", name));
  }
  std::ifstream file(name_or_path);
  if (!file) {
    std::string names;
    for (const std::string& n : builtin_suite_names()) names += (names.empty() ? "" : ", ") + n;
    throw input_error(fmt::format("--suite '{}': not a built-in suite ({}) nor a readable file{}", name_or_path, names,
                                  did_you_mean(name_or_path, builtin_suite_names())));
  }
  std::stringstream contents;
  contents << file.rdbuf();
  return parse_suite(name_or_path, contents.str(), name_or_path);
}

}  // namespace accelbench
