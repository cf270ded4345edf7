#include "reports/views/report_tables.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "reports/model/number_format.hpp"
#include "reports/views/workload_axes.hpp"

namespace accelbench {
namespace {

std::string or_dash(const std::string& s) { return s.empty() ? "-" : s; }

std::string join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (const std::string& i : items) {
    if (!out.empty()) out += sep;
    out += i;
  }
  return out;
}

report_table table(std::string id, std::string title, std::string intro, std::vector<std::string> headers) {
  report_table t;
  t.id = std::move(id);
  t.title = std::move(title);
  t.intro = std::move(intro);
  t.headers = std::move(headers);
  return t;
}

std::string system_of(const report& r, std::size_t input) {
  return r.inputs[input].run.system.value("system_name", "");
}

report_table inputs_table(const report& r) {
  report_table t = table("inputs", "Inputs", "", {"file", "system", "host CPU", "results", "ceilings"});
  t.intro = fmt::format("{} result file(s), merged into one cross-device table. Spec database: {}.", r.inputs.size(),
                        r.specs_dir);
  for (std::size_t i = 0; i < r.inputs.size(); ++i) {
    const report_input& in = r.inputs[i];
    std::string ceilings = "no (measure with 'accelbench peak --out F'; report --ceilings F)";
    if (!in.ceilings_file.empty()) {
      ceilings = "from --ceilings " + in.ceilings_file;
    } else if (in.run.system.contains("ceilings")) {
      ceilings = "stored by run --ceilings";
    }
    t.rows.push_back({in.file, system_of(r, i), in.run.system.value("host_processor_model_name", ""),
                      std::to_string(in.run.results.size()), ceilings});
    t.flagged.push_back(false);
  }
  return t;
}

std::string cross_check(const machine_ceilings& c) {
  if (!c.fma_pipes_implied) return "-";
  return fmt::format(
      "{} ({})", human_rate(*c.fma_pipes_implied),
      c.fma_pipes_disagree() ? "DISAGREES with the assumed count: check the clock or the assumption" : "consistent");
}

std::vector<report_table> ceilings_tables(const report& r) {
  report_table machine =
      table("ceilings-machine", "Machine ceilings", "",
            {"system", "clock GHz", "clock source", "FMA units (assumed)", "pipes implied by measurement",
             "STREAM triad GB/s", "triad method", "read-only GB/s", "read method"});
  machine.intro =
      "From accelbench peak (stored by run --ceilings, or given to report --ceilings). The theoretical peak is ISA x "
      "cores x FMA pipes x clock; the pipe count is a stated assumption, cross-checked against the measured FMA rate.";
  report_table per_dtype = table(
      "ceilings-dtype", "Ceilings per dtype", "",
      {"system", "dtype", "theoretical TFLOPS", "formula", "measured FMA TFLOPS", "best GEMM TFLOPS", "best GEMM"});
  for (std::size_t i = 0; i < r.inputs.size(); ++i) {
    const auto c = r.ceilings_of(i);
    if (!c) continue;
    const std::string system = system_of(r, i);
    machine.rows.push_back(
        {system, human_rate(c->clock_ghz), c->clock_source,
         fmt::format("{} x {}-bit per core; {}", c->fma_pipes_per_core, c->vector_bits, c->fma_pipes_assumption),
         cross_check(*c), or_dash(human_rate(c->triad_gbps)), c->triad_method, or_dash(human_rate(c->read_gbps)),
         c->read_method.empty() ? "not measured (ceilings written before it)" : c->read_method});
    machine.flagged.push_back(c->fma_pipes_disagree());
    for (const theoretical_peak& t : c->theoretical) {
      std::string gemm_text;
      std::optional<double> gemm;
      for (const gemm_ceiling& g : c->best_gemm) {
        if (g.dtype == t.dtype) {
          gemm = g.tflops;
          gemm_text = g.tflops ? g.workload + " on " + g.backend : g.reason;
        }
      }
      per_dtype.rows.push_back({system, t.dtype, or_dash(human_rate(t.tflops)), t.formula,
                                or_dash(human_rate(c->measured_fma_tflops(t.dtype))), or_dash(human_rate(gemm)),
                                or_dash(gemm_text)});
      per_dtype.flagged.push_back(false);
    }
  }
  if (machine.rows.empty()) return {};
  return {machine, per_dtype};
}

std::string short_flag(const report_row& row) {
  std::vector<std::string> flags;
  if (row.impossible) flags.push_back("IMPOSSIBLE");
  if (row.above_ceiling) flags.push_back("ABOVE CEILING");
  if (row.ceilings_disagree) flags.push_back("CEILINGS DISAGREE");
  return join(flags, ", ");
}

bool suspect(const report_row& row) { return row.impossible || row.above_ceiling || row.ceilings_disagree; }

// The sweep axes every row of a kind shares, in their canonical order (nvbench's layout).
std::vector<std::string> axis_names(const report& r, const std::string& kind) {
  std::vector<std::string> names;
  for (const report_row& row : r.rows) {
    if (row.result.kind != kind) continue;
    const std::vector<workload_axis> axes = workload_axes(row.result.workload);
    if (axes.empty()) return {};  // a workload this build cannot read: keep the text column
    for (const workload_axis& a : axes) {
      if (std::find(names.begin(), names.end(), a.first) == names.end()) names.push_back(a.first);
    }
  }
  return names;
}

// Results of one kind: its sweep axes as columns, the headline figures, and the rest as extra
// columns the HTML opens on demand.
report_table results_table(const report& r, const std::string& kind) {
  const std::vector<std::string> axes = axis_names(r, kind);
  report_table t = table("results-" + kind, "Results: " + kind, "", {"#"});
  t.intro =
      "% of peak: against the device's dense spec for the result's dtype (a CPU: the computed theoretical peak). % of "
      "ceiling: against the measured ceiling (FMA throughput, else best GEMM). TFLOPS only for verified results.";
  if (axes.empty()) t.headers.push_back("workload");
  for (const std::string& a : axes) t.headers.push_back(a);
  const std::vector<std::string> headline{"backend", "dtype",     "outcome",      "median",
                                          "TFLOPS",  "% of peak", "% of ceiling", "flag"};
  const std::vector<std::string> extra{"system",   "dense peak TFLOPS", "FLOP/byte", "roofline bound",
                                       "bound by", "% of roofline",     "reason"};
  t.headers.insert(t.headers.end(), headline.begin(), headline.end());
  t.extra.assign(t.headers.size(), false);
  t.headers.insert(t.headers.end(), extra.begin(), extra.end());
  t.extra.resize(t.headers.size(), true);
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    const report_row& row = r.rows[i];
    const case_result& c = row.result;
    if (c.kind != kind) continue;
    std::vector<std::string> cells{std::to_string(i + 1)};
    if (axes.empty()) cells.push_back(c.workload);
    const std::vector<workload_axis> values = workload_axes(c.workload);
    for (const std::string& a : axes) {
      auto it = std::find_if(values.begin(), values.end(), [&](const workload_axis& v) { return v.first == a; });
      cells.push_back(it == values.end() ? "-" : it->second);
    }
    const std::vector<std::string> more{c.backend,
                                        c.dtype_in,
                                        std::string(to_string(c.result)),
                                        or_dash(human_duration(c.median_s())),
                                        or_dash(human_rate(c.tflops())),
                                        or_dash(human_percent(row.pct_of_spec)),
                                        or_dash(human_percent(row.pct_of_ceiling)),
                                        short_flag(row),
                                        system_of(r, row.input),
                                        or_dash(human_rate(row.spec_dense_tflops)),
                                        human_rate(row.arithmetic_intensity),
                                        or_dash(human_duration(row.roofline_bound_s)),
                                        or_dash(bound_wording(row.roofline_limit)),
                                        or_dash(human_percent(row.roofline_efficiency)),
                                        c.result == outcome::passed ? "" : c.reason};
    cells.insert(cells.end(), more.begin(), more.end());
    t.rows.push_back(cells);
    t.flagged.push_back(suspect(row));
  }
  return t;
}

