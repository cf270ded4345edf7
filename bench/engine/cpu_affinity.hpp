#pragma once
// The CPUs this process may run on, and pinning a thread to one of them: what work spread over
// every CPU needs (the cold-cache flush, accelbench peak's thread team).
#include <vector>

namespace accelbench {

// CPUs this process may run on (sched_getaffinity), in order; empty if the call failed.
std::vector<int> allowed_cpus();

// Pins the calling thread to `cpu`; best effort (false when the OS refused).
bool pin_this_thread(int cpu);

}  // namespace accelbench
