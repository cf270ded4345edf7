// Element types: names, sizes, rounding, and the storage encodings of the narrow formats.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "kernels/spec/dtype.hpp"
#include "kernels/spec/host_tensor.hpp"

using namespace accelbench;

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

double store_load(dtype t, double value) {
  std::uint64_t storage = 0;
  store_element(t, &storage, 0, value);
  return load_element(t, &storage, 0);
}

template <typename bits_type>
bits_type bits_of(dtype t, double value) {
  bits_type storage = 0;
  store_element(t, &storage, 0, value);
  return storage;
}

template <typename bits_type>
double value_of(dtype t, bits_type bits) {
  return load_element(t, &bits, 0);
}

const std::vector<dtype> all_types = {dtype::f64, dtype::f32,    dtype::tf32,   dtype::hf32, dtype::bf16,
                                      dtype::f16, dtype::f8e4m3, dtype::f8e5m2, dtype::s8,   dtype::s32};

}  // namespace

TEST_CASE("dtype names round-trip", "[dtype]") {
  for (dtype t : all_types) {
    INFO(static_cast<int>(t));
    const auto parsed = dtype_from_string(to_string(t));
    REQUIRE(parsed.has_value());
    CHECK(*parsed == t);
  }
  CHECK(to_string(dtype::bf16) == "bf16");
  CHECK(to_string(dtype::f8e4m3) == "f8e4m3");
  CHECK(to_string(dtype::invalid) == "invalid");
  CHECK_FALSE(dtype_from_string("f99").has_value());
  CHECK_FALSE(dtype_from_string("").has_value());
  CHECK_FALSE(dtype_from_string("F32").has_value());
  CHECK_FALSE(dtype_from_string("invalid").has_value());
  CHECK_FALSE(dtype_from_string("f32 ").has_value());
  for (dtype t : all_types) CHECK(dtype_accepted_form().find(to_string(t)) != std::string_view::npos);
}

TEST_CASE("storage sizes, integer-ness and unit roundoff", "[dtype]") {
  CHECK(storage_bytes(dtype::f64) == 8);
  CHECK(storage_bytes(dtype::f32) == 4);
  CHECK(storage_bytes(dtype::tf32) == 4);
  CHECK(storage_bytes(dtype::s32) == 4);
  CHECK(storage_bytes(dtype::bf16) == 2);
  CHECK(storage_bytes(dtype::f16) == 2);
  CHECK(storage_bytes(dtype::f8e4m3) == 1);
  CHECK(storage_bytes(dtype::f8e5m2) == 1);
  CHECK(storage_bytes(dtype::s8) == 1);
  CHECK(storage_bytes(dtype::invalid) == 0);
  CHECK(is_integer(dtype::s8));
  CHECK(is_integer(dtype::s32));
  CHECK_FALSE(is_integer(dtype::f32));
  CHECK_FALSE(is_integer(dtype::f8e4m3));
  CHECK(unit_roundoff(dtype::f32) == std::ldexp(1.0, -24));
  CHECK(unit_roundoff(dtype::bf16) == std::ldexp(1.0, -8));
  CHECK(unit_roundoff(dtype::f16) == std::ldexp(1.0, -11));
  CHECK(unit_roundoff(dtype::tf32) == std::ldexp(1.0, -11));
  CHECK(unit_roundoff(dtype::f8e4m3) == std::ldexp(1.0, -4));
  CHECK(unit_roundoff(dtype::f8e5m2) == std::ldexp(1.0, -3));
  CHECK(unit_roundoff(dtype::s8) == 0.0);
}

