#pragma once
// One section of a report as a plain table of text: what the Markdown and HTML writers print.
// A table built outside the views (the model section) travels in the report as this type.
#include <string>
#include <vector>

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

}  // namespace accelbench
