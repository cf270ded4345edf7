#pragma once
// The backend table of a CUDA-shaped vendor (hip, musa): its runtime and BLAS-Lt loaded at run
// time by the vendor's table, GEMM through BLAS-Lt, device-event timing on one stream per
// device, and a cache flush by a memset on that stream. Each plugin serves one vendor.
#include "accelbench_backend.h"
#include "backends/gpu_vendor/vendor_table.hpp"

namespace accelbench::gpu_vendor {

// The table for `vendor`; the plugin's entry point returns it (hip_entry.cpp, musa_entry.cpp).
const ab_backend* vendor_backend(const vendor_table& vendor);

}  // namespace accelbench::gpu_vendor
