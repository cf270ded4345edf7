#pragma once
// Canonical JSON for a run (docs/results-schema.md). Keys in a fixed order; NaN and Inf are
// written as null; numbers are formatted independently of the C/C++ locale.
#include <string>

#include <nlohmann/json.hpp>

#include "reports/model/result.hpp"

namespace accelbench {

nlohmann::ordered_json to_json(const case_result& r);
nlohmann::ordered_json to_json(const run_record& run);
std::string to_json_text(const run_record& run);

}  // namespace accelbench
