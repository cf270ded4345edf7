// The regression gate (reports/gate/compare.hpp): the statistics on hand-computed values, the
// seeded statistical acceptance tests (1000 trials each), matching, missing and new
// cases, the machine check, FAIL on incorrect results, exit codes, and every output format.
// Google Benchmark JSON (reports/views/gbench_writer.hpp) is checked against the fields that
// google/benchmark's compare.py, github-action-benchmark and Bencher read.
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "kernels/spec/errors.hpp"
#include "reports/gate/compare.hpp"
#include "reports/gate/compare_writers.hpp"
#include "reports/gate/regression_statistics.hpp"
#include "reports/views/gbench_writer.hpp"

using namespace accelbench;

namespace {

// Repetition-level medians around `center` with relative Gaussian noise.
std::vector<double> noisy(splitmix64& rng, std::size_t n, double center, double noise) {
  std::vector<double> values;
  for (std::size_t i = 0; i < n; ++i) values.push_back(center * (1.0 + noise * rng.normal()));
  return values;
}

struct trial_counts {
  std::map<verdict, int> count;
  int operator[](verdict v) const {
    const auto it = count.find(v);
    return it == count.end() ? 0 : it->second;
  }
};

// 1000 seeded trials of compare_samples with the default options (10000 bootstrap resamples).
trial_counts run_trials(const std::function<std::pair<std::vector<double>, std::vector<double>>(splitmix64&)>& draw,
                        double floor, std::uint64_t seed) {
  splitmix64 rng(seed);
  const compare_options options;
  trial_counts counts;
  for (int trial = 0; trial < 1000; ++trial) {
    const auto [base, contender] = draw(rng);
    ++counts.count[compare_samples(base, contender, floor, options, rng.next()).result];
  }
  return counts;
}

std::string describe(const trial_counts& t) {
  std::string text;
  for (const auto& [v, n] : t.count) text += std::string(to_string(v)) + "=" + std::to_string(n) + " ";
  return text;
}

// A result record as `accelbench run` would make it, with one median per repetition.
case_result make_case(const std::string& workload, const std::vector<double>& medians, outcome result = outcome::passed,
                      const std::string& backend = "openblas", cache_policy cache = cache_policy::cold,
                      const std::string& device_kind = "cpu") {
  case_result r;
  r.workload = workload;
  r.kind = workload.substr(0, workload.find(':'));
  r.backend = backend;
  r.backend_version = "OpenBLAS 0.3.21";
  r.device_index = 0;
  r.device_name = "Test CPU";
  r.device_kind = device_kind;
  r.dtype_in = r.dtype_out = "f32";
  r.dtype_acc = "f32";
  r.cache = cache;
  r.result = result;
  r.reason = result == outcome::incorrect ? "relative error 0.5 above tolerance 1e-5" : "";
  r.seed = 7;
  r.input_distribution = "normal(0,1)";
  r.flops = 2 * 64 * 64 * 64;
  r.flop_convention = "gemm-2mnk-v1";
  r.min_bytes = 3 * 64 * 64 * 4;
  if (result == outcome::passed || result == outcome::mistrusted) {
    for (double m : medians) {
      repetition_record rep;
      rep.samples_s = {m * 0.99, m, m * 1.01};
      rep.stats = summarize(rep.samples_s);
      rep.stop_reason = "converged";
      r.repetitions.push_back(rep);
    }
  }
  return r;
}

nlohmann::ordered_json make_system(int cores = 2, const std::string& openblas = "OpenBLAS 0.3.21") {
  nlohmann::ordered_json system = {{"system_desc_id", ""},
                                   {"system_name", "testhost"},
                                   {"host_processor_model_name", "Test CPU"},
                                   {"host_processors_per_node", 1},
                                   {"host_processor_core_count", cores},
                                   {"host_processor_vcpu_count", cores},
                                   {"host_memory_capacity_bytes", 24ll << 30},
                                   {"kernel", "6.1.0"},
                                   {"libraries", {{"openblas", openblas}, {"reference", "fp64"}}}};
  // The id stands for the fields (the run computes it the same way from system_info).
  system["system_desc_id"] = std::to_string(std::hash<std::string>{}(system.dump()));
  return system;
}

run_record make_run(std::vector<case_result> results, nlohmann::ordered_json system = make_system()) {
  run_record run;
  run.meta.tool_version = "0.1.0";
  run.meta.git_revision = "abc123";
  run.meta.build_type = "Release";
  run.meta.argv = {"/usr/bin/accelbench", "run"};
  run.meta.timestamp_utc = "2025-01-01T00:00:00Z";
  run.system = std::move(system);
  run.results = std::move(results);
  return run;
}

std::vector<double> steady(double center, std::size_t n = 10, double noise = 0.01, std::uint64_t seed = 1) {
  splitmix64 rng(seed);
  return noisy(rng, n, center, noise);
}

const case_comparison& find_case(const comparison& c, const std::string& workload) {
  for (const case_comparison& k : c.cases) {
    if (k.workload == workload) return k;
  }
  FAIL("no case " << workload);
  return c.cases.front();
}

}  // namespace

// --- statistics on hand-computed values ---------------------------------------------------------

TEST_CASE("Mann-Whitney U: exact p-values for small samples", "[compare][statistics]") {
  // Fully separated 5 vs 5: U = 0, p = 2 / C(10, 5) = 2 / 252.
  const mann_whitney_result separated = mann_whitney_u({1, 2, 3, 4, 5}, {6, 7, 8, 9, 10});
  CHECK(separated.exact);
  CHECK(separated.u == 0.0);
  CHECK(separated.p_value == Approx(2.0 / 252.0).epsilon(1e-12));
  CHECK(mann_whitney_min_p(5, 5) == Approx(2.0 / 252.0));
  // Symmetric in its arguments; U_a + U_b = n_a * n_b.
  const mann_whitney_result reversed = mann_whitney_u({6, 7, 8, 9, 10}, {1, 2, 3, 4, 5});
  CHECK(reversed.u == 25.0);
  CHECK(reversed.p_value == Approx(separated.p_value));
  // m = n = 2, U = 1: the counts of U = 0..4 are 1,1,2,1,1, so p = 2 * 2/6.
  const mann_whitney_result small = mann_whitney_u({1, 3}, {2, 4});
  CHECK(small.u == 1.0);
  CHECK(small.p_value == Approx(2.0 / 3.0));
  // Interleaved samples: no evidence at all.
  CHECK(mann_whitney_u({1, 4, 5, 8}, {2, 3, 6, 7}).p_value == Approx(1.0));
}