std::vector<report_table> results_tables(const report& r) {
  std::vector<std::string> kinds;
  for (const report_row& row : r.rows) {
    if (std::find(kinds.begin(), kinds.end(), row.result.kind) == kinds.end()) kinds.push_back(row.result.kind);
  }
  std::vector<report_table> out;
  for (const std::string& k : kinds) out.push_back(results_table(r, k));
  return out;
}

report_table best_table(const report& r) {
  report_table t = table(
      "best", "Achieved vs spec, per device and dtype", "",
      {"device", "dtype", "best TFLOPS", "dense peak TFLOPS", "% of peak", "% of ceiling", "workload", "backend"});
  t.intro = "The best verified result per device and dtype; impossible results and the reference backend are excluded.";
  for (const best_entry& b : best_per_device(r)) {
    const report_row& row = r.rows[b.row];
    t.rows.push_back({b.device, b.dtype, human_rate(b.tflops), or_dash(human_rate(b.peak_tflops)),
                      or_dash(human_percent(b.pct_of_peak)), or_dash(human_percent(b.pct_of_ceiling)),
                      row.result.workload, row.result.backend});
    t.flagged.push_back(b.suspect);
  }
  return t;
}

// One row per workload: the bound depends on the workload alone, not on who measured it.
report_table projections_table(const report& r) {
  report_table t = table("projections", "Lower-bound time on the compared devices", "",
                         {"workload", "dtype", "fastest measured", "on"});
  t.intro =
      "The time the same workload would at least take on each device at its spec: max(FLOPs / dense peak for the "
      "dtype, min bytes / memory bandwidth). A lower bound, not a prediction: real kernels reach a fraction of it.";
  for (const std::string& id : r.compare_to) t.headers.push_back(id + " lower bound");
  std::map<std::string, std::size_t> row_of;  // workload -> table row
  std::vector<std::optional<double>> fastest;
  for (const report_row& row : r.rows) {
    const case_result& c = row.result;
    auto [it, fresh] = row_of.emplace(c.workload, t.rows.size());
    if (fresh) {
      std::vector<std::string> cells{c.workload, c.dtype_in, "-", "-"};
      for (const projected_time& p : row.projections) {
        cells.push_back(p.seconds ? fmt::format("{}, {}", human_duration(*p.seconds), bound_wording(p.limit))
                                  : "-: " + p.basis);
      }
      t.rows.push_back(cells);
      t.flagged.push_back(false);
      fastest.emplace_back();
    }
    const std::size_t i = it->second;
    const auto median = c.tflops() && !row.impossible && !is_reference_backend(row) ? c.median_s() : std::nullopt;
    if (median && (!fastest[i] || *median < *fastest[i])) {
      fastest[i] = median;
      t.rows[i][2] = human_duration(*median);
      t.rows[i][3] = fmt::format("{} on {}", c.backend, system_of(r, row.input));
    }
  }
  return t;
}

