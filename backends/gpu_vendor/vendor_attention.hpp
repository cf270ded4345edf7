#pragma once
// Composed attention on a CUDA-shaped vendor, as the CUDA backend's composed path
// (backends/cuda/cuda_attention.hpp) does it: per KV-head group, S = Q K^T through the vendor's
// GEMM library (BLAS-Lt, or rocBLAS without it; f32 scores), the masked softmax kernel compiled
// at run time (softmax_kernel.hpp) writing P in the input type, O = P V through the same library. The hq/hkv query
// heads sharing a KV head are contiguous in Q, so a group is one GEMM of (hq/hkv)*sq rows (GQA, MQA) and groups are
// strided batches. Scores are materialized, so the work is split into chunks bounded by a workspace budget.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "backends/common/attention_chunking.hpp"
#include "backends/gpu_vendor/softmax_kernel.hpp"
#include "backends/gpu_vendor/vendor_matmul.hpp"
#include "kernels/spec/workload.hpp"

namespace accelbench::gpu_vendor {

// Why the composed path cannot run `w` (empty when it can); `gemm_name` for the message.
std::string composed_attention_unsupported(const attention_workload& w, const std::string& gemm_name);

class vendor_attention {
 public:
  // Creates the GEMM plans of every chunk shape; unsupported() says why not when the library
  // offers nothing for one of them.
  vendor_attention(const vendor_library& lib, const gemm_context& blas, const attention_workload& w,
                   const attention_chunking& chunking, std::size_t gemm_workspace_bytes,
                   std::shared_ptr<const softmax_kernel> softmax);
  ~vendor_attention();
  vendor_attention(const vendor_attention&) = delete;
  vendor_attention& operator=(const vendor_attention&) = delete;

  const std::string& unsupported() const { return m_unsupported; }
  // Workspace bytes the selected GEMM algorithms need, the most of any.
  std::size_t gemm_workspace_needed() const;
  // Enqueues the whole attention on `stream`; device pointers in the workload's layouts,
  // `workspace` of chunking.workspace_bytes, `gemm_workspace` for the GEMM library.
  void enqueue(const void* q, const void* k, const void* v, void* o, void* workspace, void* gemm_workspace,
               gpu_stream stream) const;
  std::string description() const;

 private:
  using shape = std::pair<std::int64_t, std::int64_t>;  // (rows, groups) of one chunk

  const vendor_library* m_lib;
  attention_workload m_w;
  attention_chunking m_chunks;
  float m_scale = 1.0f;
  std::shared_ptr<const softmax_kernel> m_softmax;
  std::map<shape, std::unique_ptr<vendor_matmul>> m_scores, m_outputs;
  std::string m_unsupported;
};

}  // namespace accelbench::gpu_vendor
