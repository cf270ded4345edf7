#pragma once
// What a quoted headline figure really is, and the like-for-like ratios of two devices: the
// report's press section and `accelbench specs compare` both read the database through these.
#include <optional>
#include <string>
#include <vector>

#include "reports/views/report_model.hpp"
#include "reports/views/spec_database.hpp"

namespace accelbench {

// Which (precision, dense|sparse) figures of a device a quoted number is, as "bf16 sparse =
// 1979": within 0.5 %, the rounding press copies apply (1979 for 1978.9). `labels` receives the
// bare "bf16 sparse" labels.
std::vector<std::string> readings_of(const device_spec& d, double quoted, const std::string& unit,
                                     std::vector<std::string>* labels = nullptr);

// a / b per precision, dense and sparse apart, where both devices quote the figure.
std::vector<matched_ratio> matched_ratios(const device_spec& a, const device_spec& b);

// A quoted pair (e.g. H100 "1979" vs H20 "296") read against the database.
press_ratio read_quoted_pair(const device_spec& a, double a_quoted, const device_spec& b, double b_quoted,
                             std::string context);

}  // namespace accelbench
