#pragma once
// GEMM through rocBLAS, the HIP backend's GEMM where hipBLASLt is absent (older Hygon DTK
// releases ship rocBLAS and hipBLAS only). The same column-major bookkeeping as BLAS-Lt
// (vendor_gemm.hpp: rocBLAS's A is our B). rocBLAS's type table (rocblas_gemm_ex in
// ROCm/rocBLAS's documentation) offers f16 and bf16 inputs with an f32 output only in
// rocblas_gemm_ex, not in the strided-batched call, so such a GEMM is one rocblas_gemm_ex per
// batch item; every other batch is one rocblas_gemm_strided_batched_ex. One algorithm
// (rocblas_gemm_algo_standard): rocBLAS has no heuristic to list candidates, so the _tuned
// tables do not use it for GEMM.
#include <cstdint>
#include <string>

#include "backends/gpu_vendor/vendor_gemm.hpp"
#include "backends/gpu_vendor/vendor_matmul.hpp"

namespace accelbench::gpu_vendor {

struct rocblas_mapping {
  std::string unsupported;  // empty when rocBLAS can run the workload; otherwise why not
  column_major_gemm geometry;
  int op_a = 0, op_b = 0;
  int in_type = 0, out_type = 0, compute_type = 0;
  bool integer = false;                      // alpha and beta are int32 (compute i32)
  bool per_item = false;                     // one rocblas_gemm_ex per batch item
  std::int64_t in_bytes = 0, out_bytes = 0;  // bytes per element, for the per-item offsets
  std::string compute_text;                  // "f32", "i32": for the plan's description
};

// Pure mapping of a GEMM workload onto rocBLAS's enum values.
rocblas_mapping map_rocblas_gemm(const gemm_workload& w, const vendor_table& vendor);

class rocblas_gemm final : public single_algorithm_matmul {
 public:
  rocblas_gemm(const vendor_library& lib, blas_handle handle, const gemm_workload& w);

  // Throws gemm_not_implemented for rocblas_status_not_implemented, std::runtime_error otherwise.
  void enqueue(const void* a, const void* b, void* c, void* workspace, gpu_stream stream) const override;
  std::string description() const override;

 private:
  rocblas_gemm(const vendor_library& lib, blas_handle handle, rocblas_mapping map);
  void check(blas_status status, const char* call) const;

  const vendor_library* m_lib;
  blas_handle m_handle;
  rocblas_mapping m_map;
};

}  // namespace accelbench::gpu_vendor
