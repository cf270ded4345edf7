#pragma once
// Checks a backend's output against fp64 math on the same rounded inputs (methodology §5).
// GEMM: full reference for small problems; otherwise Freivalds' check (C x vs A (B x), several
// random x, O(n^2)) with a per-row test, plus exactly recomputed sampled entries.
// Attention: exact fp64 recomputation of sampled query rows.
#include <cstdint>
#include <string>
#include <vector>

#include "accelbench/host_tensor.hpp"
#include "accelbench/workload.hpp"

namespace accelbench {

struct verification_result {
  bool passed = false;
  bool mistrusted = false;      // passed the tolerance, but the output looks degenerate
  std::string method;           // "full", "freivalds+sampled", "sampled-rows"
  double error = 0.0;           // relative Frobenius error (estimated for Freivalds)
  double max_local_error = 0.0; // worst row or sampled entry, relative to its scale
  double tolerance = 0.0;       // for `error`; local errors allow local_tolerance_factor x this
  std::int64_t non_finite = 0;
  double zero_fraction = 0.0;
  std::string reason;
};

inline constexpr double local_tolerance_factor = 8.0;

// Relative-Frobenius tolerance for a dtype spec and reduction length (methodology §5.2).
double verification_tolerance(const dtype_spec& dt, std::int64_t reduction_length);

verification_result verify_gemm(const gemm_workload& w, const host_tensor& a, const host_tensor& b,
                                const host_tensor& c, std::uint64_t seed);
verification_result verify_attention(const attention_workload& w, const host_tensor& q, const host_tensor& k,
                                     const host_tensor& v, const host_tensor& o, std::uint64_t seed);

}  // namespace accelbench
