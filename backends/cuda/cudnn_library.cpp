#include "backends/cuda/cudnn_library.hpp"

#include <dlfcn.h>

#include <array>
#include <cstdlib>

#include <fmt/format.h>

namespace accelbench::cuda {
namespace {

constexpr const char* soname = "libcudnn.so.9";

template <typename F>
bool bind(void* handle, const char* name, F& out, std::string& missing) {
  out = reinterpret_cast<F>(dlsym(handle, name));
  if (out == nullptr) missing += (missing.empty() ? "" : ", ") + std::string(name);
  return out != nullptr;
}

}  // namespace

std::vector<std::string> cudnn_candidates(const char* env_dir) {
  std::vector<std::string> out;
  if (env_dir != nullptr && env_dir[0] != '\0') out.push_back(std::string(env_dir) + "/" + soname);
  out.emplace_back(soname);  // the normal search: LD_LIBRARY_PATH, RUNPATH, ld.so.cache
  return out;
}

cudnn_library::cudnn_library(const std::string& file) {
  const std::vector<std::string> tries =
      file.empty() ? cudnn_candidates(std::getenv("ACCELBENCH_CUDNN_PATH")) : std::vector<std::string>{file};
  std::string errors;
  for (const std::string& candidate : tries) {
    m_handle = dlopen(candidate.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (m_handle != nullptr) {
      m_path = candidate;
      break;
    }
    const char* e = dlerror();
    errors += fmt::format("{}{}", errors.empty() ? "" : "; ", e != nullptr ? e : candidate);
  }
  if (m_handle == nullptr) {
    m_reason = fmt::format(
        "cuDNN not loaded ({}); install cuDNN 9 or set ACCELBENCH_CUDNN_PATH to the directory "
        "holding {}",
        errors, soname);
    return;
  }
  std::string missing;
  bind(m_handle, "cudnnGetVersion", m_api.get_version, missing);
  bind(m_handle, "cudnnGetErrorString", m_api.error_string, missing);
  bind(m_handle, "cudnnGetLastErrorString", m_api.last_error_string, missing);
  bind(m_handle, "cudnnCreate", m_api.create, missing);
  bind(m_handle, "cudnnDestroy", m_api.destroy, missing);
  bind(m_handle, "cudnnSetStream", m_api.set_stream, missing);
  bind(m_handle, "cudnnBackendCreateDescriptor", m_api.create_descriptor, missing);
  bind(m_handle, "cudnnBackendDestroyDescriptor", m_api.destroy_descriptor, missing);
  bind(m_handle, "cudnnBackendSetAttribute", m_api.set_attribute, missing);
  bind(m_handle, "cudnnBackendGetAttribute", m_api.get_attribute, missing);
  bind(m_handle, "cudnnBackendFinalize", m_api.finalize, missing);
  bind(m_handle, "cudnnBackendExecute", m_api.execute, missing);
  if (!missing.empty()) {
    m_reason = fmt::format("{} lacks {} (not cuDNN 9)", m_path, missing);
    dlclose(m_handle);
    m_handle = nullptr;
    return;
  }
  if (m_api.get_version() / 10000 != 9) {  // 9.x.y is 9xxyy since cuDNN 9
    m_reason = fmt::format("{} is cuDNN {}, not 9", m_path, version());
    dlclose(m_handle);
    m_handle = nullptr;
  }
}

cudnn_library::~cudnn_library() {
  if (m_handle != nullptr) dlclose(m_handle);
}

std::string cudnn_library::version() const {
  if (m_api.get_version == nullptr) return {};
  const std::size_t v = m_api.get_version();
  return fmt::format("{}.{}.{}", v / 10000, (v / 100) % 100, v % 100);
}

std::string cudnn_library::describe(cudnnStatus_t status) const {
  const char* name = m_api.error_string != nullptr ? m_api.error_string(status) : nullptr;
  std::array<char, 512> last{};
  if (m_api.last_error_string != nullptr) m_api.last_error_string(last.data(), last.size());
  std::string text = name != nullptr ? name : fmt::format("cuDNN status {}", static_cast<int>(status));
  if (last[0] != '\0') text += fmt::format(": {}", last.data());
  return text;
}

}  // namespace accelbench::cuda