std::vector<report_table> press_tables(const report& r) {
  report_table claims = table("press-claims", "Press figures: what each quoted number is", "",
                              {"device", "quoted", "context", "status", "is, in the spec database"});
  claims.intro =
      "Headline numbers usually drop the precision and the sparsity asterisk. Each is looked up in the database "
      "(within 0.5 % rounding): only the same precision and density compare like for like.";
  for (const press_reading& p : r.press_claims) {
    claims.rows.push_back({p.device, format_spec_value(p.quoted) + " " + p.unit, p.context, p.status,
                           p.readings.empty() ? "no figure of the device matches" : join(p.readings, "; ")});
    claims.flagged.push_back(false);
  }
  report_table ratios =
      table("press-ratios", "Press comparisons: quoted ratio vs like-for-like ratios", "",
            {"comparison", "quoted", "quoted ratio", "A is", "B is", "like for like?", "matched ratios (A / B)"});
  for (const press_ratio& p : r.press_comparisons) {
    std::vector<std::string> matched;
    for (const matched_ratio& m : p.matched) {
      matched.push_back(
          fmt::format("{}: {} / {} = {:.3g}x", m.label, format_spec_value(m.a), format_spec_value(m.b), m.ratio));
    }
    ratios.rows.push_back({fmt::format("{}: {} vs {}", p.context, p.a, p.b),
                           fmt::format("{} vs {}", format_spec_value(p.a_quoted), format_spec_value(p.b_quoted)),
                           fmt::format("{:.3g}x", p.quoted_ratio), join(p.a_readings, "; "), join(p.b_readings, "; "),
                           p.like_for_like.empty() ? "NO: different precision or sparsity"
                                                   : "yes, if read as " + join(p.like_for_like, " or "),
                           matched.empty() ? "-" : join(matched, "; ")});
    ratios.flagged.push_back(p.like_for_like.empty());
  }
  return {claims, ratios};
}

