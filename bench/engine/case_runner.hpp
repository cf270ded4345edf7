#pragma once
// Measures one case (workload x backend x device) through the backend ABI:
// supports -> memory check -> inputs -> prepare (untimed) -> verify once -> warm-up by time ->
// samples (cache flush before each when cold) until the stopping criterion -> statistics.
// With hot caches a backend may batch N calls per run (ab_batch_calls_v1, e.g. a CUDA graph);
// each sample is then the timed run / N, and N is recorded as calls_per_sample.
// No backend writes its own timing loop; this is the only one.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "backends/loader/registry.hpp"
#include "bench/engine/cache_flush.hpp"
#include "bench/engine/stopping_criterion.hpp"
#include "kernels/spec/host_tensor.hpp"
#include "kernels/spec/workload.hpp"
#include "reports/model/result.hpp"

namespace accelbench {

struct run_options {
  stopping_criterion stop;
  cache_policy cache = cache_policy::cold;
  std::uint64_t seed = 42;
  // --isolate: each repetition in a forked child, killed after case_timeout_s (case_isolation.hpp).
  bool isolate = false;
  double case_timeout_s = 300.0;
};

struct bench_case {
  std::string text;  // canonical workload string
  workload w;
  const backend_entry* backend = nullptr;
  int device = 0;
};

class case_runner {
 public:
  case_runner(run_options options, std::int64_t last_level_cache_bytes);
  ~case_runner();

  // Fills the case's identity into a fresh record.
  case_result new_record(const bench_case& c) const;
  // Runs one repetition, appending to `record`. The first call also verifies; a case that is
  // unsupported, incorrect, failed or interrupted is not measured again. Never throws for
  // backend trouble: it becomes the record's outcome. An interrupt request (interrupt.hpp) is
  // noticed between samples and makes the case `interrupted`.
  void run_repetition(const bench_case& c, case_result& record);

  const run_options& options() const { return m_options; }

 private:
  // supports -> inputs -> prepare -> verify (first repetition) -> warm-up -> samples.
  void measure_repetition(const bench_case& c, case_result& record);
  bool check_support(const bench_case& c, const ab_workload& abi, case_result& record) const;
  std::vector<ab_host_tensor> input_views(const bench_case& c, const case_result& record);
  bool verify_output(const bench_case& c, ab_plan* plan, case_result& record) const;
  void warm_up(const ab_backend* table, ab_plan* plan, repetition_record& rep) const;
  void sample(const bench_case& c, ab_plan* plan, repetition_record& rep);
  struct input_cache;
  run_options m_options;
  host_cache_flusher m_flusher;
  std::unique_ptr<input_cache> m_inputs;
};

// Seed of a case's inputs: the run seed mixed with the workload text, so a case gets the same
// inputs whatever else is in the suite.
std::uint64_t case_seed(std::uint64_t run_seed, const std::string& workload_text);

}  // namespace accelbench
