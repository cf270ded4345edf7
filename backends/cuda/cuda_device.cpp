#include "backends/cuda/cuda_device.hpp"

#include <cuda_runtime_api.h>

#include <array>
#include <cstring>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "backends/cuda/cuda_check.hpp"

namespace accelbench::cuda {

std::string describe_no_device(const std::string& error_name, const std::string& error_text, bool driver_library_found,
                               const std::string& driver_load_error) {
  if (!driver_library_found) {
    return fmt::format("cudaGetDeviceCount: NVIDIA driver not found ({}); no CUDA-capable device", driver_load_error);
  }
  if (error_name.empty()) return "cudaGetDeviceCount: no CUDA-capable device";
  return fmt::format("cudaGetDeviceCount: {}: {}", error_name, error_text);
}

std::string cuda_version_text(int version) { return fmt::format("{}.{}", version / 1000, (version % 1000) / 10); }

std::string device_properties_json(const device_facts& f) {
  nlohmann::ordered_json j;
  j["compute_capability"] = fmt::format("{}.{}", f.cc_major, f.cc_minor);
  j["sm_count"] = f.sm_count;
  j["memory_bytes"] = f.memory_bytes;
  j["l2_cache_bytes"] = f.l2_bytes;
  if (f.sm_clock_max_khz > 0) j["sm_clock_max_mhz"] = f.sm_clock_max_khz / 1000;
  if (f.memory_clock_max_khz > 0) j["memory_clock_max_mhz"] = f.memory_clock_max_khz / 1000;
  if (f.memory_bus_width_bits > 0) j["memory_bus_width_bits"] = f.memory_bus_width_bits;
  j["ecc_enabled"] = f.ecc_enabled;
  j["uuid"] = f.uuid;
  j["pci_bus_id"] = f.pci_bus_id;
  j["cuda_driver_api"] = cuda_version_text(f.cuda_driver_version);
  j["cuda_runtime"] = cuda_version_text(f.cuda_runtime_version);
  if (!f.driver_version.empty()) j["driver_version"] = f.driver_version;
  if (f.nvml) {
    if (f.nvml->max_sm_clock_mhz) j["nvml_sm_clock_max_mhz"] = *f.nvml->max_sm_clock_mhz;
    if (f.nvml->max_memory_clock_mhz) j["nvml_memory_clock_max_mhz"] = *f.nvml->max_memory_clock_mhz;
    if (f.nvml->power_limit_w) j["power_limit_w"] = *f.nvml->power_limit_w;
    j["mig"] = f.nvml->mig_enabled ? (*f.nvml->mig_enabled ? "enabled" : "disabled") : "unknown";
  } else {
    j["mig"] = "unknown";
    j["nvml"] = f.nvml_unavailable.substr(0, 300);
  }
  return j.dump();
}

device_facts query_device(int index) {
  device_facts f;
  cudaDeviceProp prop{};
  ACCELBENCH_CHECK_CUDA(cudaGetDeviceProperties(&prop, index));
  f.name = prop.name;
  f.cc_major = prop.major;
  f.cc_minor = prop.minor;
  f.sm_count = prop.multiProcessorCount;
  f.memory_bytes = prop.totalGlobalMem;
  f.l2_bytes = prop.l2CacheSize;
  f.ecc_enabled = prop.ECCEnabled != 0;
  int value = 0;
  // Clock rates left cudaDeviceProp in CUDA 13; the attributes remain (0 where unreported).
  if (cudaDeviceGetAttribute(&value, cudaDevAttrClockRate, index) == cudaSuccess) f.sm_clock_max_khz = value;
  if (cudaDeviceGetAttribute(&value, cudaDevAttrMemoryClockRate, index) == cudaSuccess) f.memory_clock_max_khz = value;
  if (cudaDeviceGetAttribute(&value, cudaDevAttrGlobalMemoryBusWidth, index) == cudaSuccess) {
    f.memory_bus_width_bits = value;
  }
  cudaGetLastError();  // an unreported attribute is not an error worth keeping
  unsigned char uuid[16];
  std::memcpy(uuid, prop.uuid.bytes, sizeof(uuid));
  f.uuid = format_gpu_uuid(uuid);
  std::array<char, 64> bus{};
  if (cudaDeviceGetPCIBusId(bus.data(), static_cast<int>(bus.size()), index) == cudaSuccess) f.pci_bus_id = bus.data();
  ACCELBENCH_CHECK_CUDA(cudaDriverGetVersion(&f.cuda_driver_version));
  ACCELBENCH_CHECK_CUDA(cudaRuntimeGetVersion(&f.cuda_runtime_version));
  int previous = 0;
  ACCELBENCH_CHECK_CUDA(cudaGetDevice(&previous));
  ACCELBENCH_CHECK_CUDA(cudaSetDevice(index));
  std::size_t free_bytes = 0, total_bytes = 0;
  ACCELBENCH_CHECK_CUDA(cudaMemGetInfo(&free_bytes, &total_bytes));
  ACCELBENCH_CHECK_CUDA(cudaSetDevice(previous));
  f.free_memory_bytes = free_bytes;
  return f;
}

void add_nvml_facts(device_facts& f, const nvml_library& nvml) {
  f.driver_version = nvml.driver_version();
  std::string error;
  f.nvml = nvml.static_info(f.uuid, error);
  if (!f.nvml) f.nvml_unavailable = error;
}

}  // namespace accelbench::cuda
