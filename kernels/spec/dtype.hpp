#pragma once
// Element types, their storage sizes, rounding and conversions to and from float/double.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace accelbench {

enum class dtype : std::int32_t {
  invalid = 0,
  f64 = 1,
  f32 = 2,
  tf32 = 3,  // stored as f32; the kernel rounds inputs to a 10-bit mantissa
  bf16 = 4,
  f16 = 5,
  f8e4m3 = 6,
  f8e5m2 = 7,
  s8 = 8,
  s32 = 9,
  hf32 = 10,  // stored as f32; Ascend's cube rounds inputs to an 11-bit mantissa (HF32)
};

std::string_view to_string(dtype t);
std::optional<dtype> dtype_from_string(std::string_view text);
// Accepted spellings, for error messages.
std::string_view dtype_accepted_form();

std::int64_t storage_bytes(dtype t);  // bytes per element in memory
bool is_integer(dtype t);
double unit_roundoff(dtype t);  // 2^-(mantissa bits + 1); 0 for integers

// Round a double to the nearest value representable in t (round to nearest even, saturating
// for f8/s8, as the reference sees the inputs a kernel receives).
double round_to(dtype t, double value);

// Encode/decode one element in t's storage format.
void store_element(dtype t, void* base, std::int64_t index, double value);
double load_element(dtype t, const void* base, std::int64_t index);

// Bit-level helpers shared by kernels.
std::uint16_t float_to_bf16_bits(float value);
float bf16_bits_to_float(std::uint16_t bits);
std::uint16_t float_to_f16_bits(float value);
float f16_bits_to_float(std::uint16_t bits);

}  // namespace accelbench
