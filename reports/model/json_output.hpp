#pragma once
// Writing numbers into JSON. NaN and infinity have no JSON form, and a figure that is not known
// must not read as 0, so both are written as null; json_cursor reads null back as NaN or
// "not known".
#include <cmath>
#include <optional>

#include <nlohmann/json.hpp>

namespace accelbench {

inline nlohmann::ordered_json number_or_null(double value) {
  return std::isfinite(value) ? nlohmann::ordered_json(value) : nlohmann::ordered_json(nullptr);
}

inline nlohmann::ordered_json number_or_null(const std::optional<double>& value) {
  return value ? number_or_null(*value) : nlohmann::ordered_json(nullptr);
}

}  // namespace accelbench
