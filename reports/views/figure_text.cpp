#include "reports/views/figure_text.hpp"

#include <cmath>

#include <fmt/format.h>

#include "reports/model/number_format.hpp"

namespace accelbench {

std::string human_figure(double value, figure_kind kind) {
  if (!std::isfinite(value)) return "";
  switch (kind) {
    case figure_kind::duration:
      return human_duration(value);
    case figure_kind::rate:
      return human_rate(value);
    case figure_kind::percent:
      return human_percent(value);
    case figure_kind::small:
      return fmt::format("{:.3g}", value);
  }
  return "";
}

std::string full_figure(double value) { return std::isfinite(value) ? fmt::format("{}", value) : std::string(); }

std::string human_figure(const std::optional<double>& value, figure_kind kind) {
  return value ? human_figure(*value, kind) : std::string();
}

std::string full_figure(const std::optional<double>& value) { return value ? full_figure(*value) : std::string(); }

}  // namespace accelbench
