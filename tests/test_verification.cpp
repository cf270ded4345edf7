// The fp64 references and the output checks built on them: correct outputs pass, planted
// errors (one element, NaN, zeros, a missing causal mask) fail, on both the full and the
// Freivalds path.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "bench/engine/verification.hpp"
#include "kernels/spec/host_tensor.hpp"
#include "kernels/spec/reference.hpp"
#include "kernels/spec/workload.hpp"

using namespace accelbench;

namespace {

constexpr std::int64_t full_check_max_macs = std::int64_t{1} << 26;  // verification.cpp's threshold

gemm_workload gemm(const std::string& text) { return std::get<gemm_workload>(parse_workload(text)); }
attention_workload attn(const std::string& text) { return std::get<attention_workload>(parse_workload(text)); }

struct gemm_data {
  gemm_workload w;
  host_tensor a, b, c;  // c: the exact product rounded to the output type
};

gemm_data make_gemm(const std::string& text, std::uint64_t seed = 11) {
  gemm_data d{gemm(text), {}, {}, {}};
  d.a = host_tensor(d.w.dt.in, d.w.batch * d.w.m * d.w.k);
  d.b = host_tensor(d.w.dt.in, d.w.batch * d.w.k * d.w.n);
  fill_random(d.a, seed);
  fill_random(d.b, seed + 1);
  const std::vector<double> c = reference_gemm(d.w, d.a, d.b);
  d.c = host_tensor(d.w.dt.out, static_cast<std::int64_t>(c.size()));
  for (std::size_t i = 0; i < c.size(); ++i) d.c.set(static_cast<std::int64_t>(i), c[i]);
  return d;
}

host_tensor copy_of(const host_tensor& t) {
  host_tensor copy(t.type(), t.count());
  for (std::int64_t i = 0; i < t.count(); ++i) copy.set(i, t.get(i));
  return copy;
}

std::int64_t c_index(const gemm_workload& w, std::int64_t bt, std::int64_t i, std::int64_t j) {
  return (bt * w.m + i) * w.n + j;
}

// A Freivalds-sized f32 case (512^3 = 2^27 MACs), computed once for all test cases.
const gemm_data& large_f32() {
  static const gemm_data data = make_gemm("gemm:m=512,n=512,k=512,dt=f32", 5);
  return data;
}

struct attention_data {
  attention_workload w;
  host_tensor q, k, v, o;
};

attention_data make_attention(const std::string& text, std::uint64_t seed = 21) {
  attention_data d{attn(text), {}, {}, {}, {}};
  const attention_workload& w = d.w;
  d.q = host_tensor(w.dt.in, w.b * w.hq * w.sq * w.d);
  d.k = host_tensor(w.dt.in, w.b * w.hkv * w.skv * w.d);
  d.v = host_tensor(w.dt.in, w.b * w.hkv * w.skv * w.d);
  fill_random(d.q, seed);
  fill_random(d.k, seed + 1);
  fill_random(d.v, seed + 2);
  d.o = host_tensor(w.dt.out, w.b * w.hq * w.sq * w.d);
  for (std::int64_t bt = 0; bt < w.b; ++bt)
    for (std::int64_t h = 0; h < w.hq; ++h)
      for (std::int64_t r = 0; r < w.sq; ++r) {
        const std::vector<double> row = reference_attention_row(w, d.q, d.k, d.v, bt, h, r);
        for (std::int64_t x = 0; x < w.d; ++x) d.o.set(((bt * w.hq + h) * w.sq + r) * w.d + x, row[x]);
      }
  return d;
}

std::int64_t last_row_offset(const attention_workload& w) { return ((w.b * w.hq) * w.sq - 1) * w.d; }

}  // namespace

