#pragma once
// The backend table of a CUDA-shaped vendor (hip, musa): its runtime and BLAS-Lt loaded at run
// time by the vendor's table, GEMM through BLAS-Lt, device-event timing on one stream per
// device, and a cache flush by a memset on that stream. Each plugin serves one vendor.
#include "accelbench_backend.h"
#include "backends/gpu_vendor/vendor_table.hpp"

namespace accelbench::gpu_vendor {

// The table for `vendor`, named as the vendor ("hip") or, `tuned`, with "_tuned": the fastest of
// the BLAS-Lt heuristic's top candidates, timed in prepare, as cuda_tuned. The plugin's entry
// point returns it (hip_entry.cpp, hip_tuned_entry.cpp, ...); one table per plugin.
const ab_backend* vendor_backend(const vendor_table& vendor, bool tuned);

}  // namespace accelbench::gpu_vendor
