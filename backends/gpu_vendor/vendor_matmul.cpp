#include "backends/gpu_vendor/vendor_matmul.hpp"

#include "backends/gpu_vendor/mublas_gemm.hpp"
#include "backends/gpu_vendor/rocblas_gemm.hpp"
#include "backends/gpu_vendor/vendor_gemm.hpp"
#include "backends/gpu_vendor/vendor_library.hpp"

namespace accelbench::gpu_vendor {

std::string gemm_unsupported(const vendor_library& lib, const gemm_workload& w, const std::string& architecture) {
  if (lib.blaslt_available()) return map_gemm(w, lib.vendor(), architecture).unsupported;
  if (lib.fallback_available()) {
    return lib.vendor().fallback_kind == fallback_blas::rocblas ? map_rocblas_gemm(w, lib.vendor()).unsupported
                                                                : map_mublas_gemm(w, lib.vendor()).unsupported;
  }
  return "no GEMM library: " + lib.gemm_reason();
}

std::unique_ptr<vendor_matmul> make_matmul(const vendor_library& lib, const gemm_context& blas, const gemm_workload& w,
                                           std::size_t workspace_bytes, int candidates) {
  if (lib.blaslt_available()) {
    return std::make_unique<blaslt_matmul>(lib, blas.blaslt, w, blas.architecture, workspace_bytes, candidates);
  }
  if (lib.vendor().fallback_kind == fallback_blas::rocblas) {
    return std::make_unique<rocblas_gemm>(lib, blas.fallback, w);
  }
  return std::make_unique<mublas_gemm>(lib, blas.fallback, w);
}

}  // namespace accelbench::gpu_vendor
