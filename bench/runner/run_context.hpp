#pragma once
// The context header a run prints before measuring, as Google Benchmark does: the machine, its
// caches, the load, and a warning when the load or frequency scaling will make timings noisy.
#include <cstddef>
#include <string>

#include "bench/engine/system_info.hpp"

namespace accelbench {

struct load_average {
  double one = 0.0, five = 0.0, fifteen = 0.0;
  bool known = false;
};
load_average current_load_average();

// `tool` is the version line; `cases` and `repetitions` what will run.
std::string format_run_context(const std::string& tool, const system_info& system, const load_average& load,
                               std::size_t cases, std::size_t repetitions);

}  // namespace accelbench
