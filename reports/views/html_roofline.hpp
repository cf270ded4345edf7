#pragma once
// The report's log-log roofline as inline SVG. One colour per measured (device, dtype): its roof
// and its points share it, so a point sits visibly under its own roof. One marker shape per
// backend, and each point carries its backend's name as visible text (not only on hover). The
// compared devices' roofs for the most common dtype are dashed. Reference-backend results (a
// correctness oracle) are left out.
#include <string>

#include "reports/views/report_model.hpp"

namespace accelbench {

std::string roofline_svg(const report& r);

}  // namespace accelbench
