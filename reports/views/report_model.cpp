#include "reports/views/report_model.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "kernels/spec/errors.hpp"
#include "reports/model/json_output.hpp"
#include "reports/model/number_format.hpp"
#include "reports/views/press_ratio.hpp"

namespace accelbench {
namespace {

using json = nlohmann::ordered_json;

// The dense peak a result is judged against. FP64 GEMM may run on FP64 tensor units, so an f64
// result is held to the faster of the vector and tensor rates (the honest upper bound).
struct peak_choice {
  std::optional<double> tflops;
  std::string label;  // "bf16 dense 989.4 TFLOPS"
  std::string status;
};

peak_choice dense_peak(const device_spec& d, spec_dtype dt) {
  peak_choice best;
  std::vector<spec_dtype> candidates{dt};
  if (dt == spec_dtype::f64) candidates.push_back(spec_dtype::f64_tensor);
  for (spec_dtype c : candidates) {
    const spec_rate* r = d.rate(c);
    if (r == nullptr || !r->dense) continue;
    if (!best.tflops || *r->dense > *best.tflops) {
      best.tflops = r->dense;
      best.label = fmt::format("{} dense {} {}", to_string(c), format_spec_value(*r->dense), r->unit);
      best.status = std::string(to_string(r->status));
    }
  }
  return best;
}

// max(flops / peak, bytes / bandwidth), and which term wins. Without a bandwidth the compute
// term alone is still a valid lower bound, labelled as such.
void bound(double flops, double bytes, std::optional<double> peak_tflops, std::optional<double> gbps,
           std::optional<double>& seconds, std::string& limit) {
  if (!peak_tflops || *peak_tflops <= 0) return;
  const double compute = flops / (*peak_tflops * 1e12);
  if (!gbps || *gbps <= 0) {
    seconds = compute;
    limit = "compute only";
    return;
  }
  const double memory = bytes / (*gbps * 1e9);
  seconds = std::max(compute, memory);
  limit = compute >= memory ? "compute" : "memory";
}

void build_press(report& out, const spec_database& db) {
  for (const press_claim& c : db.press_claims()) {
    const device_spec& d = db.require(c.device, "press claim");
    out.press_claims.push_back(
        {d.id, c.context, c.unit, c.quoted, std::string(to_string(d.status)), readings_of(d, c.quoted, c.unit)});
  }
  for (const press_comparison& c : db.press_comparisons()) {
    out.press_comparisons.push_back(read_quoted_pair(db.require(c.a, "press comparison"), c.a_quoted,
                                                     db.require(c.b, "press comparison"), c.b_quoted, c.context));
  }
}

void derive(report_row& row, const report_input& input, const std::optional<machine_ceilings>& ceilings,
            const spec_database& db, const std::vector<const device_spec*>& compare) {
  const case_result& r = row.result;
  std::vector<double> samples;
  for (const repetition_record& rep : r.repetitions)
    samples.insert(samples.end(), rep.samples_s.begin(), rep.samples_s.end());
  row.all_samples = summarize(samples);
  const auto dt = spec_dtype_for_result(r.dtype_in);
  row.spec_dtype = dt ? std::string(to_string(*dt)) : r.dtype_in;
  row.arithmetic_intensity = r.min_bytes > 0 ? static_cast<double>(r.flops) / static_cast<double>(r.min_bytes) : 0.0;
  const auto tflops = r.tflops();

  if (r.device_kind == "cpu") {
    if (!ceilings) {
      row.spec_basis = fmt::format(
          "no ceilings in {} (measure with 'accelbench peak --out F', then report --ceilings F)", input.file);
    } else {
      row.spec_device = "host CPU (computed)";
      for (const theoretical_peak& t : ceilings->theoretical) {
        if (t.dtype != r.dtype_in) continue;
        row.spec_dense_tflops = t.tflops;
        row.spec_status = "computed";
        row.spec_basis =
            t.tflops ? fmt::format("{}: {} ({})", ceilings->host_processor_model_name, t.formula, t.isa) : t.formula;
      }
      if (row.spec_basis.empty()) row.spec_basis = fmt::format("the ceilings give no theoretical {} peak", r.dtype_in);
      if (const auto fma = ceilings->measured_fma_tflops(r.dtype_in)) {
        row.ceiling_tflops = fma;
        for (const measured_rate& m : ceilings->measured_fma) {
          if (m.dtype == r.dtype_in) {
            row.ceiling_kind = fmt::format("measured FMA ({})", m.isa);
            break;
          }
        }
      } else {
        for (const gemm_ceiling& g : ceilings->best_gemm) {
          if (g.dtype == r.dtype_in && g.tflops) {
            row.ceiling_tflops = g.tflops;
            row.ceiling_kind = fmt::format("best GEMM ({}, {})", g.backend, g.workload);
          }
        }
      }
      // The roof is the best bandwidth measured: a kernel that only reads (a decode GEMM streaming
      // B) can beat the triad, which writes a third of what it counts.
      if (ceilings->read_gbps && (!ceilings->triad_gbps || *ceilings->read_gbps > *ceilings->triad_gbps)) {
        row.bandwidth_gbps = ceilings->read_gbps;
        row.bandwidth_basis = "measured read-only bandwidth";
      } else {
        row.bandwidth_gbps = ceilings->triad_gbps;
        if (row.bandwidth_gbps) row.bandwidth_basis = "measured STREAM triad";
      }
      row.ceilings_disagree = ceilings->fma_pipes_disagree();
    }
  } else if (const device_spec* d = db.find(r.device_name)) {
    row.spec_device = d->id;
    if (dt) {
      const peak_choice peak = dense_peak(*d, *dt);
      row.spec_dense_tflops = peak.tflops;
      row.spec_status = peak.status;
      row.spec_basis = peak.tflops
                           ? fmt::format("{} ({})", peak.label, d->origin.substr(d->origin.find_last_of('/') + 1))
                           : fmt::format("{} quotes no dense {} figure", d->id, row.spec_dtype);
    } else {
      row.spec_basis = fmt::format("the database quotes no {} figures", r.dtype_in);
    }
    row.bandwidth_gbps = d->memory_bandwidth_gbps;
    row.bandwidth_basis = d->memory_bandwidth_gbps ? "spec memory bandwidth" : "";
  } else {
    row.spec_basis = fmt::format("'{}' matches no spec database id or alias", r.device_name);
  }

  if (tflops && row.spec_dense_tflops) {
    row.pct_of_spec = 100.0 * *tflops / *row.spec_dense_tflops;
    if (*tflops > *row.spec_dense_tflops) {
      row.impossible = true;
      row.flag = fmt::format(
          "IMPOSSIBLE: {} TFLOPS is {:.2f}x the dense {} peak ({}): a timing or FLOP-count error, "
          "not a record",
          human_rate(*tflops), *tflops / *row.spec_dense_tflops, row.spec_dtype, human_rate(*row.spec_dense_tflops));
    }
  }
  if (tflops && row.ceiling_tflops) {
    row.pct_of_ceiling = 100.0 * *tflops / *row.ceiling_tflops;
    if (*row.pct_of_ceiling > 100.0) {
      row.above_ceiling = true;
      row.ceiling_flag = fmt::format(
          "ABOVE CEILING: {} TFLOPS is {} of the {} ceiling ({} TFLOPS): the ceiling was measured too low "
          "(re-run 'accelbench peak' on a quiet machine) or the timing is wrong",
          human_rate(*tflops), human_percent(row.pct_of_ceiling), row.ceiling_kind, human_rate(row.ceiling_tflops));
    }
  }
  bound(static_cast<double>(r.flops), static_cast<double>(r.min_bytes), row.spec_dense_tflops, row.bandwidth_gbps,
        row.roofline_bound_s, row.roofline_limit);
  if (row.roofline_bound_s && r.median_s() && tflops)
    row.roofline_efficiency = 100.0 * *row.roofline_bound_s / *r.median_s();

  for (const device_spec* d : compare) {
    projected_time p;
    p.device = d->id;
    if (!dt) {
      p.basis = fmt::format("no {} figures in the database", r.dtype_in);
    } else {
      const peak_choice peak = dense_peak(*d, *dt);
      p.peak_tflops = peak.tflops;
      p.bandwidth_gbps = d->memory_bandwidth_gbps;
      bound(static_cast<double>(r.flops), static_cast<double>(r.min_bytes), peak.tflops, d->memory_bandwidth_gbps,
            p.seconds, p.limit);
      p.basis = peak.tflops
                    ? fmt::format("{}, {} GB/s", peak.label,
                                  d->memory_bandwidth_gbps ? format_spec_value(*d->memory_bandwidth_gbps) : "unknown")
                    : fmt::format("{} quotes no dense {} figure", d->id, to_string(*dt));
    }
    row.projections.push_back(std::move(p));
  }
}

}  // namespace

std::string bound_wording(const std::string& limit) {
  if (limit == "compute only") return "compute (bandwidth unknown)";
  return limit.empty() ? "" : limit + "-bound";
}

bool is_reference_backend(const report_row& row) { return row.result.backend == "reference"; }

void apply_ceilings(std::vector<report_input>& inputs, const machine_ceilings& ceilings, const std::string& file) {
  std::string others;
  bool applied = false;
  for (report_input& in : inputs) {
    const std::string cpu = in.run.system.value("host_processor_model_name", "");
    if (cpu != ceilings.host_processor_model_name) {
      others += fmt::format("{}'{}' ({})", others.empty() ? "" : ", ", cpu, in.file);
      continue;
    }
    in.run.system["ceilings"] = to_json(ceilings);
    in.ceilings_file = file;
    applied = true;
  }
  if (!applied) {
    throw input_error(fmt::format(
        "--ceilings '{}': measured on '{}', but no input was (inputs: {}); run 'accelbench peak --out FILE' on the "
        "machine that measured them",
        file, ceilings.host_processor_model_name, others));
  }
}

std::optional<machine_ceilings> report::ceilings_of(std::size_t input) const {
  const json& system = inputs.at(input).run.system;
  if (!system.contains("ceilings")) return std::nullopt;
  return ceilings_from_json(system["ceilings"], inputs.at(input).file, "system.ceilings");
}

report build_report(std::vector<report_input> inputs, const spec_database& db,
                    const std::vector<std::string>& compare_to) {
  report out;
  out.specs_dir = db.directory();
  std::vector<const device_spec*> compare;
  for (const std::string& name : compare_to) {
    const device_spec& d = db.require(name, "--compare-to");
    compare.push_back(&d);
    out.compare_to.push_back(d.id);
  }
  out.inputs = std::move(inputs);
  for (std::size_t i = 0; i < out.inputs.size(); ++i) {
    const std::optional<machine_ceilings> ceilings = out.ceilings_of(i);
    for (const case_result& r : out.inputs[i].run.results) {
      report_row row;
      row.input = i;
      row.result = r;
      derive(row, out.inputs[i], ceilings, db, compare);
      out.rows.push_back(std::move(row));
    }
  }
  build_press(out, db);
  return out;
}

std::string report_column::human(const report& r, const report_row& row) const {
  const report_cell c = value(r, row);
  return kind ? human_figure(c.number, *kind) : c.text;
}

std::string report_column::full(const report& r, const report_row& row) const {
  const report_cell c = value(r, row);
  return kind ? full_figure(c.number) : c.text;
}

std::vector<report_column> report_columns(const report& rep) {
  using row_t = report_row;
  using number = std::optional<double>;
  std::vector<report_column> c;
  auto text = [&](std::string key, std::string title, std::function<std::string(const report&, const row_t&)> f) {
    c.push_back({std::move(key), std::move(title), std::nullopt, [f](const report& R, const row_t& r) {
                   return report_cell{f(R, r), std::nullopt};
                 }});
  };
  auto figure = [&](std::string key, std::string title, figure_kind kind,
                    std::function<number(const report&, const row_t&)> f) {
    c.push_back({std::move(key), std::move(title), kind, [f](const report& R, const row_t& r) {
                   return report_cell{"", f(R, r)};
                 }});
  };
  auto verification = [](const row_t& r) -> const verification_result* {
    return r.result.verification ? &*r.result.verification : nullptr;
  };
  auto verified = [=](double verification_result::*field) {
    return [=](const report&, const row_t& r) { return verification(r) ? number(verification(r)->*field) : number(); };
  };
  text("file", "file", [](const report& R, const row_t& r) { return R.inputs[r.input].file; });
  text("system", "system",
       [](const report& R, const row_t& r) { return R.inputs[r.input].run.system.value("system_name", ""); });
  text("host_cpu", "host CPU", [](const report& R, const row_t& r) {
    return R.inputs[r.input].run.system.value("host_processor_model_name", "");
  });
  text("workload", "workload", [](const report&, const row_t& r) { return r.result.workload; });
  text("kind", "kind", [](const report&, const row_t& r) { return r.result.kind; });
  text("backend", "backend", [](const report&, const row_t& r) { return r.result.backend; });
  text("backend_version", "backend version", [](const report&, const row_t& r) { return r.result.backend_version; });
  text("device", "device",
       [](const report&, const row_t& r) { return fmt::format("{}:{}", r.result.device_index, r.result.device_name); });
  text("device_kind", "device kind", [](const report&, const row_t& r) { return r.result.device_kind; });
  text("dtype", "dtype", [](const report&, const row_t& r) { return r.result.dtype_in; });
  text("dtype_out", "dtype out", [](const report&, const row_t& r) { return r.result.dtype_out; });
  text("dtype_acc", "dtype acc", [](const report&, const row_t& r) { return r.result.dtype_acc; });
  text("cache_policy", "cache", [](const report&, const row_t& r) { return std::string(to_string(r.result.cache)); });
  text("outcome", "outcome", [](const report&, const row_t& r) { return std::string(to_string(r.result.result)); });
  text("reason", "reason", [](const report&, const row_t& r) { return r.result.reason; });
  text("plan", "plan", [](const report&, const row_t& r) { return r.result.plan_description; });
  text("verification_method", "verification",
       [=](const report&, const row_t& r) { return verification(r) ? verification(r)->method : std::string(); });
  figure("verification_error", "verification error", figure_kind::small, verified(&verification_result::error));
  figure("verification_tolerance", "tolerance", figure_kind::small, verified(&verification_result::tolerance));
  figure("max_local_error", "max local error", figure_kind::small, verified(&verification_result::max_local_error));
  text("non_finite", "non-finite", [=](const report&, const row_t& r) {
    return verification(r) ? std::to_string(verification(r)->non_finite) : std::string();
  });
  figure("zero_fraction", "zero fraction", figure_kind::small, verified(&verification_result::zero_fraction));
  text("seed", "seed", [](const report&, const row_t& r) { return std::to_string(r.result.seed); });
  text("input_distribution", "inputs", [](const report&, const row_t& r) { return r.result.input_distribution; });
  text("flops", "FLOPs", [](const report&, const row_t& r) { return std::to_string(r.result.flops); });
  text("flop_convention", "FLOP convention", [](const report&, const row_t& r) { return r.result.flop_convention; });
  text("min_bytes", "min bytes", [](const report&, const row_t& r) { return std::to_string(r.result.min_bytes); });
  figure("median_s", "median", figure_kind::duration,
         [](const report&, const row_t& r) { return r.result.median_s(); });
  figure("tflops", "TFLOPS", figure_kind::rate, [](const report&, const row_t& r) { return r.result.tflops(); });
  figure("gbps", "GB/s", figure_kind::rate, [](const report&, const row_t& r) { return r.result.gbps(); });
  auto stat = [](double sample_statistics::*field) {
    return [field](const report&, const row_t& r) {
      return r.all_samples.count > 0 ? number(r.all_samples.*field) : number();
    };
  };
  text("samples", "samples", [](const report&, const row_t& r) { return std::to_string(r.all_samples.count); });
  figure("min_s", "min", figure_kind::duration, stat(&sample_statistics::min));
  figure("q1_s", "q1", figure_kind::duration, stat(&sample_statistics::q1));
  figure("q3_s", "q3", figure_kind::duration, stat(&sample_statistics::q3));
  figure("iqr_s", "IQR", figure_kind::duration, stat(&sample_statistics::iqr));
  figure("max_s", "max", figure_kind::duration, stat(&sample_statistics::max));
  figure("mean_s", "mean", figure_kind::duration, stat(&sample_statistics::mean));
  figure("stdev_s", "stdev", figure_kind::duration, stat(&sample_statistics::stdev));
  figure("cv", "CV", figure_kind::small, stat(&sample_statistics::cv));
  text("repetitions", "repetitions",
       [](const report&, const row_t& r) { return std::to_string(r.result.repetitions.size()); });
  figure("prepare_s", "prepare", figure_kind::duration,
         [](const report&, const row_t& r) { return r.result.prepare_s; });
  figure("verify_s", "verify", figure_kind::duration, [](const report&, const row_t& r) { return r.result.verify_s; });
  text("spec_device", "spec device", [](const report&, const row_t& r) { return r.spec_device; });
  text("spec_dtype", "spec dtype", [](const report&, const row_t& r) { return r.spec_dtype; });
  figure("spec_dense_tflops", "dense peak TFLOPS", figure_kind::rate,
         [](const report&, const row_t& r) { return r.spec_dense_tflops; });
  text("spec_status", "spec status", [](const report&, const row_t& r) { return r.spec_status; });
  text("spec_basis", "peak basis", [](const report&, const row_t& r) { return r.spec_basis; });
  figure("pct_of_spec", "% of peak", figure_kind::percent, [](const report&, const row_t& r) { return r.pct_of_spec; });
  figure("ceiling_tflops", "ceiling TFLOPS", figure_kind::rate,
         [](const report&, const row_t& r) { return r.ceiling_tflops; });
  text("ceiling_kind", "ceiling", [](const report&, const row_t& r) { return r.ceiling_kind; });
  figure("pct_of_ceiling", "% of ceiling", figure_kind::percent,
         [](const report&, const row_t& r) { return r.pct_of_ceiling; });
  figure("arithmetic_intensity", "FLOP/byte", figure_kind::rate,
         [](const report&, const row_t& r) { return number(r.arithmetic_intensity); });
  figure("bandwidth_gbps", "roof GB/s", figure_kind::rate,
         [](const report&, const row_t& r) { return r.bandwidth_gbps; });
  text("bandwidth_basis", "bandwidth basis", [](const report&, const row_t& r) { return r.bandwidth_basis; });
  figure("roofline_bound_s", "roofline bound", figure_kind::duration,
         [](const report&, const row_t& r) { return r.roofline_bound_s; });
  text("roofline_limit", "bound by", [](const report&, const row_t& r) { return bound_wording(r.roofline_limit); });
  figure("roofline_efficiency", "% of roofline", figure_kind::percent,
         [](const report&, const row_t& r) { return r.roofline_efficiency; });
  text("flag", "flag", [](const report&, const row_t& r) { return r.flag; });
  text("ceiling_flag", "ceiling flag", [](const report&, const row_t& r) { return r.ceiling_flag; });
  for (std::size_t i = 0; i < rep.compare_to.size(); ++i) {
    const std::string id = rep.compare_to[i];
    figure(fmt::format("lower_bound_s_{}", id), fmt::format("{} lower bound", id), figure_kind::duration,
           [i](const report&, const row_t& r) { return r.projections.at(i).seconds; });
    text(fmt::format("lower_bound_basis_{}", id), fmt::format("{} basis", id), [i](const report&, const row_t& r) {
      const projected_time& p = r.projections.at(i);
      return p.limit.empty() ? p.basis : fmt::format("{}; {}", bound_wording(p.limit), p.basis);
    });
  }
  text("repro", "repro", [](const report&, const row_t& r) { return r.result.repro_command(); });
  return c;
}

std::string device_label(const report& r, const report_row& row) {
  const std::string system = r.inputs[row.input].run.system.value("system_name", "");
  if (row.result.device_kind == "cpu") {
    return fmt::format(
        "{} ({})", r.inputs[row.input].run.system.value("host_processor_model_name", row.result.device_name), system);
  }
  return fmt::format("{} ({})", row.spec_device.empty() ? row.result.device_name : row.spec_device, system);
}

std::vector<best_entry> best_per_device(const report& r) {
  std::vector<best_entry> out;
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    const report_row& row = r.rows[i];
    const auto tflops = row.result.tflops();
    if (!tflops || row.impossible || is_reference_backend(row)) continue;
    const std::string device = device_label(r, row);
    const best_entry entry{device,
                           row.result.dtype_in,
                           i,
                           *tflops,
                           row.spec_dense_tflops,
                           row.pct_of_spec,
                           row.pct_of_ceiling,
                           row.above_ceiling || row.ceilings_disagree};
    auto it = std::find_if(out.begin(), out.end(),
                           [&](const best_entry& e) { return e.device == device && e.dtype == row.result.dtype_in; });
    if (it == out.end()) {
      out.push_back(entry);
    } else if (*tflops > it->tflops) {
      *it = entry;
    }
  }
  return out;
}

