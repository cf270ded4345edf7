#pragma once
// GEMM through muBLAS, the MUSA backend's GEMM where muBLASLt is absent (MUSA releases before
// 4.3). muBLAS mirrors cuBLAS (vendor_api.hpp), so this is cublasGemmStridedBatchedEx: the same
// column-major bookkeeping and type table as BLAS-Lt (map_mublas_gemm, vendor_gemm.hpp), one call
// per GEMM, batches strided, the default algorithm. cuBLAS says only when called that it cannot
// run a combination (NOT_SUPPORTED, ARCH_MISMATCH): that is gemm_not_implemented, which prepare
// turns into unsupported. One algorithm: the _tuned tables do not use it for GEMM.
#include <string>

#include "backends/gpu_vendor/vendor_gemm.hpp"
#include "backends/gpu_vendor/vendor_matmul.hpp"

namespace accelbench::gpu_vendor {

class mublas_gemm final : public single_algorithm_matmul {
 public:
  mublas_gemm(const vendor_library& lib, blas_handle handle, const gemm_workload& w);

  // Throws gemm_not_implemented for NOT_SUPPORTED or ARCH_MISMATCH, std::runtime_error otherwise.
  void enqueue(const void* a, const void* b, void* c, void* workspace, gpu_stream stream) const override;
  std::string description() const override;

 private:
  mublas_gemm(const vendor_library& lib, blas_handle handle, lt_mapping map);
  void check(blas_status status, const char* call) const;

  const vendor_library* m_lib;
  blas_handle m_handle;
  lt_mapping m_map;
};

}  // namespace accelbench::gpu_vendor