TEST_CASE("reference_gemm on a hand-computed product, with transposes and batches", "[reference]") {
  // op(A) = [[1,2],[3,4]], op(B) = [[5,6],[7,8]] -> C = [[19,22],[43,50]].
  for (const char* text : {"gemm:m=2,n=2,k=2,dt=f64", "gemm:m=2,n=2,k=2,ta=t,dt=f64", "gemm:m=2,n=2,k=2,tb=t,dt=f64",
                           "gemm:m=2,n=2,k=2,ta=t,tb=t,dt=f64,batch=2"}) {
    INFO(text);
    const gemm_workload w = gemm(text);
    host_tensor a(dtype::f64, 4 * w.batch), b(dtype::f64, 4 * w.batch);
    const double op_a[2][2] = {{1, 2}, {3, 4}}, op_b[2][2] = {{5, 6}, {7, 8}};
    for (std::int64_t bt = 0; bt < w.batch; ++bt)
      for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 2; ++j) {
          a.set(gemm_a_index(w, bt, i, j), op_a[i][j] * (bt + 1));
          b.set(gemm_b_index(w, bt, i, j), op_b[i][j]);
        }
    const std::vector<double> c = reference_gemm(w, a, b);
    REQUIRE(c.size() == static_cast<std::size_t>(4 * w.batch));
    const double expected[4] = {19, 22, 43, 50};
    for (std::int64_t bt = 0; bt < w.batch; ++bt)
      for (int e = 0; e < 4; ++e) {
        CHECK(c[static_cast<std::size_t>(bt * 4 + e)] == expected[e] * (bt + 1));
        CHECK(reference_gemm_element(w, a, b, bt, e / 2, e % 2) == expected[e] * (bt + 1));
      }
  }
  // Storage layout: A is m x k, or k x m when transposed.
  const gemm_workload w = gemm("gemm:m=3,n=5,k=7,dt=f32,batch=2");
  CHECK(gemm_a_index(w, 1, 2, 6) == 1 * 21 + 2 * 7 + 6);
  CHECK(gemm_b_index(w, 1, 6, 4) == 1 * 35 + 6 * 5 + 4);
  const gemm_workload t = gemm("gemm:m=3,n=5,k=7,ta=t,tb=t,dt=f32,batch=2");
  CHECK(gemm_a_index(t, 1, 2, 6) == 1 * 21 + 6 * 3 + 2);
  CHECK(gemm_b_index(t, 1, 6, 4) == 1 * 35 + 4 * 7 + 6);
}

TEST_CASE("reference_attention_row on a hand-computed softmax", "[reference]") {
  // d=1 (scale 1), one query q=1, keys [0, ln 2] -> weights [1/3, 2/3]; values [3, 6] -> 5.
  attention_workload w = attn("attn:b=1,hq=1,hkv=1,sq=2,skv=2,d=1,causal=0,dt=f64");
  host_tensor q(dtype::f64, 2), k(dtype::f64, 2), v(dtype::f64, 2);
  q.set(0, 1.0);
  q.set(1, 1.0);
  k.set(0, 0.0);
  k.set(1, std::log(2.0));
  v.set(0, 3.0);
  v.set(1, 6.0);
  CHECK(reference_attention_row(w, q, k, v, 0, 0, 0)[0] == Approx(5.0).epsilon(1e-14));
  CHECK(reference_attention_row(w, q, k, v, 0, 0, 1)[0] == Approx(5.0).epsilon(1e-14));
  w.causal = true;  // row 0 sees key 0 only; row 1 sees both
  CHECK(reference_attention_row(w, q, k, v, 0, 0, 0)[0] == Approx(3.0).epsilon(1e-14));
  CHECK(reference_attention_row(w, q, k, v, 0, 0, 1)[0] == Approx(5.0).epsilon(1e-14));
  // sq > skv: the first query row is fully masked and defined as zero.
  attention_workload tall = attn("attn:b=1,hq=1,hkv=1,sq=3,skv=2,d=1,causal=1,dt=f64");
  host_tensor q3(dtype::f64, 3);
  for (int i = 0; i < 3; ++i) q3.set(i, 1.0);
  CHECK(reference_attention_row(tall, q3, k, v, 0, 0, 0)[0] == 0.0);
  CHECK(reference_attention_row(tall, q3, k, v, 0, 0, 1)[0] == Approx(3.0).epsilon(1e-14));
  CHECK(reference_attention_row(tall, q3, k, v, 0, 0, 2)[0] == Approx(5.0).epsilon(1e-14));
}

TEST_CASE("verification tolerances", "[verification]") {
  CHECK(verification_tolerance({dtype::f32, dtype::f32, dtype::f32}, 64) == Approx(1e-5));
  CHECK(verification_tolerance({dtype::f32, dtype::f32, dtype::f32}, 4096) == Approx(1e-5));
  CHECK(verification_tolerance({dtype::f32, dtype::f32, dtype::f32}, 16384) == Approx(2e-5));
  CHECK(verification_tolerance({dtype::bf16, dtype::bf16, dtype::f32}, 16384) == Approx(1.6e-2));
  CHECK(verification_tolerance({dtype::bf16, dtype::f32, dtype::f32}, 64) == Approx(1.6e-2));
  CHECK(verification_tolerance({dtype::f16, dtype::f32, dtype::f32}, 64) == Approx(2e-3));
  CHECK(verification_tolerance({dtype::s8, dtype::s32, dtype::s32}, 4096) == 0.0);
  CHECK(verification_tolerance({dtype::f64, dtype::f64, dtype::f32}, 64) < 1e-10);
}

