#include "backends/gpu_vendor/rocm_smi_telemetry.hpp"

#include <cstring>

#include <fmt/format.h>

#include "backends/gpu_vendor/vendor_table.hpp"

namespace accelbench::gpu_vendor {
namespace {

// rocm_smi.h (Debian's librocm-smi-dev 5.2, Hygon's alike): RSMI_TEMP_TYPE_EDGE and
// RSMI_TEMP_CURRENT are 0; RSMI_CLK_TYPE_SYS 0, RSMI_CLK_TYPE_MEM 4.
constexpr std::uint32_t temperature_edge = 0;
constexpr int temperature_current = 0;
constexpr int clock_system = 0, clock_memory = 4;

// The current frequency of one layout (offsets of the count, the index and the array), or nullopt.
std::optional<double> level_at(const unsigned char* bytes, std::size_t count_at, std::size_t current_at,
                               std::size_t array_at, std::uint32_t max_levels) {
  std::uint32_t count = 0, current = 0;
  std::memcpy(&count, bytes + count_at, sizeof(count));
  std::memcpy(&current, bytes + current_at, sizeof(current));
  if (count == 0 || count > max_levels || current >= count) return std::nullopt;
  std::uint64_t hz = 0;
  std::memcpy(&hz, bytes + array_at + 8 * current, sizeof(hz));
  if (hz < 1'000'000 || hz > 10'000'000'000ull) return std::nullopt;  // 1 MHz .. 10 GHz
  return static_cast<double>(hz) * 1e-6;
}

}  // namespace

// Hygon's HCU driver installs its ROCm SMI (librocm_smi64.so.2, the library behind hy-smi, with
// the same rsmi_* entry points) in /opt/hyhal/lib, as HYGON-AI/hcu-dcgm's README and link flags
// say; ROCm 5 and 6 ship .so.5 and .so.6 (Debian's 5.2: .so.1).
std::optional<double> clock_level_mhz(const unsigned char* bytes) {
  if (const auto level = level_at(bytes, 4, 8, 16, 33)) return level;  // ROCm 6, Hygon
  return level_at(bytes, 0, 4, 8, 32);                                 // ROCm 5
}

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
       symbol("rsmi_dev_power_ave_get", m_api.power_average), symbol("rsmi_dev_temp_metric_get", m_api.temperature),
       symbol("rsmi_dev_gpu_clk_freq_get", m_api.clock, false)});
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
  const auto clock = [&](int type) -> std::optional<double> {
    alignas(8) unsigned char frequencies[rsmi_frequencies_bytes] = {};
    if (m_api.clock == nullptr || m_api.clock(device, type, frequencies) != 0) return std::nullopt;
    return clock_level_mhz(frequencies);
  };
  if (const auto mhz = clock(clock_system)) {
    t.sm_clock_mhz = *mhz;
    t.reported |= AB_TELEMETRY_SM_CLOCK;
  }
  if (const auto mhz = clock(clock_memory)) {
    t.memory_clock_mhz = *mhz;
    t.reported |= AB_TELEMETRY_MEMORY_CLOCK;
  }
  if (t.reported == 0) return std::nullopt;
  return t;
}

}  // namespace accelbench::gpu_vendor
