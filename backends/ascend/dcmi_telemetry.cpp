#include "backends/ascend/dcmi_telemetry.hpp"

#include <dlfcn.h>

#include <array>
#include <cstdlib>

#include <fmt/format.h>

namespace accelbench::ascend {
namespace {

// enum dcmi_freq_type (DCMI API reference): DCMI_FREQ_HBM = 6, DCMI_FREQ_AICORE_CURRENT_ = 7.
constexpr int dcmi_freq_hbm = 6;
constexpr int dcmi_freq_aicore_current = 7;
static_assert(dcmi_freq_hbm == 6 && dcmi_freq_aicore_current == 7,
              "dcmi_freq_type: DCMI_FREQ_HBM 6, DCMI_FREQ_AICORE_CURRENT_ 7");
constexpr int max_cards = 64;

}  // namespace

std::vector<std::string> dcmi_library_dirs(const char* env_dir) {
  std::vector<std::string> dirs;
  if (env_dir != nullptr && env_dir[0] != '\0') dirs.emplace_back(env_dir);
  dirs.emplace_back("/usr/local/Ascend/driver/lib64/driver");
  dirs.emplace_back("/usr/local/Ascend/driver/lib64");
  dirs.emplace_back("/usr/local/dcmi");
  dirs.emplace_back();
  return dirs;
}

dcmi_telemetry::dcmi_telemetry() {
  void* handle = nullptr;
  for (const std::string& dir : dcmi_library_dirs(std::getenv("ACCELBENCH_DCMI_PATH"))) {
    const std::string path = dir.empty() ? "libdcmi.so" : fmt::format("{}/libdcmi.so", dir);
    handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle != nullptr) break;
  }
  if (handle == nullptr) {
    m_reason = "libdcmi.so not found (Ascend driver's lib64/driver, /usr/local/dcmi, ACCELBENCH_DCMI_PATH)";
    return;
  }
  auto* init = reinterpret_cast<int (*)()>(dlsym(handle, "dcmi_init"));
  auto* cards = reinterpret_cast<int (*)(int*, int*, int)>(dlsym(handle, "dcmi_get_card_num_list"));
  auto* devices_in_card = reinterpret_cast<int (*)(int, int*)>(dlsym(handle, "dcmi_get_device_num_in_card"));
  m_api.power = reinterpret_cast<decltype(m_api.power)>(dlsym(handle, "dcmi_get_device_power_info"));
  m_api.temperature = reinterpret_cast<decltype(m_api.temperature)>(dlsym(handle, "dcmi_get_device_temperature"));
  m_api.frequency = reinterpret_cast<decltype(m_api.frequency)>(dlsym(handle, "dcmi_get_device_frequency"));
  if (init == nullptr || cards == nullptr || devices_in_card == nullptr || m_api.power == nullptr ||
      m_api.temperature == nullptr || m_api.frequency == nullptr) {
    m_reason = "libdcmi.so lacks dcmi_init, dcmi_get_card_num_list or a dcmi_get_device_* reading";
    return;
  }
  if (const int e = init(); e != 0) {
    m_reason = fmt::format("dcmi_init failed: {}", e);
    return;
  }
  int card_count = 0;
  std::array<int, max_cards> card_ids{};
  if (const int e = cards(&card_count, card_ids.data(), max_cards); e != 0) {
    m_reason = fmt::format("dcmi_get_card_num_list failed: {}", e);
    return;
  }
  for (int c = 0; c < card_count && c < max_cards; ++c) {
    int n = 0;
    if (devices_in_card(card_ids[static_cast<std::size_t>(c)], &n) != 0) continue;
    for (int d = 0; d < n; ++d) m_devices.emplace_back(card_ids[static_cast<std::size_t>(c)], d);
  }
  if (m_devices.empty()) m_reason = "DCMI lists no device";
}

std::optional<ab_telemetry> dcmi_telemetry::read(int index) const {
  if (!available() || index < 0 || static_cast<std::size_t>(index) >= m_devices.size()) return std::nullopt;
  const auto [card, device] = m_devices[static_cast<std::size_t>(index)];
  ab_telemetry t{};
  t.struct_size = sizeof(t);
  unsigned int mhz = 0;
  if (m_api.frequency(card, device, dcmi_freq_aicore_current, &mhz) == 0) {
    t.sm_clock_mhz = mhz;
    t.reported |= AB_TELEMETRY_SM_CLOCK;
  }
  if (m_api.frequency(card, device, dcmi_freq_hbm, &mhz) == 0) {
    t.memory_clock_mhz = mhz;
    t.reported |= AB_TELEMETRY_MEMORY_CLOCK;
  }
  int deci_watts = 0;
  if (m_api.power(card, device, &deci_watts) == 0) {
    t.power_w = deci_watts / 10.0;  // DCMI reports power in units of 0.1 W
    t.reported |= AB_TELEMETRY_POWER;
  }
  int celsius = 0;
  if (m_api.temperature(card, device, &celsius) == 0) {
    t.temperature_c = celsius;
    t.reported |= AB_TELEMETRY_TEMPERATURE;
  }
  if (t.reported == 0) return std::nullopt;
  return t;
}

}  // namespace accelbench::ascend
