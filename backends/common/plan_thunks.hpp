#pragma once
// The C-ABI entry points of a device backend whose plan is a C++ class, written once: prepare's
// hand-over of a new plan, and every entry point that acts on a prepared plan (ab_backend's run
// .. release), each turning the opaque ab_plan* back into the plan, calling the member, and
// turning an exception into AB_ERROR with its message kept for last_error. Used by the cuda
// (cuda_backend.cpp), hip/musa (gpu_vendor/vendor_backend.cpp), ascend (ascend_backend.cpp) and
// torch (torch_backend.cpp) backends; what the members do stays per backend.
//
// A Plan provides: static constexpr std::uint32_t timer_slots; void run(); void record(uint32_t
// slot, bool start); void synchronize(); double elapsed(uint32_t slot); void read_output(void*
// host, uint64_t bytes); and std::string members description and last_error.
#include <cstddef>
#include <cstdint>
#include <exception>
#include <stdexcept>
#include <utility>

#include "accelbench_backend.h"
#include "backends/common/abi_conversion.hpp"

namespace accelbench {

// Thrown while a plan is built when the library cannot run the workload (its heuristic offers no
// algorithm, its operator answers "not supported"): prepare answers AB_UNSUPPORTED, not AB_ERROR.
struct plan_unsupported : std::runtime_error {
  using std::runtime_error::runtime_error;
};

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

  // The end of ab_backend.prepare, once supports() said yes: builds the plan with `make` (which
  // returns a std::unique_ptr<Plan>) and hands it to the harness through `out`. plan_unsupported
  // answers AB_UNSUPPORTED, any other exception AB_ERROR, either with its message as the reason.
  template <typename Make>
  static ab_status prepare(ab_plan** out, char* reason, std::size_t reason_len, Make&& make) {
    if (out == nullptr) return AB_ERROR;
    *out = nullptr;
    try {
      *out = to_handle(std::forward<Make>(make)().release());
      return AB_OK;
    } catch (const plan_unsupported& e) {
      write_reason(reason, reason_len, e.what());
      return AB_UNSUPPORTED;
    } catch (const std::exception& e) {
      write_reason(reason, reason_len, e.what());
      return AB_ERROR;
    }
  }

  // The backend's table: its version and size, the backend's own entry points as given, and the
  // plan's (run .. release) filled in, so that no backend can wire one to the wrong member. Each
  // argument has its own type, so none can be passed in another's place.
  static constexpr ab_backend plan_table(const char* name, decltype(ab_backend::init) init,
                                         decltype(ab_backend::library_version) library_version,
                                         decltype(ab_backend::device_count) device_count,
                                         decltype(ab_backend::device_info) device_info,
                                         decltype(ab_backend::supports) supports, decltype(ab_backend::prepare) prepare,
                                         decltype(ab_backend::shutdown) shutdown,
                                         decltype(ab_backend::flush_cache) flush_cache,
                                         decltype(ab_backend::get_proc) get_proc) {
    ab_backend table{};
    table.abi_version = AB_ABI_VERSION;
    table.struct_size = sizeof(ab_backend);
    table.name = name;
    table.init = init;
    table.library_version = library_version;
    table.device_count = device_count;
    table.device_info = device_info;
    table.supports = supports;
    table.prepare = prepare;
    table.run = run;
    table.timer_slot_count = slot_count;
    table.record_start = record_start;
    table.record_stop = record_stop;
    table.synchronize = synchronize;
    table.elapsed_seconds = elapsed_seconds;
    table.read_output = read_output;
    table.last_error = last_error;
    table.plan_description = plan_description;
    table.release = release;
    table.shutdown = shutdown;
    table.flush_cache = flush_cache;
    table.get_proc = get_proc;
    return table;
  }
};

}  // namespace accelbench
