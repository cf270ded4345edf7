#include "cpu/isa_dispatch.hpp"

#include <cstdlib>

namespace accelbench::cpu_kernels {

std::string to_string(isa value) {
  switch (value) {
    case isa::avx2: return "avx2";
    case isa::avx512: return "avx512";
    default: return "invalid";
  }
}

isa isa_from_string(const std::string& text) {
  if (text == "avx2") return isa::avx2;
  if (text == "avx512") return isa::avx512;
  return isa::invalid;
}

// __builtin_cpu_supports also checks that the OS saves the ymm/zmm state (XGETBV), so a
// "yes" here means the instructions can really run.
bool cpu_has_avx512_bf16() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bf16");
}

const isa_kernels* kernels_for(isa id) {
  __builtin_cpu_init();
  switch (id) {
    case isa::avx2:
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? &avx2_kernels() : nullptr;
    case isa::avx512:
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma") ? &avx512_kernels() : nullptr;
    default: return nullptr;
  }
}

const isa_kernels* select_kernels() {
  if (const char* forced = std::getenv("ACCELBENCH_NATIVE_ISA")) {
    if (const isa_kernels* k = kernels_for(isa_from_string(forced))) return k;
  }
  if (const isa_kernels* k = kernels_for(isa::avx512)) return k;
  return kernels_for(isa::avx2);
}

}  // namespace accelbench::cpu_kernels
