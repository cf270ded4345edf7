#pragma once
// What makes a CUDA-shaped vendor different from another, as data: its names, where its
// libraries are, its symbol prefixes, the enum values its runtime and BLAS-Lt use, and the
// layout of a heuristic result. hip_table.cpp and musa_table.cpp each define one, with the
// values pinned by static_assert and their public source named there; everything else in this
// folder is the same code for both.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "accelbench_backend.h"

namespace accelbench::gpu_vendor {

// Enum values of the runtime (device attributes, copy kinds).
struct runtime_constants {
  int attribute_compute_units = 0;  // multiprocessor (compute unit) count
  int attribute_clock_khz = -1;     // peak clock in kHz (-1: not queried)
  int attribute_arch_major = -1;    // compute-capability major (-1: architecture from properties)
  int attribute_arch_minor = -1;
  int memcpy_host_to_device = 1;
  int memcpy_device_to_host = 2;
  int error_no_device = 100;
  int capture_mode_thread_local = 1;  // hipStreamCaptureModeThreadLocal, cudaStreamCaptureModeThreadLocal
};

// Enum values of the BLAS-Lt library.
struct blaslt_constants {
  int op_n = 0, op_t = 1;
  int compute_32f = 0, compute_32f_fast_tf32 = 0, compute_32i = 0;
  int r_32f = 0, r_16f = 2, r_16bf = 14, r_8i = 3, r_32i = 10;
  int r_8f_e4m3 = 28, r_8f_e5m2 = 29;  // OCP f8 (HIP_R_8F_E4M3, CUDA_R_8F_E4M3)
  int desc_transa = 0, desc_transb = 0;
  int layout_batch_count = 0, layout_strided_batch_offset = 0;
  int pref_max_workspace_bytes = 1;
  // The heuristic-result struct: its size (the array stride), and where the required workspace
  // (size_t) and the state (status) are; the algorithm is at offset 0.
  std::size_t heuristic_bytes = 0, heuristic_workspace_offset = 0, heuristic_state_offset = 0;
};

// Enum values of rocBLAS (the HIP GEMM without hipBLASLt), pinned in hip_table.cpp.
struct rocblas_constants {
  int op_n = 111, op_t = 112;
  int r_16f = 150, r_32f = 151, r_8i = 160, r_32i = 162, r_16bf = 168;
  int algo_standard = 0;
  int status_not_implemented = 2;
};

// Enum values of muBLAS (the MUSA GEMM without muBLASLt): cuBLAS's, pinned in musa_table.cpp.
struct mublas_constants {
  int op_n = 0, op_t = 1;
  int r_32f = 0, r_16f = 2, r_16bf = 14, r_8i = 3, r_32i = 10;
  int r_8f_e4m3 = 28, r_8f_e5m2 = 29;  // named for the shared mapping; muBLAS's GemmEx takes no f8
  int compute_32f = 68, compute_32f_fast_tf32 = 77, compute_32i = 72;
  int algo_default = -1;
  // Statuses that mean "not for these types or this device" (NOT_SUPPORTED, ARCH_MISMATCH).
  int status_not_supported = 15, status_arch_mismatch = 8;
};

// The GEMM library a vendor falls back to without BLAS-Lt.
enum class fallback_blas { rocblas, mublas };

enum class telemetry_source { rocm_smi, mtml };

struct vendor_table {
  const char* backend;         // "hip": the table name
  const char* runtime_name;    // "HIP": in messages
  const char* blaslt_name;     // "hipBLASLt"
  const char* runtime_prefix;  // "hip" + "Malloc"
  const char* blaslt_prefix;   // "hipblasLt" + "Create"
  ab_device_kind device_kind;  // AB_DEVICE_GPU
  // The files to try, in order, given the environment (install roots, loader path).
  std::vector<std::string> (*runtime_candidates)();
  std::vector<std::string> (*blaslt_candidates)();
  const char* install_hint;  // how to make the library findable, for the unavailable reason
  // The GEMM library used when BLAS-Lt is absent: which, its name ("rocBLAS"), its files.
  fallback_blas fallback_kind;
  const char* fallback_blas_name;
  std::vector<std::string> (*fallback_blas_candidates)();
  // The runtime compiler that builds the attention's softmax kernel ("hiprtc"), its files, or
  // nullptr with `rtc_missing` saying why this vendor has none wired.
  const char* rtc_prefix;
  std::vector<std::string> (*rtc_candidates)();
  const char* rtc_missing;
  telemetry_source telemetry;  // its management library (vendor_telemetry.hpp)
  // Tried before prefix + "GetDeviceProperties" (HIP 6 versions the entry point), or nullptr.
  const char* properties_symbol;
  const char* architecture_prefix;  // "gfx" on HIP: scanned for in the properties; "" to use attributes
  // f8 GEMM through BLAS-Lt. dt=f8e4m3/f8e5m2 are the OCP encodings (e4m3fn, e5m2): the
  // architectures (by prefix) whose BLAS-Lt runs OCP f8, and those whose f8 is FNUZ only (another
  // encoding), named in the reason. Both empty: f8 not wired for this vendor.
  std::vector<std::string> ocp_f8_architectures, fnuz_f8_architectures;
  std::size_t default_l2_flush_bytes;  // bytes written to evict the last-level cache
  runtime_constants runtime;
  blaslt_constants blaslt;
  rocblas_constants rocblas;
  mublas_constants mublas;
};

const vendor_table& hip_vendor();
const vendor_table& musa_vendor();

// "<root>/lib/<file>" and "<root>/lib64/<file>" for each root named by an environment variable
// (set and non-empty) then each fixed root, then "<file>" alone (the loader's own search).
std::vector<std::string> library_candidates(const std::vector<const char*>& env_roots,
                                            const std::vector<std::string>& fixed_roots,
                                            const std::vector<std::string>& files);

}  // namespace accelbench::gpu_vendor
