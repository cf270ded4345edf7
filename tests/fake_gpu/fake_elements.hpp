#pragma once
// Reading and writing one matrix element of the types the fake BLAS libraries compute with, in
// double, given the element's type code and the vendor's codes (fake_blaslt.cpp: hipDataType,
// fake_rocblas.cpp: rocblas_datatype, fake_mublas.cpp: cudaDataType). The element formats are
// the harness's own (kernels/spec/dtype.hpp): f8 is OCP e4m3fn / e5m2.
#include <cstdint>

#include "kernels/spec/dtype.hpp"

namespace fake_gpu {

// A vendor's codes for the types; -1 where it has none.
struct type_codes {
  int f32, f16, bf16, s8, s32;
  int f8e4m3 = -1, f8e5m2 = -1;
};

// The element type of a code (every code reaching here passed the fake's type checks).
inline accelbench::dtype element_of(int type, const type_codes& c) {
  using accelbench::dtype;
  if (type == c.f32) return dtype::f32;
  if (type == c.f16) return dtype::f16;
  if (type == c.bf16) return dtype::bf16;
  if (type == c.s8) return dtype::s8;
  if (type == c.f8e4m3) return dtype::f8e4m3;
  if (type == c.f8e5m2) return dtype::f8e5m2;
  return dtype::s32;
}

inline double load(const void* base, int type, const type_codes& codes, std::int64_t index) {
  return accelbench::load_element(element_of(type, codes), base, index);
}

inline void store(void* base, int type, const type_codes& codes, std::int64_t index, double value) {
  accelbench::store_element(element_of(type, codes), base, index, value);
}

}  // namespace fake_gpu
