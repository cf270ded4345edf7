#include "reports/llm/lowering.hpp"

#include <fmt/format.h>

#include "kernels/spec/errors.hpp"

namespace accelbench {
namespace {

lowered_item item(std::string role, workload w, std::int64_t count) {
  lowered_item out;
  out.role = std::move(role);
  out.text = to_string(w);
  // Through the grammar once: the same validation (and overflow checks) as a typed workload.
  out.work = parse_workload(out.text);
  out.count = count;
  out.flops = flops(out.work);
  out.bytes = min_bytes(out.work);
  return out;
}

// Activations (m x k) times a weight stored k x n.
workload gemm(std::int64_t m, std::int64_t n, std::int64_t k, dtype t) {
  gemm_workload g;
  g.m = m;
  g.n = n;
  g.k = k;
  g.dt = {t, t, is_integer(t) ? dtype::s32 : dtype::f32};
  return g;
}

}  // namespace

std::string_view to_string(model_phase p) { return p == model_phase::prefill ? "prefill" : "decode"; }

std::int64_t lowered_step::total_flops() const {
  std::int64_t sum = 0;
  for (const lowered_item& i : items) sum += i.count * i.flops;
  return sum;
}

std::int64_t lowered_step::total_bytes() const {
  std::int64_t sum = 0;
  for (const lowered_item& i : items) sum += i.count * i.bytes;
  return sum;
}

lowered_step lower(const model_description& m, const lowering_request& request) {
  const bool prefill = request.phase == model_phase::prefill;
  if (request.batch < 1) throw input_error("--batch: expected an integer >= 1 (sequences in the step)");
  if (request.tokens < 1) {
    throw input_error(prefill ? "--prompt: expected an integer >= 1 (prompt tokens per sequence)"
                              : "--context: expected an integer >= 1 (tokens in the KV cache, the new one included)");
  }
  const std::int64_t layers = request.layers.value_or(m.layers);
  if (layers < 1 || layers > m.layers) {
    throw input_error(fmt::format("--layers: expected an integer from 1 to {} ({}'s layers)", m.layers, m.id));
  }
  const dtype t = request.compute_dtype.value_or(m.weight_dtype);
  const std::int64_t b = request.batch;
  const std::int64_t m_rows = prefill ? b * request.tokens : b;

  lowered_step step;
  step.model = m.id;
  step.request = request;
  step.layers = layers;
  step.new_tokens = m_rows;
  const std::int64_t q_width = m.heads * m.head_dim;
  const std::int64_t kv_width = m.kv_heads * m.head_dim;
  step.items.push_back(item("qkv", gemm(m_rows, q_width + 2 * kv_width, m.hidden, t), layers));

  attention_workload a;
  a.b = b;
  a.hq = m.heads;
  a.hkv = m.kv_heads;
  a.sq = prefill ? request.tokens : 1;
  a.skv = request.tokens;
  a.d = m.head_dim;
  a.causal = prefill;  // one query row attends to the whole cache
  if (m.sliding_window && request.tokens > *m.sliding_window) {
    // Each query sees the last `window` keys up to its position; the grammar's window needs
    // causal, which for the one decode query (aligned to the cache's end) changes nothing else.
    a.causal = true;
    a.window = *m.sliding_window;
  }
  a.dt = {t, t, dtype::f32};
  step.items.push_back(item("attention", a, layers));

  step.items.push_back(item("o", gemm(m_rows, m.hidden, q_width, t), layers));
  if (m.ffn_type == ffn_kind::gated) {
    step.items.push_back(item("gate_up", gemm(m_rows, 2 * m.ffn, m.hidden, t), layers));
  } else {
    step.items.push_back(item("up", gemm(m_rows, m.ffn, m.hidden, t), layers));
  }
  step.items.push_back(item("down", gemm(m_rows, m.hidden, m.ffn, t), layers));
  if (request.lm_head) step.items.push_back(item("lm_head", gemm(b, m.vocab, m.hidden, t), 1));

  if (m.sliding_window && request.tokens > *m.sliding_window) {
    step.notes.push_back(
        fmt::format("{} attends to the last {} keys only (sliding window, window={}); the memory fit "
                    "still keeps all {} tokens of KV cache (no rolling buffer)",
                    m.id, *m.sliding_window, *m.sliding_window, request.tokens));
  }
  if (t != m.kv_dtype) {
    step.notes.push_back(fmt::format("attention computes in {}; the model stores its KV cache in {}", to_string(t),
                                     to_string(m.kv_dtype)));
  }
  return step;
}

}  // namespace accelbench
