#pragma once
// Runs one function on several threads at once, each pinned to its own CPU of the process's
// affinity mask and all released together, and times the team: what machine-wide ceilings
// (FMA throughput, memory bandwidth, clock under load) need.
#include <functional>

namespace accelbench {

// Calls body(i) for i in [0, threads) concurrently. Returns seconds from the first thread's start
// after the common release to the last thread's finish, as the threads themselves read the clock
// (thread creation and pinning are not timed).
double run_team(int threads, const std::function<void(int)>& body);

}  // namespace accelbench
