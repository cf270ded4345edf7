#include "backends/common/graph_batch.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <vector>

#include <fmt/format.h>

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

graph_batch_choice choose_graph_batch(const std::function<double()>& estimate,
                                      const std::function<void(std::uint32_t)>& capture, std::string_view graph,
                                      const graph_batch_policy& policy) {
  const double launch_s = estimate();
  const std::uint32_t calls = graph_batch_calls(launch_s, policy);
  if (calls == 1) {
    return {1, fmt::format("; not graph-batched: one launch sequence {:.2f} us at prepare", launch_s * 1e6)};
  }
  try {
    capture(calls);
  } catch (const std::exception& e) {
    return {1, fmt::format("; not graph-batched (capture failed: {})", e.what())};
  }
  return {calls, fmt::format("; graph-batched: {} launch sequences per {} graph launch (one sequence {:.2f} us at "
                             "prepare), samples are per sequence",
                             calls, graph, launch_s * 1e6)};
}

}  // namespace accelbench
