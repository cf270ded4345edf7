#pragma once
// What verification found for one case, as the result record keeps it. The checks themselves
// are the engine's (bench/engine/verification.hpp); the record only holds their outcome.
#include <cstdint>
#include <string>

namespace accelbench {

struct verification_result {
  bool passed = false;
  bool mistrusted = false;       // passed the tolerance, but the output looks degenerate
  std::string method;            // "full", "freivalds+sampled", "sampled-rows"
  double error = 0.0;            // relative Frobenius error (estimated for Freivalds)
  double max_local_error = 0.0;  // worst row or sampled entry, relative to its scale
  double tolerance = 0.0;        // for `error`; local errors allow local_tolerance_factor x this
  std::int64_t non_finite = 0;
  double zero_fraction = 0.0;
  std::string reason;
};

// A row or sampled entry may be off by this factor times `tolerance` (errors concentrate locally).
inline constexpr double local_tolerance_factor = 8.0;

}  // namespace accelbench
