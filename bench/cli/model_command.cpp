// accelbench model list | lower | project: LLMs as data (models/*.json) lowered to our workload
// strings, and what a model gets from a device, from measured results or the spec database
// (docs/models.md).
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "bench/cli/commands.hpp"
#include "kernels/spec/errors.hpp"
#include "reports/llm/lowering.hpp"
#include "reports/llm/model_description.hpp"
#include "reports/llm/projection.hpp"
#include "reports/model/number_format.hpp"
#include "reports/model/result_reader.hpp"

namespace accelbench {
namespace {

struct model_arguments {
  std::string model, model_file, models_dir, specs_dir;
  std::string phase;
  std::int64_t batch = 1;
  std::optional<std::int64_t> prompt, context, layers;
  std::string dt;
  bool no_lm_head = false;
  std::vector<std::string> results, devices;
  int tensor_parallel = 0;
  std::string format = "text";
};

model_description chosen_model(const model_arguments& args) {
  if (!args.model_file.empty()) {
    if (!args.model.empty()) throw input_error("give a model NAME or --model-file PATH, not both");
    return read_model_file(args.model_file);
  }
  if (args.model.empty()) throw input_error("NAME: name a model (see 'accelbench model list') or pass --model-file");
  return find_model(args.model, find_models_directory(args.models_dir));
}

// The steps the arguments ask for: prefill when --prompt is given, decode when --context is.
std::vector<lowering_request> requests(const model_arguments& args, bool one_phase) {
  if (!args.phase.empty() && args.phase != "prefill" && args.phase != "decode") {
    throw input_error(fmt::format("--phase '{}': accepted: prefill, decode", args.phase));
  }
  lowering_request base;
  base.batch = args.batch;
  base.layers = args.layers;
  base.lm_head = !args.no_lm_head;
  if (!args.dt.empty()) {
    const auto t = dtype_from_string(args.dt);
    if (!t || *t == dtype::s32)
      throw input_error(
          fmt::format("--dt '{}': accepted: f64, f32, tf32, hf32, bf16, f16, f8e4m3, f8e5m2, s8", args.dt));
    base.compute_dtype = *t;
  }
  std::vector<lowering_request> out;
  if (args.phase != "decode" && args.prompt) {
    base.phase = model_phase::prefill;
    base.tokens = *args.prompt;
    out.push_back(base);
  }
  if (args.phase != "prefill" && args.context) {
    base.phase = model_phase::decode;
    base.tokens = *args.context;
    out.push_back(base);
  }
  if (out.empty()) {
    throw input_error(args.phase == "prefill" ? "--prompt: prefill needs the prompt length (--prompt P)"
                      : args.phase == "decode"
                          ? "--context: decode needs the context length (--context C)"
                          : "--prompt/--context: give --prompt P (prefill), --context C (decode) or both");
  }
  if (one_phase && out.size() > 1) throw input_error("--phase: lower one phase at a time (prefill or decode)");
  return out;
}

std::string step_title(const model_description& m, const lowered_step& s) {
  const bool prefill = s.request.phase == model_phase::prefill;
  return fmt::format("{} {}: batch {}, {} {}, {} of {} layers{}, {}", m.id, to_string(s.request.phase), s.request.batch,
                     prefill ? "prompt" : "context", s.request.tokens, s.layers, m.layers,
                     s.request.lm_head ? " + LM head" : "", to_string(dtypes_of(s.items.front().work).in));
}

int list_models(const model_arguments& args) {
  const std::string dir = find_models_directory(args.models_dir);
  fmt::print("{:<12} {:<18} {:>7} {:>6} {:>6} {:>4} {:>9} {:>7} {:>8} {:>10}  file\n", "id", "name", "layers", "hidden",
             "heads", "kv", "ffn", "vocab", "window", "params");
  for (const model_description& m : load_models(dir)) {
    fmt::print("{:<12} {:<18} {:>7} {:>6} {:>6} {:>4} {:>9} {:>7} {:>8} {:>9.2f}B  {}\n", m.id, m.name, m.layers,
               m.hidden, m.heads, m.kv_heads, m.ffn, m.vocab,
               m.sliding_window ? std::to_string(*m.sliding_window) : "-", double(m.parameters()) / 1e9, m.origin);
  }
  return 0;
}

int lower_model(const model_arguments& args) {
  const model_description m = chosen_model(args);
  const lowered_step s = lower(m, requests(args, true).front());
  // A suite file: `accelbench run --suite FILE` measures exactly these workloads.
  fmt::print("# {} ({})\n", step_title(m, s), m.origin);
  fmt::print("# per step: {} new token(s), {:.4g} FLOPs, {:.4g} bytes (sum of count x item; per token {:.4g} FLOPs)\n",
             s.new_tokens, double(s.total_flops()), double(s.total_bytes()),
             double(s.total_flops()) / double(s.new_tokens));
  for (const std::string& note : s.notes) fmt::print("# note: {}\n", note);
  for (const lowered_item& i : s.items) {
    fmt::print("{:<62} # {} x{} per step, {:.4g} FLOPs, {:.4g} bytes each\n", i.text, i.role, i.count, double(i.flops),
               double(i.bytes));
  }
  return 0;
}

std::string value_text(const projected_figure& f) {
  if (!f.value) return "-";
  if (f.unit == "s") return human_duration(*f.value);
  if (f.unit == "devices") return fmt::format("{:.0f}", *f.value);
  if (f.unit == "tokens") return fmt::format("{:.0f} tokens", *f.value);
  return fmt::format("{:.4g} {}", *f.value, f.unit);
}

// One projection as JSON: every figure with its unit, label and basis (null value = not known).
nlohmann::ordered_json projection_json(const phase_projection& p) {
  using json = nlohmann::ordered_json;
  json figures = json::array(), items = json::array();
  for (const projected_figure& f : p.figures) {
    figures.push_back({{"name", f.name},
                       {"value", f.value ? json(*f.value) : json(nullptr)},
                       {"unit", f.unit},
                       {"label", f.label},
                       {"basis", f.basis}});
  }
  for (const item_time& t : p.items) {
    const lowered_item& li = p.step.items[t.item];
    items.push_back({{"role", li.role},
                     {"workload", li.text},
                     {"count", li.count},
                     {"flops", li.flops},
                     {"bytes", li.bytes},
                     {"seconds", t.seconds ? json(*t.seconds) : json(nullptr)},
                     {"label", t.source ? std::string(to_string(*t.source)) : ""},
                     {"basis", t.basis}});
  }
  return {{"device", p.device},
          {"phase", to_string(p.step.request.phase)},
          {"batch", p.step.request.batch},
          {"tokens", p.step.request.tokens},
          {"layers", p.step.layers},
          {"devices", p.devices},
          {"notes", p.step.notes},
          {"figures", figures},
          {"kernels", items}};
}

int project_model(const model_arguments& args) {
  if (args.format != "text" && args.format != "json") {
    throw input_error(fmt::format("--format '{}': accepted: text, json", args.format));
  }
  const model_description m = chosen_model(args);
  const std::vector<lowering_request> asked = requests(args, false);
  if (args.devices.empty()) throw input_error("--device: name at least one device (spec id, or one of the results)");
  if (args.tensor_parallel < 0) throw input_error("--devices: expected an integer >= 1 (tensor-parallel degree)");
  const spec_database db = spec_database::load(find_specs_directory(args.specs_dir));
  std::vector<run_record> runs;
  for (const std::string& file : args.results) runs.push_back(read_result_file(file));
  const std::vector<measured_case> measured = measured_cases(runs, db);
  std::vector<projection_target> targets;
  for (const std::string& d : args.devices) targets.push_back(resolve_target(d, db, measured));

  if (args.format == "json") {
    nlohmann::ordered_json out = {{"model", m.id},
                                  {"file", m.origin},
                                  {"parameters", m.parameters()},
                                  {"weight_bytes", m.weight_bytes()},
                                  {"kv_bytes_per_token", m.kv_bytes_per_token()},
                                  {"projections", nlohmann::ordered_json::array()}};
    for (const lowering_request& request : asked) {
      const lowered_step s = lower(m, request);
      for (const projection_target& target : targets) {
        out["projections"].push_back(projection_json(project(m, s, target, measured, args.tensor_parallel)));
      }
    }
    fmt::print("{}\n", out.dump(2));
    return 0;
  }
  fmt::print("{} ({}): {:.3g} parameters, weights {:.3g} GB ({}), KV cache {} bytes per token ({})\n", m.id, m.name,
             double(m.parameters()), double(m.weight_bytes()) / 1e9, to_string(m.weight_dtype), m.kv_bytes_per_token(),
             to_string(m.kv_dtype));
  for (const lowering_request& request : asked) {
    const lowered_step s = lower(m, request);
    for (const std::string& note : s.notes) fmt::print("note: {}\n", note);
    for (const projection_target& target : targets) {
      const phase_projection p = project(m, s, target, measured, args.tensor_parallel);
      fmt::print("\n{} on {}\n", step_title(m, s), target.id);
      for (const projected_figure& f : p.figures) {
        fmt::print("  {:<38} {:>20}  {:<22} {}\n", f.name, value_text(f), f.label.empty() ? "(none)" : f.label,
                   f.basis);
      }
      fmt::print("  kernels (per step, before any split):\n");
      for (const item_time& t : p.items) {
        const lowered_item& li = s.items[t.item];
        fmt::print("    {:<9} x{:<3} {:>10}  {:<10} {:<62} {}\n", li.role, li.count, human_duration(t.seconds),
                   t.source ? std::string(to_string(*t.source)) : "(none)", li.text, t.basis);
      }
    }
  }
  return 0;
}

void add_model_options(CLI::App* cmd, model_arguments& args) {
  cmd->add_option("name", args.model, "Model id or alias (see 'accelbench model list'), or a model file PATH.json");
  cmd->add_option("--model-file", args.model_file, "A model file of your own (docs/models.md)");
  cmd->add_option("--models-dir", args.models_dir, "Model directory (default: the shipped models/)");
  cmd->add_option("--phase", args.phase, "prefill | decode");
  cmd->add_option("--batch", args.batch, "Sequences in the step")->capture_default_str();
  cmd->add_option("--prompt", args.prompt, "Prefill: prompt tokens per sequence");
  cmd->add_option("--context", args.context, "Decode: tokens in the KV cache per sequence (the new one included)");
  cmd->add_option("--layers", args.layers, "Only the first L layers (default: all)");
  cmd->add_option("--dt", args.dt, "Compute dtype of every workload (default: the model's weight dtype)");
  cmd->add_flag("--no-lm-head", args.no_lm_head, "Leave the LM head out (the layers alone)");
}

}  // namespace

command add_model_command(CLI::App& parent) {
  auto args = std::make_shared<model_arguments>();
  CLI::App* cmd = parent.add_subcommand("model", "LLMs as data: lower a model to workloads, project it onto devices");
  cmd->require_subcommand(1);
  CLI::App* list = cmd->add_subcommand("list", "The shipped models and their shapes");
  list->add_option("--models-dir", args->models_dir, "Model directory (default: the shipped models/)");
  CLI::App* lower_cmd = cmd->add_subcommand("lower", "A model's step as workload strings: a suite file for 'run'");
  add_model_options(lower_cmd, *args);
  lower_cmd->footer(
      "Prints a suite file (trailing comments: role, count per step, FLOPs and bytes per item).\n\n"
      "Examples:\n"
      "  accelbench model lower llama3-70b --phase decode --batch 16 --context 4096\n"
      "  accelbench model lower llama3-8b --phase prefill --prompt 512 --layers 2 --dt f32 > s.txt\n"
      "  accelbench run --suite s.txt -b onednn --out r.json");
  CLI::App* project_cmd =
      cmd->add_subcommand("project", "Step time, time to first token, tokens/s and tokens/J per device, labelled");
  add_model_options(project_cmd, *args);
  project_cmd->add_option("--results", args->results, "Result files of 'accelbench run' (repeatable)")
      ->check(CLI::ExistingFile);
  project_cmd->add_option("--device", args->devices, "Spec database id, or a device named in the results (repeatable)")
      ->delimiter(',');
  project_cmd->add_option("--devices", args->tensor_parallel,
                          "Tensor-parallel degree (default: the fewest devices whose memory holds weights + KV)");
  project_cmd->add_option("--specs-dir", args->specs_dir, "Spec database directory");
  project_cmd->add_option("--format", args->format, "text | json")->capture_default_str();
  project_cmd->footer(
      "Labels: measured (that workload on that device), efficiency (the device's measured efficiency on its nearest "
      "workload applied to its spec), roofline (spec lower bound), model (tensor-parallel communication), spec "
      "(memory fit), tdp (energy at TDP). docs/models.md.\n\n"
      "Examples:\n"
      "  accelbench model project llama3-70b --prompt 2048 --context 4096 --batch 16 --device H100-SXM5,H20\n"
      "  accelbench model project llama3-8b --context 1024 --layers 2 --dt f32 --results r.json --device 'CPU NAME'");
  return {cmd, [args, list, lower_cmd, project_cmd] {
            if (list->parsed()) return list_models(*args);
            if (lower_cmd->parsed()) return lower_model(*args);
            if (project_cmd->parsed()) return project_model(*args);
            return 2;
          }};
}

}  // namespace accelbench
