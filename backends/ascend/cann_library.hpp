#pragma once
// CANN loaded with dlopen at run time, never linked: the plugin builds on any machine and a host
// without CANN gets "unavailable" with the reason (which file, which symbol), as cuDNN and NVML
// do for the CUDA backend. Libraries, each looked for in this order of directories:
//   $ASCEND_HOME_PATH/lib64, $ASCEND_TOOLKIT_HOME/lib64, /usr/local/Ascend/ascend-toolkit/latest/lib64,
//   then the bare name on the loader's path (LD_LIBRARY_PATH, ld.so.cache).
//   libascendcl.so   runtime (required)
//   libnnopbase.so   aclTensor and executors (required)
//   libopapi.so      operators; newer CANN splits them into libopapi_nn.so (matmul) and
//                    libopapi_transformer.so (attention): each symbol is taken from the first
//                    operator library that has it.
#include <string>
#include <vector>

#include "backends/ascend/cann_api.h"

namespace accelbench::ascend {

struct cann_api {
  // libascendcl.so
  aclInit_fn init = nullptr;
  aclrtSetDevice_fn set_device = nullptr;
  aclrtResetDevice_fn reset_device = nullptr;
  aclrtGetDeviceCount_fn device_count = nullptr;
  aclrtGetSocName_fn soc_name = nullptr;
  aclrtGetMemInfo_fn mem_info = nullptr;
  aclrtGetVersion_fn version = nullptr;  // optional: older runtimes lack it
  aclrtCreateStream_fn create_stream = nullptr;
  aclrtDestroyStream_fn destroy_stream = nullptr;
  aclrtSynchronizeStream_fn synchronize_stream = nullptr;
  aclrtMalloc_fn malloc = nullptr;
  aclrtFree_fn free = nullptr;
  aclrtMemcpy_fn memcpy = nullptr;
  aclrtMemset_fn memset = nullptr;
  aclrtCreateEventWithFlag_fn create_event = nullptr;
  aclrtDestroyEvent_fn destroy_event = nullptr;
  aclrtRecordEvent_fn record_event = nullptr;
  aclrtEventElapsedTime_fn elapsed_time = nullptr;
  aclGetRecentErrMsg_fn recent_error = nullptr;  // optional
  // libnnopbase.so
  aclCreateTensor_fn create_tensor = nullptr;
  aclDestroyTensor_fn destroy_tensor = nullptr;
  aclSetAclOpExecutorRepeatable_fn set_repeatable = nullptr;
  aclDestroyAclOpExecutor_fn destroy_executor = nullptr;
  // operator libraries
  aclnnMatmulGetWorkspaceSize_fn matmul_workspace = nullptr;
  aclnnRun_fn matmul = nullptr;
  aclnnMatmulGetWorkspaceSize_fn batch_matmul_workspace = nullptr;
  aclnnRun_fn batch_matmul = nullptr;
  aclnnInplaceZeroGetWorkspaceSize_fn zero_workspace = nullptr;
  aclnnRun_fn zero = nullptr;
  // optional: attention is unsupported (with this reason) without them
  aclnnFlashAttentionScoreGetWorkspaceSize_fn flash_attention_workspace = nullptr;
  aclnnRun_fn flash_attention = nullptr;
};

// The directories to try, in order, for the given environment values (null or empty: unset);
// the last entry is "" (the loader's own search).
std::vector<std::string> cann_library_dirs(const char* ascend_home, const char* toolkit_home);

class cann_library {
 public:
  // Searches cann_library_dirs(getenv(...)).
  cann_library();
  ~cann_library();
  cann_library(const cann_library&) = delete;
  cann_library& operator=(const cann_library&) = delete;

  bool available() const { return m_reason.empty(); }
  const std::string& reason() const { return m_reason; }  // why not: the file or symbol
  const cann_api& api() const { return m_api; }
  // The files loaded, "libascendcl.so from /x/lib64, ...".
  const std::string& files() const { return m_files; }
  // Why attention is unavailable (the missing symbol), empty when it is.
  const std::string& attention_missing() const { return m_attention_missing; }

  // "aclError 107001: <the runtime's last error message>" for a failed runtime call.
  std::string describe(aclError status) const;

 private:
  void* open_first(const std::vector<std::string>& dirs, const char* file, std::string& errors);
  void load();

  std::vector<void*> m_handles;
  std::vector<void*> m_operator_handles;
  cann_api m_api;
  std::string m_reason, m_files, m_attention_missing;
};

}  // namespace accelbench::ascend
