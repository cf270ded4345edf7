#include "reports/gate/compare_writers.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/format.h>

#include "reports/model/json_output.hpp"
#include "reports/model/number_format.hpp"

namespace accelbench {
namespace {

using json = nlohmann::ordered_json;

constexpr std::array<std::pair<compare_format, std::string_view>, 5> format_names{{{compare_format::text, "text"},
                                                                                   {compare_format::md, "md"},
                                                                                   {compare_format::json, "json"},
                                                                                   {compare_format::junit, "junit"},
                                                                                   {compare_format::rerun, "rerun"}}};

// Worst first: what a reviewer must read is at the top.
int severity(verdict v) {
  switch (v) {
    case verdict::fail:
      return 0;
    case verdict::slower:
      return 1;
    case verdict::unsure:
      return 2;
    case verdict::faster:
      return 3;
    case verdict::same:
      return 4;
    case verdict::skipped:
      return 5;
  }
  return 6;
}

std::vector<const case_comparison*> sorted_cases(const comparison& c) {
  std::vector<const case_comparison*> cases;
  for (const case_comparison& k : c.cases) cases.push_back(&k);
  std::stable_sort(cases.begin(), cases.end(),
                   [](const auto* l, const auto* r) { return severity(l->result) < severity(r->result); });
  return cases;
}

std::string duration(const std::optional<double>& seconds) {
  const std::string text = human_duration(seconds);
  return text.empty() ? "-" : text;
}

std::string change_text(const case_comparison& c) {
  if (!c.evidence || !std::isfinite(c.evidence->ratio) || c.evidence->ratio <= 0) return "-";
  return fmt::format("{:+.1f}%", (c.evidence->ratio - 1.0) * 100.0);
}

std::string interval_text(const case_comparison& c) {
  if (!c.evidence || c.evidence->n_base < 2 || c.evidence->n_new < 2) return "-";
  return fmt::format("[{:.3f}, {:.3f}]", c.evidence->interval.low, c.evidence->interval.high);
}

std::string p_text(const case_comparison& c) { return c.p_adjusted ? fmt::format("{:.2g}", *c.p_adjusted) : "-"; }

std::string floor_text(const comparison& c) {
  if (c.options.threshold) return fmt::format("{:.1f}% (--threshold)", *c.options.threshold * 100);
  return fmt::format("{:.0f}% on CPUs, {:.0f}% on GPUs/NPUs", c.options.cpu_floor * 100,
                     c.options.accelerator_floor * 100);
}

std::string rule_text(const comparison& c) {
  std::size_t tested = 0;
  for (const case_comparison& k : c.cases) tested += k.p_adjusted ? 1 : 0;
  return fmt::format(
      "effect floor {}; Mann-Whitney U on repetition medians, alpha {} ({} over {} tested cases); "
      "{:.0f}% bootstrap interval of the ratio of medians (exact up to 30 repetitions a side, else {} "
      "resamples); at least {} repetitions",
      floor_text(c), c.options.alpha, c.correction, tested, c.options.confidence * 100, c.options.bootstrap_resamples,
      c.options.min_repetitions);
}

std::string identity_text(const run_identity& r) {
  return fmt::format("{} (git {}, {}, {})", r.path, r.git_revision, r.timestamp_utc, r.system_name);
}

std::string machine_text(const comparison& c) {
  if (c.machine_differences.empty()) return fmt::format("same machine (system_desc_id {})", c.base.system_desc_id);
  std::string text = fmt::format("DIFFERENT machines, allowed by --allow-different-machines (system_desc_id {} vs {}):",
                                 c.base.system_desc_id, c.contender.system_desc_id);
  for (const machine_difference& d : c.machine_differences) {
    text += fmt::format(" {} '{}' vs '{}';", d.field, d.base, d.contender);
  }
  text.pop_back();
  if (c.hardware_differs()) text += ". The hardware differs: significant changes are reported UNSURE";
  return text;
}

// Empty when both files were measured under one protocol.
std::string method_text(const comparison& c) {
  if (!c.method_differs()) return "";
  return fmt::format(
      "DIFFERENT measurement methods: {} vs {} (docs/methodology.md): significant changes are reported UNSURE; "
      "measure the baseline again with this accelbench",
      c.base.method_version, c.contender.method_version);
}

std::string result_word(const comparison& c) {
  if (c.count(verdict::fail) > 0) return "FAIL";
  if (c.count(verdict::slower) > 0) return "REGRESSION";
  if (const std::string problem = c.coverage_problem(); !problem.empty()) return fmt::format("FAIL ({})", problem);
  if (c.exit_code() != 0) return "UNSURE (--fail-on-unsure)";
  return "PASS";
}

// ---------------------------------------------------------------------------------------------
std::string text_view(const comparison& c) {
  std::string out;
  out += fmt::format("accelbench compare\n  BASE {}\n  NEW  {}\n  {}\n", identity_text(c.base),
                     identity_text(c.contender), machine_text(c));
  if (const std::string method = method_text(c); !method.empty()) out += "  " + method + "\n";
  out += fmt::format("  {}\n\n", rule_text(c));
  out += fmt::format("{:<8} {:>8} {:>16} {:>8} {:>10} {:>10}  {}\n", "VERDICT", "CHANGE", "95% CI", "P_ADJ", "BASE",
                     "NEW", "CASE / REASON");
  for (const case_comparison* k : sorted_cases(c)) {
    out += fmt::format("{:<8} {:>8} {:>16} {:>8} {:>10} {:>10}  {}\n", to_string(k->result), change_text(*k),
                       interval_text(*k), p_text(*k), duration(k->base.median_s), duration(k->contender.median_s),
                       k->label());
    out += fmt::format("{:<66}  {}\n", "", k->reason);
  }
  if (!c.missing.empty()) {
    out += fmt::format("\nMissing in NEW ({}): in BASE, not measured in NEW\n", c.missing.size());
    for (const unmatched_case& m : c.missing) out += fmt::format("  {} (BASE: {})\n", m.label(), to_string(m.result));
  }
  if (!c.added.empty()) {
    out += fmt::format("\nNew in NEW ({}): no baseline yet\n", c.added.size());
    for (const unmatched_case& m : c.added) out += fmt::format("  {} (NEW: {})\n", m.label(), to_string(m.result));
  }
  out += fmt::format("\n{}\n", comparison_summary(c));
  return out;
}

// ---------------------------------------------------------------------------------------------
std::string md_cell(std::string text) {
  std::string escaped;
  for (char ch : text) {
    if (ch == '|')
      escaped += "\\|";
    else if (ch == '\n')
      escaped += ' ';
    else
      escaped += ch;
  }
  return escaped;
}

std::string md_view(const comparison& c) {
  std::string out;
  out += fmt::format("## accelbench compare: {}\n\n", result_word(c));
  out += fmt::format("**{}**\n\n", md_cell(comparison_summary(c)));
  out += "| Verdict | Case | Base | New | Change | 95% CI | p (adj.) | Reason |\n";
  out += "|---|---|---:|---:|---:|---|---:|---|\n";
  for (const case_comparison* k : sorted_cases(c)) {
    const bool alarm = k->result == verdict::slower || k->result == verdict::fail;
    const std::string name(to_string(k->result));
    out += fmt::format("| {} | `{}` {}:{} {} | {} | {} | {} | {} | {} | {} |\n", alarm ? "**" + name + "**" : name,
                       md_cell(k->workload), md_cell(k->backend), k->device_index, to_string(k->cache),
                       duration(k->base.median_s), duration(k->contender.median_s), change_text(*k), interval_text(*k),
                       p_text(*k), md_cell(k->reason));
  }
  if (!c.missing.empty()) {
    out += fmt::format("\n### Missing in NEW ({})\n\n", c.missing.size());
    for (const unmatched_case& m : c.missing) {
      out += fmt::format("- `{}` {}:{} {} (BASE: {})\n", md_cell(m.workload), m.backend, m.device_index,
                         to_string(m.cache), to_string(m.result));
    }
  }
  if (!c.added.empty()) {
    out += fmt::format("\n### New cases, no baseline yet ({})\n\n", c.added.size());
    for (const unmatched_case& m : c.added) {
      out += fmt::format("- `{}` {}:{} {} (NEW: {})\n", md_cell(m.workload), m.backend, m.device_index,
                         to_string(m.cache), to_string(m.result));
    }
  }
  std::string repro;
  for (const case_comparison* k : sorted_cases(c)) {
    if (k->result == verdict::slower || k->result == verdict::fail) repro += k->repro + " --repetitions 9\n";
  }
  if (!repro.empty()) out += "\nReproduce:\n\n```sh\n" + repro + "```\n";
  out += fmt::format(
      "\n<details><summary>Method</summary>\n\n- BASE: {}\n- NEW: {}\n- Machine: {}\n{}- Rule: {}\n\n"
      "</details>\n",
      md_cell(identity_text(c.base)), md_cell(identity_text(c.contender)), md_cell(machine_text(c)),
      c.method_differs() ? "- Measurement method: " + md_cell(method_text(c)) + "\n" : std::string(),
      md_cell(rule_text(c)));
  return out;
}

// ---------------------------------------------------------------------------------------------
json side_json(const case_side& s) {
  json medians = json::array();
  for (double m : s.repetition_medians) medians.push_back(m);
  return {{"outcome", to_string(s.result)},         {"reason", s.reason},
          {"backend_version", s.backend_version},   {"plan", s.plan},
          {"median_s", number_or_null(s.median_s)}, {"tflops", number_or_null(s.tflops)},
          {"repetition_medians_s", medians},        {"noisy", s.noise.empty() ? json(nullptr) : json(s.noise)}};
}

json identity_json(const run_identity& r) {
  return {{"file", r.path},
          {"git_revision", r.git_revision},
          {"method_version", r.method_version},
          {"timestamp_utc", r.timestamp_utc},
          {"system_desc_id", r.system_desc_id},
          {"system_name", r.system_name},
          {"host_processor_model_name", r.processor}};
}

json unmatched_json(const std::vector<unmatched_case>& cases) {
  json list = json::array();
  for (const unmatched_case& m : cases) {
    list.push_back({{"workload", m.workload},
                    {"backend", m.backend},
                    {"device_index", m.device_index},
                    {"dtype", m.dtype},
                    {"cache_policy", to_string(m.cache)},
                    {"outcome", to_string(m.result)}});
  }
  return list;
}

json json_view(const comparison& c) {
  json differences = json::array();
  for (const machine_difference& d : c.machine_differences) {
    differences.push_back({{"field", d.field}, {"base", d.base}, {"new", d.contender}, {"hardware", d.hardware}});
  }
  json cases = json::array();
  for (const case_comparison& k : c.cases) {
    json entry = {{"verdict", to_string(k.result)},
                  {"reason", k.reason},
                  {"workload", k.workload},
                  {"backend", k.backend},
                  {"device_index", k.device_index},
                  {"device_name", k.device_name},
                  {"device_kind", k.device_kind},
                  {"dtype", k.dtype},
                  {"cache_policy", to_string(k.cache)},
                  {"effect_floor", k.floor}};
    if (k.evidence) {
      const sample_evidence& e = *k.evidence;
      const bool interval = e.n_base >= 2 && e.n_new >= 2;
      entry["ratio"] = number_or_null(e.ratio);
      entry["interval"] = interval
                              ? json{{"low", number_or_null(e.interval.low)}, {"high", number_or_null(e.interval.high)}}
                              : json(nullptr);
      entry["p_value"] = interval ? number_or_null(e.p_value) : json(nullptr);
      entry["p_adjusted"] = number_or_null(k.p_adjusted);
      entry["exact_test"] = e.exact_test;
      entry["noise"] = number_or_null(e.noise);
      entry["repetitions"] = {{"base", e.n_base}, {"new", e.n_new}};
    } else {
      entry["ratio"] = nullptr;
      entry["interval"] = nullptr;
      entry["p_value"] = nullptr;
      entry["p_adjusted"] = nullptr;
      entry["exact_test"] = false;
      entry["noise"] = nullptr;
      entry["repetitions"] = {{"base", k.base.repetition_medians.size()},
                              {"new", k.contender.repetition_medians.size()}};
    }
    entry["base"] = side_json(k.base);
    entry["new"] = side_json(k.contender);
    entry["repro"] = k.repro;
    cases.push_back(std::move(entry));
  }
  json counts;
  for (verdict v :
       {verdict::same, verdict::faster, verdict::slower, verdict::unsure, verdict::fail, verdict::skipped}) {
    counts[std::string(to_string(v))] = c.count(v);
  }
  json document;
  document["format"] = "accelbench-compare-1";
  document["base"] = identity_json(c.base);
  document["new"] = identity_json(c.contender);
  document["machine"] = {{"same", c.machine_differences.empty()}, {"differences", differences}};
  document["method"] = {
      {"same", !c.method_differs()}, {"base", c.base.method_version}, {"new", c.contender.method_version}};
  document["options"] = {{"effect_floor_cpu", c.options.threshold.value_or(c.options.cpu_floor)},
                         {"effect_floor_accelerator", c.options.threshold.value_or(c.options.accelerator_floor)},
                         {"threshold_given", c.options.threshold.has_value()},
                         {"alpha", c.options.alpha},
                         {"correction", c.correction},
                         {"confidence", c.options.confidence},
                         {"bootstrap_resamples", c.options.bootstrap_resamples},
                         {"min_repetitions", c.options.min_repetitions},
                         {"fail_on_unsure", c.options.fail_on_unsure},
                         {"allow_different_machines", c.options.allow_different_machines},
                         {"allow_missing", c.options.allow_missing}};
  document["summary"] = {{"result", result_word(c)},
                         {"exit_code", c.exit_code()},
                         {"cases", c.cases.size()},
                         {"verdicts", counts},
                         {"missing", c.missing.size()},
                         {"new", c.added.size()},
                         {"geomean_ratio", number_or_null(c.geomean_ratio)},
                         {"geomean_cases", c.geomean_cases}};
  document["cases"] = std::move(cases);
  document["missing"] = unmatched_json(c.missing);
  document["new_cases"] = unmatched_json(c.added);
  return document;
}

// ---------------------------------------------------------------------------------------------
std::string xml(const std::string& text) {
  std::string escaped;
  for (unsigned char ch : text) {
    switch (ch) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      case '\'':
        escaped += "&apos;";
        break;
      default:
        if (ch < 0x20 && ch != '\n' && ch != '\t')
          escaped += ' ';  // not allowed in XML 1.0
        else
          escaped += static_cast<char>(ch);
    }
  }
  return escaped;
}

std::string junit_view(const comparison& c) {
  std::size_t failures = 0, skipped = 0;
  std::string cases;
  for (const case_comparison& k : c.cases) {
    const std::string message = fmt::format("{}: {}", to_string(k.result), k.reason);
    cases +=
        fmt::format("    <testcase classname=\"accelbench.compare.{}\" name=\"{}\">\n", xml(k.backend), xml(k.label()));
    const bool fails = k.result == verdict::slower || k.result == verdict::fail ||
                       (k.result == verdict::unsure && c.options.fail_on_unsure);
    if (fails) {
      ++failures;
      cases += fmt::format("      <failure type=\"{}\" message=\"{}\">{}\nrepro: {}</failure>\n", to_string(k.result),
                           xml(message), xml(message), xml(k.repro));
    } else if (k.result == verdict::unsure || k.result == verdict::skipped) {
      ++skipped;
      cases += fmt::format("      <skipped message=\"{}\"/>\n", xml(message));
    } else {
      cases += fmt::format("      <system-out>{}</system-out>\n", xml(message));
    }
    cases += "    </testcase>\n";
  }
  for (const unmatched_case& m : c.missing) {
    // A missing case fails the gate unless --allow-missing said it may be missing.
    const std::string message = fmt::format("missing in NEW (BASE: {})", to_string(m.result));
    cases +=
        fmt::format("    <testcase classname=\"accelbench.compare.{}\" name=\"{}\">\n", xml(m.backend), xml(m.label()));
    if (c.options.allow_missing) {
      ++skipped;
      cases += fmt::format("      <skipped message=\"{}\"/>\n", xml(message));
    } else {
      ++failures;
      cases += fmt::format("      <failure type=\"MISSING\" message=\"{}\">{}</failure>\n", xml(message), xml(message));
    }
    cases += "    </testcase>\n";
  }
  const std::size_t tests = c.cases.size() + c.missing.size();
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out +=
      fmt::format("<testsuites name=\"accelbench compare\" tests=\"{}\" failures=\"{}\" skipped=\"{}\" errors=\"0\">\n",
                  tests, failures, skipped);
  out += fmt::format(
      "  <testsuite name=\"accelbench compare\" tests=\"{}\" failures=\"{}\" skipped=\"{}\" errors=\"0\">\n", tests,
      failures, skipped);
  out += "    <properties>\n";
  out += fmt::format("      <property name=\"base\" value=\"{}\"/>\n", xml(identity_text(c.base)));
  out += fmt::format("      <property name=\"new\" value=\"{}\"/>\n", xml(identity_text(c.contender)));
  out += fmt::format("      <property name=\"machine\" value=\"{}\"/>\n", xml(machine_text(c)));
  if (c.method_differs()) out += fmt::format("      <property name=\"method\" value=\"{}\"/>\n", xml(method_text(c)));
  out += fmt::format("      <property name=\"rule\" value=\"{}\"/>\n", xml(rule_text(c)));
  out += fmt::format("      <property name=\"summary\" value=\"{}\"/>\n", xml(comparison_summary(c)));
  out += "    </properties>\n";
  out += cases;
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

// A POSIX extended regular expression matching exactly this text. Only the characters that are
// operators outside a bracket expression are escaped: escaping `]` or `}` is undefined in POSIX
// and std::regex rejects it.
std::string regex_literal(std::string_view text) {
  std::string escaped;
  for (char ch : text) {
    if (std::string_view(".[\\()*+?{|^$").find(ch) != std::string_view::npos) escaped += '\\';
    escaped += ch;
  }
  return escaped;
}

// The --benchmark_filter that selects the cases worth re-measuring, by the name accelbench run
// gives a case (WORKLOAD/BACKEND/DEVICE, to which Google Benchmark appends /iterations:1/...);
// empty when there are none.
std::string rerun_view(const comparison& c) {
  std::vector<std::string> names;
  for (const case_comparison* k : c.worth_remeasuring()) {
    const std::string name = regex_literal(fmt::format("{}/{}/{}", k->workload, k->backend, k->device_index));
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  if (names.empty()) return "";
  return fmt::format("^({})(/|$)\n", fmt::join(names, "|"));
}

}  // namespace

std::string_view to_string(compare_format f) {
  for (const auto& [value, name] : format_names) {
    if (value == f) return name;
  }
  return "text";
}

std::optional<compare_format> compare_format_from_string(std::string_view text) {
  for (const auto& [value, name] : format_names) {
    if (name == text) return value;
  }
  return std::nullopt;
}

std::string comparison_summary(const comparison& c) {
  std::string counts;
  for (verdict v :
       {verdict::slower, verdict::fail, verdict::unsure, verdict::faster, verdict::same, verdict::skipped}) {
    counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", c.count(v), to_string(v));
  }
  const std::string geomean =
      c.geomean_ratio ? fmt::format("geomean time ratio {:.3f} over {} cases", *c.geomean_ratio, c.geomean_cases)
                      : std::string("no geomean (no case timed on both sides)");
  return fmt::format("{}: {} cases compared ({}); {} missing in NEW, {} new; {}; exit {}", result_word(c),
                     c.cases.size(), counts, c.missing.size(), c.added.size(), geomean, c.exit_code());
}

std::string format_comparison(const comparison& c, compare_format format) {
  switch (format) {
    case compare_format::text:
      return text_view(c);
    case compare_format::md:
      return md_view(c);
    case compare_format::json:
      return json_view(c).dump(2) + "\n";
    case compare_format::junit:
      return junit_view(c);
    case compare_format::rerun:
      return rerun_view(c);
  }
  return text_view(c);
}

}  // namespace accelbench
