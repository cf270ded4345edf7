#pragma once
// ACCELBENCH_CUDA_ATTENTION: which attention path the CUDA backend may use (docs/cuda.md).
//   auto      cuDNN's fused SDPA where it accepts the workload, else the composed path (default)
//   composed  always the composed path, so it can be compared with SDPA on the same GPU
// Validated in init (a typo makes the backend unavailable with this message, so `-b cuda`
// exits 2) and read again at each attention plan's creation.
#include <string>

namespace accelbench::cuda {

inline constexpr const char* attention_path_variable = "ACCELBENCH_CUDA_ATTENTION";

enum class attention_path { automatic, composed };

// Parses the variable's value; null or empty is auto. Throws std::invalid_argument naming the
// variable, the value and the accepted values.
attention_path parse_attention_path(const char* value);
// The current environment's choice (getenv), same errors.
attention_path attention_path_from_environment();

}  // namespace accelbench::cuda
