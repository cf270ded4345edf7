// The hip backend plugin: AMD Instinct and Hygon DCU through HIP and hipBLASLt (docs/hip-musa.md).
#include "backends/gpu_vendor/vendor_backend.hpp"

extern "C" ACCELBENCH_BACKEND_EXPORT const ab_backend* accelbench_backend_entry(void) {
  return accelbench::gpu_vendor::vendor_backend(accelbench::gpu_vendor::hip_vendor(), false);
}
