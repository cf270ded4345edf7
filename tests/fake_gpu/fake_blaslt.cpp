// The simulated BLAS-Lt: libhipblaslt.so (hipblasLt*) or libmublasLt.so (mublasLt*), the matmul
// computed on the CPU in double from column-major operands as the real library reads them. It
// checks what a real library would reject: unknown compute or data types, attribute sizes, an
// algorithm the heuristic did not hand out. See fake_gpu.hpp.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "tests/fake_gpu/fake_gemm.hpp"
#include "tests/fake_gpu/fake_gpu.hpp"

namespace {

using fake_gpu::fails;

#if defined(FAKE_VENDOR_HIP)
constexpr int op_n = 111, op_t = 112;
constexpr int compute_32f = 2, compute_tf32 = 6, compute_32i = 9;
constexpr int desc_transa = 0, desc_transb = 1, layout_batch = 0, layout_stride = 1;
constexpr std::size_t heuristic_bytes = 56, heuristic_workspace = 24, heuristic_state = 32;
#else
constexpr int op_n = 0, op_t = 1;
constexpr int compute_32f = 68, compute_tf32 = 77, compute_32i = 72;
constexpr int desc_transa = 3, desc_transb = 4, layout_batch = 5, layout_stride = 6;
constexpr std::size_t heuristic_bytes = 96, heuristic_workspace = 64, heuristic_state = 72;
#endif
constexpr int r_32f = 0, r_16f = 2, r_16bf = 14, r_8i = 3, r_32i = 10;
constexpr int status_invalid = 7;          // HIPBLAS_STATUS_INVALID_VALUE-like
constexpr int status_failed = 13;          // an execution failure
constexpr unsigned char algo_mark = 0x5a;  // the heuristic writes algo_mark + i into its i-th algorithm

struct desc {
  int compute, scale, transa = op_n, transb = op_n;
};
struct layout {
  int type;
  std::uint64_t rows, cols;
  std::int64_t ld, stride = 0;
  std::int32_t batch = 1;
};

constexpr int r_8f_e4m3 = 28, r_8f_e5m2 = 29;  // OCP f8: HIP_R_8F_E4M3, CUDA_R_8F_E4M3

bool known_type(int t) {
  return t == r_32f || t == r_16f || t == r_16bf || t == r_8i || t == r_32i || t == r_8f_e4m3 || t == r_8f_e5m2;
}

constexpr fake_gpu::type_codes codes{r_32f, r_16f, r_16bf, r_8i, r_32i, r_8f_e4m3, r_8f_e5m2};

std::string describe(const layout& l) {
  return fmt::format("{}x{}/{} type={} batch={} stride={}", l.rows, l.cols, l.ld, l.type, l.batch, l.stride);
}

}  // namespace

#define FAKE_FAIL_IF(entry) \
  if (fails(entry)) return status_failed

FAKE_EXPORT int FAKE_LT(Create)(void** handle) {
  FAKE_FAIL_IF("Create");
  *handle = new int(0);
  return 0;
}

FAKE_EXPORT int FAKE_LT(Destroy)(void* handle) {
  delete static_cast<int*>(handle);
  return 0;
}

FAKE_EXPORT int FAKE_LT(MatmulDescCreate)(void** out, int compute, int scale) {
  FAKE_FAIL_IF("MatmulDescCreate");
  const bool ok = ((compute == compute_32f || compute == compute_tf32) && scale == r_32f) ||
                  (compute == compute_32i && scale == r_32i);
  if (!ok) return status_invalid;
  *out = new desc{compute, scale};
  return 0;
}

FAKE_EXPORT int FAKE_LT(MatmulDescDestroy)(void* d) {
  delete static_cast<desc*>(d);
  return 0;
}

FAKE_EXPORT int FAKE_LT(MatmulDescSetAttribute)(void* d, int attribute, const void* value, std::size_t bytes) {
  FAKE_FAIL_IF("MatmulDescSetAttribute");
  if (bytes != sizeof(std::int32_t)) return status_invalid;
  std::int32_t op = 0;
  std::memcpy(&op, value, sizeof(op));
  if (op != op_n && op != op_t) return status_invalid;
  if (attribute == desc_transa) {
    static_cast<desc*>(d)->transa = op;
  } else if (attribute == desc_transb) {
    static_cast<desc*>(d)->transb = op;
  } else {
    return status_invalid;
  }
  return 0;
}

FAKE_EXPORT int FAKE_LT(MatrixLayoutCreate)(void** out, int type, std::uint64_t rows, std::uint64_t cols,
                                            std::int64_t ld) {
  FAKE_FAIL_IF("MatrixLayoutCreate");
  if (!known_type(type) || ld < static_cast<std::int64_t>(rows)) return status_invalid;
  *out = new layout{type, rows, cols, ld};
  return 0;
}

FAKE_EXPORT int FAKE_LT(MatrixLayoutDestroy)(void* l) {
  delete static_cast<layout*>(l);
  return 0;
}

FAKE_EXPORT int FAKE_LT(MatrixLayoutSetAttribute)(void* l, int attribute, const void* value, std::size_t bytes) {
  FAKE_FAIL_IF("MatrixLayoutSetAttribute");
  auto* x = static_cast<layout*>(l);
  if (attribute == layout_batch && bytes == sizeof(std::int32_t)) {
    std::memcpy(&x->batch, value, bytes);
  } else if (attribute == layout_stride && bytes == sizeof(std::int64_t)) {
    std::memcpy(&x->stride, value, bytes);
  } else {
    return status_invalid;
  }
  return 0;
}

