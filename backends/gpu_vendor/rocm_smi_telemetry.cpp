#include "backends/gpu_vendor/rocm_smi_telemetry.hpp"

#include <fmt/format.h>

#include "backends/gpu_vendor/vendor_table.hpp"

namespace accelbench::gpu_vendor {
namespace {

// rocm_smi.h (Debian's librocm-smi-dev 5.2): RSMI_TEMP_TYPE_EDGE and RSMI_TEMP_CURRENT are 0.
constexpr std::uint32_t temperature_edge = 0;
constexpr int temperature_current = 0;

}  // namespace

// Hygon's HCU driver installs its ROCm SMI (librocm_smi64.so.2, the library behind hy-smi, with
// the same rsmi_* entry points) in /opt/hyhal/lib, as HYGON-AI/hcu-dcgm's README and link flags
// say; ROCm 5 and 6 ship .so.5 and .so.6 (Debian's 5.2: .so.1).
std::vector<std::string> rocm_smi_candidates() {
  return library_candidates(
      {"ROCM_PATH", "HIP_PATH", "DTK_ROOT"}, {"/opt/hyhal", "/opt/dtk", "/opt/rocm"},
      {"librocm_smi64.so", "librocm_smi64.so.1", "librocm_smi64.so.2", "librocm_smi64.so.5", "librocm_smi64.so.6"});
}

rocm_smi_telemetry::rocm_smi_telemetry(const std::vector<std::string>& candidates) {
  if (!m_lib.open_first(candidates)) {
    m_reason = fmt::format("ROCm SMI not found ({} files tried, first: {})", candidates.size(), m_lib.first_error());
    return;
  }
  const std::string missing = m_lib.bind_symbols(
      {symbol("rsmi_init", m_api.init), symbol("rsmi_shut_down", m_api.shut_down),
       symbol("rsmi_dev_power_ave_get", m_api.power_average), symbol("rsmi_dev_temp_metric_get", m_api.temperature)});
  if (!missing.empty()) {
    m_reason = fmt::format("{} lacks {}", m_lib.path(), missing);
    m_lib.close();
    return;
  }
  if (const int status = m_api.init(0); status != 0) {
    m_reason = fmt::format("rsmi_init failed: status {}", status);
    m_lib.close();
    m_api = {};
  }
}

rocm_smi_telemetry::~rocm_smi_telemetry() {
  if (available()) m_api.shut_down();
}

std::optional<ab_telemetry> rocm_smi_telemetry::read(int index) const {
  if (!available() || index < 0) return std::nullopt;
  const auto device = static_cast<std::uint32_t>(index);
  ab_telemetry t{};
  t.struct_size = sizeof(t);
  std::uint64_t microwatts = 0;
  if (m_api.power_average(device, 0, &microwatts) == 0) {
    t.power_w = static_cast<double>(microwatts) * 1e-6;
    t.reported |= AB_TELEMETRY_POWER;
  }
  std::int64_t millicelsius = 0;
  if (m_api.temperature(device, temperature_edge, temperature_current, &millicelsius) == 0) {
    t.temperature_c = static_cast<double>(millicelsius) * 1e-3;
    t.reported |= AB_TELEMETRY_TEMPERATURE;
  }
  if (t.reported == 0) return std::nullopt;
  return t;
}

}  // namespace accelbench::gpu_vendor
