#pragma once
// FMA throughput kernels: many independent accumulator chains (more than FMA latency x pipes),
// so the loop is bound by FMA issue, not latency. Each file is compiled with its ISA's -m flags
// and must only be called when the CPU has that ISA (fma_throughput.cpp checks the flags).
// Each returns a checksum so the work cannot be optimized away (the loop: fma_chains.hpp).
#include <cstdint>

namespace accelbench {

inline constexpr std::int64_t fma_avx2_chains = 12;    // 16 ymm registers
inline constexpr std::int64_t fma_avx512_chains = 24;  // 32 zmm registers

double fma_avx2_f32(std::int64_t iterations);    // flops = iterations * chains * 8 lanes * 2
double fma_avx2_f64(std::int64_t iterations);    // flops = iterations * chains * 4 lanes * 2
double fma_avx512_f32(std::int64_t iterations);  // iterations * chains * 16 * 2
double fma_avx512_f64(std::int64_t iterations);  // iterations * chains * 8 * 2

// AMX-BF16 (amx_bf16.cpp): `iterations` x 4 tdpbf16ps of 16 x 16 x 32 multiply-adds
// (flops = iterations * 4 * 16384). Only when cpu_kernels::amx_bf16_available().
double amx_bf16_dot(std::int64_t iterations);
inline constexpr std::int64_t amx_bf16_flops_per_iteration = 4 * 16 * 16 * 32 * 2;

}  // namespace accelbench
