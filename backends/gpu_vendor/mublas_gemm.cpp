#include "backends/gpu_vendor/mublas_gemm.hpp"

#include <cstdint>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "backends/gpu_vendor/vendor_library.hpp"

namespace accelbench::gpu_vendor {

mublas_gemm::mublas_gemm(const vendor_library& lib, blas_handle handle, const gemm_workload& w)
    : mublas_gemm(lib, handle, map_mublas_gemm(w, lib.vendor())) {}

mublas_gemm::mublas_gemm(const vendor_library& lib, blas_handle handle, lt_mapping map)
    : single_algorithm_matmul(map.unsupported), m_lib(&lib), m_handle(handle), m_map(std::move(map)) {}

void mublas_gemm::check(blas_status status, const char* call) const {
  if (status == 0) return;
  const std::string message = fmt::format("mublas{} returned status {}", call, status);
  const mublas_constants& c = m_lib->vendor().mublas;
  if (status == c.status_not_supported || status == c.status_arch_mismatch) {
    throw gemm_not_implemented(message + " (not supported for these types on this device)");
  }
  throw std::runtime_error(message);
}

void mublas_gemm::enqueue(const void* a, const void* b, void* c, void*, gpu_stream stream) const {
  const mublas_api& mb = m_lib->mb();
  const lt_mapping& p = m_map;
  const bool integer = p.compute == m_lib->vendor().mublas.compute_32i;
  const float one_f = 1.0f, zero_f = 0.0f;
  const std::int32_t one_i = 1, zero_i = 0;
  const void* alpha = integer ? static_cast<const void*>(&one_i) : static_cast<const void*>(&one_f);
  const void* beta = integer ? static_cast<const void*>(&zero_i) : static_cast<const void*>(&zero_f);
  // column_major() kept every size within int32.
  const auto m = static_cast<int>(p.d.rows), n = static_cast<int>(p.d.cols), k = static_cast<int>(p.k);
  check(mb.SetStream(m_handle, stream), "SetStream");
  // Operands swapped (vendor_gemm.hpp): muBLAS's A is our B; C is our C (beta 0).
  check(mb.GemmStridedBatchedEx(m_handle, p.op_a, p.op_b, m, n, k, alpha, b, p.a.type, static_cast<int>(p.a.ld),
                                p.a.batch_stride, a, p.b.type, static_cast<int>(p.b.ld), p.b.batch_stride, beta, c,
                                p.d.type, static_cast<int>(p.d.ld), p.d.batch_stride, p.batch, p.compute,
                                m_lib->vendor().mublas.algo_default),
        "GemmStridedBatchedEx");
}

std::string mublas_gemm::description() const {
  return fmt::format("muBLAS mublasGemmStridedBatchedEx (compute {}, default algorithm, batch {})", m_map.compute_text,
                     m_map.batch);
}

}  // namespace accelbench::gpu_vendor
