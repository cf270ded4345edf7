#include "backends/gpu_vendor/rocblas_gemm.hpp"

#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "backends/gpu_vendor/vendor_library.hpp"

namespace accelbench::gpu_vendor {
namespace {

// Sets the types from rocBLAS's documented table; returns why not when the combination is absent.
std::string map_types(const gemm_workload& w, const rocblas_constants& c, rocblas_mapping& r) {
  const dtype_spec& dt = w.dt;
  switch (dt.in) {
    case dtype::f32:
      if (dt.out != dtype::f32 || dt.acc != dtype::f32) {
        return fmt::format("rocBLAS f32 GEMM writes f32 and accumulates in f32; not dt={}", to_string(dt));
      }
      r.in_type = r.out_type = r.compute_type = c.r_32f;
      r.compute_text = "f32";
      return {};
    case dtype::tf32:
      return "rocBLAS has no tf32 compute type (hipBLASLt's 32F_FAST_TF32 is not in rocBLAS's GEMM)";
    case dtype::f16:
    case dtype::bf16:
      if ((dt.out != dt.in && dt.out != dtype::f32) || dt.acc != dtype::f32) {
        return fmt::format("rocBLAS {0} GEMM offers {0} or f32 output with f32 accumulation; not dt={1}",
                           to_string(dt.in), to_string(dt));
      }
      r.in_type = dt.in == dtype::f16 ? c.r_16f : c.r_16bf;
      r.out_type = dt.out == dtype::f32 ? c.r_32f : r.in_type;
      r.compute_type = c.r_32f;
      r.compute_text = "f32";
      r.per_item = dt.out == dtype::f32;  // only rocblas_gemm_ex offers it
      return {};
    case dtype::s8:
      if (dt.out != dtype::s32 || dt.acc != dtype::s32) {
        return fmt::format("rocBLAS s8 GEMM here is s8:s32:s32; not dt={}", to_string(dt));
      }
      r.in_type = c.r_8i;
      r.out_type = r.compute_type = c.r_32i;
      r.integer = true;
      r.compute_text = "i32";
      return {};
    case dtype::f8e4m3:
    case dtype::f8e5m2:
      return "rocBLAS's f8 GEMM (gemm_ex3) was a beta removed in rocBLAS 5; f8 needs hipBLASLt";
    default:
      return fmt::format("dt={} is not a GEMM input type rocBLAS offers", to_string(dt));
  }
}

}  // namespace

rocblas_mapping map_rocblas_gemm(const gemm_workload& w, const vendor_table& vendor) {
  rocblas_mapping r;
  r.geometry = column_major(w, "rocBLAS");
  if (!r.geometry.unsupported.empty()) {
    r.unsupported = r.geometry.unsupported;
    return r;
  }
  const rocblas_constants& c = vendor.rocblas;
  r.unsupported = map_types(w, c, r);
  if (!r.unsupported.empty()) return r;
  r.op_a = r.geometry.trans_a ? c.op_t : c.op_n;
  r.op_b = r.geometry.trans_b ? c.op_t : c.op_n;
  r.in_bytes = static_cast<std::int64_t>(storage_bytes(w.dt.in));
  r.out_bytes = static_cast<std::int64_t>(storage_bytes(w.dt.out));
  return r;
}

rocblas_gemm::rocblas_gemm(const vendor_library& lib, blas_handle handle, const gemm_workload& w)
    : rocblas_gemm(lib, handle, map_rocblas_gemm(w, lib.vendor())) {}

rocblas_gemm::rocblas_gemm(const vendor_library& lib, blas_handle handle, rocblas_mapping map)
    : single_algorithm_matmul(map.unsupported), m_lib(&lib), m_handle(handle), m_map(std::move(map)) {}

void rocblas_gemm::check(blas_status status, const char* call) const {
  if (status == 0) return;
  const std::string message = fmt::format("rocblas_{} returned status {}", call, status);
  if (status == m_lib->vendor().rocblas.status_not_implemented) {
    throw gemm_not_implemented(message + " (rocblas_status_not_implemented: not offered for these types here)");
  }
  throw std::runtime_error(message);
}

void rocblas_gemm::enqueue(const void* a, const void* b, void* c, void*, gpu_stream stream) const {
  const rocblas_api& rb = m_lib->rb();
  const rocblas_mapping& p = m_map;
  const column_major_gemm& g = p.geometry;
  const float one_f = 1.0f, zero_f = 0.0f;
  const std::int32_t one_i = 1, zero_i = 0;
  const void* alpha = p.integer ? static_cast<const void*>(&one_i) : static_cast<const void*>(&one_f);
  const void* beta = p.integer ? static_cast<const void*>(&zero_i) : static_cast<const void*>(&zero_f);
  const auto m = static_cast<std::int32_t>(g.d.rows), n = static_cast<std::int32_t>(g.d.cols),
             k = static_cast<std::int32_t>(g.k);
  const auto lda = static_cast<std::int32_t>(g.a.ld), ldb = static_cast<std::int32_t>(g.b.ld),
             ldd = static_cast<std::int32_t>(g.d.ld);
  const int algo = m_lib->vendor().rocblas.algo_standard;
  check(rb.set_stream(m_handle, stream), "set_stream");
  // Operands swapped (vendor_gemm.hpp): rocBLAS's A is our B; C and D are our C (beta 0).
  if (!p.per_item) {
    check(rb.gemm_strided_batched_ex(m_handle, p.op_a, p.op_b, m, n, k, alpha, b, p.in_type, lda, g.a.batch_stride, a,
                                     p.in_type, ldb, g.b.batch_stride, beta, c, p.out_type, ldd, g.d.batch_stride, c,
                                     p.out_type, ldd, g.d.batch_stride, g.batch, p.compute_type, algo, 0, 0),
          "gemm_strided_batched_ex");
    return;
  }
  for (std::int32_t item = 0; item < g.batch; ++item) {
    const auto* item_a = static_cast<const char*>(b) + item * g.a.batch_stride * p.in_bytes;
    const auto* item_b = static_cast<const char*>(a) + item * g.b.batch_stride * p.in_bytes;
    auto* item_d = static_cast<char*>(c) + item * g.d.batch_stride * p.out_bytes;
    check(rb.gemm_ex(m_handle, p.op_a, p.op_b, m, n, k, alpha, item_a, p.in_type, lda, item_b, p.in_type, ldb, beta,
                     item_d, p.out_type, ldd, item_d, p.out_type, ldd, p.compute_type, algo, 0, 0),
          "gemm_ex");
  }
}

std::string rocblas_gemm::description() const {
  const std::string call = m_map.per_item ? "rocblas_gemm_ex per batch item (f32 output from f16/bf16 is not in its "
                                            "strided-batched table)"
                                          : "rocblas_gemm_strided_batched_ex";
  return fmt::format("rocBLAS {} (compute {}, standard algorithm, batch {})", call, m_map.compute_text,
                     m_map.geometry.batch);
}

}  // namespace accelbench::gpu_vendor
