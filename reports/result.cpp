#include "result.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

namespace accelbench {
namespace {
constexpr std::array<std::pair<outcome, std::string_view>, 8> outcome_names{{{outcome::pending, "pending"},
                                                                             {outcome::passed, "passed"},
                                                                             {outcome::incorrect, "incorrect"},
                                                                             {outcome::failed, "failed"},
                                                                             {outcome::unsupported, "unsupported"},
                                                                             {outcome::skipped, "skipped"},
                                                                             {outcome::mistrusted, "mistrusted"},
                                                                             {outcome::interrupted, "interrupted"}}};
}  // namespace

std::string_view to_string(outcome o) {
  for (const auto& [value, name] : outcome_names) {
    if (value == o) return name;
  }
  return "pending";
}

std::optional<outcome> outcome_from_string(std::string_view text) {
  for (const auto& [value, name] : outcome_names) {
    if (name == text) return value;
  }
  return std::nullopt;
}

bool is_failure(outcome o) { return o == outcome::incorrect || o == outcome::failed; }

std::string_view to_string(cache_policy c) { return c == cache_policy::cold ? "cold" : "hot"; }

std::optional<double> case_result::median_s() const {
  std::vector<double> medians;
  for (const auto& rep : repetitions) {
    if (rep.stats.count > 0) medians.push_back(rep.stats.median);
  }
  if (medians.empty()) return std::nullopt;
  return summarize(medians).median;
}

std::optional<double> case_result::tflops() const {
  const auto median = median_s();
  const bool verified = result == outcome::passed || result == outcome::mistrusted;
  if (!verified || !median || *median <= 0) return std::nullopt;
  return static_cast<double>(flops) / *median / 1e12;
}

std::optional<double> case_result::gbps() const {
  const auto median = median_s();
  const bool verified = result == outcome::passed || result == outcome::mistrusted;
  if (!verified || !median || *median <= 0) return std::nullopt;
  return static_cast<double>(min_bytes) / *median / 1e9;
}

std::string case_result::repro_command() const {
  return fmt::format("accelbench run --workload '{}' --backend {} --cache {}", workload, backend, to_string(cache));
}

}  // namespace accelbench
