#pragma once
// A vendor's telemetry library, read per batch of samples (ab_read_telemetry_v1): ROCm SMI for
// HIP (rocm_smi_telemetry.hpp), MTML for MUSA (mtml_telemetry.hpp). Optional: without it the
// backend runs and its device properties say why there is no telemetry.
#include <optional>
#include <string>

#include "accelbench_backend.h"

namespace accelbench::gpu_vendor {

class vendor_telemetry {
 public:
  virtual ~vendor_telemetry() = default;
  virtual const char* source() const = 0;  // "ROCm SMI", "MTML": for the device's properties
  bool available() const { return m_reason.empty(); }
  const std::string& reason() const { return m_reason; }
  // One reading of device `index`; nullopt when the library reports nothing for it.
  virtual std::optional<ab_telemetry> read(int index) const = 0;

 protected:
  std::string m_reason;  // why not available ("" when it is)
};

}  // namespace accelbench::gpu_vendor