TEST_CASE("Mann-Whitney U: normal approximation with ties and large samples", "[compare][statistics]") {
  // Everything tied: the variance is zero, p = 1.
  const mann_whitney_result tied = mann_whitney_u({2, 2, 2}, {2, 2, 2});
  CHECK_FALSE(tied.exact);
  CHECK(tied.p_value == 1.0);
  // 21 vs 21 fully separated (n > 40: normal): mean 220.5, variance 21*21*43/12 = 1580.25,
  // z = (220.5 - 0.5) / sqrt(1580.25).
  std::vector<double> low, high;
  for (int i = 1; i <= 21; ++i) low.push_back(i), high.push_back(21 + i);
  const mann_whitney_result big = mann_whitney_u(low, high);
  CHECK_FALSE(big.exact);
  CHECK(big.p_value == Approx(std::erfc(220.0 / std::sqrt(1580.25) / std::sqrt(2.0))).epsilon(1e-9));
  CHECK(big.p_value < 1e-7);
  // Ties lower the variance: the tie-corrected z is larger than the uncorrected one would be.
  const mann_whitney_result with_ties = mann_whitney_u({1, 1, 1, 2, 2}, {2, 3, 3, 3, 3});
  CHECK_FALSE(with_ties.exact);
  CHECK(with_ties.u == Approx(1.0));  // two (2, 2) pairs count 1/2 each
  CHECK(with_ties.p_value < 0.02);
  CHECK(with_ties.p_value > 0.001);
}

TEST_CASE("Holm and Benjamini-Hochberg adjusted p-values", "[compare][statistics]") {
  const std::vector<double> p{0.01, 0.04, 0.03, 0.005};
  const std::vector<double> holm = holm_adjust(p);
  REQUIRE(holm.size() == 4);
  CHECK(holm[0] == Approx(0.03));
  CHECK(holm[1] == Approx(0.06));
  CHECK(holm[2] == Approx(0.06));
  CHECK(holm[3] == Approx(0.02));
  const std::vector<double> bh = benjamini_hochberg_adjust(p);
  CHECK(bh[0] == Approx(0.02));
  CHECK(bh[1] == Approx(0.04));
  CHECK(bh[2] == Approx(0.04));
  CHECK(bh[3] == Approx(0.02));
  CHECK(holm_adjust({0.9, 0.8}) == std::vector<double>{1.0, 1.0});  // capped at 1
  CHECK(holm_adjust({}).empty());
}

TEST_CASE("bootstrap interval of the ratio of medians; robust noise", "[compare][statistics]") {
  const ratio_interval constant = bootstrap_ratio_of_medians({2, 2, 2}, {4, 4, 4}, 2000, 0.95, 1);
  CHECK(constant.low == Approx(2.0));
  CHECK(constant.high == Approx(2.0));
  const std::vector<double> base = steady(1.0, 10, 0.02, 3), contender = steady(1.1, 10, 0.02, 4);
  const ratio_interval a = bootstrap_ratio_of_medians(base, contender, 10000, 0.95, 42);
  const ratio_interval b = bootstrap_ratio_of_medians(base, contender, 10000, 0.95, 42);
  CHECK(a.low == b.low);  // seeded: the same files give the same verdicts
  CHECK(a.high == b.high);
  const double point = median_of(contender) / median_of(base);
  CHECK(a.low < point);
  CHECK(a.high > point);
  CHECK(a.low > 1.0);  // a 10% slowdown with 2% noise
  CHECK(a.high < 1.2);
  // n = 1: the resample is the value itself.
  CHECK(bootstrap_median_distribution({3.0}) == std::vector<std::pair<double, double>>{{3.0, 1.0}});
  // n = 2, values a < b: resamples aa, ab, ba, bb: medians a, (a+b)/2, (a+b)/2, b.
  const auto two = bootstrap_median_distribution({4.0, 2.0});
  REQUIRE(two.size() == 3);
  CHECK(two[0].first == 2.0);
  CHECK(two[0].second == Approx(0.25));
  CHECK(two[1].first == 3.0);
  CHECK(two[1].second == Approx(0.5));
  CHECK(two[2].second == Approx(0.25));
  // n = 3: the median is the middle value unless two or more draws fall on one side:
  // P(median = smallest) = P(at least 2 of 3 draws are the smallest) = 7/27.
  const auto three = bootstrap_median_distribution({1.0, 2.0, 3.0});
  REQUIRE(three.size() == 3);
  CHECK(three[0].second == Approx(7.0 / 27.0));
  CHECK(three[1].second == Approx(13.0 / 27.0));
}

TEST_CASE("the exact bootstrap is the limit of the Monte Carlo one", "[compare][statistics]") {
  splitmix64 rng(5);
  for (const auto& [nb, nc] : std::vector<std::pair<std::size_t, std::size_t>>{{7, 7}, {10, 10}, {6, 9}, {12, 5}}) {
    const std::vector<double> base = noisy(rng, nb, 1.0, 0.05), contender = noisy(rng, nc, 1.08, 0.05);
    for (const std::vector<double>* sample : {&base, &contender}) {
      double total = 0.0, mean = 0.0;
      for (const auto& [value, p] : bootstrap_median_distribution(*sample)) total += p, mean += p * value;
      CHECK(total == Approx(1.0).epsilon(1e-9));
      // Monte Carlo mean of resample medians.
      splitmix64 draw(9);
      double mc = 0.0;
      for (int i = 0; i < 100000; ++i) {
        std::vector<double> resample;
        for (std::size_t k = 0; k < sample->size(); ++k)
          resample.push_back((*sample)[draw.below(static_cast<std::uint32_t>(sample->size()))]);
        mc += median_of(resample);
      }
      CHECK(mean == Approx(mc / 100000).epsilon(2e-3));
    }
    const ratio_interval exact = bootstrap_ratio_of_medians(base, contender, 10000, 0.95, 1);
    const ratio_interval mc = monte_carlo_bootstrap_ratio_of_medians(base, contender, 200000, 0.95, 1);
    INFO(nb << " vs " << nc << ": exact [" << exact.low << ", " << exact.high << "], Monte Carlo [" << mc.low << ", "
            << mc.high << "]");
    CHECK(exact.low == Approx(mc.low).epsilon(0.01));
    CHECK(exact.high == Approx(mc.high).epsilon(0.01));
  }
}

TEST_CASE("robust noise and the median", "[compare][statistics]") {
  CHECK(robust_relative_noise({1, 2, 3, 4, 5}) == Approx((4.0 - 2.0) / 3.0 / 1.349));
  CHECK(robust_relative_noise({5}) == 0.0);
  CHECK(median_of({3, 1, 2, 10}) == Approx(2.5));
}

// --- the statistical acceptance tests (seeded) --------------------------------------------

