// The simulated ROCm SMI: librocm_smi64.so with the calls the hip backend makes. Fixed readings
// (123.4 W average power, 45.5 C edge temperature, system clock at level 2 of 500/1200/1700 MHz,
// memory clock 1600 MHz) in rsmi_frequencies_t's ROCm 6 layout, or ROCm 5's with
// FAKE_GPU_RSMI_LAYOUT=5; FAKE_GPU_FAIL=rsmi_init makes initialization fail. See fake_gpu.hpp.
#include <cstdint>
#include <cstring>
#include <vector>

#include "tests/fake_gpu/fake_gpu.hpp"

FAKE_EXPORT int rsmi_init(std::uint64_t) { return fake_gpu::fails("rsmi_init") ? 1 : 0; }

FAKE_EXPORT int rsmi_shut_down() { return 0; }

FAKE_EXPORT int rsmi_dev_power_ave_get(std::uint32_t device, std::uint32_t, std::uint64_t* microwatts) {
  if (device != 0) return 2;  // RSMI_STATUS_INVALID_ARGS: one device
  *microwatts = 123400000;
  return 0;
}

FAKE_EXPORT int rsmi_dev_temp_metric_get(std::uint32_t device, std::uint32_t sensor_type, int metric,
                                         std::int64_t* millicelsius) {
  if (device != 0 || sensor_type != 0 || metric != 0) return 2;  // only edge, current
  *millicelsius = 45500;
  return 0;
}

FAKE_EXPORT int rsmi_dev_gpu_clk_freq_get(std::uint32_t device, int clock_type, void* frequencies) {
  if (device != 0 || (clock_type != 0 && clock_type != 4)) return 2;  // system and memory clocks only
  const std::vector<std::uint64_t> levels_hz = clock_type == 0
                                                   ? std::vector<std::uint64_t>{500000000, 1200000000, 1700000000}
                                                   : std::vector<std::uint64_t>{1600000000};
  const std::uint32_t count = static_cast<std::uint32_t>(levels_hz.size()), current = count - 1;
  auto* out = static_cast<unsigned char*>(frequencies);
  const bool rocm5 = fake_gpu::env("FAKE_GPU_RSMI_LAYOUT") == "5";
  // ROCm 5: {count, current, hz[32]}; ROCm 6: {bool has_deep_sleep (+3 bytes padding), count, current, hz[33]}.
  const std::size_t count_at = rocm5 ? 0 : 4, current_at = rocm5 ? 4 : 8, array_at = rocm5 ? 8 : 16;
  if (!rocm5) out[0] = 1;  // has_deep_sleep
  std::memcpy(out + count_at, &count, sizeof(count));
  std::memcpy(out + current_at, &current, sizeof(current));
  std::memcpy(out + array_at, levels_hz.data(), levels_hz.size() * sizeof(std::uint64_t));
  return 0;
}
