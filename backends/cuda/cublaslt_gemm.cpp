#include "backends/cuda/cublaslt_gemm.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "backends/common/candidate_tuning.hpp"
#include "backends/cuda/cuda_check.hpp"

namespace accelbench::cuda {
namespace {

constexpr std::int64_t int32_max = std::numeric_limits<std::int32_t>::max();

// Sets the types and the compute/scale types; returns why not when the combination is not offered.
std::string map_types(const gemm_workload& w, compute_capability cc, lt_gemm_mapping& r) {
  const dtype_spec& dt = w.dt;
  const auto one_of = [](dtype t, std::initializer_list<dtype> allowed) {
    return std::find(allowed.begin(), allowed.end(), t) != allowed.end();
  };
  const cudaDataType_t in = cuda_data_type(dt.in);
  r.a.type = r.b.type = in;
  switch (dt.in) {
    case dtype::f64:
      // acc is ignored (defaults to f32 in the grammar): cuBLASLt's f64 GEMM accumulates in f64.
      if (dt.out != dtype::f64) return fmt::format("cuBLASLt f64 GEMM writes f64; not dt={}", to_string(dt));
      r.compute = CUBLAS_COMPUTE_64F;
      r.scale_type = CUDA_R_64F;
      break;
    case dtype::f32:
    case dtype::tf32:
      if (!one_of(dt.out, {dtype::f32, dtype::tf32}) || dt.acc != dtype::f32) {
        return fmt::format("cuBLASLt {} GEMM writes f32 and accumulates in f32; not dt={}", to_string(dt.in),
                           to_string(dt));
      }
      r.compute = dt.in == dtype::tf32 ? CUBLAS_COMPUTE_32F_FAST_TF32 : CUBLAS_COMPUTE_32F;
      r.scale_type = CUDA_R_32F;
      break;
    case dtype::bf16:
    case dtype::f16:
      if (!one_of(dt.out, {dt.in, dtype::f32}) || dt.acc != dtype::f32) {
        return fmt::format("cuBLASLt {0} GEMM offers {0} or f32 output with f32 accumulation; not dt={1}",
                           to_string(dt.in), to_string(dt));
      }
      r.compute = CUBLAS_COMPUTE_32F;
      r.scale_type = CUDA_R_32F;
      break;
    case dtype::f8e4m3:
      if (cc < 89) {
        return fmt::format("f8e4m3 GEMM needs compute capability 8.9 or newer (Ada, Hopper); this device is {}.{}",
                           cc / 10, cc % 10);
      }
      if (!one_of(dt.out, {dtype::f8e4m3, dtype::bf16, dtype::f16, dtype::f32}) || dt.acc != dtype::f32) {
        return fmt::format(
            "cuBLASLt f8e4m3 GEMM offers f8e4m3, bf16, f16 or f32 output with f32 accumulation; "
            "not dt={}",
            to_string(dt));
      }
      // cuBLASLt's fp8 kernels before Blackwell need its A transposed and B not ("TN"): with
      // the operands swapped (header comment) that is our ta=n, tb=t.
      if (cc < 100 && (w.trans_a || !w.trans_b)) {
        return "cuBLASLt f8e4m3 GEMM before compute capability 10.0 needs ta=n,tb=t (its \"TN\" layout)";
      }
      r.compute = CUBLAS_COMPUTE_32F;
      r.scale_type = CUDA_R_32F;
      r.fp8_scales = true;
      break;
    case dtype::f8e5m2:
      return "cuBLASLt has no e5m2 x e5m2 GEMM (e5m2 pairs with e4m3, which dt=<in> cannot express)";
    case dtype::s8:
      if (dt.out != dtype::s32 || dt.acc != dtype::s32) {
        return fmt::format(
            "cuBLASLt s8 GEMM here is s8:s32:s32 (an s8 output needs a requantization scale); "
            "not dt={}",
            to_string(dt));
      }
      r.compute = CUBLAS_COMPUTE_32I;
      r.scale_type = CUDA_R_32I;
      break;
    default:
      return fmt::format("dt={} is not a GEMM input type cuBLASLt offers", to_string(dt));
  }
  r.d.type = cuda_data_type(dt.out);
  r.c.type = r.d.type;
  if (dt.in == dtype::f8e4m3 && dt.out == dtype::f8e4m3) {
    // An fp8 D takes a bf16 C in cuBLASLt's fp8 type table.
    r.c.type = CUDA_R_16BF;
    r.separate_c = true;
  }
  return {};
}

}  // namespace

cudaDataType_t cuda_data_type(dtype t) {
  switch (t) {
    case dtype::f64:
      return CUDA_R_64F;
    case dtype::f32:
    case dtype::tf32:
    case dtype::hf32:  // Ascend's HF32: stored as f32, never computed here (map_gemm refuses it)
      return CUDA_R_32F;
    case dtype::bf16:
      return CUDA_R_16BF;
    case dtype::f16:
      return CUDA_R_16F;
    case dtype::f8e4m3:
      return CUDA_R_8F_E4M3;
    case dtype::f8e5m2:
      return CUDA_R_8F_E5M2;
    case dtype::s8:
      return CUDA_R_8I;
    case dtype::s32:
      return CUDA_R_32I;
    case dtype::invalid:
      break;
  }
  return CUDA_R_32F;
}

std::string_view to_string(cublasComputeType_t compute) {
  switch (compute) {
    case CUBLAS_COMPUTE_64F:
      return "64F";
    case CUBLAS_COMPUTE_32F:
      return "32F";
    case CUBLAS_COMPUTE_32F_FAST_TF32:
      return "32F_FAST_TF32";
    case CUBLAS_COMPUTE_32I:
      return "32I";
    default:
      return "other";
  }
}

lt_gemm_mapping map_gemm(const gemm_workload& w, compute_capability cc) {
  lt_gemm_mapping r;
  if (w.m > int32_max || w.n > int32_max || w.k > int32_max || w.batch > int32_max) {
    r.unsupported = "dimensions and batch above 2^31-1 are outside cuBLASLt's tested range";
    return r;
  }
  r.unsupported = map_types(w, cc, r);
  if (!r.unsupported.empty()) return r;
  const auto m = static_cast<std::uint64_t>(w.m), n = static_cast<std::uint64_t>(w.n),
             k = static_cast<std::uint64_t>(w.k);
  // cuBLASLt's A is our B: stored k x n row-major (= n x k column-major, no transpose) or n x k.
  r.op_a = w.trans_b ? CUBLAS_OP_T : CUBLAS_OP_N;
  r.a.rows = w.trans_b ? k : n;
  r.a.cols = w.trans_b ? n : k;
  r.a.ld = static_cast<std::int64_t>(r.a.rows);
  r.a.batch_stride = w.k * w.n;
  // cuBLASLt's B is our A: stored m x k row-major (= k x m column-major) or k x m.
  r.op_b = w.trans_a ? CUBLAS_OP_T : CUBLAS_OP_N;
  r.b.rows = w.trans_a ? m : k;
  r.b.cols = w.trans_a ? k : m;
  r.b.ld = static_cast<std::int64_t>(r.b.rows);
  r.b.batch_stride = w.m * w.k;
  // D (and C) = our C: m x n row-major = n x m column-major.
  r.d.rows = r.c.rows = n;
  r.d.cols = r.c.cols = m;
  r.d.ld = r.c.ld = static_cast<std::int64_t>(n);
  r.d.batch_stride = r.c.batch_stride = w.m * w.n;
  r.batch = static_cast<std::int32_t>(w.batch);
  return r;
}

std::uint32_t pointer_alignment(std::uintptr_t address) {
  std::uint32_t alignment = 1;
  while (alignment < 256 && address % (2 * alignment) == 0) alignment *= 2;
  return alignment;
}

std::array<std::pair<cublasLtMatmulPreferenceAttributes_t, std::uint32_t>, 4> alignment_preferences(
    const operand_alignment& alignment) {
  return {{{CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_A_BYTES, alignment.b},
           {CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_B_BYTES, alignment.a},
           {CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_C_BYTES, alignment.c},
           {CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_D_BYTES, alignment.c}}};
}

std::string heuristic_unsupported(cublasStatus_t status, int returned, cublasComputeType_t compute) {
  if (status == CUBLAS_STATUS_SUCCESS) {
    return returned == 0
               ? fmt::format("cuBLASLt heuristic found no algorithm for this GEMM ({} compute)", to_string(compute))
               : std::string();
  }
  if (status == CUBLAS_STATUS_NOT_SUPPORTED || status == CUBLAS_STATUS_INVALID_VALUE ||
      status == CUBLAS_STATUS_ARCH_MISMATCH) {
    return fmt::format("cuBLASLt heuristic found no algorithm for this GEMM ({} compute): {}", to_string(compute),
                       describe_cublas_status(status));
  }
  return {};
}

namespace {

cublasLtMatrixLayout_t make_layout(const lt_matrix& m, std::int32_t batch) {
  cublasLtMatrixLayout_t layout = nullptr;
  ACCELBENCH_CHECK_CUBLAS(lt().cublasLtMatrixLayoutCreate(&layout, m.type, m.rows, m.cols, m.ld));
  if (batch > 1) {
    ACCELBENCH_CHECK_CUBLAS(
        lt().cublasLtMatrixLayoutSetAttribute(layout, CUBLASLT_MATRIX_LAYOUT_BATCH_COUNT, &batch, sizeof(batch)));
    ACCELBENCH_CHECK_CUBLAS(lt().cublasLtMatrixLayoutSetAttribute(layout, CUBLASLT_MATRIX_LAYOUT_STRIDED_BATCH_OFFSET,
                                                                  &m.batch_stride, sizeof(m.batch_stride)));
  }
  return layout;
}

}  // namespace

lt_matmul::lt_matmul(cublasLtHandle_t handle, const gemm_workload& w, compute_capability cc,
                     std::size_t workspace_bytes, const float* unit_scale, operand_alignment alignment, int candidates)
    : m_handle(handle), m_map(map_gemm(w, cc)), m_workspace_bytes(workspace_bytes), m_alignment(alignment) {
  if (!m_map.unsupported.empty()) {
    m_unsupported = m_map.unsupported;
    return;
  }
  ACCELBENCH_CHECK_CUBLAS(lt().cublasLtMatmulDescCreate(&m_desc, m_map.compute, m_map.scale_type));
  ACCELBENCH_CHECK_CUBLAS(
      lt().cublasLtMatmulDescSetAttribute(m_desc, CUBLASLT_MATMUL_DESC_TRANSA, &m_map.op_a, sizeof(m_map.op_a)));
  ACCELBENCH_CHECK_CUBLAS(
      lt().cublasLtMatmulDescSetAttribute(m_desc, CUBLASLT_MATMUL_DESC_TRANSB, &m_map.op_b, sizeof(m_map.op_b)));
  if (m_map.fp8_scales) {
    // Unit scales: the inputs are already in f8 range (normal(0,1) rounded), and a unit D
    // scale keeps the output comparable with the fp64 reference.
    ACCELBENCH_CHECK_CUBLAS(lt().cublasLtMatmulDescSetAttribute(m_desc, CUBLASLT_MATMUL_DESC_A_SCALE_POINTER,
                                                                &unit_scale, sizeof(unit_scale)));
    ACCELBENCH_CHECK_CUBLAS(lt().cublasLtMatmulDescSetAttribute(m_desc, CUBLASLT_MATMUL_DESC_B_SCALE_POINTER,
                                                                &unit_scale, sizeof(unit_scale)));
    if (m_map.d.type == CUDA_R_8F_E4M3) {
      ACCELBENCH_CHECK_CUBLAS(lt().cublasLtMatmulDescSetAttribute(m_desc, CUBLASLT_MATMUL_DESC_D_SCALE_POINTER,
                                                                  &unit_scale, sizeof(unit_scale)));
    }
  }
  m_a = make_layout(m_map.a, m_map.batch);
  m_b = make_layout(m_map.b, m_map.batch);
  m_c = make_layout(m_map.c, m_map.batch);
  m_d = make_layout(m_map.d, m_map.batch);

  cublasLtMatmulPreference_t preference = nullptr;
  ACCELBENCH_CHECK_CUBLAS(lt().cublasLtMatmulPreferenceCreate(&preference));
  std::vector<cublasLtMatmulHeuristicResult_t> results(static_cast<std::size_t>(std::max(1, candidates)));
  int returned = 0;
  cublasStatus_t status = lt().cublasLtMatmulPreferenceSetAttribute(
      preference, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &workspace_bytes, sizeof(workspace_bytes));
  for (const auto& [attribute, bytes] : alignment_preferences(alignment)) {
    if (status == CUBLAS_STATUS_SUCCESS) {
      status = lt().cublasLtMatmulPreferenceSetAttribute(preference, attribute, &bytes, sizeof(bytes));
    }
  }
  if (status == CUBLAS_STATUS_SUCCESS) {
    status = lt().cublasLtMatmulAlgoGetHeuristic(m_handle, m_desc, m_a, m_b, m_c, m_d, preference,
                                                 static_cast<int>(results.size()), results.data(), &returned);
  }
  lt().cublasLtMatmulPreferenceDestroy(preference);
  m_unsupported = heuristic_unsupported(status, returned, m_map.compute);
  if (!m_unsupported.empty()) return;
  ACCELBENCH_CHECK_CUBLAS(status);
  for (int i = 0; i < returned; ++i) {
    if (results[static_cast<std::size_t>(i)].state == CUBLAS_STATUS_SUCCESS) {
      m_algorithms.push_back(results[static_cast<std::size_t>(i)]);
    }
  }
  if (m_algorithms.empty()) m_unsupported = "cuBLASLt heuristic returned no usable algorithm";
}

lt_matmul::~lt_matmul() {
  if (m_a != nullptr) lt().cublasLtMatrixLayoutDestroy(m_a);
  if (m_b != nullptr) lt().cublasLtMatrixLayoutDestroy(m_b);
  if (m_c != nullptr) lt().cublasLtMatrixLayoutDestroy(m_c);
  if (m_d != nullptr) lt().cublasLtMatrixLayoutDestroy(m_d);
  if (m_desc != nullptr) lt().cublasLtMatmulDescDestroy(m_desc);
}

void lt_matmul::run_with(int index, const void* a, const void* b, void* c, void* c_buffer, void* workspace,
                         cudaStream_t stream) const {
  const void* one = m_map.scale_type == CUDA_R_64F   ? static_cast<const void*>(&m_one_f64)
                    : m_map.scale_type == CUDA_R_32I ? static_cast<const void*>(&m_one_s32)
                                                     : static_cast<const void*>(&m_one_f32);
  const void* zero = m_map.scale_type == CUDA_R_64F   ? static_cast<const void*>(&m_zero_f64)
                     : m_map.scale_type == CUDA_R_32I ? static_cast<const void*>(&m_zero_s32)
                                                      : static_cast<const void*>(&m_zero_f32);
  const cublasLtMatmulHeuristicResult_t& algo = m_algorithms.at(static_cast<std::size_t>(index));
  // Chosen for m_alignment: a less aligned pointer could fault or compute garbage on the device.
  auto check = [](const void* p, std::uint32_t promised, const char* which) {
    if (pointer_alignment(reinterpret_cast<std::uintptr_t>(p)) < promised) {
      throw cuda_error(fmt::format("cuBLASLt operand {} at {} is less than {}-byte aligned", which, p, promised));
    }
  };
  check(a, m_alignment.a, "A");
  check(b, m_alignment.b, "B");
  check(c, m_alignment.c, "C");
  // Operands swapped (header comment): cuBLASLt's A is our B.
  ACCELBENCH_CHECK_CUBLAS(lt().cublasLtMatmul(m_handle, m_desc, one, b, m_a, a, m_b, zero,
                                              m_map.separate_c ? c_buffer : c, m_c, c, m_d, &algo.algo, workspace,
                                              m_workspace_bytes, stream));
}

void lt_matmul::run(const void* a, const void* b, void* c, void* c_buffer, void* workspace, cudaStream_t stream) const {
  run_with(m_chosen, a, b, c, c_buffer, workspace, stream);
}

void lt_matmul::tune(const void* a, const void* b, void* c, void* c_buffer, void* workspace, cudaStream_t stream) {
  cudaEvent_t start = nullptr, stop = nullptr;
  ACCELBENCH_CHECK_CUDA(cudaEventCreate(&start));
  ACCELBENCH_CHECK_CUDA(cudaEventCreate(&stop));
  m_candidate_seconds = time_candidates(
      m_algorithms.size(),
      [&](int index) {
        run_with(index, a, b, c, c_buffer, workspace, stream);
        ACCELBENCH_CHECK_CUDA(cudaStreamSynchronize(stream));
      },
      [&](int index) {
        ACCELBENCH_CHECK_CUDA(cudaEventRecord(start, stream));
        run_with(index, a, b, c, c_buffer, workspace, stream);
        ACCELBENCH_CHECK_CUDA(cudaEventRecord(stop, stream));
        ACCELBENCH_CHECK_CUDA(cudaEventSynchronize(stop));
        float ms = 0.0f;
        ACCELBENCH_CHECK_CUDA(cudaEventElapsedTime(&ms, start, stop));
        return ms * 1e-3;
      },
      [] { cudaGetLastError(); });  // a candidate that failed to launch must not poison the next
  cudaEventDestroy(start);
  cudaEventDestroy(stop);
  const int best = choose_fastest(m_candidate_seconds);
  if (best < 0) throw cuda_error("cuBLASLt: none of the heuristic candidates ran");
  m_chosen = best;
  m_tuned = true;
}

std::string lt_matmul::algorithm_text(int index) const {
  const cublasLtMatmulAlgo_t& algo = m_algorithms.at(static_cast<std::size_t>(index)).algo;
  std::int32_t id = 0, tile = 0, split_k = 0;
  std::uint32_t stages = 0;
  std::size_t written = 0;
  lt().cublasLtMatmulAlgoConfigGetAttribute(&algo, CUBLASLT_ALGO_CONFIG_ID, &id, sizeof(id), &written);
  lt().cublasLtMatmulAlgoConfigGetAttribute(&algo, CUBLASLT_ALGO_CONFIG_TILE_ID, &tile, sizeof(tile), &written);
  lt().cublasLtMatmulAlgoConfigGetAttribute(&algo, CUBLASLT_ALGO_CONFIG_SPLITK_NUM, &split_k, sizeof(split_k),
                                            &written);
  lt().cublasLtMatmulAlgoConfigGetAttribute(&algo, CUBLASLT_ALGO_CONFIG_STAGES_ID, &stages, sizeof(stages), &written);
  return fmt::format("algo {} tile {} splitK {} stages {}", id, tile, split_k, stages);
}

std::string lt_matmul::description() const {
  if (!available()) return "cuBLASLt: " + m_unsupported;
  std::string text =
      fmt::format("cuBLASLt {} compute; default: heuristic #0 ({})", to_string(m_map.compute), algorithm_text(0));
  if (m_tuned) {
    text += fmt::format("; tuned: best of {} timed candidates: #{} ({}), {:.2f} us vs default {:.2f} us",
                        m_algorithms.size(), m_chosen, algorithm_text(m_chosen),
                        m_candidate_seconds[static_cast<std::size_t>(m_chosen)] * 1e6, m_candidate_seconds[0] * 1e6);
  } else {
    text += fmt::format("; {} heuristic candidates (not timed)", m_algorithms.size());
  }
  return text;
}

}  // namespace accelbench::cuda
