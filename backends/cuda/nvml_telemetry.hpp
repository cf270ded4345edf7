#pragma once
// NVML telemetry loaded with dlopen at run time: no build dependency on the driver, and a
// clean "unavailable: <reason>" where there is no driver (CI machines, containers without
// the NVIDIA runtime). Readings are best effort: a field the device does not report is absent.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "accelbench_backend.h"

namespace accelbench::cuda {

struct nvml_sample {
  std::optional<unsigned> sm_clock_mhz, memory_clock_mhz;
  std::optional<double> power_w;
  std::optional<unsigned> temperature_c;
  std::optional<std::uint64_t> clock_event_reasons;  // NVML clocks-event reason bits
};

struct nvml_static_info {
  std::optional<unsigned> max_sm_clock_mhz, max_memory_clock_mhz;
  std::optional<double> power_limit_w;
  std::optional<bool> mig_enabled;
};

// True when the reasons mean clocks were lowered by power or thermal limits (idle, application
// clock settings and sync boost are not throttling).
bool is_throttled(std::uint64_t clock_event_reasons);
// "sw_power_cap,hw_thermal_slowdown" (empty for none); unknown bits as hex.
std::string describe_clock_event_reasons(std::uint64_t clock_event_reasons);
// The harness's form of a reading (ab_read_telemetry_v1): reported bits for the fields NVML gave,
// throttled by is_throttled, reasons by describe_clock_event_reasons.
ab_telemetry to_abi_telemetry(const nvml_sample& s);
// NVML's UUID text ("GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx") for a CUDA device UUID.
std::string format_gpu_uuid(const unsigned char (&bytes)[16]);
// The UUID texts NVML may know a CUDA device by, in order: a whole GPU is "GPU-...", a MIG
// instance "MIG-..." with the same digits.
std::vector<std::string> nvml_uuid_candidates(const std::string& uuid);

class nvml_library {
 public:
  // Loads `soname` and calls nvmlInit; on failure `available()` is false and `reason()` says why.
  explicit nvml_library(const char* soname = "libnvidia-ml.so.1");
  ~nvml_library();
  nvml_library(const nvml_library&) = delete;
  nvml_library& operator=(const nvml_library&) = delete;

  bool available() const { return m_available; }
  const std::string& reason() const { return m_reason; }
  std::string driver_version() const;  // empty when unknown

  // By NVML UUID text; nullopt (with the reason in `error`) when NVML does not know it.
  std::optional<nvml_static_info> static_info(const std::string& uuid, std::string& error) const;
  std::optional<nvml_sample> sample(const std::string& uuid, std::string& error) const;

 private:
  struct api;
  // The handle for readings: the GPU itself, or for a MIG instance its physical GPU (clocks,
  // power and temperature belong to the GPU). False with `error` when NVML knows neither UUID.
  bool find_device(const std::string& uuid, void*& device, std::string& error) const;

  void* m_handle = nullptr;
  std::unique_ptr<api> m_api;
  bool m_available = false;
  std::string m_reason;
};

}  // namespace accelbench::cuda
