// The HIP vendor table: AMD ROCm and Hygon DTK (a ROCm-compatible HIP). Values from the public
// headers: hip_runtime_api.h (HIP 5.2, Debian's libamdhip64-dev: hipDeviceAttribute_t,
// hipMemcpyKind, hipErrorNoDevice) and ROCm/hipBLASLt library/include/hipblaslt.h with
// hipblas-common.h (hipblasOperation_t, hipblasComputeType_t, the matmul, layout and preference
// attributes, hipblasLtMatmulHeuristicResult_t); hipDataType matches CUDA's cudaDataType values;
// ROCm/rocBLAS library/include/internal/rocblas-types.h for the rocBLAS fallback.
#include "backends/gpu_vendor/vendor_table.hpp"

namespace accelbench::gpu_vendor {
namespace {

constexpr runtime_constants hip_runtime{.attribute_compute_units = 63,  // hipDeviceAttributeMultiprocessorCount
                                        .attribute_clock_khz = 5,       // hipDeviceAttributeClockRate
                                        .attribute_arch_major = -1,     // gcnArchName from the properties
                                        .attribute_arch_minor = -1,
                                        .memcpy_host_to_device = 1,
                                        .memcpy_device_to_host = 2,
                                        .error_no_device = 100,
                                        .capture_mode_thread_local = 1};

// hipblasLtMatmulHeuristicResult_t: hipblasLtMatmulAlgo_t (uint8_t data[16]; size_t
// max_workspace_bytes) at 0, size_t workspaceSize at 24, hipblasStatus_t state at 32, float
// wavesCount at 36, int reserved[4] at 40: 56 bytes.
constexpr blaslt_constants hip_blaslt{.op_n = 111,  // HIPBLAS_OP_N
                                      .op_t = 112,  // HIPBLAS_OP_T
                                      .compute_32f = 2,
                                      .compute_32f_fast_tf32 = 6,
                                      .compute_32i = 9,
                                      .r_32f = 0,
                                      .r_16f = 2,
                                      .r_16bf = 14,
                                      .r_8i = 3,
                                      .r_32i = 10,
                                      .r_8f_e4m3 = 28,  // HIP_R_8F_E4M3 (OCP; FNUZ is 1000)
                                      .r_8f_e5m2 = 29,
                                      .desc_transa = 0,  // HIPBLASLT_MATMUL_DESC_TRANSA
                                      .desc_transb = 1,
                                      .layout_batch_count = 0,  // HIPBLASLT_MATRIX_LAYOUT_BATCH_COUNT
                                      .layout_strided_batch_offset = 1,
                                      .pref_max_workspace_bytes = 1,  // HIPBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES
                                      .heuristic_bytes = 56,
                                      .heuristic_workspace_offset = 24,
                                      .heuristic_state_offset = 32};
static_assert(hip_blaslt.op_n == 111 && hip_blaslt.op_t == 112, "hipBLAS operations are 111/112, not CUDA's 0/1");
static_assert(hip_blaslt.compute_32f == 2 && hip_blaslt.compute_32f_fast_tf32 == 6 && hip_blaslt.compute_32i == 9,
              "hipblasComputeType_t");
static_assert(hip_blaslt.r_32f == 0 && hip_blaslt.r_16f == 2 && hip_blaslt.r_16bf == 14 && hip_blaslt.r_8i == 3 &&
                  hip_blaslt.r_32i == 10 && hip_blaslt.r_8f_e4m3 == 28 && hip_blaslt.r_8f_e5m2 == 29,
              "hipDataType");
// rocblas-types.h: rocblas_operation, rocblas_datatype, rocblas_gemm_algo, rocblas_status.
constexpr rocblas_constants hip_rocblas{.op_n = 111,
                                        .op_t = 112,
                                        .r_16f = 150,
                                        .r_32f = 151,
                                        .r_8i = 160,
                                        .r_32i = 162,
                                        .r_16bf = 168,
                                        .algo_standard = 0,
                                        .status_not_implemented = 2};
static_assert(hip_rocblas.op_n == 111 && hip_rocblas.op_t == 112, "rocblas_operation");
static_assert(hip_rocblas.r_16f == 150 && hip_rocblas.r_32f == 151 && hip_rocblas.r_8i == 160 &&
                  hip_rocblas.r_32i == 162 && hip_rocblas.r_16bf == 168,
              "rocblas_datatype");
static_assert(hip_rocblas.algo_standard == 0 && hip_rocblas.status_not_implemented == 2,
              "rocblas_gemm_algo_standard, rocblas_status_not_implemented");
static_assert(hip_runtime.attribute_compute_units == 63 && hip_runtime.error_no_device == 100 &&
                  hip_runtime.capture_mode_thread_local == 1,
              "HIP runtime enums");

std::vector<std::string> hip_runtime_files() {
  // DTK ships libamdhip64.so.5, ROCm 6 .so.6; the unversioned name is the -dev symlink.
  return library_candidates({"ROCM_PATH", "HIP_PATH", "DTK_ROOT"}, {"/opt/dtk", "/opt/rocm"},
                            {"libamdhip64.so", "libamdhip64.so.6", "libamdhip64.so.5"});
}

std::vector<std::string> hip_blaslt_files() {
  return library_candidates({"ROCM_PATH", "HIP_PATH", "DTK_ROOT"}, {"/opt/dtk", "/opt/rocm"},
                            {"libhipblaslt.so", "libhipblaslt.so.0", "libhipblaslt.so.1"});
}

// rocBLAS: .so.0 (ROCm 5, DTK), .so.4 (ROCm 6), .so.5 (ROCm 7).
std::vector<std::string> hip_rocblas_files() {
  return library_candidates({"ROCM_PATH", "HIP_PATH", "DTK_ROOT"}, {"/opt/dtk", "/opt/rocm"},
                            {"librocblas.so", "librocblas.so.5", "librocblas.so.4", "librocblas.so.0"});
}

// hiprtc: libhiprtc.so since ROCm 5.3 (and DTK); older HIP kept it inside libamdhip64.
std::vector<std::string> hip_rtc_files() {
  return library_candidates({"ROCM_PATH", "HIP_PATH", "DTK_ROOT"}, {"/opt/dtk", "/opt/rocm"},
                            {"libhiprtc.so", "libhiprtc.so.6", "libhiprtc.so.5", "libamdhip64.so"});
}

}  // namespace

const vendor_table& hip_vendor() {
  static const vendor_table table{
      .backend = "hip",
      .runtime_name = "HIP",
      .blaslt_name = "hipBLASLt",
      .runtime_prefix = "hip",
      .blaslt_prefix = "hipblasLt",
      .device_kind = AB_DEVICE_GPU,
      .runtime_candidates = hip_runtime_files,
      .blaslt_candidates = hip_blaslt_files,
      .install_hint = "install ROCm or Hygon DTK and set ROCM_PATH (e.g. /opt/rocm, /opt/dtk)",
      .fallback_kind = fallback_blas::rocblas,
      .fallback_blas_name = "rocBLAS",
      .fallback_blas_candidates = hip_rocblas_files,
      .rtc_prefix = "hiprtc",
      .rtc_candidates = hip_rtc_files,
      .rtc_missing = nullptr,
      .telemetry = telemetry_source::rocm_smi,
      .properties_symbol = "hipGetDevicePropertiesR0600",
      .architecture_prefix = "gfx",
      // OCP f8 from gfx950 (MI350 series) and gfx12 (RDNA 4); gfx940-942 (MI300) have FNUZ f8,
      // the only f8 hipBLASLt's documented type table lists (HIP_R_8F_E4M3_FNUZ).
      .ocp_f8_architectures = {"gfx950", "gfx12"},
      .fnuz_f8_architectures = {"gfx940", "gfx941", "gfx942"},
      // Twice the largest last-level cache among MI-series and DCU parts we know (MI300X's
      // 256 MB Infinity Cache).
      .default_l2_flush_bytes = 2 * (256ull << 20),
      .runtime = hip_runtime,
      .blaslt = hip_blaslt,
      .rocblas = hip_rocblas,
      .mublas = {}};  // not used
  return table;
}

}  // namespace accelbench::gpu_vendor
