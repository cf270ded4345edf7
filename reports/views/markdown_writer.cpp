#include "reports/views/markdown_writer.hpp"

#include <fmt/format.h>

#include "reports/views/report_tables.hpp"

namespace accelbench {
namespace {

// A cell must stay on one line and must not close the column.
std::string cell(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out.empty() ? " " : out;
}

}  // namespace

std::string render_markdown(const report& r) {
  std::string out = "# accelbench report\n\n";
  out +=
      "Times carry their unit; rates are TFLOPS (TOPS for s8 integer work) and GB/s, 3 significant digits (report.csv "
      "and report.json keep full precision). Spec peaks are **dense** unless labelled sparse; how to read each "
      "column: docs/reports.md.\n";
  for (const report_table& t : report_tables(r)) {
    out += fmt::format("\n## {}\n\n", t.title);
    if (!t.intro.empty()) out += t.intro + "\n\n";
    if (t.rows.empty()) {
      out += "(none)\n";
      continue;
    }
    out += "|";
    for (const std::string& h : t.headers) {
      out += ' ';
      out += cell(h);
      out += " |";
    }
    out += "\n|";
    for (std::size_t i = 0; i < t.headers.size(); ++i) out += "---|";
    out += "\n";
    for (std::size_t i = 0; i < t.rows.size(); ++i) {
      out += "|";
      for (std::size_t j = 0; j < t.rows[i].size(); ++j) {
        // A flagged row (impossible result, mismatched press comparison) is marked in its first cell.
        std::string text = t.rows[i][j];
        if (j == 0 && t.flagged[i]) text += " ⚠";
        out += ' ';
        out += cell(text);
        out += " |";
      }
      out += "\n";
    }
  }
  return out;
}

}  // namespace accelbench
