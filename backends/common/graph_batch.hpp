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

}  // namespace accelbench
