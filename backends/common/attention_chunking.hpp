#pragma once
// How the GPU backends' composed attention (cuda, hip/musa) splits its work: the scores of
// S = Q K^T are materialized, so per KV-head group (b * hkv of them, each (hq / hkv) * sq query
// rows, GQA and MQA for free) the rows and groups of one chunk are bounded by a workspace budget.
#include <cstdint>

#include "kernels/spec/workload.hpp"

namespace accelbench {

struct attention_chunking {
  std::int64_t groups = 0;            // b * hkv
  std::int64_t group_rows = 0;        // (hq / hkv) * sq query rows per group
  std::int64_t rows_per_block = 0;    // query rows per GEMM (== group_rows unless split)
  std::int64_t groups_per_chunk = 0;  // groups per batched GEMM (1 when rows are split)
  std::int64_t bytes_per_score = 0;   // f32 score plus the probability in the input type
  std::uint64_t probs_offset = 0;     // bytes from the workspace to the probabilities: 256-aligned (0: in place, f32)
  std::uint64_t workspace_bytes = 0;  // scores and probabilities of one chunk
};

// Pure: how to split the work so one chunk's scores and probabilities fit `budget_bytes` (at
// least one row).
attention_chunking plan_attention_chunks(const attention_workload& w, std::uint64_t budget_bytes);

}  // namespace accelbench
