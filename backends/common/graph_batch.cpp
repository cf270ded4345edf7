#include "backends/common/graph_batch.hpp"

#include <algorithm>
#include <cmath>

namespace accelbench {

std::uint32_t graph_batch_calls(double launch_s, const graph_batch_policy& policy) {
  if (!std::isfinite(launch_s) || launch_s < 0.0 || launch_s >= policy.threshold_s) return 1;
  const double max_calls = std::max<double>(policy.max_calls, 2.0);
  const double calls = launch_s > 0.0 ? std::round(policy.target_s / launch_s) : max_calls;
  return static_cast<std::uint32_t>(std::clamp(calls, 2.0, max_calls));
}

}  // namespace accelbench
