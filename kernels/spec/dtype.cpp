#include "kernels/spec/dtype.hpp"

#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

namespace accelbench {
namespace {

struct dtype_name {
  dtype type;
  std::string_view name;
};
constexpr std::array<dtype_name, 10> dtype_names{{{dtype::f64, "f64"},
                                                  {dtype::f32, "f32"},
                                                  {dtype::tf32, "tf32"},
                                                  {dtype::hf32, "hf32"},
                                                  {dtype::bf16, "bf16"},
                                                  {dtype::f16, "f16"},
                                                  {dtype::f8e4m3, "f8e4m3"},
                                                  {dtype::f8e5m2, "f8e5m2"},
                                                  {dtype::s8, "s8"},
                                                  {dtype::s32, "s32"}}};

// A small IEEE-like binary format: exponent bits, mantissa bits, bias, largest finite value.
struct minifloat {
  int exponent_bits;
  int mantissa_bits;
  int bias;
  double max_finite;
  bool saturate;  // f8 conversions saturate; f16/bf16 overflow to infinity as hardware does
  bool has_infinity;
};

constexpr minifloat format_f16{5, 10, 15, 65504.0, false, true};
constexpr minifloat format_bf16{8, 7, 127, 3.3895313892515355e38, false, true};
constexpr minifloat format_f8e4m3{4, 3, 7, 448.0, true, false};  // OCP E4M3FN: no infinity
constexpr minifloat format_f8e5m2{5, 2, 15, 57344.0, true, true};

double round_minifloat(const minifloat& f, double x) {
  if (std::isnan(x) || x == 0.0) return x;
  const double magnitude = std::fabs(x);
  if (std::isinf(x)) return f.saturate ? std::copysign(f.max_finite, x) : x;
  int exponent = 0;
  std::frexp(magnitude, &exponent);  // magnitude = frac * 2^exponent, frac in [0.5, 1)
  const int k = exponent - 1;        // magnitude in [2^k, 2^(k+1))
  const int min_normal_exponent = 1 - f.bias;
  const int quantum_exponent = (k < min_normal_exponent ? min_normal_exponent : k) - f.mantissa_bits;
  const double quantum = std::ldexp(1.0, quantum_exponent);
  double rounded = std::nearbyint(magnitude / quantum) * quantum;  // ties to even
  if (rounded > f.max_finite) {
    // Values past max + half an ulp overflow; f8 saturates to max.
    const double half_ulp_past_max = f.max_finite + std::ldexp(1.0, k - f.mantissa_bits - 1);
    if (f.saturate || magnitude < half_ulp_past_max) {
      rounded = f.max_finite;
    } else {
      rounded = std::numeric_limits<double>::infinity();
    }
  }
  return std::copysign(rounded, x);
}

std::uint32_t encode_minifloat(const minifloat& f, double x) {
  const double v = round_minifloat(f, x);
  const std::uint32_t sign = std::signbit(v) ? 1u : 0u;
  const int total_bits = 1 + f.exponent_bits + f.mantissa_bits;
  const std::uint32_t sign_bit = sign << (total_bits - 1);
  const std::uint32_t exponent_all_ones = (1u << f.exponent_bits) - 1;
  if (std::isnan(v)) {
    // E4M3FN has a single NaN pattern (all ones); others use a quiet NaN.
    return sign_bit | (exponent_all_ones << f.mantissa_bits) | ((1u << f.mantissa_bits) - 1);
  }
  if (std::isinf(v)) return sign_bit | (exponent_all_ones << f.mantissa_bits);
  const double magnitude = std::fabs(v);
  if (magnitude == 0.0) return sign_bit;
  int exponent = 0;
  std::frexp(magnitude, &exponent);
  const int k = exponent - 1;
  const int min_normal_exponent = 1 - f.bias;
  if (k < min_normal_exponent) {
    const auto mantissa = static_cast<std::uint32_t>(std::ldexp(magnitude, f.mantissa_bits - min_normal_exponent));
    return sign_bit | mantissa;
  }
  const auto biased = static_cast<std::uint32_t>(k + f.bias);
  const auto mantissa =
      static_cast<std::uint32_t>(std::ldexp(magnitude, f.mantissa_bits - k)) - (1u << f.mantissa_bits);
  return sign_bit | (biased << f.mantissa_bits) | mantissa;
}

double decode_minifloat(const minifloat& f, std::uint32_t bits) {
  const int total_bits = 1 + f.exponent_bits + f.mantissa_bits;
  const bool negative = ((bits >> (total_bits - 1)) & 1u) != 0;
  const std::uint32_t exponent_all_ones = (1u << f.exponent_bits) - 1;
  const std::uint32_t biased = (bits >> f.mantissa_bits) & exponent_all_ones;
  const std::uint32_t mantissa = bits & ((1u << f.mantissa_bits) - 1);
  double value = 0.0;
  if (biased == exponent_all_ones && f.has_infinity) {
    value = mantissa == 0 ? std::numeric_limits<double>::infinity() : std::numeric_limits<double>::quiet_NaN();
  } else if (biased == exponent_all_ones && !f.has_infinity && mantissa == ((1u << f.mantissa_bits) - 1)) {
    value = std::numeric_limits<double>::quiet_NaN();
  } else if (biased == 0) {
    value = std::ldexp(static_cast<double>(mantissa), 1 - f.bias - f.mantissa_bits);
  } else {
    value = std::ldexp(static_cast<double>(mantissa + (1u << f.mantissa_bits)),
                       static_cast<int>(biased) - f.bias - f.mantissa_bits);
  }
  return negative ? -value : value;
}

double round_tf32(double x) {
  // TF32 keeps f32's exponent and a 10-bit mantissa.
  constexpr minifloat format_tf32{8, 10, 127, 3.4011621342146535e38, false, true};
  return round_minifloat(format_tf32, static_cast<double>(static_cast<float>(x)));
}

double round_hf32(double x) {
  // HF32 (Ascend's cube format for f32 inputs) keeps f32's exponent and an 11-bit mantissa
  // (CANN ATC documentation, --allow_hf32). The rounding mode is not documented: nearest-even here.
  constexpr minifloat format_hf32{8, 11, 127, 3.401992901712019e38, false, true};
  return round_minifloat(format_hf32, static_cast<double>(static_cast<float>(x)));
}

}  // namespace

std::string_view to_string(dtype t) {
  for (const auto& entry : dtype_names) {
    if (entry.type == t) return entry.name;
  }
  return "invalid";
}

std::optional<dtype> dtype_from_string(std::string_view text) {
  for (const auto& entry : dtype_names) {
    if (entry.name == text) return entry.type;
  }
  return std::nullopt;
}

std::string_view dtype_accepted_form() { return "one of f64, f32, tf32, hf32, bf16, f16, f8e4m3, f8e5m2, s8, s32"; }

std::int64_t storage_bytes(dtype t) {
  switch (t) {
    case dtype::f64:
      return 8;
    case dtype::f32:
    case dtype::tf32:
    case dtype::hf32:
    case dtype::s32:
      return 4;
    case dtype::bf16:
    case dtype::f16:
      return 2;
    case dtype::f8e4m3:
    case dtype::f8e5m2:
    case dtype::s8:
      return 1;
    case dtype::invalid:
      break;
  }
  return 0;
}

bool is_integer(dtype t) { return t == dtype::s8 || t == dtype::s32; }

double unit_roundoff(dtype t) {
  switch (t) {
    case dtype::f64:
      return std::ldexp(1.0, -53);
    case dtype::f32:
      return std::ldexp(1.0, -24);
    case dtype::tf32:
    case dtype::f16:
      return std::ldexp(1.0, -11);
    case dtype::hf32:
      return std::ldexp(1.0, -12);
    case dtype::bf16:
      return std::ldexp(1.0, -8);
    case dtype::f8e4m3:
      return std::ldexp(1.0, -4);
    case dtype::f8e5m2:
      return std::ldexp(1.0, -3);
    default:
      return 0.0;
  }
}

double round_to(dtype t, double value) {
  switch (t) {
    case dtype::f64:
      return value;
    case dtype::f32:
      return static_cast<float>(value);
    case dtype::tf32:
      return round_tf32(value);
    case dtype::hf32:
      return round_hf32(value);
    case dtype::bf16:
      return round_minifloat(format_bf16, value);
    case dtype::f16:
      return round_minifloat(format_f16, value);
    case dtype::f8e4m3:
      return round_minifloat(format_f8e4m3, value);
    case dtype::f8e5m2:
      return round_minifloat(format_f8e5m2, value);
    case dtype::s8:
      return std::fmin(127.0, std::fmax(-128.0, std::nearbyint(value)));
    case dtype::s32:
      return std::fmin(2147483647.0, std::fmax(-2147483648.0, std::nearbyint(value)));
    case dtype::invalid:
      break;
  }
  return value;
}

void store_element(dtype t, void* base, std::int64_t index, double value) {
  switch (t) {
    case dtype::f64:
      static_cast<double*>(base)[index] = value;
      return;
    case dtype::f32:
      static_cast<float*>(base)[index] = static_cast<float>(value);
      return;
    case dtype::tf32:
      static_cast<float*>(base)[index] = static_cast<float>(round_tf32(value));
      return;
    case dtype::hf32:
      static_cast<float*>(base)[index] = static_cast<float>(round_hf32(value));
      return;
    case dtype::bf16:
      static_cast<std::uint16_t*>(base)[index] = static_cast<std::uint16_t>(encode_minifloat(format_bf16, value));
      return;
    case dtype::f16:
      static_cast<std::uint16_t*>(base)[index] = static_cast<std::uint16_t>(encode_minifloat(format_f16, value));
      return;
    case dtype::f8e4m3:
      static_cast<std::uint8_t*>(base)[index] = static_cast<std::uint8_t>(encode_minifloat(format_f8e4m3, value));
      return;
    case dtype::f8e5m2:
      static_cast<std::uint8_t*>(base)[index] = static_cast<std::uint8_t>(encode_minifloat(format_f8e5m2, value));
      return;
    case dtype::s8:
      static_cast<std::int8_t*>(base)[index] = static_cast<std::int8_t>(round_to(t, value));
      return;
    case dtype::s32:
      static_cast<std::int32_t*>(base)[index] = static_cast<std::int32_t>(round_to(t, value));
      return;
    case dtype::invalid:
      return;
  }
}

double load_element(dtype t, const void* base, std::int64_t index) {
  switch (t) {
    case dtype::f64:
      return static_cast<const double*>(base)[index];
    case dtype::f32:
    case dtype::tf32:
    case dtype::hf32:
      return static_cast<const float*>(base)[index];
    case dtype::bf16:
      return bf16_bits_to_float(static_cast<const std::uint16_t*>(base)[index]);
    case dtype::f16:
      return decode_minifloat(format_f16, static_cast<const std::uint16_t*>(base)[index]);
    case dtype::f8e4m3:
      return decode_minifloat(format_f8e4m3, static_cast<const std::uint8_t*>(base)[index]);
    case dtype::f8e5m2:
      return decode_minifloat(format_f8e5m2, static_cast<const std::uint8_t*>(base)[index]);
    case dtype::s8:
      return static_cast<const std::int8_t*>(base)[index];
    case dtype::s32:
      return static_cast<const std::int32_t*>(base)[index];
    case dtype::invalid:
      break;
  }
  return 0.0;
}

std::uint16_t float_to_bf16_bits(float value) {
  auto bits = std::bit_cast<std::uint32_t>(value);
  if ((bits & 0x7fffffffu) > 0x7f800000u) return static_cast<std::uint16_t>((bits >> 16) | 0x40u);  // quiet NaN
  bits += 0x7fffu + ((bits >> 16) & 1u);  // round to nearest even
  return static_cast<std::uint16_t>(bits >> 16);
}

float bf16_bits_to_float(std::uint16_t bits) { return std::bit_cast<float>(static_cast<std::uint32_t>(bits) << 16); }

std::uint16_t float_to_f16_bits(float value) { return static_cast<std::uint16_t>(encode_minifloat(format_f16, value)); }

float f16_bits_to_float(std::uint16_t bits) { return static_cast<float>(decode_minifloat(format_f16, bits)); }

}  // namespace accelbench
