#pragma once
// Reads a result file back into the result model (the inverse of result_json). Every view and
// tool that consumes results (report, compare, merge) goes through here, so validation lives in
// one place: a malformed file is an input_error naming the file and the field.
#include <string>

#include <nlohmann/json.hpp>

#include "result.hpp"

namespace accelbench {

// Throws input_error("FILE: field 'results[3].outcome': ...") on any problem; refuses a newer
// major schema version.
run_record read_result_file(const std::string& path);
run_record result_from_json(const nlohmann::ordered_json& document, const std::string& origin);

}  // namespace accelbench
