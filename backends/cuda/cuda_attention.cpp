#include "backends/cuda/cuda_attention.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "backends/cuda/attention_kernels.hpp"
#include "backends/cuda/cuda_check.hpp"

namespace accelbench::cuda {
namespace {

constexpr std::int64_t row_alignment = 64;  // split blocks stay GEMM-tile friendly

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

attention_chunking plan_attention_chunks(const attention_workload& w, std::uint64_t budget_bytes) {
  attention_chunking c;
  c.groups = w.b * w.hkv;
  c.group_rows = (w.hq / w.hkv) * w.sq;
  // f32 probabilities overwrite their scores in place; narrower ones need their own buffer.
  c.bytes_per_score = 4 + (w.dt.in == dtype::f32 ? 0 : storage_bytes(w.dt.in));
  const auto budget = static_cast<std::int64_t>(std::min<std::uint64_t>(budget_bytes, 1ull << 62));
  const std::int64_t row_bytes = w.skv * c.bytes_per_score;
  std::int64_t rows = std::max<std::int64_t>(1, budget / row_bytes);
  if (rows >= c.group_rows) {
    c.rows_per_block = c.group_rows;
    c.groups_per_chunk = std::clamp<std::int64_t>(budget / (c.group_rows * row_bytes), 1, c.groups);
  } else {
    if (rows >= row_alignment) rows -= rows % row_alignment;
    c.rows_per_block = rows;
    c.groups_per_chunk = 1;
  }
  c.workspace_bytes = static_cast<std::uint64_t>(c.rows_per_block * c.groups_per_chunk * row_bytes);
  return c;
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
  return {};
}

template <typename F>
void composed_attention::for_each_chunk(F&& f) const {
  for (std::int64_t g0 = 0; g0 < m_chunks.groups; g0 += m_chunks.groups_per_chunk) {
    const std::int64_t groups = std::min(m_chunks.groups_per_chunk, m_chunks.groups - g0);
    for (std::int64_t r0 = 0; r0 < m_chunks.group_rows; r0 += m_chunks.rows_per_block) {
      const std::int64_t rows = std::min(m_chunks.rows_per_block, m_chunks.group_rows - r0);
      f(g0, groups, r0, rows);
    }
  }
}

composed_attention::composed_attention(cublasLtHandle_t handle, const attention_workload& w, compute_capability cc,
                                       const attention_chunking& chunking, std::size_t gemm_workspace_bytes,
                                       const float* unit_scale)
    : m_w(w), m_chunks(chunking), m_scale(static_cast<float>(default_softmax_scale(w))) {
  m_unsupported = composed_attention_unsupported(w);
  if (!m_unsupported.empty()) return;
  for_each_chunk([&](std::int64_t, std::int64_t groups, std::int64_t, std::int64_t rows) {
    const shape key{rows, groups};
    if (m_scores.count(key) != 0) return;
    // S (rows x skv, f32) = Q_block (rows x d) K^T; K is stored skv x d, so tb=t.
    gemm_workload scores{rows, w.skv, w.d, groups, false, true, {w.dt.in, dtype::f32, dtype::f32}};
    // O_block (rows x d) = P (rows x skv) V (skv x d).
    gemm_workload output{rows, w.d, w.skv, groups, false, false, {w.dt.in, w.dt.out, dtype::f32}};
    m_scores[key] = std::make_unique<lt_matmul>(handle, scores, cc, gemm_workspace_bytes, unit_scale);
    m_outputs[key] = std::make_unique<lt_matmul>(handle, output, cc, gemm_workspace_bytes, unit_scale);
    if (m_unsupported.empty() && !m_scores[key]->available()) m_unsupported = "Q K^T: " + m_scores[key]->unsupported();
    if (m_unsupported.empty() && !m_outputs[key]->available()) m_unsupported = "P V: " + m_outputs[key]->unsupported();
  });
}

composed_attention::~composed_attention() = default;

void composed_attention::run(const buffers& b, cudaStream_t stream) const {
  const std::int64_t in_bytes = storage_bytes(m_w.dt.in), out_bytes = storage_bytes(m_w.dt.out);
  const std::int64_t kv_rows = m_w.skv * m_w.d;  // elements per KV head
  auto* scores = static_cast<float*>(b.workspace);
  void* probs = b.workspace;
  if (m_w.dt.in != dtype::f32) {
    probs = static_cast<char*>(b.workspace) + 4 * m_chunks.rows_per_block * m_chunks.groups_per_chunk * m_w.skv;
  }
  for_each_chunk([&](std::int64_t g0, std::int64_t groups, std::int64_t r0, std::int64_t rows) {
    const shape key{rows, groups};
    const std::int64_t q_offset = (g0 * m_chunks.group_rows + r0) * m_w.d;  // elements; O alike
    const auto* q = static_cast<const char*>(b.q) + q_offset * in_bytes;
    const auto* k = static_cast<const char*>(b.k) + g0 * kv_rows * in_bytes;
    const auto* v = static_cast<const char*>(b.v) + g0 * kv_rows * in_bytes;
    auto* o = static_cast<char*>(b.o) + q_offset * out_bytes;
    m_scores.at(key)->run(q, k, scores, nullptr, b.gemm_workspace, stream);
    launch_masked_softmax(scores, probs, prob_type_of(m_w.dt.in), rows * groups, rows, r0, m_w.sq, m_w.skv, m_w.causal,
                          m_scale, stream);
    m_outputs.at(key)->run(probs, v, o, nullptr, b.gemm_workspace, stream);
  });
}

void composed_attention::tune(const buffers& b, cudaStream_t stream) {
  // Each shape is tuned on the first chunk's buffers (inputs only affect timing through values).
  auto* scores = static_cast<float*>(b.workspace);
  void* probs = m_w.dt.in != dtype::f32 ? static_cast<char*>(b.workspace) +
                                              4 * m_chunks.rows_per_block * m_chunks.groups_per_chunk * m_w.skv
                                        : b.workspace;
  for (auto& [key, gemm] : m_scores) gemm->tune(b.q, b.k, scores, nullptr, b.gemm_workspace, stream);
  for (auto& [key, gemm] : m_outputs) gemm->tune(probs, b.v, b.o, nullptr, b.gemm_workspace, stream);
}

std::string composed_attention::description(const std::string& why_not_fused) const {
  std::string text = fmt::format(
      "composed ({}): cuBLASLt Q K^T + masked softmax kernel + cuBLASLt P V; "
      "{} query rows x {} KV groups per chunk",
      why_not_fused, m_chunks.rows_per_block, m_chunks.groups_per_chunk);
  if (!m_scores.empty()) {
    text += fmt::format("; Q K^T: {}; P V: {}", m_scores.begin()->second->description(),
                        m_outputs.begin()->second->description());
  }
  return text;
}

}  // namespace accelbench::cuda
