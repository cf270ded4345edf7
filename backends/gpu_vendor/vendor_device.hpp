#pragma once
// A device's identity as the vendor runtime reports it, for the record and the spec database:
// name, architecture (gcnArchName such as "gfx928" on HIP, "mp_22" style from the compute
// capability on MUSA), compute units, clock and memory.
#include <cstdint>
#include <string>

#include "backends/gpu_vendor/vendor_library.hpp"

namespace accelbench::gpu_vendor {

struct device_identity {
  std::string name, architecture;
  int compute_units = 0;
  int clock_mhz = 0;  // 0 when not reported
  std::uint64_t free_bytes = 0, total_bytes = 0;
};

// Reads device `index` (made current first); "" in `error` or why not.
device_identity read_device_identity(const vendor_library& lib, int index, std::string& error);

// The architecture string that starts with `prefix` ("gfx") inside a device-properties struct of
// `bytes` bytes, or "". Scanning, not an offset, because the struct's layout moves between
// runtime versions (HIP 5's gcnArchName is at byte 396; HIP 6 has a longer R0600 layout).
std::string find_architecture(const unsigned char* properties, std::size_t bytes, const std::string& prefix);

}  // namespace accelbench::gpu_vendor