json to_json(const report& r) {
  json inputs = json::array();
  for (std::size_t i = 0; i < r.inputs.size(); ++i) {
    const report_input& in = r.inputs[i];
    const std::optional<machine_ceilings> ceilings = r.ceilings_of(i);
    inputs.push_back({{"file", in.file},
                      {"system_name", in.run.system.value("system_name", "")},
                      {"host_processor_model_name", in.run.system.value("host_processor_model_name", "")},
                      {"has_ceilings", ceilings.has_value()},
                      {"ceilings_file", in.ceilings_file},
                      {"ceilings_disagree", ceilings && ceilings->fma_pipes_disagree()},
                      {"results", in.run.results.size()}});
  }
  json rows = json::array();
  for (const report_row& row : r.rows) {
    json projections = json::array();
    for (const projected_time& p : row.projections) {
      projections.push_back(
          {{"device", p.device}, {"lower_bound_s", number_or_null(p.seconds)}, {"limit", p.limit}, {"basis", p.basis}});
    }
    const case_result& c = row.result;
    rows.push_back({{"file", r.inputs[row.input].file},
                    {"workload", c.workload},
                    {"backend", c.backend},
                    {"device", c.device_name},
                    {"device_kind", c.device_kind},
                    {"dtype", c.dtype_in},
                    {"outcome", to_string(c.result)},
                    {"median_s", number_or_null(c.median_s())},
                    {"tflops", number_or_null(c.tflops())},
                    {"gbps", number_or_null(c.gbps())},
                    {"verification_error", c.verification ? number_or_null(c.verification->error) : json(nullptr)},
                    {"spec_device", row.spec_device},
                    {"spec_dtype", row.spec_dtype},
                    {"spec_dense_tflops", number_or_null(row.spec_dense_tflops)},
                    {"spec_status", row.spec_status},
                    {"spec_basis", row.spec_basis},
                    {"pct_of_spec", number_or_null(row.pct_of_spec)},
                    {"ceiling_tflops", number_or_null(row.ceiling_tflops)},
                    {"ceiling_kind", row.ceiling_kind},
                    {"pct_of_ceiling", number_or_null(row.pct_of_ceiling)},
                    {"arithmetic_intensity", row.arithmetic_intensity},
                    {"bandwidth_gbps", number_or_null(row.bandwidth_gbps)},
                    {"bandwidth_basis", row.bandwidth_basis},
                    {"roofline_bound_s", number_or_null(row.roofline_bound_s)},
                    {"roofline_limit", row.roofline_limit},
                    {"roofline_efficiency", number_or_null(row.roofline_efficiency)},
                    {"impossible", row.impossible},
                    {"flag", row.flag},
                    {"above_ceiling", row.above_ceiling},
                    {"ceiling_flag", row.ceiling_flag},
                    {"ceilings_disagree", row.ceilings_disagree},
                    {"projections", projections}});
  }
  json claims = json::array();
  for (const press_reading& p : r.press_claims) {
    claims.push_back({{"device", p.device},
                      {"quoted", p.quoted},
                      {"unit", p.unit},
                      {"context", p.context},
                      {"status", p.status},
                      {"is", p.readings}});
  }
  json comparisons = json::array();
  for (const press_ratio& p : r.press_comparisons) {
    json matched = json::array();
    for (const matched_ratio& m : p.matched)
      matched.push_back({{"precision", m.label}, {"a", m.a}, {"b", m.b}, {"ratio", m.ratio}});
    comparisons.push_back({{"context", p.context},
                           {"a", p.a},
                           {"a_quoted", p.a_quoted},
                           {"a_is", p.a_readings},
                           {"b", p.b},
                           {"b_quoted", p.b_quoted},
                           {"b_is", p.b_readings},
                           {"quoted_ratio", p.quoted_ratio},
                           {"like_for_like", p.like_for_like},
                           {"matched_ratios", matched}});
  }
  json model_tables = json::array();
  for (const report_table& t : r.model_tables) {
    model_tables.push_back(
        {{"id", t.id}, {"title", t.title}, {"intro", t.intro}, {"headers", t.headers}, {"rows", t.rows}});
  }
  return {{"report_version", 2},
          {"specs_dir", r.specs_dir},
          {"compare_to", r.compare_to},
          {"inputs", inputs},
          {"results", rows},
          {"press", {{"claims", claims}, {"comparisons", comparisons}}},
          {"models", model_tables}};
}

}  // namespace accelbench
