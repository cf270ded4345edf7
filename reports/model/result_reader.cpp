#include "reports/model/result_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "reports/model/ceilings.hpp"
#include "reports/model/json_input.hpp"
#include "reports/model/result_json.hpp"
#include "reports/model/sample_statistics.hpp"
#include "reports/model/verification_result.hpp"

namespace accelbench {
namespace {

using json = nlohmann::ordered_json;

// The keys the writer emits, taken from the writer itself so the two cannot drift apart.
struct written_keys {
  std::vector<std::string> run, meta, shard, record, device, inputs, verification, repetition, stats, telemetry, noisy;
};

std::vector<std::string> keys_of(const json& object) {
  std::vector<std::string> keys;
  for (const auto& item : object.items()) keys.push_back(item.key());
  return keys;
}

const written_keys& written() {
  static const written_keys keys = [] {
    case_result c;
    c.verification = verification_result{};
    c.repetitions.emplace_back();
    c.repetitions.back().samples_s = {0.0};
    c.repetitions.back().telemetry.emplace_back();
    c.repetitions.back().stop_reason = "timeout";  // so the record carries a noisy object
    run_record sharded;
    sharded.meta.shard_count = 1;
    const json run = to_json(sharded);
    const json record = to_json(c);
    const json& rep = record.at("repetitions").at(0);
    return written_keys{keys_of(run),
                        keys_of(run.at("meta")),
                        keys_of(run.at("meta").at("shard")),
                        keys_of(record),
                        keys_of(record.at("device")),
                        keys_of(record.at("inputs")),
                        keys_of(record.at("verification")),
                        keys_of(rep),
                        keys_of(rep.at("stats")),
                        keys_of(rep.at("telemetry").at(0)),
                        keys_of(record.at("noisy"))};
  }();
  return keys;
}

// Unknown keys are errors (a typo or a foreign file), unless the file is from a newer minor
// schema version, which may add optional keys (semver).
void check_keys(const json_cursor& r, const std::vector<std::string>& known, bool strict) {
  if (strict) {
    r.only_keys(known, "docs/results-schema.md");
  } else {
    r.require_object();
  }
}

// A derived figure agrees with what it is derived from when equal to 1e-9 relative: a writer's
// double reads back exactly, the margin only absorbs another summation order. null (NaN) agrees
// only with null.
bool agrees(double written, double derived) {
  if (std::isnan(written) || std::isnan(derived)) return std::isnan(written) && std::isnan(derived);
  return std::abs(written - derived) <= 1e-9 * std::max(std::abs(written), std::abs(derived));
}

std::string shown(double value) { return std::isnan(value) ? std::string("null") : fmt::format("{:.9g}", value); }

// A file that disagrees with itself (an edited median, scaled samples) is refused, naming the
// field: compare and the reports would otherwise believe whichever figure they read.
void check_derived(const json_cursor& field, double written, double derived, std::string_view derived_from) {
  if (!agrees(written, derived)) {
    field.fail(fmt::format("{} does not match {} ({})", shown(written), derived_from, shown(derived)));
  }
}

void check_derived(const json_cursor& field, const std::optional<double>& written, const std::optional<double>& derived,
                   std::string_view derived_from) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  check_derived(field, written.value_or(nan), derived.value_or(nan), derived_from);
}

// The statistics' keys besides "n", and the members they hold.
constexpr std::pair<const char*, double sample_statistics::*> statistic_fields[] = {
    {"median_s", &sample_statistics::median},
    {"q1_s", &sample_statistics::q1},
    {"q3_s", &sample_statistics::q3},
    {"iqr_s", &sample_statistics::iqr},
    {"min_s", &sample_statistics::min},
    {"max_s", &sample_statistics::max},
    {"mean_s", &sample_statistics::mean},
    {"stdev_s", &sample_statistics::stdev},
    {"cv", &sample_statistics::cv}};

sample_statistics read_stats(const json_cursor& r, bool strict) {
  check_keys(r, written().stats, strict);
  sample_statistics s;
  s.count = r.at("n").integer(0);
  for (const auto& [key, member] : statistic_fields) s.*member = r.at(key).number_or_nan();  // null: NaN/Inf written
  return s;
}

// Statistics must be those of the samples they summarize (`samples_from` names them).
sample_statistics read_stats_of(const json_cursor& r, bool strict, const std::vector<double>& samples,
                                std::string_view samples_from) {
  const sample_statistics written_stats = read_stats(r, strict);
  if (written_stats.count != static_cast<std::int64_t>(samples.size())) {
    r.at("n").fail(
        fmt::format("{} does not match the {} samples of {}", written_stats.count, samples.size(), samples_from));
  }
  const sample_statistics derived = summarize(samples);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (const auto& [key, member] : statistic_fields) {
    // No samples: every statistic is null (result_json.cpp), never a misleading zero.
    const double expected = samples.empty() ? nan : derived.*member;
    check_derived(r.at(key), written_stats.*member, expected, fmt::format("the statistics of {}", samples_from));
  }
  return written_stats;
}

verification_result read_verification(const json_cursor& r, bool strict) {
  check_keys(r, written().verification, strict);
  verification_result v;
  v.passed = r.at("passed").boolean();
  v.mistrusted = r.at("mistrusted").boolean();
  v.method = r.at("method").string();
  v.error = r.at("error").number_or_nan();
  v.tolerance = r.at("tolerance").number_or_nan();
  if (r.has("metric") && r.at("metric").string() != "relative_frobenius")
    r.at("metric").fail("expected relative_frobenius");
  if (r.has("local_tolerance")) {
    check_derived(r.at("local_tolerance"), r.at("local_tolerance").number_or_nan(),
                  v.tolerance * local_tolerance_factor, fmt::format("tolerance x {:g}", local_tolerance_factor));
  }
  v.max_local_error = r.at("max_local_error").number_or_nan();
  v.non_finite = r.at("non_finite").integer();
  v.zero_fraction = r.at("zero_fraction").number_or_nan();
  v.reason = r.at("reason").string();
  return v;
}

// A repetition's telemetry readings: each covers a run of existing samples.
std::vector<telemetry_reading> read_telemetry(const json_cursor& r, std::size_t sample_count, bool strict) {
  std::vector<telemetry_reading> out;
  for (std::size_t i = 0; i < r.array_size(); ++i) {
    const json_cursor entry = r.index(i);
    check_keys(entry, written().telemetry, strict);
    telemetry_reading t;
    t.first_sample = entry.at("first_sample").integer();
    t.samples = entry.at("samples").integer();
    if (t.first_sample < 0 || t.samples < 1 || static_cast<std::uint64_t>(t.first_sample) + t.samples > sample_count) {
      entry.fail(fmt::format("first_sample {} and samples {} must lie within the repetition's {} samples",
                             t.first_sample, t.samples, sample_count));
    }
    t.sm_clock_mhz = entry.at("sm_clock_mhz").number_or_null();
    t.memory_clock_mhz = entry.at("memory_clock_mhz").number_or_null();
    t.power_w = entry.at("power_w").number_or_null();
    t.temperature_c = entry.at("temperature_c").number_or_null();
    t.clock_event_reasons = entry.at("clock_event_reasons").string();
    t.throttled = entry.at("throttled").boolean();
    out.push_back(std::move(t));
  }
  return out;
}

repetition_record read_repetition(const json_cursor& rep, bool strict) {
  check_keys(rep, written().repetition, strict);
  repetition_record record;
  record.stop_reason = rep.at("stop_reason").string();
  if (record.stop_reason != "converged" && record.stop_reason != "timeout" && record.stop_reason != "max_samples") {
    rep.at("stop_reason").fail("expected converged, timeout or max_samples");
  }
  if (rep.has("calls_per_sample")) record.calls_per_sample = rep.at("calls_per_sample").integer(1);  // added in 1.3.0
  record.warmup_calls = rep.at("warmup_calls").integer();
  record.warmup_s = rep.at("warmup_s").number_or_nan();
  record.wall_s = rep.at("wall_s").number_or_nan();
  if (rep.has("cpu_s")) {  // added in 1.4.0
    record.cpu_s = rep.at("cpu_s").number_or_null();
    if (record.cpu_s && *record.cpu_s < 0) rep.at("cpu_s").fail("expected a number of seconds >= 0, or null");
  }
  const json_cursor samples = rep.at("samples_s");
  for (std::size_t s = 0; s < samples.array_size(); ++s) {
    record.samples_s.push_back(samples.index(s).number());
    if (!(record.samples_s.back() >= 0)) samples.index(s).fail("expected a number of seconds >= 0");
  }
  record.stats = read_stats_of(rep.at("stats"), strict, record.samples_s, "samples_s");
  if (rep.has("telemetry")) record.telemetry = read_telemetry(rep.at("telemetry"), record.samples_s.size(), strict);
  return record;
}

// `noisy` is derived from the repetitions' stop reasons and statistics.
void read_noise_flag(const json_cursor& r, const case_result& c, bool strict) {
  const std::optional<noise_flag> derived = c.noise();
  if (r.is_null() || !derived) {
    if (r.is_null() != !derived) {
      r.fail(fmt::format("{} does not match the repetitions' stop reasons ({} stopped on the timeout)",
                         r.is_null() ? "null" : "an object", derived ? derived->timeout_repetitions : 0));
    }
    return;
  }
  check_keys(r, written().noisy, strict);
  if (r.at("timeout_repetitions").integer() != derived->timeout_repetitions) {
    r.at("timeout_repetitions")
        .fail(fmt::format("does not match the {} repetitions whose stop_reason is timeout",
                          derived->timeout_repetitions));
  }
  if (r.at("repetitions").integer() != derived->repetitions) {
    r.at("repetitions").fail(fmt::format("does not match the {} repetitions", derived->repetitions));
  }
  check_derived(r.at("max_cv"), r.at("max_cv").number_or_nan(), derived->max_cv, "the largest cv of those repetitions");
}

case_result read_case(const json_cursor& r, bool strict) {
  check_keys(r, written().record, strict);
  case_result c;
  c.workload = r.at("workload").string();
  c.kind = r.at("kind").string();
  c.backend = r.at("backend").string();
  c.backend_version = r.at("backend_version").string();
  const json_cursor device = r.at("device");
  check_keys(device, written().device, strict);
  c.device_index = device.at("index").small_integer(0);
  c.device_name = device.at("name").string();
  c.device_kind = device.at("kind").string();
  c.dtype_in = r.at("dtype").string();
  c.dtype_out = r.at("dtype_out").string();
  c.dtype_acc = r.at("dtype_acc").string();
  const std::string cache = r.at("cache_policy").string();
  if (cache != "cold" && cache != "hot") r.at("cache_policy").fail("expected cold or hot");
  c.cache = cache == "cold" ? cache_policy::cold : cache_policy::hot;
  const auto result = outcome_from_string(r.at("outcome").string());
  if (!result || *result == outcome::pending) {
    r.at("outcome").fail("expected passed, incorrect, failed, unsupported, skipped, mistrusted or interrupted");
  }
  c.result = *result;
  c.reason = r.at("reason").string();
  c.plan_description = r.at("plan").string();
  if (!r.at("verification").is_null()) c.verification = read_verification(r.at("verification"), strict);
  const json_cursor inputs = r.at("inputs");
  check_keys(inputs, written().inputs, strict);
  c.seed = inputs.at("seed").unsigned_integer();
  c.input_distribution = inputs.at("distribution").string();
  c.flops = r.at("flops").integer(0);
  c.flop_convention = r.at("flop_convention").string();
  c.min_bytes = r.at("min_bytes").integer(0);
  c.prepare_s = r.at("prepare_s").number_or_nan();
  c.verify_s = r.at("verify_s").number_or_nan();
  const json_cursor repetitions = r.at("repetitions");
  for (std::size_t i = 0; i < repetitions.array_size(); ++i) {
    c.repetitions.push_back(read_repetition(repetitions.index(i), strict));
  }
  // Derived from the repetitions, so they must agree with them.
  check_derived(r.at("median_s"), r.at("median_s").number_or_null(), c.median_s(),
                "the median of the repetitions' medians");
  check_derived(r.at("tflops"), r.at("tflops").number_or_null(), c.tflops(),
                "flops / median_s / 1e12 (null unless verified)");
  check_derived(r.at("gbps"), r.at("gbps").number_or_null(), c.gbps(),
                "min_bytes / median_s / 1e9 (null unless verified)");
  std::vector<double> all_samples;
  for (const repetition_record& rep : c.repetitions) {
    all_samples.insert(all_samples.end(), rep.samples_s.begin(), rep.samples_s.end());
  }
  read_stats_of(r.at("stats"), strict, all_samples, "every repetition's samples_s");
  if (r.has("noisy")) read_noise_flag(r.at("noisy"), c, strict);  // added in 1.4.0
  r.at("repro").string();
  // Added in 1.2.0: derived from the telemetry, so it must agree with it.
  if (r.has("throttled_samples")) {
    const json_cursor throttled = r.at("throttled_samples");
    const std::optional<std::int64_t> want = c.throttled_samples();
    const std::optional<std::int64_t> got =
        throttled.is_null() ? std::nullopt : std::optional<std::int64_t>(throttled.integer());
    if (got != want) {
      throttled.fail(fmt::format("{} does not match the repetitions' telemetry ({})",
                                 got ? std::to_string(*got) : "null", want ? std::to_string(*want) : "null"));
    }
  }
  // Added in 1.1.0; absent from 1.0.0 files.
  if (r.has("system_desc_id")) c.system_desc_id = r.at("system_desc_id").string();
  if (r.has("run_id")) c.run_id = r.at("run_id").string();
  return c;
}

struct semver {
  long major = 0, minor = 0, patch = 0;
};

// "MAJOR.MINOR.PATCH" with decimal parts; anything else is refused.
std::optional<semver> parse_semver(const std::string& text) {
  semver v;
  const char* p = text.data();
  const char* end = text.data() + text.size();
  long* parts[] = {&v.major, &v.minor, &v.patch};
  for (int i = 0; i < 3; ++i) {
    const auto [next, ec] = std::from_chars(p, end, *parts[i]);
    if (ec != std::errc() || *parts[i] < 0) return std::nullopt;
    p = next;
    if (i < 2) {
      if (p == end || *p != '.') return std::nullopt;
      ++p;
    }
  }
  if (p != end) return std::nullopt;
  return v;
}

}  // namespace

