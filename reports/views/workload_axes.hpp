#pragma once
// A workload's sweep axes as (name, value) pairs, every key spelt out (defaults too) so rows of
// one kind line up: gemm m, n, k, ta, tb, batch; attn b, hq, hkv, sq, skv, d, causal. The dtype
// is left out (reports give it its own column). nvbench-style tables print these as columns.
#include <string>
#include <utility>
#include <vector>

namespace accelbench {

using workload_axis = std::pair<std::string, std::string>;

// Empty when the text is not a workload this build parses (a newer file): callers fall back to
// the workload text.
std::vector<workload_axis> workload_axes(const std::string& workload_text);

}  // namespace accelbench