TEST_CASE("identical distributions: SAME or UNSURE, never SLOWER, in >= 99% of 1000 trials", "[compare][trials]") {
  SECTION("10 repetitions, 2% Gaussian noise") {
    const trial_counts t = run_trials(
        [](splitmix64& rng) {
          return std::pair{noisy(rng, 10, 1e-3, 0.02), noisy(rng, 10, 1e-3, 0.02)};
        },
        0.05, 11);
    INFO(describe(t));
    CHECK(t[verdict::same] + t[verdict::unsure] >= 990);
    CHECK(t[verdict::slower] <= 10);
    CHECK(t[verdict::same] >= 900);  // and the gate does say SAME when it is the same
  }
  SECTION("5 repetitions (the floor), 5% noise with an occasional 30% outlier repetition") {
    const trial_counts t = run_trials(
        [](splitmix64& rng) {
          auto draw = [&rng] {
            std::vector<double> v = noisy(rng, 5, 2e-5, 0.05);
            if (rng.uniform() < 0.3) v[rng.below(5)] *= 1.3;
            return v;
          };
          auto base = draw();
          return std::pair{base, draw()};
        },
        0.05, 12);
    INFO(describe(t));
    CHECK(t[verdict::same] + t[verdict::unsure] >= 990);
    CHECK(t[verdict::slower] <= 10);
  }
  SECTION("GPU floor (3%), 9 repetitions, 1% noise") {
    const trial_counts t = run_trials(
        [](splitmix64& rng) {
          return std::pair{noisy(rng, 9, 0.01, 0.01), noisy(rng, 9, 0.01, 0.01)};
        },
        0.03, 13);
    INFO(describe(t));
    CHECK(t[verdict::same] + t[verdict::unsure] >= 990);
    CHECK(t[verdict::slower] <= 10);
  }
}

TEST_CASE("a 10% slowdown with 2% noise and 10 repetitions is SLOWER in >= 95% of 1000 trials", "[compare][trials]") {
  const trial_counts slower = run_trials(
      [](splitmix64& rng) {
        return std::pair{noisy(rng, 10, 1e-3, 0.02), noisy(rng, 10, 1.1e-3, 0.02)};
      },
      0.05, 21);
  INFO(describe(slower));
  CHECK(slower[verdict::slower] >= 950);
  CHECK(slower[verdict::faster] == 0);
  // The mirror image: a 10% speedup is FASTER.
  const trial_counts faster = run_trials(
      [](splitmix64& rng) {
        return std::pair{noisy(rng, 10, 1.1e-3, 0.02), noisy(rng, 10, 1e-3, 0.02)};
      },
      0.05, 22);
  INFO(describe(faster));
  CHECK(faster[verdict::faster] >= 950);
  CHECK(faster[verdict::slower] == 0);
}

TEST_CASE("a 2% change on a 5% floor is never SLOWER in 1000 trials", "[compare][trials]") {
  // Real (the rank test sees it) but below the floor: not a regression.
  const trial_counts t = run_trials(
      [](splitmix64& rng) {
        return std::pair{noisy(rng, 10, 1e-3, 0.01), noisy(rng, 10, 1.02e-3, 0.01)};
      },
      0.05, 31);
  INFO(describe(t));
  CHECK(t[verdict::slower] == 0);
  CHECK(t[verdict::same] >= 950);
  // Even with 15 repetitions and almost no noise, where the change is certain.
  const trial_counts certain = run_trials(
      [](splitmix64& rng) {
        return std::pair{noisy(rng, 15, 1e-3, 0.002), noisy(rng, 15, 1.02e-3, 0.002)};
      },
      0.05, 32);
  INFO(describe(certain));
  CHECK(certain[verdict::slower] == 0);
}

// --- the decision rule's other branches --------------------------------------------------------

TEST_CASE("decide: too few repetitions, too noisy, clocks", "[compare]") {
  const compare_options options;
  const decision few = compare_samples({1.0, 1.0, 1.0}, {2.0, 2.0, 2.0}, 0.05, options, 1);
  CHECK(few.result == verdict::unsure);
  CHECK(few.reason.find("too few repetitions (3 in BASE, 3 in NEW") != std::string::npos);
  CHECK(few.reason.find("--repetitions") != std::string::npos);

  // A big shift buried in noise (bimodal repetitions).
  const decision noisy_case =
      compare_samples({1, 1, 1, 2, 2, 2, 1, 2, 1, 2}, {1.5, 1.5, 3, 3, 3, 1.5, 3, 1.5, 1.5, 3}, 0.05, options, 1);
  CHECK(noisy_case.result == verdict::unsure);
  CHECK(noisy_case.reason.find("too noisy") != std::string::npos);

  // 5 + 5 repetitions: fully separated yet p >= 2/252; with Holm over two cases p_adj can never
  // reach 0.01, and the reason says how to fix it.
  sample_evidence e = gather_evidence({1, 1.01, 0.99, 1.005, 1.02}, {2, 2.01, 1.99, 2.005, 2.02}, options, 1);
  CHECK(e.exact_test);
  CHECK(e.p_value == Approx(2.0 / 252.0));
  const decision corrected = decide(e, 2 * e.p_value, 0.05, options);
  CHECK(corrected.result == verdict::unsure);
  CHECK(corrected.reason.find("--repetitions 9") != std::string::npos);
  CHECK(decide(e, e.p_value, 0.05, options).result == verdict::slower);  // alone, it is significant

  // Clocks: a 10% time increase explained by a 10% lower clock is UNSURE; one that remains in
  // cycles is SLOWER.
  const std::vector<double> base = steady(1.0, 10, 0.005, 5), contender = steady(1.1, 10, 0.005, 6);
  e = gather_evidence(base, contender, options, 1);
  const decision explained = decide(e, e.p_value, 0.03, options, clock_context{1980, 1800});
  CHECK(explained.result == verdict::unsure);
  CHECK(explained.reason.find("clocks differ") != std::string::npos);
  CHECK(decide(e, e.p_value, 0.03, options, clock_context{1980, 1975}).result == verdict::slower);
  CHECK(decide(e, e.p_value, 0.03, options, clock_context{1980, 2180}).result == verdict::slower);
  // Hardware differs: not attributable.
  const decision machine =
      decide(e, e.p_value, 0.03, options, std::nullopt, "machine differs (host_processor_model_name)");
  CHECK(machine.result == verdict::unsure);
  CHECK(machine.reason.find("machine differs (host_processor_model_name): ") == 0);
  CHECK(machine.reason.find("is not attributable to the change") != std::string::npos);
}

TEST_CASE("effect floor: 5% on CPUs, 3% on GPUs and NPUs, or --threshold", "[compare]") {
  compare_options options;
  CHECK(effect_floor("cpu", options) == Approx(0.05));
  CHECK(effect_floor("gpu", options) == Approx(0.03));
  CHECK(effect_floor("npu", options) == Approx(0.03));
  options.threshold = 0.10;
  CHECK(effect_floor("gpu", options) == Approx(0.10));
}

// --- whole files -------------------------------------------------------------------------------

