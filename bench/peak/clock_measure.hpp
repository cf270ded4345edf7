#pragma once
// The core clock. /sys cpufreq's cpuinfo_max_freq when the kernel exposes it (often absent in
// VMs); otherwise, or in addition, measured: a chain of dependent integer adds retires one per
// cycle on every x86-64 and AArch64 core, so adds / seconds is the clock actually running,
// under load when all threads run it at once.
#include <optional>
#include <string>

namespace accelbench {

struct clock_estimate {
  double ghz = 0.0;    // the value used for theoretical peaks
  std::string source;  // where it came from, stated in the output
  std::optional<double> cpufreq_max_ghz;
  std::optional<double> measured_ghz;  // median over threads, all threads loaded
};

clock_estimate estimate_clock(int threads);

// One thread's dependent-add clock, in GHz (0 where the architecture has no chain here).
double measure_clock_one_thread(double seconds);

}  // namespace accelbench
