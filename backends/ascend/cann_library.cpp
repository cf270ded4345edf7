#include "backends/ascend/cann_library.hpp"

#include <dlfcn.h>

#include <cstdlib>

#include <fmt/format.h>

namespace accelbench::ascend {
namespace {

constexpr const char* default_root = "/usr/local/Ascend/ascend-toolkit/latest";

// Binds `name` from `handle`; a missing symbol is added to `missing`.
template <typename F>
void bind(void* handle, const char* name, F& out, std::string& missing) {
  out = reinterpret_cast<F>(dlsym(handle, name));
  if (out == nullptr) missing += fmt::format("{}{}", missing.empty() ? "" : ", ", name);
}

template <typename F>
void bind_optional(void* handle, const char* name, F& out) {
  out = reinterpret_cast<F>(dlsym(handle, name));
}

// The first of `handles` that has `name`.
template <typename F>
void bind_any(const std::vector<void*>& handles, const char* name, F& out) {
  out = nullptr;
  for (void* h : handles) {
    if (out == nullptr) out = reinterpret_cast<F>(dlsym(h, name));
  }
}

}  // namespace

std::vector<std::string> cann_library_dirs(const char* ascend_home, const char* toolkit_home) {
  std::vector<std::string> dirs;
  for (const char* root : {ascend_home, toolkit_home}) {
    if (root != nullptr && root[0] != '\0') dirs.push_back(fmt::format("{}/lib64", root));
  }
  dirs.push_back(fmt::format("{}/lib64", default_root));
  dirs.emplace_back();  // the loader's own search path
  return dirs;
}

cann_library::cann_library() { load(); }

cann_library::~cann_library() {
  // The libraries stay loaded: CANN's runtime keeps threads and static state that do not survive
  // an unload (the plugin loader keeps plugins loaded for the same reason).
}

void* cann_library::open_first(const std::vector<std::string>& dirs, const char* file, std::string& errors) {
  for (const std::string& dir : dirs) {
    const std::string path = dir.empty() ? std::string(file) : fmt::format("{}/{}", dir, file);
    if (void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL)) {
      m_files += fmt::format("{}{}", m_files.empty() ? "" : ", ", path);
      return handle;
    }
    const char* e = dlerror();
    if (!dir.empty() && e != nullptr && std::string(e).find("No such file") == std::string::npos) {
      errors += fmt::format("; {}", e);  // present but unloadable: worth saying
    }
  }
  return nullptr;
}

