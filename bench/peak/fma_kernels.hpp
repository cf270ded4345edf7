#pragma once
// FMA throughput kernels: many independent accumulator chains (more than FMA latency x pipes),
// so the loop is bound by FMA issue, not latency. Each file is compiled with its ISA's -m flags
// and must only be called when the CPU has that ISA (fma_throughput.cpp checks the flags).
// Each returns a checksum so the work cannot be optimized away.
#include <cstdint>

namespace accelbench {

inline constexpr std::int64_t fma_avx2_chains = 12;    // 16 ymm registers
inline constexpr std::int64_t fma_avx512_chains = 24;  // 32 zmm registers

double fma_avx2_f32(std::int64_t iterations);  // flops = iterations * chains * 8 lanes * 2
double fma_avx2_f64(std::int64_t iterations);  // flops = iterations * chains * 4 lanes * 2
double fma_avx512_f32(std::int64_t iterations);  // iterations * chains * 16 * 2
double fma_avx512_f64(std::int64_t iterations);  // iterations * chains * 8 * 2

}  // namespace accelbench
