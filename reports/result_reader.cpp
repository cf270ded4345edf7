#include "result_reader.hpp"

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "accelbench/errors.hpp"

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

 private:
  const json& m_value;
  std::string m_origin;
  std::string m_path;
};

sample_statistics read_stats(const reader& r) {
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

verification_result read_verification(const reader& r) {
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

case_result read_case(const reader& r) {
  case_result c;
  c.workload = r.at("workload").string();
  c.kind = r.at("kind").string();
  c.backend = r.at("backend").string();
  c.backend_version = r.at("backend_version").string();
  const reader device = r.at("device");
  c.device_index = static_cast<int>(device.at("index").integer());
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
    r.at("outcome").fail("expected passed, incorrect, failed, unsupported, skipped or mistrusted");
  }
  c.result = *result;
  c.reason = r.at("reason").string();
  c.plan_description = r.at("plan").string();
  if (!r.at("verification").value().is_null()) c.verification = read_verification(r.at("verification"));
  c.seed = r.at("inputs").at("seed").unsigned_integer();
  c.input_distribution = r.at("inputs").at("distribution").string();
  c.flops = r.at("flops").integer();
  c.flop_convention = r.at("flop_convention").string();
  c.min_bytes = r.at("min_bytes").integer();
  c.prepare_s = r.at("prepare_s").number_or_nan();
  c.verify_s = r.at("verify_s").number_or_nan();
  const reader repetitions = r.at("repetitions");
  for (std::size_t i = 0; i < repetitions.array_size(); ++i) {
    const reader rep = repetitions.index(i);
    repetition_record record;
    record.stop_reason = rep.at("stop_reason").string();
    record.warmup_calls = rep.at("warmup_calls").integer();
    record.warmup_s = rep.at("warmup_s").number_or_nan();
    record.wall_s = rep.at("wall_s").number_or_nan();
    record.stats = read_stats(rep.at("stats"));
    const reader samples = rep.at("samples_s");
    for (std::size_t s = 0; s < samples.array_size(); ++s) record.samples_s.push_back(samples.index(s).number());
    c.repetitions.push_back(std::move(record));
  }
  return c;
}

int major_version(const std::string& version) { return std::atoi(version.c_str()); }

}  // namespace

run_record result_from_json(const json& document, const std::string& origin) {
  const reader root(document, origin, "");
  if (!document.is_object()) root.fail("expected a JSON object (an accelbench result file)");
  const std::string version = root.at("schema_version").string();
  const int ours = major_version(results_schema_version);
  if (major_version(version) > ours) {
    root.at("schema_version").fail(fmt::format("version {} is newer than this accelbench reads ({}); upgrade accelbench",
                                               version, results_schema_version));
  }
  if (major_version(version) < ours) {
    root.at("schema_version").fail(fmt::format("version {} predates schema {}; re-run with this accelbench", version,
                                               results_schema_version));
  }
  run_record run;
  const reader meta = root.at("meta");
  run.meta.tool_version = meta.at("tool_version").string();
  run.meta.git_revision = meta.at("git_revision").string();
  run.meta.build_type = meta.at("build_type").string();
  const reader argv = meta.at("argv");
  for (std::size_t i = 0; i < argv.array_size(); ++i) run.meta.argv.push_back(argv.index(i).string());
  run.meta.started_at_utc = meta.at("started_at_utc").string();
  run.meta.timestamp_utc = meta.at("timestamp_utc").string();
  run.meta.wall_s = meta.at("wall_s").number_or_nan();
  run.meta.seed = meta.at("seed").unsigned_integer();
  run.meta.stopping = meta.at("stopping").value();
  if (!root.at("system").value().is_object()) root.at("system").fail("expected an object");
  run.system = root.at("system").value();
  const reader results = root.at("results");
  for (std::size_t i = 0; i < results.array_size(); ++i) run.results.push_back(read_case(results.index(i)));
  return run;
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
  }
  return result_from_json(document, path);
}

}  // namespace accelbench