void cann_library::load() {
  const std::vector<std::string> dirs =
      cann_library_dirs(std::getenv("ASCEND_HOME_PATH"), std::getenv("ASCEND_TOOLKIT_HOME"));
  std::string searched;
  for (const std::string& d : dirs) {
    if (!d.empty()) searched += fmt::format("{}{}", searched.empty() ? "" : ", ", d);
  }
  auto not_found = [&](const std::string& file, const std::string& errors) {
    return fmt::format(
        "{} not found (searched {} and the loader path{}); install CANN and source set_env.sh, or set "
        "ASCEND_HOME_PATH",
        file, searched, errors);
  };
  std::string errors;
  void* acl = open_first(dirs, "libascendcl.so", errors);
  if (acl == nullptr) {
    m_reason = not_found("libascendcl.so", errors);
    return;
  }
  m_handles.push_back(acl);
  void* nnopbase = open_first(dirs, "libnnopbase.so", errors);
  if (nnopbase == nullptr) {
    m_reason = not_found("libnnopbase.so", errors);
    return;
  }
  m_handles.push_back(nnopbase);
  for (const char* file : {"libopapi.so", "libopapi_nn.so", "libopapi_transformer.so"}) {
    if (void* h = open_first(dirs, file, errors)) m_operator_handles.push_back(h);
  }
  if (m_operator_handles.empty()) {
    m_reason = not_found("libopapi.so (or libopapi_nn.so)", errors);
    return;
  }

  std::string missing;
  bind(acl, "aclInit", m_api.init, missing);
  bind(acl, "aclrtSetDevice", m_api.set_device, missing);
  bind(acl, "aclrtResetDevice", m_api.reset_device, missing);
  bind(acl, "aclrtGetDeviceCount", m_api.device_count, missing);
  bind(acl, "aclrtGetSocName", m_api.soc_name, missing);
  bind(acl, "aclrtGetMemInfo", m_api.mem_info, missing);
  bind(acl, "aclrtCreateStream", m_api.create_stream, missing);
  bind(acl, "aclrtDestroyStream", m_api.destroy_stream, missing);
  bind(acl, "aclrtSynchronizeStream", m_api.synchronize_stream, missing);
  bind(acl, "aclrtMalloc", m_api.malloc, missing);
  bind(acl, "aclrtFree", m_api.free, missing);
  bind(acl, "aclrtMemcpy", m_api.memcpy, missing);
  bind(acl, "aclrtMemset", m_api.memset, missing);
  bind(acl, "aclrtCreateEventWithFlag", m_api.create_event, missing);
  bind(acl, "aclrtDestroyEvent", m_api.destroy_event, missing);
  bind(acl, "aclrtRecordEvent", m_api.record_event, missing);
  bind(acl, "aclrtEventElapsedTime", m_api.elapsed_time, missing);
  bind_optional(acl, "aclrtGetVersion", m_api.version);
  bind_optional(acl, "aclGetRecentErrMsg", m_api.recent_error);
  if (!missing.empty()) {
    m_reason = fmt::format("libascendcl.so lacks {} (CANN 8.0 or newer is needed)", missing);
    return;
  }
  bind(nnopbase, "aclCreateTensor", m_api.create_tensor, missing);
  bind(nnopbase, "aclDestroyTensor", m_api.destroy_tensor, missing);
  bind(nnopbase, "aclSetAclOpExecutorRepeatable", m_api.set_repeatable, missing);
  bind(nnopbase, "aclDestroyAclOpExecutor", m_api.destroy_executor, missing);
  if (!missing.empty()) {
    m_reason = fmt::format("libnnopbase.so lacks {} (CANN 8.0 or newer is needed)", missing);
    return;
  }
  const std::vector<void*>& ops = m_operator_handles;
  bind_any(ops, "aclnnMatmulGetWorkspaceSize", m_api.matmul_workspace);
  bind_any(ops, "aclnnMatmul", m_api.matmul);
  bind_any(ops, "aclnnBatchMatMulGetWorkspaceSize", m_api.batch_matmul_workspace);
  bind_any(ops, "aclnnBatchMatMul", m_api.batch_matmul);
  bind_any(ops, "aclnnInplaceZeroGetWorkspaceSize", m_api.zero_workspace);
  bind_any(ops, "aclnnInplaceZero", m_api.zero);
  for (const auto& [name, bound] :
       {std::pair<const char*, bool>{"aclnnMatmulGetWorkspaceSize", m_api.matmul_workspace != nullptr},
        {"aclnnMatmul", m_api.matmul != nullptr},
        {"aclnnBatchMatMulGetWorkspaceSize", m_api.batch_matmul_workspace != nullptr},
        {"aclnnBatchMatMul", m_api.batch_matmul != nullptr},
        {"aclnnInplaceZeroGetWorkspaceSize", m_api.zero_workspace != nullptr},
        {"aclnnInplaceZero", m_api.zero != nullptr}}) {
    if (!bound) missing += fmt::format("{}{}", missing.empty() ? "" : ", ", name);
  }
  if (!missing.empty()) {
    m_reason = fmt::format("no operator library has {} (loaded: {})", missing, m_files);
    return;
  }
  bind_any(ops, "aclnnFlashAttentionScoreGetWorkspaceSize", m_api.flash_attention_workspace);
  bind_any(ops, "aclnnFlashAttentionScore", m_api.flash_attention);
  if (m_api.flash_attention_workspace == nullptr || m_api.flash_attention == nullptr) {
    m_attention_missing = fmt::format("no operator library has aclnnFlashAttentionScore (loaded: {})", m_files);
  }
}

std::string cann_library::describe(aclError status) const {
  const char* message = m_api.recent_error != nullptr ? m_api.recent_error() : nullptr;
  if (message == nullptr || message[0] == '\0') return fmt::format("error {}", status);
  return fmt::format("error {}: {}", status, message);
}

}  // namespace accelbench::ascend
