// The honesty check of `accelbench model project` (docs/models.md, docs/performance.md): a
// model step's kernels run back to back, as a model runs them, timed as one. Each layer has its
// own buffers (its own weights, as in a model), the layers run in order (qkv, attention, o,
// FFN), then the LM head; the caches are flushed once before each step, not between kernels.
// Compare its median with the projection from per-kernel results of `accelbench run`.
//
//   accelbench_model_step llama3-8b --phase decode --batch 1 --context 1024 --layers 2 --dt f32 -b onednn
//
// With --interleave, each round also times every distinct kernel alone (caches flushed before
// it, as `accelbench run` does) and sums count x time: the projection's arithmetic, measured in
// the same process minutes apart from nothing, so other load on a shared machine hits both
// sides alike. The two alternate which goes first.
//
// Prints the per-step times and their median as one JSON object.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "backends/common/abi_conversion.hpp"
#include "backends/loader/registry.hpp"
#include "kernels/spec/errors.hpp"
#include "kernels/spec/host_tensor.hpp"
#include "reports/llm/lowering.hpp"

namespace {

using namespace accelbench;

struct plan_deleter {
  const ab_backend* table;
  void operator()(ab_plan* p) const { table->release(p); }
};
using plan_ptr = std::unique_ptr<ab_plan, plan_deleter>;

void check(const ab_backend* table, ab_plan* plan, ab_status status, const char* what) {
  if (status != AB_OK) {
    throw std::runtime_error(fmt::format("{}: {}", what, plan != nullptr ? table->last_error(plan) : ""));
  }
}

// One plan per kernel instance, with its own random inputs (a layer's own weights).
plan_ptr prepare(const backend_entry& backend, const lowered_item& item, std::uint64_t seed) {
  const ab_workload abi = to_abi(item.work, item.text);
  std::vector<host_tensor> tensors;
  std::vector<ab_host_tensor> views;
  const std::vector<std::int64_t> counts = input_element_counts(item.work);
  for (std::size_t i = 0; i < counts.size(); ++i) {
    tensors.emplace_back(dtypes_of(item.work).in, counts[i]);
    fill_random(tensors.back(), seed + i);
    views.push_back({tensors.back().data(), static_cast<std::uint64_t>(tensors.back().bytes())});
  }
  ab_plan* raw = nullptr;
  std::array<char, 512> reason{};
  if (backend.table->prepare(0, &abi, views.data(), static_cast<std::uint32_t>(views.size()), &raw, reason.data(),
                             reason.size()) != AB_OK) {
    throw std::runtime_error(fmt::format("prepare {}: {}", item.text, reason.data()));
  }
  return plan_ptr(raw, plan_deleter{backend.table});
}

double median_of(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 == 1 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

int run(const std::string& model_name, const lowering_request& request, const std::string& backend_name, int repeats,
        bool interleave) {
  const model_description m = find_model(model_name, find_models_directory(""));
  const lowered_step step = lower(m, request);
  std::vector<backend_entry> backends = load_backends();
  const auto found = std::find_if(backends.begin(), backends.end(),
                                  [&](const backend_entry& e) { return e.name == backend_name && e.available; });
  if (found == backends.end()) throw input_error(fmt::format("-b '{}': not an available backend", backend_name));
  const backend_entry& backend = *found;

  // Model order: layer by layer, then the LM head.
  std::vector<plan_ptr> plans;
  std::vector<std::size_t> first_instance(step.items.size());  // each item's plan in layer 0
  std::uint64_t seed = 42;
  for (std::int64_t layer = 0; layer < step.layers; ++layer) {
    for (std::size_t i = 0; i < step.items.size(); ++i) {
      if (step.items[i].count != step.layers) continue;
      if (layer == 0) first_instance[i] = plans.size();
      plans.push_back(prepare(backend, step.items[i], seed += 8));
    }
  }
  for (std::size_t i = 0; i < step.items.size(); ++i) {
    if (step.items[i].count != 1 || step.layers == 1) continue;
    first_instance[i] = plans.size();
    plans.push_back(prepare(backend, step.items[i], seed += 8));
  }
  auto one_step = [&] {
    if (backend.table->flush_cache != nullptr) backend.table->flush_cache(0);
    const auto start = std::chrono::steady_clock::now();
    for (const plan_ptr& p : plans) check(backend.table, p.get(), backend.table->run(p.get()), "run");
    for (const plan_ptr& p : plans) check(backend.table, p.get(), backend.table->synchronize(p.get()), "synchronize");
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  // Each kernel alone, caches flushed first: the per-kernel measurement, summed as the projection sums it.
  auto kernel_sum = [&] {
    double sum = 0.0;
    for (std::size_t i = 0; i < step.items.size(); ++i) {
      ab_plan* p = plans[first_instance[i]].get();
      if (backend.table->flush_cache != nullptr) backend.table->flush_cache(0);
      const auto start = std::chrono::steady_clock::now();
      check(backend.table, p, backend.table->run(p), "run");
      check(backend.table, p, backend.table->synchronize(p), "synchronize");
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      sum += double(step.items[i].count) * seconds;
    }
    return sum;
  };
  one_step();  // warm-up: first-touch of every buffer, the library's JIT
  std::vector<double> times, sums, ratios;
  for (int r = 0; r < repeats; ++r) {
    if (!interleave) {
      times.push_back(one_step());
      continue;
    }
    const bool step_first = r % 2 == 0;  // alternate, so neither side always runs after the other
    double direct = step_first ? one_step() : 0.0;
    const double summed = kernel_sum();
    if (!step_first) direct = one_step();
    times.push_back(direct);
    sums.push_back(summed);
    ratios.push_back(summed / direct);
  }
  std::string interleaved;
  if (interleave) {
    interleaved = fmt::format(
        ", \"kernel_sum_median_s\": {:.6g}, \"median_of_round_ratios\": {:.4f}, \"kernel_sums_s\": [{:.6g}]",
        median_of(sums), median_of(ratios), fmt::join(sums, ", "));
  }
  fmt::print(
      "{{\"model\": \"{}\", \"phase\": \"{}\", \"batch\": {}, \"tokens\": {}, \"layers\": {}, \"backend\": \"{}\", "
      "\"kernels\": {}, \"median_s\": {:.6g}, \"min_s\": {:.6g}, \"times_s\": [{:.6g}]{}}}\n",
      m.id, to_string(request.phase), request.batch, request.tokens, step.layers, backend.name, plans.size(),
      median_of(times), *std::min_element(times.begin(), times.end()), fmt::join(times, ", "), interleaved);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"A model step's kernels back to back, timed as one (the projection's honesty check)"};
  std::string model, phase = "decode", backend = "onednn", dt;
  std::int64_t batch = 1, tokens = 0;
  int layers = 0, repeats = 21;
  bool lm_head = true, interleave = false;
  app.add_option("model", model, "Model id (accelbench model list)")->required();
  app.add_option("--phase", phase, "prefill | decode");
  app.add_option("--batch", batch, "Sequences");
  app.add_option("--tokens,--prompt,--context", tokens, "Prompt (prefill) or context (decode) length")->required();
  app.add_option("--layers", layers, "First L layers (default all)");
  app.add_option("--dt", dt, "Compute dtype");
  app.add_option("-b,--backend", backend, "Backend");
  app.add_option("--repeats", repeats, "Timed steps");
  app.add_flag("!--no-lm-head", lm_head, "Leave the LM head out");
  app.add_flag("--interleave", interleave, "Each round also times every kernel alone and sums them");
  CLI11_PARSE(app, argc, argv);
  try {
    lowering_request request;
    if (phase != "prefill" && phase != "decode") throw input_error("--phase: accepted: prefill, decode");
    request.phase = phase == "prefill" ? model_phase::prefill : model_phase::decode;
    request.batch = batch;
    request.tokens = tokens;
    if (layers > 0) request.layers = layers;
    if (!dt.empty()) {
      const auto t = dtype_from_string(dt);
      if (!t) throw input_error(fmt::format("--dt '{}': accepted: {}", dt, dtype_accepted_form()));
      request.compute_dtype = *t;
    }
    request.lm_head = lm_head;
    if (repeats < 1) throw input_error("--repeats: expected an integer >= 1");
    return run(model, request, backend, repeats, interleave);
  } catch (const input_error& e) {
    std::fprintf(stderr, "accelbench_model_step: error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "accelbench_model_step: %s\n", e.what());
    return 1;
  }
}
