#include "kernels/spec/sweep.hpp"

#include <charconv>

#include <fmt/format.h>

#include "kernels/spec/errors.hpp"

namespace accelbench {
namespace {

constexpr std::string_view axis_form = "[start:stop:step], [start:stop:*factor] or [v1,v2,...]";

std::int64_t parse_axis_number(std::string_view value, std::string_view axis) {
  std::int64_t result = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), result);
  if (ec != std::errc() || end != value.data() + value.size()) {
    throw input_error(
        fmt::format("sweep axis '{}': '{}' is not an integer; accepted form: {}", axis, value, axis_form));
  }
  return result;
}

std::vector<std::string> expand_axis(std::string_view axis) {
  const std::string_view inner = axis.substr(1, axis.size() - 2);
  std::vector<std::string> values;
  // A comma makes a list, whose items may hold colons themselves (dt=[f32,bf16:f32]).
  if (inner.find(':') != std::string_view::npos && inner.find(',') == std::string_view::npos) {
    const std::size_t c1 = inner.find(':');
    const std::size_t c2 = inner.find(':', c1 + 1);
    if (c2 == std::string_view::npos || inner.find(':', c2 + 1) != std::string_view::npos) {
      throw input_error(
          fmt::format("sweep axis '{}': a range needs exactly start:stop:step; accepted form: {}", axis, axis_form));
    }
    const std::int64_t start = parse_axis_number(inner.substr(0, c1), axis);
    const std::int64_t stop = parse_axis_number(inner.substr(c1 + 1, c2 - c1 - 1), axis);
    std::string_view step_text = inner.substr(c2 + 1);
    const bool geometric = !step_text.empty() && step_text.front() == '*';
    if (geometric) step_text.remove_prefix(1);
    const std::int64_t step = parse_axis_number(step_text, axis);
    if (start <= 0 || stop < start || step <= (geometric ? 1 : 0)) {
      throw input_error(fmt::format(
          "sweep axis '{}': need 0 < start <= stop and step > 0 (factor > 1); accepted form: {}", axis, axis_form));
    }
    for (std::int64_t v = start; v <= stop;) {
      values.push_back(std::to_string(v));
      if (values.size() > max_sweep_cases) break;
      std::int64_t next = 0;
      const bool overflow = geometric ? __builtin_mul_overflow(v, step, &next) : __builtin_add_overflow(v, step, &next);
      if (overflow) break;
      v = next;
    }
  } else {
    std::size_t pos = 0;
    while (true) {
      const std::size_t comma = inner.find(',', pos);
      const std::string_view item =
          inner.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
      if (item.empty())
        throw input_error(fmt::format("sweep axis '{}': empty value; accepted form: {}", axis, axis_form));
      values.emplace_back(item);
      if (comma == std::string_view::npos) break;
      pos = comma + 1;
    }
  }
  return values;
}

}  // namespace

std::vector<std::string> expand_sweep(std::string_view text) {
  // Split into literal pieces and axes: "gemm:m=" [axis] ",n=4096" ...
  std::vector<std::string> literals{""};
  std::vector<std::vector<std::string>> axes;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == ']')
      throw input_error(fmt::format("workload '{}': unmatched ']'; sweep axes use {}", text, axis_form));
    if (text[i] != '[') {
      literals.back().push_back(text[i]);
      continue;
    }
    const std::size_t close = text.find(']', i);
    if (close == std::string_view::npos) {
      throw input_error(fmt::format("workload '{}': unmatched '['; sweep axes use {}", text, axis_form));
    }
    const std::string_view axis = text.substr(i, close - i + 1);
    if (axis.find('[', 1) != std::string_view::npos) {
      throw input_error(fmt::format("workload '{}': nested '['; sweep axes use {}", text, axis_form));
    }
    axes.push_back(expand_axis(axis));
    literals.emplace_back();
    i = close;
  }
  std::size_t total = 1;
  for (const auto& axis : axes) {
    total *= axis.size();
    if (total > max_sweep_cases) {
      throw input_error(fmt::format("workload '{}': sweep expands to more than {} cases", text, max_sweep_cases));
    }
  }
  std::vector<std::string> out;
  out.reserve(total);
  std::vector<std::size_t> index(axes.size(), 0);
  for (std::size_t n = 0; n < total; ++n) {
    std::string expanded = literals[0];
    for (std::size_t a = 0; a < axes.size(); ++a) expanded += axes[a][index[a]] + literals[a + 1];
    out.push_back(std::move(expanded));
    for (std::size_t a = axes.size(); a-- > 0;) {  // odometer: rightmost axis fastest
      if (++index[a] < axes[a].size()) break;
      index[a] = 0;
    }
  }
  return out;
}

}  // namespace accelbench
