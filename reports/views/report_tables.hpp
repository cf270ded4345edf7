#pragma once
// The report's sections as plain tables of text (headers + rows), built once from the report
// model so the Markdown and HTML views show the same tables and the same figures. The last
// table ("all figures") carries every report_column for every result.
#include <string>
#include <vector>

#include "reports/views/report_model.hpp"

namespace accelbench {

struct report_table {
  std::string id;  // HTML anchor / element id
  std::string title;
  std::string intro;  // one paragraph above the table ("" = none)
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> flagged;  // per row: an impossible result (highlighted)
};

std::vector<report_table> report_tables(const report& r);

}  // namespace accelbench
