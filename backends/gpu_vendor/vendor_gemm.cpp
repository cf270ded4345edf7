#include "backends/gpu_vendor/vendor_gemm.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace accelbench::gpu_vendor {
namespace {

constexpr std::int64_t int32_max = std::numeric_limits<std::int32_t>::max();

// The storage type of `t`, or -1 when the library has none for it. `Constants` is
// blaslt_constants or mublas_constants: cuBLAS-shaped libraries share these names.
template <typename Constants>
int data_type(dtype t, const Constants& c) {
  switch (t) {
    case dtype::f32:
    case dtype::tf32:
      return c.r_32f;
    case dtype::f16:
      return c.r_16f;
    case dtype::bf16:
      return c.r_16bf;
    case dtype::s8:
      return c.r_8i;
    case dtype::s32:
      return c.r_32i;
    case dtype::f8e4m3:
      return c.r_8f_e4m3;
    case dtype::f8e5m2:
      return c.r_8f_e5m2;
    default:
      return -1;
  }
}

// Sets the types and compute/scale types; returns why not when the combination is not offered.
// The table is cuBLASLt's, which cuBLAS's GemmEx shares for these types (so muBLAS's too).
// `f8_refused` says why f8 cannot run here (empty: it can).
template <typename Constants>
std::string map_types(const dtype_spec& dt, const char* library, const Constants& c, const std::string& f8_refused,
                      lt_mapping& r) {
  switch (dt.in) {
    case dtype::f32:
    case dtype::tf32:
      if ((dt.out != dtype::f32 && dt.out != dtype::tf32) || dt.acc != dtype::f32) {
        return fmt::format("{} {} GEMM writes f32 and accumulates in f32; not dt={}", library, to_string(dt.in),
                           to_string(dt));
      }
      r.compute = dt.in == dtype::tf32 ? c.compute_32f_fast_tf32 : c.compute_32f;
      r.compute_text = dt.in == dtype::tf32 ? "32F_FAST_TF32" : "32F";
      r.scale_type = c.r_32f;
      break;
    case dtype::bf16:
    case dtype::f16:
      if ((dt.out != dt.in && dt.out != dtype::f32) || dt.acc != dtype::f32) {
        return fmt::format("{0} {1} GEMM offers {1} or f32 output with f32 accumulation; not dt={2}", library,
                           to_string(dt.in), to_string(dt));
      }
      r.compute = c.compute_32f;
      r.compute_text = "32F";
      r.scale_type = c.r_32f;
      break;
    case dtype::s8:
      if (dt.out != dtype::s32 || dt.acc != dtype::s32) {
        return fmt::format("{} s8 GEMM here is s8:s32:s32; not dt={}", library, to_string(dt));
      }
      r.compute = c.compute_32i;
      r.compute_text = "32I";
      r.scale_type = c.r_32i;
      break;
    case dtype::f8e4m3:
    case dtype::f8e5m2:
      if (!f8_refused.empty()) return f8_refused;
      // hipBLASLt's f8 table: f8 x f8 into f16, bf16, f32 or the same f8, f32 compute. No scale
      // pointers are set: unset, each scale is 1 (HIPBLASLT_MATMUL_DESC_A_SCALE_POINTER's
      // documentation), and the inputs are already in f8 range.
      if ((dt.out != dt.in && dt.out != dtype::bf16 && dt.out != dtype::f16 && dt.out != dtype::f32) ||
          dt.acc != dtype::f32) {
        return fmt::format("{0} {1} GEMM offers {1}, bf16, f16 or f32 output with f32 accumulation; not dt={2}",
                           library, to_string(dt.in), to_string(dt));
      }
      r.compute = c.compute_32f;
      r.compute_text = "32F";
      r.scale_type = c.r_32f;
      break;
    default:
      return fmt::format("dt={} is not a GEMM input type {} offers", to_string(dt), library);
  }
  r.a.type = r.b.type = data_type(dt.in, c);
  r.d.type = data_type(dt.out, c);
  return {};
}

// Why f8 cannot run through `vendor`'s BLAS-Lt on `architecture`, or empty when it can.
std::string f8_refusal(const vendor_table& vendor, const std::string& architecture) {
  const auto matches = [&](const std::vector<std::string>& prefixes) {
    return std::any_of(prefixes.begin(), prefixes.end(),
                       [&](const std::string& p) { return architecture.rfind(p, 0) == 0; });
  };
  if (vendor.ocp_f8_architectures.empty()) {
    return fmt::format("{} f8 GEMM is not wired up in this backend (no public source says which devices run it)",
                       vendor.blaslt_name);
  }
  if (matches(vendor.ocp_f8_architectures)) return {};
  if (matches(vendor.fnuz_f8_architectures)) {
    return fmt::format(
        "{}'s f8 is FNUZ (e4m3fnuz/e5m2fnuz: exponent bias one higher, one NaN, no negative zero), another "
        "encoding than dt=f8e4m3/f8e5m2 (OCP e4m3fn/e5m2); the inputs are not re-encoded",
        architecture);
  }
  return fmt::format("{} f8 GEMM is wired for OCP f8 devices ({}*); this device is {}", vendor.blaslt_name,
                     fmt::join(vendor.ocp_f8_architectures, "*, "),
                     architecture.empty() ? "of unknown architecture" : architecture);
}

// The mapping onto a cuBLAS-shaped library's enum values: BLAS-Lt (hipBLASLt, muBLASLt) or muBLAS.
template <typename Constants>
lt_mapping map_cublas_shaped(const gemm_workload& w, const char* library, const Constants& c,
                             const std::string& f8_refused) {
  lt_mapping r;
  const column_major_gemm g = column_major(w, library);
  if (!g.unsupported.empty()) {
    r.unsupported = g.unsupported;
    return r;
  }
  r.a = g.a;
  r.b = g.b;
  r.d = g.d;
  r.k = g.k;
  r.batch = g.batch;
  r.unsupported = map_types(w.dt, library, c, f8_refused, r);  // sets the matrices' types
  if (!r.unsupported.empty()) return r;
  r.op_a = g.trans_a ? c.op_t : c.op_n;
  r.op_b = g.trans_b ? c.op_t : c.op_n;
  return r;
}

void check_blas(blas_status status, const char* call, const vendor_table& v) {
  if (status != 0) throw std::runtime_error(fmt::format("{}{} returned status {}", v.blaslt_prefix, call, status));
}

}  // namespace