TEST_CASE("bf16 rounding and storage", "[dtype][bf16]") {
  CHECK(round_to(dtype::bf16, 1.0) == 1.0);
  CHECK(round_to(dtype::bf16, 3.14159) == 3.140625);
  CHECK(store_load(dtype::bf16, 3.14159) == 3.140625);
  CHECK(bits_of<std::uint16_t>(dtype::bf16, 1.0) == 0x3F80);
  CHECK(bits_of<std::uint16_t>(dtype::bf16, -2.0) == 0xC000);
  CHECK(bits_of<std::uint16_t>(dtype::bf16, 3.14159) == 0x4049);
  CHECK(float_to_bf16_bits(3.14159f) == 0x4049);
  CHECK(bf16_bits_to_float(0x4049) == 3.140625f);
  // Ties go to even: 1 + 2^-8 is halfway between 1 and 1 + 2^-7.
  CHECK(round_to(dtype::bf16, 1.0 + std::ldexp(1.0, -8)) == 1.0);
  CHECK(round_to(dtype::bf16, 1.0 + 3 * std::ldexp(1.0, -8)) == 1.0 + std::ldexp(1.0, -6));
  CHECK(float_to_bf16_bits(1.0f + std::ldexp(1.0f, -8)) == 0x3F80);
  // Largest finite value, and overflow to infinity (bf16 does not saturate).
  const double max_bf16 = 3.3895313892515355e38;
  CHECK(round_to(dtype::bf16, max_bf16) == max_bf16);
  CHECK(store_load(dtype::bf16, max_bf16) == max_bf16);
  CHECK(round_to(dtype::bf16, 1e39) == inf);
  CHECK(store_load(dtype::bf16, -1e39) == -inf);
  // Subnormals: the smallest is 2^-133; half of it ties to zero.
  CHECK(round_to(dtype::bf16, std::ldexp(1.0, -133)) == std::ldexp(1.0, -133));
  CHECK(store_load(dtype::bf16, std::ldexp(1.0, -133)) == std::ldexp(1.0, -133));
  CHECK(bits_of<std::uint16_t>(dtype::bf16, std::ldexp(1.0, -133)) == 0x0001);
  CHECK(round_to(dtype::bf16, std::ldexp(1.0, -134)) == 0.0);
  CHECK(store_load(dtype::bf16, std::ldexp(3.0, -134)) == std::ldexp(1.0, -132));
  CHECK(std::isnan(store_load(dtype::bf16, std::nan(""))));
  CHECK(std::isnan(bf16_bits_to_float(float_to_bf16_bits(std::numeric_limits<float>::quiet_NaN()))));
}

TEST_CASE("f16 rounding and storage", "[dtype][f16]") {
  CHECK(round_to(dtype::f16, 1.0) == 1.0);
  CHECK(round_to(dtype::f16, 3.14159) == 3.140625);
  CHECK(round_to(dtype::f16, 1.0 / 3.0) == 0.333251953125);
  CHECK(bits_of<std::uint16_t>(dtype::f16, 1.0) == 0x3C00);
  CHECK(float_to_f16_bits(1.0f) == 0x3C00);
  CHECK(float_to_f16_bits(-2.0f) == 0xC000);
  // 65504 is the largest finite value; 65520 (max + half an ulp) rounds to infinity.
  CHECK(round_to(dtype::f16, 65504.0) == 65504.0);
  CHECK(store_load(dtype::f16, 65504.0) == 65504.0);
  CHECK(bits_of<std::uint16_t>(dtype::f16, 65504.0) == 0x7BFF);
  CHECK(f16_bits_to_float(0x7BFF) == 65504.0f);
  CHECK(round_to(dtype::f16, 65519.0) == 65504.0);
  CHECK(round_to(dtype::f16, 65520.0) == inf);
  CHECK(round_to(dtype::f16, 1e6) == inf);
  CHECK(store_load(dtype::f16, -1e6) == -inf);
  CHECK(bits_of<std::uint16_t>(dtype::f16, inf) == 0x7C00);
  CHECK(f16_bits_to_float(0xFC00) == -std::numeric_limits<float>::infinity());
  CHECK(std::isnan(f16_bits_to_float(0x7E00)));
  CHECK(std::isnan(store_load(dtype::f16, std::nan(""))));
  // Subnormals: smallest 2^-24, smallest normal 2^-14.
  CHECK(store_load(dtype::f16, std::ldexp(1.0, -24)) == std::ldexp(1.0, -24));
  CHECK(bits_of<std::uint16_t>(dtype::f16, std::ldexp(1.0, -24)) == 0x0001);
  CHECK(f16_bits_to_float(0x0001) == std::ldexp(1.0f, -24));
  CHECK(bits_of<std::uint16_t>(dtype::f16, std::ldexp(1.0, -14)) == 0x0400);
  CHECK(round_to(dtype::f16, std::ldexp(1.0, -25)) == 0.0);                         // tie to even: 0
  CHECK(round_to(dtype::f16, std::ldexp(3.0, -25)) == std::ldexp(1.0, -23));        // tie to even: 2 quanta
  CHECK(round_to(dtype::f16, std::ldexp(1023.0, -24)) == std::ldexp(1023.0, -24));  // largest subnormal
  CHECK(bits_of<std::uint16_t>(dtype::f16, std::ldexp(1023.0, -24)) == 0x03FF);
  // Signed zero survives.
  CHECK(bits_of<std::uint16_t>(dtype::f16, -0.0) == 0x8000);
}

