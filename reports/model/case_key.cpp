#include "reports/model/case_key.hpp"

namespace accelbench {

case_key case_key_of(const case_result& r) { return {r.workload, r.backend, r.device_index}; }

measurement_key measurement_key_of(const case_result& r) { return {case_key_of(r), r.dtype_in, r.cache}; }

record_key record_key_of(const case_result& r) { return {r.system_desc_id, r.run_id, case_key_of(r), r.device_name}; }

}  // namespace accelbench
