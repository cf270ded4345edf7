#pragma once
// Telemetry of HIP devices through ROCm SMI (librocm_smi64.so, loaded at run time): average
// power and edge temperature. Optional: without it the hip backend runs and its device
// properties say why there is no telemetry. ROCm SMI's device index is taken to be HIP's, which
// holds when HIP_VISIBLE_DEVICES does not reorder or hide devices.
#include <optional>
#include <string>
#include <vector>

#include "backends/common/library_loader.hpp"
#include "backends/gpu_vendor/vendor_telemetry.hpp"

namespace accelbench::gpu_vendor {

class rocm_smi_telemetry final : public vendor_telemetry {
 public:
  // Opens the first of `candidates` and initializes ROCm SMI.
  explicit rocm_smi_telemetry(const std::vector<std::string>& candidates);
  ~rocm_smi_telemetry() override;
  rocm_smi_telemetry(const rocm_smi_telemetry&) = delete;
  rocm_smi_telemetry& operator=(const rocm_smi_telemetry&) = delete;

  const char* source() const override { return "ROCm SMI"; }
  std::optional<ab_telemetry> read(int index) const override;

 private:
  struct api {
    int (*init)(std::uint64_t flags) = nullptr;  // rsmi_init
    int (*shut_down)() = nullptr;                // rsmi_shut_down
    int (*power_average)(std::uint32_t device, std::uint32_t sensor, std::uint64_t* microwatts) = nullptr;
    int (*temperature)(std::uint32_t device, std::uint32_t sensor_type, int metric,
                       std::int64_t* millicelsius) = nullptr;
  };
  loaded_library m_lib;
  api m_api;
};

// librocm_smi64.so under ROCM_PATH, HIP_PATH, DTK_ROOT, the loader path, /opt/dtk, /opt/rocm.
std::vector<std::string> rocm_smi_candidates();

}  // namespace accelbench::gpu_vendor
