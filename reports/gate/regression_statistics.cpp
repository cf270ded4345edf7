#include "reports/gate/regression_statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "reports/model/sample_statistics.hpp"

namespace accelbench {

double splitmix64::normal() {
  const double u1 = uniform(), u2 = uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

double median_of(std::vector<double> values) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(values.begin(), values.end());
  return quantile_sorted(values, 0.5);
}

double robust_relative_noise(std::vector<double> values) {
  if (values.size() < 2) return 0.0;
  std::sort(values.begin(), values.end());
  const double median = quantile_sorted(values, 0.5);
  if (!(median > 0)) return 0.0;
  return (quantile_sorted(values, 0.75) - quantile_sorted(values, 0.25)) / median / 1.349;
}

namespace {

// P(U <= u) and P(U >= u) for U of a sample of size n_a among n = n_a + n_b distinct values:
// count the n_a-subsets of ranks {1..n} by rank sum (U = rank sum - n_a(n_a+1)/2).
std::pair<double, double> exact_u_tails(std::size_t n_a, std::size_t n_b, double u) {
  const std::size_t n = n_a + n_b;
  const std::size_t max_sum = n * (n + 1) / 2;
  std::vector<std::vector<double>> ways(n_a + 1, std::vector<double>(max_sum + 1, 0.0));
  ways[0][0] = 1.0;
  for (std::size_t rank = 1; rank <= n; ++rank) {
    for (std::size_t k = std::min(rank, n_a); k >= 1; --k) {
      for (std::size_t s = max_sum; s >= rank; --s) ways[k][s] += ways[k - 1][s - rank];
    }
  }
  const double offset = static_cast<double>(n_a * (n_a + 1) / 2);
  double total = 0.0, at_most = 0.0, at_least = 0.0;
  for (std::size_t s = 0; s <= max_sum; ++s) {
    const double count = ways[n_a][s];
    if (count == 0.0) continue;
    const double value = static_cast<double>(s) - offset;
    total += count;
    if (value <= u + 1e-9) at_most += count;
    if (value >= u - 1e-9) at_least += count;
  }
  return {at_most / total, at_least / total};
}

}  // namespace

mann_whitney_result mann_whitney_u(const std::vector<double>& a, const std::vector<double>& b) {
  mann_whitney_result result;
  if (a.empty() || b.empty()) return result;
  // Mid-ranks over the pooled sample.
  std::vector<std::pair<double, bool>> pooled;  // value, from a
  for (double x : a) pooled.emplace_back(x, true);
  for (double x : b) pooled.emplace_back(x, false);
  std::sort(pooled.begin(), pooled.end(), [](const auto& l, const auto& r) { return l.first < r.first; });
  const auto n = static_cast<double>(pooled.size());
  double rank_sum_a = 0.0, tie_term = 0.0;
  bool ties = false;
  for (std::size_t i = 0; i < pooled.size();) {
    std::size_t j = i;
    while (j < pooled.size() && pooled[j].first == pooled[i].first) ++j;
    const double mid_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
    const auto t = static_cast<double>(j - i);
    if (j - i > 1) ties = true;
    tie_term += t * t * t - t;
    for (std::size_t k = i; k < j; ++k) {
      if (pooled[k].second) rank_sum_a += mid_rank;
    }
    i = j;
  }
  const auto n_a = static_cast<double>(a.size()), n_b = static_cast<double>(b.size());
  result.u = rank_sum_a - n_a * (n_a + 1) / 2.0;

  if (!ties && a.size() + b.size() <= 40) {
    const auto [at_most, at_least] = exact_u_tails(a.size(), b.size(), result.u);
    result.p_value = std::min(1.0, 2.0 * std::min(at_most, at_least));
    result.exact = true;
    return result;
  }
  const double mean = n_a * n_b / 2.0;
  const double variance = n_a * n_b / 12.0 * ((n + 1.0) - tie_term / (n * (n - 1.0)));
  if (!(variance > 0)) return result;  // every value tied: no evidence of a difference
  const double z = std::max(0.0, std::abs(result.u - mean) - 0.5) / std::sqrt(variance);
  result.p_value = std::min(1.0, std::erfc(z / std::sqrt(2.0)));
  return result;
}

double mann_whitney_min_p(std::size_t n_a, std::size_t n_b) {
  if (n_a == 0 || n_b == 0) return 1.0;
  double combinations = 1.0;  // C(n_a + n_b, n_a), built up without overflow
  for (std::size_t i = 1; i <= n_a; ++i)
    combinations = combinations * static_cast<double>(n_b + i) / static_cast<double>(i);
  return std::min(1.0, 2.0 / combinations);
}

std::vector<double> holm_adjust(const std::vector<double>& p_values) {
  const std::size_t m = p_values.size();
  std::vector<std::size_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t l, std::size_t r) { return p_values[l] < p_values[r]; });
  std::vector<double> adjusted(m);
  double running = 0.0;  // adjusted values never decrease along the sorted order
  for (std::size_t i = 0; i < m; ++i) {
    running = std::max(running, std::min(1.0, static_cast<double>(m - i) * p_values[order[i]]));
    adjusted[order[i]] = running;
  }
  return adjusted;
}

