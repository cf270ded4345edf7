#include "reports/views/csv_writer.hpp"

namespace accelbench {
namespace {

std::string field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// The index-th field of a line: comma-separated, quoted where needed.
void append_field(std::string& line, std::size_t index, const std::string& text) {
  if (index > 0) line += ',';
  line += field(text);
}

}  // namespace

std::string render_csv(const report& r) {
  const std::vector<report_column> columns = report_columns(r);
  std::string out;
  for (std::size_t i = 0; i < columns.size(); ++i) append_field(out, i, columns[i].key);
  out += "\r\n";
  for (const report_row& row : r.rows) {
    for (std::size_t i = 0; i < columns.size(); ++i) append_field(out, i, columns[i].full(r, row));
    out += "\r\n";
  }
  return out;
}

}  // namespace accelbench
