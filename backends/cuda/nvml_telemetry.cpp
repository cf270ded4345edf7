#include "backends/cuda/nvml_telemetry.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <array>
#include <utility>

#include <fmt/format.h>

#include "backends/cuda/nvml_api.h"

namespace accelbench::cuda {

struct nvml_library::api {
  nvmlInit_v2_fn init = nullptr;
  nvmlShutdown_fn shutdown = nullptr;
  nvmlErrorString_fn error_string = nullptr;
  nvmlSystemGetDriverVersion_fn driver_version = nullptr;
  nvmlDeviceGetHandleByUUID_fn by_uuid = nullptr;
  nvmlDeviceGetClockInfo_fn clock = nullptr;
  nvmlDeviceGetMaxClockInfo_fn max_clock = nullptr;
  nvmlDeviceGetPowerUsage_fn power = nullptr;
  nvmlDeviceGetEnforcedPowerLimit_fn power_limit = nullptr;
  nvmlDeviceGetTemperature_fn temperature = nullptr;
  nvmlDeviceGetCurrentClocksEventReasons_fn reasons = nullptr;
  nvmlDeviceGetMigMode_fn mig_mode = nullptr;
  nvmlDeviceGetDeviceHandleFromMigDeviceHandle_fn mig_parent = nullptr;

