#pragma once
// The report as one self-contained HTML file: inline CSS, inline SVG charts (achieved vs dense
// spec per device and dtype; a log-log roofline with every verified result), the same tables
// as the Markdown, and a few lines of inline script for sorting. Nothing is fetched: the file
// works offline and from an archive.
#include <string>

#include "reports/views/report_model.hpp"

namespace accelbench {

std::string render_html(const report& r);

}  // namespace accelbench
