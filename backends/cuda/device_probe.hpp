#pragma once
// CUDA device discovery in a short-lived child process. CUDA cannot be used in a child forked
// after its parent initialized it, and `accelbench run --isolate` forks a child per case after
// every backend's init: so init asks a probe child for the device facts, and this process makes
// no CUDA call before its first plan (docs/cuda.md). NVML is not CUDA: its facts are added here.
#include <functional>
#include <string>
#include <vector>

#include "backends/cuda/cuda_device.hpp"

namespace accelbench::cuda {

struct device_probe {
  std::string error;                  // why no device is usable (what list backends prints); empty if fine
  std::vector<device_facts> devices;  // CUDA facts only: NVML's are added by the caller
  int cuda_runtime_version = 0, cuda_driver_version = 0;
};

// The probe as text (what the child sends back) and read back.
std::string probe_to_json(const device_probe& probe);
device_probe probe_from_json(const std::string& text);

// Runs `work` in a forked child and returns the text it returned. Throws std::runtime_error
// when the child crashes, throws or exits without a result.
std::string output_of_child(const std::function<std::string()>& work);

// The driver, cudaGetDeviceCount and query_device for each device, in this process.
device_probe probe_devices_here();
// probe_devices_here() in a child process: this process's CUDA stays uninitialized.
device_probe probe_devices();

}  // namespace accelbench::cuda
