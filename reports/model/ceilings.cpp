#include "reports/model/ceilings.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "kernels/spec/errors.hpp"

namespace accelbench {
namespace {

using json = nlohmann::ordered_json;

json number_or_null(const std::optional<double>& v) { return v && std::isfinite(*v) ? json(*v) : json(nullptr); }

class cursor {
 public:
  cursor(const json& value, std::string origin, std::string path)
      : m_value(value), m_origin(std::move(origin)), m_path(std::move(path)) {}
  [[noreturn]] void fail(const std::string& what) const {
    throw input_error(fmt::format("{}: field '{}': {}", m_origin, m_path, what));
  }
  cursor at(const std::string& key) const {
    if (!m_value.is_object()) fail("expected an object");
    const std::string path = m_path.empty() ? key : m_path + "." + key;
    const auto it = m_value.find(key);
    if (it == m_value.end()) cursor(m_value, m_origin, path).fail("missing");
    return cursor(*it, m_origin, path);
  }
  cursor index(std::size_t i) const { return cursor(m_value.at(i), m_origin, fmt::format("{}[{}]", m_path, i)); }
  std::size_t size() const {
    if (!m_value.is_array()) fail("expected an array");
    return m_value.size();
  }
  std::string string() const {
    if (!m_value.is_string()) fail("expected a string");
    return m_value.get<std::string>();
  }
  int integer() const {
    if (!m_value.is_number_integer() || m_value.get<std::int64_t>() < 0) fail("expected a non-negative integer");
    return static_cast<int>(m_value.get<std::int64_t>());
  }
  std::int64_t integer64() const {
    if (!m_value.is_number_integer() || m_value.get<std::int64_t>() < 0) fail("expected a non-negative integer");
    return m_value.get<std::int64_t>();
  }
  double positive() const {
    if (!m_value.is_number() || !(m_value.get<double>() > 0)) fail("expected a positive number");
    return m_value.get<double>();
  }
  std::optional<double> positive_or_null() const {
    if (m_value.is_null()) return std::nullopt;
    return positive();
  }

