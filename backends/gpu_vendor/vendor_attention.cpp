#include "backends/gpu_vendor/vendor_attention.hpp"

#include <algorithm>
#include <limits>

#include <fmt/format.h>

namespace accelbench::gpu_vendor {
std::string composed_attention_unsupported(const attention_workload& w, const std::string& gemm_name) {
  const dtype_spec& dt = w.dt;
  const bool float_in = dt.in == dtype::f32 || dt.in == dtype::bf16 || dt.in == dtype::f16;
  if (!float_in || !(dt.out == dt.in || dt.out == dtype::f32) || dt.acc != dtype::f32) {
    return fmt::format(
        "composed attention ({} + softmax kernel) offers dt=f32, bf16 or f16 with the same or f32 output and f32 "
        "accumulation; not dt={}:{}:{}",
        gemm_name, to_string(dt.in), to_string(dt.out), to_string(dt.acc));
  }
  constexpr std::int64_t int32_max = std::numeric_limits<std::int32_t>::max();
  if (w.d > int32_max || w.skv > int32_max || w.b * w.hkv > int32_max) {
    return fmt::format("d, skv and b*hkv above 2^31-1 are outside {}'s range", gemm_name);
  }
  return {};
}

vendor_attention::vendor_attention(const vendor_library& lib, const gemm_context& blas, const attention_workload& w,
                                   const attention_chunking& chunking, std::size_t gemm_workspace_bytes,
                                   std::shared_ptr<const softmax_kernel> softmax)
    : m_lib(&lib),
      m_w(w),
      m_chunks(chunking),
      m_scale(static_cast<float>(default_softmax_scale(w))),
      m_softmax(std::move(softmax)) {
  m_unsupported = composed_attention_unsupported(w, lib.gemm_name());
  if (!m_unsupported.empty()) return;
  for (std::int64_t g0 = 0; g0 < m_chunks.groups; g0 += m_chunks.groups_per_chunk) {
    for (std::int64_t r0 = 0; r0 < m_chunks.group_rows; r0 += m_chunks.rows_per_block) {
      const shape key{std::min(m_chunks.rows_per_block, m_chunks.group_rows - r0),
                      std::min(m_chunks.groups_per_chunk, m_chunks.groups - g0)};
      if (m_scores.count(key) != 0) continue;
      const auto [rows, groups] = key;
      // S (rows x skv, f32) = Q_block (rows x d) K^T; K is stored skv x d, so tb=t.
      const gemm_workload scores{rows, w.skv, w.d, groups, false, true, {w.dt.in, dtype::f32, dtype::f32}};
      // O_block (rows x d) = P (rows x skv) V (skv x d).
      const gemm_workload output{rows, w.d, w.skv, groups, false, false, {w.dt.in, w.dt.out, dtype::f32}};
      m_scores[key] = make_matmul(lib, blas, scores, gemm_workspace_bytes);
      m_outputs[key] = make_matmul(lib, blas, output, gemm_workspace_bytes);
      if (m_unsupported.empty() && !m_scores[key]->unsupported().empty()) {
        m_unsupported = "Q K^T: " + m_scores[key]->unsupported();
      }
      if (m_unsupported.empty() && !m_outputs[key]->unsupported().empty()) {
        m_unsupported = "P V: " + m_outputs[key]->unsupported();
      }
    }
  }
}

vendor_attention::~vendor_attention() = default;

std::size_t vendor_attention::gemm_workspace_needed() const {
  std::size_t bytes = 0;
  for (const auto* plans : {&m_scores, &m_outputs}) {
    for (const auto& [key, plan] : *plans) bytes = std::max(bytes, plan->workspace_needed());
  }
  return bytes;
}

void vendor_attention::enqueue(const void* q, const void* k, const void* v, void* o, void* workspace,
                               void* gemm_workspace, gpu_stream stream) const {
  const auto in_bytes = static_cast<std::uint64_t>(storage_bytes(m_w.dt.in));
  const auto out_bytes = static_cast<std::uint64_t>(storage_bytes(m_w.dt.out));
  auto* scores = static_cast<float*>(workspace);
  void* probs = m_chunks.probs_offset == 0 ? workspace : static_cast<char*>(workspace) + m_chunks.probs_offset;
  for (std::int64_t g0 = 0; g0 < m_chunks.groups; g0 += m_chunks.groups_per_chunk) {
    for (std::int64_t r0 = 0; r0 < m_chunks.group_rows; r0 += m_chunks.rows_per_block) {
      const shape key{std::min(m_chunks.rows_per_block, m_chunks.group_rows - r0),
                      std::min(m_chunks.groups_per_chunk, m_chunks.groups - g0)};
      const auto q_elements = static_cast<std::uint64_t>((g0 * m_chunks.group_rows + r0) * m_w.d);  // O alike
      const auto kv_offset = static_cast<std::uint64_t>(g0 * m_w.skv * m_w.d) * in_bytes;
      m_scores.at(key)->enqueue(static_cast<const char*>(q) + q_elements * in_bytes,
                                static_cast<const char*>(k) + kv_offset, scores, gemm_workspace, stream);
      softmax_launch l;
      l.scores = scores;
      l.probabilities = probs;
      l.rows = key.first * key.second;
      l.rows_per_group = key.first;
      l.row_offset = r0;
      l.sq = m_w.sq;
      l.skv = m_w.skv;
      l.causal = m_w.causal;
      l.window = m_w.window;
      l.scale = m_scale;
      m_softmax->launch(m_w.dt.in, l, stream);
      m_outputs.at(key)->enqueue(probs, static_cast<const char*>(v) + kv_offset,
                                 static_cast<char*>(o) + q_elements * out_bytes, gemm_workspace, stream);
    }
  }
}

std::string vendor_attention::description() const {
  const char* gemm = m_lib->gemm_name();
  std::string text = fmt::format(
      "composed: {} Q K^T + masked softmax kernel ({} for {}) + {} P V; {} query rows x {} KV groups per chunk", gemm,
      m_lib->vendor().rtc_prefix, m_softmax->architecture(), gemm, m_chunks.rows_per_block, m_chunks.groups_per_chunk);
  if (!m_scores.empty()) {
    text += fmt::format("; Q K^T: {}; P V: {}", m_scores.begin()->second->description(),
                        m_outputs.begin()->second->description());
  }
  return text;
}

}  // namespace accelbench::gpu_vendor
