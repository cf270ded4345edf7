#include "backends/common/attention_chunking.hpp"

#include <algorithm>

namespace accelbench {
namespace {

constexpr std::int64_t row_alignment = 64;  // split blocks stay GEMM-tile friendly

}  // namespace

attention_chunking plan_attention_chunks(const attention_workload& w, std::uint64_t budget_bytes) {
  attention_chunking c;
  c.groups = w.b * w.hkv;
  c.group_rows = (w.hq / w.hkv) * w.sq;
  // f32 probabilities overwrite their scores in place; narrower ones need their own buffer.
  c.bytes_per_score = 4 + (w.dt.in == dtype::f32 ? 0 : storage_bytes(w.dt.in));
  // Less the up to 255 bytes that align the probabilities (below).
  const auto budget = static_cast<std::int64_t>(std::min<std::uint64_t>(budget_bytes, 1ull << 62) -
                                                std::min<std::uint64_t>(budget_bytes, 255));
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
  // Probabilities start on a 256-byte boundary after the f32 scores (cuBLASLt's default alignment).
  const auto scores = static_cast<std::uint64_t>(c.rows_per_block * c.groups_per_chunk * w.skv * 4);
  const auto probs =
      static_cast<std::uint64_t>(c.rows_per_block * c.groups_per_chunk * w.skv * (c.bytes_per_score - 4));
  c.probs_offset = probs == 0 ? 0 : (scores + 255) / 256 * 256;
  c.workspace_bytes = c.probs_offset + (probs == 0 ? scores : probs);
  return c;
}

}  // namespace accelbench