  std::string message(nvmlReturn_t status) const {
    const char* text = error_string != nullptr ? error_string(status) : nullptr;
    return text != nullptr ? fmt::format("{} (NVML {})", text, status) : fmt::format("NVML error {}", status);
  }
};

namespace {

constexpr std::array<std::pair<std::uint64_t, const char*>, 9> reason_names{{
    {ACCELBENCH_NVML_CLOCKS_EVENT_GPU_IDLE, "gpu_idle"},
    {ACCELBENCH_NVML_CLOCKS_EVENT_APPLICATIONS_CLOCKS_SETTING, "applications_clocks_setting"},
    {ACCELBENCH_NVML_CLOCKS_EVENT_SW_POWER_CAP, "sw_power_cap"},
    {ACCELBENCH_NVML_CLOCKS_EVENT_HW_SLOWDOWN, "hw_slowdown"},
    {ACCELBENCH_NVML_CLOCKS_EVENT_SYNC_BOOST, "sync_boost"},
    {ACCELBENCH_NVML_CLOCKS_EVENT_SW_THERMAL_SLOWDOWN, "sw_thermal_slowdown"},
    {ACCELBENCH_NVML_CLOCKS_EVENT_HW_THERMAL_SLOWDOWN, "hw_thermal_slowdown"},
    {ACCELBENCH_NVML_CLOCKS_EVENT_HW_POWER_BRAKE_SLOWDOWN, "hw_power_brake_slowdown"},
    {ACCELBENCH_NVML_CLOCKS_EVENT_DISPLAY_CLOCK_SETTING, "display_clock_setting"},
}};

template <typename F>
F symbol(void* handle, const char* name) {
  return reinterpret_cast<F>(dlsym(handle, name));
}

}  // namespace

bool is_throttled(std::uint64_t reasons) {
  constexpr std::uint64_t throttling =
      ACCELBENCH_NVML_CLOCKS_EVENT_SW_POWER_CAP | ACCELBENCH_NVML_CLOCKS_EVENT_HW_SLOWDOWN |
      ACCELBENCH_NVML_CLOCKS_EVENT_SW_THERMAL_SLOWDOWN | ACCELBENCH_NVML_CLOCKS_EVENT_HW_THERMAL_SLOWDOWN |
      ACCELBENCH_NVML_CLOCKS_EVENT_HW_POWER_BRAKE_SLOWDOWN;
  return (reasons & throttling) != 0;
}

std::string describe_clock_event_reasons(std::uint64_t reasons) {
  std::string text;
  std::uint64_t known = 0;
  for (const auto& [bit, name] : reason_names) {
    known |= bit;
    if ((reasons & bit) == 0) continue;
    if (!text.empty()) text += ",";
    text += name;
  }
  if ((reasons & ~known) != 0) text += fmt::format("{}0x{:x}", text.empty() ? "" : ",", reasons & ~known);
  return text;
}

ab_telemetry to_abi_telemetry(const nvml_sample& s) {
  ab_telemetry t{};
  t.struct_size = sizeof(t);
  const auto put = [&t](std::uint32_t bit, double& field, const auto& value) {
    if (!value) return;
    field = static_cast<double>(*value);
    t.reported |= bit;
  };
  put(AB_TELEMETRY_SM_CLOCK, t.sm_clock_mhz, s.sm_clock_mhz);
  put(AB_TELEMETRY_MEMORY_CLOCK, t.memory_clock_mhz, s.memory_clock_mhz);
  put(AB_TELEMETRY_POWER, t.power_w, s.power_w);
  put(AB_TELEMETRY_TEMPERATURE, t.temperature_c, s.temperature_c);
  if (s.clock_event_reasons) {
    t.reported |= AB_TELEMETRY_CLOCK_EVENTS;
    t.throttled = is_throttled(*s.clock_event_reasons) ? 1 : 0;
    const std::string text = describe_clock_event_reasons(*s.clock_event_reasons);
    const std::size_t n = std::min(text.size(), sizeof(t.clock_event_reasons) - 1);
    std::copy_n(text.data(), n, t.clock_event_reasons);
  }
  return t;
}

std::string format_gpu_uuid(const unsigned char (&b)[16]) {
  return fmt::format(
      "GPU-{:02x}{:02x}{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-"
      "{:02x}{:02x}{:02x}{:02x}{:02x}{:02x}",
      b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

std::vector<std::string> nvml_uuid_candidates(const std::string& uuid) {
  if (uuid.rfind("GPU-", 0) == 0) return {uuid, "MIG-" + uuid.substr(4)};
  return {uuid};
}

nvml_library::nvml_library(const char* soname) : m_api(std::make_unique<api>()) {
  m_handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (m_handle == nullptr) {
    const char* error = dlerror();
    m_reason = fmt::format("NVML not loaded ({}): {}; the NVIDIA driver is not installed or not visible", soname,
                           error != nullptr ? error : "unknown dlopen error");
    return;
  }
  api& a = *m_api;
  a.init = symbol<nvmlInit_v2_fn>(m_handle, "nvmlInit_v2");
  a.shutdown = symbol<nvmlShutdown_fn>(m_handle, "nvmlShutdown");
  a.error_string = symbol<nvmlErrorString_fn>(m_handle, "nvmlErrorString");
  a.driver_version = symbol<nvmlSystemGetDriverVersion_fn>(m_handle, "nvmlSystemGetDriverVersion");
  a.by_uuid = symbol<nvmlDeviceGetHandleByUUID_fn>(m_handle, "nvmlDeviceGetHandleByUUID");
  a.clock = symbol<nvmlDeviceGetClockInfo_fn>(m_handle, "nvmlDeviceGetClockInfo");
  a.max_clock = symbol<nvmlDeviceGetMaxClockInfo_fn>(m_handle, "nvmlDeviceGetMaxClockInfo");
  a.power = symbol<nvmlDeviceGetPowerUsage_fn>(m_handle, "nvmlDeviceGetPowerUsage");
  a.power_limit = symbol<nvmlDeviceGetEnforcedPowerLimit_fn>(m_handle, "nvmlDeviceGetEnforcedPowerLimit");
  a.temperature = symbol<nvmlDeviceGetTemperature_fn>(m_handle, "nvmlDeviceGetTemperature");
  // Renamed from "throttle" to "clocks event" reasons in newer drivers; older ones have only the old name.
  a.reasons = symbol<nvmlDeviceGetCurrentClocksEventReasons_fn>(m_handle, "nvmlDeviceGetCurrentClocksEventReasons");
  if (a.reasons == nullptr) {
    a.reasons =
        symbol<nvmlDeviceGetCurrentClocksEventReasons_fn>(m_handle, "nvmlDeviceGetCurrentClocksThrottleReasons");
  }
  a.mig_mode = symbol<nvmlDeviceGetMigMode_fn>(m_handle, "nvmlDeviceGetMigMode");
  a.mig_parent =
      symbol<nvmlDeviceGetDeviceHandleFromMigDeviceHandle_fn>(m_handle, "nvmlDeviceGetDeviceHandleFromMigDeviceHandle");
  if (a.init == nullptr || a.by_uuid == nullptr) {
    m_reason = fmt::format("{} lacks nvmlInit_v2 or nvmlDeviceGetHandleByUUID (driver too old)", soname);
    return;
  }
  const nvmlReturn_t status = a.init();
  if (status != ACCELBENCH_NVML_SUCCESS) {
    m_reason = "nvmlInit failed: " + a.message(status);
    return;
  }
  m_available = true;
}

nvml_library::~nvml_library() {
  if (m_available && m_api->shutdown != nullptr) m_api->shutdown();
  if (m_handle != nullptr) dlclose(m_handle);
}

std::string nvml_library::driver_version() const {
  if (!m_available || m_api->driver_version == nullptr) return {};
  std::array<char, 96> text{};
  if (m_api->driver_version(text.data(), static_cast<unsigned>(text.size())) != ACCELBENCH_NVML_SUCCESS) return {};
  return text.data();
}

bool nvml_library::find_device(const std::string& uuid, void*& device, std::string& error) const {
  std::string tried;
  for (const std::string& candidate : nvml_uuid_candidates(uuid)) {
    nvmlDevice_t handle = nullptr;
    const nvmlReturn_t status = m_api->by_uuid(candidate.c_str(), &handle);
    if (status == ACCELBENCH_NVML_SUCCESS) {
      nvmlDevice_t parent = nullptr;
      if (candidate.rfind("MIG-", 0) == 0 && m_api->mig_parent != nullptr &&
          m_api->mig_parent(handle, &parent) == ACCELBENCH_NVML_SUCCESS) {
        handle = parent;
      }
      device = handle;
      return true;
    }
    tried += fmt::format("{}nvmlDeviceGetHandleByUUID({}): {}", tried.empty() ? "" : "; ", candidate,
                         m_api->message(status));
  }
  error = tried;
  return false;
}

std::optional<nvml_static_info> nvml_library::static_info(const std::string& uuid, std::string& error) const {
  if (!m_available) {
    error = m_reason;
    return std::nullopt;
  }
  void* found = nullptr;
  if (!find_device(uuid, found, error)) return std::nullopt;
  auto* device = static_cast<nvmlDevice_t>(found);
  nvml_static_info info;
  unsigned value = 0, pending = 0;
  if (m_api->max_clock && m_api->max_clock(device, ACCELBENCH_NVML_CLOCK_SM, &value) == 0)
    info.max_sm_clock_mhz = value;
  if (m_api->max_clock && m_api->max_clock(device, ACCELBENCH_NVML_CLOCK_MEM, &value) == 0) {
    info.max_memory_clock_mhz = value;
  }
  if (m_api->power_limit && m_api->power_limit(device, &value) == 0) info.power_limit_w = value / 1000.0;
  if (m_api->mig_mode && m_api->mig_mode(device, &value, &pending) == 0) info.mig_enabled = value != 0;
  return info;
}

std::optional<nvml_sample> nvml_library::sample(const std::string& uuid, std::string& error) const {
  if (!m_available) {
    error = m_reason;
    return std::nullopt;
  }
  void* found = nullptr;
  if (!find_device(uuid, found, error)) return std::nullopt;
  auto* device = static_cast<nvmlDevice_t>(found);
  nvml_sample s;
  unsigned value = 0;
  unsigned long long reasons = 0;
  if (m_api->clock && m_api->clock(device, ACCELBENCH_NVML_CLOCK_SM, &value) == 0) s.sm_clock_mhz = value;
  if (m_api->clock && m_api->clock(device, ACCELBENCH_NVML_CLOCK_MEM, &value) == 0) s.memory_clock_mhz = value;
  if (m_api->power && m_api->power(device, &value) == 0) s.power_w = value / 1000.0;
  if (m_api->temperature && m_api->temperature(device, ACCELBENCH_NVML_TEMPERATURE_GPU, &value) == 0) {
    s.temperature_c = value;
  }
  if (m_api->reasons && m_api->reasons(device, &reasons) == 0) s.clock_event_reasons = reasons;
  return s;
}

}  // namespace accelbench::cuda
