#pragma once
// The result model: what one run measured, independent of how it is shown. Every view (JSON,
// console table, CSV, Markdown, HTML, compare) reads only these records.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/model/sample_statistics.hpp"
#include "reports/model/verification_result.hpp"

namespace accelbench {

inline constexpr const char* results_schema_version = "1.4.0";
// The measurement protocol (docs/methodology.md); compare treats results of two methods as not
// comparable case by case. 2 (2026-12-07): CPU plans wake their threads before the start time.
// 3 (2026-12-07): the host cache flush before cold samples runs on every core.
inline constexpr const char* method_version = "accelbench-method-3";

// interrupted: SIGINT/SIGTERM arrived before the case finished (accelbench run --resume ends it).
enum class outcome { pending, passed, incorrect, failed, unsupported, skipped, mistrusted, interrupted };
std::string_view to_string(outcome o);
std::optional<outcome> outcome_from_string(std::string_view text);
// passed and mistrusted carry timings; incorrect and failed make the run exit non-zero.
bool is_failure(outcome o);

enum class cache_policy { cold, hot };
std::string_view to_string(cache_policy c);

// One device telemetry reading (1.2.0), taken once per batch of samples while the batch ran:
// after its samples were enqueued, before the synchronize that ends it. Per-sample reads are
// not possible (a batch is enqueued ahead of the device) and would put host calls between
// timed launches. Every sample of the batch shares the reading. Empty where the backend has no
// telemetry (CPU backends, GPUs without NVML).
struct telemetry_reading {
  std::int64_t first_sample = 0;  // index into the repetition's samples_s
  std::int64_t samples = 0;       // samples in the batch
  std::optional<double> sm_clock_mhz, memory_clock_mhz, power_w, temperature_c;  // null: not reported
  std::string clock_event_reasons;  // the vendor's names, e.g. "sw_power_cap"; empty for none
  bool throttled = false;           // clocks lowered by power or thermal limits
};

struct repetition_record {
  std::vector<double> samples_s;
  sample_statistics stats;
  std::string stop_reason;  // converged | timeout | max_samples
  // Calls per timed run (1.3.0): a backend may batch short kernels (ab_batch_calls_v1, hot
  // caches only); samples_s are then each run's time / calls_per_sample. 1 in older files.
  std::int64_t calls_per_sample = 1;
  std::int64_t warmup_calls = 0;  // run() calls, each performing calls_per_sample calls
  double warmup_s = 0.0;
  double wall_s = 0.0;
  // Process CPU time (all threads) while the samples were taken, cache flushes included (1.4.0):
  // what Google Benchmark calls cpu_time. Unknown in older files.
  std::optional<double> cpu_s;
  std::vector<telemetry_reading> telemetry;

  // Samples whose batch read as throttled.
  std::int64_t throttled_samples() const;
};

// Repetitions that stopped on the timeout with the noise target unmet (1.4.0): their medians are
// less certain than the others, and compare treats the case accordingly.
struct noise_flag {
  std::int64_t timeout_repetitions = 0;
  std::int64_t repetitions = 0;
  double max_cv = 0.0;  // the largest coefficient of variation among them
};

struct case_result {
  std::string workload;  // canonical text: identity, filter key, repro
  std::string kind;      // gemm | attn
  std::string backend;
  std::string backend_version;
  int device_index = 0;
  std::string device_name;
  std::string device_kind;
  std::string dtype_in, dtype_out, dtype_acc;
  cache_policy cache = cache_policy::cold;
  outcome result = outcome::pending;
  std::string reason;
  std::string plan_description;
  std::optional<verification_result> verification;
  std::uint64_t seed = 0;
  std::string input_distribution;
  std::int64_t flops = 0;
  std::string flop_convention;
  std::int64_t min_bytes = 0;
  double prepare_s = 0.0;
  double verify_s = 0.0;
  std::vector<repetition_record> repetitions;
  // Where the record was measured (1.1.0): the machine and the run, so records from many
  // machines and shards can share one merged file (accelbench merge). Empty in 1.0.0 files.
  std::string system_desc_id;
  std::string run_id;

  // Median time over all repetitions' medians; TFLOPS only when verified and timed.
  std::optional<double> median_s() const;
  std::optional<double> tflops() const;
  std::optional<double> gbps() const;
  // Samples taken while throttled, over all repetitions; nullopt when no telemetry was read.
  std::optional<std::int64_t> throttled_samples() const;
  // "throttled: 12 of 40 samples (sw_power_cap)", or "" when no sample was throttled.
  std::string throttle_summary() const;
  // Set when at least one repetition stopped on the timeout above the noise target.
  std::optional<noise_flag> noise() const;
  // "noisy: 2 of 3 repetitions stopped on the timeout above the noise target (CV up to 97%)", or ""
  // when every repetition converged (or hit the sample limit). Such a median is less certain than
  // the table's other figures.
  std::string noise_summary() const;
  std::string repro_command() const;
};

struct run_metadata {
  std::string tool_version, git_revision, build_type;
  std::string method_version = accelbench::method_version;  // as read from a file, or this build's
  std::vector<std::string> argv;
  std::string timestamp_utc;
  std::string started_at_utc;
  double wall_s = 0.0;
  std::uint64_t seed = 0;
  nlohmann::ordered_json stopping;  // the stopping rule in force
  // 1.1.0: the run this file belongs to (shards of one run share it) and which shard it holds
  // (shard_count 0: not sharded). Empty/0 in 1.0.0 files.
  std::string run_id;
  int shard_index = 0, shard_count = 0;
};

struct run_record {
  run_metadata meta;
  nlohmann::ordered_json system;
  std::vector<case_result> results;
};

}  // namespace accelbench
