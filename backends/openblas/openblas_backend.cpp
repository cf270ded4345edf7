// OpenBLAS backend: GEMM through cblas_sgemm/dgemm (and cblas_sbgemm for bf16 when the
// installed OpenBLAS was built with it), attention composed from sgemm plus a softmax.
#include <dlfcn.h>

#include <cstring>
#include <string>
#include <vector>

#include <cblas.h>
#include <fmt/format.h>

#include "backends/common/abi_conversion.hpp"
#include "backends/common/composed_attention.hpp"
#include "backends/common/composed_attention_plan.hpp"
#include "backends/common/cpu_backend_table.hpp"
#include "backends/common/cpu_plan.hpp"
#include "backends/common/in_tree_backends.hpp"
#include "kernels/spec/host_tensor.hpp"

namespace accelbench::openblas {
namespace {

// cblas_sbgemm is absent from Debian 12's OpenBLAS (built without BUILD_BFLOAT16); look it up
// at run time so a build that has it is used without recompiling.
using sbgemm_fn = void (*)(CBLAS_ORDER, CBLAS_TRANSPOSE, CBLAS_TRANSPOSE, blasint, blasint, blasint, float,
                           const std::uint16_t*, blasint, const std::uint16_t*, blasint, float, float*, blasint);
sbgemm_fn find_sbgemm() { return reinterpret_cast<sbgemm_fn>(dlsym(RTLD_DEFAULT, "cblas_sbgemm")); }

constexpr std::int64_t blas_int_max = 2147483647;
constexpr std::int64_t attention_score_budget = 64ll << 20;

std::string g_version;

class gemm_plan final : public cpu::cpu_plan {
 public:
  gemm_plan(const gemm_workload& w, const ab_host_tensor* inputs)
      : m_w(w),
        m_a(cpu::copy_input(inputs[0], w.dt.in)),
        m_b(cpu::copy_input(inputs[1], w.dt.in)),
        m_c(w.dt.out, w.c_elements()) {
    fill_random(m_c, 7);  // a written-to output, never zeros
    description = fmt::format("cblas_{}gemm", w.dt.in == dtype::f64 ? "d" : (w.dt.in == dtype::bf16 ? "sb" : "s"));
    if (w.dt.in == dtype::bf16) m_sbgemm = find_sbgemm();
  }

  void run() override {
    const auto ta = m_w.trans_a ? CblasTrans : CblasNoTrans;
    const auto tb = m_w.trans_b ? CblasTrans : CblasNoTrans;
    const auto m = static_cast<blasint>(m_w.m), n = static_cast<blasint>(m_w.n), k = static_cast<blasint>(m_w.k);
    const blasint lda = m_w.trans_a ? m : k;
    const blasint ldb = m_w.trans_b ? k : n;
    for (std::int64_t bt = 0; bt < m_w.batch; ++bt) {
      const std::int64_t a_off = bt * m_w.m * m_w.k, b_off = bt * m_w.k * m_w.n, c_off = bt * m_w.m * m_w.n;
      if (m_w.dt.in == dtype::f64) {
        cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, 1.0, static_cast<const double*>(m_a.data()) + a_off, lda,
                    static_cast<const double*>(m_b.data()) + b_off, ldb, 0.0, static_cast<double*>(m_c.data()) + c_off,
                    n);
      } else if (m_w.dt.in == dtype::f32) {
        cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1.0f, static_cast<const float*>(m_a.data()) + a_off, lda,
                    static_cast<const float*>(m_b.data()) + b_off, ldb, 0.0f, static_cast<float*>(m_c.data()) + c_off,
                    n);
      } else {
        m_sbgemm(CblasRowMajor, ta, tb, m, n, k, 1.0f, static_cast<const std::uint16_t*>(m_a.data()) + a_off, lda,
                 static_cast<const std::uint16_t*>(m_b.data()) + b_off, ldb, 0.0f,
                 static_cast<float*>(m_c.data()) + c_off, n);
      }
    }
  }

  void read_output(void* host, std::uint64_t bytes) override {
    if (bytes != static_cast<std::uint64_t>(m_c.bytes())) throw std::runtime_error("read_output: size mismatch");
    std::memcpy(host, m_c.data(), bytes);
  }

 private:
  gemm_workload m_w;
  host_tensor m_a, m_b, m_c;
  sbgemm_fn m_sbgemm = nullptr;
};

