// The MUSA vendor table: Moore Threads (MTT S4000). MUSA has no public headers; its runtime and
// muBLASLt mirror CUDA's runtime and cuBLASLt name for name (docs/hip-musa.md), so the values
// here are CUDA's (cuda_runtime_api.h, cublasLt.h, cublas_api.h, library_types.h of CUDA 12),
// pinned below.
// They are an assumption until checked on an S4000: docs/hip-musa.md says how.
#include "backends/gpu_vendor/vendor_table.hpp"

namespace accelbench::gpu_vendor {
namespace {

constexpr runtime_constants musa_runtime{.attribute_compute_units = 16,  // cudaDevAttrMultiProcessorCount
                                         .attribute_clock_khz = 13,      // cudaDevAttrClockRate
                                         .attribute_arch_major = 75,     // cudaDevAttrComputeCapabilityMajor
                                         .attribute_arch_minor = 76,
                                         .memcpy_host_to_device = 1,
                                         .memcpy_device_to_host = 2,
                                         .error_no_device = 100,
                                         .capture_mode_thread_local = 1};

// cublasLtMatmulHeuristicResult_t: cublasLtMatmulAlgo_t (uint64_t data[8]) at 0, size_t
// workspaceSize at 64, cublasStatus_t state at 72, float wavesCount, int reserved[4]: 96 bytes.
constexpr blaslt_constants musa_blaslt{.op_n = 0,
                                       .op_t = 1,
                                       .compute_32f = 68,  // CUBLAS_COMPUTE_32F
                                       .compute_32f_fast_tf32 = 77,
                                       .compute_32i = 72,
                                       .r_32f = 0,
                                       .r_16f = 2,
                                       .r_16bf = 14,
                                       .r_8i = 3,
                                       .r_32i = 10,
                                       .desc_transa = 3,  // CUBLASLT_MATMUL_DESC_TRANSA
                                       .desc_transb = 4,
                                       .layout_batch_count = 5,  // CUBLASLT_MATRIX_LAYOUT_BATCH_COUNT
                                       .layout_strided_batch_offset = 6,
                                       .pref_max_workspace_bytes = 1,
                                       .heuristic_bytes = 96,
                                       .heuristic_workspace_offset = 64,
                                       .heuristic_state_offset = 72};
static_assert(musa_blaslt.compute_32f == 68 && musa_blaslt.compute_32f_fast_tf32 == 77 && musa_blaslt.compute_32i == 72,
              "cublasComputeType_t values, mirrored by muBLASLt");
static_assert(musa_blaslt.desc_transa == 3 && musa_blaslt.layout_batch_count == 5, "cuBLASLt attribute values");
static_assert(musa_runtime.attribute_compute_units == 16 && musa_runtime.attribute_arch_major == 75 &&
                  musa_runtime.capture_mode_thread_local == 1,
              "cudaDeviceAttr and cudaStreamCaptureMode values, mirrored by the MUSA runtime");

// cuBLAS's values for the muBLAS fallback: cublasOperation_t, cudaDataType, cublasComputeType_t,
// CUBLAS_GEMM_DEFAULT, CUBLAS_STATUS_NOT_SUPPORTED and CUBLAS_STATUS_ARCH_MISMATCH.
constexpr mublas_constants musa_mublas{.op_n = 0,
                                       .op_t = 1,
                                       .r_32f = 0,
                                       .r_16f = 2,
                                       .r_16bf = 14,
                                       .r_8i = 3,
                                       .r_32i = 10,
                                       .compute_32f = 68,
                                       .compute_32f_fast_tf32 = 77,
                                       .compute_32i = 72,
                                       .algo_default = -1,
                                       .status_not_supported = 15,
                                       .status_arch_mismatch = 8};
static_assert(musa_mublas.op_n == 0 && musa_mublas.op_t == 1 && musa_mublas.algo_default == -1,
              "cublasOperation_t, CUBLAS_GEMM_DEFAULT");
static_assert(musa_mublas.compute_32f == musa_blaslt.compute_32f && musa_mublas.r_16bf == musa_blaslt.r_16bf,
              "muBLAS and muBLASLt share cublasComputeType_t and cudaDataType");
static_assert(musa_mublas.status_not_supported == 15 && musa_mublas.status_arch_mismatch == 8, "cublasStatus_t");

std::vector<std::string> musa_runtime_files() {
  return library_candidates({"MUSA_PATH", "MUSA_HOME"}, {"/usr/local/musa"}, {"libmusart.so", "libmusart.so.4"});
}

std::vector<std::string> musa_blaslt_files() {
  return library_candidates({"MUSA_PATH", "MUSA_HOME"}, {"/usr/local/musa"}, {"libmublasLt.so", "libmublasLt.so.4"});
}

// libmublas.so: the toolkit's unversioned name (MUSA releases before 4.3 ship no muBLASLt).
std::vector<std::string> musa_mublas_files() {
  return library_candidates({"MUSA_PATH", "MUSA_HOME"}, {"/usr/local/musa"}, {"libmublas.so"});
}

}  // namespace

const vendor_table& musa_vendor() {
  static const vendor_table table{
      .backend = "musa",
      .runtime_name = "MUSA",
      .blaslt_name = "muBLASLt",
      .runtime_prefix = "musa",
      .blaslt_prefix = "mublasLt",
      .device_kind = AB_DEVICE_GPU,
      .runtime_candidates = musa_runtime_files,
      .blaslt_candidates = musa_blaslt_files,
      .install_hint = "install the MUSA toolkit (4.3 or newer for muBLASLt) and set MUSA_PATH (e.g. /usr/local/musa)",
      .fallback_kind = fallback_blas::mublas,
      .fallback_blas_name = "muBLAS",
      .fallback_blas_candidates = musa_mublas_files,
      // MUSA has a runtime compiler (libmtrtc.so, mtrtc*, per Moore Threads' MUSA SDK docs) but
      // its code comes out through mtrtcGetFatBin or mtrtcGetMUSA depending on the source, and
      // is loaded through the MUSA driver API (muModuleLoadData, muLaunchKernel), not the
      // runtime; with no public header to pin those signatures it is not wired.
      .rtc_prefix = nullptr,
      .rtc_candidates = nullptr,
      .rtc_missing =
          "MUSA's runtime compiler (libmtrtc) and driver-API module loading are not wired: no public "
          "header to check their signatures against",
      .telemetry = telemetry_source::mtml,
      .properties_symbol = nullptr,
      .architecture_prefix = "",
      // muBLASLt's f8 is not wired: no public source says which MUSA architectures run it.
      .ocp_f8_architectures = {},
      .fnuz_f8_architectures = {},
      // Twice a generous bound on the S4000's L2 (not published): 2 x 128 MB.
      .default_l2_flush_bytes = 2 * (128ull << 20),
      .runtime = musa_runtime,
      .blaslt = musa_blaslt,
      .rocblas = {},  // not used
      .mublas = musa_mublas};
  return table;
}

}  // namespace accelbench::gpu_vendor
