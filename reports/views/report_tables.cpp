#include "reports/views/report_tables.hpp"

#include <fmt/format.h>

namespace accelbench {
namespace {

std::string or_dash(const std::string& s) { return s.empty() ? "-" : s; }

std::string join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (const std::string& i : items) out += (out.empty() ? "" : sep) + i;
  return out;
}

report_table inputs_table(const report& r) {
  report_table t{"inputs", "Inputs", "", {"file", "system", "host CPU", "results", "ceilings"}, {}, {}};
  t.intro = fmt::format("{} result file(s), merged into one cross-device table. Spec database: {}.", r.inputs.size(),
                        r.specs_dir);
  for (std::size_t i = 0; i < r.inputs.size(); ++i) {
    const report_input& in = r.inputs[i];
    t.rows.push_back({in.file, in.run.system.value("system_name", ""),
                      in.run.system.value("host_processor_model_name", ""), std::to_string(in.run.results.size()),
                      in.run.system.contains("ceilings") ? "yes" : "no (run with --ceilings)"});
    t.flagged.push_back(false);
  }
  return t;
}

std::vector<report_table> ceilings_tables(const report& r) {
  report_table machine{"ceilings-machine",
                       "Machine ceilings",
                       "",
                       {"system", "clock GHz", "clock source", "FMA units (assumed)", "pipes implied by measurement",
                        "STREAM triad GB/s", "triad method"},
                       {},
                       {}};
  machine.intro =
      "From `accelbench peak` (stored by `run --ceilings`). The theoretical peak is ISA x cores x FMA pipes x clock; "
      "the pipe count is a stated assumption, cross-checked against the measured FMA rate.";
  report_table per_dtype{
      "ceilings-dtype",
      "Ceilings per dtype",
      "",
      {"system", "dtype", "theoretical TFLOPS", "formula", "measured FMA TFLOPS", "best GEMM TFLOPS", "best GEMM"},
      {},
      {}};
  for (std::size_t i = 0; i < r.inputs.size(); ++i) {
    const auto c = r.ceilings_of(i);
    if (!c) continue;
    const std::string system = r.inputs[i].run.system.value("system_name", "");
    machine.rows.push_back(
        {system, format_figure(c->clock_ghz), c->clock_source,
         fmt::format("{} x {}-bit per core; {}", c->fma_pipes_per_core, c->vector_bits, c->fma_pipes_assumption),
         or_dash(format_figure(c->fma_pipes_implied)), or_dash(format_figure(c->triad_gbps)), c->triad_method});
    machine.flagged.push_back(false);
    for (const theoretical_peak& t : c->theoretical) {
      std::string gemm_text;
      std::optional<double> gemm;
      for (const gemm_ceiling& g : c->best_gemm) {
        if (g.dtype == t.dtype) {
          gemm = g.tflops;
          gemm_text = g.tflops ? g.workload + " on " + g.backend : g.reason;
        }
      }
      per_dtype.rows.push_back({system, t.dtype, or_dash(format_figure(t.tflops)), t.formula,
                                or_dash(format_figure(c->measured_fma_tflops(t.dtype))), or_dash(format_figure(gemm)),
                                or_dash(gemm_text)});
      per_dtype.flagged.push_back(false);
    }
  }
  if (machine.rows.empty()) return {};
  return {machine, per_dtype};
}

report_table results_table(const report& r) {
  report_table t{"results",
                 "Results",
                 "",
                 {"#", "system", "workload", "backend", "dtype", "outcome", "median s", "TFLOPS", "dense peak TFLOPS",
                  "% of peak", "% of ceiling", "FLOP/byte", "roofline bound s", "bound by", "% of roofline", "flag"},
                 {},
                 {}};
  t.intro =
      "% of peak: against the device's *dense* spec for the result's dtype (a CPU: the computed theoretical peak). "
      "% of ceiling: against the measured ceiling (FMA throughput, else best GEMM). TFLOPS only for verified results.";
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    const report_row& row = r.rows[i];
    const case_result& c = row.result;
    t.rows.push_back(
        {std::to_string(i + 1), r.inputs[row.input].run.system.value("system_name", ""), c.workload, c.backend,
         c.dtype_in,
         std::string(to_string(c.result)) + (c.reason.empty() || c.result == outcome::passed ? "" : ": " + c.reason),
         or_dash(format_figure(c.median_s())), or_dash(format_figure(c.tflops())),
         or_dash(format_figure(row.spec_dense_tflops)), or_dash(format_percent(row.pct_of_spec)),
         or_dash(format_percent(row.pct_of_ceiling)), format_figure(row.arithmetic_intensity),
         or_dash(format_figure(row.roofline_bound_s)), or_dash(row.roofline_limit),
         or_dash(format_percent(row.roofline_efficiency)), row.impossible ? "IMPOSSIBLE" : ""});
    t.flagged.push_back(row.impossible);
  }
  return t;
}

