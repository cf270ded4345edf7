// The simulated MTML: libmtml.so with the calls the musa backend makes. Fixed readings
// (250.5 W board power, 61 C GPU temperature, GPU clock 1750 MHz, memory clock 1200 MHz);
// FAKE_GPU_FAIL=mtmlLibraryInit makes initialization fail, FAKE_GPU_FAIL=mtmlGpuGetClock the GPU
// clock. See fake_gpu.hpp.
#include "tests/fake_gpu/fake_gpu.hpp"

namespace {
int library_tag, device_tag, gpu_tag, memory_tag;  // the opaque objects: their addresses
constexpr int error_invalid_argument = 2;          // any non-zero status
}  // namespace

FAKE_EXPORT int mtmlLibraryInit(void** library) {
  if (fake_gpu::fails("mtmlLibraryInit")) return 1;
  *library = &library_tag;
  return 0;
}

FAKE_EXPORT int mtmlLibraryShutDown(void* library) { return library == &library_tag ? 0 : error_invalid_argument; }

FAKE_EXPORT int mtmlLibraryInitDeviceByIndex(const void* library, unsigned index, void** device) {
  if (library != &library_tag || index != 0) return error_invalid_argument;  // one device
  *device = &device_tag;
  return 0;
}

FAKE_EXPORT int mtmlDeviceGetPowerUsage(const void* device, unsigned* milliwatts) {
  if (device != &device_tag) return error_invalid_argument;
  *milliwatts = 250500;
  return 0;
}

FAKE_EXPORT int mtmlDeviceInitGpu(const void* device, void** gpu) {
  if (device != &device_tag) return error_invalid_argument;
  *gpu = &gpu_tag;
  return 0;
}

FAKE_EXPORT int mtmlGpuGetTemperature(const void* gpu, unsigned* celsius) {
  if (gpu != &gpu_tag) return error_invalid_argument;
  *celsius = 61;
  return 0;
}

FAKE_EXPORT int mtmlGpuGetClock(const void* gpu, unsigned* mhz) {
  if (gpu != &gpu_tag || fake_gpu::fails("mtmlGpuGetClock")) return error_invalid_argument;
  *mhz = 1750;
  return 0;
}

FAKE_EXPORT int mtmlDeviceInitMemory(const void* device, void** memory) {
  if (device != &device_tag) return error_invalid_argument;
  *memory = &memory_tag;
  return 0;
}

FAKE_EXPORT int mtmlMemoryGetClock(const void* memory, unsigned* mhz) {
  if (memory != &memory_tag) return error_invalid_argument;
  *mhz = 1200;
  return 0;
}