FAKE_EXPORT int FAKE_LT(MatmulPreferenceCreate)(void** out) {
  *out = new std::uint64_t(0);
  return 0;
}

FAKE_EXPORT int FAKE_LT(MatmulPreferenceDestroy)(void* p) {
  delete static_cast<std::uint64_t*>(p);
  return 0;
}

FAKE_EXPORT int FAKE_LT(MatmulPreferenceSetAttribute)(void* p, int attribute, const void* value, std::size_t bytes) {
  if (attribute != 1 || bytes != sizeof(std::uint64_t)) return status_invalid;
  std::memcpy(p, value, bytes);
  return 0;
}

FAKE_EXPORT int FAKE_LT(MatmulAlgoGetHeuristic)(void*, void* d, void* a, void* b, void* c, void* out, void*,
                                                int requested, void* results, int* returned) {
  FAKE_FAIL_IF("MatmulAlgoGetHeuristic");
  *returned = 0;
  if (d == nullptr || a == nullptr || b == nullptr || c == nullptr || out == nullptr || requested < 1) {
    return status_invalid;
  }
  if (fake_gpu::env("FAKE_GPU_NO_ALGO") == "1") return 0;
  const int offered = std::min(requested, std::atoi(fake_gpu::env("FAKE_GPU_ALGOS", "3").c_str()));
  for (int i = 0; i < offered; ++i) {
    auto* r = static_cast<unsigned char*>(results) + heuristic_bytes * static_cast<std::size_t>(i);
    std::memset(r, 0, heuristic_bytes);
    r[0] = static_cast<unsigned char>(algo_mark + i);
    const std::size_t workspace = 0;
    const std::int32_t state = 0;
    std::memcpy(r + heuristic_workspace, &workspace, sizeof(workspace));
    std::memcpy(r + heuristic_state, &state, sizeof(state));
  }
  *returned = offered;
  fake_gpu::log_line(fmt::format("MatmulAlgoGetHeuristic requested={} returned={}", requested, offered));
  return 0;
}

FAKE_EXPORT int FAKE_LT(Matmul)(void*, void* desc_handle, const void* alpha, const void* a, void* a_layout,
                                const void* b, void* b_layout, const void* beta, const void*, void*, void* d,
                                void* d_layout, const void* algo, void*, std::size_t, void* stream) {
  FAKE_FAIL_IF("Matmul");
  if (algo == nullptr) return status_invalid;
  const int algo_index = static_cast<const unsigned char*>(algo)[0] - algo_mark;
  if (algo_index < 0 || algo_index >= 16) return status_invalid;  // not one the heuristic handed out
  // FAKE_GPU_FAST_ALGO=i: every other algorithm takes 2 ms longer, so tuning has a winner.
  const std::string fast = fake_gpu::env("FAKE_GPU_FAST_ALGO");
  const bool slow = !fast.empty() && std::atoi(fast.c_str()) != algo_index;
  const desc& ds = *static_cast<desc*>(desc_handle);
  const layout& la = *static_cast<layout*>(a_layout);
  const layout& lb = *static_cast<layout*>(b_layout);
  const layout& ld = *static_cast<layout*>(d_layout);
  const bool integer = ds.compute == compute_32i;
  double alpha_value = 0, beta_value = 0;
  if (integer) {
    alpha_value = *static_cast<const std::int32_t*>(alpha);
    beta_value = *static_cast<const std::int32_t*>(beta);
  } else {
    alpha_value = *static_cast<const float*>(alpha);
    beta_value = *static_cast<const float*>(beta);
  }
  if (beta_value != 0.0) return status_invalid;  // C is never read: the backend passes beta 0
  const std::int64_t m = static_cast<std::int64_t>(ld.rows), n = static_cast<std::int64_t>(ld.cols);
  const bool ta = ds.transa == op_t, tb = ds.transb == op_t;
  const std::int64_t k = static_cast<std::int64_t>(ta ? la.rows : la.cols);
  if ((ta ? la.cols : la.rows) != static_cast<std::uint64_t>(m) ||
      (tb ? lb.rows : lb.cols) != static_cast<std::uint64_t>(n) ||
      (tb ? lb.cols : lb.rows) != static_cast<std::uint64_t>(k) || la.batch != ld.batch || lb.batch != ld.batch) {
    return status_invalid;
  }
  fake_gpu::log_line(fmt::format("Matmul compute={} transa={} transb={} a={} b={} d={} algo={}", ds.compute, ds.transa,
                                 ds.transb, describe(la), describe(lb), describe(ld), algo_index));
  const fake_gpu::operand left{a, la.type, la.ld, la.stride, ta}, right{b, lb.type, lb.ld, lb.stride, tb};
  const fake_gpu::product_shape shape{m, n, k, ld.batch};
  const layout out = ld;
  fake_gpu::submit(stream, [=] {
    if (slow) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    fake_gpu::column_major_product(shape, alpha_value, left, right, d, out.type, out.ld, out.stride, codes);
  });
  return 0;
}
