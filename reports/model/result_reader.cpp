#include "reports/model/result_reader.hpp"

#include <charconv>
#include <climits>
#include <fstream>
#include <limits>
#include <optional>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "kernels/spec/errors.hpp"
#include "reports/model/ceilings.hpp"
#include "reports/model/result_json.hpp"

namespace accelbench {
namespace {

using json = nlohmann::ordered_json;

// Cursor over a JSON document that knows its path, for error messages.
class reader {
 public:
  reader(const json& value, std::string origin, std::string path)
      : m_value(value), m_origin(std::move(origin)), m_path(std::move(path)) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw input_error(fmt::format("{}: field '{}': {}", m_origin, m_path, what));
  }
  const json& value() const { return m_value; }

  reader at(const std::string& key) const {
    if (!m_value.is_object()) fail("expected an object");
    const auto it = m_value.find(key);
    const std::string path = m_path.empty() ? key : m_path + "." + key;
    if (it == m_value.end()) throw input_error(fmt::format("{}: field '{}': missing", m_origin, path));
    return reader(*it, m_origin, path);
  }
  bool has(const std::string& key) const { return m_value.is_object() && m_value.contains(key); }
  reader index(std::size_t i) const { return reader(m_value.at(i), m_origin, fmt::format("{}[{}]", m_path, i)); }

  std::string string() const {
    if (!m_value.is_string()) fail("expected a string");
    return m_value.get<std::string>();
  }
  double number() const {
    if (!m_value.is_number()) fail("expected a number");
    return m_value.get<double>();
  }
  // Statistics may be null (NaN/Inf are written as null).
  double number_or_nan() const { return m_value.is_null() ? std::numeric_limits<double>::quiet_NaN() : number(); }
  std::int64_t integer() const {
    if (!m_value.is_number_integer()) fail("expected an integer");
    return m_value.get<std::int64_t>();
  }
  std::uint64_t unsigned_integer() const {
    if (!m_value.is_number_unsigned() && !(m_value.is_number_integer() && m_value.get<std::int64_t>() >= 0)) {
      fail("expected a non-negative integer");
    }
    return m_value.get<std::uint64_t>();
  }
  bool boolean() const {
    if (!m_value.is_boolean()) fail("expected true or false");
    return m_value.get<bool>();
  }
  std::size_t array_size() const {
    if (!m_value.is_array()) fail("expected an array");
    return m_value.size();
  }
  // Unknown keys are errors (a typo or a foreign file), unless the file is from a newer minor
  // schema version, which may add optional keys (semver).
  void only_keys(const json& known, bool strict) const {
    if (!m_value.is_object()) fail("expected an object");
    if (!strict) return;
    for (const auto& [key, value] : m_value.items()) {
      if (!known.contains(key)) {
        const std::string path = m_path.empty() ? key : m_path + "." + key;
        throw input_error(
            fmt::format("{}: field '{}': unknown key; the keys are those of docs/results-schema.md", m_origin, path));
      }
    }
  }

