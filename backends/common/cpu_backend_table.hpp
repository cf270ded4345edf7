#pragma once
// The backend table of an in-tree CPU backend. Every such backend has one device (the host CPU),
// plans derived from cpu_plan, and the same prepare contract (supports first, then the plan, no
// exception across the ABI); only its name, version, support check and plan types differ.
#include <cstddef>
#include <cstdint>
#include <exception>

#include "accelbench_backend.h"
#include "backends/common/abi_conversion.hpp"
#include "backends/common/cpu_plan.hpp"
#include "kernels/spec/workload.hpp"

namespace accelbench::cpu {

using supports_fn = ab_status (*)(int32_t device, const ab_workload* abi, char* reason, size_t reason_len);

struct cpu_backend_definition {
  const char* name = nullptr;
  const char* (*library_version)() = nullptr;
  supports_fn supports = nullptr;
  ab_status (*prepare)(int32_t, const ab_workload*, const ab_host_tensor*, uint32_t, ab_plan**, char*,
                       size_t) = nullptr;
  ab_status (*init)(char* reason, size_t reason_len) = nullptr;  // optional: nothing to set up
  void (*shutdown)() = nullptr;                                  // optional: nothing to release
};

ab_backend make_cpu_backend_table(const cpu_backend_definition& definition);

// Throws unless `count` is the workload's input count (2 for GEMM, 3 for attention).
void check_input_count(const workload& w, uint32_t count);

// The prepare slot for a backend whose Supports(...) is its support check and MakePlan(workload,
// inputs) builds its plan (new, owned by the harness until release).
template <supports_fn Supports, auto MakePlan>
ab_status prepare_plan(int32_t device, const ab_workload* abi, const ab_host_tensor* inputs, uint32_t input_count,
                       ab_plan** out, char* reason, size_t reason_len) {
  try {
    if (const ab_status status = Supports(device, abi, reason, reason_len); status != AB_OK) return status;
    const workload w = from_abi(*abi);
    check_input_count(w, input_count);
    *out = to_handle(MakePlan(w, inputs));
    return AB_OK;
  } catch (const std::exception& e) {
    write_reason(reason, reason_len, e.what());
    return AB_ERROR;
  }
}

}  // namespace accelbench::cpu