TEST_CASE("compare_runs: matching, missing and new cases, verdicts, geomean, exit code", "[compare]") {
  const std::string a = "gemm:m=64,n=64,k=64,dt=f32", b = "gemm:m=128,n=128,k=128,dt=f32",
                    c = "gemm:m=256,n=256,k=256,dt=f32", gone = "gemm:m=8,n=8,k=8,dt=f32",
                    added = "gemm:m=16,n=16,k=16,dt=f32";
  const run_record base = make_run({make_case(a, steady(1e-3, 10, 0.01, 1)), make_case(b, steady(2e-3, 10, 0.01, 2)),
                                    make_case(c, steady(4e-3, 10, 0.01, 3)), make_case(gone, steady(1e-5)),
                                    make_case(a, steady(1e-3), outcome::passed, "openblas", cache_policy::hot)});
  // NEW in another order: a unchanged, b twice as slow, c faster, one case gone, one added; the
  // hot-cache case of `a` is a different case from the cold one.
  const run_record contender =
      make_run({make_case(added, steady(1e-5)), make_case(c, steady(3e-3, 10, 0.01, 13)),
                make_case(b, steady(4e-3, 10, 0.01, 12)), make_case(a, steady(1e-3, 10, 0.01, 11)),
                make_case(a, steady(1e-3, 10, 0.01, 14), outcome::passed, "openblas", cache_policy::hot)});
  const comparison result = compare_runs(base, contender, compare_options{}, "base.json", "new.json");
  REQUIRE(result.cases.size() == 4);
  CHECK(result.machine_differences.empty());
  CHECK(result.correction == "holm");
  CHECK(find_case(result, a).result == verdict::same);
  CHECK(find_case(result, b).result == verdict::slower);
  CHECK(find_case(result, b).reason.find("+100") != std::string::npos);
  CHECK(find_case(result, c).result == verdict::faster);
  for (const case_comparison& k : result.cases) {
    REQUIRE(k.p_adjusted.has_value());
    CHECK(*k.p_adjusted >= k.evidence->p_value);  // corrected, never below the raw p
  }
  REQUIRE(result.missing.size() == 1);
  CHECK(result.missing[0].workload == gone);
  REQUIRE(result.added.size() == 1);
  CHECK(result.added[0].workload == added);
  CHECK(result.count(verdict::slower) == 1);
  CHECK(result.exit_code() == 1);
  REQUIRE(result.geomean_ratio.has_value());
  CHECK(result.geomean_cases == 4);
  CHECK(*result.geomean_ratio == Approx(std::pow(1.0 * 2.0 * 0.75 * 1.0, 0.25)).epsilon(0.02));

  // Without the slow case: only the missing case fails the gate, and --allow-missing accepts it.
  run_record fixed = contender;
  fixed.results[2] = make_case(b, steady(2e-3, 10, 0.01, 22));
  const comparison without_slow = compare_runs(base, fixed, compare_options{}, "base.json", "new.json");
  CHECK(without_slow.count(verdict::slower) == 0);
  CHECK(without_slow.coverage_problem() == "1 of BASE's 5 cases are missing in NEW (--allow-missing accepts that)");
  CHECK(without_slow.exit_code() == 1);
  compare_options allow_missing;
  allow_missing.allow_missing = true;
  CHECK(compare_runs(base, fixed, allow_missing, "base.json", "new.json").exit_code() == 0);
}

TEST_CASE("compare_runs: a gate that compared nothing, or lost cases, fails", "[compare]") {
  const std::string a = "gemm:m=64,n=64,k=64,dt=f32", b = "gemm:m=128,n=128,k=128,dt=f32";
  const run_record base = make_run({make_case(a, steady(1e-3, 10, 0.01, 1)), make_case(b, steady(2e-3, 10, 0.01, 2))});
  // NEW measured nothing (a --benchmark_filter that matched nothing used to produce this).
  const run_record skipped = make_run({make_case(a, {}, outcome::skipped), make_case(b, {}, outcome::skipped)});
  const comparison nothing = compare_runs(base, skipped, compare_options{}, "base.json", "empty.json");
  CHECK(nothing.count(verdict::slower) == 0);
  CHECK(nothing.geomean_cases == 0);
  CHECK(nothing.coverage_problem() == "no case was timed on both sides");
  CHECK(nothing.exit_code() == 1);
  CHECK_THAT(format_comparison(nothing, compare_format::text),
             Catch::Contains("FAIL (no case was timed on both sides)"));
  compare_options allow_missing;
  allow_missing.allow_missing = true;
  CHECK(compare_runs(base, skipped, allow_missing, "b", "n").exit_code() == 1);  // still nothing compared

  // NEW lost a case: FAIL unless --allow-missing; JUnit shows it as a failure, not a skip.
  const run_record partial = make_run({make_case(a, steady(1e-3, 10, 0.01, 11))});
  const comparison lost = compare_runs(base, partial, compare_options{}, "base.json", "new.json");
  CHECK(lost.exit_code() == 1);
  CHECK_THAT(format_comparison(lost, compare_format::junit), Catch::Contains("type=\"MISSING\""));
  const comparison allowed = compare_runs(base, partial, allow_missing, "base.json", "new.json");
  CHECK(allowed.exit_code() == 0);
  CHECK_THAT(format_comparison(allowed, compare_format::junit), Catch::Contains("<skipped message=\"missing in NEW"));
}

TEST_CASE("compare_runs: a noisy case is UNSURE unless the change is far outside the noise", "[compare]") {
  // Repetitions that stopped on the timeout above the noise target used to be
  // compared like converged ones, without a word.
  const std::string a = "gemm:m=64,n=64,k=64,dt=f32", b = "gemm:m=128,n=128,k=128,dt=f32";
  const auto timed_out = [](case_result r) {
    for (repetition_record& rep : r.repetitions) {
      rep.stop_reason = "timeout";
      rep.samples_s = {rep.stats.median * 0.5, rep.stats.median, rep.stats.median * 2.5};
      rep.stats = summarize(rep.samples_s);
    }
    return r;
  };
  const run_record base = make_run({make_case(a, steady(1e-3, 10, 0.01, 1)), make_case(b, steady(2e-3, 10, 0.01, 2))});
  // a: +8 % (beyond the 5 % floor, significant, but not beyond 2 x floor); b: 2x slower.
  const run_record contender = make_run(
      {timed_out(make_case(a, steady(1.08e-3, 10, 0.01, 11))), timed_out(make_case(b, steady(4e-3, 10, 0.01, 12)))});
  // Converged on both sides, the +8 % is SLOWER ...
  run_record converged = contender;
  converged.results = {make_case(a, steady(1.08e-3, 10, 0.01, 11)), make_case(b, steady(4e-3, 10, 0.01, 12))};
  CHECK(find_case(compare_runs(base, converged, compare_options{}, "b", "n"), a).result == verdict::slower);
  // ... noisy in NEW it is UNSURE, with the reason; the 2x slowdown stays SLOWER, with the note.
  const comparison result = compare_runs(base, contender, compare_options{}, "base.json", "new.json");
  const case_comparison& small = find_case(result, a);
  CHECK(small.result == verdict::unsure);
  CHECK_THAT(small.reason, Catch::Contains("NEW noisy: 10 of 10 repetitions stopped on the timeout") &&
                               Catch::Contains("not far outside the noise"));
  const case_comparison& large = find_case(result, b);
  CHECK(large.result == verdict::slower);
  CHECK_THAT(large.reason, Catch::Contains("NEW noisy"));
  CHECK(result.exit_code() == 1);
  // Both noisy changes are worth a second look (the gate script re-measures them).
  CHECK(result.worth_remeasuring().size() == 2);

  // A 2x slowdown whose slowed side came out bimodal under load (repetition spread ~30 %, which
  // the rule before used against it) is SLOWER: its whole interval is beyond twice the floor.
  std::vector<double> bimodal = steady(4e-3, 10, 0.01, 31);
  for (std::size_t i : {1, 4, 7, 9}) bimodal[i] *= 1.5;  // 4 of 10 repetitions slowed again by the load
  const run_record spread = make_run({make_case(a, steady(1e-3, 10, 0.01, 1)), timed_out(make_case(b, bimodal))});
  const comparison spread_result = compare_runs(base, spread, compare_options{}, "b", "n");
  const case_comparison& bimodal_case = find_case(spread_result, b);
  CHECK(4.0 * bimodal_case.evidence->noise > bimodal_case.evidence->ratio - 1.0);  // 4 sigma: was UNSURE
  CHECK(bimodal_case.result == verdict::slower);
  // The flag reaches every format.
  CHECK_THAT(format_comparison(result, compare_format::text), Catch::Contains("noisy"));
  CHECK_THAT(format_comparison(result, compare_format::md), Catch::Contains("noisy"));
  const nlohmann::json json = nlohmann::json::parse(format_comparison(result, compare_format::json));
  for (const nlohmann::json& entry : json.at("cases")) {
    CHECK_THAT(entry.at("new").at("noisy").get<std::string>(), Catch::Contains("noisy: 10 of 10"));
    CHECK(entry.at("base").at("noisy").is_null());
  }
}

