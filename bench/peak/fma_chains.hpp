#pragma once
// The FMA throughput loop shared by every ISA's kernel: `Chains` independent accumulators,
// x = x * a + b with |a| < 1 (converges to b / (1 - a): no overflow, no denormals), unrolled so
// every chain stays in its own register. Included only by files compiled for the ISA of `Vec`,
// which provides reg, set1(double), fmadd(x, a, b), add(x, y) and sum(x).
#include <cstdint>

namespace accelbench {

template <class Vec, int Chains>
double fma_chains(std::int64_t iterations) {
  typename Vec::reg acc[Chains];
  for (int i = 0; i < Chains; ++i) acc[i] = Vec::set1(1.0 + 0.01 * i);
  const typename Vec::reg a = Vec::set1(0.999), b = Vec::set1(0.001);
  for (std::int64_t it = 0; it < iterations; ++it) {
#pragma GCC unroll 32  // every chain in its own register, none through memory
    for (int i = 0; i < Chains; ++i) acc[i] = Vec::fmadd(acc[i], a, b);
  }
  typename Vec::reg total = acc[0];
  for (int i = 1; i < Chains; ++i) total = Vec::add(total, acc[i]);
  return Vec::sum(total);  // a checksum, so the work cannot be optimized away
}

}  // namespace accelbench
