#include "bench/engine/verification.hpp"

#include <algorithm>
#include <cmath>
#include <random>

#include <fmt/format.h>

#include "kernels/spec/reference.hpp"

namespace accelbench {
namespace {

constexpr std::int64_t full_check_max_macs = 1ll << 26;  // ~0.1 s of fp64 loops
constexpr int freivalds_rounds = 3;
constexpr int sampled_entries = 256;
constexpr int sampled_attention_rows = 48;
constexpr double zero_trust_fraction = 0.9;  // benchdnn's "zero trust percent"

double base_tolerance(dtype t) {
  switch (t) {
    case dtype::f64:
      return 1e-12;
    case dtype::f32:
      return 1e-5;
    case dtype::tf32:
    case dtype::f16:
      return 2e-3;
    case dtype::hf32:  // one mantissa bit more than tf32
      return 1e-3;
    case dtype::bf16:
      return 1.6e-2;
    case dtype::f8e4m3:
    case dtype::f8e5m2:
      return 3e-2;
    case dtype::s8:
    case dtype::s32:
      return 0.0;
    case dtype::invalid:
      break;
  }
  return 0.0;
}

// Counts NaN/Inf and exact zeros of the output.
void scan_output(const host_tensor& out, verification_result& r) {
  std::int64_t zeros = 0;
  std::vector<double> chunk(4096);
  for (std::int64_t offset = 0; offset < out.count(); offset += static_cast<std::int64_t>(chunk.size())) {
    const std::int64_t n = std::min<std::int64_t>(static_cast<std::int64_t>(chunk.size()), out.count() - offset);
    out.read(offset, n, chunk.data());
    for (std::int64_t i = 0; i < n; ++i) {
      if (!std::isfinite(chunk[i])) ++r.non_finite;
      if (chunk[i] == 0.0) ++zeros;
    }
  }
  r.zero_fraction = out.count() > 0 ? static_cast<double>(zeros) / static_cast<double>(out.count()) : 0.0;
}

void decide(verification_result& r, bool expect_zeros) {
  const double local_limit = r.tolerance * local_tolerance_factor;
  if (r.non_finite > 0) {
    r.passed = false;
    r.reason = fmt::format("{} NaN/Inf values in the output", r.non_finite);
  } else if (!(r.error <= r.tolerance)) {
    r.passed = false;
    r.reason = fmt::format("relative error {:.3g} exceeds tolerance {:.3g} ({})", r.error, r.tolerance, r.method);
  } else if (!(r.max_local_error <= local_limit)) {
    r.passed = false;
    r.reason = fmt::format("local error {:.3g} exceeds {:.3g} ({})", r.max_local_error, local_limit, r.method);
  } else {
    r.passed = true;
    if (!expect_zeros && r.zero_fraction > zero_trust_fraction) {
      r.mistrusted = true;
      r.reason =
          fmt::format("{:.0f}% of outputs are exactly zero; the check cannot be trusted", 100.0 * r.zero_fraction);
    }
  }
}

// op(A) row `row` of batch `bt`, decoded to doubles.
void load_a_row(const gemm_workload& w, const host_tensor& a, std::int64_t bt, std::int64_t row, double* out) {
  if (!w.trans_a) {
    a.read(gemm_a_index(w, bt, row, 0), w.k, out);
  } else {
    for (std::int64_t p = 0; p < w.k; ++p) out[p] = a.get(gemm_a_index(w, bt, row, p));
  }
}

verification_result verify_gemm_full(const gemm_workload& w, const host_tensor& a, const host_tensor& b,
                                     const host_tensor& c, verification_result r) {
  r.method = "full";
  const std::vector<double> reference = reference_gemm(w, a, b);
  std::vector<double> a_abs_row(static_cast<std::size_t>(w.k));
  double error_squares = 0.0, reference_squares = 0.0;
  for (std::int64_t bt = 0; bt < w.batch; ++bt) {
    for (std::int64_t i = 0; i < w.m; ++i) {
      for (std::int64_t j = 0; j < w.n; ++j) {
        const std::int64_t index = (bt * w.m + i) * w.n + j;
        const double expected = reference[index];
        const double diff = c.get(index) - round_to(w.dt.out, expected);
        // Local scale: the typical magnitude of a sum of k products, floored by the value itself.
        double scale_squares = 0.0;
        for (std::int64_t p = 0; p < w.k; ++p) {
          const double product = a.get(gemm_a_index(w, bt, i, p)) * b.get(gemm_b_index(w, bt, p, j));
          scale_squares += product * product;
        }
        const double scale = std::max({std::sqrt(scale_squares), std::fabs(expected), 1e-30});
        r.max_local_error = std::max(r.max_local_error, std::fabs(diff) / scale);
        error_squares += diff * diff;
        reference_squares += expected * expected;
      }
    }
  }
  r.error = reference_squares > 0 ? std::sqrt(error_squares / reference_squares) : std::sqrt(error_squares);
  return r;
}

verification_result verify_gemm_freivalds(const gemm_workload& w, const host_tensor& a, const host_tensor& b,
                                          const host_tensor& c, std::uint64_t seed, verification_result r) {
  r.method = "freivalds+sampled";
  std::mt19937_64 engine(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_int_distribution<int> sign(0, 1);
  const bool integer = is_integer(w.dt.in);
  std::vector<double> x(static_cast<std::size_t>(w.n)), bx(static_cast<std::size_t>(w.k));
  std::vector<double> row(static_cast<std::size_t>(std::max(w.k, w.n)));
  std::vector<double> residual_squares(static_cast<std::size_t>(w.m));
  std::vector<double> row_norm_squares(static_cast<std::size_t>(w.m));
  double error_squares = 0.0, projection_squares = 0.0;

  for (std::int64_t bt = 0; bt < w.batch; ++bt) {
    std::fill(residual_squares.begin(), residual_squares.end(), 0.0);
    for (int round = 0; round < freivalds_rounds; ++round) {
      // Integer GEMMs use +-1 vectors so every fp64 sum is exact.
      for (double& value : x) value = integer ? (sign(engine) != 0 ? 1.0 : -1.0) : normal(engine);
      // bx = op(B) x
      std::fill(bx.begin(), bx.end(), 0.0);
      for (std::int64_t p = 0; p < w.k; ++p) {
        if (!w.trans_b) {
          b.read(gemm_b_index(w, bt, p, 0), w.n, row.data());
          double sum = 0.0;
          for (std::int64_t j = 0; j < w.n; ++j) sum += row[j] * x[j];
          bx[p] = sum;
        } else {
          double sum = 0.0;
          for (std::int64_t j = 0; j < w.n; ++j) sum += b.get(gemm_b_index(w, bt, p, j)) * x[j];
          bx[p] = sum;
        }
      }
      for (std::int64_t i = 0; i < w.m; ++i) {
        load_a_row(w, a, bt, i, row.data());
        double expected = 0.0;
        for (std::int64_t p = 0; p < w.k; ++p) expected += row[p] * bx[p];
        c.read((bt * w.m + i) * w.n, w.n, row.data());
        double actual = 0.0, norm_squares = 0.0;
        for (std::int64_t j = 0; j < w.n; ++j) {
          actual += row[j] * x[j];
          norm_squares += row[j] * row[j];
        }
        const double residual = actual - expected;
        residual_squares[i] += residual * residual;
        row_norm_squares[i] = norm_squares;
        error_squares += residual * residual;
        projection_squares += expected * expected;
      }
    }
    // E[residual_i^2] = ||row i error||^2, E[(C x)_i^2] = ||row i||^2: a per-row relative error.
    for (std::int64_t i = 0; i < w.m; ++i) {
      const double rms = std::sqrt(residual_squares[i] / freivalds_rounds);
      const double norm = std::sqrt(row_norm_squares[i]);
      const double local = norm > 0 ? rms / norm : (rms > 0 ? INFINITY : 0.0);
      r.max_local_error = std::max(r.max_local_error, local);
    }
  }
  r.error = projection_squares > 0 ? std::sqrt(error_squares / projection_squares) : std::sqrt(error_squares);

  // Exactly recomputed entries: corners (where tail bugs live) plus random ones.
  std::uniform_int_distribution<std::int64_t> pick_batch(0, w.batch - 1), pick_row(0, w.m - 1), pick_col(0, w.n - 1);
  for (int s = 0; s < sampled_entries; ++s) {
    std::int64_t bt = pick_batch(engine), i = pick_row(engine), j = pick_col(engine);
    if (s < 4) {
      bt = (s & 1) ? w.batch - 1 : 0;
      i = (s & 1) ? w.m - 1 : 0;
      j = (s & 2) ? w.n - 1 : 0;
    }
    double sum = 0.0, scale_squares = 0.0;
    for (std::int64_t p = 0; p < w.k; ++p) {
      const double product = a.get(gemm_a_index(w, bt, i, p)) * b.get(gemm_b_index(w, bt, p, j));
      sum += product;
      scale_squares += product * product;
    }
    const double diff = c.get((bt * w.m + i) * w.n + j) - round_to(w.dt.out, sum);
    const double scale = std::max({std::sqrt(scale_squares), std::fabs(sum), 1e-30});
    r.max_local_error = std::max(r.max_local_error, std::fabs(diff) / scale);
  }
  return r;
}

}  // namespace

double verification_tolerance(const dtype_spec& dt, std::int64_t reduction_length) {
  // An f8 output's own rounding (u = 2^-4 for e4m3, 2^-3 for e5m2) dominates its error and is
  // not removed by Freivalds' check (it compares C x, not round(C) x), so it sets the floor.
  const bool f8_out = dt.out == dtype::f8e4m3 || dt.out == dtype::f8e5m2;
  double tolerance = std::max(base_tolerance(dt.in), f8_out ? unit_roundoff(dt.out) : base_tolerance(dt.out));
  if (dt.in == dtype::f32 || dt.in == dtype::f64) {
    // Accumulation error grows like sqrt(K) (methodology §5.2).
    tolerance *= std::max(1.0, std::sqrt(static_cast<double>(reduction_length) / 4096.0));
  }
  return tolerance;
}

verification_result verify_gemm(const gemm_workload& w, const host_tensor& a, const host_tensor& b,
                                const host_tensor& c, std::uint64_t seed) {
  verification_result r;
  r.tolerance = verification_tolerance(w.dt, w.k);
  scan_output(c, r);
  if (r.non_finite == 0) {
    const bool small = w.batch * w.m * w.n * w.k <= full_check_max_macs;
    r = small ? verify_gemm_full(w, a, b, c, r) : verify_gemm_freivalds(w, a, b, c, seed, r);
  }
  decide(r, false);
  return r;
}

verification_result verify_attention(const attention_workload& w, const host_tensor& q, const host_tensor& k,
                                     const host_tensor& v, const host_tensor& o, std::uint64_t seed) {
  verification_result r;
  r.method = "sampled-rows";
  r.tolerance = verification_tolerance(w.dt, w.skv);
  scan_output(o, r);
  if (r.non_finite == 0) {
    std::mt19937_64 engine(seed);
    std::uniform_int_distribution<std::int64_t> pick_batch(0, w.b - 1), pick_head(0, w.hq - 1), pick_row(0, w.sq - 1);
    std::vector<double> actual(static_cast<std::size_t>(w.d));
    double error_squares = 0.0, reference_squares = 0.0;
    for (int s = 0; s < sampled_attention_rows; ++s) {
      // First and last rows always: causal edges and tails.
      const std::int64_t bt = s < 2 ? (s == 0 ? 0 : w.b - 1) : pick_batch(engine);
      const std::int64_t h = s < 2 ? (s == 0 ? 0 : w.hq - 1) : pick_head(engine);
      const std::int64_t row = s < 2 ? (s == 0 ? 0 : w.sq - 1) : pick_row(engine);
      const std::vector<double> expected = reference_attention_row(w, q, k, v, bt, h, row);
      o.read(((bt * w.hq + h) * w.sq + row) * w.d, w.d, actual.data());
      double row_error = 0.0, row_reference = 0.0;
      for (std::int64_t x = 0; x < w.d; ++x) {
        const double diff = actual[x] - round_to(w.dt.out, expected[x]);
        row_error += diff * diff;
        row_reference += expected[x] * expected[x];
      }
      error_squares += row_error;
      reference_squares += row_reference;
      // Output rows are convex combinations of V rows: their natural scale is ~1/sqrt(keys) or more.
      const double scale = std::max(std::sqrt(row_reference), 1e-3 * std::sqrt(static_cast<double>(w.d)));
      r.max_local_error = std::max(r.max_local_error, std::sqrt(row_error) / scale);
    }
    r.error = reference_squares > 0 ? std::sqrt(error_squares / reference_squares) : std::sqrt(error_squares);
  }
  decide(r, w.causal && w.sq > w.skv);
  return r;
}

}  // namespace accelbench
