#pragma once
// How a report figure prints. Readers' views (Markdown, HTML) use the human style of
// reports/model/number_format.hpp; machine views (CSV) keep full precision, the shortest text
// that reads back as the same double.
#include <optional>
#include <string>

namespace accelbench {

enum class figure_kind {
  duration,  // seconds: "2.06 ms"
  rate,      // TFLOPS, GB/s, FLOP/byte, GHz: 3 significant digits, "0.174"
  percent,   // already x100: "62.7%"
  small,     // errors, tolerances, CV: "1.25e-07"
};

std::string human_figure(double value, figure_kind kind);                        // "" for NaN/inf
std::string full_figure(double value);                                           // "0.0020627412", "" for NaN/inf
std::string human_figure(const std::optional<double>& value, figure_kind kind);  // "" when null
std::string full_figure(const std::optional<double>& value);

}  // namespace accelbench
