#pragma once
// The run's progress line: how far, how long so far, and an ETA from the estimated cost of what
// is left (bench/runner/shard.hpp's estimated_cost, the model sharding balances with), e.g.
//   [7/36 19%] 0:42 elapsed, ETA 2:59  gemm:m=4096,n=4096,k=4096,dt=bf16 on onednn
// Each repetition of each case is one step; repetitions run one after another (interleaved in
// any order), so the steps started before this one are done.
#include <cstddef>
#include <string>
#include <vector>

namespace accelbench {

class progress_meter {
 public:
  // costs[i]: estimated cost of one repetition of case i (0 for a case resumed from a journal,
  // which is not run again); `repetitions` of every other case.
  progress_meter(std::vector<double> costs, std::size_t repetitions);

  // The line for the step that starts now, `elapsed_s` into the run.
  std::string starting(std::size_t index, double elapsed_s, const std::string& label);

  std::size_t steps() const { return m_steps; }

 private:
  std::vector<double> m_costs;
  std::size_t m_steps = 0, m_started = 0;
  double m_total = 0.0, m_done = 0.0, m_running = 0.0;
};

// "0:42", "12:05", "1:02:09".
std::string clock_text(double seconds);

}  // namespace accelbench
