#include "bench/peak/cpu_identity.hpp"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace accelbench {

bool cpu_identity::has(const std::string& flag) const {
  return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

cpu_identity detect_cpu_identity() {
  cpu_identity cpu;
#if defined(__x86_64__) || defined(__i386__)
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (__get_cpuid(0, &eax, &ebx, &ecx, &edx) != 0) {
    char vendor[13] = {};
    std::memcpy(vendor, &ebx, 4);
    std::memcpy(vendor + 4, &edx, 4);
    std::memcpy(vendor + 8, &ecx, 4);
    cpu.vendor = vendor;
  }
  if (__get_cpuid(1, &eax, &ebx, &ecx, &edx) != 0) {
    const unsigned base_family = (eax >> 8) & 0xf;
    const unsigned base_model = (eax >> 4) & 0xf;
    cpu.family = static_cast<int>(base_family == 0xf ? base_family + ((eax >> 20) & 0xff) : base_family);
    cpu.model = static_cast<int>((base_family == 0x6 || base_family == 0xf) ? (((eax >> 16) & 0xf) << 4) | base_model
                                                                            : base_model);
  }
#endif
  // The kernel's flag list also reflects what the OS enabled (XSAVE state for AVX-512/AMX).
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("flags", 0) != 0 && line.rfind("Features", 0) != 0) continue;
    std::istringstream words(line.substr(line.find(':') + 1));
    std::string flag;
    while (words >> flag) cpu.flags.push_back(flag);
    break;
  }
  return cpu;
}

fma_units lookup_fma_units(const cpu_identity& cpu) {
  const bool avx512 = cpu.has("avx512f");
  const int f = cpu.family, m = cpu.model;
  if (cpu.vendor == "AuthenticAMD" || cpu.vendor == "HygonGenuine") {
    if (f == 0x17 && m < 0x30) {
      return {1, 0, "AMD Zen/Zen+ (family 0x17, model < 0x30)",
              "two 128-bit FMA pipes: one 256-bit FMA per cycle per core"};
    }
    if (f == 0x18)
      return {1, 0, "Hygon Dhyana (family 0x18, Zen-derived)", "as Zen: one 256-bit FMA per cycle per core"};
    if (f == 0x17) return {2, 0, "AMD Zen 2 (family 0x17, model >= 0x30)", "two 256-bit FMA pipes per core"};
    if (f == 0x19) {
      const bool zen4 = (m >= 0x10 && m <= 0x1f) || (m >= 0x60 && m <= 0x7f) || (m >= 0xa0 && m <= 0xaf);
      if (zen4) {
        return {2, avx512 ? 1 : 0, "AMD Zen 4 (family 0x19)",
                "two 256-bit FMA pipes per core; AVX-512 executes as two 256-bit halves (one 512-bit FMA per cycle)"};
      }
      return {2, 0, "AMD Zen 3 (family 0x19)", "two 256-bit FMA pipes per core (FP0/FP1)"};
    }
    if (f == 0x1a) {
      return {
          2, avx512 ? 2 : 0, "AMD Zen 5 (family 0x1a)",
          "two 512-bit FMA pipes per core (full-width datapath; mobile parts have 256-bit: then this overstates 2x)"};
    }
    return {2, avx512 ? 1 : 0, fmt::format("AMD family {:#x} model {:#x} (not in the table)", f, m),
            "unknown microarchitecture: assumed two 256-bit FMA pipes per core"};
  }
  if (cpu.vendor == "GenuineIntel") {
    if (avx512) {
      return {2, 2, fmt::format("Intel family {} model {:#x} with AVX-512", f, m),
              "two 512-bit FMA units per core (Xeon Gold 6xxx/Platinum, Sapphire Rapids); some SKUs (Xeon "
              "Bronze/Silver, some Gold 5xxx, client Ice/Tiger Lake) have one: then this overstates 2x"};
    }
    return {2, 0, fmt::format("Intel family {} model {:#x} (Haswell or later, no AVX-512)", f, m),
            "two 256-bit FMA units per core (Haswell and later)"};
  }
  return {0, 0, cpu.vendor.empty() ? "non-x86 CPU" : cpu.vendor, "no table entry: FMA pipes unknown"};
}

}  // namespace accelbench
