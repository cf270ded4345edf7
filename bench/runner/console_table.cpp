#include "bench/runner/console_table.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "reports/model/number_format.hpp"

namespace accelbench {
namespace {

std::string or_dash(std::string text) { return text.empty() ? "-" : text; }

}  // namespace

std::string format_results_table(const std::vector<case_result>& results) {
  std::size_t workload_width = 8;
  for (const case_result& r : results) workload_width = std::max(workload_width, r.workload.size());
  std::string out = fmt::format("{:<{}}  {:<9}  {:<11}  {:>10}  {:>9}  {:>8}  {:>6}  {:>5}  {:>9}\n", "workload",
                                workload_width, "backend", "outcome", "median", "TFLOPS", "GB/s", "CV", "n", "error");
  std::size_t interrupted = 0;
  for (const case_result& r : results) {
    // Cases an interrupt left unfinished are one line below, not a row each.
    if (r.result == outcome::interrupted) {
      ++interrupted;
      continue;
    }
    const auto median = r.median_s();
    std::string cv = "-", n = "-";
    if (!r.repetitions.empty() && r.tflops()) {
      std::int64_t count = 0;
      for (const auto& rep : r.repetitions) count += rep.stats.count;
      cv = or_dash(human_percent(100.0 * r.repetitions.back().stats.cv));
      n = std::to_string(count);
    }
    const std::string error = r.verification ? fmt::format("{:.1e}", r.verification->error) : "-";
    // fmt pads by code points, so "µs" aligns like "ms".
    const std::string time = r.tflops() ? or_dash(human_duration(median)) : "-";
    out += fmt::format("{:<{}}  {:<9}  {:<11}  {:>10}  {:>9}  {:>8}  {:>6}  {:>5}  {:>9}\n", r.workload, workload_width,
                       r.backend, to_string(r.result), time, or_dash(human_rate(r.tflops())),
                       or_dash(human_rate(r.gbps())), cv, n, error);
  }
  if (interrupted > 0) out += fmt::format("  ... and {} cases interrupted before they finished\n", interrupted);
  out += format_case_notes(results);
  return out;
}

std::string format_case_notes(const std::vector<case_result>& results) {
  std::string out;
  // Reasons for everything that did not pass, once each, so the table stays narrow.
  for (const case_result& r : results) {
    if (r.result != outcome::passed && r.result != outcome::interrupted && !r.reason.empty()) {
      out += fmt::format("  {} [{}] {}: {}\n", r.workload, r.backend, to_string(r.result), r.reason);
    }
  }
  // A backend that ran a slower fallback path for a case says so in its plan description
  // ("fallback: ..."): named here, up to the first "; ", so it is never silent.
  for (const case_result& r : results) {
    if (r.plan_description.rfind("fallback: ", 0) == 0) {
      out += fmt::format("  {} [{}] {}\n", r.workload, r.backend,
                         r.plan_description.substr(0, r.plan_description.find("; ")));
    }
  }
  // Samples taken while the device reported power or thermal throttling (telemetry per batch),
  // and medians whose samples never met the noise target.
  for (const case_result& r : results) {
    if (const std::string t = r.throttle_summary(); !t.empty())
      out += fmt::format("  {} [{}] {}\n", r.workload, r.backend, t);
    if (const std::string n = r.noise_summary(); !n.empty() && r.tflops())
      out += fmt::format("  {} [{}] {}\n", r.workload, r.backend, n);
  }
  return out;
}

std::string format_result_line(const case_result& r) {
  std::string figures;
  if (r.tflops()) {
    figures = fmt::format("{:>10}  {:>7} TFLOPS", human_duration(r.median_s()), human_rate(r.tflops()));
  } else if (!r.reason.empty()) {
    figures = r.reason.size() > 60 ? r.reason.substr(0, 57) + "..." : r.reason;
  }
  return fmt::format("{:<11} {}  {} on {}", to_string(r.result), figures, r.workload, r.backend);
}

std::string format_outcome_summary(const std::vector<case_result>& results) {
  std::map<std::string, int> counts;
  for (const case_result& r : results) ++counts[std::string(to_string(r.result))];
  std::string out = fmt::format("{} cases:", results.size());
  for (const auto& [name, count] : counts) out += fmt::format(" {} {},", count, name);
  out.pop_back();
  return out;
}

}  // namespace accelbench
