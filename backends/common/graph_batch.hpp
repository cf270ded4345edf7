#pragma once
// How many launch sequences one GPU graph replays per timed sample (docs/cuda.md): shared by
// the cuda backend (CUDA graphs) and hip/musa (their runtimes' graphs, docs/hip-musa.md).
//
// A single-launch sample of a kernel shorter than ~20 us mostly measures launch overhead: the
// host cannot enqueue faster than the GPU finishes. Replaying N back-to-back sequences from one
// graph amortizes it; the harness then divides each sample by N and records N
// (calls_per_sample). Only for hot caches: with cold caches an L2 flush separates every call.
// Pure logic, unit-tested on the host.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace accelbench {

struct graph_batch_policy {
  double threshold_s = 20e-6;      // a sequence this long or longer is timed one launch per sample
  double target_s = 500e-6;        // aim for one graph launch of about this long (100 us - 1 ms)
  std::uint32_t max_calls = 1000;  // bounds the graph's size and its instantiation time
};

// Calls per graph launch for a launch sequence estimated at `launch_s` seconds (the median of
// single, event-timed launches in prepare). 1 means "no graph": at or above the threshold, or
// when the estimate is not a usable number. Otherwise target / launch_s rounded, at least 2 and at most
// max_calls (a 0 estimate, below the event resolution, gets max_calls).
std::uint32_t graph_batch_calls(double launch_s, const graph_batch_policy& policy = {});

// The estimate graph_batch_calls takes: what a hot single-launch sample sees, the median of up to
// 11 single launch sequences, each timed by `time_one` (enqueue between events, synchronize,
// launch overhead included; the caller warms up first). A first sample at ten times the
// threshold or more ends it, so a long sequence costs one timed call.
double estimate_launch_seconds(const std::function<double()>& time_one, const graph_batch_policy& policy = {});

// The same for a device plan (plan_thunks.hpp's Plan, with a public enqueue() of one launch
// sequence): one sequence to warm up, then each timed between timer slot 0's events.
template <typename Plan>
double estimate_plan_launch_seconds(Plan& plan, const graph_batch_policy& policy = {}) {
  plan.enqueue();
  return estimate_launch_seconds(
      [&plan] {
        plan.record(0, true);
        plan.enqueue();
        plan.record(0, false);
        plan.synchronize();
        return plan.elapsed(0);
      },
      policy);
}

// How a plan chose to answer ab_batch_calls_v1: calls per run, and what its description gains
// ("; graph-batched: ..." or why not).
struct graph_batch_choice {
  std::uint32_t calls = 1;
  std::string note;
};

// The choice every GPU backend makes: estimate one launch sequence (`estimate`), pick N
// (graph_batch_calls) and, when N > 1, capture N sequences into one graph (`capture`, which
// throws when the runtime or a library refuses: then 1, saying why, and the caller drops what
// was captured). `graph` names the runtime's graphs in the note ("CUDA", "HIP", "MUSA").
graph_batch_choice choose_graph_batch(const std::function<double()>& estimate,
                                      const std::function<void(std::uint32_t)>& capture, std::string_view graph,
                                      const graph_batch_policy& policy = {});

}  // namespace accelbench