 private:
  const json& m_value;
  std::string m_origin, m_path;
};

}  // namespace

std::optional<double> machine_ceilings::theoretical_tflops(std::string_view dtype) const {
  for (const theoretical_peak& t : theoretical) {
    if (t.dtype == dtype) return t.tflops;
  }
  return std::nullopt;
}

std::optional<double> machine_ceilings::measured_fma_tflops(std::string_view dtype) const {
  for (const measured_rate& m : measured_fma) {
    if (m.dtype == dtype) return m.tflops;
  }
  return std::nullopt;
}

std::optional<double> machine_ceilings::best_gemm_tflops(std::string_view dtype) const {
  for (const gemm_ceiling& g : best_gemm) {
    if (g.dtype == dtype) return g.tflops;
  }
  return std::nullopt;
}

json to_json(const machine_ceilings& c) {
  json theoretical = json::array();
  for (const theoretical_peak& t : c.theoretical) {
    theoretical.push_back(
        {{"dtype", t.dtype}, {"tflops", number_or_null(t.tflops)}, {"isa", t.isa}, {"formula", t.formula}});
  }
  json fma = json::array();
  for (const measured_rate& m : c.measured_fma) {
    fma.push_back(
        {{"dtype", m.dtype}, {"tflops", m.tflops}, {"isa", m.isa}, {"threads", m.threads}, {"method", m.method}});
  }
  json gemm = json::array();
  for (const gemm_ceiling& g : c.best_gemm) {
    gemm.push_back({{"dtype", g.dtype},
                    {"tflops", number_or_null(g.tflops)},
                    {"workload", g.workload},
                    {"backend", g.backend},
                    {"reason", g.reason}});
  }
  return {{"ceilings_version", ceilings_version},
          {"measured_at_utc", c.measured_at_utc},
          {"host_processor_model_name", c.host_processor_model_name},
          {"cpu",
           {{"vendor", c.cpu_vendor},
            {"family", c.cpu_family},
            {"model", c.cpu_model},
            {"cores", c.cores},
            {"threads", c.threads},
            {"isa", c.isa}}},
          {"clock", {{"ghz", c.clock_ghz}, {"source", c.clock_source}}},
          {"fma_units",
           {{"pipes_per_core", c.fma_pipes_per_core},
            {"vector_bits", c.vector_bits},
            {"assumption", c.fma_pipes_assumption},
            {"implied_by_measurement", number_or_null(c.fma_pipes_implied)}}},
          {"theoretical", theoretical},
          {"measured_fma", fma},
          {"memory_bandwidth",
           {{"triad_gbps", number_or_null(c.triad_gbps)},
            {"array_bytes", c.triad_array_bytes},
            {"threads", c.triad_threads},
            {"repeats", c.triad_repeats},
            {"method", c.triad_method}}},
          {"best_gemm", gemm}};
}

machine_ceilings ceilings_from_json(const json& value, const std::string& origin, const std::string& path) {
  const cursor root(value, origin, path);
  if (!value.is_object()) root.fail("expected an object (an accelbench peak --out file)");
  const int version = root.at("ceilings_version").integer();
  if (version != ceilings_version) {
    root.at("ceilings_version")
        .fail(fmt::format("version {} is not the one this accelbench reads ({})", version, ceilings_version));
  }
  machine_ceilings c;
  c.measured_at_utc = root.at("measured_at_utc").string();
  c.host_processor_model_name = root.at("host_processor_model_name").string();
  const cursor cpu = root.at("cpu");
  c.cpu_vendor = cpu.at("vendor").string();
  c.cpu_family = cpu.at("family").integer();
  c.cpu_model = cpu.at("model").integer();
  c.cores = cpu.at("cores").integer();
  c.threads = cpu.at("threads").integer();
  if (c.cores < 1) cpu.at("cores").fail("expected at least 1");
  const cursor isa = cpu.at("isa");
  for (std::size_t i = 0; i < isa.size(); ++i) c.isa.push_back(isa.index(i).string());
  c.clock_ghz = root.at("clock").at("ghz").positive();
  c.clock_source = root.at("clock").at("source").string();
  const cursor fma_units = root.at("fma_units");
  c.fma_pipes_per_core = fma_units.at("pipes_per_core").integer();
  c.vector_bits = fma_units.at("vector_bits").integer();
  c.fma_pipes_assumption = fma_units.at("assumption").string();
  c.fma_pipes_implied = fma_units.at("implied_by_measurement").positive_or_null();
  const cursor theoretical = root.at("theoretical");
  for (std::size_t i = 0; i < theoretical.size(); ++i) {
    const cursor t = theoretical.index(i);
    c.theoretical.push_back(
        {t.at("dtype").string(), t.at("tflops").positive_or_null(), t.at("isa").string(), t.at("formula").string()});
  }
  const cursor fma = root.at("measured_fma");
  for (std::size_t i = 0; i < fma.size(); ++i) {
    const cursor m = fma.index(i);
    c.measured_fma.push_back({m.at("dtype").string(), m.at("tflops").positive(), m.at("isa").string(),
                              m.at("threads").integer(), m.at("method").string()});
  }
  const cursor memory = root.at("memory_bandwidth");
  c.triad_gbps = memory.at("triad_gbps").positive_or_null();
  c.triad_array_bytes = memory.at("array_bytes").integer64();
  c.triad_threads = memory.at("threads").integer();
  c.triad_repeats = memory.at("repeats").integer();
  c.triad_method = memory.at("method").string();
  const cursor gemm = root.at("best_gemm");
  for (std::size_t i = 0; i < gemm.size(); ++i) {
    const cursor g = gemm.index(i);
    c.best_gemm.push_back({g.at("dtype").string(), g.at("tflops").positive_or_null(), g.at("workload").string(),
                           g.at("backend").string(), g.at("reason").string()});
  }
  return c;
}

machine_ceilings read_ceilings_file(const std::string& file) {
  std::ifstream in(file);
  if (!in)
    throw input_error(fmt::format("{}: cannot read the file (write one with 'accelbench peak --out FILE')", file));
  std::stringstream text;
  text << in.rdbuf();
  json document;
  try {
    document = json::parse(text.str());
  } catch (const json::parse_error& e) {
    throw input_error(
        fmt::format("{}: not valid JSON (byte {}): an 'accelbench peak --out' file is expected", file, e.byte));
  } catch (const json::exception& e) {  // e.g. a number too large for a double
    throw input_error(fmt::format("{}: unreadable JSON: {}", file, e.what()));
  }
  return ceilings_from_json(document, file, "");
}

}  // namespace accelbench
