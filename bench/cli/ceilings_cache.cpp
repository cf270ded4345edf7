#include "bench/cli/ceilings_cache.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>

#include "bench/peak/machine_probe.hpp"
#include "kernels/spec/errors.hpp"
#include "reports/model/atomic_file.hpp"

namespace accelbench {

std::string cache_directory() {
  if (const char* dir = std::getenv("ACCELBENCH_CACHE_DIR"); dir != nullptr && *dir != '\0') return dir;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg != '\0') {
    return std::string(xdg) + "/accelbench";
  }
  const char* home = std::getenv("HOME");
  return std::string(home != nullptr && *home != '\0' ? home : "/tmp") + "/.cache/accelbench";
}

machine_ceilings cached_ceilings(const system_info& system, bool quiet, std::string& path) {
  const std::string directory = cache_directory();
  path = fmt::format("{}/ceilings-{}.json", directory, system.system_desc_id());
  std::error_code error;
  if (std::filesystem::exists(path, error)) {
    machine_ceilings cached = read_ceilings_file(path);
    // A file without the read-only figure predates the fix of peak's team clock, which timed
    // the triad from the caller's clock and overstated it on machines whose CPUs the team fills:
    // measure again rather than judge results against it. Not a ceilings_version bump: every
    // earlier result file embeds version-1 ceilings in its system block and must still read.
    if (cached.read_gbps) return cached;
    if (!quiet)
      std::fprintf(stderr, "accelbench: %s predates the read-only bandwidth: measuring again\n", path.c_str());
  }

  std::filesystem::create_directories(directory, error);
  if (error) {
    throw input_error(
        fmt::format("--ceilings auto: cannot create the cache folder '{}' ({}); set "
                    "ACCELBENCH_CACHE_DIR or pass --ceilings FILE",
                    directory, error.message()));
  }
  if (!quiet) {
    std::fprintf(stderr,
                 "accelbench: measuring this machine's ceilings once (peak --no-gemm: clock, FMA rate, memory "
                 "bandwidth)...\n");
  }
  const auto start = std::chrono::steady_clock::now();
  probe_options options;
  options.gemm = false;
  options.repeats = 2;  // quick: best of 2 (peak --out measures best of 5, and the best GEMMs)
  const machine_ceilings ceilings = probe_machine(options);
  write_file_atomically(path, to_json(ceilings).dump(2) + "\n");
  if (!quiet) {
    std::fprintf(stderr, "accelbench: ceilings measured in %.0f s, cached in %s\n",
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), path.c_str());
  }
  return ceilings;
}

}  // namespace accelbench
