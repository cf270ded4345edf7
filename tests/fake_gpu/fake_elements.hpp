#pragma once
// Reading and writing one matrix element of the types the fake BLAS libraries compute with, in
// double, given the element's type code and the vendor's codes (fake_blaslt.cpp: hipDataType,
// fake_rocblas.cpp: rocblas_datatype).
#include <cstdint>

#include "kernels/spec/dtype.hpp"

namespace fake_gpu {

enum class element { f32, f16, bf16, s8, s32 };

// A vendor's codes for those types.
struct type_codes {
  int f32, f16, bf16, s8, s32;
};

// The element type of a code (every code reaching here passed the fake's type checks).
inline element element_of(int type, const type_codes& c) {
  if (type == c.f32) return element::f32;
  if (type == c.f16) return element::f16;
  if (type == c.bf16) return element::bf16;
  if (type == c.s8) return element::s8;
  return element::s32;
}

inline double load_element(const void* base, element type, std::int64_t index) {
  switch (type) {
    case element::f32:
      return static_cast<const float*>(base)[index];
    case element::f16:
      return accelbench::f16_bits_to_float(static_cast<const std::uint16_t*>(base)[index]);
    case element::bf16:
      return accelbench::bf16_bits_to_float(static_cast<const std::uint16_t*>(base)[index]);
    case element::s8:
      return static_cast<const std::int8_t*>(base)[index];
    case element::s32:
      break;
  }
  return static_cast<const std::int32_t*>(base)[index];
}

inline void store_element(void* base, element type, std::int64_t index, double value) {
  switch (type) {
    case element::f32:
      static_cast<float*>(base)[index] = static_cast<float>(value);
      return;
    case element::f16:
      static_cast<std::uint16_t*>(base)[index] = accelbench::float_to_f16_bits(static_cast<float>(value));
      return;
    case element::bf16:
      static_cast<std::uint16_t*>(base)[index] = accelbench::float_to_bf16_bits(static_cast<float>(value));
      return;
    case element::s8:
      static_cast<std::int8_t*>(base)[index] = static_cast<std::int8_t>(value);
      return;
    case element::s32:
      break;
  }
  static_cast<std::int32_t*>(base)[index] = static_cast<std::int32_t>(value);
}

inline double load(const void* base, int type, const type_codes& codes, std::int64_t index) {
  return load_element(base, element_of(type, codes), index);
}

inline void store(void* base, int type, const type_codes& codes, std::int64_t index, double value) {
  store_element(base, element_of(type, codes), index, value);
}

}  // namespace fake_gpu
