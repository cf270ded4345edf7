#include "bench/peak/machine_probe.hpp"

#include <algorithm>
#include <ctime>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "backends/loader/registry.hpp"
#include "bench/engine/case_runner.hpp"
#include "bench/engine/cpu_affinity.hpp"
#include "bench/engine/system_info.hpp"
#include "bench/peak/clock_measure.hpp"
#include "bench/peak/cpu_identity.hpp"
#include "bench/peak/fma_throughput.hpp"
#include "bench/peak/stream_read.hpp"
#include "bench/peak/stream_triad.hpp"
#include "bench/peak/thread_team.hpp"
#include "kernels/spec/errors.hpp"

namespace accelbench {
namespace {

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%SZ", &parts);
  return buffer;
}

// Theoretical peaks: each from native instructions only; a dtype without one is null with why.
std::vector<theoretical_peak> theoretical_peaks(const cpu_identity& cpu, const fma_units& units, int cores, double ghz,
                                                int& bits, int& pipes) {
  const bool fma256 = cpu.has("avx2") && cpu.has("fma") && units.per_cycle_256 > 0;
  const bool fma512 = cpu.has("avx512f") && units.per_cycle_512 > 0;
  bits = fma512 ? 512 : fma256 ? 256 : 0;
  pipes = fma512 ? units.per_cycle_512 : fma256 ? units.per_cycle_256 : 0;
  const std::string vec_isa = fma512 ? "avx512f" : "avx2+fma";
  std::vector<theoretical_peak> out;
  auto vector_rate = [&](const char* dtype, int element_bits) {
    if (bits == 0 || ghz <= 0) {
      out.push_back({dtype, std::nullopt, "", "no FMA ISA with a known pipe count (or no clock): not computed"});
      return;
    }
    const int lanes = bits / element_bits;
    const double tflops = cores * pipes * lanes * 2.0 * ghz / 1e3;
    out.push_back({dtype, tflops, vec_isa,
                   fmt::format("{} cores x {} FMA/cycle x {} lanes x 2 FLOP x {:.3f} GHz", cores, pipes, lanes, ghz)});
  };
  vector_rate("f64", 64);
  vector_rate("f32", 32);
  auto per_core = [&](const char* dtype, const char* isa, double per_cycle, const char* what) {
    out.push_back({dtype, cores * per_cycle * ghz / 1e3, isa,
                   fmt::format("{} cores x {} {}/cycle ({}) x {:.3f} GHz", cores, per_cycle,
                               std::string(dtype) == "s8" ? "OP" : "FLOP", what, ghz)});
  };
  if (cpu.has("amx_bf16")) {
    per_core("bf16", "amx-bf16", 1024, "AMX TMUL, Intel's figure");
  } else if (cpu.has("avx512_bf16") && bits == 512) {
    per_core("bf16", "avx512_bf16", pipes * 64.0, "vdpbf16ps: 16 lanes x 2 products x 2 per instruction");
  } else {
    out.push_back({"bf16", std::nullopt, "", "no AVX512-BF16 or AMX-BF16: no native bf16 arithmetic on this CPU"});
  }
  if (cpu.has("amx_fp16")) {
    per_core("f16", "amx-fp16", 1024, "AMX TMUL, Intel's figure");
  } else if (cpu.has("avx512_fp16") && bits == 512) {
    per_core("f16", "avx512_fp16", pipes * 64.0, "vfmadd..ph: 32 lanes x 2 per instruction");
  } else {
    out.push_back(
        {"f16", std::nullopt, "", "no AVX512-FP16 or AMX-FP16: f16 is converted (F16C), not computed natively"});
  }
  if (cpu.has("amx_int8")) {
    per_core("s8", "amx-int8", 2048, "AMX TMUL, Intel's figure");
  } else if (cpu.has("avx512_vnni") && bits == 512) {
    per_core("s8", "avx512_vnni", pipes * 128.0, "vpdpbusd: 16 lanes x 4 MAC x 2 per instruction");
  } else if (cpu.has("avx_vnni") && units.per_cycle_256 > 0) {
    per_core("s8", "avx_vnni", units.per_cycle_256 * 64.0, "vpdpbusd ymm: 8 lanes x 4 MAC x 2 per instruction");
  } else {
    out.push_back(
        {"s8", std::nullopt, "", "no VNNI or AMX-INT8: int8 dot products need multi-instruction sequences here"});
  }
  return out;
}

std::vector<gemm_ceiling> best_gemms(const probe_options& options, std::int64_t llc_bytes) {
  std::vector<backend_entry> entries = load_backends();
  std::vector<const backend_entry*> backends;
  std::set<std::string> wanted;
  if (!options.backends.empty()) {
    std::stringstream list(options.backends);
    std::string name;
    while (std::getline(list, name, ',')) wanted.insert(name);
  }
  for (const backend_entry& e : entries) {
    if (!e.available || e.devices.empty()) continue;
    if (wanted.empty() ? e.name != "reference" : wanted.count(e.name) != 0) backends.push_back(&e);
  }
  for (const std::string& name : wanted) {
    const bool found =
        std::any_of(backends.begin(), backends.end(), [&](const backend_entry* e) { return e->name == name; });
    if (!found)
      throw input_error(fmt::format("--backend '{}': not an available backend (see 'accelbench list backends')", name));
  }
  run_options run;
  run.cache = cache_policy::cold;
  run.stop.min_samples = 3;
  run.stop.min_time_s = 0.1;
  run.stop.max_noise = 0.03;
  run.stop.timeout_s = 0.6;
  run.stop.warmup_time_s = 0.03;
  case_runner runner(run, llc_bytes);
  std::vector<gemm_ceiling> out;
  for (const std::string& dtype : options.gemm_dtypes) {
    gemm_ceiling best{dtype, std::nullopt, "", "", ""};
    std::set<std::string> reasons;
    for (const backend_entry* backend : backends) {
      // Only the CPU devices: this is the host's ceiling (accelerators have their own specs).
      for (const device_description& device : backend->devices) {
        if (device.kind != "cpu") continue;
        for (int size : options.gemm_sizes) {
          const std::string text = fmt::format("gemm:m={0},n={0},k={0},dt={1}", size, dtype);
          if (options.progress) options.progress(fmt::format("gemm {} on {}", text, backend->name));
          bench_case c{text, parse_workload(text), backend, device.index};
          case_result record = runner.new_record(c);
          runner.run_repetition(c, record);
          if (const auto tflops = record.tflops(); tflops && record.result == outcome::passed) {
            if (!best.tflops || *tflops > *best.tflops) {
              best.tflops = tflops;
              best.workload = text;
              best.backend = backend->name;
            }
          } else {
            reasons.insert(fmt::format("{}: {}", backend->name,
                                       record.reason.empty() ? std::string(to_string(record.result)) : record.reason));
            break;  // a backend that cannot do this dtype at one size will not at another
          }
        }
      }
    }
    if (!best.tflops) {
      for (const std::string& r : reasons) best.reason += (best.reason.empty() ? "" : "; ") + r;
      if (best.reason.empty()) best.reason = "no CPU backend available";
    }
    out.push_back(best);
  }
  shutdown_backends(entries);
  return out;
}

}  // namespace

