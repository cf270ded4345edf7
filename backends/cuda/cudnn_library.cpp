#include "backends/cuda/cudnn_library.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>

namespace accelbench::cuda {
namespace {

constexpr const char* soname = "libcudnn.so.9";

}  // namespace

std::vector<std::string> python_wheel_lib_dirs(const std::string& package, const std::vector<std::string>& prefixes) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  std::error_code ec;
  for (const std::string& prefix : prefixes) {
    for (const char* lib : {"lib", "lib64"}) {
      const fs::path base = fs::path(prefix) / lib;
      if (!fs::is_directory(base, ec)) continue;
      std::vector<fs::path> pythons;  // sorted: the same order on every run
      for (const fs::directory_entry& e : fs::directory_iterator(base, ec)) {
        if (e.path().filename().string().rfind("python3", 0) == 0) pythons.push_back(e.path());
      }
      std::sort(pythons.begin(), pythons.end());
      for (const fs::path& python : pythons) {
        for (const char* packages : {"site-packages", "dist-packages"}) {
          const fs::path dir = python / packages / "nvidia" / package / "lib";
          if (fs::is_directory(dir, ec) && std::find(out.begin(), out.end(), dir.string()) == out.end()) {
            out.push_back(dir.string());
          }
        }
      }
    }
  }
  return out;
}

std::vector<std::string> python_prefixes() {
  std::vector<std::string> out;
  for (const char* variable : {"VIRTUAL_ENV", "CONDA_PREFIX"}) {
    if (const char* value = std::getenv(variable); value != nullptr && value[0] != '\0') out.emplace_back(value);
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && home[0] != '\0') {
    out.push_back(std::string(home) + "/.local");
  }
  for (const char* prefix : {"/usr/local", "/usr", "/opt/conda"}) out.emplace_back(prefix);
  return out;
}

std::vector<std::string> cudnn_candidates(const char* env_dir, const std::vector<std::string>& wheel_dirs) {
  std::vector<std::string> out;
  if (env_dir != nullptr && env_dir[0] != '\0') out.push_back(std::string(env_dir) + "/" + soname);
  out.emplace_back(soname);  // the normal search: LD_LIBRARY_PATH, RUNPATH, ld.so.cache
  for (const std::string& dir : wheel_dirs) out.push_back(dir + "/" + soname);
  return out;
}

std::vector<std::string> nvrtc_candidates(int cuda_major, const std::string& cudnn_path,
                                          const std::vector<std::string>& wheel_dirs) {
  const std::string name = fmt::format("libnvrtc.so.{}", cuda_major);
  std::vector<std::string> out{name};  // the normal search first, as cuDNN's own dlopen does
  // A wheel's cuDNN at .../nvidia/cudnn/lib: NVRTC's wheel is .../nvidia/cuda_nvrtc/lib.
  const auto slash = cudnn_path.rfind('/');
  if (slash != std::string::npos) {
    const std::filesystem::path dir(cudnn_path.substr(0, slash));
    out.push_back((dir.parent_path().parent_path() / "cuda_nvrtc" / "lib" / name).string());
  }
  for (const std::string& dir : wheel_dirs) out.push_back(dir + "/" + name);
  out.push_back(fmt::format("/usr/local/cuda-{}/lib64/{}", cuda_major, name));
  out.push_back("/usr/local/cuda/lib64/" + name);
  return out;
}

cudnn_library::cudnn_library(const std::string& file) {
  const std::vector<std::string> prefixes = python_prefixes();
  const std::vector<std::string> tries =
      file.empty() ? cudnn_candidates(std::getenv("ACCELBENCH_CUDNN_PATH"), python_wheel_lib_dirs("cudnn", prefixes))
                   : std::vector<std::string>{file};
  if (!m_lib.open_first(tries)) {
    m_reason = fmt::format(
        "cuDNN not loaded ({}); install cuDNN 9 (or the nvidia-cudnn Python wheel) or set "
        "ACCELBENCH_CUDNN_PATH to the directory holding {}",
        m_lib.errors(), soname);
    return;
  }
  m_path = m_lib.path();
  const std::string missing = m_lib.bind_symbols({
      symbol("cudnnGetVersion", m_api.get_version), symbol("cudnnGetErrorString", m_api.error_string),
      symbol("cudnnGetLastErrorString", m_api.last_error_string), symbol("cudnnCreate", m_api.create),
      symbol("cudnnDestroy", m_api.destroy), symbol("cudnnSetStream", m_api.set_stream),
      symbol("cudnnBackendCreateDescriptor", m_api.create_descriptor),
      symbol("cudnnBackendDestroyDescriptor", m_api.destroy_descriptor),
      symbol("cudnnBackendSetAttribute", m_api.set_attribute), symbol("cudnnBackendGetAttribute", m_api.get_attribute),
      symbol("cudnnBackendFinalize", m_api.finalize), symbol("cudnnBackendExecute", m_api.execute),
      symbol("cudnnGetCudartVersion", m_api.cudart_version, false),  // optional: NVRTC's major
  });
  if (!missing.empty()) {
    m_reason = fmt::format("{} lacks {} (not cuDNN 9)", m_path, missing);
    m_lib.close();
    return;
  }
  if (m_api.get_version() / 10000 != 9) {  // 9.x.y is 9xxyy since cuDNN 9
    m_reason = fmt::format("{} is cuDNN {}, not 9", m_path, version());
    m_lib.close();
    return;
  }
  load_nvrtc(python_wheel_lib_dirs("cuda_nvrtc", prefixes));
}

void cudnn_library::load_nvrtc(const std::vector<std::string>& wheel_dirs) {
  const std::size_t cudart = m_api.cudart_version != nullptr ? m_api.cudart_version() : 13000;
  if (m_nvrtc.open_first(nvrtc_candidates(static_cast<int>(cudart / 1000), m_path, wheel_dirs), true)) {
    m_nvrtc_path = m_nvrtc.path();
    return;
  }
  m_nvrtc_problem = fmt::format("NVRTC not found ({}): cuDNN engines that compile at run time will be rejected",
                                m_nvrtc.first_error());
}

std::string cudnn_library::summary() const {
  if (!available()) return "no cuDNN";
  return fmt::format("cuDNN {} ({}; {})", version(), m_path,
                     m_nvrtc_path.empty() ? m_nvrtc_problem : "NVRTC " + m_nvrtc_path);
}

std::size_t cudnn_library::version_number() const { return m_api.get_version != nullptr ? m_api.get_version() : 0; }

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