report_table flags_table(const report& r) {
  report_table t = table("flags", "Flags", "", {"#", "workload", "backend", "device", "flag"});
  auto add = [&](const std::string& number, const std::string& workload, const std::string& backend,
                 const std::string& device, const std::string& text) {
    t.rows.push_back({number, workload, backend, device, text});
    t.flagged.push_back(true);
  };
  // Ceilings that failed peak's own cross-check: every % of peak and % of ceiling they give is suspect.
  for (std::size_t i = 0; i < r.inputs.size(); ++i) {
    const auto c = r.ceilings_of(i);
    if (!c || !c->fma_pipes_disagree()) continue;
    add("-", "(all results of " + r.inputs[i].file + ")", "-", c->host_processor_model_name,
        fmt::format("CEILINGS DISAGREE: the measured f32 FMA rate implies {} FMA pipes per core, the table assumes "
                    "{}: the clock or the assumption is wrong, so are % of peak and % of ceiling here (re-run "
                    "'accelbench peak' on a quiet machine)",
                    human_rate(c->fma_pipes_implied), c->fma_pipes_per_core));
  }
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    const report_row& row = r.rows[i];
    const case_result& c = row.result;
    const std::string n = std::to_string(i + 1);
    if (row.impossible) add(n, c.workload, c.backend, c.device_name, row.flag);
    if (row.above_ceiling) add(n, c.workload, c.backend, c.device_name, row.ceiling_flag);
    const std::string throttled = c.throttle_summary();
    // Measured while the device lowered its clocks: slower than it can be.
    if (!throttled.empty()) add(n, c.workload, c.backend, c.device_name, throttled);
    const std::string noisy = c.noise_summary();
    // A median whose samples never settled.
    if (!noisy.empty() && c.tflops()) add(n, c.workload, c.backend, c.device_name, noisy);
  }
  t.intro = t.rows.empty()
                ? "No result exceeds its device's dense spec peak or its measured ceiling; every ceiling passed its "
                  "cross-check; no sample was taken while throttled; every median met the noise target."
                : "Results above their device's dense spec peak (a timing or FLOP-count error, never a record) or "
                  "above the measured ceiling, ceilings whose cross-check disagrees, results with samples taken "
                  "while the device reported power or thermal throttling, and results whose samples never met the "
                  "noise target (the median is less certain).";
  return t;
}

report_table all_figures_table(const report& r) {
  report_table t = table("all-figures", "All figures per result", "", {});
  t.intro =
      "Every figure the report holds for each result (the CSV has the same columns, in full precision). "
      "docs/reports.md explains each.";
  t.collapsed = true;
  const std::vector<report_column> columns = report_columns(r);
  t.headers.push_back("#");
  for (const report_column& c : columns) t.headers.push_back(c.key);
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    std::vector<std::string> cells{std::to_string(i + 1)};
    for (const report_column& c : columns) cells.push_back(c.human(r, r.rows[i]));
    t.rows.push_back(cells);
    t.flagged.push_back(suspect(r.rows[i]));
  }
  return t;
}

}  // namespace

std::vector<report_table> report_tables(const report& r) {
  std::vector<report_table> out{inputs_table(r)};
  for (report_table& t : ceilings_tables(r)) out.push_back(std::move(t));
  for (report_table& t : results_tables(r)) out.push_back(std::move(t));
  out.push_back(flags_table(r));
  out.push_back(best_table(r));
  if (!r.compare_to.empty()) out.push_back(projections_table(r));
  for (report_table& t : press_tables(r)) out.push_back(std::move(t));
  for (const report_table& t : r.model_tables) out.push_back(t);
  out.push_back(all_figures_table(r));
  return out;
}

}  // namespace accelbench
