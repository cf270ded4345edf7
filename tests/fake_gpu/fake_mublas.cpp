// The simulated muBLAS (libmublas.so, mublas*), for MUSA without muBLASLt: cuBLAS's
// GemmStridedBatchedEx with cuBLAS's enum values (vendor_api.hpp says why), the GEMM computed on
// the CPU in double (fake_gemm.hpp). It answers NOT_SUPPORTED (15) for a type combination outside
// cuBLAS's GemmEx table and rejects what the real library would (bad leading dimensions, an
// algorithm other than the default, a nonzero beta the backend never passes, a null handle).
// See fake_gpu.hpp; FAKE_GPU_NOT_IMPLEMENTED=1 makes every GEMM answer NOT_SUPPORTED.
#include <cstdint>
#include <string>

#include <fmt/format.h>

#include "tests/fake_gpu/fake_gemm.hpp"
#include "tests/fake_gpu/fake_gpu.hpp"

namespace {

using fake_gpu::fails;

constexpr int op_n = 0, op_t = 1;
constexpr int r_32f = 0, r_16f = 2, r_16bf = 14, r_8i = 3, r_32i = 10;
constexpr int compute_32f = 68, compute_tf32 = 77, compute_32i = 72;
constexpr int algo_default = -1;
constexpr int status_not_initialized = 1, status_invalid_value = 7, status_internal_error = 14,
              status_not_supported = 15;

constexpr fake_gpu::type_codes codes{r_32f, r_16f, r_16bf, r_8i, r_32i};

struct fake_handle {
  void* stream = nullptr;
};

// cuBLAS's GemmEx type table (cublasGemmEx documentation), restricted to what the backend passes.
bool offered(int ab, int c, int compute) {
  if (ab == r_32f) return c == r_32f && (compute == compute_32f || compute == compute_tf32);
  if (ab == r_16f || ab == r_16bf) return compute == compute_32f && (c == ab || c == r_32f);
  if (ab == r_8i) return c == r_32i && compute == compute_32i;
  return false;
}

}  // namespace

FAKE_EXPORT int mublasCreate(void** handle) {
  if (fails("Create")) return status_internal_error;
  *handle = new fake_handle;
  return 0;
}

FAKE_EXPORT int mublasDestroy(void* handle) {
  delete static_cast<fake_handle*>(handle);
  return 0;
}

FAKE_EXPORT int mublasSetStream(void* handle, void* stream) {
  if (handle == nullptr) return status_not_initialized;
  static_cast<fake_handle*>(handle)->stream = stream;
  return 0;
}

FAKE_EXPORT int mublasGemmStridedBatchedEx(void* handle, int trans_a, int trans_b, int m, int n, int k,
                                           const void* alpha, const void* a, int a_type, int lda, long long stride_a,
                                           const void* b, int b_type, int ldb, long long stride_b, const void* beta,
                                           void* c, int c_type, int ldc, long long stride_c, int batch, int compute,
                                           int algo) {
  if (fails("GemmStridedBatchedEx")) return status_internal_error;
  if (handle == nullptr) return status_not_initialized;
  if (fake_gpu::env("FAKE_GPU_NOT_IMPLEMENTED") == "1") return status_not_supported;
  if ((trans_a != op_n && trans_a != op_t) || (trans_b != op_n && trans_b != op_t) || algo != algo_default) {
    return status_invalid_value;
  }
  if (a_type != b_type || !offered(a_type, c_type, compute)) return status_not_supported;
  const bool ta = trans_a == op_t, tb = trans_b == op_t;
  if (m < 0 || n < 0 || k < 0 || batch < 0 || lda < (ta ? k : m) || ldb < (tb ? n : k) || ldc < m) {
    return status_invalid_value;
  }
  const bool integer = compute == compute_32i;
  const double alpha_value = integer ? *static_cast<const std::int32_t*>(alpha) : *static_cast<const float*>(alpha);
  const double beta_value = integer ? *static_cast<const std::int32_t*>(beta) : *static_cast<const float*>(beta);
  if (beta_value != 0.0) return status_invalid_value;  // C is never read: the backend passes beta 0
  fake_gpu::log_line(fmt::format(
      "GemmStridedBatchedEx trans_a={} trans_b={} m={} n={} k={} a_type={} lda={} stride_a={} ldb={} stride_b={} "
      "c_type={} ldc={} stride_c={} batch={} compute={} algo={} stream={}",
      trans_a, trans_b, m, n, k, a_type, lda, stride_a, ldb, stride_b, c_type, ldc, stride_c, batch, compute, algo,
      static_cast<fake_handle*>(handle)->stream != nullptr ? "set" : "null"));
  const fake_gpu::operand left{a, a_type, lda, stride_a, ta}, right{b, b_type, ldb, stride_b, tb};
  const fake_gpu::product_shape shape{m, n, k, batch};
  fake_gpu::submit(static_cast<fake_handle*>(handle)->stream, [=] {
    fake_gpu::column_major_product(shape, alpha_value, left, right, c, c_type, ldc, stride_c, codes);
  });
  return 0;
}
