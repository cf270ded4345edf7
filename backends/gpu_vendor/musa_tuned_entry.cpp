// The musa_tuned backend plugin (the fastest of muBLASLt's top candidates, timed in prepare): Moore Threads GPUs
// through MUSA and muBLASLt (docs/hip-musa.md).
#include "backends/gpu_vendor/vendor_backend.hpp"

extern "C" ACCELBENCH_BACKEND_EXPORT const ab_backend* accelbench_backend_entry(void) {
  return accelbench::gpu_vendor::vendor_backend(accelbench::gpu_vendor::musa_vendor(), true);
}
