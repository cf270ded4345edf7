#pragma once
// Who this CPU is (cpuid vendor, family, model; /proc/cpuinfo flags) and how many FMA
// instructions per cycle each core retires. The FMA pipe count is not in CPUID, so it comes from
// a small table keyed on vendor/family/model; every row states its assumption, and `peak`
// cross-checks it against the measured FMA throughput.
#include <optional>
#include <string>
#include <vector>

namespace accelbench {

struct cpu_identity {
  std::string vendor;  // GenuineIntel, AuthenticAMD, HygonGenuine, ... ("" off x86)
  int family = 0, model = 0;
  std::vector<std::string> flags;  // every /proc/cpuinfo flag
  bool has(const std::string& flag) const;
};

cpu_identity detect_cpu_identity();

// FMA instructions per cycle per core at 256-bit and 512-bit width (0 = that width is not
// executed natively), with the table row that gave them.
struct fma_units {
  int per_cycle_256 = 0;
  int per_cycle_512 = 0;
  std::string microarchitecture;
  std::string assumption;
};

fma_units lookup_fma_units(const cpu_identity& cpu);

}  // namespace accelbench
