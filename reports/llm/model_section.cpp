#include "reports/llm/model_section.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "reports/model/number_format.hpp"

namespace accelbench {
namespace {

struct scenario {
  model_phase phase;
  std::int64_t batch, tokens;
  std::string text;
};

std::string ratio_text(double device_s, double baseline_s) {
  const double r = device_s / baseline_s;
  if (r >= 1.0) return fmt::format("{:.2f}x slower", r);
  return fmt::format("{:.2f}x faster", 1.0 / r);
}

}  // namespace

std::vector<report_table> model_section_tables(const spec_database& db, const std::string& models_dir,
                                               const std::vector<measured_case>& measured) {
  std::vector<projection_target> chips;
  for (const char* id : seed_chips) {
    const device_spec* d = db.find(id);
    if (d == nullptr) return {};
    chips.push_back({d->id, d});
  }
  std::string quoted = "1979 vs 296 TFLOPS";
  double quoted_ratio = 1979.0 / 296.0;
  for (const press_comparison& c : db.press_comparisons()) {
    if (c.a == "H100-SXM5" && c.b == "H20" && c.b_quoted > 0) {
      quoted = fmt::format("{} vs {} TFLOPS", format_spec_value(c.a_quoted), format_spec_value(c.b_quoted));
      quoted_ratio = c.a_quoted / c.b_quoted;
      break;
    }
  }
  const std::vector<scenario> scenarios{{model_phase::prefill, 1, 2048, "prefill: batch 1, prompt 2048"},
                                        {model_phase::decode, 16, 4096, "decode: batch 16, context 4096"}};

  report_table t;
  t.id = "model-press";
  t.title = "The press question at model level: Llama 3 on the seed chips";
  t.headers = {"model",    "phase", "device",     "devices", "step time", "vs H100-SXM5", "tokens/s aggregate",
               "tokens/J", "label", "memory fit", "how"};
  std::vector<std::string> summary;
  for (const char* model_id : {"llama3-70b", "llama3-8b"}) {
    const model_description m = find_model(model_id, models_dir);
    for (const scenario& s : scenarios) {
      lowering_request request;
      request.phase = s.phase;
      request.batch = s.batch;
      request.tokens = s.tokens;
      const lowered_step step = lower(m, request);
      // One tensor-parallel degree for every chip (the largest minimum), so the ratio compares chips.
      int devices = 1;
      for (const projection_target& chip : chips) {
        const memory_fit f = fit_memory(m, s.batch * s.tokens, memory_bytes(*chip.spec));
        devices = std::max(devices, f.min_devices.value_or(1));
      }
      std::optional<double> baseline;
      std::vector<std::string> phase_summary;
      for (const projection_target& chip : chips) {
        const phase_projection p = project(m, step, chip, measured, devices);
        const projected_figure* step_time = p.find("step time");
        const projected_figure* rate = p.find("tokens/s aggregate");
        const projected_figure* fit = p.find("largest batch x context on one device");
        const projected_figure* energy = p.find("tokens per joule");
        // A bound without its memory term is no basis for a ratio: decode is memory-bound.
        const bool compute_only = step_time->label.find("compute only") != std::string::npos;
        if (chip.id == "H100-SXM5") baseline = step_time->value;
        std::string versus = "-";
        if (compute_only) {
          versus = "no ratio: bandwidth not quoted";
          phase_summary.push_back(fmt::format("{} no ratio (bandwidth not quoted)", chip.id));
        } else if (step_time->value && baseline && chip.id != "H100-SXM5") {
          versus = ratio_text(*step_time->value, *baseline);
          phase_summary.push_back(fmt::format("{} {}", chip.id, versus));
        }
        std::string fit_text = "memory size not quoted";
        if (p.fit.max_kv_tokens && *p.fit.max_kv_tokens == 0) {
          fit_text = fmt::format("weights ({:.0f} GB) exceed one device; fits on {}", double(p.fit.weight_bytes) / 1e9,
                                 p.fit.min_devices ? std::to_string(*p.fit.min_devices) : "?");
        } else if (p.fit.fits) {
          fit_text = fmt::format("{} on one; largest batch x context on one: {:.0f} tokens",
                                 *p.fit.fits ? "fits" : "does not fit", fit->value.value_or(0.0));
        }
        std::string how = step_time->value ? p.find("kernel time per device")->basis : step_time->basis;
        if (devices > 1 && step_time->value) {
          how += fmt::format("; communication {} ({})", human_duration(p.find("tensor-parallel communication")->value),
                             p.find("tensor-parallel communication")->basis);
        }
        if (compute_only) how += "; memory bandwidth not quoted: a compute-only bound, far below a memory-bound step";
        t.rows.push_back(
            {m.id, s.text, chip.id, std::to_string(devices),
             (compute_only ? ">= " : "") + human_duration(step_time->value), versus,
             rate->value ? fmt::format("{}{:.4g}", compute_only ? "<= " : "", *rate->value) : "",
             energy->value ? fmt::format("{}{:.3g}", compute_only ? "<= " : "", *energy->value) : "TDP not quoted",
             step_time->label, fit_text, how});
        t.flagged.push_back(compute_only);
      }
      summary.push_back(
          fmt::format("{} {}: {}", m.id, to_string(s.phase), fmt::format("{}", fmt::join(phase_summary, ", "))));
    }
  }
  t.intro = fmt::format(
      "The press compares H100 and H20 as {} = {:.3g}x. Per model and phase, one step projected onto each chip, "
      "every figure labelled: measured (a result of that workload on that chip), efficiency (the chip's measured "
      "efficiency on its nearest workload applied to its spec), roofline (spec lower bound max(flops / dense peak, "
      "bytes / bandwidth)), model (tensor-parallel all-reduces from the spec interconnect). All chips of a row group "
      "run the same tensor-parallel degree (the largest any of them needs to hold weights + KV cache), so the ratio "
      "compares chips. In short: {}. Lowering and limits: docs/models.md.",
      quoted, quoted_ratio, fmt::join(summary, "; "));
  return {t};
}

}  // namespace accelbench
