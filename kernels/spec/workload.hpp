#pragma once
// Workload descriptors: value types with one canonical text form (docs/workloads.md).
//   gemm:m=4096,n=4096,k=4096,dt=bf16[,ta=t][,tb=t][,batch=4]
//   attn:b=1,hq=32,hkv=8,sq=4096,skv=4096,d=128,causal=1,dt=bf16[,window=4096]
// The text is the filter key, the result's identity and the repro line.
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "kernels/spec/dtype.hpp"

namespace accelbench {

// dt=<in>[:<out>[:<acc>]]; out defaults to in (s32 for s8), acc to f32 (s32 for s8).
struct dtype_spec {
  dtype in = dtype::f32;
  dtype out = dtype::f32;
  dtype acc = dtype::f32;
  bool operator==(const dtype_spec&) const = default;
};

// "in:out:acc", as in messages ("bf16:f32:f32").
std::string to_string(const dtype_spec& dt);

struct gemm_workload {
  std::int64_t m = 0, n = 0, k = 0;
  std::int64_t batch = 1;
  bool trans_a = false, trans_b = false;
  dtype_spec dt;
  bool operator==(const gemm_workload&) const = default;

  // Elements of each operand over the whole batch (layouts: docs/workloads.md).
  std::int64_t a_elements() const { return batch * m * k; }
  std::int64_t b_elements() const { return batch * k * n; }
  std::int64_t c_elements() const { return batch * m * n; }
};

struct attention_workload {
  std::int64_t b = 0, hq = 0, hkv = 0, sq = 0, skv = 0, d = 0;
  bool causal = false;
  dtype_spec dt;
  // Sliding window (Mistral): query i sees only the `window` most recent keys up to its causal
  // position; 0 = no window. Requires causal.
  std::int64_t window = 0;
  bool operator==(const attention_workload&) const = default;

  // Elements of Q and O ([b, hq, sq, d]) and of K and of V ([b, hkv, skv, d]).
  std::int64_t q_elements() const { return b * hq * sq * d; }
  std::int64_t kv_elements() const { return b * hkv * skv * d; }
  std::int64_t o_elements() const { return q_elements(); }
};

using workload = std::variant<gemm_workload, attention_workload>;

// Parses one workload; throws input_error naming the bad field and the accepted form.
workload parse_workload(std::string_view text);
// Canonical text; with `all_keys`, defaults are printed too.
std::string to_string(const workload& w, bool all_keys = false);

std::string_view kind_name(const workload& w);  // "gemm" | "attn"
dtype_spec dtypes_of(const workload& w);

// FLOPs under the named convention below (exact causal pair count for attention).
std::int64_t flops(const workload& w);
// Convention id recorded with every result; bump the version when the formula changes.
std::string_view flop_convention(const workload& w);
// Compulsory traffic: every input read once and the output written once (with a sliding window,
// only the K and V rows some query can see).
std::int64_t min_bytes(const workload& w);
// Element counts of the inputs in ABI order (A, B or Q, K, V) and of the output.
std::vector<std::int64_t> input_element_counts(const workload& w);
std::int64_t output_element_count(const workload& w);
// Bytes of the inputs and output as stored (what a backend must at least allocate).
std::int64_t io_bytes(const workload& w);

// Attention helpers shared by kernels and the reference.
double default_softmax_scale(const attention_workload& w);
// Number of unmasked (query, key) pairs per head, bottom-right aligned when sq != skv.
std::int64_t attended_pairs(const attention_workload& w);
// First masked key index for query row i (== skv when nothing is masked).
std::int64_t causal_key_limit(const attention_workload& w, std::int64_t query_row);
// First visible key index for query row i: row i sees keys [window_key_start, causal_key_limit).
std::int64_t window_key_start(const attention_workload& w, std::int64_t query_row);

}  // namespace accelbench