report_table best_table(const report& r) {
  report_table t{"best", "Achieved vs spec, per device and dtype",
                 "",     {"device", "dtype", "best TFLOPS", "dense peak TFLOPS", "% of peak", "workload", "backend"},
                 {},     {}};
  t.intro = "The best verified result per device and dtype; impossible results are excluded.";
  for (const best_entry& b : best_per_device(r)) {
    const report_row& row = r.rows[b.row];
    t.rows.push_back({b.device, b.dtype, format_figure(b.tflops), or_dash(format_figure(b.peak_tflops)),
                      or_dash(format_percent(b.pct_of_peak)), row.result.workload, row.result.backend});
    t.flagged.push_back(false);
  }
  return t;
}

report_table projections_table(const report& r) {
  report_table t{
      "projections", "Lower-bound time on the compared devices", "", {"#", "workload", "dtype", "measured s"}, {}, {}};
  t.intro =
      "The time the same workload would at least take on each device at its spec: max(FLOPs / dense peak for the "
      "dtype, min bytes / memory bandwidth). A lower bound, not a prediction: real kernels reach a fraction of it.";
  for (const std::string& id : r.compare_to) t.headers.push_back(id + " lower bound s");
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    const report_row& row = r.rows[i];
    std::vector<std::string> cells{std::to_string(i + 1), row.result.workload, row.result.dtype_in,
                                   or_dash(format_figure(row.result.median_s()))};
    for (const projected_time& p : row.projections) {
      cells.push_back(p.seconds ? fmt::format("{} ({})", format_figure(*p.seconds), p.limit) : "- (" + p.basis + ")");
    }
    t.rows.push_back(cells);
    t.flagged.push_back(row.impossible);
  }
  return t;
}

std::vector<report_table> press_tables(const report& r) {
  report_table claims{"press-claims",
                      "Press figures: what each quoted number is",
                      "",
                      {"device", "quoted", "context", "status", "is, in the spec database"},
                      {},
                      {}};
  claims.intro =
      "Headline numbers usually drop the precision and the sparsity asterisk. Each is looked up in the database "
      "(within 0.5 % rounding): only the same precision and density compare like for like.";
  for (const press_reading& p : r.press_claims) {
    claims.rows.push_back({p.device, format_spec_value(p.quoted) + " " + p.unit, p.context, p.status,
                           p.readings.empty() ? "no figure of the device matches" : join(p.readings, "; ")});
    claims.flagged.push_back(false);
  }
  report_table ratios{
      "press-ratios",
      "Press comparisons: quoted ratio vs like-for-like ratios",
      "",
      {"comparison", "quoted", "quoted ratio", "A is", "B is", "like for like?", "matched ratios (A / B)"},
      {},
      {}};
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
  report_table t{"flags", "Flags", "", {"#", "workload", "backend", "device", "flag"}, {}, {}};
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    const report_row& row = r.rows[i];
    const std::string throttled = row.result.throttle_summary();
    if (row.impossible) {
      t.rows.push_back(
          {std::to_string(i + 1), row.result.workload, row.result.backend, row.result.device_name, row.flag});
      t.flagged.push_back(true);
    }
    if (!throttled.empty()) {  // measured while the device lowered its clocks: slower than it can be
      t.rows.push_back(
          {std::to_string(i + 1), row.result.workload, row.result.backend, row.result.device_name, throttled});
      t.flagged.push_back(true);
    }
    const std::string noisy = row.result.noise_summary();
    if (!noisy.empty() && row.result.tflops()) {  // a median whose samples never settled
      t.rows.push_back({std::to_string(i + 1), row.result.workload, row.result.backend, row.result.device_name, noisy});
      t.flagged.push_back(true);
    }
  }
  t.intro = t.rows.empty()
                ? "No result exceeds its device's dense spec peak; no sample was taken while throttled; every "
                  "median met the noise target."
                : "Results above their device's dense spec peak (a timing or FLOP-count error, never a record), "
                  "results with samples taken while the device reported power or thermal throttling, and "
                  "results whose samples never met the noise target (the median is less certain).";
  return t;
}

report_table all_figures_table(const report& r) {
  report_table t{"all-figures", "All figures per result", "", {}, {}, {}};
  t.intro =
      "Every figure the report holds for each result (the CSV has the same columns). docs/reports.md explains each.";
  const std::vector<report_column> columns = report_columns(r);
  t.headers.push_back("#");
  for (const report_column& c : columns) t.headers.push_back(c.key);
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    std::vector<std::string> cells{std::to_string(i + 1)};
    for (const report_column& c : columns) cells.push_back(c.value(r, r.rows[i]));
    t.rows.push_back(cells);
    t.flagged.push_back(r.rows[i].impossible);
  }
  return t;
}

}  // namespace

std::vector<report_table> report_tables(const report& r) {
  std::vector<report_table> out{inputs_table(r)};
  for (report_table& t : ceilings_tables(r)) out.push_back(std::move(t));
  out.push_back(results_table(r));
  out.push_back(flags_table(r));
  out.push_back(best_table(r));
  if (!r.compare_to.empty()) out.push_back(projections_table(r));
  for (report_table& t : press_tables(r)) out.push_back(std::move(t));
  out.push_back(all_figures_table(r));
  return out;
}

}  // namespace accelbench
