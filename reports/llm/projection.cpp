#include "reports/llm/projection.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <regex>

#include <fmt/format.h>

#include "kernels/spec/errors.hpp"

namespace accelbench {
namespace {

// How far apart two workloads of one kind are: the summed |log ratio| of their sizes.
double distance(const workload& a, const workload& b) {
  auto term = [](std::int64_t x, std::int64_t y) { return std::abs(std::log(double(x) / double(y))); };
  if (const auto* ga = std::get_if<gemm_workload>(&a)) {
    const auto& gb = std::get<gemm_workload>(b);
    return term(ga->m, gb.m) + term(ga->n, gb.n) + term(ga->k, gb.k) + term(ga->batch, gb.batch) +
           (ga->trans_a != gb.trans_a || ga->trans_b != gb.trans_b ? 0.1 : 0.0);
  }
  const auto& aa = std::get<attention_workload>(a);
  const auto& ab = std::get<attention_workload>(b);
  return term(aa.b * aa.hq, ab.b * ab.hq) + term(aa.hkv, ab.hkv) + term(aa.sq, ab.sq) + term(aa.skv, ab.skv) +
         term(aa.d, ab.d) + (aa.causal != ab.causal ? 1.0 : 0.0);
}

std::string roofline_basis(const roofline_time& r, const device_spec& d) {
  if (!r.bandwidth_known)
    return fmt::format("flops / {} TFLOPS (bandwidth not quoted: compute term only)", r.peak_tflops);
  return fmt::format("max(flops / {} TFLOPS, bytes / {} GB/s): {}", r.peak_tflops, *d.memory_bandwidth_gbps,
                     r.memory_bound ? "memory-bound" : "compute-bound");
}

item_time time_item(const lowered_item& li, std::size_t index, const projection_target& target,
                    const std::vector<measured_case>& measured) {
  item_time t;
  t.item = index;
  const measured_case* exact = nullptr;
  const measured_case* nearest = nullptr;
  double nearest_distance = std::numeric_limits<double>::infinity();
  for (const measured_case& c : measured) {
    if (c.device != target.id) continue;
    if (c.workload == li.text) {
      if (exact == nullptr || c.seconds < exact->seconds) exact = &c;
      continue;
    }
    const workload w = parse_workload(c.workload);
    if (kind_name(w) != kind_name(li.work) || dtypes_of(w).in != dtypes_of(li.work).in) continue;
    const double dist = distance(li.work, w);
    if (dist < nearest_distance) {
      nearest_distance = dist;
      nearest = &c;
    }
  }
  if (exact != nullptr) {
    t.seconds = exact->seconds;
    t.source = provenance::measured;
    t.basis = fmt::format("median, {} backend", exact->backend);
    t.power_w = exact->power_w;
    return t;
  }
  if (target.spec == nullptr) {
    t.basis = "not measured, and the device has no spec figures";
    return t;
  }
  const auto bound = spec_roofline(li.work, *target.spec);
  if (!bound) {
    t.basis = fmt::format("{} quotes no dense rate for {}", target.id, to_string(dtypes_of(li.work).in));
    return t;
  }
  if (nearest != nullptr) {
    const auto near_bound = spec_roofline(parse_workload(nearest->workload), *target.spec);
    if (near_bound) {
      const double efficiency = near_bound->seconds / nearest->seconds;
      t.seconds = bound->seconds / efficiency;
      t.source = provenance::efficiency;
      t.basis = fmt::format("{:.1f}% of the roofline, as measured for {} ({})", efficiency * 100.0, nearest->workload,
                            nearest->backend);
      return t;
    }
  }
  t.seconds = bound->seconds;
  t.source = provenance::roofline;
  t.compute_only = !bound->bandwidth_known;
  t.basis = roofline_basis(*bound, *target.spec);
  return t;
}

std::string joined_label(provenance kernels, bool compute_only, bool with_model) {
  std::string text(to_string(kernels));
  if (compute_only) text += " (compute only)";
  if (with_model) text += " + model";
  return text;
}

}  // namespace

std::string_view to_string(provenance p) {
  switch (p) {
    case provenance::measured:
      return "measured";
    case provenance::efficiency:
      return "efficiency";
    case provenance::roofline:
      return "roofline";
    case provenance::model:
      return "model";
    case provenance::spec:
      return "spec";
    case provenance::tdp:
      return "tdp";
  }
  return "?";
}

std::vector<measured_case> measured_cases(const std::vector<run_record>& runs, const spec_database& db) {
  std::vector<measured_case> out;
  for (const run_record& run : runs) {
    for (const case_result& r : run.results) {
      const auto median = r.median_s();
      if (r.result != outcome::passed || !median || *median <= 0.0) continue;
      const device_spec* d = db.find(r.device_name);
      double power = 0.0;
      int readings = 0;
      for (const repetition_record& rep : r.repetitions) {
        for (const telemetry_reading& t : rep.telemetry) {
          if (t.power_w) {
            power += *t.power_w;
            ++readings;
          }
        }
      }
      out.push_back({d != nullptr ? d->id : r.device_name, r.workload, r.backend, *median,
                     readings > 0 ? std::optional<double>(power / readings) : std::nullopt});
    }
  }
  return out;
}

projection_target resolve_target(const std::string& name, const spec_database& db,
                                 const std::vector<measured_case>& measured) {
  for (const measured_case& c : measured) {
    if (c.device == name) return {name, db.find(name)};
  }
  if (const device_spec* d = db.find(name)) return {d->id, d};
  try {
    const auto found = db.resolve(name, "--device");  // a family name ("H100") picks its flagship
    return {found.device->id, found.device};
  } catch (const input_error& e) {
    std::vector<std::string> seen;
    for (const measured_case& c : measured) {
      if (std::find(seen.begin(), seen.end(), c.device) == seen.end()) seen.push_back(c.device);
    }
    if (seen.empty()) throw;
    throw input_error(fmt::format("{}; or a device of the results: {}", e.what(), fmt::join(seen, ", ")));
  }
}

std::optional<roofline_time> spec_roofline(const workload& w, const device_spec& d) {
  const auto precision = spec_dtype_for_result(to_string(dtypes_of(w).in));
  if (!precision) return std::nullopt;
  const auto peak = d.dense(*precision);
  if (!peak || *peak <= 0.0) return std::nullopt;
  roofline_time r;
  r.peak_tflops = *peak;
  const double compute = double(flops(w)) / (*peak * 1e12);
  r.seconds = compute;
  if (d.memory_bandwidth_gbps && *d.memory_bandwidth_gbps > 0.0) {
    r.bandwidth_known = true;
    const double memory = double(min_bytes(w)) / (*d.memory_bandwidth_gbps * 1e9);
    r.memory_bound = memory > compute;
    r.seconds = std::max(compute, memory);
  }
  return r;
}

std::optional<double> memory_bytes(const device_spec& d) {
  if (!d.memory_gb) return std::nullopt;
  return *d.memory_gb * 1e9;
}

memory_fit fit_memory(const model_description& m, std::int64_t kv_tokens, std::optional<double> device_bytes) {
  memory_fit f;
  f.weight_bytes = m.weight_bytes();
  f.kv_bytes_per_token = m.kv_bytes_per_token();
  f.kv_tokens = kv_tokens;
  if (!device_bytes || *device_bytes <= 0.0) return f;
  const double capacity = *device_bytes;
  f.device_bytes = capacity;
  const double need = double(f.weight_bytes) + double(kv_tokens) * double(f.kv_bytes_per_token);
  f.fits = need <= capacity;
  const double room = capacity - double(f.weight_bytes);
  f.max_kv_tokens = room <= 0.0 ? 0 : static_cast<std::int64_t>(std::floor(room / double(f.kv_bytes_per_token)));
  // Tensor parallelism splits weights and KV heads evenly; its degree divides the head counts,
  // which are powers of two (or multiples of them) in every model here.
  for (int n = 1; n <= 1 << 16; n *= 2) {
    if (need <= capacity * n) {
      f.min_devices = n;
      break;
    }
  }
  return f;
}

std::optional<double> interconnect_gbps(const std::string& interconnect) {
  static const std::regex number(R"(([0-9]+(?:\.[0-9]+)?)\s*GB/s)");
  std::smatch match;
  if (!std::regex_search(interconnect, match, number)) return std::nullopt;
  return std::stod(match[1].str());
}

const projected_figure* phase_projection::find(const std::string& name) const {
  for (const projected_figure& f : figures) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

phase_projection project(const model_description& m, const lowered_step& step, const projection_target& target,
                         const std::vector<measured_case>& measured, int devices) {
  phase_projection p;
  p.device = target.id;
  p.step = step;
  const bool prefill = step.request.phase == model_phase::prefill;
  const std::int64_t kv_tokens = step.request.batch * step.request.tokens;
  p.fit = fit_memory(m, kv_tokens, target.spec != nullptr ? memory_bytes(*target.spec) : std::nullopt);
  p.devices = devices > 0 ? devices : p.fit.min_devices.value_or(1);

  // Kernels: the sum of every item, labelled by its weakest part.
  double kernels = 0.0;
  bool complete = true, compute_only = false;
  provenance weakest = provenance::measured;
  std::map<provenance, int> counts;
  std::string missing;
  for (std::size_t i = 0; i < step.items.size(); ++i) {
    item_time t = time_item(step.items[i], i, target, measured);
    if (t.seconds) {
      kernels += double(step.items[i].count) * *t.seconds;
      weakest = std::max(weakest, *t.source);
      compute_only = compute_only || t.compute_only;
      ++counts[*t.source];
    } else {
      complete = false;
      if (missing.empty()) missing = fmt::format("{} ({}): {}", step.items[i].role, step.items[i].text, t.basis);
    }
    p.items.push_back(std::move(t));
  }
  std::string mix;
  for (const auto& [source, n] : counts) mix += fmt::format("{}{} {}", mix.empty() ? "" : ", ", n, to_string(source));

  projected_figure fit_figure{"devices", double(p.devices), "devices", std::string(to_string(provenance::spec)), ""};
  if (devices > 0) {
    fit_figure.basis = "as asked (--devices)";
  } else if (!p.fit.device_bytes) {
    fit_figure.value.reset();
    fit_figure.label.clear();
    fit_figure.basis = "memory size not quoted: the fit is unknown (1 device assumed below)";
  } else {
    fit_figure.basis = fmt::format(
        "weights {:.1f} GB + KV cache {:.1f} GB ({} tokens) vs {:.0f} GB per device", double(p.fit.weight_bytes) / 1e9,
        double(kv_tokens) * double(p.fit.kv_bytes_per_token) / 1e9, kv_tokens, *p.fit.device_bytes / 1e9);
  }
  p.figures.push_back(fit_figure);
  projected_figure max_tokens{"largest batch x context on one device", std::nullopt, "tokens", "",
                              "memory size not quoted"};
  if (p.fit.max_kv_tokens) {
    max_tokens.value = double(*p.fit.max_kv_tokens);
    max_tokens.label = to_string(provenance::spec);
    max_tokens.basis = *p.fit.max_kv_tokens == 0
                           ? "the weights alone do not fit"
                           : fmt::format("(memory - weights) / {} bytes of KV per token", p.fit.kv_bytes_per_token);
  }
  p.figures.push_back(max_tokens);

  projected_figure kernel_figure{"kernel time per device", std::nullopt, "s", "", ""};
  if (complete) {
    kernel_figure.value = kernels / p.devices;
    kernel_figure.label = joined_label(weakest, compute_only, false);
    kernel_figure.basis = p.devices > 1 ? fmt::format("{} items ({}), each split evenly over {} devices",
                                                      step.items.size(), mix, p.devices)
                                        : fmt::format("{} items ({})", step.items.size(), mix);
  } else {
    kernel_figure.basis = "no figure for " + missing;
  }
  p.figures.push_back(kernel_figure);

  // Two all-reduces per layer (after the O projection and after the FFN), ring algorithm.
  projected_figure comm{"tensor-parallel communication", std::nullopt, "s", "", ""};
  const double link_gbps = target.spec != nullptr ? interconnect_gbps(target.spec->interconnect).value_or(0.0) : 0.0;
  const double activation_bytes =
      double(step.new_tokens) * double(m.hidden) * double(storage_bytes(dtypes_of(step.items[0].work).in));
  if (p.devices == 1) {
    comm.value = 0.0;
    comm.label = to_string(provenance::model);
    comm.basis = "one device: no communication";
  } else if (link_gbps > 0.0) {
    const double per_reduce = 2.0 * (p.devices - 1) / p.devices * activation_bytes / (link_gbps * 1e9);
    comm.value = 2.0 * double(step.layers) * per_reduce;
    comm.label = to_string(provenance::model);
    comm.basis = fmt::format("2 ring all-reduces of {:.3g} MB per layer at {} GB/s (spec interconnect), no overlap",
                             activation_bytes / 1e6, link_gbps);
  } else {
    comm.basis = "the spec quotes no interconnect bandwidth";
  }
  p.figures.push_back(comm);

  projected_figure step_time{"step time", std::nullopt, "s", "", ""};
  if (kernel_figure.value && comm.value) {
    step_time.value = *kernel_figure.value + *comm.value;
    step_time.label = joined_label(weakest, compute_only, p.devices > 1);
    step_time.basis = p.devices > 1 ? "kernels + communication" : "the kernels back to back";
  } else {
    step_time.basis = kernel_figure.value ? comm.basis : kernel_figure.basis;
  }
  p.figures.push_back(step_time);

  const double per_sequence = prefill ? double(step.request.tokens) : 1.0;
  const double all_sequences = double(step.new_tokens);
  auto derived = [&](std::string name, std::string unit, auto value_of, std::string basis) {
    projected_figure f{std::move(name), std::nullopt, std::move(unit), "", step_time.basis};
    if (step_time.value) {
      f.value = value_of(*step_time.value);
      f.label = step_time.label;
      f.basis = std::move(basis);
    }
    p.figures.push_back(f);
  };
  if (prefill) {
    derived(
        "time to first token", "s", [](double t) { return t; }, "the prefill step: every prompt of the batch at once");
  }
  derived(
      "tokens/s per sequence", "tokens/s", [&](double t) { return per_sequence / t; },
      prefill ? "prompt tokens / step time" : "1 / step time");
  derived(
      "tokens/s aggregate", "tokens/s", [&](double t) { return all_sequences / t; },
      fmt::format("{} tokens / step time", step.new_tokens));

  projected_figure energy{"tokens per joule", std::nullopt, "tokens/J", "", ""};
  if (!step_time.value) {
    energy.basis = step_time.basis;
  } else if (target.spec == nullptr || !target.spec->tdp_w) {
    energy.basis = "the spec quotes no TDP";
  } else {
    energy.value = all_sequences / *step_time.value / (*target.spec->tdp_w * p.devices);
    energy.label = step_time.label + " + " + std::string(to_string(provenance::tdp));
    energy.basis =
        fmt::format("at {} W TDP x {} device(s): an upper bound on the power drawn", *target.spec->tdp_w, p.devices);
  }
  p.figures.push_back(energy);

  // From measured power, where every kernel was measured with power telemetry on one device.
  projected_figure measured_energy{"tokens per joule (measured power)", std::nullopt, "tokens/J", "", ""};
  double joules = 0.0;
  bool all_powered = step_time.value.has_value();
  for (const item_time& t : p.items) {
    if (t.source != provenance::measured || !t.power_w || !t.seconds) {
      all_powered = false;
      break;
    }
    joules += double(step.items[t.item].count) * *t.seconds * *t.power_w;
  }
  if (!all_powered) {
    measured_energy.basis = "needs every kernel measured on the device with power telemetry";
  } else if (p.devices > 1) {
    measured_energy.basis = "measured on one device; the tensor-parallel step is not";
  } else {
    measured_energy.value = all_sequences / joules;
    measured_energy.label = to_string(provenance::measured);
    measured_energy.basis = fmt::format("{:.3g} J per step: each kernel's time x its mean telemetry power", joules);
  }
  p.figures.push_back(measured_energy);
  return p;
}

}  // namespace accelbench
