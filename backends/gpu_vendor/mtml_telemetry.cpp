#include "backends/gpu_vendor/mtml_telemetry.hpp"

#include <fmt/format.h>

#include "backends/gpu_vendor/vendor_table.hpp"

namespace accelbench::gpu_vendor {

std::vector<std::string> mtml_candidates() {
  return library_candidates({"MUSA_PATH", "MUSA_HOME"}, {"/usr/local/musa"}, {"libmtml.so", "libmtml.so.1"});
}

mtml_telemetry::mtml_telemetry(const std::vector<std::string>& candidates) {
  if (!m_lib.open_first(candidates)) {
    m_reason = fmt::format("MTML not found ({} files tried, first: {})", candidates.size(), m_lib.first_error());
    return;
  }
  const std::string missing = m_lib.bind_symbols(
      {symbol("mtmlLibraryInit", m_api.library_init), symbol("mtmlLibraryShutDown", m_api.library_shut_down),
       symbol("mtmlLibraryInitDeviceByIndex", m_api.init_device), symbol("mtmlDeviceGetPowerUsage", m_api.power),
       symbol("mtmlDeviceInitGpu", m_api.init_gpu), symbol("mtmlGpuGetTemperature", m_api.temperature),
       symbol("mtmlGpuGetClock", m_api.gpu_clock, false), symbol("mtmlDeviceInitMemory", m_api.init_memory, false),
       symbol("mtmlMemoryGetClock", m_api.memory_clock, false)});
  if (!missing.empty()) {
    m_reason = fmt::format("{} lacks {}", m_lib.path(), missing);
    m_lib.close();
    return;
  }
  if (const int status = m_api.library_init(&m_library); status != 0) {
    m_reason = fmt::format("mtmlLibraryInit failed: status {}", status);
    m_lib.close();
    m_api = {};
  }
}

mtml_telemetry::~mtml_telemetry() {
  if (available()) m_api.library_shut_down(m_library);
}

const mtml_telemetry::device_handles* mtml_telemetry::handles(unsigned index) const {
  if (const auto found = m_devices.find(index); found != m_devices.end()) return &found->second;
  device_handles h;
  if (m_api.init_device(m_library, index, &h.device) != 0) return nullptr;
  if (m_api.init_gpu(h.device, &h.gpu) != 0) h.gpu = nullptr;  // power alone is still a reading
  if (m_api.init_memory == nullptr || m_api.init_memory(h.device, &h.memory) != 0) h.memory = nullptr;
  return &m_devices.emplace(index, h).first->second;
}

std::optional<ab_telemetry> mtml_telemetry::read(int index) const {
  if (!available() || index < 0) return std::nullopt;
  const device_handles* h = handles(static_cast<unsigned>(index));
  if (h == nullptr) return std::nullopt;
  ab_telemetry t{};
  t.struct_size = sizeof(t);
  unsigned milliwatts = 0;
  if (m_api.power(h->device, &milliwatts) == 0) {
    t.power_w = static_cast<double>(milliwatts) * 1e-3;
    t.reported |= AB_TELEMETRY_POWER;
  }
  unsigned celsius = 0;
  if (h->gpu != nullptr && m_api.temperature(h->gpu, &celsius) == 0) {
    t.temperature_c = static_cast<double>(celsius);
    t.reported |= AB_TELEMETRY_TEMPERATURE;
  }
  unsigned mhz = 0;
  if (h->gpu != nullptr && m_api.gpu_clock != nullptr && m_api.gpu_clock(h->gpu, &mhz) == 0) {
    t.sm_clock_mhz = static_cast<double>(mhz);
    t.reported |= AB_TELEMETRY_SM_CLOCK;
  }
  if (h->memory != nullptr && m_api.memory_clock != nullptr && m_api.memory_clock(h->memory, &mhz) == 0) {
    t.memory_clock_mhz = static_cast<double>(mhz);
    t.reported |= AB_TELEMETRY_MEMORY_CLOCK;
  }
  if (t.reported == 0) return std::nullopt;
  return t;
}

}  // namespace accelbench::gpu_vendor