run_record result_from_json(const json& document, const std::string& origin) {
  const json_cursor root(document, origin);
  if (!document.is_object()) root.fail("expected a JSON object (an accelbench result file)");
  const std::string version = root.at("schema_version").string();
  const auto theirs = parse_semver(version);
  const auto ours = parse_semver(results_schema_version);
  if (!theirs) root.at("schema_version").fail(fmt::format("'{}' is not MAJOR.MINOR.PATCH", version));
  if (theirs->major > ours->major) {
    root.at("schema_version")
        .fail(fmt::format("version {} is newer than this accelbench reads ({}); upgrade accelbench", version,
                          results_schema_version));
  }
  if (theirs->major < ours->major) {
    root.at("schema_version")
        .fail(
            fmt::format("version {} predates schema {}; re-run with this accelbench", version, results_schema_version));
  }
  const bool strict = theirs->minor <= ours->minor;
  check_keys(root, written().run, strict);
  run_record run;
  const json_cursor meta = root.at("meta");
  check_keys(meta, written().meta, strict);
  if (meta.at("tool").string() != "accelbench") meta.at("tool").fail("expected accelbench");
  run.meta.method_version = meta.at("method_version").nonempty_string();
  run.meta.tool_version = meta.at("tool_version").string();
  run.meta.git_revision = meta.at("git_revision").string();
  run.meta.build_type = meta.at("build_type").string();
  const json_cursor argv = meta.at("argv");
  for (std::size_t i = 0; i < argv.array_size(); ++i) run.meta.argv.push_back(argv.index(i).string());
  run.meta.started_at_utc = meta.at("started_at_utc").string();
  run.meta.timestamp_utc = meta.at("timestamp_utc").string();
  run.meta.wall_s = meta.at("wall_s").number_or_nan();
  run.meta.seed = meta.at("seed").unsigned_integer();
  meta.at("stopping").require_object();
  run.meta.stopping = meta.at("stopping").value();
  // Added in 1.1.0; absent from 1.0.0 files.
  if (meta.has("run_id")) run.meta.run_id = meta.at("run_id").string();
  if (meta.has("shard") && !meta.at("shard").is_null()) {
    const json_cursor shard = meta.at("shard");
    check_keys(shard, written().shard, strict);
    const std::int64_t index = shard.at("index").integer();
    const std::int64_t count = shard.at("count").integer();
    if (count < 1 || count > 1'000'000 || index < 0 || index >= count) {
      shard.fail("expected {\"index\": I, \"count\": N} with 0 <= I < N");
    }
    run.meta.shard_index = static_cast<int>(index);
    run.meta.shard_count = static_cast<int>(count);
  }
  root.at("system").require_object();
  run.system = root.at("system").value();
  // Optional: the machine's ceilings (accelbench run --ceilings FILE), validated when present.
  if (run.system.contains("ceilings")) ceilings_from_json(run.system["ceilings"], origin, "system.ceilings");
  const json_cursor results = root.at("results");
  for (std::size_t i = 0; i < results.array_size(); ++i) run.results.push_back(read_case(results.index(i), strict));
  return run;
}

case_result case_from_json(const json& document, const std::string& origin, const std::string& path) {
  return read_case(json_cursor(document, origin, path), true);
}

run_record read_result_file(const std::string& path) {
  return result_from_json(read_json_file(path, "an accelbench result file is expected"), path);
}

}  // namespace accelbench
