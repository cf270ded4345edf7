#pragma once
// The table printed at the end of `accelbench run`: one row per case, verified figures only.
#include <string>
#include <vector>

#include "reports/model/result.hpp"

namespace accelbench {

std::string format_results_table(const std::vector<case_result>& results);
// One line: counts per outcome.
std::string format_outcome_summary(const std::vector<case_result>& results);

}  // namespace accelbench
