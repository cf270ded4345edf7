#include "reports/gate/compare.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "kernels/spec/errors.hpp"
#include "reports/model/case_key.hpp"

namespace accelbench {
namespace {

constexpr std::array<std::pair<verdict, std::string_view>, 6> verdict_names{{{verdict::same, "SAME"},
                                                                             {verdict::faster, "FASTER"},
                                                                             {verdict::slower, "SLOWER"},
                                                                             {verdict::unsure, "UNSURE"},
                                                                             {verdict::fail, "FAIL"},
                                                                             {verdict::skipped, "SKIPPED"}}};

std::string percent(double fraction) { return fmt::format("{:.1f}%", fraction * 100.0); }
std::string change(double ratio) { return fmt::format("{:+.1f}%", (ratio - 1.0) * 100.0); }
std::string interval_text(const ratio_interval& i) { return fmt::format("[{:.3f}, {:.3f}]", i.low, i.high); }

std::uint64_t fnv1a(std::string_view text, std::uint64_t hash = 1469598103934665603ull) {
  for (unsigned char c : text) hash = (hash ^ c) * 1099511628211ull;
  return hash;
}

bool timed(const case_result& r) {
  return (r.result == outcome::passed || r.result == outcome::mistrusted) && r.median_s().has_value();
}

case_side side_of(const case_result& r) {
  case_side s;
  s.result = r.result;
  s.reason = r.reason;
  s.backend_version = r.backend_version;
  s.plan = r.plan_description;
  for (const repetition_record& rep : r.repetitions) {
    if (rep.stats.count > 0 && std::isfinite(rep.stats.median) && rep.stats.median > 0) {
      s.repetition_medians.push_back(rep.stats.median);
    }
  }
  s.median_s = r.median_s();
  s.tflops = r.tflops();
  s.noise = r.noise_summary();
  return s;
}

// How many calls each timed sample covered, e.g. "1" or "1, 32" (repetitions may differ).
std::string calls_per_sample_of(const case_result& r) {
  std::set<std::int64_t> calls;
  for (const repetition_record& rep : r.repetitions) calls.insert(rep.calls_per_sample);
  return fmt::format("{}", fmt::join(calls, ", "));
}

std::string label_of(const std::string& workload, const std::string& backend, int device, cache_policy cache) {
  return fmt::format("{} {}:{} {}", workload, backend, device, to_string(cache));
}

std::map<measurement_key, std::size_t> index_cases(const run_record& run, const std::string& path) {
  std::map<measurement_key, std::size_t> index;
  for (std::size_t i = 0; i < run.results.size(); ++i) {
    const auto [it, inserted] = index.emplace(measurement_key_of(run.results[i]), i);
    if (!inserted) {
      const case_result& r = run.results[i];
      throw input_error(
          fmt::format("{}: field 'results[{}]': the same case as results[{}] ({}); compare needs one "
                      "record per workload, backend, device, dtype and cache policy",
                      path, i, it->second, label_of(r.workload, r.backend, r.device_index, r.cache)));
    }
  }
  return index;
}

std::string json_text(const nlohmann::ordered_json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

run_identity identity_of(const run_record& run, const std::string& path) {
  const auto& system = run.system;
  const auto id = system.find("system_desc_id");
  if (id == system.end() || !id->is_string()) {
    throw input_error(
        fmt::format("{}: field 'system.system_desc_id': missing or not a string; compare needs the "
                    "machine fingerprint that 'accelbench run' writes",
                    path));
  }
  run_identity identity;
  identity.path = path;
  identity.git_revision = run.meta.git_revision;
  identity.method_version = run.meta.method_version;
  identity.timestamp_utc = run.meta.timestamp_utc;
  identity.system_desc_id = id->get<std::string>();
  identity.system_name = system.value("system_name", std::string());
  identity.processor = system.value("host_processor_model_name", std::string());
  return identity;
}

}  // namespace

std::string_view to_string(verdict v) {
  for (const auto& [value, name] : verdict_names) {
    if (value == v) return name;
  }
  return "UNSURE";
}

std::optional<verdict> verdict_from_string(std::string_view text) {
  for (const auto& [value, name] : verdict_names) {
    if (name == text) return value;
  }
  return std::nullopt;
}

double effect_floor(std::string_view device_kind, const compare_options& options) {
  if (options.threshold) return *options.threshold;
  return device_kind == "gpu" || device_kind == "npu" ? options.accelerator_floor : options.cpu_floor;
}

sample_evidence gather_evidence(const std::vector<double>& base, const std::vector<double>& contender,
                                const compare_options& options, std::uint64_t seed) {
  sample_evidence e;
  e.n_base = base.size();
  e.n_new = contender.size();
  if (base.empty() || contender.empty()) return e;
  e.median_base = median_of(base);
  e.median_new = median_of(contender);
  e.ratio = e.median_new / e.median_base;
  e.enough = e.n_base >= options.min_repetitions && e.n_new >= options.min_repetitions;
  e.noise = std::max(robust_relative_noise(base), robust_relative_noise(contender));
  if (e.n_base >= 2 && e.n_new >= 2) {
    e.interval = bootstrap_ratio_of_medians(base, contender, options.bootstrap_resamples, options.confidence, seed);
    const mann_whitney_result u = mann_whitney_u(contender, base);
    e.p_value = u.p_value;
    e.exact_test = u.exact;
  } else {
    e.interval = {e.ratio, e.ratio};
  }
  return e;
}

decision decide(const sample_evidence& e, double p_adjusted, double floor, const compare_options& options,
                std::optional<clock_context> clocks, const std::string& not_comparable) {
  if (!e.enough) {
    return {verdict::unsure,
            fmt::format("too few repetitions ({} in BASE, {} in NEW; at least {} needed, 9 or more recommended: "
                        "run with --repetitions 9); change {}",
                        e.n_base, e.n_new, options.min_repetitions, change(e.ratio))};
  }
  const double threshold = std::max(floor, 2.0 * e.noise);
  const bool significant = p_adjusted < options.alpha;
  const bool slower = significant && e.ratio - 1.0 > threshold && e.interval.low > 1.0;
  const bool faster = significant && 1.0 - e.ratio > threshold && e.interval.high < 1.0;
  const std::string evidence_text = fmt::format("{} ({:.0f}% CI {}), p_adj={:.2g}", change(e.ratio),
                                                options.confidence * 100, interval_text(e.interval), p_adjusted);
  if (slower || faster) {
    if (clocks && clocks->base_mhz > 0 && clocks->new_mhz > 0 &&
        std::abs(clocks->new_mhz / clocks->base_mhz - 1.0) > options.clock_tolerance) {
      // Time x clock: the change that remains once the clock difference is taken out.
      const double cycles = e.ratio * clocks->new_mhz / clocks->base_mhz;
      const bool agrees = slower ? cycles - 1.0 > floor : 1.0 - cycles > floor;
      if (!agrees) {
        return {verdict::unsure, fmt::format("clocks differ ({:.0f} vs {:.0f} MHz): {} in time but {} in cycles",
                                             clocks->base_mhz, clocks->new_mhz, change(e.ratio), change(cycles))};
      }
    }
    if (!not_comparable.empty()) {
      return {verdict::unsure, fmt::format("{}: {} is not attributable to the change", not_comparable, evidence_text)};
    }
    return {slower ? verdict::slower : verdict::faster,
            fmt::format("{}; beyond the {} floor and 2x noise ({})", evidence_text, percent(floor),
                        percent(2.0 * e.noise))};
  }
  if (e.interval.low >= 1.0 - floor && e.interval.high <= 1.0 + floor) {
    return {verdict::same, fmt::format("{:.0f}% CI {} within +/-{}", options.confidence * 100,
                                       interval_text(e.interval), percent(floor))};
  }
  const double size = std::abs(e.ratio - 1.0);
  if (size > floor && 2.0 * e.noise >= size) {
    return {verdict::unsure, fmt::format("too noisy: {} but 2x noise is {}", evidence_text, percent(2.0 * e.noise))};
  }
  if (size > floor && !significant) {
    const double smallest = mann_whitney_min_p(e.n_base, e.n_new);
    if (e.p_value <= smallest * 1.0001) {
      // The ranks could not have been more separated: only more repetitions can decide.
      return {verdict::unsure,
              fmt::format("not significant with {} and {} repetitions: {} (alpha {}; the smallest p these counts "
                          "allow is {:.2g}: run with --repetitions 9 or more)",
                          e.n_base, e.n_new, evidence_text, options.alpha, smallest)};
    }
    return {verdict::unsure, fmt::format("not significant: {} (alpha {})", evidence_text, options.alpha)};
  }
  if (size > floor) {
    return {verdict::unsure, fmt::format("interval reaches no change: {}", evidence_text)};
  }
  return {verdict::unsure, fmt::format("too noisy to call: {} extends beyond +/-{}", evidence_text, percent(floor))};
}

decision account_for_noise(decision d, const sample_evidence& e, double floor, double confidence,
                           const std::string& noise_notes) {
  if (noise_notes.empty()) return d;
  if (d.result == verdict::slower || d.result == verdict::faster) {
    // Noisy repetitions: the verdict stands only when the whole interval of the change lies
    // beyond twice the floor. (The spread of the repetition medians is no measure here: a
    // slowdown that leaves the slowed side bimodal under load would count against itself.)
    const double margin = 2.0 * floor;
    const bool far = d.result == verdict::slower ? e.interval.low > 1.0 + margin : e.interval.high < 1.0 - margin;
    if (!far) {
      return {verdict::unsure,
              fmt::format("{}: {} ({} CI {}) is not far outside the noise (a noisy case needs its whole interval "
                          "beyond +/-{}, 2x the floor)",
                          noise_notes, change(e.ratio), fmt::format("{:.0f}%", confidence * 100),
                          interval_text(e.interval), percent(margin))};
    }
  }
  d.reason += "; " + noise_notes;
  return d;
}

decision compare_samples(const std::vector<double>& base, const std::vector<double>& contender, double floor,
                         const compare_options& options, std::uint64_t seed) {
  const sample_evidence e = gather_evidence(base, contender, options, seed);
  return decide(e, e.p_value, floor, options);
}

std::string case_comparison::label() const { return label_of(workload, backend, device_index, cache); }
std::string unmatched_case::label() const { return label_of(workload, backend, device_index, cache); }

std::size_t comparison::count(verdict v) const {
  return static_cast<std::size_t>(
      std::count_if(cases.begin(), cases.end(), [v](const case_comparison& c) { return c.result == v; }));
}

bool comparison::method_differs() const { return base.method_version != contender.method_version; }

bool comparison::hardware_differs() const {
  return std::any_of(machine_differences.begin(), machine_differences.end(),
                     [](const machine_difference& d) { return d.hardware; });
}

std::string comparison::coverage_problem() const {
  // A gate that compared nothing must not pass: an empty NEW file, a filter that matched
  // nothing, or a suite that lost cases would otherwise read as "no regression".
  if (geomean_cases == 0) return "no case was timed on both sides";
  if (!missing.empty() && !options.allow_missing) {
    return fmt::format("{} of BASE's {} cases are missing in NEW (--allow-missing accepts that)", missing.size(),
                       cases.size() + missing.size());
  }
  return "";
}

int comparison::exit_code() const {
  if (count(verdict::slower) > 0 || count(verdict::fail) > 0) return 1;
  if (!coverage_problem().empty()) return 1;
  if (options.fail_on_unsure && count(verdict::unsure) > 0) return 1;
  return 0;
}

std::vector<const case_comparison*> comparison::worth_remeasuring() const {
  std::vector<const case_comparison*> cases;
  // A hardware or method difference stays, however often measured.
  if (!machine_differences.empty() || method_differs()) return cases;
  for (const case_comparison& c : this->cases) {
    // A noisy SLOWER or FASTER too: an unequal stretch of load can pass for a change.
    const bool noisy_call = (c.result == verdict::slower || c.result == verdict::faster) && c.noisy();
    if ((c.result == verdict::unsure || noisy_call) && c.evidence && std::abs(c.evidence->ratio - 1.0) > c.floor) {
      cases.push_back(&c);
    }
  }
  return cases;
}

std::vector<machine_difference> machine_differences(const nlohmann::ordered_json& base_system,
                                                    const nlohmann::ordered_json& new_system) {
  std::vector<machine_difference> differences;
  const auto field = [](const nlohmann::ordered_json& system, const std::string& key) {
    const auto it = system.find(key);
    return it == system.end() ? std::string("(absent)") : json_text(*it);
  };
  if (field(base_system, "system_desc_id") == field(new_system, "system_desc_id")) return differences;

  // The fields system_desc_id is made of (bench/engine/system_info.cpp), hardware first.
  std::vector<std::string> hardware{"host_processor_model_name", "host_processors_per_node",
                                    "host_processor_core_count", "host_processor_vcpu_count"};
  for (const auto* system : {&base_system, &new_system}) {
    for (const auto& [key, value] : system->items()) {
      if (key.rfind("accelerator", 0) == 0 && std::find(hardware.begin(), hardware.end(), key) == hardware.end()) {
        hardware.push_back(key);
      }
    }
  }
  for (const std::string& key : hardware) {
    const std::string b = field(base_system, key), n = field(new_system, key);
    if (b != n) differences.push_back({key, b, n, true});
  }
  // Memory counts in whole GiB, as in the id (a few MiB reserved by firmware do not matter).
  const auto gib = [](const nlohmann::ordered_json& system) -> std::string {
    const auto it = system.find("host_memory_capacity_bytes");
    if (it == system.end() || !it->is_number_integer()) return "(absent)";
    return fmt::format("{} GiB", it->get<std::int64_t>() >> 30);
  };
  if (gib(base_system) != gib(new_system)) {
    differences.push_back({"host_memory_capacity_bytes", gib(base_system), gib(new_system), true});
  }
  if (field(base_system, "kernel") != field(new_system, "kernel")) {
    differences.push_back({"kernel", field(base_system, "kernel"), field(new_system, "kernel"), false});
  }
  std::set<std::string> libraries;
  for (const auto* system : {&base_system, &new_system}) {
    const auto it = system->find("libraries");
    if (it != system->end() && it->is_object()) {
      for (const auto& [name, version] : it->items()) libraries.insert(name);
    }
  }
  for (const std::string& name : libraries) {
    const auto version = [&](const nlohmann::ordered_json& system) -> std::string {
      const auto it = system.find("libraries");
      if (it == system.end() || !it->is_object() || !it->contains(name)) return "(absent)";
      return json_text(it->at(name));
    };
    if (version(base_system) != version(new_system)) {
      differences.push_back({"libraries." + name, version(base_system), version(new_system), false});
    }
  }
  if (differences.empty()) {
    differences.push_back(
        {"system_desc_id", field(base_system, "system_desc_id"), field(new_system, "system_desc_id"), true});
  }
  return differences;
}

run_record pool_runs(const std::vector<run_record>& runs, const std::vector<std::string>& paths) {
  if (runs.empty()) throw input_error("pool_runs: no result file");
  run_record pooled = runs.front();
  const std::string id = identity_of(pooled, paths.front()).system_desc_id;
  std::map<measurement_key, std::size_t> index = index_cases(pooled, paths.front());
  for (std::size_t f = 1; f < runs.size(); ++f) {
    const run_record& run = runs[f];
    // Repetitions pool only when nothing but time tells the files apart: one machine, one
    // measurement method, one build of accelbench.
    const auto require_same = [&](const std::string& field, const std::string& value, const std::string& first,
                                  const char* what) {
      if (value == first) return;
      throw input_error(fmt::format("{}: field '{}': {} differs from {} in {}; pooled files must come from {}",
                                    paths[f], field, value, first, paths.front(), what));
    };
    require_same("system.system_desc_id", identity_of(run, paths[f]).system_desc_id, id, "one machine");
    require_same("meta.method_version", run.meta.method_version, pooled.meta.method_version, "one measurement method");
    require_same("meta.git_revision", run.meta.git_revision, pooled.meta.git_revision, "one build of accelbench");
    require_same("meta.build_type", run.meta.build_type, pooled.meta.build_type, "one build of accelbench");
    index_cases(run, paths[f]);  // no duplicates inside a file either
    for (const case_result& r : run.results) {
      const auto it = index.find(measurement_key_of(r));
      if (it == index.end()) {
        index.emplace(measurement_key_of(r), pooled.results.size());
        pooled.results.push_back(r);
        continue;
      }
      case_result& into = pooled.results[it->second];
      if (is_failure(r.result) && !is_failure(into.result)) {
        into.result = r.result;
        into.reason = r.reason;
      } else if (!is_failure(into.result) && !timed(into) && timed(r)) {
        into.result = r.result;
        into.reason = r.reason;
      }
      into.repetitions.insert(into.repetitions.end(), r.repetitions.begin(), r.repetitions.end());
    }
  }
  return pooled;
}

comparison compare_runs(const run_record& base, const run_record& contender, const compare_options& options,
                        const std::string& base_path, const std::string& new_path) {
  comparison result;
  result.options = options;
  result.base = identity_of(base, base_path);
  result.contender = identity_of(contender, new_path);
  result.machine_differences = machine_differences(base.system, contender.system);
  if (!result.machine_differences.empty() && !options.allow_different_machines) {
    std::string fields;
    for (const machine_difference& d : result.machine_differences) {
      fields += fmt::format("{}{} '{}' vs '{}'", fields.empty() ? "" : "; ", d.field, d.base, d.contender);
    }
    throw input_error(
        fmt::format("{} and {} were measured on different machines (system_desc_id {} vs {}): {}; pass "
                    "--allow-different-machines to compare them anyway",
                    base_path, new_path, result.base.system_desc_id, result.contender.system_desc_id, fields));
  }
  std::string hardware_fields;
  for (const machine_difference& d : result.machine_differences) {
    if (d.hardware) hardware_fields += (hardware_fields.empty() ? "" : ", ") + d.field;
  }
  // What differs besides the change under test makes a significant change unattributable.
  std::string not_comparable;
  if (!hardware_fields.empty()) not_comparable = fmt::format("machine differs ({})", hardware_fields);
  if (result.method_differs()) {
    not_comparable +=
        fmt::format("{}measurement method differs ({} vs {}; docs/methodology.md)", not_comparable.empty() ? "" : "; ",
                    result.base.method_version, result.contender.method_version);
  }

  const std::map<measurement_key, std::size_t> base_index = index_cases(base, base_path);
  const std::map<measurement_key, std::size_t> new_index = index_cases(contender, new_path);

  for (const case_result& b : base.results) {
    const auto match = new_index.find(measurement_key_of(b));
    if (match == new_index.end()) {
      result.missing.push_back({b.workload, b.backend, b.dtype_in, b.device_index, b.cache, b.result});
      continue;
    }
    const case_result& n = contender.results[match->second];
    case_comparison c;
    c.workload = b.workload;
    c.backend = b.backend;
    c.dtype = b.dtype_in;
    c.device_index = b.device_index;
    c.device_name = n.device_name;
    c.device_kind = n.device_kind.empty() ? b.device_kind : n.device_kind;
    c.cache = b.cache;
    c.base = side_of(b);
    c.contender = side_of(n);
    c.floor = effect_floor(c.device_kind, options);
    c.repro = n.repro_command();

    if (is_failure(n.result)) {
      c.result = verdict::fail;
      c.reason = fmt::format("NEW is {}: {}", to_string(n.result), n.reason);
    } else if (!timed(b) && !timed(n)) {
      c.result = verdict::skipped;
      c.reason = fmt::format("measured on neither side (BASE {}, NEW {}){}", to_string(b.result), to_string(n.result),
                             n.reason.empty() ? "" : ": " + n.reason);
    } else if (!timed(n)) {
      c.result = verdict::unsure;
      c.reason =
          fmt::format("not measured in NEW ({}{})", to_string(n.result), n.reason.empty() ? "" : ": " + n.reason);
    } else if (is_failure(b.result)) {
      c.result = verdict::unsure;
      c.reason = fmt::format("BASE was {} ({}): no valid baseline; NEW is {}", to_string(b.result), b.reason,
                             to_string(n.result));
    } else if (!timed(b)) {
      c.result = verdict::skipped;
      c.reason = fmt::format("measured only in NEW (BASE {})", to_string(b.result));
    } else if (b.seed != n.seed || b.input_distribution != n.input_distribution ||
               b.flop_convention != n.flop_convention) {
      c.result = verdict::unsure;
      c.reason = fmt::format("inputs differ (seed {} vs {}, {} vs {}): not comparable", b.seed, n.seed,
                             b.input_distribution, n.input_distribution);
    } else if (calls_per_sample_of(b) != calls_per_sample_of(n)) {
      c.result = verdict::unsure;
      c.reason = fmt::format(
          "timing differs (calls per sample {} vs {}: batched samples leave out the launch gaps "
          "between calls): not comparable",
          calls_per_sample_of(b), calls_per_sample_of(n));
    } else {
      c.evidence = gather_evidence(c.base.repetition_medians, c.contender.repetition_medians, options,
                                   fnv1a(c.label(), options.seed));
    }
    result.cases.push_back(std::move(c));
  }
  for (const case_result& n : contender.results) {
    if (base_index.find(measurement_key_of(n)) == base_index.end()) {
      result.added.push_back({n.workload, n.backend, n.dtype_in, n.device_index, n.cache, n.result});
    }
  }
  if (result.cases.empty()) {
    throw input_error(
        fmt::format("{} and {} have no case in common (cases match by workload, backend, device, dtype "
                    "and cache policy)",
                    base_path, new_path));
  }

  // Multiple-testing correction over the cases that can be tested at all.
  std::vector<std::size_t> tested;
  std::vector<double> p_values;
  for (std::size_t i = 0; i < result.cases.size(); ++i) {
    const auto& e = result.cases[i].evidence;
    if (e && e->enough) {
      tested.push_back(i);
      p_values.push_back(e->p_value);
    }
  }
  const bool fdr = tested.size() > options.fdr_above;
  result.correction = fdr ? "benjamini-hochberg" : "holm";
  const std::vector<double> adjusted = fdr ? benjamini_hochberg_adjust(p_values) : holm_adjust(p_values);
  for (std::size_t t = 0; t < tested.size(); ++t) result.cases[tested[t]].p_adjusted = adjusted[t];

  double log_sum = 0.0;
  for (case_comparison& c : result.cases) {
    if (!c.evidence) continue;
    std::string noise_notes;
    if (!c.base.noise.empty()) noise_notes = "BASE " + c.base.noise;
    if (!c.contender.noise.empty()) noise_notes += (noise_notes.empty() ? "NEW " : "; NEW ") + c.contender.noise;
    const decision d = account_for_noise(
        decide(*c.evidence, c.p_adjusted.value_or(1.0), c.floor, options, std::nullopt, not_comparable), *c.evidence,
        c.floor, options.confidence, noise_notes);
    c.result = d.result;
    c.reason = d.reason;
    if (c.base.backend_version != c.contender.backend_version) {
      c.reason +=
          fmt::format("; backend version differs: '{}' vs '{}'", c.base.backend_version, c.contender.backend_version);
    }
    if (std::isfinite(c.evidence->ratio) && c.evidence->ratio > 0) {
      log_sum += std::log(c.evidence->ratio);
      ++result.geomean_cases;
    }
  }
  if (result.geomean_cases > 0) result.geomean_ratio = std::exp(log_sum / static_cast<double>(result.geomean_cases));
  return result;
}

}  // namespace accelbench