 private:
  const json& m_value;
  std::string m_origin;
  std::string m_path;
};

// The keys the writer emits, taken from the writer itself so the two cannot drift apart.
const json& written_case_keys() {
  static const json sample = [] {
    case_result c;
    c.verification = verification_result{};
    c.repetitions.emplace_back();
    c.repetitions.back().samples_s = {0.0};
    c.repetitions.back().telemetry.emplace_back();
    return to_json(c);
  }();
  return sample;
}

const json& written_run_keys() {
  static const json sample = to_json(run_record{});
  return sample;
}

sample_statistics read_stats(const reader& r, bool strict) {
  r.only_keys(written_case_keys()["stats"], strict);
  sample_statistics s;
  s.count = r.at("n").integer();
  s.median = r.at("median_s").number_or_nan();
  s.q1 = r.at("q1_s").number_or_nan();
  s.q3 = r.at("q3_s").number_or_nan();
  s.iqr = r.at("iqr_s").number_or_nan();
  s.min = r.at("min_s").number_or_nan();
  s.max = r.at("max_s").number_or_nan();
  s.mean = r.at("mean_s").number_or_nan();
  s.stdev = r.at("stdev_s").number_or_nan();
  s.cv = r.at("cv").number_or_nan();
  return s;
}

verification_result read_verification(const reader& r, bool strict) {
  r.only_keys(written_case_keys()["verification"], strict);
  verification_result v;
  v.passed = r.at("passed").boolean();
  v.mistrusted = r.at("mistrusted").boolean();
  v.method = r.at("method").string();
  v.error = r.at("error").number_or_nan();
  v.tolerance = r.at("tolerance").number_or_nan();
  v.max_local_error = r.at("max_local_error").number_or_nan();
  v.non_finite = r.at("non_finite").integer();
  v.zero_fraction = r.at("zero_fraction").number_or_nan();
  v.reason = r.at("reason").string();
  return v;
}

std::optional<double> optional_number(const reader& r) {
  if (r.value().is_null()) return std::nullopt;
  return r.number();
}

// A repetition's telemetry readings: each covers a run of existing samples.
std::vector<telemetry_reading> read_telemetry(const reader& r, std::size_t sample_count, bool strict) {
  std::vector<telemetry_reading> out;
  for (std::size_t i = 0; i < r.array_size(); ++i) {
    const reader entry = r.index(i);
    entry.only_keys(written_case_keys()["repetitions"][0]["telemetry"][0], strict);
    telemetry_reading t;
    t.first_sample = entry.at("first_sample").integer();
    t.samples = entry.at("samples").integer();
    if (t.first_sample < 0 || t.samples < 1 || static_cast<std::uint64_t>(t.first_sample) + t.samples > sample_count) {
      entry.fail(fmt::format("first_sample {} and samples {} must lie within the repetition's {} samples",
                             t.first_sample, t.samples, sample_count));
    }
    t.sm_clock_mhz = optional_number(entry.at("sm_clock_mhz"));
    t.memory_clock_mhz = optional_number(entry.at("memory_clock_mhz"));
    t.power_w = optional_number(entry.at("power_w"));
    t.temperature_c = optional_number(entry.at("temperature_c"));
    t.clock_event_reasons = entry.at("clock_event_reasons").string();
    t.throttled = entry.at("throttled").boolean();
    out.push_back(std::move(t));
  }
  return out;
}

case_result read_case(const reader& r, bool strict) {
  const json& keys = written_case_keys();
  r.only_keys(keys, strict);
  case_result c;
  c.workload = r.at("workload").string();
  c.kind = r.at("kind").string();
  c.backend = r.at("backend").string();
  c.backend_version = r.at("backend_version").string();
  const reader device = r.at("device");
  device.only_keys(keys["device"], strict);
  const std::int64_t device_index = device.at("index").integer();
  if (device_index < 0 || device_index > INT_MAX) device.at("index").fail("expected a device index >= 0");
  c.device_index = static_cast<int>(device_index);
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
  if (!r.at("verification").value().is_null()) c.verification = read_verification(r.at("verification"), strict);
  r.at("inputs").only_keys(keys["inputs"], strict);
  c.seed = r.at("inputs").at("seed").unsigned_integer();
  c.input_distribution = r.at("inputs").at("distribution").string();
  c.flops = r.at("flops").integer();
  if (c.flops < 0) r.at("flops").fail("expected a non-negative integer");
  c.flop_convention = r.at("flop_convention").string();
  c.min_bytes = r.at("min_bytes").integer();
  if (c.min_bytes < 0) r.at("min_bytes").fail("expected a non-negative integer");
  c.prepare_s = r.at("prepare_s").number_or_nan();
  c.verify_s = r.at("verify_s").number_or_nan();
  const reader repetitions = r.at("repetitions");
  for (std::size_t i = 0; i < repetitions.array_size(); ++i) {
    const reader rep = repetitions.index(i);
    rep.only_keys(keys["repetitions"][0], strict);
    repetition_record record;
    record.stop_reason = rep.at("stop_reason").string();
    if (rep.has("calls_per_sample")) {  // added in 1.3.0
      record.calls_per_sample = rep.at("calls_per_sample").integer();
      if (record.calls_per_sample < 1) rep.at("calls_per_sample").fail("expected an integer of at least 1");
    }
    record.warmup_calls = rep.at("warmup_calls").integer();
    record.warmup_s = rep.at("warmup_s").number_or_nan();
    record.wall_s = rep.at("wall_s").number_or_nan();
    record.stats = read_stats(rep.at("stats"), strict);
    const reader samples = rep.at("samples_s");
    for (std::size_t s = 0; s < samples.array_size(); ++s) record.samples_s.push_back(samples.index(s).number());
    if (rep.has("telemetry")) record.telemetry = read_telemetry(rep.at("telemetry"), record.samples_s.size(), strict);
    c.repetitions.push_back(std::move(record));
  }
  // Added in 1.2.0: derived from the telemetry, so it must agree with it.
  if (r.has("throttled_samples")) {
    const reader throttled = r.at("throttled_samples");
    const std::optional<std::int64_t> want = c.throttled_samples();
    const std::optional<std::int64_t> got =
        throttled.value().is_null() ? std::nullopt : std::optional<std::int64_t>(throttled.integer());
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
  const reader root(document, origin, "");
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
  const json& run_keys = written_run_keys();
  root.only_keys(run_keys, strict);
  run_record run;
  const reader meta = root.at("meta");
  meta.only_keys(run_keys["meta"], strict);
  run.meta.tool_version = meta.at("tool_version").string();
  run.meta.git_revision = meta.at("git_revision").string();
  run.meta.build_type = meta.at("build_type").string();
  const reader argv = meta.at("argv");
  for (std::size_t i = 0; i < argv.array_size(); ++i) run.meta.argv.push_back(argv.index(i).string());
  run.meta.started_at_utc = meta.at("started_at_utc").string();
  run.meta.timestamp_utc = meta.at("timestamp_utc").string();
  run.meta.wall_s = meta.at("wall_s").number_or_nan();
  run.meta.seed = meta.at("seed").unsigned_integer();
  if (!meta.at("stopping").value().is_object()) meta.at("stopping").fail("expected an object");
  run.meta.stopping = meta.at("stopping").value();
  // Added in 1.1.0; absent from 1.0.0 files.
  if (meta.has("run_id")) run.meta.run_id = meta.at("run_id").string();
  if (meta.has("shard") && !meta.at("shard").value().is_null()) {
    const reader shard = meta.at("shard");
    shard.only_keys(json{{"index", 0}, {"count", 0}}, strict);
    const std::int64_t index = shard.at("index").integer();
    const std::int64_t count = shard.at("count").integer();
    if (count < 1 || count > 1'000'000 || index < 0 || index >= count) {
      shard.fail("expected {\"index\": I, \"count\": N} with 0 <= I < N");
    }
    run.meta.shard_index = static_cast<int>(index);
    run.meta.shard_count = static_cast<int>(count);
  }
  if (!root.at("system").value().is_object()) root.at("system").fail("expected an object");
  run.system = root.at("system").value();
  // Optional: the machine's ceilings (accelbench run --ceilings FILE), validated when present.
  if (run.system.contains("ceilings")) ceilings_from_json(run.system["ceilings"], origin, "system.ceilings");
  const reader results = root.at("results");
  for (std::size_t i = 0; i < results.array_size(); ++i) run.results.push_back(read_case(results.index(i), strict));
  return run;
}

case_result case_from_json(const json& document, const std::string& origin, const std::string& path) {
  return read_case(reader(document, origin, path), true);
}

run_record read_result_file(const std::string& path) {
  std::ifstream file(path);
  if (!file) throw input_error(fmt::format("{}: cannot read the file", path));
  std::stringstream text;
  text << file.rdbuf();
  json document;
  try {
    document = json::parse(text.str());
  } catch (const json::parse_error& e) {
    throw input_error(fmt::format("{}: not valid JSON (byte {}): an accelbench result file is expected", path, e.byte));
  } catch (const json::exception& e) {  // e.g. a number too large for a double (found by fuzzing)
    throw input_error(fmt::format("{}: unreadable JSON: {}", path, e.what()));
  }
  return result_from_json(document, path);
}

}  // namespace accelbench
