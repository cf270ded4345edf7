#pragma once
// What names a case when records are matched. Three places match records, and each needs a
// different amount of identity, so there are three named keys built on one:
//   case_key         the run journal: which case of this run a line holds;
//   measurement_key  compare and pooling: the same measurement in another file;
//   record_key       merge: the same record seen twice (overlapping shards).
#include <compare>
#include <string>

#include "reports/model/result.hpp"

namespace accelbench {

// A case within one run. The cache policy is run-wide and the workload text carries the dtype
// ("dt=f32"), so workload, backend and device index name it.
struct case_key {
  std::string workload;
  std::string backend;
  int device = 0;
  auto operator<=>(const case_key&) const = default;
};
case_key case_key_of(const case_result& r);

// A case across runs. Files compared or pooled come from different runs, which may differ in
// cache policy. The dtype repeats the workload's dt= and only parts records whose fields disagree.
struct measurement_key {
  case_key which;
  std::string dtype;
  cache_policy cache = cache_policy::cold;
  auto operator<=>(const measurement_key&) const = default;
};
measurement_key measurement_key_of(const case_result& r);

// A record in a merged file. The same case measured on another machine or in another run is
// a different record and is kept; only the same case of the same run on the same machine (a
// shard overlap, a re-sent file) is a duplicate. Records that disagree on the device behind an
// index are both kept, not one dropped as a duplicate of the other.
struct record_key {
  std::string system_desc_id;
  std::string run_id;
  case_key which;
  std::string device_name;
  auto operator<=>(const record_key&) const = default;
};
record_key record_key_of(const case_result& r);

}  // namespace accelbench
