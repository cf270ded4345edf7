#include "reports/model/number_format.hpp"

#include <cmath>
#include <iterator>

#include <fmt/format.h>

namespace accelbench {
namespace {

// Three significant digits in fixed notation; whole digits are never rounded away (1979, not
// 1.98e+03), so a quoted spec figure reads as quoted.
std::string three_digits(double value) {
  const double magnitude = std::abs(value);
  if (magnitude == 0.0) return "0";
  if (magnitude >= 100.0) return fmt::format("{:.0f}", value);
  int decimals = 2 - static_cast<int>(std::floor(std::log10(magnitude)));
  // Rounding may reach the next power of ten (99.96 -> "100.0"): one digit too many.
  const double scale = std::pow(10.0, decimals);
  if (decimals > 0 && std::round(magnitude * scale) / scale >= std::pow(10.0, 3 - decimals)) --decimals;
  return fmt::format("{:.{}f}", value, decimals);
}

}  // namespace

std::string human_duration(double seconds) {
  if (!std::isfinite(seconds)) return "";
  struct unit {
    double seconds;
    const char* name;
  };
  static constexpr unit units[] = {{1e-9, "ns"}, {1e-6, "µs"}, {1e-3, "ms"}, {1.0, "s"}};
  const double magnitude = std::abs(seconds);
  std::size_t u = 0;
  while (u + 1 < std::size(units) && magnitude >= units[u + 1].seconds) ++u;
  // 999.7 us would round to "1000": say 1.00 ms instead.
  if (u + 1 < std::size(units) && magnitude / units[u].seconds >= 999.5) ++u;
  return three_digits(seconds / units[u].seconds) + " " + units[u].name;
}

std::string human_rate(double value) { return std::isfinite(value) ? three_digits(value) : std::string(); }

std::string human_percent(double percent) {
  if (!std::isfinite(percent)) return "";
  return std::abs(percent) >= 100.0 ? fmt::format("{:.0f}%", percent) : fmt::format("{:.1f}%", percent);
}

std::string human_duration(const std::optional<double>& seconds) {
  return seconds ? human_duration(*seconds) : std::string();
}
std::string human_rate(const std::optional<double>& value) { return value ? human_rate(*value) : std::string(); }
std::string human_percent(const std::optional<double>& percent) {
  return percent ? human_percent(*percent) : std::string();
}

}  // namespace accelbench
