// Compiled with -mamx-tile -mamx-bf16 (bench/CMakeLists.txt); called only when the CPU lists
// amx_bf16 (fma_throughput.cpp), after amx_bf16_permitted().
#include <immintrin.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdint>

#include "peak/fma_kernels.hpp"

namespace accelbench {
namespace {

// ldtilecfg's 64-byte operand: palette 1, all eight tiles 16 rows x 64 bytes. A constant in
// memory: GCC 12 drops stores into a local that only ldtilecfg reads.
struct tile_config {
  std::uint8_t palette = 1;
  std::uint8_t start_row = 0;
  std::uint8_t reserved[14] = {};
  std::uint16_t bytes_per_row[16] = {64, 64, 64, 64, 64, 64, 64, 64};
  std::uint8_t rows[16] = {16, 16, 16, 16, 16, 16, 16, 16};
};
alignas(64) constexpr tile_config configuration{};

}  // namespace

bool amx_bf16_permitted() {
  // Linux grants the tile state to a process only on request (ARCH_REQ_XCOMP_PERM, 5.16+).
  static const bool granted = syscall(SYS_arch_prctl, 0x1023 /* ARCH_REQ_XCOMP_PERM */, 18 /* XTILEDATA */) == 0;
  return granted;
}

double amx_bf16_dot(std::int64_t iterations) {
  alignas(64) static const std::uint16_t operand[16 * 32] = {0x3f80};  // bf16 1.0, then zeros
  alignas(64) float result[16 * 16];
  _tile_loadconfig(&configuration);
  _tile_zero(0);
  _tile_zero(1);
  _tile_zero(2);
  _tile_zero(3);
  _tile_loadd(4, operand, 64);
  _tile_loadd(5, operand, 64);
  _tile_loadd(6, operand, 64);
  _tile_loadd(7, operand, 64);
  // Four independent accumulators, operands already in tiles: bound by the tile unit alone.
  for (std::int64_t it = 0; it < iterations; ++it) {
    _tile_dpbf16ps(0, 4, 6);
    _tile_dpbf16ps(1, 4, 7);
    _tile_dpbf16ps(2, 5, 6);
    _tile_dpbf16ps(3, 5, 7);
  }
  _tile_stored(0, result, 64);
  _tile_release();
  return result[0];
}

}  // namespace accelbench
