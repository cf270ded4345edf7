#pragma once
// CUDA device discovery: why the backend is unavailable (no driver, no device), and each
// device's facts as the properties_json of its ab_device_info (the result's system block).
#include <cstdint>
#include <optional>
#include <string>

#include "backends/cuda/nvml_telemetry.hpp"

namespace accelbench::cuda {

// The line `accelbench list backends` prints when cudaGetDeviceCount fails or finds nothing.
// `error_name` is empty when the call succeeded with zero devices.
std::string describe_no_device(const std::string& error_name, const std::string& error_text, bool driver_library_found,
                               const std::string& driver_load_error);

struct device_facts {
  std::string name;
  int cc_major = 0, cc_minor = 0;
  int sm_count = 0;
  std::uint64_t memory_bytes = 0, free_memory_bytes = 0;
  std::int64_t l2_bytes = 0;
  std::int64_t sm_clock_max_khz = 0, memory_clock_max_khz = 0;  // CUDA attributes (0 when unreported)
  int memory_bus_width_bits = 0;
  bool ecc_enabled = false;
  std::string uuid;  // NVML form, GPU-...
  std::string pci_bus_id;
  int cuda_driver_version = 0, cuda_runtime_version = 0;  // 13000 = 13.0
  std::string driver_version;                             // NVML, e.g. "580.65.06"
  std::optional<nvml_static_info> nvml;
  std::string nvml_unavailable;  // why `nvml` is empty
};

// A compact JSON object (fits ab_device_info::properties_json) of the facts.
std::string device_properties_json(const device_facts& facts);
// "13.0" from 13000.
std::string cuda_version_text(int version);

// Queries device `index` through the CUDA runtime (this creates a CUDA context: device_probe.hpp
// calls it in a child process). Throws cuda_error.
device_facts query_device(int index);
// Adds NVML's facts (driver version, max clocks, power limit, MIG mode) by the device's UUID.
void add_nvml_facts(device_facts& facts, const nvml_library& nvml);

}  // namespace accelbench::cuda
