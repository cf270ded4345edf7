#pragma once
// Attention composed from two GEMMs and a softmax, as a library user would write it:
// S = scale * Q K^T, row softmax (causal keys masked), O = P V. Queries are processed in
// blocks so the score buffer stays bounded (S is never materialized whole), and causal blocks
// only compute the keys their last row can see (with a sliding window: from the first key their
// first row can see). The GEMM and softmax steps are supplied by
// the backend (OpenBLAS sgemm, oneDNN matmul/softmax primitives).
#include <cstdint>
#include <vector>

#include "kernels/spec/workload.hpp"

namespace accelbench::cpu {

class attention_steps {
 public:
  virtual ~attention_steps() = default;
  // s[rows][ld] = scale * q[rows][d] . k[keys][d]^T; q and k point into the input tensors.
  virtual void scores(const void* q, const void* k, float* s, std::int64_t rows, std::int64_t keys, std::int64_t ld,
                      std::int64_t d, float scale) = 0;
  // Row softmax over entries [starts[r], limits[r]) of each row (the causal mask and the sliding
  // window); the other entries become 0.
  virtual void softmax(float* s, std::int64_t rows, std::int64_t keys, std::int64_t ld, const std::int64_t* starts,
                       const std::int64_t* limits);
  // o[rows][d] = p[rows][ld] (first `keys` columns) . v[keys][d]; o is f32 scratch.
  virtual void output(const float* p, const void* v, float* o, std::int64_t rows, std::int64_t keys, std::int64_t ld,
                      std::int64_t d) = 0;
};

// Runs the whole attention: inputs in the ABI layout, output stored in w.dt.out.
void run_composed_attention(const attention_workload& w, const void* q, const void* k, const void* v, void* out,
                            attention_steps& steps, std::int64_t block_rows);

// Query rows per block so that the score block stays within `budget_bytes`.
std::int64_t composed_block_rows(const attention_workload& w, std::int64_t budget_bytes);

}  // namespace accelbench::cpu