TEST_CASE("f8e4m3 (OCP E4M3FN): max 448, saturating, no infinity", "[dtype][f8]") {
  CHECK(round_to(dtype::f8e4m3, 1.0) == 1.0);
  CHECK(round_to(dtype::f8e4m3, 3.14159) == 3.25);
  CHECK(round_to(dtype::f8e4m3, 448.0) == 448.0);
  CHECK(bits_of<std::uint8_t>(dtype::f8e4m3, 448.0) == 0x7E);
  CHECK(bits_of<std::uint8_t>(dtype::f8e4m3, 1.0) == 0x38);
  CHECK(round_to(dtype::f8e4m3, 464.0) == 448.0);
  CHECK(round_to(dtype::f8e4m3, 1e6) == 448.0);
  CHECK(round_to(dtype::f8e4m3, -1e6) == -448.0);
  CHECK(round_to(dtype::f8e4m3, inf) == 448.0);
  CHECK(store_load(dtype::f8e4m3, 1000.0) == 448.0);
  CHECK(store_load(dtype::f8e4m3, -inf) == -448.0);
  // The single NaN encoding.
  CHECK(bits_of<std::uint8_t>(dtype::f8e4m3, std::nan("")) == 0x7F);
  CHECK(std::isnan(value_of<std::uint8_t>(dtype::f8e4m3, 0x7F)));
  CHECK(std::isnan(value_of<std::uint8_t>(dtype::f8e4m3, 0xFF)));
  // Subnormals: smallest 2^-9, smallest normal 2^-6.
  CHECK(store_load(dtype::f8e4m3, std::ldexp(1.0, -9)) == std::ldexp(1.0, -9));
  CHECK(bits_of<std::uint8_t>(dtype::f8e4m3, std::ldexp(1.0, -9)) == 0x01);
  CHECK(bits_of<std::uint8_t>(dtype::f8e4m3, std::ldexp(1.0, -6)) == 0x08);
  CHECK(round_to(dtype::f8e4m3, std::ldexp(1.0, -10)) == 0.0);
  CHECK(round_to(dtype::f8e4m3, std::ldexp(3.0, -10)) == std::ldexp(1.0, -8));
}