TEST_CASE("compare_runs: FAIL on an incorrect NEW whatever its speed; not measured; skipped", "[compare]") {
  const std::string a = "gemm:m=64,n=64,k=64,dt=f32", u = "gemm:m=64,n=64,k=64,dt=f16",
                    lost = "gemm:m=32,n=32,k=32,dt=f32", fixed_case = "gemm:m=48,n=48,k=48,dt=f32";
  const run_record base = make_run({make_case(a, steady(1e-3)), make_case(u, {}, outcome::unsupported),
                                    make_case(lost, steady(1e-3)), make_case(fixed_case, {}, outcome::incorrect)});
  const run_record contender =
      make_run({make_case(a, {}, outcome::incorrect), make_case(u, {}, outcome::unsupported),
                make_case(lost, {}, outcome::unsupported), make_case(fixed_case, steady(1e-3))});
  const comparison result = compare_runs(base, contender, compare_options{}, "base.json", "new.json");
  CHECK(find_case(result, a).result == verdict::fail);
  CHECK(find_case(result, a).reason.find("NEW is incorrect") != std::string::npos);
  CHECK(find_case(result, u).result == verdict::skipped);
  CHECK(find_case(result, lost).result == verdict::unsure);
  CHECK(find_case(result, lost).reason.find("not measured in NEW") != std::string::npos);
  CHECK(find_case(result, fixed_case).result == verdict::unsure);
  CHECK(find_case(result, fixed_case).reason.find("BASE was incorrect") != std::string::npos);
  CHECK(result.exit_code() == 1);

  // UNSURE alone passes unless --fail-on-unsure (the two cases NEW left out are allowed here).
  const run_record unsure_only = make_run({make_case(a, steady(1e-3)), make_case(lost, {}, outcome::unsupported)});
  compare_options options;
  options.allow_missing = true;
  CHECK(compare_runs(base, unsure_only, options, "b", "n").exit_code() == 0);
  options.fail_on_unsure = true;
  CHECK(compare_runs(base, unsure_only, options, "b", "n").exit_code() == 1);
}

TEST_CASE("compare_runs: graph-batched samples are not compared with single calls", "[compare]") {
  const std::string a = "gemm:m=64,n=64,k=64,dt=f32";
  const run_record base = make_run({make_case(a, steady(1e-3), outcome::passed, "cuda", cache_policy::hot, "gpu")});
  case_result batched = make_case(a, steady(0.5e-3), outcome::passed, "cuda", cache_policy::hot, "gpu");
  for (repetition_record& rep : batched.repetitions) rep.calls_per_sample = 32;
  const comparison result = compare_runs(base, make_run({batched}), compare_options{}, "base.json", "new.json");
  CHECK(find_case(result, a).result == verdict::unsure);
  CHECK(find_case(result, a).reason.find("calls per sample 1 vs 32") != std::string::npos);
  // The same batching on both sides compares as usual.
  const comparison same = compare_runs(make_run({batched}), make_run({batched}), compare_options{}, "b", "n");
  CHECK(find_case(same, a).result == verdict::same);
}

TEST_CASE("compare_runs: too few repetitions are UNSURE and stay out of the correction", "[compare]") {
  const std::string a = "gemm:m=64,n=64,k=64,dt=f32";
  const run_record base = make_run({make_case(a, {1e-3})});
  const run_record contender = make_run({make_case(a, {3e-3})});
  const comparison result = compare_runs(base, contender, compare_options{}, "b", "n");
  CHECK(result.cases[0].result == verdict::unsure);
  CHECK(result.cases[0].reason.find("too few repetitions") != std::string::npos);
  CHECK_FALSE(result.cases[0].p_adjusted.has_value());
  CHECK(result.exit_code() == 0);
  REQUIRE(result.geomean_ratio.has_value());  // the roll-up still reports the ratio
  CHECK(*result.geomean_ratio == Approx(3.0).epsilon(0.01));
}

TEST_CASE("compare_runs: Benjamini-Hochberg above 50 tested cases", "[compare]") {
  std::vector<case_result> base_cases, new_cases;
  for (int i = 0; i < 60; ++i) {
    const std::string w = "gemm:m=" + std::to_string(8 + i) + ",n=8,k=8,dt=f32";
    base_cases.push_back(make_case(w, steady(1e-4, 9, 0.01, 100 + i)));
    new_cases.push_back(make_case(w, steady(i == 0 ? 2e-4 : 1e-4, 9, 0.01, 200 + i)));
  }
  const comparison result = compare_runs(make_run(base_cases), make_run(new_cases), compare_options{}, "b", "n");
  CHECK(result.correction == "benjamini-hochberg");
  CHECK(result.count(verdict::slower) == 1);
  CHECK(result.count(verdict::same) + result.count(verdict::unsure) == 59);
}