TEST_CASE("exact GEMM outputs pass the full check", "[verification][gemm]") {
  for (const char* text :
       {"gemm:m=32,n=32,k=32,dt=f32", "gemm:m=17,n=33,k=65,ta=t,dt=f32", "gemm:m=17,n=33,k=65,tb=t,dt=f64",
        "gemm:m=9,n=5,k=70,ta=t,tb=t,dt=f32,batch=3", "gemm:m=31,n=31,k=31,dt=bf16", "gemm:m=31,n=31,k=31,dt=bf16:f32",
        "gemm:m=31,n=31,k=31,dt=f16", "gemm:m=31,n=31,k=31,dt=tf32", "gemm:m=31,n=31,k=31,dt=f8e4m3:f32",
        "gemm:m=31,n=31,k=31,dt=f8e5m2:bf16", "gemm:m=31,n=31,k=31,dt=s8,batch=2", "gemm:m=1,n=1,k=1,dt=f32"}) {
    INFO(text);
    const gemm_data d = make_gemm(text);
    REQUIRE(d.w.batch * d.w.m * d.w.n * d.w.k <= full_check_max_macs);
    const verification_result r = verify_gemm(d.w, d.a, d.b, d.c, 1);
    INFO(r.reason);
    CHECK(r.passed);
    CHECK_FALSE(r.mistrusted);
    CHECK(r.method == "full");
    CHECK(r.error <= r.tolerance);
    CHECK(r.non_finite == 0);
    CHECK(r.reason.empty());
  }
}

TEST_CASE("the full check catches a single wrong element", "[verification][gemm]") {
  const gemm_data d = make_gemm("gemm:m=32,n=24,k=40,dt=f32,batch=2");
  for (const std::int64_t index : {std::int64_t{0}, c_index(d.w, 1, 31, 23), c_index(d.w, 1, 7, 3)}) {
    INFO("index " << index);
    host_tensor c = copy_of(d.c);
    c.set(index, c.get(index) + 1.0);
    const verification_result r = verify_gemm(d.w, d.a, d.b, c, 1);
    CHECK_FALSE(r.passed);
    CHECK(r.method == "full");
    CHECK(r.max_local_error > r.tolerance * local_tolerance_factor);
    CHECK_FALSE(r.reason.empty());
  }
  // Integer GEMMs are exact: an off-by-one fails.
  const gemm_data s = make_gemm("gemm:m=16,n=16,k=16,dt=s8");
  host_tensor c = copy_of(s.c);
  c.set(100, c.get(100) + 1.0);
  CHECK_FALSE(verify_gemm(s.w, s.a, s.b, c, 1).passed);
}

TEST_CASE("exact GEMM outputs pass the Freivalds check", "[verification][gemm][freivalds]") {
  const gemm_data& d = large_f32();
  REQUIRE(d.w.batch * d.w.m * d.w.n * d.w.k > full_check_max_macs);
  const verification_result r = verify_gemm(d.w, d.a, d.b, d.c, 1234);
  INFO(r.reason);
  CHECK(r.passed);
  CHECK(r.method == "freivalds+sampled");
  CHECK(r.error <= r.tolerance);
  CHECK(r.max_local_error <= r.tolerance * local_tolerance_factor);
  // The same holds for other seeds.
  CHECK(verify_gemm(d.w, d.a, d.b, d.c, 1).passed);
  CHECK(verify_gemm(d.w, d.a, d.b, d.c, 99).passed);
}

