#pragma once
// Subcommands of the accelbench executable. Each returns the process exit code:
// 0 success, 1 some case incorrect or failed, 2 usage or input error.
#include <string>
#include <vector>

namespace accelbench {

struct run_arguments {
  std::string suite;
  std::vector<std::string> workloads;
  std::string backends;  // comma-separated; empty = every available backend but reference
  std::string out = "accelbench-results.json";
  std::string cache = "cold";
  std::uint64_t seed = 42;
  int repetitions = 0;  // 0: not given
  // Stopping rule overrides (negative = not given).
  double min_samples = -1, min_time = -1, max_noise = -1, timeout = -1, warmup_time = -1;
  bool quiet = false;
  std::vector<std::string> argv;
};

int run_command(const run_arguments& args);
int list_command(const std::string& what, const std::string& suite, bool verbose);

}  // namespace accelbench