column_major_gemm column_major(const gemm_workload& w, const char* library_name) {
  column_major_gemm r;
  if (w.m > int32_max || w.n > int32_max || w.k > int32_max || w.batch > int32_max) {
    r.unsupported = fmt::format("dimensions and batch above 2^31-1 are outside {}'s range", library_name);
    return r;
  }
  const auto m = static_cast<std::uint64_t>(w.m), n = static_cast<std::uint64_t>(w.n),
             k = static_cast<std::uint64_t>(w.k);
  // The library's A is our B: stored k x n row-major (= n x k column-major, no transpose) or n x k.
  r.trans_a = w.trans_b;
  r.a.rows = w.trans_b ? k : n;
  r.a.cols = w.trans_b ? n : k;
  r.a.ld = static_cast<std::int64_t>(r.a.rows);
  r.a.batch_stride = w.k * w.n;
  // The library's B is our A: stored m x k row-major (= k x m column-major) or k x m.
  r.trans_b = w.trans_a;
  r.b.rows = w.trans_a ? m : k;
  r.b.cols = w.trans_a ? k : m;
  r.b.ld = static_cast<std::int64_t>(r.b.rows);
  r.b.batch_stride = w.m * w.k;
  // D (and C) = our C: m x n row-major = n x m column-major.
  r.d.rows = n;
  r.d.cols = m;
  r.d.ld = static_cast<std::int64_t>(n);
  r.d.batch_stride = w.m * w.n;
  r.k = w.k;
  r.batch = static_cast<std::int32_t>(w.batch);
  return r;
}

lt_mapping map_gemm(const gemm_workload& w, const vendor_table& vendor, const std::string& architecture) {
  return map_cublas_shaped(w, vendor.blaslt_name, vendor.blaslt, f8_refusal(vendor, architecture));
}

lt_mapping map_mublas_gemm(const gemm_workload& w, const vendor_table& vendor) {
  return map_cublas_shaped(w, vendor.fallback_blas_name, vendor.mublas,
                           fmt::format("{} f8 GEMM: cuBLAS's GemmEx, which muBLAS mirrors, takes no f8 (f8 needs {})",
                                       vendor.fallback_blas_name, vendor.blaslt_name));
}

blaslt_matmul::blaslt_matmul(const vendor_library& lib, blaslt_handle handle, const gemm_workload& w,
                             const std::string& architecture, std::size_t workspace_bytes, int candidates)
    : m_lib(&lib),
      m_handle(handle),
      m_map(map_gemm(w, lib.vendor(), architecture)),
      m_workspace_bytes(workspace_bytes),
      m_candidates(candidates) {
  if (!m_map.unsupported.empty()) {
    m_unsupported = m_map.unsupported;
    return;
  }
  try {
    create_descriptors(workspace_bytes);
  } catch (...) {
    destroy();  // the destructor does not run for a constructor that throws
    throw;
  }
}