TEST_CASE("Freivalds catches a planted single-element error", "[verification][gemm][freivalds]") {
  const gemm_data& d = large_f32();
  // Entries are ~sqrt(k) = 22.6; +1 in one of 2^18 entries is invisible in the global error
  // but not in its row's residual.
  const std::vector<std::pair<std::int64_t, std::int64_t>> positions = {{200, 300}, {511, 0}, {0, 511}, {77, 123}};
  for (const auto& [i, j] : positions) {
    INFO("row " << i << " col " << j);
    host_tensor c = copy_of(d.c);
    const std::int64_t index = c_index(d.w, 0, i, j);
    c.set(index, c.get(index) + 1.0);
    for (std::uint64_t seed : {1u, 2u, 3u}) {
      const verification_result r = verify_gemm(d.w, d.a, d.b, c, seed);
      INFO("seed " << seed << ": " << r.reason);
      CHECK_FALSE(r.passed);
      CHECK(r.method == "freivalds+sampled");
      CHECK(r.max_local_error > r.tolerance * local_tolerance_factor);
    }
  }
}

TEST_CASE("Freivalds catches a planted NaN, Inf, zeros and a wrong operand", "[verification][gemm][freivalds]") {
  const gemm_data& d = large_f32();
  {
    host_tensor c = copy_of(d.c);
    c.set(c_index(d.w, 0, 300, 200), std::numeric_limits<double>::quiet_NaN());
    const verification_result r = verify_gemm(d.w, d.a, d.b, c, 1);
    CHECK_FALSE(r.passed);
    CHECK(r.non_finite == 1);
    CHECK(r.reason.find("NaN") != std::string::npos);
  }
  {
    host_tensor c = copy_of(d.c);
    c.set(5, std::numeric_limits<double>::infinity());
    c.set(6, -std::numeric_limits<double>::infinity());
    const verification_result r = verify_gemm(d.w, d.a, d.b, c, 1);
    CHECK_FALSE(r.passed);
    CHECK(r.non_finite == 2);
  }
  {
    host_tensor zeros(dtype::f32, d.c.count());
    for (std::int64_t i = 0; i < zeros.count(); ++i) zeros.set(i, 0.0);
    const verification_result r = verify_gemm(d.w, d.a, d.b, zeros, 1);
    CHECK_FALSE(r.passed);
    CHECK(r.zero_fraction == 1.0);
    CHECK(r.error == Approx(1.0));
  }
  {
    // A kernel that forgot to transpose B: every entry wrong.
    gemm_workload transposed = d.w;
    transposed.trans_b = true;
    const std::vector<double> wrong = reference_gemm(transposed, d.a, d.b);
    host_tensor c(dtype::f32, d.c.count());
    for (std::int64_t i = 0; i < c.count(); ++i) c.set(i, wrong[static_cast<std::size_t>(i)]);
    CHECK_FALSE(verify_gemm(d.w, d.a, d.b, c, 1).passed);
  }
}

TEST_CASE("Freivalds with transposes, batches and integers", "[verification][gemm][freivalds]") {
  SECTION("f32 ta=t tb=t batch=5") {
    const gemm_data d = make_gemm("gemm:m=256,n=256,k=256,ta=t,tb=t,dt=f32,batch=5", 9);
    REQUIRE(d.w.batch * d.w.m * d.w.n * d.w.k > full_check_max_macs);
    const verification_result r = verify_gemm(d.w, d.a, d.b, d.c, 3);
    INFO(r.reason);
    CHECK(r.passed);
    CHECK(r.method == "freivalds+sampled");
    host_tensor c = copy_of(d.c);
    const std::int64_t index = c_index(d.w, 4, 255, 128);  // last batch
    c.set(index, c.get(index) + 1.0);
    CHECK_FALSE(verify_gemm(d.w, d.a, d.b, c, 3).passed);
  }
  SECTION("s8 is checked exactly") {
    const gemm_data d = make_gemm("gemm:m=512,n=512,k=512,dt=s8", 13);
    const verification_result r = verify_gemm(d.w, d.a, d.b, d.c, 3);
    INFO(r.reason);
    CHECK(r.passed);
    CHECK(r.method == "freivalds+sampled");
    CHECK(r.error == 0.0);
    host_tensor c = copy_of(d.c);
    c.set(c_index(d.w, 0, 100, 400), c.get(c_index(d.w, 0, 100, 400)) + 1.0);  // off by one in 2^18
    CHECK_FALSE(verify_gemm(d.w, d.a, d.b, c, 3).passed);
  }
}

