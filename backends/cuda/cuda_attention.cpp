#include "backends/cuda/cuda_attention.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "backends/cuda/attention_kernels.hpp"
#include "backends/cuda/cuda_check.hpp"

namespace accelbench::cuda {
namespace {

prob_type prob_type_of(dtype in) {
  switch (in) {
    case dtype::bf16:
      return prob_type::bf16;
    case dtype::f16:
      return prob_type::f16;
    default:
      return prob_type::f32;
  }
}

}  // namespace

std::vector<attention_chunk> attention_chunks(const attention_workload& w, const attention_chunking& c) {
  const auto in_bytes = static_cast<std::uint64_t>(storage_bytes(w.dt.in));
  const auto out_bytes = static_cast<std::uint64_t>(storage_bytes(w.dt.out));
  const std::uint32_t probs_alignment = pointer_alignment(c.probs_offset);
  std::vector<attention_chunk> chunks;
  for (std::int64_t g0 = 0; g0 < c.groups; g0 += c.groups_per_chunk) {
    for (std::int64_t r0 = 0; r0 < c.group_rows; r0 += c.rows_per_block) {
      attention_chunk k;
      k.g0 = g0;
      k.groups = std::min(c.groups_per_chunk, c.groups - g0);
      k.r0 = r0;
      k.rows = std::min(c.rows_per_block, c.group_rows - r0);
      const auto q_elements = static_cast<std::uint64_t>((g0 * c.group_rows + r0) * w.d);  // O alike
      k.q_offset = q_elements * in_bytes;
      k.o_offset = q_elements * out_bytes;
      k.kv_offset = static_cast<std::uint64_t>(g0 * w.skv * w.d) * in_bytes;
      k.scores_alignment = {pointer_alignment(k.q_offset), pointer_alignment(k.kv_offset), 256};
      k.output_alignment = {probs_alignment, pointer_alignment(k.kv_offset), pointer_alignment(k.o_offset)};
      chunks.push_back(k);
    }
  }
  return chunks;
}

std::string composed_attention_unsupported(const attention_workload& w) {
  const dtype_spec& dt = w.dt;
  const bool float_in = dt.in == dtype::f32 || dt.in == dtype::bf16 || dt.in == dtype::f16;
  if (!float_in || !(dt.out == dt.in || dt.out == dtype::f32) || dt.acc != dtype::f32) {
    return fmt::format(
        "composed attention (cuBLASLt + softmax kernel) offers dt=f32, bf16 or f16 with the same "
        "or f32 output and f32 accumulation; not dt={}:{}:{}",
        to_string(dt.in), to_string(dt.out), to_string(dt.acc));
  }
  if (w.d > 2147483647ll || w.skv > 2147483647ll) return "d and skv above 2^31-1 are outside cuBLASLt's range";
  if (w.window > 0) return "sliding window is not wired in the CUDA attention paths (their softmax masks causal only)";
  return {};
}

composed_attention::composed_attention(cublasLtHandle_t handle, const attention_workload& w, compute_capability cc,
                                       const attention_chunking& chunking, std::size_t gemm_workspace_bytes,
                                       const float* unit_scale)
    : m_w(w), m_chunks(chunking), m_scale(static_cast<float>(default_softmax_scale(w))) {
  m_unsupported = composed_attention_unsupported(w);
  if (!m_unsupported.empty()) return;
  m_chunk_list = attention_chunks(w, chunking);
  for (const attention_chunk& c : m_chunk_list) {
    const shape scores_key{c.rows, c.groups, c.scores_alignment}, output_key{c.rows, c.groups, c.output_alignment};
    if (m_scores.count(scores_key) == 0) {
      // S (rows x skv, f32) = Q_block (rows x d) K^T; K is stored skv x d, so tb=t.
      gemm_workload scores{c.rows, w.skv, w.d, c.groups, false, true, {w.dt.in, dtype::f32, dtype::f32}};
      m_scores[scores_key] =
          std::make_unique<lt_matmul>(handle, scores, cc, gemm_workspace_bytes, unit_scale, c.scores_alignment);
      if (m_unsupported.empty() && !m_scores[scores_key]->available()) {
        m_unsupported = "Q K^T: " + m_scores[scores_key]->unsupported();
      }
    }
    if (m_outputs.count(output_key) == 0) {
      // O_block (rows x d) = P (rows x skv) V (skv x d).
      gemm_workload output{c.rows, w.d, w.skv, c.groups, false, false, {w.dt.in, w.dt.out, dtype::f32}};
      m_outputs[output_key] =
          std::make_unique<lt_matmul>(handle, output, cc, gemm_workspace_bytes, unit_scale, c.output_alignment);
      if (m_unsupported.empty() && !m_outputs[output_key]->available()) {
        m_unsupported = "P V: " + m_outputs[output_key]->unsupported();
      }
    }
  }
}

composed_attention::~composed_attention() = default;

void composed_attention::run(const buffers& b, cudaStream_t stream) const {
  auto* scores = static_cast<float*>(b.workspace);
  void* probs = static_cast<char*>(b.workspace) + m_chunks.probs_offset;
  for (const attention_chunk& c : m_chunk_list) {
    const auto* q = static_cast<const char*>(b.q) + c.q_offset;
    const auto* k = static_cast<const char*>(b.k) + c.kv_offset;
    const auto* v = static_cast<const char*>(b.v) + c.kv_offset;
    auto* o = static_cast<char*>(b.o) + c.o_offset;
    m_scores.at({c.rows, c.groups, c.scores_alignment})->run(q, k, scores, nullptr, b.gemm_workspace, stream);
    launch_masked_softmax(scores, probs, prob_type_of(m_w.dt.in), c.rows * c.groups, c.rows, c.r0, m_w.sq, m_w.skv,
                          m_w.causal, m_scale, stream);
    m_outputs.at({c.rows, c.groups, c.output_alignment})->run(probs, v, o, nullptr, b.gemm_workspace, stream);
  }
}

void composed_attention::tune(const buffers& b, cudaStream_t stream) {
  // Each GEMM plan is tuned on the first chunk that uses it, at that chunk's pointers.
  auto* scores = static_cast<float*>(b.workspace);
  void* probs = static_cast<char*>(b.workspace) + m_chunks.probs_offset;
  std::set<const lt_matmul*> tuned;
  for (const attention_chunk& c : m_chunk_list) {
    lt_matmul& s = *m_scores.at({c.rows, c.groups, c.scores_alignment});
    if (tuned.insert(&s).second) {
      s.tune(static_cast<const char*>(b.q) + c.q_offset, static_cast<const char*>(b.k) + c.kv_offset, scores, nullptr,
             b.gemm_workspace, stream);
    }
    lt_matmul& o = *m_outputs.at({c.rows, c.groups, c.output_alignment});
    if (tuned.insert(&o).second) {
      o.tune(probs, static_cast<const char*>(b.v) + c.kv_offset, static_cast<char*>(b.o) + c.o_offset, nullptr,
             b.gemm_workspace, stream);
    }
  }
}

std::string composed_attention::description(const std::string& why_not_fused, bool fallback) const {
  std::string text = fmt::format(
      "{}composed ({}): cuBLASLt Q K^T + masked softmax kernel + cuBLASLt P V; "
      "{} query rows x {} KV groups per chunk",
      fallback ? "fallback: " : "", why_not_fused, m_chunks.rows_per_block, m_chunks.groups_per_chunk);
  if (!m_scores.empty()) {
    text += fmt::format("; Q K^T: {}; P V: {}", m_scores.begin()->second->description(),
                        m_outputs.begin()->second->description());
  }
  return text;
}

}  // namespace accelbench::cuda
