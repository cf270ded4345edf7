#pragma once
// Data cache sizes of one core, from hwloc (the tile sizes of the native kernels derive from
// them). Falls back to 32 KiB / 512 KiB / 16 MiB when the topology has no cache objects.
#include <cstdint>
#include <string>

namespace accelbench::cpu_kernels {

struct cache_sizes {
  std::int64_t l1d = 32 << 10;
  std::int64_t l2 = 512 << 10;
  std::int64_t l3 = 16 << 20;  // the whole shared L3
  bool from_hwloc = false;
  std::string to_string() const;  // "L1d 32 KiB, L2 512 KiB, L3 32 MiB (hwloc)"
};

// Read once per process.
const cache_sizes& host_cache_sizes();

}  // namespace accelbench::cpu_kernels
