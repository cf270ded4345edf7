#pragma once
// Telemetry of MUSA devices through MTML, Moore Threads' management library (libmtml.so, loaded
// at run time): board power, GPU temperature, and the GPU and memory clocks where the library
// has them. MTML's device index is taken to be MUSA's, which holds when MUSA_VISIBLE_DEVICES
// does not reorder or hide devices. Signatures from the MTML API documentation (mtml.h:
// mtmlLibraryInit, mtmlLibraryInitDeviceByIndex, mtmlDeviceGetPowerUsage in mW,
// mtmlDeviceInitGpu, mtmlGpuGetTemperature in degrees C, mtmlGpuGetClock and, after
// mtmlDeviceInitMemory, mtmlMemoryGetClock in MHz, MTML_SUCCESS 0; the clock calls' shapes as
// Moore Threads' mthreads-ml-py binds them); device, GPU and memory objects belong to the
// library until mtmlLibraryShutDown.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "backends/common/library_loader.hpp"
#include "backends/gpu_vendor/vendor_telemetry.hpp"

namespace accelbench::gpu_vendor {

class mtml_telemetry final : public vendor_telemetry {
 public:
  // Opens the first of `candidates` and initializes MTML.
  explicit mtml_telemetry(const std::vector<std::string>& candidates);
  ~mtml_telemetry() override;
  mtml_telemetry(const mtml_telemetry&) = delete;
  mtml_telemetry& operator=(const mtml_telemetry&) = delete;

  const char* source() const override { return "MTML"; }
  std::optional<ab_telemetry> read(int index) const override;

 private:
  struct api {
    int (*library_init)(void** library) = nullptr;                                     // mtmlLibraryInit
    int (*library_shut_down)(void* library) = nullptr;                                 // mtmlLibraryShutDown
    int (*init_device)(const void* library, unsigned index, void** device) = nullptr;  // ...InitDeviceByIndex
    int (*power)(const void* device, unsigned* milliwatts) = nullptr;                  // mtmlDeviceGetPowerUsage
    int (*init_gpu)(const void* device, void** gpu) = nullptr;                         // mtmlDeviceInitGpu
    int (*temperature)(const void* gpu, unsigned* celsius) = nullptr;                  // mtmlGpuGetTemperature
    // Optional: the clocks are read where the library has them.
    int (*gpu_clock)(const void* gpu, unsigned* mhz) = nullptr;        // mtmlGpuGetClock
    int (*init_memory)(const void* device, void** memory) = nullptr;   // mtmlDeviceInitMemory
    int (*memory_clock)(const void* memory, unsigned* mhz) = nullptr;  // mtmlMemoryGetClock
  };
  struct device_handles {
    void* device = nullptr;
    void* gpu = nullptr;
    void* memory = nullptr;
  };
  const device_handles* handles(unsigned index) const;

  loaded_library m_lib;
  api m_api;
  void* m_library = nullptr;
  mutable std::map<unsigned, device_handles> m_devices;  // opened on first read
};

// libmtml.so under MUSA_PATH, MUSA_HOME, the loader path, /usr/local/musa.
std::vector<std::string> mtml_candidates();

}  // namespace accelbench::gpu_vendor
