#pragma once
// cuBLASLt loaded with dlopen at run time, not linked: the GPU machine has its own (the CUDA
// toolkit's, or the nvidia-cublas Python wheel's), and carrying it made the portable bundle
// ~410 MB compressed. Searched in order: libcublasLt.so.<major> on the normal library path,
// the nvidia-cublas wheels (cudnn_library.hpp's python_wheel_lib_dirs), the toolkit. Without
// it the cuda backends are unavailable with the reason, and every other backend still runs.
#include <cublasLt.h>

#include <string>
#include <vector>

#include "backends/common/library_loader.hpp"

namespace accelbench::cuda {

// The cuBLASLt entry points we use, named as the functions (declarations from cublasLt.h).
struct cublaslt_api {
  decltype(&::cublasLtGetVersion) cublasLtGetVersion = nullptr;
  decltype(&::cublasLtGetStatusName) cublasLtGetStatusName = nullptr;
  decltype(&::cublasLtGetStatusString) cublasLtGetStatusString = nullptr;
  decltype(&::cublasLtCreate) cublasLtCreate = nullptr;
  decltype(&::cublasLtDestroy) cublasLtDestroy = nullptr;
  decltype(&::cublasLtMatmul) cublasLtMatmul = nullptr;
  decltype(&::cublasLtMatmulAlgoConfigGetAttribute) cublasLtMatmulAlgoConfigGetAttribute = nullptr;
  decltype(&::cublasLtMatmulAlgoGetHeuristic) cublasLtMatmulAlgoGetHeuristic = nullptr;
  decltype(&::cublasLtMatmulDescCreate) cublasLtMatmulDescCreate = nullptr;
  decltype(&::cublasLtMatmulDescDestroy) cublasLtMatmulDescDestroy = nullptr;
  decltype(&::cublasLtMatmulDescSetAttribute) cublasLtMatmulDescSetAttribute = nullptr;
  decltype(&::cublasLtMatmulPreferenceCreate) cublasLtMatmulPreferenceCreate = nullptr;
  decltype(&::cublasLtMatmulPreferenceDestroy) cublasLtMatmulPreferenceDestroy = nullptr;
  decltype(&::cublasLtMatmulPreferenceSetAttribute) cublasLtMatmulPreferenceSetAttribute = nullptr;
  decltype(&::cublasLtMatrixLayoutCreate) cublasLtMatrixLayoutCreate = nullptr;
  decltype(&::cublasLtMatrixLayoutDestroy) cublasLtMatrixLayoutDestroy = nullptr;
  decltype(&::cublasLtMatrixLayoutSetAttribute) cublasLtMatrixLayoutSetAttribute = nullptr;
};

// The files to try, in order, for cuBLASLt of CUDA `cuda_major`, given the wheel folders found.
std::vector<std::string> cublaslt_candidates(int cuda_major, const std::vector<std::string>& wheel_dirs);

class cublaslt_library {
 public:
  // Tries cublaslt_candidates for the CUDA major version we were built with, or exactly `file`.
  explicit cublaslt_library(const std::string& file = {});
  ~cublaslt_library() = default;
  cublaslt_library(const cublaslt_library&) = delete;
  cublaslt_library& operator=(const cublaslt_library&) = delete;

  bool available() const { return m_lib.is_open(); }
  const std::string& reason() const { return m_reason; }  // why not available
  const std::string& path() const { return m_path; }      // the file loaded
  const cublaslt_api& api() const { return m_api; }

 private:
  loaded_library m_lib;
  cublaslt_api m_api;
  std::string m_reason, m_path;
};

// "CUBLAS_STATUS_INVALID_VALUE: <cuBLASLt's text>", or the number when cuBLASLt is not loaded.
std::string describe_cublas_status(cublasStatus_t status);

// The process's cuBLASLt, loaded on first use.
const cublaslt_library& cublaslt();
// Its entry points (only valid when cublaslt().available()).
inline const cublaslt_api& lt() { return cublaslt().api(); }

}  // namespace accelbench::cuda
