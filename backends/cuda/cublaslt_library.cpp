#include "backends/cuda/cublaslt_library.hpp"

#include <fmt/format.h>

#include "backends/cuda/cudnn_library.hpp"

namespace accelbench::cuda {
namespace {

// The CUDA major version of the headers we were built with (CUBLAS_VER_MAJOR is cuBLAS's, equal).
constexpr int built_cuda_major = CUBLAS_VER_MAJOR;

}  // namespace

std::vector<std::string> cublaslt_candidates(int cuda_major, const std::vector<std::string>& wheel_dirs) {
  const std::string name = fmt::format("libcublasLt.so.{}", cuda_major);
  std::vector<std::string> out{name};  // the normal search: LD_LIBRARY_PATH, RUNPATH, ld.so.cache
  for (const std::string& dir : wheel_dirs) out.push_back(dir + "/" + name);
  out.push_back(fmt::format("/usr/local/cuda-{}/lib64/{}", cuda_major, name));
  out.push_back("/usr/local/cuda/lib64/" + name);
  return out;
}

cublaslt_library::cublaslt_library(const std::string& file) {
  const std::vector<std::string> tries =
      file.empty() ? cublaslt_candidates(built_cuda_major, python_wheel_lib_dirs("cublas", python_prefixes()))
                   : std::vector<std::string>{file};
  if (!m_lib.open_first(tries)) {
    m_reason = fmt::format(
        "cuBLASLt not loaded ({}); install the CUDA {} toolkit's libraries or the nvidia-cublas Python wheel, or "
        "put the folder holding {} on LD_LIBRARY_PATH",
        m_lib.first_error(), built_cuda_major, tries.front());
    return;
  }
  m_path = m_lib.path();
  cublaslt_api& a = m_api;
  const std::string missing = m_lib.bind_symbols({
      symbol("cublasLtGetVersion", a.cublasLtGetVersion),
      symbol("cublasLtGetStatusName", a.cublasLtGetStatusName),
      symbol("cublasLtGetStatusString", a.cublasLtGetStatusString),
      symbol("cublasLtCreate", a.cublasLtCreate),
      symbol("cublasLtDestroy", a.cublasLtDestroy),
      symbol("cublasLtMatmul", a.cublasLtMatmul),
      symbol("cublasLtMatmulAlgoConfigGetAttribute", a.cublasLtMatmulAlgoConfigGetAttribute),
      symbol("cublasLtMatmulAlgoGetHeuristic", a.cublasLtMatmulAlgoGetHeuristic),
      symbol("cublasLtMatmulDescCreate", a.cublasLtMatmulDescCreate),
      symbol("cublasLtMatmulDescDestroy", a.cublasLtMatmulDescDestroy),
      symbol("cublasLtMatmulDescSetAttribute", a.cublasLtMatmulDescSetAttribute),
      symbol("cublasLtMatmulPreferenceCreate", a.cublasLtMatmulPreferenceCreate),
      symbol("cublasLtMatmulPreferenceDestroy", a.cublasLtMatmulPreferenceDestroy),
      symbol("cublasLtMatmulPreferenceSetAttribute", a.cublasLtMatmulPreferenceSetAttribute),
      symbol("cublasLtMatrixLayoutCreate", a.cublasLtMatrixLayoutCreate),
      symbol("cublasLtMatrixLayoutDestroy", a.cublasLtMatrixLayoutDestroy),
      symbol("cublasLtMatrixLayoutSetAttribute", a.cublasLtMatrixLayoutSetAttribute),
  });
  if (!missing.empty()) {
    m_reason = fmt::format("{} lacks {}", m_path, missing);
    m_lib.close();
    m_api = {};
  }
}

std::string describe_cublas_status(cublasStatus_t status) {
  if (!cublaslt().available()) return fmt::format("cuBLAS status {}", static_cast<int>(status));
  return fmt::format("{}: {}", lt().cublasLtGetStatusName(status), lt().cublasLtGetStatusString(status));
}

const cublaslt_library& cublaslt() {
  static const cublaslt_library library;
  return library;
}

}  // namespace accelbench::cuda
