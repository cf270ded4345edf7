#include "backends/gpu_vendor/vendor_library.hpp"

#include <deque>
#include <vector>

#include <fmt/format.h>

namespace accelbench::gpu_vendor {
namespace {

// Binds prefix+name for each slot; the names live in `names` (symbol_slot keeps a pointer).
class prefixed_symbols {
 public:
  explicit prefixed_symbols(std::string prefix) : m_prefix(std::move(prefix)) {}
  template <typename F>
  void add(const char* name, F& out, bool required = true) {
    m_names.push_back(m_prefix + name);
    m_slots.push_back(symbol(m_names.back().c_str(), out, required));
  }
  const std::vector<symbol_slot>& slots() const { return m_slots; }

 private:
  std::string m_prefix;
  std::deque<std::string> m_names;  // stable addresses
  std::vector<symbol_slot> m_slots;
};

// Binds the symbols into `api`; when a required one is missing, closes the library, clears
// `api`, sets `reason` ("<path> lacks <names>") and returns false.
template <typename Api>
bool bind_or_close(loaded_library& library, const prefixed_symbols& symbols, Api& api, std::string& reason) {
  const std::string missing = library.bind_symbols(symbols.slots());
  if (missing.empty()) return true;
  reason = fmt::format("{} lacks {}", library.path(), missing);
  library.close();
  api = {};
  return false;
}

}  // namespace

vendor_library::vendor_library(const vendor_table& vendor) : m_vendor(&vendor) {
  load_runtime();
  if (runtime_available()) {
    load_blaslt();
    if (!blaslt_available()) load_fallback();
    load_rtc();
  }
}

void vendor_library::load_runtime() {
  const std::vector<std::string> tries = m_vendor->runtime_candidates();
  if (!m_runtime.open_first(tries)) {
    m_runtime_reason = fmt::format("{} runtime not found ({} files tried, first: {}); {}", m_vendor->runtime_name,
                                   tries.size(), m_runtime.first_error(), m_vendor->install_hint);
    return;
  }
  runtime_api& a = m_rt;
  prefixed_symbols s(m_vendor->runtime_prefix);
  s.add("GetDeviceCount", a.GetDeviceCount);
  s.add("SetDevice", a.SetDevice);
  s.add("GetDeviceProperties", a.GetDeviceProperties);
  s.add("DeviceGetAttribute", a.DeviceGetAttribute);
  s.add("MemGetInfo", a.MemGetInfo);
  s.add("Malloc", a.Malloc);
  s.add("Free", a.Free);
  s.add("Memcpy", a.Memcpy);
  s.add("MemsetAsync", a.MemsetAsync);
  s.add("StreamCreate", a.StreamCreate);
  s.add("StreamDestroy", a.StreamDestroy);
  s.add("StreamSynchronize", a.StreamSynchronize);
  s.add("EventCreate", a.EventCreate);
  s.add("EventDestroy", a.EventDestroy);
  s.add("EventRecord", a.EventRecord);
  s.add("EventElapsedTime", a.EventElapsedTime);
  s.add("GetErrorName", a.GetErrorName);
  s.add("RuntimeGetVersion", a.RuntimeGetVersion, false);
  if (m_vendor->rtc_prefix != nullptr) {  // only the runtime compiler needs them (load_rtc)
    s.add("ModuleLoadData", a.ModuleLoadData, false);
    s.add("ModuleUnload", a.ModuleUnload, false);
    s.add("ModuleGetFunction", a.ModuleGetFunction, false);
    s.add("ModuleLaunchKernel", a.ModuleLaunchKernel, false);
  }
  s.add("StreamBeginCapture", a.StreamBeginCapture, false);  // graph batching, where the runtime has graphs
  s.add("StreamEndCapture", a.StreamEndCapture, false);
  s.add("GraphInstantiateWithFlags", a.GraphInstantiateWithFlags, false);
  s.add("GraphLaunch", a.GraphLaunch, false);
  s.add("GraphExecDestroy", a.GraphExecDestroy, false);
  s.add("GraphDestroy", a.GraphDestroy, false);
  if (!bind_or_close(m_runtime, s, m_rt, m_runtime_reason)) return;
  // HIP 6 versions the entry point (hipGetDevicePropertiesR0600). Every layout starts with
  // name[256] and we find the architecture by scanning (vendor_device.cpp), so either serves.
  if (m_vendor->properties_symbol != nullptr) {
    if (void* p = m_runtime.find(m_vendor->properties_symbol)) {
      a.GetDeviceProperties = reinterpret_cast<decltype(a.GetDeviceProperties)>(p);
    }
  }
}

void vendor_library::load_blaslt() {
  const std::vector<std::string> tries = m_vendor->blaslt_candidates();
  if (!m_blaslt.open_first(tries)) {
    m_blaslt_reason = fmt::format("{} not found ({} files tried, first: {}); {}", m_vendor->blaslt_name, tries.size(),
                                  m_blaslt.first_error(), m_vendor->install_hint);
    return;
  }
  blaslt_api& a = m_lt;
  prefixed_symbols s(m_vendor->blaslt_prefix);
  s.add("Create", a.Create);
  s.add("Destroy", a.Destroy);
  s.add("MatmulDescCreate", a.MatmulDescCreate);
  s.add("MatmulDescDestroy", a.MatmulDescDestroy);
  s.add("MatmulDescSetAttribute", a.MatmulDescSetAttribute);
  s.add("MatrixLayoutCreate", a.MatrixLayoutCreate);
  s.add("MatrixLayoutDestroy", a.MatrixLayoutDestroy);
  s.add("MatrixLayoutSetAttribute", a.MatrixLayoutSetAttribute);
  s.add("MatmulPreferenceCreate", a.MatmulPreferenceCreate);
  s.add("MatmulPreferenceDestroy", a.MatmulPreferenceDestroy);
  s.add("MatmulPreferenceSetAttribute", a.MatmulPreferenceSetAttribute);
  s.add("MatmulAlgoGetHeuristic", a.MatmulAlgoGetHeuristic);
  s.add("Matmul", a.Matmul);
  bind_or_close(m_blaslt, s, m_lt, m_blaslt_reason);
}

void vendor_library::load_rtc() {
  if (m_vendor->rtc_prefix == nullptr) {
    m_rtc_reason = m_vendor->rtc_missing;
    return;
  }
  const runtime_api& r = m_rt;
  if (r.ModuleLoadData == nullptr || r.ModuleUnload == nullptr || r.ModuleGetFunction == nullptr ||
      r.ModuleLaunchKernel == nullptr) {
    m_rtc_reason = fmt::format("{} lacks the {}Module* entry points that load a compiled kernel", m_runtime.path(),
                               m_vendor->runtime_prefix);
    return;
  }
  const std::vector<std::string> tries = m_vendor->rtc_candidates();
  if (!m_rtc.open_first(tries)) {
    m_rtc_reason = fmt::format("{} not found ({} files tried, first: {}); {}", m_vendor->rtc_prefix, tries.size(),
                               m_rtc.first_error(), m_vendor->install_hint);
    return;
  }
  rtc_api& a = m_rtc_api;
  prefixed_symbols s(m_vendor->rtc_prefix);
  s.add("CreateProgram", a.CreateProgram);
  s.add("CompileProgram", a.CompileProgram);
  s.add("GetProgramLogSize", a.GetProgramLogSize);
  s.add("GetProgramLog", a.GetProgramLog);
  s.add("GetCodeSize", a.GetCodeSize);
  s.add("GetCode", a.GetCode);
  s.add("DestroyProgram", a.DestroyProgram);
  s.add("GetErrorString", a.GetErrorString);
  bind_or_close(m_rtc, s, m_rtc_api, m_rtc_reason);
}

void vendor_library::load_fallback() {
  const std::vector<std::string> tries = m_vendor->fallback_blas_candidates();
  if (!m_fallback.open_first(tries)) {
    m_fallback_reason = fmt::format("{} not found ({} files tried, first: {})", m_vendor->fallback_blas_name,
                                    tries.size(), m_fallback.first_error());
    return;
  }
  if (m_vendor->fallback_kind == fallback_blas::rocblas) {
    rocblas_api& a = m_rb;
    prefixed_symbols s("rocblas_");
    s.add("create_handle", a.create_handle);
    s.add("destroy_handle", a.destroy_handle);
    s.add("set_stream", a.set_stream);
    s.add("gemm_ex", a.gemm_ex);
    s.add("gemm_strided_batched_ex", a.gemm_strided_batched_ex);
    s.add("get_version_string", a.get_version_string, false);
    bind_or_close(m_fallback, s, m_rb, m_fallback_reason);
    return;
  }
  mublas_api& a = m_mb;
  prefixed_symbols s("mublas");
  s.add("Create", a.Create);
  s.add("Destroy", a.Destroy);
  s.add("SetStream", a.SetStream);
  s.add("GemmStridedBatchedEx", a.GemmStridedBatchedEx);
  bind_or_close(m_fallback, s, m_mb, m_fallback_reason);
}

std::string vendor_library::create_fallback_handle(blas_handle* handle) const {
  const bool rocblas = m_vendor->fallback_kind == fallback_blas::rocblas;
  const blas_status status = rocblas ? m_rb.create_handle(handle) : m_mb.Create(handle);
  if (status == 0) return {};
  return fmt::format("{} returned status {}", rocblas ? "rocblas_create_handle" : "mublasCreate", status);
}

void vendor_library::destroy_fallback_handle(blas_handle handle) const {
  if (m_vendor->fallback_kind == fallback_blas::rocblas) {
    m_rb.destroy_handle(handle);
  } else {
    m_mb.Destroy(handle);
  }
}

std::string vendor_library::gemm_reason() const {
  if (gemm_available()) return {};
  return fmt::format("{}; {}", m_blaslt_reason, m_fallback_reason);
}

const char* vendor_library::gemm_name() const {
  return blaslt_available() || !fallback_available() ? m_vendor->blaslt_name : m_vendor->fallback_blas_name;
}

std::string vendor_library::fallback_version() const {
  // muBLAS has no version call here; rocBLAS's is optional in its table.
  if (!fallback_available() || m_vendor->fallback_kind != fallback_blas::rocblas || m_rb.get_version_string == nullptr)
    return {};
  char buffer[256] = {};
  if (m_rb.get_version_string(buffer, sizeof(buffer)) != 0) return {};
  buffer[sizeof(buffer) - 1] = '\0';
  return buffer;
}

std::string vendor_library::describe(gpu_status status) const {
  const char* name = m_rt.GetErrorName != nullptr ? m_rt.GetErrorName(status) : nullptr;
  if (name == nullptr || name[0] == '\0') return fmt::format("error {}", status);
  return fmt::format("{} ({})", name, status);
}

}  // namespace accelbench::gpu_vendor