TEST_CASE("an output of zeros from zero inputs passes but is mistrusted", "[verification][gemm]") {
  const gemm_workload w = gemm("gemm:m=16,n=16,k=16,dt=f32");
  host_tensor a(dtype::f32, 256), b(dtype::f32, 256), c(dtype::f32, 256);
  fill_random(b, 1);
  for (std::int64_t i = 0; i < 256; ++i) {
    a.set(i, 0.0);
    c.set(i, 0.0);
  }
  const verification_result r = verify_gemm(w, a, b, c, 1);
  CHECK(r.passed);
  CHECK(r.mistrusted);
  CHECK(r.zero_fraction == 1.0);
  CHECK_FALSE(r.reason.empty());
}

TEST_CASE("exact attention outputs pass the sampled-row check", "[verification][attention]") {
  for (const char* text : {"attn:b=2,hq=4,hkv=2,sq=33,skv=47,d=16,causal=0,dt=f32",
                           "attn:b=2,hq=4,hkv=2,sq=33,skv=47,d=16,causal=1,dt=f32",
                           "attn:b=1,hq=2,hkv=1,sq=47,skv=33,d=16,causal=1,dt=f32",
                           "attn:b=1,hq=3,hkv=3,sq=40,skv=40,d=8,causal=1,dt=bf16",
                           "attn:b=1,hq=2,hkv=2,sq=20,skv=30,d=32,causal=1,dt=f16:f32",
                           "attn:b=3,hq=8,hkv=1,sq=1,skv=100,d=64,causal=0,dt=f32",
                           "attn:b=1,hq=1,hkv=1,sq=1,skv=1,d=1,causal=1,dt=f64"}) {
    INFO(text);
    const attention_data d = make_attention(text);
    const verification_result r = verify_attention(d.w, d.q, d.k, d.v, d.o, 7);
    INFO(r.reason);
    CHECK(r.passed);
    CHECK_FALSE(r.mistrusted);
    CHECK(r.method == "sampled-rows");
    CHECK(r.error <= r.tolerance);
  }
}

TEST_CASE("attention check catches a wrong last row, NaN, zeros and a missing mask", "[verification][attention]") {
  const attention_data d = make_attention("attn:b=2,hq=4,hkv=2,sq=33,skv=47,d=16,causal=1,dt=f32");
  SECTION("one element of the last row (always sampled)") {
    host_tensor o = copy_of(d.o);
    const std::int64_t index = last_row_offset(d.w) + 5;
    o.set(index, o.get(index) + 0.5);
    const verification_result r = verify_attention(d.w, d.q, d.k, d.v, o, 7);
    CHECK_FALSE(r.passed);
    CHECK(r.max_local_error > r.tolerance * local_tolerance_factor);
  }
  SECTION("the first row (always sampled)") {
    host_tensor o = copy_of(d.o);
    o.set(3, o.get(3) - 0.5);
    CHECK_FALSE(verify_attention(d.w, d.q, d.k, d.v, o, 7).passed);
  }
  SECTION("NaN") {
    host_tensor o = copy_of(d.o);
    o.set(o.count() / 2, std::numeric_limits<double>::quiet_NaN());
    const verification_result r = verify_attention(d.w, d.q, d.k, d.v, o, 7);
    CHECK_FALSE(r.passed);
    CHECK(r.non_finite == 1);
  }
  SECTION("all zeros") {
    host_tensor o(dtype::f32, d.o.count());
    for (std::int64_t i = 0; i < o.count(); ++i) o.set(i, 0.0);
    CHECK_FALSE(verify_attention(d.w, d.q, d.k, d.v, o, 7).passed);
  }
  SECTION("computed without the causal mask") {
    attention_workload open = d.w;
    open.causal = false;
    const attention_data unmasked = make_attention(to_string(open));  // same seed: same inputs
    CHECK_FALSE(verify_attention(d.w, d.q, d.k, d.v, unmasked.o, 7).passed);
  }
}

TEST_CASE("causal sq > skv: fully masked rows must be zero", "[verification][attention]") {
  const attention_data d = make_attention("attn:b=1,hq=2,hkv=1,sq=47,skv=33,d=16,causal=1,dt=f32");
  const verification_result good = verify_attention(d.w, d.q, d.k, d.v, d.o, 7);
  CHECK(good.passed);
  CHECK(good.zero_fraction > 0.0);  // 14 of 47 rows are zero by definition
  host_tensor o = copy_of(d.o);
  o.set(0, 0.5);  // row 0 of batch 0, head 0 sees no key
  CHECK_FALSE(verify_attention(d.w, d.q, d.k, d.v, o, 7).passed);
}
