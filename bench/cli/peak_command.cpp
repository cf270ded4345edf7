// accelbench peak: this machine's ceilings. Theoretical CPU peak per dtype (ISA x cores x FMA
// pipes x clock, each input's source stated), measured FMA throughput, STREAM triad and
// read-only bandwidth, best GEMM per dtype. --out writes the "ceilings" JSON that `run
// --ceilings FILE` stores in the result's system block, so reports show % of peak and % of the
// measured ceiling.
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <sstream>

#include <fmt/format.h>

#include "bench/cli/commands.hpp"
#include "bench/peak/machine_probe.hpp"
#include "kernels/spec/errors.hpp"
#include "reports/model/atomic_file.hpp"

namespace accelbench {
namespace {

struct peak_arguments {
  std::string out;
  std::string gemm_sizes = "1024,2048";
  std::string backends;
  int repeats = 5;
  bool no_gemm = false;
  bool quiet = false;
};

std::string tflops_text(const std::optional<double>& v) { return v ? fmt::format("{:.4g}", *v) : std::string("-"); }

void print_ceilings(const machine_ceilings& c) {
  fmt::print("CPU        {} ({} family {:#x} model {:#x}), {} cores, {} threads\n", c.host_processor_model_name,
             c.cpu_vendor.empty() ? "?" : c.cpu_vendor, c.cpu_family, c.cpu_model, c.cores, c.threads);
  fmt::print("clock      {:.3f} GHz, {}\n", c.clock_ghz, c.clock_source);
  fmt::print("FMA units  {} x {}-bit FMA per cycle per core, assumed: {}\n", c.fma_pipes_per_core, c.vector_bits,
             c.fma_pipes_assumption);
  if (c.fma_pipes_implied) {
    fmt::print(
        "           cross-check: the measured f32 FMA rate implies {:.2f} FMA/cycle/core at that clock{}\n",
        *c.fma_pipes_implied,
        c.fma_pipes_disagree() ? " -- DISAGREES with the table (check the clock or the assumption)" : " (consistent)");
  }
  fmt::print("\n{:<6} {:>12} {:<12} {:>12} {:>8} {:>12}  {}\n", "dtype", "theoretical", "ISA", "FMA meas.", "% theo",
             "best GEMM", "GEMM workload / backend, or why not");
  for (const theoretical_peak& t : c.theoretical) {
    const auto fma = c.measured_fma_tflops(t.dtype);
    std::string fma_isa;
    for (const measured_rate& m : c.measured_fma) {
      if (m.dtype == t.dtype) {
        fma_isa = m.isa;
        break;  // the widest ISA comes first
      }
    }
    std::string gemm_note;
    std::optional<double> gemm;
    for (const gemm_ceiling& g : c.best_gemm) {
      if (g.dtype == t.dtype) {
        gemm = g.tflops;
        gemm_note = g.tflops ? g.workload + " / " + g.backend : g.reason;
      }
    }
    fmt::print("{:<6} {:>12} {:<12} {:>12} {:>8} {:>12}  {}\n", t.dtype, tflops_text(t.tflops),
               t.tflops ? t.isa : std::string("-"), tflops_text(fma),
               fma && t.tflops ? fmt::format("{:.1f}%", 100.0 * *fma / *t.tflops) : std::string("-"), tflops_text(gemm),
               gemm_note);
  }
  fmt::print("(TFLOPS; TOPS for s8)\n");
  for (const theoretical_peak& t : c.theoretical) fmt::print("  {:<5} {}\n", t.dtype, t.formula);
  fmt::print("\nmemory     {} GB/s STREAM triad: {}\n", c.triad_gbps ? fmt::format("{:.2f}", *c.triad_gbps) : "-",
             c.triad_method);
  fmt::print("           {} GB/s read only: {}\n", c.read_gbps ? fmt::format("{:.2f}", *c.read_gbps) : "-",
             c.read_method.empty() ? "not measured (a file written before accelbench measured it)" : c.read_method);
}

std::vector<int> parse_sizes(const std::string& text) {
  std::vector<int> sizes;
  std::stringstream list(text);
  std::string item;
  while (std::getline(list, item, ',')) {
    try {
      std::size_t used = 0;
      const int v = std::stoi(item, &used);
      if (used != item.size() || v < 16 || v > 16384) throw std::invalid_argument("range");
      sizes.push_back(v);
    } catch (const std::exception&) {
      throw input_error(
          fmt::format("--gemm-sizes '{}': expected comma-separated integers in [16, 16384], e.g. 1024,2048", text));
    }
  }
  if (sizes.empty()) throw input_error("--gemm-sizes: expected at least one size, e.g. 1024,2048");
  return sizes;
}

int peak_command(const peak_arguments& args) {
  probe_options options;
  options.gemm = !args.no_gemm;
  options.gemm_sizes = parse_sizes(args.gemm_sizes);
  options.backends = args.backends;
  options.repeats = args.repeats;
  if (!args.out.empty()) {
    // Fail before measuring if the file could not be written at the end.
    const std::string probe = fmt::format("{}.probe.{}", args.out, getpid());
    std::FILE* f = std::fopen(probe.c_str(), "w");
    if (f == nullptr) throw input_error(fmt::format("--out '{}': cannot create a file there", args.out));
    std::fclose(f);
    std::remove(probe.c_str());
  }
  const bool progress = isatty(STDERR_FILENO) != 0 && !args.quiet;
  options.progress = [progress](const std::string& line) {
    if (progress) {
      std::fprintf(stderr, "\r\033[Kpeak: %s", line.c_str());
      std::fflush(stderr);
    }
  };
  const machine_ceilings c = probe_machine(options);
  if (progress) std::fprintf(stderr, "\r\033[K");
  print_ceilings(c);
  if (!args.out.empty()) {
    write_file_atomically(args.out, to_json(c).dump(2) + "\n");
    fmt::print("\nceilings written to {} (use: accelbench run --ceilings {})\n", args.out, args.out);
  }
  return 0;
}

}  // namespace

command add_peak_command(CLI::App& parent) {
  auto args = std::make_shared<peak_arguments>();
  CLI::App* cmd = parent.add_subcommand(
      "peak",
      "This machine's ceilings: theoretical CPU peak per dtype, measured FMA throughput (and the AMX-BF16 tile rate "
      "where the CPU has AMX), triad and read-only bandwidth, best GEMM");
  cmd->set_version_flag("--version", version_text());
  cmd->add_option("--out,-o", args->out, "Write the ceilings JSON here (for 'accelbench run --ceilings FILE')");
  cmd->add_option("--gemm-sizes", args->gemm_sizes, "Square GEMM sizes tried per dtype")->capture_default_str();
  cmd->add_option("--backend,-b", args->backends,
                  "Backends for the best-GEMM search (default: all available but reference)");
  cmd->add_option("--repeats", args->repeats, "Best of N passes for the FMA and memory bandwidth measurements")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  cmd->add_flag("--no-gemm", args->no_gemm,
                "Skip the best-GEMM search (FMA, clock and memory bandwidth only: a few seconds)");
  cmd->add_flag("--quiet,-q", args->quiet, "No progress line");
  cmd->footer(
      "Theoretical peaks use native instructions only; the FMA pipe count per core comes from a table keyed on\n"
      "CPU vendor/family/model (stated in the output) and is cross-checked against the measured FMA rate.\n\n"
      "Examples:\n"
      "  accelbench peak --out ceilings.json        then: accelbench run --ceilings ceilings.json\n"
      "  accelbench peak --no-gemm                  clock, FMA rate and memory bandwidth only");
  return {cmd, [args] { return peak_command(*args); }};
}

}  // namespace accelbench
