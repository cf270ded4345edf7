#pragma once
// The table printed at the end of `accelbench run`: one row per case, verified figures only.
#include <string>
#include <vector>

#include "reports/model/result.hpp"

namespace accelbench {

std::string format_results_table(const std::vector<case_result>& results);
// One line: counts per outcome.
std::string format_outcome_summary(const std::vector<case_result>& results);
// The lines under the table: why each case did not pass, throttling, noisy medians. `run -q`
// prints these alone.
std::string format_case_notes(const std::vector<case_result>& results);
// One finished case on one line, as the run prints it while it goes on:
// "passed       811 µs  0.184 TFLOPS  gemm:m=256,n=256,k=256,dt=f32 on onednn".
std::string format_result_line(const case_result& r);

}  // namespace accelbench
