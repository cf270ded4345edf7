#pragma once
// The report as CSV (RFC 4180): one row per result, one column per report_column, so a
// spreadsheet gets every figure the report holds. Numbers use '.' whatever the locale.
#include <string>

#include "reports/views/report_model.hpp"

namespace accelbench {

std::string render_csv(const report& r);

}  // namespace accelbench
