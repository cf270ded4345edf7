#pragma once
// One number style for everything a person reads: the console table, compare, Markdown and HTML.
// Result files (JSON) and CSV keep full precision; these are for eyes only.
//   durations  auto unit, 3 significant digits: "812 ns", "25.3 µs", "1.25 ms", "3.10 s"
//   rates      TFLOPS, GB/s, FLOP/byte: 3 significant digits without exponents, whole digits
//              kept: "0.184", "0.00312", "19.8", "989", "1979"
//   percents   at most one decimal: "77.9%", "0.4%", "137%"
// NaN and infinity format as "" (the caller writes its own "-" or leaves the cell empty).
#include <optional>
#include <string>

namespace accelbench {

std::string human_duration(double seconds);
std::string human_rate(double value);
std::string human_percent(double percent);

// Optional values: "" when absent.
std::string human_duration(const std::optional<double>& seconds);
std::string human_rate(const std::optional<double>& value);
std::string human_percent(const std::optional<double>& percent);

}  // namespace accelbench