TEST_CASE("compare_runs: different machines are refused unless allowed", "[compare]") {
  const std::string a = "gemm:m=64,n=64,k=64,dt=f32";
  const run_record base = make_run({make_case(a, steady(1e-3, 10, 0.01, 1))}, make_system(2));
  const run_record other_hw = make_run({make_case(a, steady(2e-3, 10, 0.01, 2))}, make_system(4));
  try {
    compare_runs(base, other_hw, compare_options{}, "base.json", "new.json");
    FAIL("different machines were compared");
  } catch (const input_error& e) {
    const std::string message = e.what();
    INFO(message);
    CHECK(message.find("base.json and new.json were measured on different machines") != std::string::npos);
    CHECK(message.find("host_processor_core_count '2' vs '4'") != std::string::npos);
    CHECK(message.find("--allow-different-machines") != std::string::npos);
    CHECK(message.find('\n') == std::string::npos);
  }
  compare_options allow;
  allow.allow_different_machines = true;
  const comparison hw = compare_runs(base, other_hw, allow, "base.json", "new.json");
  CHECK(hw.hardware_differs());
  CHECK(hw.cases[0].result == verdict::unsure);  // twice as slow, but on other hardware
  CHECK(hw.cases[0].reason.find("machine differs (host_processor_core_count, host_processor_vcpu_count)") !=
        std::string::npos);

  // Only the software differs (an OpenBLAS upgrade): allowed, the verdict stands.
  run_record upgraded = make_run({make_case(a, steady(2e-3, 10, 0.01, 2))}, make_system(2, "OpenBLAS 0.3.26"));
  upgraded.results[0].backend_version = "OpenBLAS 0.3.26";
  CHECK_THROWS_AS(compare_runs(base, upgraded, compare_options{}, "b", "n"), input_error);
  const comparison sw = compare_runs(base, upgraded, allow, "b", "n");
  REQUIRE(sw.machine_differences.size() == 1);
  CHECK(sw.machine_differences[0].field == "libraries.openblas");
  CHECK_FALSE(sw.hardware_differs());
  CHECK(sw.cases[0].result == verdict::slower);
  CHECK(sw.cases[0].reason.find("backend version differs") != std::string::npos);
}

TEST_CASE("compare_runs: files measured under different methods give UNSURE, never SLOWER", "[compare]") {
  const std::string a = "gemm:m=64,n=64,k=64,dt=f32";
  run_record old_method = make_run({make_case(a, steady(1e-3, 10, 0.01, 1))});
  old_method.meta.method_version = "accelbench-method-1";
  const run_record now = make_run({make_case(a, steady(2e-3, 10, 0.01, 2))});
  CHECK(now.meta.method_version == method_version);  // a new run carries this build's method
  const comparison c = compare_runs(old_method, now, compare_options{}, "old.json", "new.json");
  CHECK(c.method_differs());
  CHECK(c.machine_differences.empty());
  REQUIRE(c.cases.size() == 1);
  CHECK(c.cases[0].result == verdict::unsure);  // twice as slow, but under another protocol
  INFO(c.cases[0].reason);
  CHECK(c.cases[0].reason.find(fmt::format("measurement method differs (accelbench-method-1 vs {}", method_version)) ==
        0);
  CHECK(c.worth_remeasuring().empty());  // more repetitions cannot settle it
  CHECK_THAT(format_comparison(c, compare_format::text), Catch::Contains("DIFFERENT measurement methods"));
  CHECK_THAT(format_comparison(c, compare_format::md), Catch::Contains("- Measurement method: DIFFERENT"));
  CHECK_THAT(format_comparison(c, compare_format::junit), Catch::Contains("<property name=\"method\""));
  const auto document = nlohmann::json::parse(format_comparison(c, compare_format::json));
  CHECK(document.at("method").at("same") == false);
  CHECK(document.at("method").at("base") == "accelbench-method-1");
  CHECK(document.at("base").at("method_version") == "accelbench-method-1");
  // The same method on both sides: the verdict stands and no view mentions it.
  const comparison same =
      compare_runs(make_run({make_case(a, steady(1e-3, 10, 0.01, 1))}), now, compare_options{}, "b.json", "new.json");
  CHECK_FALSE(same.method_differs());
  CHECK(same.cases[0].result == verdict::slower);
  CHECK_THAT(format_comparison(same, compare_format::text), !Catch::Contains("measurement method"));
  CHECK(nlohmann::json::parse(format_comparison(same, compare_format::json)).at("method").at("same") == true);
}

TEST_CASE("compare_runs: bad input names the file and field", "[compare][errors]") {
  const std::string a = "gemm:m=64,n=64,k=64,dt=f32";
  const run_record base = make_run({make_case(a, steady(1e-3)), make_case(a, steady(1e-3))});
  CHECK_THROWS_WITH(compare_runs(base, make_run({make_case(a, steady(1e-3))}), compare_options{}, "base.json", "n"),
                    Catch::Contains("base.json: field 'results[1]': the same case as results[0]"));
  CHECK_THROWS_WITH(
      compare_runs(make_run({make_case(a, steady(1e-3))}),
                   make_run({make_case("gemm:m=8,n=8,k=8,dt=f32", steady(1e-3))}), compare_options{}, "b", "n"),
      Catch::Contains("no case in common"));
  run_record no_id = make_run({make_case(a, steady(1e-3))});
  no_id.system.erase("system_desc_id");
  CHECK_THROWS_WITH(compare_runs(make_run({make_case(a, steady(1e-3))}), no_id, compare_options{}, "b", "new.json"),
                    Catch::Contains("new.json: field 'system.system_desc_id'"));
}

TEST_CASE("pool_runs: repetitions of alternating runs pooled per case", "[compare]") {
  const std::string a = "gemm:m=64,n=64,k=64,dt=f32", b = "gemm:m=32,n=32,k=32,dt=f32";
  const run_record first = make_run({make_case(a, {1e-3, 1.1e-3}), make_case(b, {}, outcome::unsupported)});
  const run_record second = make_run({make_case(a, {0.9e-3}, outcome::incorrect), make_case(b, {2e-3})});
  const run_record third = make_run({make_case(a, {1.2e-3})});
  const run_record pooled = pool_runs({first, second, third}, {"1.json", "2.json", "3.json"});
  REQUIRE(pooled.results.size() == 2);
  CHECK(pooled.results[0].repetitions.size() == 3);       // 2 + 0 (incorrect: never timed) + 1
  CHECK(pooled.results[0].result == outcome::incorrect);  // a failure in any file wins
  CHECK(pooled.results[1].result == outcome::passed);     // measured in one file
  CHECK(pooled.results[1].repetitions.size() == 1);
  const run_record other_machine = make_run({make_case(a, {1e-3})}, make_system(8));
  CHECK_THROWS_WITH(pool_runs({first, other_machine}, {"1.json", "other.json"}),
                    Catch::Contains("other.json: field 'system.system_desc_id'"));
  run_record older = make_run({make_case(a, {1e-3})});
  older.meta.method_version = "accelbench-method-1";
  CHECK_THROWS_WITH(pool_runs({first, older}, {"1.json", "older.json"}),
                    Catch::Contains("older.json: field 'meta.method_version': accelbench-method-1 differs from"));
  run_record other_build = make_run({make_case(a, {1e-3})});
  other_build.meta.git_revision = "def456";
  CHECK_THROWS_WITH(pool_runs({first, other_build}, {"1.json", "b.json"}),
                    Catch::Contains("b.json: field 'meta.git_revision': def456 differs from abc123 in 1.json; pooled "
                                    "files must come from one build of accelbench"));
  run_record debug = make_run({make_case(a, {1e-3})});
  debug.meta.build_type = "Debug";
  CHECK_THROWS_WITH(pool_runs({first, debug}, {"1.json", "debug.json"}),
                    Catch::Contains("debug.json: field 'meta.build_type': Debug differs from Release"));
}