std::vector<double> benjamini_hochberg_adjust(const std::vector<double>& p_values) {
  const std::size_t m = p_values.size();
  std::vector<std::size_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t l, std::size_t r) { return p_values[l] < p_values[r]; });
  std::vector<double> adjusted(m);
  double running = 1.0;  // adjusted values never increase going down from the largest p
  for (std::size_t i = m; i-- > 0;) {
    running =
        std::min(running, std::min(1.0, static_cast<double>(m) * p_values[order[i]] / static_cast<double>(i + 1)));
    adjusted[order[i]] = running;
  }
  return adjusted;
}

namespace {

// Median of a resample drawn into `scratch` (nth_element: O(n)).
double resampled_median(const std::vector<double>& values, std::vector<double>& scratch, splitmix64& rng) {
  const auto n = static_cast<std::uint32_t>(values.size());
  for (std::uint32_t i = 0; i < n; ++i) scratch[i] = values[rng.below(n)];
  const std::size_t middle = n / 2;
  std::nth_element(scratch.begin(), scratch.begin() + static_cast<std::ptrdiff_t>(middle), scratch.end());
  if (n % 2 == 1) return scratch[middle];
  const double upper = scratch[middle];
  const double lower = *std::max_element(scratch.begin(), scratch.begin() + static_cast<std::ptrdiff_t>(middle));
  return (lower + upper) / 2.0;
}

}  // namespace

namespace {

double binomial_pmf(std::size_t n, std::size_t k, double p) {
  if (p <= 0.0) return k == 0 ? 1.0 : 0.0;
  if (p >= 1.0) return k == n ? 1.0 : 0.0;
  const auto nn = static_cast<double>(n), kk = static_cast<double>(k);
  return std::exp(std::lgamma(nn + 1) - std::lgamma(kk + 1) - std::lgamma(nn - kk + 1) + kk * std::log(p) +
                  (nn - kk) * std::log1p(-p));
}

double binomial_at_least(std::size_t n, std::size_t k, double p) {
  double sum = 0.0;
  for (std::size_t a = k; a <= n; ++a) sum += binomial_pmf(n, a, p);
  return std::min(1.0, sum);
}

}  // namespace