TEST_CASE("f8e5m2: max 57344, saturating", "[dtype][f8]") {
  CHECK(round_to(dtype::f8e5m2, 1.0) == 1.0);
  CHECK(round_to(dtype::f8e5m2, 3.14159) == 3.0);
  CHECK(round_to(dtype::f8e5m2, 57344.0) == 57344.0);
  CHECK(bits_of<std::uint8_t>(dtype::f8e5m2, 57344.0) == 0x7B);
  CHECK(bits_of<std::uint8_t>(dtype::f8e5m2, 1.0) == 0x3C);
  CHECK(round_to(dtype::f8e5m2, 1e9) == 57344.0);
  CHECK(store_load(dtype::f8e5m2, -1e9) == -57344.0);
  CHECK(value_of<std::uint8_t>(dtype::f8e5m2, 0x7C) == inf);
  CHECK(std::isnan(value_of<std::uint8_t>(dtype::f8e5m2, 0x7D)));
  CHECK(std::isnan(store_load(dtype::f8e5m2, std::nan(""))));
  CHECK(store_load(dtype::f8e5m2, std::ldexp(1.0, -16)) == std::ldexp(1.0, -16));
  CHECK(bits_of<std::uint8_t>(dtype::f8e5m2, std::ldexp(1.0, -16)) == 0x01);
  CHECK(round_to(dtype::f8e5m2, std::ldexp(1.0, -17)) == 0.0);
}

TEST_CASE("tf32: f32 range with a 10-bit mantissa, stored as f32", "[dtype][tf32]") {
  CHECK(round_to(dtype::tf32, 1.0) == 1.0);
  CHECK(round_to(dtype::tf32, 3.14159) == 3.140625);
  CHECK(store_load(dtype::tf32, 3.14159) == 3.140625);
  CHECK(round_to(dtype::tf32, 1.0 + std::ldexp(1.0, -11)) == 1.0);  // tie to even
  CHECK(round_to(dtype::tf32, 1.0 + std::ldexp(3.0, -11)) == 1.0 + std::ldexp(1.0, -9));
  CHECK(round_to(dtype::tf32, 1e30) == Approx(1e30).epsilon(1e-3));  // far beyond f16's range
  CHECK(round_to(dtype::tf32, 1e30) != static_cast<float>(1e30));    // but mantissa-rounded
  CHECK(round_to(dtype::tf32, 1e39) == inf);
}

TEST_CASE("hf32: f32 range with an 11-bit mantissa, stored as f32", "[dtype][hf32]") {
  CHECK(storage_bytes(dtype::hf32) == 4);
  CHECK(unit_roundoff(dtype::hf32) == std::ldexp(1.0, -12));
  CHECK(round_to(dtype::hf32, 1.0) == 1.0);
  CHECK(round_to(dtype::hf32, 3.14159) == 3.1416015625);  // tf32 gives 3.140625
  CHECK(store_load(dtype::hf32, 3.14159) == 3.1416015625);
  CHECK(round_to(dtype::hf32, 1.0 + std::ldexp(1.0, -12)) == 1.0);  // tie to even
  CHECK(round_to(dtype::hf32, 1.0 + std::ldexp(3.0, -12)) == 1.0 + std::ldexp(1.0, -10));
  CHECK(round_to(dtype::hf32, 1e30) == Approx(1e30).epsilon(1e-3));
  CHECK(round_to(dtype::hf32, 1e39) == inf);
  CHECK(dtype_from_string("hf32") == dtype::hf32);
}

TEST_CASE("f32, f64 and integer types", "[dtype]") {
  CHECK(round_to(dtype::f64, 3.14159) == 3.14159);
  CHECK(round_to(dtype::f32, 3.14159) == static_cast<double>(3.14159f));
  CHECK(store_load(dtype::f32, 0.1) == static_cast<double>(0.1f));
  CHECK(store_load(dtype::f64, 0.1) == 0.1);
  CHECK(round_to(dtype::s8, 200.0) == 127.0);
  CHECK(round_to(dtype::s8, -200.0) == -128.0);
  CHECK(round_to(dtype::s8, 2.5) == 2.0);
  CHECK(round_to(dtype::s8, 3.5) == 4.0);
  CHECK(round_to(dtype::s8, -7.4) == -7.0);
  CHECK(store_load(dtype::s8, -128.0) == -128.0);
  CHECK(store_load(dtype::s8, 300.0) == 127.0);
  CHECK(store_load(dtype::s32, 123456789.0) == 123456789.0);
  CHECK(store_load(dtype::s32, 1e12) == 2147483647.0);
  CHECK(store_load(dtype::s32, -1e12) == -2147483648.0);
}