TEST_CASE("rerun: the filter of the UNSURE cases that more repetitions could decide", "[compare][views]") {
  // Three repetitions a side: too few for any verdict. `wide` moved 3x, `narrow` 1% (inside the
  // floor), `steady` is SAME; only `wide` is worth measuring again. Its name carries characters a
  // regular expression would read as operators.
  const std::string wide = "attention:b=1,h=8,s=[128],d=64,dt=f32+x", narrow = "gemm:m=8,n=8,k=8,dt=f32",
                    steady_case = "gemm:m=64,n=64,k=64,dt=f32";
  const run_record base = make_run({make_case(wide, {1e-3, 1.01e-3, 0.99e-3}), make_case(narrow, {1e-3, 1e-3, 1e-3}),
                                    make_case(steady_case, steady(1e-3, 10, 0.01, 1))});
  const run_record contender =
      make_run({make_case(wide, {3e-3, 3.02e-3, 2.98e-3}), make_case(narrow, {1.01e-3, 1.01e-3, 1.01e-3}),
                make_case(steady_case, steady(1e-3, 10, 0.01, 11))});
  const comparison c = compare_runs(base, contender, compare_options{}, "b", "n");
  REQUIRE(c.worth_remeasuring().size() == 1);
  CHECK(c.worth_remeasuring()[0]->workload == wide);
  const std::string filter = format_comparison(c, compare_format::rerun);
  REQUIRE(filter.size() > 1);
  CHECK(filter.back() == '\n');
  const std::regex pattern(filter.substr(0, filter.size() - 1), std::regex::extended);
  CHECK(std::regex_search(wide + "/openblas/0", pattern));
  CHECK(std::regex_search(wide + "/openblas/0/iterations:1/repeats:3/manual_time", pattern));  // Google Benchmark's
  CHECK_FALSE(std::regex_search(wide + "/openblas/1", pattern));
  CHECK_FALSE(std::regex_search(wide + "/openblas/01", pattern));
  CHECK_FALSE(std::regex_search("attention:b=1,h=8,s=1128],d=64,dt=f32+x/openblas/0", pattern));
  CHECK_FALSE(std::regex_search(narrow + "/openblas/0", pattern));

  // Nothing worth re-measuring: no output at all (the gate script tests for an empty filter).
  const run_record settled = make_run({make_case(steady_case, steady(1e-3, 10, 0.01, 1))});
  CHECK(format_comparison(compare_runs(settled, settled, compare_options{}, "b", "n"), compare_format::rerun).empty());
}

TEST_CASE("verdict and format names round-trip", "[compare]") {
  for (verdict v :
       {verdict::same, verdict::faster, verdict::slower, verdict::unsure, verdict::fail, verdict::skipped}) {
    CHECK(verdict_from_string(to_string(v)) == v);
  }
  CHECK_FALSE(verdict_from_string("slower").has_value());
  for (compare_format f :
       {compare_format::text, compare_format::md, compare_format::json, compare_format::junit, compare_format::rerun}) {
    CHECK(compare_format_from_string(to_string(f)) == f);
  }
  CHECK_FALSE(compare_format_from_string("html").has_value());
}