std::vector<std::pair<double, double>> bootstrap_median_distribution(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  std::vector<std::pair<double, double>> distribution;
  if (n == 0) return distribution;
  // N_j = how many of the n draws are <= values[j-1] (by position): Binomial(n, j/n).
  const auto fraction = [n](std::size_t j) { return static_cast<double>(j) / static_cast<double>(n); };
  if (n % 2 == 1) {
    // The median is values[j-1] for the first j with N_j >= (n+1)/2.
    double previous = 0.0;
    for (std::size_t j = 1; j <= n; ++j) {
      const double cdf = binomial_at_least(n, (n + 1) / 2, fraction(j));
      if (cdf - previous > 0) distribution.emplace_back(values[j - 1], cdf - previous);
      previous = cdf;
    }
    return distribution;
  }
  // Even n: the mean of the lower middle L (first j with N_j >= n/2) and the upper middle U
  // (first j with N_j >= n/2 + 1). G(i, j) = P(L <= i, U <= j).
  const std::size_t h = n / 2;
  std::vector<std::vector<double>> g(n + 1, std::vector<double>(n + 1, 0.0));
  std::vector<double> above(n + 1), exactly_h(n + 1);  // P(N_i >= h + 1), P(N_i = h)
  for (std::size_t i = 1; i <= n; ++i) {
    above[i] = binomial_at_least(n, h + 1, fraction(i));
    exactly_h[i] = binomial_pmf(n, h, fraction(i));
  }
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= n; ++j) {
      if (i >= j) {
        g[i][j] = above[j];  // U <= j implies L <= j <= i
        continue;
      }
      // N_i >= h + 1 settles both; with N_i = h exactly, U <= j needs one of the other h draws
      // (each uniform over the n - i larger values) to land at or below the j-th.
      const double none_in_between =
          std::pow(static_cast<double>(n - j) / static_cast<double>(n - i), static_cast<double>(h));
      g[i][j] = std::min(1.0, above[i] + exactly_h[i] * (1.0 - none_in_between));
    }
  }
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = i; j <= n; ++j) {
      const double p = g[i][j] - g[i - 1][j] - g[i][j - 1] + g[i - 1][j - 1];
      if (p > 1e-15) distribution.emplace_back((values[i - 1] + values[j - 1]) / 2.0, p);
    }
  }
  return distribution;
}

namespace {

// Exact when both samples are this small: the limit of infinitely many resamples, computed from
// the binomial law of the resample medians in well under a millisecond.
constexpr std::size_t exact_bootstrap_limit = 30;

ratio_interval exact_bootstrap(const std::vector<double>& base, const std::vector<double>& contender,
                               double confidence) {
  const auto b = bootstrap_median_distribution(base), c = bootstrap_median_distribution(contender);
  std::vector<std::pair<double, double>> ratios;
  ratios.reserve(b.size() * c.size());
  for (const auto& [vb, pb] : b) {
    if (!(vb > 0)) continue;
    for (const auto& [vc, pc] : c) ratios.emplace_back(vc / vb, pb * pc);
  }
  if (ratios.empty()) return {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
  std::sort(ratios.begin(), ratios.end());
  double total = 0.0;
  for (const auto& r : ratios) total += r.second;
  const double tail = (1.0 - confidence) / 2.0;
  ratio_interval interval{ratios.back().first, ratios.back().first};
  bool have_low = false;
  double cumulative = 0.0;
  for (const auto& [ratio, p] : ratios) {
    cumulative += p / total;
    if (!have_low && cumulative >= tail - 1e-12) {
      interval.low = ratio;
      have_low = true;
    }
    if (cumulative >= 1.0 - tail - 1e-12) {
      interval.high = ratio;
      break;
    }
  }
  return interval;
}

}  // namespace

ratio_interval bootstrap_ratio_of_medians(const std::vector<double>& base, const std::vector<double>& contender,
                                          int resamples, double confidence, std::uint64_t seed) {
  if (base.empty() || contender.empty()) {
    return {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
  }
  if (base.size() <= exact_bootstrap_limit && contender.size() <= exact_bootstrap_limit) {
    return exact_bootstrap(base, contender, confidence);
  }
  return monte_carlo_bootstrap_ratio_of_medians(base, contender, resamples, confidence, seed);
}

ratio_interval monte_carlo_bootstrap_ratio_of_medians(const std::vector<double>& base,
                                                      const std::vector<double>& contender, int resamples,
                                                      double confidence, std::uint64_t seed) {
  splitmix64 rng(seed);
  std::vector<double> scratch_base(base.size()), scratch_contender(contender.size());
  std::vector<double> ratios;
  ratios.reserve(static_cast<std::size_t>(std::max(resamples, 1)));
  for (int i = 0; i < resamples; ++i) {
    const double b = resampled_median(base, scratch_base, rng);
    const double c = resampled_median(contender, scratch_contender, rng);
    if (b > 0) ratios.push_back(c / b);
  }
  if (ratios.empty()) return {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
  std::sort(ratios.begin(), ratios.end());
  const double tail = (1.0 - confidence) / 2.0;
  return {quantile_sorted(ratios, tail), quantile_sorted(ratios, 1.0 - tail)};
}

}  // namespace accelbench
