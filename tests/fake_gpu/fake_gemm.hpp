#pragma once
// The product every fake BLAS library computes (fake_blaslt.cpp, fake_rocblas.cpp,
// fake_mublas.cpp): D = alpha op(A) op(B) per batch item, column-major as the real libraries
// read their operands, in double. FAKE_GPU_WRONG_RESULT=1 plants an error in D's first element.
#include <cstdint>

#include "tests/fake_gpu/fake_elements.hpp"
#include "tests/fake_gpu/fake_gpu.hpp"

namespace fake_gpu {

// One operand as the library reads it.
struct operand {
  const void* data;
  int type;
  std::int64_t ld, batch_stride;
  bool transposed;
};

struct product_shape {
  std::int64_t m, n, k, batch;
};

inline void column_major_product(const product_shape& s, double alpha, const operand& a, const operand& b, void* d,
                                 int d_type, std::int64_t ldd, std::int64_t d_stride, const type_codes& codes) {
  for (std::int64_t item = 0; item < s.batch; ++item) {
    for (std::int64_t j = 0; j < s.n; ++j) {
      for (std::int64_t i = 0; i < s.m; ++i) {
        double sum = 0;
        for (std::int64_t l = 0; l < s.k; ++l) {
          const std::int64_t ai = item * a.batch_stride + (a.transposed ? l + i * a.ld : i + l * a.ld);
          const std::int64_t bi = item * b.batch_stride + (b.transposed ? j + l * b.ld : l + j * b.ld);
          sum += load(a.data, a.type, codes, ai) * load(b.data, b.type, codes, bi);
        }
        store(d, d_type, codes, item * d_stride + i + j * ldd, alpha * sum);
      }
    }
  }
  if (env("FAKE_GPU_WRONG_RESULT") == "1") store(d, d_type, codes, 0, load(d, d_type, codes, 0) + 1.0);
}

}  // namespace fake_gpu