TEST_CASE("comparison views: text, Markdown, JSON, JUnit", "[compare][views]") {
  const std::string a = "gemm:m=64,n=64,k=64,dt=f32", b = "gemm:m=128,n=128,k=128,dt=f32",
                    gone = "gemm:m=8,n=8,k=8,dt=f32";
  run_record base = make_run({make_case(a, steady(1e-3, 10, 0.01, 1)), make_case(b, steady(2e-3, 10, 0.01, 2)),
                              make_case(gone, steady(1e-5))});
  run_record contender = make_run({make_case(a, steady(1e-3, 10, 0.01, 11)), make_case(b, steady(4e-3, 10, 0.01, 12))});
  contender.results[1].reason = "a <tricky> & \"quoted\" | reason";
  const comparison c = compare_runs(base, contender, compare_options{}, "base.json", "new.json");

  const std::string text = format_comparison(c, compare_format::text);
  CHECK(text.find("SLOWER") != std::string::npos);
  CHECK(text.find(b + " openblas:0 cold") != std::string::npos);
  CHECK(text.find("Missing in NEW (1)") != std::string::npos);
  CHECK(text.find(comparison_summary(c)) != std::string::npos);
  CHECK(comparison_summary(c).rfind("REGRESSION: 2 cases compared (1 SLOWER", 0) == 0);

  const std::string md = format_comparison(c, compare_format::md);
  CHECK(md.rfind("## accelbench compare: REGRESSION", 0) == 0);
  CHECK(md.find("| **SLOWER** | `" + b + "` openblas:0 cold |") != std::string::npos);
  CHECK(md.find("### Missing in NEW (1)") != std::string::npos);
  CHECK(md.find("accelbench run --workload '" + b + "'") != std::string::npos);  // repro
  // The SLOWER row comes before the SAME row.
  CHECK(md.find("**SLOWER**") < md.find("| SAME |"));

  const nlohmann::json json = nlohmann::json::parse(format_comparison(c, compare_format::json));
  CHECK(json.at("format") == "accelbench-compare-1");
  CHECK(json.at("summary").at("exit_code") == 1);
  CHECK(json.at("summary").at("verdicts").at("SLOWER") == 1);
  CHECK(json.at("summary").at("missing") == 1);
  CHECK(json.at("machine").at("same") == true);
  REQUIRE(json.at("cases").size() == 2);
  for (const auto& k : json.at("cases")) {
    CHECK(k.at("ratio").is_number());
    CHECK(k.at("interval").at("low").is_number());
    CHECK(k.at("p_adjusted").is_number());
    CHECK(k.at("new").at("repetition_medians_s").size() == 10);
  }
  CHECK(json.at("missing").at(0).at("workload") == gone);

  const std::string junit = format_comparison(c, compare_format::junit);
  CHECK(junit.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites", 0) == 0);
  // The missing case fails the gate too (no --allow-missing).
  CHECK(junit.find("tests=\"3\" failures=\"2\" skipped=\"0\"") != std::string::npos);
  CHECK(junit.find("<failure type=\"SLOWER\"") != std::string::npos);
  CHECK(junit.find("<failure type=\"MISSING\"") != std::string::npos);
  CHECK(junit.find("missing in NEW") != std::string::npos);
  CHECK(junit.find("</testsuites>") != std::string::npos);
}

// --- Google Benchmark JSON ------------------------------------------------------------------------

TEST_CASE("Google Benchmark JSON: the fields compare.py, github-action-benchmark and Bencher read", "[gbench]") {
  const std::string a = "gemm:m=64,n=64,k=64,dt=f32", single = "gemm:m=32,n=32,k=32,dt=f32";
  run_record run = make_run({make_case(a, {1e-3, 2e-3, 3e-3}), make_case(single, {5e-6}),
                             make_case("gemm:m=64,n=64,k=64,dt=f16", {}, outcome::unsupported),
                             make_case("gemm:m=16,n=16,k=16,dt=f32", {}, outcome::skipped)});
  run.results[2].reason = "no f16";
  run.system["caches"] = {{{"level", "L1d"}, {"size_bytes", 32768}, {"instances", 2}},
                          {{"level", "L3"}, {"size_bytes", 33554432}, {"instances", 1}}};
  const nlohmann::json json = nlohmann::json::parse(to_gbench_json_text(run));
  const auto& context = json.at("context");
  CHECK(context.at("date") == "2025-01-01T00:00:00+00:00");
  CHECK(context.at("host_name") == "testhost");
  CHECK(context.at("executable") == "/usr/bin/accelbench");
  CHECK(context.at("num_cpus") == 2);
  CHECK(context.at("library_build_type") == "release");
  REQUIRE(context.at("caches").size() == 2);
  CHECK(context.at("caches").at(0).at("type") == "Data");
  CHECK(context.at("caches").at(0).at("level") == 1);
  CHECK(context.at("caches").at(1).at("type") == "Unified");
  CHECK(context.at("caches").at(1).at("num_sharing") == 2);

  const auto& benchmarks = json.at("benchmarks");
  // 3 repetitions + 4 aggregates, 1 repetition (no aggregates); unsupported and skipped left out.
  REQUIRE(benchmarks.size() == 3 + 4 + 1);
  const std::string name = a + "/openblas/0/cold";
  for (int i = 0; i < 3; ++i) {
    const auto& e = benchmarks.at(i);
    CHECK(e.at("name") == name);  // compare.py groups repetitions by name
    CHECK(e.at("run_name") == name);
    CHECK(e.at("run_type") == "iteration");
    CHECK(e.at("repetitions") == 3);
    CHECK(e.at("repetition_index") == i);
    CHECK(e.at("family_index") == 0);
    CHECK(e.at("threads") == 1);
    CHECK(e.at("time_unit") == "ns");
    CHECK(e.at("real_time").get<double>() == Approx((i + 1) * 1e6));
    CHECK(e.at("cpu_time") == e.at("real_time"));  // no cpu_s recorded (files before 1.4.0)
    CHECK(e.at("iterations") == 3);                // samples in that repetition
    CHECK(e.at("TFLOPS").get<double>() == Approx(2.0 * 64 * 64 * 64 / ((i + 1) * 1e-3) / 1e12));
  }
  const std::vector<std::string> aggregates{"mean", "median", "stddev", "cv"};
  for (std::size_t i = 0; i < aggregates.size(); ++i) {
    const auto& e = benchmarks.at(3 + i);
    CHECK(e.at("name") == name + "_" + aggregates[i]);
    CHECK(e.at("run_name") == name);
    CHECK(e.at("run_type") == "aggregate");
    CHECK(e.at("aggregate_name") == aggregates[i]);
    CHECK(e.at("aggregate_unit") == (aggregates[i] == "cv" ? "percentage" : "time"));
    CHECK_FALSE(e.contains("repetition_index"));
  }
  CHECK(benchmarks.at(3).at("real_time").get<double>() == Approx(2e6));  // mean
  CHECK(benchmarks.at(4).at("real_time").get<double>() == Approx(2e6));  // median
  CHECK(benchmarks.at(5).at("real_time").get<double>() == Approx(1e6));  // stddev
  CHECK(benchmarks.at(6).at("real_time").get<double>() == Approx(0.5));  // cv as a fraction
  CHECK(benchmarks.at(7).at("name") == single + "/openblas/0/cold");
  CHECK(benchmarks.at(7).at("family_index") == 1);
  CHECK(benchmarks.at(7).at("real_time").get<double>() == Approx(5000.0));
  // The unsupported case has no row: an error row's real_time 0 would be charted as 0 ns.
  for (const auto& e : benchmarks) {
    CHECK_FALSE(e.contains("error_occurred"));
    // What every consumer needs (compare.py: is_potentially_comparable_benchmark).
    for (const char* key : {"name", "run_type", "real_time", "cpu_time", "time_unit", "iterations", "threads"}) {
      INFO(e.dump() << " lacks " << key);
      CHECK(e.contains(key));
    }
  }
}

TEST_CASE("Google Benchmark JSON: cpu_time per row from the samples' CPU time; aggregates only", "[gbench]") {
  // cpu_time used to be the CPU time of a whole repetition next to a one-sample real_time.
  const std::string a = "gemm:m=64,n=64,k=64,dt=f32";
  run_record run = make_run({make_case(a, {1e-3, 2e-3, 3e-3})});
  for (std::size_t i = 0; i < 3; ++i) {
    repetition_record& rep = run.results[0].repetitions[i];
    rep.cpu_s = 0.006 * static_cast<double>(i + 1);  // 3 samples: 2, 4, 6 ms of CPU per sample
  }
  run.results[0].repetitions[2].calls_per_sample = 2;  // batched: 3 ms per call
  const nlohmann::json rows = to_gbench_json(run).at("benchmarks");
  REQUIRE(rows.size() == 3 + 4);
  CHECK(rows.at(0).at("cpu_time").get<double>() == Approx(2e6));
  CHECK(rows.at(1).at("cpu_time").get<double>() == Approx(4e6));
  CHECK(rows.at(2).at("cpu_time").get<double>() == Approx(3e6));
  CHECK(rows.at(3).at("cpu_time").get<double>() == Approx(3e6));  // mean of the rows' cpu_time
  CHECK(rows.at(4).at("cpu_time").get<double>() == Approx(3e6));  // median
  CHECK_THAT(to_gbench_json(run).at("context").at("time_note").get<std::string>(), Catch::Contains("process CPU time"));

  // --benchmark_report_aggregates_only: the aggregates alone, one row per name.
  gbench_options only;
  only.aggregates_only = true;
  const nlohmann::json aggregates = to_gbench_json(run, only).at("benchmarks");
  REQUIRE(aggregates.size() == 4);
  for (const auto& e : aggregates) CHECK(e.at("run_type") == "aggregate");
  // A single repetition has no aggregates: its row stays.
  run.results[0].repetitions.resize(1);
  REQUIRE(to_gbench_json(run, only).at("benchmarks").size() == 1);
}
