#pragma once
// Reads a result file back into the result model (the inverse of result_json). Every view and
// tool that consumes results (report, compare, merge) goes through here, so validation lives in
// one place: a malformed file is an input_error naming the file and the field.
#include <string>

#include <nlohmann/json.hpp>

#include "reports/model/result.hpp"

namespace accelbench {

// Throws input_error("FILE: field 'results[3].outcome': ...") on any problem; refuses a newer
// or older major schema version. Unknown keys are errors, except in a file from a newer minor
// version (which may add optional keys).
run_record read_result_file(const std::string& path);
run_record result_from_json(const nlohmann::ordered_json& document, const std::string& origin);
// One results[] record (as to_json(case_result) writes it), e.g. from a journal line or an
// isolated child; `path` names it in errors ("results[3]", "line 7").
case_result case_from_json(const nlohmann::ordered_json& document, const std::string& origin,
                           const std::string& path = "case");

}  // namespace accelbench
