// The one exported symbol of an in-tree backend built as a plugin (ACCELBENCH_BACKEND_DL=ON):
// it forwards to the backend's own entry, accelbench_backend_<name>, named by the build.
#include "accelbench_backend.h"
#include "backends/common/in_tree_backends.hpp"

extern "C" ACCELBENCH_BACKEND_EXPORT const ab_backend* accelbench_backend_entry(void) {
  return ACCELBENCH_PLUGIN_ENTRY();
}
