#include "reports/views/press_ratio.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include <fmt/format.h>

namespace accelbench {
namespace {

std::vector<std::pair<std::string, double>> all_quoted(const device_spec& d, const std::string& unit) {
  std::vector<std::pair<std::string, double>> out;
  for (const auto& [dt, r] : d.rates) {
    if (r.unit != unit) continue;
    if (r.dense) out.emplace_back(fmt::format("{} dense", to_string(dt)), *r.dense);
    if (r.sparse) out.emplace_back(fmt::format("{} sparse", to_string(dt)), *r.sparse);
  }
  return out;
}

}  // namespace

std::vector<std::string> readings_of(const device_spec& d, double quoted, const std::string& unit,
                                     std::vector<std::string>* labels) {
  std::vector<std::string> out;
  for (const auto& [label, value] : all_quoted(d, unit)) {
    if (std::abs(value - quoted) <= 0.005 * quoted) {
      out.push_back(fmt::format("{} = {}", label, format_spec_value(value)));
      if (labels != nullptr) labels->push_back(label);
    }
  }
  return out;
}

std::vector<matched_ratio> matched_ratios(const device_spec& a, const device_spec& b) {
  std::vector<matched_ratio> out;
  for (spec_dtype dt : all_spec_dtypes) {
    const spec_rate* ra = a.rate(dt);
    const spec_rate* rb = b.rate(dt);
    if (ra == nullptr || rb == nullptr) continue;
    if (ra->dense && rb->dense && *rb->dense > 0) {
      out.push_back({fmt::format("{} dense", to_string(dt)), *ra->dense, *rb->dense, *ra->dense / *rb->dense});
    }
    if (ra->sparse && rb->sparse && *rb->sparse > 0) {
      out.push_back({fmt::format("{} sparse", to_string(dt)), *ra->sparse, *rb->sparse, *ra->sparse / *rb->sparse});
    }
  }
  return out;
}

press_ratio read_quoted_pair(const device_spec& a, double a_quoted, const device_spec& b, double b_quoted,
                             std::string context) {
  press_ratio p;
  p.context = std::move(context);
  p.a = a.id;
  p.b = b.id;
  p.a_quoted = a_quoted;
  p.b_quoted = b_quoted;
  p.quoted_ratio = a_quoted / b_quoted;
  std::vector<std::string> a_labels, b_labels;
  p.a_readings = readings_of(a, a_quoted, "TFLOPS", &a_labels);
  p.b_readings = readings_of(b, b_quoted, "TFLOPS", &b_labels);
  for (const std::string& l : a_labels) {
    if (std::find(b_labels.begin(), b_labels.end(), l) != b_labels.end()) p.like_for_like.push_back(l);
  }
  p.matched = matched_ratios(a, b);
  return p;
}

}  // namespace accelbench
