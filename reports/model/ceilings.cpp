#include "reports/model/ceilings.hpp"

#include <cmath>

#include <fmt/format.h>

#include "reports/model/json_input.hpp"
#include "reports/model/json_output.hpp"

namespace accelbench {

using json = nlohmann::ordered_json;

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

bool machine_ceilings::fma_pipes_disagree() const {
  return fma_pipes_implied && std::abs(*fma_pipes_implied - fma_pipes_per_core) > 0.25 * fma_pipes_per_core;
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
            {"method", c.triad_method},
            {"read_gbps", number_or_null(c.read_gbps)},
            {"read_method", c.read_method}}},
          {"best_gemm", gemm}};
}

machine_ceilings ceilings_from_json(const json& value, const std::string& origin, const std::string& path) {
  const json_cursor root(value, origin, path);
  if (!value.is_object()) root.fail("expected an object (an accelbench peak --out file)");
  const int version = root.at("ceilings_version").small_integer(0);
  if (version != ceilings_version) {
    root.at("ceilings_version")
        .fail(fmt::format("version {} is not the one this accelbench reads ({})", version, ceilings_version));
  }
  machine_ceilings c;
  c.measured_at_utc = root.at("measured_at_utc").string();
  c.host_processor_model_name = root.at("host_processor_model_name").string();
  const json_cursor cpu = root.at("cpu");
  c.cpu_vendor = cpu.at("vendor").string();
  c.cpu_family = cpu.at("family").small_integer(0);
  c.cpu_model = cpu.at("model").small_integer(0);
  c.cores = cpu.at("cores").small_integer(1);
  c.threads = cpu.at("threads").small_integer(0);
  const json_cursor isa = cpu.at("isa");
  for (std::size_t i = 0; i < isa.array_size(); ++i) c.isa.push_back(isa.index(i).string());
  c.clock_ghz = root.at("clock").at("ghz").positive();
  c.clock_source = root.at("clock").at("source").string();
  const json_cursor fma_units = root.at("fma_units");
  c.fma_pipes_per_core = fma_units.at("pipes_per_core").small_integer(0);
  c.vector_bits = fma_units.at("vector_bits").small_integer(0);
  c.fma_pipes_assumption = fma_units.at("assumption").string();
  c.fma_pipes_implied = fma_units.at("implied_by_measurement").positive_or_null();
  const json_cursor theoretical = root.at("theoretical");
  for (std::size_t i = 0; i < theoretical.array_size(); ++i) {
    const json_cursor t = theoretical.index(i);
    c.theoretical.push_back(
        {t.at("dtype").string(), t.at("tflops").positive_or_null(), t.at("isa").string(), t.at("formula").string()});
  }
  const json_cursor fma = root.at("measured_fma");
  for (std::size_t i = 0; i < fma.array_size(); ++i) {
    const json_cursor m = fma.index(i);
    c.measured_fma.push_back({m.at("dtype").string(), m.at("tflops").positive(), m.at("isa").string(),
                              m.at("threads").small_integer(0), m.at("method").string()});
  }
  const json_cursor memory = root.at("memory_bandwidth");
  c.triad_gbps = memory.at("triad_gbps").positive_or_null();
  c.triad_array_bytes = memory.at("array_bytes").integer(0);
  c.triad_threads = memory.at("threads").small_integer(0);
  c.triad_repeats = memory.at("repeats").small_integer(0);
  c.triad_method = memory.at("method").string();
  if (memory.has("read_gbps")) {  // written since 2026-12-07; earlier files have the triad only
    c.read_gbps = memory.at("read_gbps").positive_or_null();
    c.read_method = memory.at("read_method").string();
  }
  const json_cursor gemm = root.at("best_gemm");
  for (std::size_t i = 0; i < gemm.array_size(); ++i) {
    const json_cursor g = gemm.index(i);
    c.best_gemm.push_back({g.at("dtype").string(), g.at("tflops").positive_or_null(), g.at("workload").string(),
                           g.at("backend").string(), g.at("reason").string()});
  }
  return c;
}

machine_ceilings read_ceilings_file(const std::string& file) {
  return ceilings_from_json(read_json_file(file, "write one with 'accelbench peak --out FILE'"), file, "");
}

}  // namespace accelbench
