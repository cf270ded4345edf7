#pragma once
// --shard I/N: one machine's part of a suite run across many (docs/fleet.md). The partition is
// a pure function of the suite's workload list, so every machine computes the same one without
// talking to the others, whatever backends it has: workloads (not cases) are dealt out, and
// each shard runs its workloads on all of its backends.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace accelbench {

struct shard_spec {
  int index = 0;
  int count = 1;  // 1: the whole suite
};

// "I/N" with 0 <= I < N; throws input_error naming `what` otherwise.
shard_spec parse_shard(const std::string& text, const std::string& what = "--shard");

// From the batch system, when present: Slurm job arrays (SLURM_ARRAY_TASK_ID, _COUNT, _MIN,
// _STEP), else Kubernetes Indexed Jobs (JOB_COMPLETION_INDEX with ACCELBENCH_SHARD_COUNT).
// nullopt when none is set; input_error when they are inconsistent.
std::optional<shard_spec> shard_from_environment(const std::map<std::string, std::string>& env);
std::map<std::string, std::string> current_environment();

// Estimated cost of a workload for balancing: a fixed per-case overhead (the stopping rule's
// warm-up and minimum time dominate small cases) plus FLOPs at a nominal rate. The same on
// every machine; only ratios matter.
double estimated_cost(const std::string& workload_text);

// The workloads of shard `s`, in suite order. Greedy longest-processing-time: workloads by
// decreasing cost (ties: suite order) each go to the least loaded shard (ties: lowest index).
std::vector<std::string> select_shard(const std::vector<std::string>& workloads, const shard_spec& s);
// shard index of every workload (same algorithm), for tests and `list`.
std::vector<int> assign_shards(const std::vector<std::string>& workloads, int count);

}  // namespace accelbench
