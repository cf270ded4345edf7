#pragma once
// A model lowered to our workload strings (docs/models.md): one step of one phase, per layer
// the QKV, O and FFN projections as GEMMs and the attention, plus the LM head once.
//   prefill: B sequences of P prompt tokens, m = B x P, causal GQA attention sq = skv = P; the
//            LM head only for each sequence's last position (m = B: what sampling needs).
//   decode:  one new token for B sequences at context C, m = B, attention sq = 1 over skv = C
//            keys of the KV cache.
// Norms, rotary embedding, activation, residual adds and sampling are not lowered (element-wise
// passes a fused kernel hides); the embedding lookup is a gather, not a GEMM.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kernels/spec/workload.hpp"
#include "reports/llm/model_description.hpp"

namespace accelbench {

enum class model_phase { prefill, decode };
std::string_view to_string(model_phase p);

struct lowering_request {
  model_phase phase = model_phase::decode;
  std::int64_t batch = 1;
  std::int64_t tokens = 0;             // prefill: prompt length P; decode: context C (keys in the cache)
  std::optional<std::int64_t> layers;  // fewer than the model's: a chunk of it (honesty checks)
  std::optional<dtype> compute_dtype;  // default: the model's weight dtype
  bool lm_head = true;                 // false: the layers alone
};

struct lowered_item {
  std::string role;  // qkv, attention, o, gate_up, up, down, lm_head
  workload work;
  std::string text;                   // canonical workload string
  std::int64_t count = 0;             // times per step (layers for the per-layer items, 1 for the LM head)
  std::int64_t flops = 0, bytes = 0;  // per item, as the result record counts them
};

struct lowered_step {
  std::string model;
  lowering_request request;
  std::int64_t layers = 0;
  std::int64_t new_tokens = 0;  // tokens this step produces: B x P (prefill) or B (decode)
  std::vector<lowered_item> items;
  std::vector<std::string> notes;  // what the lowering simplified (sliding window, ...)

  std::int64_t total_flops() const;  // sum of count x flops
  std::int64_t total_bytes() const;
};

// Throws input_error naming the bad request field (batch, prompt/context, layers).
lowered_step lower(const model_description& m, const lowering_request& request);

}  // namespace accelbench