TEST_CASE("every finite narrow encoding decodes and re-encodes to itself", "[dtype]") {
  struct format {
    dtype type;
    int bits;
  };
  for (const format f :
       {format{dtype::f8e4m3, 8}, format{dtype::f8e5m2, 8}, format{dtype::f16, 16}, format{dtype::bf16, 16}}) {
    INFO(to_string(f.type));
    std::int64_t finite = 0, mismatches = 0;
    for (std::uint32_t pattern = 0; pattern < (1u << f.bits); ++pattern) {
      std::uint64_t in = pattern;
      const double value = load_element(f.type, &in, 0);
      if (!std::isfinite(value)) continue;
      ++finite;
      CHECK(round_to(f.type, value) == value);  // representable values are fixed points
      std::uint64_t out = 0;
      store_element(f.type, &out, 0, value);
      if (out != in) ++mismatches;
    }
    CHECK(mismatches == 0);
    // E4M3FN has 2 NaN patterns and no infinity; E5M2 has 2 infinities and 6 NaNs.
    if (f.type == dtype::f8e4m3) CHECK(finite == 254);
    if (f.type == dtype::f8e5m2) CHECK(finite == 248);
    if (f.type == dtype::f16) CHECK(finite == 65536 - 2 * 1024);  // exponent all ones: Inf/NaN
    if (f.type == dtype::bf16) CHECK(finite == 65536 - 2 * 128);
  }
}

TEST_CASE("host_tensor stores and reads back in its storage format", "[dtype][host_tensor]") {
  for (dtype t : all_types) {
    INFO(to_string(t));
    host_tensor tensor(t, 37);
    CHECK(tensor.count() == 37);
    CHECK(tensor.bytes() == 37 * storage_bytes(t));
    CHECK(reinterpret_cast<std::uintptr_t>(tensor.data()) % 64 == 0);
    for (std::int64_t i = 0; i < tensor.count(); ++i) tensor.set(i, static_cast<double>(i) - 18.0);
    std::vector<double> decoded(37);
    tensor.read(0, 37, decoded.data());
    for (std::int64_t i = 0; i < tensor.count(); ++i) {
      CHECK(tensor.get(i) == round_to(t, static_cast<double>(i) - 18.0));
      CHECK(decoded[static_cast<std::size_t>(i)] == tensor.get(i));
    }
  }
}

TEST_CASE("fill_random: seeded, representable, normal-looking", "[dtype][host_tensor]") {
  for (dtype t : {dtype::f64, dtype::f32, dtype::tf32, dtype::bf16, dtype::f16, dtype::f8e4m3, dtype::f8e5m2}) {
    INFO(to_string(t));
    host_tensor a(t, 4096), b(t, 4096), c(t, 4096);
    fill_random(a, 1);
    fill_random(b, 1);
    fill_random(c, 2);
    CHECK(std::memcmp(a.data(), b.data(), static_cast<std::size_t>(a.bytes())) == 0);
    CHECK(std::memcmp(a.data(), c.data(), static_cast<std::size_t>(a.bytes())) != 0);
    double sum = 0, squares = 0;
    for (std::int64_t i = 0; i < a.count(); ++i) {
      const double v = a.get(i);
      REQUIRE(std::isfinite(v));
      CHECK(round_to(t, v) == v);
      sum += v;
      squares += v * v;
    }
    const double mean = sum / 4096, variance = squares / 4096 - mean * mean;
    CHECK(std::fabs(mean) < 0.1);
    CHECK(variance == Approx(1.0).epsilon(0.15));
  }
  host_tensor s(dtype::s8, 4096);
  fill_random(s, 3);
  double lo = 0, hi = 0;
  for (std::int64_t i = 0; i < s.count(); ++i) {
    lo = std::min(lo, s.get(i));
    hi = std::max(hi, s.get(i));
  }
  CHECK(lo == -128.0);  // full range
  CHECK(hi == 127.0);
}