machine_ceilings probe_machine(const probe_options& options) {
  auto say = [&](const std::string& line) {
    if (options.progress) options.progress(line);
  };
  machine_ceilings c;
  c.measured_at_utc = utc_now();
  const system_info system = detect_system();
  const cpu_identity cpu = detect_cpu_identity();
  c.host_processor_model_name = system.cpu_model;
  c.cpu_vendor = cpu.vendor;
  c.cpu_family = cpu.family;
  c.cpu_model = cpu.model;
  c.cores = static_cast<int>(std::max<std::int64_t>(1, system.cores));
  c.threads = static_cast<int>(std::max<std::int64_t>(c.cores, system.hardware_threads));
  c.threads = std::min<int>(c.threads, static_cast<int>(std::max<std::size_t>(1, allowed_cpus().size())));
  c.isa = system.cpu_flags;

  say("clock");
  const clock_estimate clock = estimate_clock(c.threads);
  c.clock_ghz = clock.ghz;
  c.clock_source = clock.source;

  const fma_units units = lookup_fma_units(cpu);
  int bits = 0, pipes = 0;
  c.theoretical = theoretical_peaks(cpu, units, c.cores, c.clock_ghz, bits, pipes);
  c.fma_pipes_per_core = pipes;
  c.vector_bits = bits;
  c.fma_pipes_assumption = fmt::format("{}: {} (FMA pipe count is not in CPUID; table in bench/peak/cpu_identity.cpp)",
                                       units.microarchitecture, units.assumption);

  say("fma throughput");
  for (const fma_measurement& m : measure_fma(cpu, c.threads, options.fma_seconds, options.repeats)) {
    const std::string chains = m.isa == "amx-bf16"
                                   ? "4 tile accumulators (tdpbf16ps, operands held in tiles)"
                                   : fmt::format("{} independent FMA chains", m.vector_bits == 512 ? 24 : 12);
    c.measured_fma.push_back({m.dtype, m.tflops, m.isa, m.threads,
                              fmt::format("{} per thread, {} threads pinned, best of {} passes of ~{:.2f} s", chains,
                                          m.threads, options.repeats, m.seconds)});
    // Cross-check of the pipe table with the widest f32 kernel.
    if (m.dtype == "f32" && m.vector_bits == bits && c.clock_ghz > 0) {
      c.fma_pipes_implied = m.tflops * 1e3 / (c.cores * (bits / 32) * 2.0 * c.clock_ghz);
    }
  }

  say("memory bandwidth (STREAM triad)");
  const triad_result triad = measure_triad(system.last_level_cache_bytes, c.threads, std::max(options.repeats, 3) * 2);
  c.triad_gbps = triad.best_gbps;
  c.triad_array_bytes = triad.array_bytes;
  c.triad_threads = triad.threads;
  c.triad_repeats = triad.repeats;
  c.triad_method = fmt::format(
      "a[i] = b[i] + 3 c[i], f64, 3 arrays of {} MiB (>= 4x the {} MiB last-level cache), "
      "{} threads pinned, first-touch, best of {}; 24 bytes/element counted (STREAM convention)",
      triad.array_bytes >> 20, system.last_level_cache_bytes >> 20, triad.threads, triad.repeats);
  say("memory bandwidth (read only)");
  const read_result read = measure_read(system.last_level_cache_bytes, c.threads, std::max(options.repeats, 3) * 2);
  c.read_gbps = read.best_gbps;
  c.read_method = fmt::format(
      "sum of one f64 array of {} MiB, {} threads pinned, each reading its share as {} sequential runs side by "
      "side, first-touch, best of {}; 8 bytes/element",
      read.array_bytes >> 20, read.threads, read.runs_per_thread, read.repeats);

  if (options.gemm) c.best_gemm = best_gemms(options, system.last_level_cache_bytes);
  return c;
}

}  // namespace accelbench
