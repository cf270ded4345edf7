#pragma once
// Issue rate of the two multiply-add instructions the f32 and vdpbf16ps GEMM kernels are built
// on, measured on the calling thread (instruction_rate.cpp, the only file of this tool compiled
// with AVX-512 flags; call only where cpu_kernels::avx512_bf16_available()).
#include <string>

namespace accelbench::native_extras {

// One JSON line: vfmadd231ps zmm and vdpbf16ps zmm instructions per ns of thread CPU time, each
// on 24 independent accumulators (throughput, not latency), `rounds` interleaved rounds,
// medians and their ratio.
std::string instruction_rates(int rounds);

}  // namespace accelbench::native_extras
