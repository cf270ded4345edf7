#include "bench/engine/stopping_criterion.hpp"

namespace accelbench {

stopping_criterion::verdict stopping_criterion::check(std::int64_t samples, double measured_s, double wall_s,
                                                      double cv) const {
  if (samples >= max_samples) return verdict::sample_limit;
  const bool enough = samples >= min_samples && measured_s >= min_time_s;
  if (enough && cv <= max_noise) return verdict::converged;
  // The timeout never cuts below two samples: a statistic needs them.
  if (wall_s >= timeout_s && samples >= 2) return verdict::timed_out;
  return verdict::keep_going;
}

std::string to_string(stopping_criterion::verdict v) {
  switch (v) {
    case stopping_criterion::verdict::converged:
      return "converged";
    case stopping_criterion::verdict::timed_out:
      return "timeout";
    case stopping_criterion::verdict::sample_limit:
      return "max_samples";
    case stopping_criterion::verdict::keep_going:
      break;
  }
  return "running";
}

}  // namespace accelbench
