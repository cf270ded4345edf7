// Compiled with -mamx-tile -mamx-bf16 (bench/peak/CMakeLists.txt); called only when
// cpu_kernels::amx_bf16_available() (fma_throughput.cpp), which also asked Linux for the tile
// state. The tile configuration is the native kernels' own (all tiles 16 rows x 64 bytes).
#include <immintrin.h>

#include <cstdint>

#include "bench/peak/fma_kernels.hpp"
#include "kernels/cpu/amx_bf16.hpp"

namespace accelbench {

double amx_bf16_dot(std::int64_t iterations) {
  alignas(64) static const std::uint16_t operand[16 * 32] = {0x3f80};  // bf16 1.0, then zeros
  alignas(64) float result[16 * 16];
  const cpu_kernels::amx_bf16_kernels& amx = cpu_kernels::amx_kernels();
  amx.begin();
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
  amx.end();
  return result[0];
}

}  // namespace accelbench
