#include "bench/runner/shard.hpp"

#include <algorithm>
#include <charconv>
#include <numeric>

#include <fmt/format.h>

#include "kernels/spec/errors.hpp"
#include "kernels/spec/workload.hpp"

extern char** environ;

namespace accelbench {
namespace {

constexpr int max_shards = 100000;

std::optional<long long> parse_integer(const std::string& text) {
  long long value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

const std::string* find(const std::map<std::string, std::string>& env, const std::string& key) {
  const auto it = env.find(key);
  return it == env.end() || it->second.empty() ? nullptr : &it->second;
}

long long require_integer(const std::map<std::string, std::string>& env, const std::string& key) {
  const std::string* value = find(env, key);
  const auto parsed = value != nullptr ? parse_integer(*value) : std::nullopt;
  if (!parsed) {
    throw input_error(
        fmt::format("environment {}='{}': expected an integer (set by the batch system; or pass --shard I/N)", key,
                    value != nullptr ? *value : ""));
  }
  return *parsed;
}

}  // namespace

shard_spec parse_shard(const std::string& text, const std::string& what) {
  const std::size_t slash = text.find('/');
  const auto index = slash == std::string::npos ? std::nullopt : parse_integer(text.substr(0, slash));
  const auto count = slash == std::string::npos ? std::nullopt : parse_integer(text.substr(slash + 1));
  if (!index || !count || *count < 1 || *count > max_shards || *index < 0 || *index >= *count) {
    throw input_error(fmt::format("{} '{}': expected I/N with 0 <= I < N <= {}, e.g. 0/4", what, text, max_shards));
  }
  return {static_cast<int>(*index), static_cast<int>(*count)};
}

std::map<std::string, std::string> current_environment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string entry(*e);
    const std::size_t eq = entry.find('=');
    if (eq != std::string::npos) env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  return env;
}

std::optional<shard_spec> shard_from_environment(const std::map<std::string, std::string>& env) {
  if (find(env, "SLURM_ARRAY_TASK_ID") != nullptr) {
    // --array=1-8:2 gives ids 1,3,5,7 with MIN=1, STEP=2, COUNT=4; the shard is the position.
    const long long id = require_integer(env, "SLURM_ARRAY_TASK_ID");
    const long long count = require_integer(env, "SLURM_ARRAY_TASK_COUNT");
    const long long min =
        find(env, "SLURM_ARRAY_TASK_MIN") != nullptr ? require_integer(env, "SLURM_ARRAY_TASK_MIN") : 0;
    const long long step =
        find(env, "SLURM_ARRAY_TASK_STEP") != nullptr ? require_integer(env, "SLURM_ARRAY_TASK_STEP") : 1;
    if (step < 1 || (id - min) % step != 0) {
      throw input_error(
          fmt::format("environment SLURM_ARRAY_TASK_ID={} is not MIN={} plus a multiple of STEP={}", id, min, step));
    }
    return parse_shard(fmt::format("{}/{}", (id - min) / step, count), "Slurm array task (SLURM_ARRAY_TASK_ID/COUNT)");
  }
  if (find(env, "JOB_COMPLETION_INDEX") != nullptr) {
    if (find(env, "ACCELBENCH_SHARD_COUNT") == nullptr) {
      throw input_error(
          "environment JOB_COMPLETION_INDEX is set but ACCELBENCH_SHARD_COUNT is not: set it to the "
          "Job's completions (scripts/k8s/accelbench-indexed-job.yaml), or pass --shard I/N");
    }
    return parse_shard(fmt::format("{}/{}", require_integer(env, "JOB_COMPLETION_INDEX"),
                                   require_integer(env, "ACCELBENCH_SHARD_COUNT")),
                       "Indexed Job (JOB_COMPLETION_INDEX/ACCELBENCH_SHARD_COUNT)");
  }
  return std::nullopt;
}

double estimated_cost(const std::string& workload_text) {
  constexpr double per_case_s = 1.0;      // warm-up, verification, minimum sampling time
  constexpr double nominal_flops = 1e11;  // 100 GFLOP/s: any fixed rate gives the same ratios
  return per_case_s + static_cast<double>(flops(parse_workload(workload_text))) / nominal_flops;
}

std::vector<int> assign_shards(const std::vector<std::string>& workloads, int count) {
  std::vector<double> cost(workloads.size());
  for (std::size_t i = 0; i < workloads.size(); ++i) cost[i] = estimated_cost(workloads[i]);
  std::vector<std::size_t> order(workloads.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return cost[a] > cost[b]; });
  std::vector<double> load(static_cast<std::size_t>(count), 0.0);
  std::vector<int> shard_of(workloads.size(), 0);
  for (std::size_t i : order) {
    const auto least = std::min_element(load.begin(), load.end());  // first minimum: lowest index
    shard_of[i] = static_cast<int>(least - load.begin());
    *least += cost[i];
  }
  return shard_of;
}

std::vector<std::string> select_shard(const std::vector<std::string>& workloads, const shard_spec& s) {
  if (s.count <= 1) return workloads;
  const std::vector<int> shard_of = assign_shards(workloads, s.count);
  std::vector<std::string> selected;
  for (std::size_t i = 0; i < workloads.size(); ++i) {
    if (shard_of[i] == s.index) selected.push_back(workloads[i]);
  }
  return selected;
}

}  // namespace accelbench
