#pragma once
// `accelbench peak`: puts the machine's ceilings together (reports/model/ceilings.hpp): theoretical
// CPU peak per dtype from ISA x cores x FMA pipes x clock, measured FMA throughput, STREAM triad
// and read-only bandwidth, and the best GEMM per dtype through the ordinary engine and backends.
#include <functional>
#include <string>
#include <vector>

#include "reports/model/ceilings.hpp"

namespace accelbench {

struct probe_options {
  bool gemm = true;
  std::vector<int> gemm_sizes{1024, 2048};
  std::vector<std::string> gemm_dtypes{"f64", "f32", "bf16", "f16", "s8"};
  std::string backends;  // comma-separated; empty = every available backend but reference
  int repeats = 5;       // best of N for FMA and memory bandwidth
  double fma_seconds = 0.15;
  std::function<void(const std::string&)> progress;  // one line per phase
};

machine_ceilings probe_machine(const probe_options& options);

}  // namespace accelbench
