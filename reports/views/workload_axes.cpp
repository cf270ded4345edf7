#include "reports/views/workload_axes.hpp"

#include "kernels/spec/errors.hpp"
#include "kernels/spec/workload.hpp"

namespace accelbench {

std::vector<workload_axis> workload_axes(const std::string& workload_text) {
  std::string canonical;
  try {
    canonical = to_string(parse_workload(workload_text), true);
  } catch (const input_error&) {
    return {};
  }
  std::vector<workload_axis> axes;
  std::size_t start = canonical.find(':') + 1;
  while (start < canonical.size()) {
    std::size_t end = canonical.find(',', start);
    if (end == std::string::npos) end = canonical.size();
    const std::string field = canonical.substr(start, end - start);
    const std::size_t eq = field.find('=');
    if (eq != std::string::npos && field.substr(0, eq) != "dt")
      axes.emplace_back(field.substr(0, eq), field.substr(eq + 1));
    start = end + 1;
  }
  return axes;
}

}  // namespace accelbench
