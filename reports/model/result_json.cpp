#include "reports/model/result_json.hpp"

#include "reports/model/json_output.hpp"

namespace accelbench {
namespace {

nlohmann::ordered_json to_json(const sample_statistics& s) {
  if (s.count == 0) {
    // No samples, no statistics: null, never a misleading zero.
    const nlohmann::ordered_json none(nullptr);
    return {{"n", 0},        {"median_s", none}, {"q1_s", none},   {"q3_s", none},    {"iqr_s", none},
            {"min_s", none}, {"max_s", none},    {"mean_s", none}, {"stdev_s", none}, {"cv", none}};
  }
  return {{"n", s.count},
          {"median_s", number_or_null(s.median)},
          {"q1_s", number_or_null(s.q1)},
          {"q3_s", number_or_null(s.q3)},
          {"iqr_s", number_or_null(s.iqr)},
          {"min_s", number_or_null(s.min)},
          {"max_s", number_or_null(s.max)},
          {"mean_s", number_or_null(s.mean)},
          {"stdev_s", number_or_null(s.stdev)},
          {"cv", number_or_null(s.cv)}};
}

nlohmann::ordered_json to_json(const verification_result& v) {
  return {{"passed", v.passed},
          {"mistrusted", v.mistrusted},
          {"method", v.method},
          {"metric", "relative_frobenius"},
          {"error", number_or_null(v.error)},
          {"tolerance", number_or_null(v.tolerance)},
          {"max_local_error", number_or_null(v.max_local_error)},
          {"local_tolerance", number_or_null(v.tolerance * local_tolerance_factor)},
          {"non_finite", v.non_finite},
          {"zero_fraction", number_or_null(v.zero_fraction)},
          {"reason", v.reason}};
}

nlohmann::ordered_json to_json(const telemetry_reading& t) {
  return {{"first_sample", t.first_sample},
          {"samples", t.samples},
          {"sm_clock_mhz", number_or_null(t.sm_clock_mhz)},
          {"memory_clock_mhz", number_or_null(t.memory_clock_mhz)},
          {"power_w", number_or_null(t.power_w)},
          {"temperature_c", number_or_null(t.temperature_c)},
          {"clock_event_reasons", t.clock_event_reasons},
          {"throttled", t.throttled}};
}

nlohmann::ordered_json noisy_json(const std::optional<noise_flag>& flag) {
  if (!flag) return nullptr;
  return {{"timeout_repetitions", flag->timeout_repetitions},
          {"repetitions", flag->repetitions},
          {"max_cv", number_or_null(flag->max_cv)}};
}

}  // namespace

nlohmann::ordered_json to_json(const case_result& r) {
  nlohmann::ordered_json repetitions = nlohmann::ordered_json::array();
  std::vector<double> all_samples;
  for (const repetition_record& rep : r.repetitions) {
    nlohmann::ordered_json samples = nlohmann::ordered_json::array();
    for (double s : rep.samples_s) samples.push_back(number_or_null(s));
    nlohmann::ordered_json telemetry = nlohmann::ordered_json::array();
    for (const telemetry_reading& t : rep.telemetry) telemetry.push_back(to_json(t));
    repetitions.push_back({{"stop_reason", rep.stop_reason},
                           {"calls_per_sample", rep.calls_per_sample},
                           {"warmup_calls", rep.warmup_calls},
                           {"warmup_s", number_or_null(rep.warmup_s)},
                           {"wall_s", number_or_null(rep.wall_s)},
                           {"cpu_s", number_or_null(rep.cpu_s)},
                           {"stats", to_json(rep.stats)},
                           {"samples_s", samples},
                           {"telemetry", telemetry}});
    all_samples.insert(all_samples.end(), rep.samples_s.begin(), rep.samples_s.end());
  }
  return {{"workload", r.workload},
          {"kind", r.kind},
          {"backend", r.backend},
          {"backend_version", r.backend_version},
          {"device", {{"index", r.device_index}, {"name", r.device_name}, {"kind", r.device_kind}}},
          {"dtype", r.dtype_in},
          {"dtype_out", r.dtype_out},
          {"dtype_acc", r.dtype_acc},
          {"cache_policy", to_string(r.cache)},
          {"outcome", to_string(r.result)},
          {"reason", r.reason},
          {"plan", r.plan_description},
          {"verification", r.verification ? to_json(*r.verification) : nlohmann::ordered_json(nullptr)},
          {"inputs", {{"distribution", r.input_distribution}, {"seed", r.seed}}},
          {"flops", r.flops},
          {"flop_convention", r.flop_convention},
          {"min_bytes", r.min_bytes},
          {"median_s", number_or_null(r.median_s())},
          {"tflops", number_or_null(r.tflops())},
          {"gbps", number_or_null(r.gbps())},
          {"stats", to_json(summarize(all_samples))},
          {"noisy", noisy_json(r.noise())},
          {"prepare_s", number_or_null(r.prepare_s)},
          {"verify_s", number_or_null(r.verify_s)},
          {"throttled_samples",
           r.throttled_samples() ? nlohmann::ordered_json(*r.throttled_samples()) : nlohmann::ordered_json(nullptr)},
          {"repetitions", repetitions},
          {"repro", r.repro_command()},
          {"system_desc_id", r.system_desc_id},
          {"run_id", r.run_id}};
}

nlohmann::ordered_json to_json(const run_record& run) {
  nlohmann::ordered_json results = nlohmann::ordered_json::array();
  for (const case_result& r : run.results) results.push_back(to_json(r));
  return {{"schema_version", results_schema_version},
          {"meta",
           {{"tool", "accelbench"},
            {"tool_version", run.meta.tool_version},
            {"git_revision", run.meta.git_revision},
            {"build_type", run.meta.build_type},
            {"method_version", run.meta.method_version},
            {"argv", run.meta.argv},
            {"started_at_utc", run.meta.started_at_utc},
            {"timestamp_utc", run.meta.timestamp_utc},
            {"wall_s", number_or_null(run.meta.wall_s)},
            {"seed", run.meta.seed},
            {"stopping", run.meta.stopping},
            {"run_id", run.meta.run_id},
            {"shard", run.meta.shard_count > 0
                          ? nlohmann::ordered_json{{"index", run.meta.shard_index}, {"count", run.meta.shard_count}}
                          : nlohmann::ordered_json(nullptr)}}},
          {"system", run.system},
          {"results", results}};
}

std::string to_json_text(const run_record& run) { return to_json(run).dump(2) + "\n"; }

}  // namespace accelbench
