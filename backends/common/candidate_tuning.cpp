#include "backends/common/candidate_tuning.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>

namespace accelbench {

int choose_fastest(const std::vector<double>& seconds) {
  int best = -1;
  for (std::size_t i = 0; i < seconds.size(); ++i) {
    const double s = seconds[i];
    if (!std::isfinite(s) || s <= 0.0) continue;
    if (best < 0 || s < seconds[static_cast<std::size_t>(best)]) best = static_cast<int>(i);
  }
  return best;
}

double median_seconds(std::vector<double> samples) {
  if (samples.empty()) return 0.0;
  std::sort(samples.begin(), samples.end());
  const std::size_t mid = samples.size() / 2;
  return samples.size() % 2 == 1 ? samples[mid] : 0.5 * (samples[mid - 1] + samples[mid]);
}

std::vector<double> time_candidates(std::size_t count, const std::function<void(int)>& warm_up,
                                    const std::function<double(int)>& time_once,
                                    const std::function<void()>& on_failure) {
  std::vector<double> seconds(count, std::numeric_limits<double>::infinity());
  for (std::size_t i = 0; i < count; ++i) {
    const int index = static_cast<int>(i);
    try {
      warm_up(index);  // also a launch check
      std::vector<double> samples;
      int runs = 3;  // about 50 ms per candidate, between 3 and 20 runs
      for (int r = 0; r < runs; ++r) {
        samples.push_back(time_once(index));
        if (r == 0) runs = static_cast<int>(std::clamp(0.05 / std::max(samples[0], 1e-7), 3.0, 20.0));
      }
      seconds[i] = median_seconds(samples);
    } catch (const std::exception&) {
      on_failure();  // this candidate cannot run here: it keeps an infinite time
    }
  }
  return seconds;
}

}  // namespace accelbench
