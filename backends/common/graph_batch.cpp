#include "backends/common/graph_batch.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace accelbench {

std::uint32_t graph_batch_calls(double launch_s, const graph_batch_policy& policy) {
  if (!std::isfinite(launch_s) || launch_s < 0.0 || launch_s >= policy.threshold_s) return 1;
  const double max_calls = std::max<double>(policy.max_calls, 2.0);
  const double calls = launch_s > 0.0 ? std::round(policy.target_s / launch_s) : max_calls;
  return static_cast<std::uint32_t>(std::clamp(calls, 2.0, max_calls));
}

double estimate_launch_seconds(const std::function<double()>& time_one, const graph_batch_policy& policy) {
  std::vector<double> samples;
  for (int i = 0; i < 11; ++i) {
    samples.push_back(time_one());
    if (samples.front() >= 10 * policy.threshold_s) break;
  }
  std::sort(samples.begin(), samples.end());
  const std::size_t mid = samples.size() / 2;
  return samples.size() % 2 == 1 ? samples[mid] : 0.5 * (samples[mid - 1] + samples[mid]);
}

}  // namespace accelbench
