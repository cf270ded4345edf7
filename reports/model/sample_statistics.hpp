#pragma once
// Summary statistics of timing samples. Kernel times are skewed: the median is the point
// estimate; quartiles and min accompany it; mean and CV are kept for the stopping rule.
#include <cstdint>
#include <vector>

namespace accelbench {

struct sample_statistics {
  std::int64_t count = 0;
  double median = 0, q1 = 0, q3 = 0, iqr = 0, min = 0, max = 0, mean = 0, stdev = 0, cv = 0;
};

sample_statistics summarize(std::vector<double> samples);
// Linear-interpolated quantile of sorted values (q in [0, 1]).
double quantile_sorted(const std::vector<double>& sorted, double q);

}  // namespace accelbench
