#include "backends/cuda/cublaslt_library.hpp"

#include <dlfcn.h>

#include <fmt/format.h>

#include "backends/cuda/cudnn_library.hpp"

namespace accelbench::cuda {
namespace {

template <typename F>
void bind(void* handle, const char* name, F& out, std::string& missing) {
  out = reinterpret_cast<F>(dlsym(handle, name));
  if (out == nullptr) missing += (missing.empty() ? "" : ", ") + std::string(name);
}

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
  std::string first_error;
  for (const std::string& candidate : tries) {
    m_handle = dlopen(candidate.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (m_handle != nullptr) {
      m_path = candidate;
      break;
    }
    const char* e = dlerror();
    if (first_error.empty()) first_error = e != nullptr ? e : candidate;
  }
  if (m_handle == nullptr) {
    m_reason = fmt::format(
        "cuBLASLt not loaded ({}); install the CUDA {} toolkit's libraries or the nvidia-cublas Python wheel, or "
        "put the folder holding {} on LD_LIBRARY_PATH",
        first_error, built_cuda_major, tries.front());
    return;
  }
  std::string missing;
  cublaslt_api& a = m_api;
  bind(m_handle, "cublasLtGetVersion", a.cublasLtGetVersion, missing);
  bind(m_handle, "cublasLtGetStatusName", a.cublasLtGetStatusName, missing);
  bind(m_handle, "cublasLtGetStatusString", a.cublasLtGetStatusString, missing);
  bind(m_handle, "cublasLtCreate", a.cublasLtCreate, missing);
  bind(m_handle, "cublasLtDestroy", a.cublasLtDestroy, missing);
  bind(m_handle, "cublasLtMatmul", a.cublasLtMatmul, missing);
  bind(m_handle, "cublasLtMatmulAlgoConfigGetAttribute", a.cublasLtMatmulAlgoConfigGetAttribute, missing);
  bind(m_handle, "cublasLtMatmulAlgoGetHeuristic", a.cublasLtMatmulAlgoGetHeuristic, missing);
  bind(m_handle, "cublasLtMatmulDescCreate", a.cublasLtMatmulDescCreate, missing);
  bind(m_handle, "cublasLtMatmulDescDestroy", a.cublasLtMatmulDescDestroy, missing);
  bind(m_handle, "cublasLtMatmulDescSetAttribute", a.cublasLtMatmulDescSetAttribute, missing);
  bind(m_handle, "cublasLtMatmulPreferenceCreate", a.cublasLtMatmulPreferenceCreate, missing);
  bind(m_handle, "cublasLtMatmulPreferenceDestroy", a.cublasLtMatmulPreferenceDestroy, missing);
  bind(m_handle, "cublasLtMatmulPreferenceSetAttribute", a.cublasLtMatmulPreferenceSetAttribute, missing);
  bind(m_handle, "cublasLtMatrixLayoutCreate", a.cublasLtMatrixLayoutCreate, missing);
  bind(m_handle, "cublasLtMatrixLayoutDestroy", a.cublasLtMatrixLayoutDestroy, missing);
  bind(m_handle, "cublasLtMatrixLayoutSetAttribute", a.cublasLtMatrixLayoutSetAttribute, missing);
  if (!missing.empty()) {
    m_reason = fmt::format("{} lacks {}", m_path, missing);
    dlclose(m_handle);
    m_handle = nullptr;
    m_api = {};
  }
}

cublaslt_library::~cublaslt_library() {
  if (m_handle != nullptr) dlclose(m_handle);
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
