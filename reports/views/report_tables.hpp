#pragma once
// The report's sections as plain tables of text (headers + rows), built once from the report
// model so the Markdown and HTML views show the same tables and the same figures, in the human
// number style (reports/model/number_format.hpp). The last table ("all figures") carries every
// report_column for every result.
#include <string>
#include <vector>

#include "reports/views/report_model.hpp"

namespace accelbench {

struct report_table {
  std::string id;  // HTML anchor / element id
  std::string title;
  std::string intro;  // one paragraph above the table, plain text ("" = none)
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> flagged;  // per row: an impossible or otherwise suspect result (highlighted)
  std::vector<bool> extra;    // per column: detail the HTML hides until asked (empty = none)
  bool collapsed = false;     // HTML: the whole table opens on demand
};

std::vector<report_table> report_tables(const report& r);

}  // namespace accelbench
