#pragma once
// Overflow-checked size arithmetic: workload sizes come from users and multiply quickly.
#include <cstdint>
#include <initializer_list>
#include <string>

#include "kernels/spec/errors.hpp"

namespace accelbench {

// Product of non-negative factors; throws input_error naming `what` when it exceeds int64.
inline std::int64_t checked_product(std::initializer_list<std::int64_t> factors, const std::string& what) {
  std::int64_t result = 1;
  for (std::int64_t f : factors) {
    if (f < 0 || __builtin_mul_overflow(result, f, &result)) {
      throw input_error(what + ": size overflows 64 bits; use smaller dimensions");
    }
  }
  return result;
}

inline std::int64_t checked_add(std::int64_t a, std::int64_t b, const std::string& what) {
  std::int64_t result = 0;
  if (__builtin_add_overflow(a, b, &result)) {
    throw input_error(what + ": size overflows 64 bits; use smaller dimensions");
  }
  return result;
}

}  // namespace accelbench
