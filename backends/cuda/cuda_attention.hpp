#pragma once
// Composed attention on the GPU: per KV-head group, S = Q K^T (cuBLASLt, f32 scores), a masked
// softmax kernel writing P in the input type, O = P V (cuBLASLt). The hq/hkv query heads that
// share a KV head are contiguous in Q, so a group is one GEMM of (hq/hkv)*sq rows (GQA and MQA
// for free) and groups are batched with dense strides. Scores are materialized, so work is
// split into chunks bounded by a workspace budget. This is the labelled fallback for what cuDNN's
// fused SDPA (cudnn_sdpa.hpp, the headline path) rejects or when cuDNN is not loaded.
#include <cublasLt.h>
#include <cuda_runtime_api.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "backends/common/attention_chunking.hpp"
#include "backends/cuda/cublaslt_gemm.hpp"
#include "kernels/spec/workload.hpp"

namespace accelbench::cuda {

// One chunk of the composed path: which groups and query rows, where its operands start (bytes
// from the Q, K/V and O buffers), and the alignments its two GEMMs are chosen for, from those
// offsets (the buffers themselves are 256-byte aligned).
struct attention_chunk {
  std::int64_t g0 = 0, groups = 0, r0 = 0, rows = 0;
  std::uint64_t q_offset = 0, kv_offset = 0, o_offset = 0;
  operand_alignment scores_alignment;  // S = Q K^T: Q, K, the scores
  operand_alignment output_alignment;  // O = P V: the probabilities, V, O
};

// Pure: every chunk, in launch order.
std::vector<attention_chunk> attention_chunks(const attention_workload& w, const attention_chunking& chunking);

// Why the composed path cannot run `w` (empty when it can).
std::string composed_attention_unsupported(const attention_workload& w);

class composed_attention {
 public:
  // Buffers are device pointers in the workload's layouts; `workspace` holds
  // chunking.workspace_bytes, `gemm_workspace` gemm_workspace_bytes for cuBLASLt.
  composed_attention(cublasLtHandle_t handle, const attention_workload& w, compute_capability cc,
                     const attention_chunking& chunking, std::size_t gemm_workspace_bytes, const float* unit_scale);
  ~composed_attention();

  struct buffers {
    const void* q = nullptr;
    const void* k = nullptr;
    const void* v = nullptr;
    void* o = nullptr;
    void* workspace = nullptr;
    void* gemm_workspace = nullptr;
  };

  // Empty when every GEMM shape has a cuBLASLt algorithm; otherwise why not.
  const std::string& unsupported() const { return m_unsupported; }
  void run(const buffers& b, cudaStream_t stream) const;
  // Times each GEMM shape's heuristic candidates once and keeps the fastest (prepare only).
  void tune(const buffers& b, cudaStream_t stream);
  // "composed (<why_not_fused>): ..." so a reader sees why cuDNN's fused path did not run;
  // "fallback: composed (...)" when cuDNN's path should have run (not loaded, rejected): the
  // harness prints such a plan under the console table, so a slow fallback is never silent.
  std::string description(const std::string& why_not_fused, bool fallback) const;

 private:
  // One GEMM plan per distinct (rows, groups, alignments).
  using shape = std::tuple<std::int64_t, std::int64_t, operand_alignment>;

  attention_workload m_w;
  attention_chunking m_chunks;
  std::vector<attention_chunk> m_chunk_list;
  float m_scale = 1.0f;
  std::map<shape, std::unique_ptr<lt_matmul>> m_scores, m_outputs;
  std::string m_unsupported;
};

}  // namespace accelbench::cuda
