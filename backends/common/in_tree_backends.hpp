#pragma once
// The entry points of the backends that live in this repository: each backend's sources define
// its function (C linkage); the registry calls those linked in, and an in-tree backend built as a
// plugin exports it as accelbench_backend_entry (plugin_entry.cpp). Not part of the SDK: an
// out-of-tree backend only exports accelbench_backend_entry.
#include "accelbench_backend.h"

extern "C" {
const ab_backend* accelbench_backend_reference(void);
const ab_backend* accelbench_backend_openblas(void);
const ab_backend* accelbench_backend_onednn(void);
const ab_backend* accelbench_backend_native(void);
const ab_backend* accelbench_backend_cuda(void);        // cuBLASLt's default algorithm
const ab_backend* accelbench_backend_cuda_tuned(void);  // the best of cuBLASLt's top-K, timed in prepare
const ab_backend* accelbench_backend_torch(void);       // PyTorch, any device type it exposes
}
