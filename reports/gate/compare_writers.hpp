#pragma once
// Views of a comparison (reports/gate/compare.hpp): a terminal table, Markdown for a pull-request
// comment, JSON for tools, JUnit XML for CI test dashboards. Every view carries every case's
// verdict and reason, the missing and new cases, the machine check and the rule in force.
// One more, for the CI gate's second look: rerun, the `accelbench run --benchmark_filter` regular
// expression of the cases worth re-measuring (comparison::worth_remeasuring), or nothing.
#include <optional>
#include <string>
#include <string_view>

#include "reports/gate/compare.hpp"

namespace accelbench {

enum class compare_format { text, md, json, junit, rerun };
std::string_view to_string(compare_format f);
std::optional<compare_format> compare_format_from_string(std::string_view text);

std::string format_comparison(const comparison& c, compare_format format);

// One line: counts per verdict, missing/new, the geometric-mean ratio and the exit code.
std::string comparison_summary(const comparison& c);

}  // namespace accelbench
