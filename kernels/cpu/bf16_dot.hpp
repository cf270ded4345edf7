#pragma once
// AVX512-BF16 microkernel (isa_avx512_bf16.cpp, the only file compiled with -mavx512bf16 for
// it): the bf16 GEMM on CPUs that have vdpbf16ps but no AMX (Zen 4, Cooper Lake). vdpbf16ps
// multiplies pairs of bf16 and adds both products to one f32 lane, so both operands are
// packed pair-interleaved along k:
//   A panel of mr rows: A(i, kk) = a[(kk / 2) * 2 * mr + i * 2 + kk % 2],
//   B panel of nr columns: B(kk, j) = b[(kk / 2) * 2 * nr + j * 2 + kk % 2],
// k padded to even with zeros. C is f32 rows.
#include <cstdint>

namespace accelbench::cpu_kernels {

struct bf16_dot_kernels {
  static constexpr int mr = 12;  // rows of C per call: 24 accumulators, as the f32 tile
  static constexpr int nr = 32;  // columns of C per call: two vectors of 16 f32

  // C(mr x nr) = (accumulate ? C : 0) + A * B over k_pairs pairs of k; C has row stride ldc.
  void (*tile)(std::int64_t k_pairs, const std::uint16_t* a, const std::uint16_t* b, float* c, std::int64_t ldc,
               bool accumulate) = nullptr;
};

// Whether this CPU (and OS) runs AVX-512 F/BW and AVX512-BF16.
bool avx512_bf16_available();
// The kernels; call only when avx512_bf16_available().
const bf16_dot_kernels& bf16_dot_table();

}  // namespace accelbench::cpu_kernels
