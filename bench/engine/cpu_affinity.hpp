#pragma once
// The CPUs this process may run on, and pinning a thread to one of them: what work spread over
// every CPU needs (the cold-cache flush, accelbench peak's thread team).
#include <functional>
#include <string>
#include <vector>

namespace accelbench {

// CPUs this process may run on (sched_getaffinity), in order; empty if the call failed.
std::vector<int> allowed_cpus();

// Pins the calling thread to `cpu`; best effort (false when the OS refused).
bool pin_this_thread(int cpu);

// A Linux CPU list ("0-3,8,10-11", as in sysfs) as CPU numbers; empty when malformed.
std::vector<int> parse_cpu_list(const std::string& text);

// /sys/devices/system/cpu/cpuN/topology/thread_siblings_list, or "" when unreadable.
std::string sysfs_thread_siblings(int cpu);

// The first CPU of `cpus` on each physical core (SMT siblings share the core's L1 and L2), in
// order. `siblings_of(cpu)` gives the core's CPU list; a CPU whose list is unreadable or
// malformed counts as a core of its own.
std::vector<int> one_cpu_per_core(const std::vector<int>& cpus,
                                  const std::function<std::string(int)>& siblings_of = sysfs_thread_siblings);

}  // namespace accelbench
