// The simulated ROCm SMI: librocm_smi64.so with the four calls the hip backend makes. Fixed
// readings (123.4 W average power, 45.5 C edge temperature); FAKE_GPU_FAIL=rsmi_init makes
// initialization fail. See fake_gpu.hpp.
#include <cstdint>

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
