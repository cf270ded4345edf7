// The simulated rocBLAS (librocblas.so, rocblas_*), for HIP without hipBLASLt: the GEMM computed
// on the CPU in double from column-major operands as the real library reads them. It answers
// rocblas_status_not_implemented for a type combination outside rocBLAS's documented table
// (f16/bf16 with f32 output only in rocblas_gemm_ex, not strided-batched) and rejects what the
// real library would (bad leading dimensions, a nonzero beta the backend never passes, a null
// handle). See fake_gpu.hpp; FAKE_GPU_NOT_IMPLEMENTED=1 makes every GEMM answer not_implemented.
#include <cstdint>
#include <cstring>
#include <string>

#include <fmt/format.h>

#include "tests/fake_gpu/fake_gemm.hpp"
#include "tests/fake_gpu/fake_gpu.hpp"

namespace {

using fake_gpu::fails;

constexpr int op_n = 111, op_t = 112;
constexpr int r_16f = 150, r_32f = 151, r_8i = 160, r_32i = 162, r_16bf = 168;
constexpr int status_invalid_handle = 1, status_not_implemented = 2, status_invalid_size = 4, status_internal_error = 6,
              status_invalid_value = 11;

struct fake_handle {
  void* stream = nullptr;
};

constexpr fake_gpu::type_codes codes{r_32f, r_16f, r_16bf, r_8i, r_32i};

// rocBLAS's type table (rocblas_gemm_ex documentation), restricted to what the backend passes.
bool offered(int ab, int cd, int compute, bool strided_batched) {
  if (ab == r_32f) return cd == r_32f && compute == r_32f;
  if (ab == r_16f || ab == r_16bf) return compute == r_32f && (cd == ab || (cd == r_32f && !strided_batched));
  if (ab == r_8i) return cd == r_32i && compute == r_32i;
  return false;
}

struct gemm_call {
  void* handle;
  int trans_a, trans_b;
  std::int32_t m, n, k;
  const void *alpha, *a;
  int a_type;
  std::int32_t lda;
  std::int64_t stride_a;
  const void* b;
  int b_type;
  std::int32_t ldb;
  std::int64_t stride_b;
  const void *beta, *c;
  int c_type;
  std::int32_t ldc;
  std::int64_t stride_c;
  void* d;
  int d_type;
  std::int32_t ldd;
  std::int64_t stride_d;
  std::int32_t batch;
  int compute, algo;
};

int gemm(const gemm_call& g, bool strided_batched, const char* entry) {
  if (fails(entry)) return status_internal_error;
  if (g.handle == nullptr) return status_invalid_handle;
  if (fake_gpu::env("FAKE_GPU_NOT_IMPLEMENTED") == "1") return status_not_implemented;
  if ((g.trans_a != op_n && g.trans_a != op_t) || (g.trans_b != op_n && g.trans_b != op_t) || g.algo != 0) {
    return status_invalid_value;
  }
  if (g.a_type != g.b_type || g.c_type != g.d_type || !offered(g.a_type, g.d_type, g.compute, strided_batched)) {
    return status_not_implemented;
  }
  const bool ta = g.trans_a == op_t, tb = g.trans_b == op_t;
  if (g.m < 0 || g.n < 0 || g.k < 0 || g.batch < 0 || g.lda < (ta ? g.k : g.m) || g.ldb < (tb ? g.n : g.k) ||
      g.ldd < g.m || g.ldc != g.ldd || g.c != g.d) {
    return status_invalid_size;
  }
  const bool integer = g.compute == r_32i;
  const double alpha = integer ? *static_cast<const std::int32_t*>(g.alpha) : *static_cast<const float*>(g.alpha);
  const double beta = integer ? *static_cast<const std::int32_t*>(g.beta) : *static_cast<const float*>(g.beta);
  if (beta != 0.0) return status_invalid_value;  // C is never read: the backend passes beta 0
  fake_gpu::log_line(fmt::format(
      "{} trans_a={} trans_b={} m={} n={} k={} a_type={} lda={} stride_a={} ldb={} "
      "stride_b={} d_type={} ldd={} stride_d={} batch={} compute={} stream={}",
      entry, g.trans_a, g.trans_b, g.m, g.n, g.k, g.a_type, g.lda, g.stride_a, g.ldb, g.stride_b, g.d_type, g.ldd,
      g.stride_d, g.batch, g.compute, static_cast<fake_handle*>(g.handle)->stream != nullptr ? "set" : "null"));
  const fake_gpu::operand left{g.a, g.a_type, g.lda, g.stride_a, ta}, right{g.b, g.b_type, g.ldb, g.stride_b, tb};
  const fake_gpu::product_shape shape{g.m, g.n, g.k, g.batch};
  fake_gpu::submit(static_cast<fake_handle*>(g.handle)->stream, [=] {
    fake_gpu::column_major_product(shape, alpha, left, right, g.d, g.d_type, g.ldd, g.stride_d, codes);
  });
  return 0;
}

}  // namespace

