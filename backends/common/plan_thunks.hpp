#pragma once
// The C-ABI entry points that act on a prepared plan (ab_backend's run .. release), written once
// for every GPU backend whose plan is a C++ class: each turns the opaque ab_plan* back into the
// plan, calls the member, and turns an exception into AB_ERROR with its message kept for
// last_error. Used by the CUDA backend (cuda_backend.cpp) and the hip/musa backends
// (gpu_vendor/vendor_backend.cpp), named in their ab_backend tables; what the members do stays
// per backend.
//
// A Plan provides: static constexpr std::uint32_t timer_slots; void run(); void record(uint32_t
// slot, bool start); void synchronize(); double elapsed(uint32_t slot); void read_output(void*
// host, uint64_t bytes); and std::string members description and last_error.
#include <cstdint>
#include <exception>
#include <utility>

#include "accelbench_backend.h"

namespace accelbench {

template <typename Plan>
struct plan_thunks {
  static Plan* from_handle(ab_plan* p) { return reinterpret_cast<Plan*>(p); }
  static ab_plan* to_handle(Plan* p) { return reinterpret_cast<ab_plan*>(p); }

  // Runs f on the plan, turning exceptions into AB_ERROR with the message kept.
  template <typename F>
  static ab_status guarded(ab_plan* handle, F&& f) {
    Plan* plan = from_handle(handle);
    try {
      std::forward<F>(f)(*plan);
      return AB_OK;
    } catch (const std::exception& e) {
      plan->last_error = e.what();
      return AB_ERROR;
    }
  }

  static ab_status run(ab_plan* p) {
    return guarded(p, [](Plan& plan) { plan.run(); });
  }
  static uint32_t slot_count(ab_plan*) { return Plan::timer_slots; }
  static ab_status record_start(ab_plan* p, uint32_t slot) {
    return guarded(p, [slot](Plan& plan) { plan.record(slot, true); });
  }
  static ab_status record_stop(ab_plan* p, uint32_t slot) {
    return guarded(p, [slot](Plan& plan) { plan.record(slot, false); });
  }
  static ab_status synchronize(ab_plan* p) {
    return guarded(p, [](Plan& plan) { plan.synchronize(); });
  }
  static ab_status elapsed_seconds(ab_plan* p, uint32_t slot, double* seconds) {
    if (seconds == nullptr) return AB_ERROR;
    return guarded(p, [slot, seconds](Plan& plan) { *seconds = plan.elapsed(slot); });
  }
  static ab_status read_output(ab_plan* p, void* host, uint64_t bytes) {
    return guarded(p, [host, bytes](Plan& plan) { plan.read_output(host, bytes); });
  }
  static const char* last_error(ab_plan* p) { return from_handle(p)->last_error.c_str(); }
  static const char* plan_description(ab_plan* p) { return from_handle(p)->description.c_str(); }
  static void release(ab_plan* p) { delete from_handle(p); }
};

}  // namespace accelbench
