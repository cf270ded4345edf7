#include "kernels/cpu/isa_dispatch.hpp"

#include <sys/syscall.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>

#include <fmt/format.h>

namespace accelbench::cpu_kernels {

std::string to_string(isa value) {
  switch (value) {
    case isa::avx2:
      return "avx2";
    case isa::avx512:
      return "avx512";
    case isa::avx512_bf16:
      return "avx512bf16";
    case isa::amx:
      return "amx";
    default:
      return "invalid";
  }
}

isa isa_from_string(const std::string& text) {
  if (text == "avx2") return isa::avx2;
  if (text == "avx512") return isa::avx512;
  if (text == "avx512bf16") return isa::avx512_bf16;
  if (text == "amx") return isa::amx;
  return isa::invalid;
}

// __builtin_cpu_supports (used below) also checks that the OS saves the ymm/zmm state
// (XGETBV), so a "yes" means the instructions can really run.
bool amx_bf16_available(const char** why) {
  static const char* missing = []() -> const char* {
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("avx512f") || !__builtin_cpu_supports("avx512bw") ||
        !__builtin_cpu_supports("avx512bf16"))
      return "the CPU lacks AVX-512 F/BW/BF16";
    // CPUID.(EAX=7,ECX=0):EDX bit 22 = AMX-BF16, bit 24 = AMX-TILE (GCC 12 has no
    // __builtin_cpu_supports name for them).
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    __asm__("cpuid" : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx) : "a"(7), "c"(0));
    if ((edx & (1u << 22)) == 0 || (edx & (1u << 24)) == 0) return "the CPU lacks AMX-BF16";
    // Linux keeps the 8 KiB tile state off until a process asks (ARCH_REQ_XCOMP_PERM for
    // XFEATURE_XTILEDATA, kernel 5.16+).
    constexpr long arch_req_xcomp_perm = 0x1023, xfeature_xtiledata = 18;
    if (syscall(SYS_arch_prctl, arch_req_xcomp_perm, xfeature_xtiledata) != 0)
      return "the kernel did not grant the AMX tile state (arch_prctl ARCH_REQ_XCOMP_PERM)";
    return nullptr;
  }();
  if (why != nullptr) *why = missing;
  return missing == nullptr;
}

const isa_kernels& amx_table() {
  static const isa_kernels table = [] {
    isa_kernels t = avx512_kernels();
    t.id = isa::amx;
    t.name = "avx512f+amx-bf16";
    t.amx = &amx_kernels();
    return t;
  }();
  return table;
}

const isa_kernels& avx512_bf16_table() {
  static const isa_kernels table = [] {
    isa_kernels t = avx512_kernels();
    t.id = isa::avx512_bf16;
    t.name = "avx512f+avx512bf16";
    t.bf16_dot = &bf16_dot_table();
    t.bf16_attention = &bf16_attention_table();
    return t;
  }();
  return table;
}

const isa_kernels* kernels_for(isa id) {
  __builtin_cpu_init();
  switch (id) {
    case isa::avx2:
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? &avx2_kernels() : nullptr;
    case isa::avx512:
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma") ? &avx512_kernels() : nullptr;
    case isa::avx512_bf16:
      return avx512_bf16_available() && __builtin_cpu_supports("fma") ? &avx512_bf16_table() : nullptr;
    case isa::amx:
      return amx_bf16_available() ? &amx_table() : nullptr;
    default:
      return nullptr;
  }
}

const isa_kernels* select_kernels() {
  if (const char* forced = std::getenv("ACCELBENCH_NATIVE_ISA"); forced != nullptr && *forced != '\0') {
    const isa id = isa_from_string(forced);
    if (id == isa::invalid)
      throw std::invalid_argument(
          fmt::format("ACCELBENCH_NATIVE_ISA='{}': accepted values are avx2, avx512, avx512bf16, amx", forced));
    const isa_kernels* k = kernels_for(id);
    if (k == nullptr) {
      const char* why = nullptr;
      if (id == isa::amx) amx_bf16_available(&why);
      throw std::invalid_argument(fmt::format("ACCELBENCH_NATIVE_ISA='{}': this CPU cannot run it{}{}", forced,
                                              why != nullptr ? ": " : "", why != nullptr ? why : ""));
    }
    return k;
  }
  if (const isa_kernels* k = kernels_for(isa::amx)) return k;
  if (const isa_kernels* k = kernels_for(isa::avx512_bf16)) return k;
  if (const isa_kernels* k = kernels_for(isa::avx512)) return k;
  return kernels_for(isa::avx2);
}

}  // namespace accelbench::cpu_kernels
