#pragma once
// accelbench merge: shards of a fleet run, and runs from several machines, into one result
// file (docs/fleet.md). Records are deduplicated by (system_desc_id, device, workload, backend,
// run_id); shards are checked per run id against their declared count.
#include <string>
#include <vector>

#include "reports/model/result.hpp"

namespace accelbench {

struct merge_input {
  std::string origin;  // file name, for messages
  run_record run;
};

struct merge_outcome {
  run_record merged;
  std::size_t duplicates = 0;        // records dropped as copies of one already taken
  std::vector<std::string> missing;  // one line per run with absent shards
  std::vector<std::string> runs;     // one line per run id: files and shards seen
};

// Throws input_error when inputs cannot be combined (no input, one run id with two different
// shard counts). Records keep file order; of two records with the same key the finished one
// wins (passed/mistrusted/incorrect/failed/unsupported over skipped/interrupted), else the first.
// One machine: its system block. Several: {"system_desc_id": "multiple", "systems": [...]}
// and each record's own system_desc_id says which.
merge_outcome merge_runs(const std::vector<merge_input>& inputs, const std::vector<std::string>& argv);

}  // namespace accelbench
