#include "bench/runner/run_context.hpp"

#include <cstdlib>

#include <fmt/format.h>

namespace accelbench {
namespace {

std::string bytes_text(std::int64_t bytes) {
  if (bytes >= (std::int64_t{1} << 30)) return fmt::format("{:.3g} GiB", static_cast<double>(bytes) / (1 << 30));
  if (bytes >= (std::int64_t{1} << 20)) return fmt::format("{} MiB", bytes >> 20);
  return fmt::format("{} KiB", bytes >> 10);
}

}  // namespace

load_average current_load_average() {
  double values[3] = {0, 0, 0};
  if (getloadavg(values, 3) != 3) return {};
  return {values[0], values[1], values[2], true};
}

std::string format_run_context(const std::string& tool, const system_info& system, const load_average& load,
                               std::size_t cases, std::size_t repetitions) {
  std::string out = tool + "\n";
  out +=
      fmt::format("Run on {}: {}, {} core{}, {} hardware threads, {} memory", system.hostname, system.cpu_model,
                  system.cores, system.cores == 1 ? "" : "s", system.hardware_threads, bytes_text(system.memory_bytes));
  if (load.known) out += fmt::format("; load average {:.2f}, {:.2f}, {:.2f}", load.one, load.five, load.fifteen);
  out += "\n";
  if (!system.caches.empty()) {
    std::string caches;
    for (const cache_level& c : system.caches) {
      caches += fmt::format("{}{} {} (x{})", caches.empty() ? "" : ", ", c.name, bytes_text(c.size_bytes), c.instances);
    }
    out += "CPU caches: " + caches + "\n";
  }
  // The machine is busy when more runnable work than hardware threads competes with the run.
  const double threads = static_cast<double>(system.hardware_threads > 0 ? system.hardware_threads : 1);
  if (load.known && load.one >= threads) {
    out += fmt::format(
        "***WARNING*** load average {:.1f} on {} hardware threads: other work competes with the measurement; "
        "timings will be noisy (results stopped on the timeout are flagged 'noisy')\n",
        load.one, system.hardware_threads);
  }
  if (!system.scaling_governor.empty() && system.scaling_governor != "performance") {
    out += fmt::format(
        "***WARNING*** CPU frequency scaling governor is '{}': clocks may change during the run; 'performance' "
        "gives steadier figures\n",
        system.scaling_governor);
  }
  out += fmt::format("{} case{}, {} repetition{} each\n", cases, cases == 1 ? "" : "s", repetitions,
                     repetitions == 1 ? "" : "s");
  return out;
}

}  // namespace accelbench
