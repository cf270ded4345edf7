#pragma once
// nvbench-style axis sweeps inside a workload string:
//   m=[1024:8192:1024]  inclusive range with a step
//   m=[256:4096:*2]     geometric range
//   dt=[f32,bf16]       list
// Expansion is purely textual (cartesian product, leftmost axis slowest), so every
// workload kind gets sweeps for free.
#include <string>
#include <string_view>
#include <vector>

namespace accelbench {

inline constexpr std::size_t max_sweep_cases = 100000;

std::vector<std::string> expand_sweep(std::string_view text);

}  // namespace accelbench