FAKE_EXPORT int rocblas_create_handle(void** handle) {
  if (fails("create_handle")) return status_internal_error;
  *handle = new fake_handle;
  return 0;
}

FAKE_EXPORT int rocblas_destroy_handle(void* handle) {
  delete static_cast<fake_handle*>(handle);
  return 0;
}

FAKE_EXPORT int rocblas_set_stream(void* handle, void* stream) {
  if (handle == nullptr) return status_invalid_handle;
  static_cast<fake_handle*>(handle)->stream = stream;
  return 0;
}

FAKE_EXPORT int rocblas_gemm_strided_batched_ex(void* handle, int trans_a, int trans_b, std::int32_t m, std::int32_t n,
                                                std::int32_t k, const void* alpha, const void* a, int a_type,
                                                std::int32_t lda, std::int64_t stride_a, const void* b, int b_type,
                                                std::int32_t ldb, std::int64_t stride_b, const void* beta,
                                                const void* c, int c_type, std::int32_t ldc, std::int64_t stride_c,
                                                void* d, int d_type, std::int32_t ldd, std::int64_t stride_d,
                                                std::int32_t batch_count, int compute_type, int algo, std::int32_t,
                                                std::uint32_t) {
  const gemm_call g{handle,      trans_a,      trans_b,  m,        n,      k,      alpha,    a,
                    a_type,      lda,          stride_a, b,        b_type, ldb,    stride_b, beta,
                    c,           c_type,       ldc,      stride_c, d,      d_type, ldd,      stride_d,
                    batch_count, compute_type, algo};
  return gemm(g, true, "gemm_strided_batched_ex");
}

FAKE_EXPORT int rocblas_gemm_ex(void* handle, int trans_a, int trans_b, std::int32_t m, std::int32_t n, std::int32_t k,
                                const void* alpha, const void* a, int a_type, std::int32_t lda, const void* b,
                                int b_type, std::int32_t ldb, const void* beta, const void* c, int c_type,
                                std::int32_t ldc, void* d, int d_type, std::int32_t ldd, int compute_type, int algo,
                                std::int32_t, std::uint32_t) {
  const gemm_call g{handle, trans_a,      trans_b, m,    n, k,      alpha, a, a_type, lda,    0,   b,
                    b_type, ldb,          0,       beta, c, c_type, ldc,   0, d,      d_type, ldd, 0,
                    1,      compute_type, algo};
  return gemm(g, false, "gemm_ex");
}

FAKE_EXPORT int rocblas_get_version_string(char* buffer, std::size_t bytes) {
  const char version[] = "4.1.0-fake";
  if (buffer == nullptr || bytes < sizeof(version)) return status_invalid_size;
  std::memcpy(buffer, version, sizeof(version));
  return 0;
}
