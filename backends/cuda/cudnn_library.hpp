#pragma once
// cuDNN loaded with dlopen at run time, not linked: the portable bundle stays small, and GPU
// hosts often have cuDNN only inside a Python wheel (site-packages/nvidia/cudnn/lib). Searched
// in order: $ACCELBENCH_CUDNN_PATH/libcudnn.so.9, libcudnn.so.9 on the normal library path,
// then the nvidia-cudnn wheels of the Python installations found (python_wheel_lib_dirs).
// cuDNN 9's libcudnn.so.9 is a small shim that loads its sub-libraries from its own directory.
// Its runtime-compiled engines need NVRTC (libnvrtc.so.<CUDA major>), which a wheel keeps in
// nvidia/cuda_nvrtc/lib, off the library path: it is loaded here first (RTLD_GLOBAL), so cuDNN's
// own dlopen by name finds it. Without cuDNN, attention takes the composed path and says why.
#include <cudnn_graph.h>

#include <string>
#include <vector>

#include "backends/common/library_loader.hpp"

namespace accelbench::cuda {

// The few cuDNN entry points we use (declarations from cudnn_graph.h).
struct cudnn_api {
  decltype(&cudnnGetVersion) get_version = nullptr;
  decltype(&cudnnGetCudartVersion) cudart_version = nullptr;
  decltype(&cudnnGetErrorString) error_string = nullptr;
  decltype(&cudnnGetLastErrorString) last_error_string = nullptr;
  decltype(&cudnnCreate) create = nullptr;
  decltype(&cudnnDestroy) destroy = nullptr;
  decltype(&cudnnSetStream) set_stream = nullptr;
  decltype(&cudnnBackendCreateDescriptor) create_descriptor = nullptr;
  decltype(&cudnnBackendDestroyDescriptor) destroy_descriptor = nullptr;
  decltype(&cudnnBackendSetAttribute) set_attribute = nullptr;
  decltype(&cudnnBackendGetAttribute) get_attribute = nullptr;
  decltype(&cudnnBackendFinalize) finalize = nullptr;
  decltype(&cudnnBackendExecute) execute = nullptr;
};

// The lib folders of the Python wheel `package` (e.g. "cudnn" for nvidia-cudnn-cu13) under
// each prefix: <prefix>/lib{,64}/python3*/{site,dist}-packages/nvidia/<package>/lib.
std::vector<std::string> python_wheel_lib_dirs(const std::string& package, const std::vector<std::string>& prefixes);
// Where Python packages usually live: $VIRTUAL_ENV, $CONDA_PREFIX, ~/.local, /usr/local, /usr,
// /opt/conda.
std::vector<std::string> python_prefixes();

// The files to try, in order, for a given $ACCELBENCH_CUDNN_PATH (empty or null: unset) and the
// wheel folders found.
std::vector<std::string> cudnn_candidates(const char* env_dir, const std::vector<std::string>& wheel_dirs = {});
// The NVRTC files to try for cuDNN built against CUDA `cuda_major`, loaded from `cudnn_path`.
std::vector<std::string> nvrtc_candidates(int cuda_major, const std::string& cudnn_path,
                                          const std::vector<std::string>& wheel_dirs);

class cudnn_library {
 public:
  // Tries cudnn_candidates(getenv("ACCELBENCH_CUDNN_PATH")), or exactly `file` when given.
  explicit cudnn_library(const std::string& file = {});
  ~cudnn_library() = default;
  cudnn_library(const cudnn_library&) = delete;
  cudnn_library& operator=(const cudnn_library&) = delete;

  bool available() const { return m_lib.is_open(); }
  const std::string& reason() const { return m_reason; }  // why not available
  const std::string& path() const { return m_path; }      // the file loaded
  std::string version() const;                            // "9.19.0"
  std::size_t version_number() const;                     // 91900
  // The NVRTC file loaded for cuDNN's runtime compilation, or empty with nvrtc_problem() set.
  const std::string& nvrtc_path() const { return m_nvrtc_path; }
  const std::string& nvrtc_problem() const { return m_nvrtc_problem; }
  // "cuDNN 9.19.0 (<path>; NVRTC <path>)" for the backend's version line.
  std::string summary() const;
  const cudnn_api& api() const { return m_api; }
  // "CUDNN_STATUS_...: <cuDNN's last error message>" for a failed call.
  std::string describe(cudnnStatus_t status) const;

 private:
  void load_nvrtc(const std::vector<std::string>& wheel_dirs);

  loaded_library m_lib;
  loaded_library m_nvrtc;
  cudnn_api m_api;
  std::string m_reason, m_path, m_nvrtc_path, m_nvrtc_problem;
};

}  // namespace accelbench::cuda
