#pragma once
// The report as Markdown (GitHub tables): every section of report_tables, press figures and
// the lower-bound times on the compared devices included.
#include <string>

#include "reports/views/report_model.hpp"

namespace accelbench {

std::string render_markdown(const report& r);

}  // namespace accelbench
