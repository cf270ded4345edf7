#pragma once
// Whether a case fits a device's free memory, answered in the same words by every device
// backend's supports (cuda, hip/musa, ascend).
#include <cstdint>
#include <string>

#include <fmt/format.h>

namespace accelbench {

// "" when `needed` bytes fit in the `free_bytes` the device reported, else why not, naming it.
inline std::string device_memory_shortfall(std::uint64_t needed, std::uint64_t free_bytes, const std::string& device) {
  if (needed <= free_bytes) return {};
  return fmt::format("needs {:.2f} GiB of device memory, {:.2f} GiB free on {}", needed / 1073741824.0,
                     free_bytes / 1073741824.0, device);
}

}  // namespace accelbench
