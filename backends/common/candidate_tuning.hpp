#pragma once
// The top-K tuning protocol of the GPU backends' _tuned tables (cuda_tuned, hip_tuned,
// musa_tuned), run in prepare and never in timed samples: each of a library heuristic's
// candidates is warmed up once, then timed for about 50 ms (3 to 20 single runs, each timed by
// the device), and the candidate with the lowest median wins; one that fails never wins, ties
// keep the heuristic's order.
#include <cstddef>
#include <functional>
#include <vector>

namespace accelbench {

// The index of the fastest candidate by its measured seconds; non-finite or non-positive
// entries (a candidate that failed to run) never win; ties keep the earlier (heuristic) order.
// -1 when no candidate has a valid time.
int choose_fastest(const std::vector<double>& seconds);

// Median of measured samples (0 for none).
double median_seconds(std::vector<double> samples);

// Each candidate's median seconds (infinity for one that threw), by the protocol above:
// `warm_up(i)` runs candidate i once (and synchronizes), `time_once(i)` times one run of it.
// `on_failure()` runs after a candidate throws (to clear a runtime's sticky error state).
std::vector<double> time_candidates(
    std::size_t count, const std::function<void(int)>& warm_up, const std::function<double(int)>& time_once,
    const std::function<void()>& on_failure = [] {});

}  // namespace accelbench
