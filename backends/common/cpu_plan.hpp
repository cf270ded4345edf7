#pragma once
// Shared plumbing for in-tree CPU backends: a plan base class with steady-clock timer slots,
// and the ABI slots that are identical for every synchronous CPU backend. Exceptions thrown by
// a plan are caught here and turned into status codes; none crosses the C ABI.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "accelbench_backend.h"
#include "backends/common/abi_conversion.hpp"
#include "kernels/spec/host_tensor.hpp"
#include "kernels/spec/workload.hpp"

namespace accelbench::cpu {

class cpu_plan {
 public:
  virtual ~cpu_plan() = default;
  virtual void run() = 0;
  virtual void read_output(void* host, std::uint64_t bytes) = 0;
  // Called just before each start time is taken. With cold caches every call follows a flush of
  // milliseconds, long enough for a plan's idle worker threads to sleep; a plan that has some
  // wakes them here, so that the time is the call's and not the OS's wake-up, as in a loop of
  // calls back to back (docs/methodology.md).
  virtual void before_timed_call() {}

  std::string description;
  std::string last_error;
  std::vector<std::chrono::steady_clock::time_point> starts = std::vector<std::chrono::steady_clock::time_point>(64);
  std::vector<std::chrono::steady_clock::time_point> stops = std::vector<std::chrono::steady_clock::time_point>(64);
};

// Wakes the calling thread's OpenMP threads with an empty parallel region, for a plan whose
// library runs its work on them (oneDNN, on libgomp here). They sleep after spinning idle for a
// few milliseconds, less than a cold-cache flush; woken, they spin that long again, so a plan
// whose work runs on other threads must not call this. GOMP_parallel is what `#pragma omp
// parallel` compiles to with GCC (LLVM's libomp exports it too); with no OpenMP runtime loaded
// this does nothing.
void wake_openmp_threads();

inline ab_plan* to_handle(cpu_plan* plan) { return reinterpret_cast<ab_plan*>(plan); }
inline cpu_plan* from_handle(ab_plan* plan) { return reinterpret_cast<cpu_plan*>(plan); }

// Fills run, timer, read_output, last_error, plan_description and release.
void install_cpu_plan_slots(ab_backend& table);

// A plan-owned copy of one ABI input buffer (the caller's buffer may go away after prepare).
host_tensor copy_input(const ab_host_tensor& input, dtype type);

// The host CPU as one device: model name, usable memory, thread count.
ab_status describe_host_cpu(ab_device_info* out);
std::uint64_t host_available_memory_bytes();

// Host memory a case may not take: the process's code, stacks and per-thread buffers and the
// kernel's own need some, and a case that takes them all is killed rather than refused.
constexpr std::uint64_t host_memory_reserve_bytes = std::uint64_t{256} << 20;

// Whether `needed` bytes fit in `available` (0: unknown, so yes) with the reserve kept free.
bool fits_host_memory(std::uint64_t needed, std::uint64_t available);

// Unsupported (with the needed and available sizes) when the backend's buffers plus
// `workspace_bytes` would not fit in the host's available memory. Called again at prepare,
// after the harness has allocated its inputs and read-back buffer, so it sees what is left.
bool fits_host_memory(const workload& w, std::uint64_t workspace_bytes, char* reason, std::size_t reason_len);

}  // namespace accelbench::cpu
