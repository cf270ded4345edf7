#pragma once
// cuDNN fused attention through the backend C API: the plain graph of sdpa_graph.hpp becomes
// tensor and operation descriptors, an operation graph, heuristics (mode A) and the first
// engine configuration that finalizes into an execution plan. Anything cuDNN refuses on the
// way ends in unsupported() with cuDNN's own message, and the caller falls back to the
// composed path.
#include <cuda_runtime_api.h>
#include <cudnn_graph.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "backends/cuda/cudnn_library.hpp"
#include "backends/cuda/sdpa_graph.hpp"
#include "kernels/spec/workload.hpp"

namespace accelbench::cuda {

class cudnn_sdpa {
 public:
  // `handle` belongs to the current device and outlives this object.
  cudnn_sdpa(const cudnn_library& lib, cudnnHandle_t handle, const attention_workload& w);
  ~cudnn_sdpa();
  cudnn_sdpa(const cudnn_sdpa&) = delete;
  cudnn_sdpa& operator=(const cudnn_sdpa&) = delete;

  // Empty when a plan was built; otherwise where and why cuDNN refused.
  const std::string& unsupported() const { return m_unsupported; }
  std::uint64_t workspace_bytes() const { return m_workspace_bytes; }
  // "cudnn sdpa (engine 7 of 3 candidates, cuDNN 9.19.0, workspace 0 B)".
  std::string description() const;

 private:
  friend class sdpa_binding;
  cudnnBackendDescriptor_t make(cudnnBackendDescriptorType_t type);
  void check(cudnnStatus_t status, const std::string& what) const;

  const cudnn_library& m_lib;
  cudnnHandle_t m_handle;
  sdpa_graph m_graph;                             // its by-value scalars are read from here at every execute
  std::vector<cudnnBackendDescriptor_t> m_owned;  // destroyed in reverse order
  cudnnBackendDescriptor_t m_plan = nullptr;
  std::int64_t m_engine = -1, m_candidates = 0;
  std::uint64_t m_workspace_bytes = 0;
  std::string m_unsupported;
};

// One plan's device buffers for a finalized cudnn_sdpa (a variant pack): finalizing takes
// seconds, so one cudnn_sdpa is kept per workload and device and serves every plan of it.
class sdpa_binding {
 public:
  // Buffers in our layouts, fixed for the binding's life, and a workspace of workspace_bytes().
  sdpa_binding(std::shared_ptr<const cudnn_sdpa> sdpa, const void* q, const void* k, const void* v, void* o,
               void* workspace);
  ~sdpa_binding();
  sdpa_binding(const sdpa_binding&) = delete;
  sdpa_binding& operator=(const sdpa_binding&) = delete;

  void run(cudaStream_t stream) const;
  const cudnn_sdpa& sdpa() const { return *m_sdpa; }

 private:
  std::shared_ptr<const cudnn_sdpa> m_sdpa;
  cudnnBackendDescriptor_t m_pack = nullptr;
};

}  // namespace accelbench::cuda
