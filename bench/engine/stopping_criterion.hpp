#pragma once
// When to stop sampling (nvbench's rule): after at least min_samples and min_time of measured
// time, once the relative noise (CV) is under max_noise; or at the timeout regardless.
#include <cstdint>
#include <string>

namespace accelbench {

struct stopping_criterion {
  std::int64_t min_samples = 10;
  double min_time_s = 0.5;  // summed sample time
  double max_noise = 0.01;  // coefficient of variation
  double timeout_s = 5.0;   // wall time spent sampling, flushes included
  std::int64_t max_samples = 100000;
  double warmup_time_s = 0.1;  // warm-up by time, at least two calls

  enum class verdict { keep_going, converged, timed_out, sample_limit };
  verdict check(std::int64_t samples, double measured_s, double wall_s, double cv) const;
};

std::string to_string(stopping_criterion::verdict v);

}  // namespace accelbench
