#pragma once
// Telemetry of HIP devices through ROCm SMI (librocm_smi64.so, loaded at run time): average
// power, edge temperature, and the current system (GFX) and memory clocks. Optional: without it the hip backend runs
// and its device properties say why there is no telemetry. ROCm SMI's device index is taken to be HIP's, which holds
// when HIP_VISIBLE_DEVICES does not reorder or hide devices.
#include <cstddef>
#include <cstdint>
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
    // rsmi_dev_gpu_clk_freq_get (optional): writes an rsmi_frequencies_t (clock_level_mhz).
    int (*clock)(std::uint32_t device, int clock_type, void* frequencies) = nullptr;
  };
  loaded_library m_lib;
  api m_api;
};

// The current level of an rsmi_frequencies_t, in MHz, whichever of its two layouts the library
// wrote: ROCm 5 (Debian's 5.2) {uint32 num_supported, uint32 current, uint64 frequency[32]}
// (Hz), ROCm 6 and Hygon's {bool has_deep_sleep, uint32 num_supported, uint32 current, uint64
// frequency[33]}. The layout whose count, index and frequency are consistent is taken (a
// frequency in Hz can never pass for an index); nullopt when neither is. `bytes` holds at least
// rsmi_frequencies_bytes.
inline constexpr std::size_t rsmi_frequencies_bytes = 16 + 33 * 8;
std::optional<double> clock_level_mhz(const unsigned char* bytes);

// librocm_smi64.so under ROCM_PATH, HIP_PATH, DTK_ROOT, the loader path, /opt/dtk, /opt/rocm.
std::vector<std::string> rocm_smi_candidates();

}  // namespace accelbench::gpu_vendor
