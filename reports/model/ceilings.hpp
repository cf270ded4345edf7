#pragma once
// This machine's ceilings, as `accelbench peak` measures them: the theoretical CPU peak per
// dtype (ISA x cores x clock x FMA pipes, each input with where it came from), measured FMA
// throughput, STREAM-triad and read-only memory bandwidth and the best GEMM per dtype. Written
// by `peak --out FILE`, stored by `run --ceilings FILE` in a result's system block under
// "ceilings", and read back (validated) by the result reader so a report can show % of peak
// and % of the measured ceiling. docs/results-schema.md documents the keys.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace accelbench {

inline constexpr int ceilings_version = 1;

struct theoretical_peak {
  std::string dtype;             // f64, f32, bf16, f16, s8
  std::optional<double> tflops;  // null when this CPU has no native instruction for it
  std::string isa;               // the instructions the figure assumes (avx2+fma, avx512f, amx-bf16)
  std::string formula;           // how it was computed, or why it is null
};

struct measured_rate {
  std::string dtype;
  double tflops = 0.0;
  std::string isa;
  int threads = 0;
  std::string method;
};

struct gemm_ceiling {
  std::string dtype;
  std::optional<double> tflops;  // null when no backend ran it here
  std::string workload, backend;
  std::string reason;  // why null
};

struct machine_ceilings {
  std::string measured_at_utc;
  std::string host_processor_model_name;
  std::string cpu_vendor;  // cpuid vendor string
  int cpu_family = 0, cpu_model = 0;
  int cores = 0, threads = 0;
  std::vector<std::string> isa;  // the ISA features the figures use
  double clock_ghz = 0.0;
  std::string clock_source;  // e.g. "measured: dependent-add chain under load"
  int fma_pipes_per_core = 0;
  int vector_bits = 0;
  std::string fma_pipes_assumption;         // the microarchitecture table's row, stated
  std::optional<double> fma_pipes_implied;  // pipes the measured f32 FMA rate implies
  std::vector<theoretical_peak> theoretical;
  std::vector<measured_rate> measured_fma;
  std::optional<double> triad_gbps;
  std::int64_t triad_array_bytes = 0;  // per array
  int triad_threads = 0, triad_repeats = 0;
  std::string triad_method;
  std::optional<double> read_gbps;  // read-only bandwidth; absent from files older than it
  std::string read_method;
  std::vector<gemm_ceiling> best_gemm;

  // Lookups by result dtype name; nullopt when not known.
  std::optional<double> theoretical_tflops(std::string_view dtype) const;
  std::optional<double> measured_fma_tflops(std::string_view dtype) const;
  std::optional<double> best_gemm_tflops(std::string_view dtype) const;
  // The measured FMA rate implies a pipe count more than 25 % off the table's assumption (what
  // `peak` prints as DISAGREES): the clock or the assumption is wrong, so is the theoretical peak.
  bool fma_pipes_disagree() const;
};

nlohmann::ordered_json to_json(const machine_ceilings& c);
// Validates every key; throws input_error("ORIGIN: field 'PATH.clock.ghz': ...").
machine_ceilings ceilings_from_json(const nlohmann::ordered_json& value, const std::string& origin,
                                    const std::string& path);
machine_ceilings read_ceilings_file(const std::string& file);

}  // namespace accelbench
