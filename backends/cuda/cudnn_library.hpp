#pragma once
// cuDNN loaded with dlopen at run time, not linked: the portable bundle stays small, and GPU
// hosts often have cuDNN only inside a Python wheel (site-packages/nvidia/cudnn/lib). Searched
// in order: $ACCELBENCH_CUDNN_PATH/libcudnn.so.9, then libcudnn.so.9 on the normal library
// path. cuDNN 9's libcudnn.so.9 is a small shim that loads its sub-libraries from its own
// directory. Without it, attention takes the composed path and says why.
#include <cudnn_graph.h>

#include <string>
#include <vector>

namespace accelbench::cuda {

// The few cuDNN entry points we use (declarations from cudnn_graph.h).
struct cudnn_api {
  decltype(&cudnnGetVersion) get_version = nullptr;
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

// The files to try, in order, for a given $ACCELBENCH_CUDNN_PATH (empty or null: unset).
std::vector<std::string> cudnn_candidates(const char* env_dir);

class cudnn_library {
 public:
  // Tries cudnn_candidates(getenv("ACCELBENCH_CUDNN_PATH")), or exactly `file` when given.
  explicit cudnn_library(const std::string& file = {});
  ~cudnn_library();
  cudnn_library(const cudnn_library&) = delete;
  cudnn_library& operator=(const cudnn_library&) = delete;

  bool available() const { return m_handle != nullptr; }
  const std::string& reason() const { return m_reason; }  // why not available
  const std::string& path() const { return m_path; }      // the file loaded
  std::string version() const;                            // "9.19.0"
  const cudnn_api& api() const { return m_api; }
  // "CUDNN_STATUS_...: <cuDNN's last error message>" for a failed call.
  std::string describe(cudnnStatus_t status) const;

 private:
  void* m_handle = nullptr;
  cudnn_api m_api;
  std::string m_reason, m_path;
};

}  // namespace accelbench::cuda
