#pragma once
// The statistics behind `accelbench compare` (docs/ci.md, methodology §3): a rank test, a
// bootstrap interval of the ratio of medians, multiple-testing corrections and a robust noise
// estimate. All operate on repetition-level values (one median per repetition): thousands of
// samples from one warm loop are not independent, repetitions are closer to it.
#include <cstdint>
#include <utility>
#include <vector>

namespace accelbench {

struct mann_whitney_result {
  double u = 0.0;        // U of the first sample: pairs (a, b) with a > b, ties counted 1/2
  double p_value = 1.0;  // two-sided
  bool exact = false;    // exact permutation distribution (small samples without ties)
};

// Two-sided Mann-Whitney U test. Exact when there are no ties and both samples are small
// (n_a + n_b <= 40); otherwise the normal approximation with tie and continuity correction.
// Samples with fewer than one value each give p = 1.
mann_whitney_result mann_whitney_u(const std::vector<double>& a, const std::vector<double>& b);

// The smallest two-sided p-value the exact test can reach with these sample sizes:
// 2 / C(n_a + n_b, n_a). With 5 and 5 repetitions it is 0.0079, so a correction over several
// cases can never reach alpha = 0.01: more repetitions are needed, not a looser alpha.
double mann_whitney_min_p(std::size_t n_a, std::size_t n_b);

// Adjusted p-values, in the input order. Holm (step-down, controls the family-wise error rate)
// and Benjamini-Hochberg (step-up, controls the false discovery rate; for large sweeps).
std::vector<double> holm_adjust(const std::vector<double>& p_values);
std::vector<double> benjamini_hochberg_adjust(const std::vector<double>& p_values);

struct ratio_interval {
  double low = 0.0, high = 0.0;
};

// Percentile bootstrap interval of median(contender) / median(base), both samples resampled
// with replacement. With at most 30 values per side (repetition counts) it is exact: the limit
// of infinitely many resamples, computed from the law of a resample's median (below). Larger
// samples use `resamples` Monte Carlo resamples, deterministic for a given seed.
ratio_interval bootstrap_ratio_of_medians(const std::vector<double>& base, const std::vector<double>& contender,
                                          int resamples, double confidence, std::uint64_t seed);
ratio_interval monte_carlo_bootstrap_ratio_of_medians(const std::vector<double>& base,
                                                      const std::vector<double>& contender, int resamples,
                                                      double confidence, std::uint64_t seed);

// The distribution of the median of a same-size resample with replacement: (value,
// probability) pairs. The count of draws at or below the j-th smallest value is
// Binomial(n, j/n); the median is an order statistic (odd n) or the mean of two (even n).
std::vector<std::pair<double, double>> bootstrap_median_distribution(std::vector<double> values);

// Median with linear interpolation (the same rule as the sample statistics).
double median_of(std::vector<double> values);

// Relative noise from the interquartile range: IQR / median / 1.349 (the IQR of a normal
// distribution is 1.349 sigma), so an outlier repetition does not inflate it as a stdev would.
double robust_relative_noise(std::vector<double> values);

// Small, fast, seedable generator for the bootstrap (splitmix64): the same seed gives the same
// interval on every platform, unlike std:: distributions.
class splitmix64 {
 public:
  explicit splitmix64(std::uint64_t seed) : m_state(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (m_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n) (Lemire's multiply-shift; the bias is below 2^-32 for small n).
  std::uint32_t below(std::uint32_t n) {
    return static_cast<std::uint32_t>(((next() >> 32) * static_cast<std::uint64_t>(n)) >> 32);
  }
  // Uniform in (0, 1).
  double uniform() { return (static_cast<double>(next() >> 11) + 0.5) * (1.0 / 9007199254740992.0); }
  // Standard normal (Box-Muller).
  double normal();

 private:
  std::uint64_t m_state;
};

}  // namespace accelbench