// sgemm steps for the composed attention (f32 inputs).
class sgemm_attention_steps final : public cpu::attention_steps {
 public:
  void scores(const void* q, const void* k, float* s, std::int64_t rows, std::int64_t keys, std::int64_t ld,
              std::int64_t d, float scale) override {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<blasint>(rows), static_cast<blasint>(keys),
                static_cast<blasint>(d), scale, static_cast<const float*>(q), static_cast<blasint>(d),
                static_cast<const float*>(k), static_cast<blasint>(d), 0.0f, s, static_cast<blasint>(ld));
  }
  void output(const float* p, const void* v, float* o, std::int64_t rows, std::int64_t keys, std::int64_t ld,
              std::int64_t d) override {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<blasint>(rows), static_cast<blasint>(d),
                static_cast<blasint>(keys), 1.0f, p, static_cast<blasint>(ld), static_cast<const float*>(v),
                static_cast<blasint>(d), 0.0f, o, static_cast<blasint>(d));
  }
};

class attention_plan final : public cpu::composed_attention_plan {
 public:
  attention_plan(const attention_workload& w, const ab_host_tensor* inputs)
      : composed_attention_plan(w, inputs, attention_score_budget) {
    description = fmt::format("composed: sgemm + softmax + sgemm, {} query rows per block", block_rows());
  }

 private:
  cpu::attention_steps& steps() override { return m_steps; }

  sgemm_attention_steps m_steps;
};

ab_status init(char*, size_t) {
  g_version = fmt::format("OpenBLAS {} ({}; {} threads; sbgemm {})", std::string(OPENBLAS_VERSION).substr(10, 6),
                          openblas_get_corename(), openblas_get_num_threads(),
                          find_sbgemm() != nullptr ? "available" : "not in this build");
  return AB_OK;
}

const char* library_version() { return g_version.c_str(); }
ab_status supports(int32_t device, const ab_workload* abi, char* reason, size_t reason_len) {
  if (device != 0) return AB_ERROR;
  const workload w = from_abi(*abi);
  const dtype_spec dt = dtypes_of(w);
  if (const auto* g = std::get_if<gemm_workload>(&w)) {
    const bool f64 = dt.in == dtype::f64 && dt.out == dtype::f64;
    const bool f32 = dt.in == dtype::f32 && dt.out == dtype::f32 && dt.acc == dtype::f32;
    const bool bf16 = dt.in == dtype::bf16 && dt.out == dtype::f32 && dt.acc == dtype::f32;
    if (dt.in == dtype::bf16 && find_sbgemm() == nullptr) {
      write_reason(reason, reason_len,
                   "bf16 needs cblas_sbgemm, which this OpenBLAS build lacks (built without BUILD_BFLOAT16)");
      return AB_UNSUPPORTED;
    }
    if (!(f64 || f32 || bf16)) {
      write_reason(reason, reason_len,
                   fmt::format("OpenBLAS GEMM offers f64, f32 and bf16:f32 (sbgemm); not dt={}:{}:{}", to_string(dt.in),
                               to_string(dt.out), to_string(dt.acc)));
      return AB_UNSUPPORTED;
    }
    if (g->m > blas_int_max || g->n > blas_int_max || g->k > blas_int_max) {
      write_reason(reason, reason_len, "dimensions above 2^31-1 exceed OpenBLAS's 32-bit integer interface");
      return AB_UNSUPPORTED;
    }
    return cpu::fits_host_memory(w, 0, reason, reason_len) ? AB_OK : AB_UNSUPPORTED;
  }
  const auto& a = std::get<attention_workload>(w);
  if (!(dt.in == dtype::f32 && dt.out == dtype::f32)) {
    write_reason(reason, reason_len,
                 fmt::format("composed attention uses sgemm and needs dt=f32 (got {}); bf16 needs cblas_sbgemm",
                             to_string(dt.in)));
    return AB_UNSUPPORTED;
  }
  if (a.skv > blas_int_max || a.d > blas_int_max) {
    write_reason(reason, reason_len, "dimensions above 2^31-1 exceed OpenBLAS's 32-bit integer interface");
    return AB_UNSUPPORTED;
  }
  const std::uint64_t workspace = static_cast<std::uint64_t>(attention_score_budget) + a.sq * a.d * 4;
  return cpu::fits_host_memory(w, workspace, reason, reason_len) ? AB_OK : AB_UNSUPPORTED;
}

cpu::cpu_plan* make_plan(const workload& w, const ab_host_tensor* inputs) {
  if (const auto* g = std::get_if<gemm_workload>(&w)) return new gemm_plan(*g, inputs);
  return new attention_plan(std::get<attention_workload>(w), inputs);
}

}  // namespace
}  // namespace accelbench::openblas

extern "C" const ab_backend* accelbench_backend_openblas(void) {
  using namespace accelbench::openblas;
  static const ab_backend table =
      accelbench::cpu::make_cpu_backend_table({.name = "openblas",
                                               .library_version = library_version,
                                               .supports = supports,
                                               .prepare = accelbench::cpu::prepare_plan<supports, make_plan>,
                                               .init = init});
  return &table;
}
