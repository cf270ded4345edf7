#pragma once
// The report's sections as plain tables of text (headers + rows), built once from the report
// model so the Markdown and HTML views show the same tables and the same figures, in the human
// number style (reports/model/number_format.hpp). The last table ("all figures") carries every
// report_column for every result.
#include <string>
#include <vector>

#include "reports/views/report_model.hpp"
#include "reports/views/report_table.hpp"

namespace accelbench {

std::vector<report_table> report_tables(const report& r);

}  // namespace accelbench
