#include "reports/model/result.hpp"

#include <algorithm>
#include <array>
#include <cmath>

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

std::int64_t repetition_record::throttled_samples() const {
  std::int64_t count = 0;
  for (const telemetry_reading& t : telemetry) count += t.throttled ? t.samples : 0;
  return count;
}

std::optional<std::int64_t> case_result::throttled_samples() const {
  std::optional<std::int64_t> count;
  for (const repetition_record& rep : repetitions) {
    if (rep.telemetry.empty()) continue;
    count = count.value_or(0) + rep.throttled_samples();
  }
  return count;
}

std::optional<noise_flag> case_result::noise() const {
  noise_flag flag;
  flag.repetitions = static_cast<std::int64_t>(repetitions.size());
  for (const repetition_record& rep : repetitions) {
    if (rep.stop_reason != "timeout") continue;
    ++flag.timeout_repetitions;
    if (std::isfinite(rep.stats.cv)) flag.max_cv = std::max(flag.max_cv, rep.stats.cv);
  }
  if (flag.timeout_repetitions == 0) return std::nullopt;
  return flag;
}

std::string case_result::noise_summary() const {
  const auto flag = noise();
  if (!flag) return {};
  return fmt::format("noisy: {} of {} repetitions stopped on the timeout above the noise target (CV up to {:.0f}%)",
                     flag->timeout_repetitions, flag->repetitions, 100.0 * flag->max_cv);
}

std::string case_result::throttle_summary() const {
  const auto throttled = throttled_samples();
  if (!throttled || *throttled == 0) return {};
  std::int64_t total = 0;
  std::string reasons;
  for (const repetition_record& rep : repetitions) {
    total += static_cast<std::int64_t>(rep.samples_s.size());
    for (const telemetry_reading& t : rep.telemetry) {
      if (!t.throttled || t.clock_event_reasons.empty()) continue;
      if (("," + reasons + ",").find("," + t.clock_event_reasons + ",") == std::string::npos) {
        reasons += (reasons.empty() ? "" : ",") + t.clock_event_reasons;
      }
    }
  }
  return fmt::format("throttled: {} of {} samples ({})", *throttled, total,
                     reasons.empty() ? "reason not named" : reasons);
}

std::string case_result::repro_command() const {
  return fmt::format("accelbench run --workload '{}' --backend {} --cache {}", workload, backend, to_string(cache));
}

}  // namespace accelbench
