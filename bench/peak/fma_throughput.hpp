#pragma once
// Measured FMA throughput per dtype on all threads, with the widest FMA ISA the CPU has
// (dispatched at run time: an ISA's kernel is never called on a CPU without it).
#include <string>
#include <vector>

#include "bench/peak/cpu_identity.hpp"

namespace accelbench {

struct fma_measurement {
  std::string dtype;    // f32 | f64 | bf16 (AMX)
  std::string isa;      // avx2+fma | avx512f | amx-bf16
  int vector_bits = 0;  // 0 for the AMX tiles
  double tflops = 0.0;
  int threads = 0;
  double seconds = 0.0;  // per timed pass
};

// Best of `repeats` passes of ~`seconds` each, per dtype and ISA available. Empty when the CPU
// has none of the ISAs (then only the theoretical peak is given).
std::vector<fma_measurement> measure_fma(const cpu_identity& cpu, int threads, double seconds, int repeats);

}  // namespace accelbench