void blaslt_matmul::create_descriptors(std::size_t workspace_bytes) {
  const vendor_table& v = m_lib->vendor();
  const blaslt_api& lt = m_lib->lt();
  const blaslt_constants& c = v.blaslt;
  check_blas(lt.MatmulDescCreate(&m_desc, m_map.compute, m_map.scale_type), "MatmulDescCreate", v);
  const std::int32_t op_a = m_map.op_a, op_b = m_map.op_b;
  check_blas(lt.MatmulDescSetAttribute(m_desc, c.desc_transa, &op_a, sizeof(op_a)), "MatmulDescSetAttribute", v);
  check_blas(lt.MatmulDescSetAttribute(m_desc, c.desc_transb, &op_b, sizeof(op_b)), "MatmulDescSetAttribute", v);
  const auto layout = [&](const lt_matrix& x, blaslt_layout& out) {
    check_blas(lt.MatrixLayoutCreate(&out, x.type, x.rows, x.cols, x.ld), "MatrixLayoutCreate", v);
    if (m_map.batch > 1) {
      const std::int32_t batch = m_map.batch;
      const std::int64_t stride = x.batch_stride;
      check_blas(lt.MatrixLayoutSetAttribute(out, c.layout_batch_count, &batch, sizeof(batch)),
                 "MatrixLayoutSetAttribute", v);
      check_blas(lt.MatrixLayoutSetAttribute(out, c.layout_strided_batch_offset, &stride, sizeof(stride)),
                 "MatrixLayoutSetAttribute", v);
    }
  };
  layout(m_map.a, m_a);
  layout(m_map.b, m_b);
  layout(m_map.d, m_d);
  blaslt_pref preference = nullptr;
  check_blas(lt.MatmulPreferenceCreate(&preference), "MatmulPreferenceCreate", v);
  const std::uint64_t max_workspace = workspace_bytes;
  blas_status status =
      lt.MatmulPreferenceSetAttribute(preference, c.pref_max_workspace_bytes, &max_workspace, sizeof(max_workspace));
  m_heuristic.assign(c.heuristic_bytes * static_cast<std::size_t>(m_candidates), 0);
  int returned = 0;
  if (status == 0) {
    status = lt.MatmulAlgoGetHeuristic(m_handle, m_desc, m_a, m_b, m_d, m_d, preference, m_candidates,
                                       m_heuristic.data(), &returned);
  }
  lt.MatmulPreferenceDestroy(preference);
  if (status != 0 || returned < 1) {
    m_unsupported = fmt::format("{}'s heuristic offers no algorithm for this GEMM (status {}, {} returned)",
                                v.blaslt_name, status, returned);
    return;
  }
  m_returned = std::min(returned, m_candidates);
}

const unsigned char* blaslt_matmul::result(int candidate) const {
  return m_heuristic.data() + m_lib->vendor().blaslt.heuristic_bytes * static_cast<std::size_t>(candidate);
}

void blaslt_matmul::select(int candidate) {
  if (candidate < 0 || candidate >= m_returned) {
    throw std::out_of_range(fmt::format("candidate {} of {}", candidate, m_returned));
  }
  m_selected = candidate;
}

std::size_t blaslt_matmul::workspace_needed() const {
  std::size_t bytes = 0;
  std::memcpy(&bytes, result(m_selected) + m_lib->vendor().blaslt.heuristic_workspace_offset, sizeof(bytes));
  return bytes;
}

blaslt_matmul::~blaslt_matmul() { destroy(); }

void blaslt_matmul::destroy() {
  const blaslt_api& lt = m_lib->lt();
  if (m_a != nullptr) lt.MatrixLayoutDestroy(m_a);
  if (m_b != nullptr) lt.MatrixLayoutDestroy(m_b);
  if (m_d != nullptr) lt.MatrixLayoutDestroy(m_d);
  if (m_desc != nullptr) lt.MatmulDescDestroy(m_desc);
  m_a = m_b = m_d = nullptr;
  m_desc = nullptr;
}

void blaslt_matmul::enqueue(const void* a, const void* b, void* c, void* workspace, gpu_stream stream) const {
  const float one_f = 1.0f, zero_f = 0.0f;
  const std::int32_t one_i = 1, zero_i = 0;
  const bool integer = m_map.scale_type == m_lib->vendor().blaslt.r_32i;
  const void* alpha = integer ? static_cast<const void*>(&one_i) : static_cast<const void*>(&one_f);
  const void* beta = integer ? static_cast<const void*>(&zero_i) : static_cast<const void*>(&zero_f);
  // Operands swapped (header comment): BLAS-Lt's A is our B.
  check_blas(m_lib->lt().Matmul(m_handle, m_desc, alpha, b, m_a, a, m_b, beta, c, m_d, c, m_d, result(m_selected),
                                workspace, m_workspace_bytes, stream),
             "Matmul", m_lib->vendor());
}

std::string blaslt_matmul::description() const {
  const std::string algorithm =
      m_candidates == 1 ? "heuristic's first algorithm"
                        : fmt::format("heuristic candidate {} of {}, fastest in prepare", m_selected + 1, m_returned);
  return fmt::format("{} matmul (compute {}, {}, batch {})", m_lib->vendor().blaslt_name, m_map.compute_text, algorithm,
                     m_map.batch);
}

}  // namespace accelbench::gpu_vendor
