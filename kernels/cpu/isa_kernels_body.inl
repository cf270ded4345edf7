// The microkernels, written once against a vector type `vec` and compiled once per ISA: each
// isa_<name>.cpp defines `vec` (width, load/store, fmadd, exp2, bf16 widening, reductions) in
// its own namespace, then includes this file. Nothing here may be used outside that namespace
// (the same template compiled with different -m flags must never be merged by the linker).
//
// Requires before inclusion: struct vec { using reg; static constexpr int width, mr; zero, set1,
// load, store, load_partial, store_partial, broadcast, fmadd, add, mul, max, reduce_add,
// reduce_max, exp2, load_bf16 }.

namespace {

constexpr int nr = 2 * vec::width;
constexpr int mr = vec::mr;

// C = beta * C + A * B for one mr x nr tile; A(i, k) at a[k * mr + i] (packed) or
// a[i * lda + k] (rows). The k loop is the hot loop: 2 loads of B, mr broadcasts, 2 mr FMAs.
template <bool packed>
inline void tile_impl(std::int64_t kc, const float* a, std::int64_t lda, const float* b, float* c, std::int64_t ldc,
                      const float* row_scale, bool accumulate) {
  using reg = vec::reg;
  reg acc0[mr], acc1[mr];
#pragma GCC unroll 16
  for (int i = 0; i < mr; ++i) {
    if (accumulate) {
      const reg beta = vec::set1(row_scale != nullptr ? row_scale[i] : 1.0f);
      acc0[i] = vec::mul(beta, vec::load(c + i * ldc));
      acc1[i] = vec::mul(beta, vec::load(c + i * ldc + vec::width));
    } else {
      acc0[i] = vec::zero();
      acc1[i] = vec::zero();
    }
  }
  if constexpr (packed) {
#pragma GCC unroll 2
    for (std::int64_t k = 0; k < kc; ++k) {
      const reg b0 = vec::load(b + k * nr);
      const reg b1 = vec::load(b + k * nr + vec::width);
#pragma GCC unroll 16
      for (int i = 0; i < mr; ++i) {
        const reg x = vec::broadcast(a + k * mr + i);
        acc0[i] = vec::fmadd(x, b0, acc0[i]);
        acc1[i] = vec::fmadd(x, b1, acc1[i]);
      }
    }
  } else {
#pragma GCC unroll 2
    for (std::int64_t k = 0; k < kc; ++k) {
      const reg b0 = vec::load(b + k * nr);
      const reg b1 = vec::load(b + k * nr + vec::width);
#pragma GCC unroll 16
      for (int i = 0; i < mr; ++i) {
        const reg x = vec::broadcast(a + i * lda + k);
        acc0[i] = vec::fmadd(x, b0, acc0[i]);
        acc1[i] = vec::fmadd(x, b1, acc1[i]);
      }
    }
  }
#pragma GCC unroll 16
  for (int i = 0; i < mr; ++i) {
    vec::store(c + i * ldc, acc0[i]);
    vec::store(c + i * ldc + vec::width, acc1[i]);
  }
}

void tile_packed(std::int64_t kc, const float* a, const float* b, float* c, std::int64_t ldc, const float* row_scale,
                 bool accumulate) {
  tile_impl<true>(kc, a, 0, b, c, ldc, row_scale, accumulate);
}

void tile_rows(std::int64_t kc, const float* a, std::int64_t lda, const float* b, float* c, std::int64_t ldc,
               const float* row_scale, bool accumulate) {
  tile_impl<false>(kc, a, lda, b, c, ldc, row_scale, accumulate);
}

// Decode-shaped GEMM: `rows` (<= mr) rows of C, nr columns, B read straight from the input (row
// stride ldb, f32 or bf16) and never packed: each B element is loaded once per call of this
// kernel. The B row `prefetch` elements ahead (the next column blocks of the same rows) is
// prefetched so the strided walk down B's rows does not wait on memory. `copy` (when set)
// receives the block of B as f32 rows of nr (copy[k * nr + j]): the other row chunks of C read
// it there instead of from B, whose rows, ldb apart, all fall in the same L1 sets.
template <int rows, bool bf16, bool copy_b>
void stream_tile_impl(std::int64_t kc, const float* a, std::int64_t lda, const void* b, std::int64_t ldb, float* c,
                      std::int64_t ldc, bool accumulate, std::int64_t prefetch, float* copy) {
  using reg = vec::reg;
  constexpr std::int64_t element = bf16 ? 2 : 4;
  const char* base = static_cast<const char*>(b);
  reg acc0[rows], acc1[rows];
#pragma GCC unroll 16
  for (int i = 0; i < rows; ++i) {
    acc0[i] = accumulate ? vec::load(c + i * ldc) : vec::zero();
    acc1[i] = accumulate ? vec::load(c + i * ldc + vec::width) : vec::zero();
  }
#pragma GCC unroll 2
  for (std::int64_t k = 0; k < kc; ++k) {
    const char* row = base + k * ldb * element;
    // Every line of the block's row ahead (f32 on AVX-512: two): with only the first one asked
    // for, the second missed and the kernel sat on its load (perf, m = 8), since with 8 or
    // more rows of FMAs per k fewer B rows' misses fit in the out-of-order window.
    if (prefetch > 0) {
#pragma GCC unroll 2
      for (std::int64_t line = 0; line < nr * element; line += 64) __builtin_prefetch(row + prefetch * element + line);
    }
    reg b0, b1;
    if constexpr (bf16) {
      b0 = vec::load_bf16(reinterpret_cast<const std::uint16_t*>(row));
      b1 = vec::load_bf16(reinterpret_cast<const std::uint16_t*>(row) + vec::width);
    } else {
      b0 = vec::load(reinterpret_cast<const float*>(row));
      b1 = vec::load(reinterpret_cast<const float*>(row) + vec::width);
    }
    if constexpr (copy_b) {
      vec::store(copy + k * nr, b0);
      vec::store(copy + k * nr + vec::width, b1);
    }
#pragma GCC unroll 16
    for (int i = 0; i < rows; ++i) {
      const reg x = vec::broadcast(a + i * lda + k);
      acc0[i] = vec::fmadd(x, b0, acc0[i]);
      acc1[i] = vec::fmadd(x, b1, acc1[i]);
    }
  }
#pragma GCC unroll 16
  for (int i = 0; i < rows; ++i) {
    vec::store(c + i * ldc, acc0[i]);
    vec::store(c + i * ldc + vec::width, acc1[i]);
  }
}

template <bool bf16, bool copy_b, int... r>
void stream_tile_rows(int rows, std::int64_t kc, const float* a, std::int64_t lda, const void* b, std::int64_t ldb,
                      float* c, std::int64_t ldc, bool accumulate, std::int64_t prefetch, float* copy,
                      std::integer_sequence<int, r...>) {
  using fn = void (*)(std::int64_t, const float*, std::int64_t, const void*, std::int64_t, float*, std::int64_t, bool,
                      std::int64_t, float*);
  static constexpr fn table[] = {stream_tile_impl<r + 1, bf16, copy_b>...};
  table[rows - 1](kc, a, lda, b, ldb, c, ldc, accumulate, prefetch, copy);
}

template <bool bf16>
void stream_tile_typed(int rows, std::int64_t kc, const float* a, std::int64_t lda, const void* b, std::int64_t ldb,
                       float* c, std::int64_t ldc, bool accumulate, std::int64_t prefetch, float* copy) {
  if (copy != nullptr) {
    stream_tile_rows<bf16, true>(rows, kc, a, lda, b, ldb, c, ldc, accumulate, prefetch, copy,
                                 std::make_integer_sequence<int, mr>{});
  } else {
    stream_tile_rows<bf16, false>(rows, kc, a, lda, b, ldb, c, ldc, accumulate, prefetch, copy,
                                  std::make_integer_sequence<int, mr>{});
  }
}

void stream_tile(int rows, std::int64_t kc, const float* a, std::int64_t lda, const void* b, bool bf16,
                 std::int64_t ldb, float* c, std::int64_t ldc, bool accumulate, std::int64_t prefetch, float* copy) {
  if (bf16) {
    stream_tile_typed<true>(rows, kc, a, lda, b, ldb, c, ldc, accumulate, prefetch, copy);
  } else {
    stream_tile_typed<false>(rows, kc, a, lda, b, ldb, c, ldc, accumulate, prefetch, copy);
  }
}

// The columns past the last whole nr block: `rows` (<= mr) rows of C, `cols` (1 .. nr - 1)
// columns, f32 B read in place (row stride ldb) and C read and written in place, both through
// masked loads and stores on the last, partial vector. With cols <= width only one vector of
// FMAs runs per row: n = 40 on 32-wide tiles costs 48 columns' work, not 64.
template <int rows, bool two>
void stream_edge_impl(int cols, std::int64_t kc, const float* a, std::int64_t lda, const float* b, std::int64_t ldb,
                      float* c, std::int64_t ldc, bool accumulate) {
  using reg = vec::reg;
  const int tail = two ? cols - vec::width : cols;  // lanes of the partial vector
  reg acc0[rows], acc1[rows];
#pragma GCC unroll 16
  for (int i = 0; i < rows; ++i) {
    if constexpr (two) {
      acc0[i] = accumulate ? vec::load(c + i * ldc) : vec::zero();
      acc1[i] = accumulate ? vec::load_partial(c + i * ldc + vec::width, tail) : vec::zero();
    } else {
      acc0[i] = accumulate ? vec::load_partial(c + i * ldc, tail) : vec::zero();
    }
  }
#pragma GCC unroll 2
  for (std::int64_t k = 0; k < kc; ++k) {
    const float* row = b + k * ldb;
    if constexpr (two) {
      const reg b0 = vec::load(row), b1 = vec::load_partial(row + vec::width, tail);
#pragma GCC unroll 16
      for (int i = 0; i < rows; ++i) {
        const reg x = vec::broadcast(a + i * lda + k);
        acc0[i] = vec::fmadd(x, b0, acc0[i]);
        acc1[i] = vec::fmadd(x, b1, acc1[i]);
      }
    } else {
      const reg b0 = vec::load_partial(row, tail);
#pragma GCC unroll 16
      for (int i = 0; i < rows; ++i) acc0[i] = vec::fmadd(vec::broadcast(a + i * lda + k), b0, acc0[i]);
    }
  }
#pragma GCC unroll 16
  for (int i = 0; i < rows; ++i) {
    if constexpr (two) {
      vec::store(c + i * ldc, acc0[i]);
      vec::store_partial(c + i * ldc + vec::width, acc1[i], tail);
    } else {
      vec::store_partial(c + i * ldc, acc0[i], tail);
    }
  }
}

template <bool two, int... r>
void stream_edge_rows(int rows, int cols, std::int64_t kc, const float* a, std::int64_t lda, const float* b,
                      std::int64_t ldb, float* c, std::int64_t ldc, bool accumulate, std::integer_sequence<int, r...>) {
  using fn =
      void (*)(int, std::int64_t, const float*, std::int64_t, const float*, std::int64_t, float*, std::int64_t, bool);
  static constexpr fn table[] = {stream_edge_impl<r + 1, two>...};
  table[rows - 1](cols, kc, a, lda, b, ldb, c, ldc, accumulate);
}

void stream_edge(int rows, int cols, std::int64_t kc, const float* a, std::int64_t lda, const float* b,
                 std::int64_t ldb, float* c, std::int64_t ldc, bool accumulate) {
  if (cols > vec::width) {
    stream_edge_rows<true>(rows, cols, kc, a, lda, b, ldb, c, ldc, accumulate, std::make_integer_sequence<int, mr>{});
  } else {
    stream_edge_rows<false>(rows, cols, kc, a, lda, b, ldb, c, ldc, accumulate, std::make_integer_sequence<int, mr>{});
  }
}

float softmax_row(float* s, std::int64_t n_valid, std::int64_t n_pad, float c, float* m, float* l) {
  using reg = vec::reg;
  constexpr int w = vec::width;
  std::int64_t j = 0;
  reg vmax = vec::set1(-std::numeric_limits<float>::infinity());
  for (; j + w <= n_valid; j += w) vmax = vec::max(vmax, vec::load(s + j));
  float row_max = vec::reduce_max(vmax);
  for (; j < n_valid; ++j) row_max = std::max(row_max, s[j]);
  // c > 0, so max(c * s) = c * max(s); -inf rows (nothing valid) keep the old maximum.
  const float m_old = *m;
  const float m_new = n_valid > 0 ? std::max(m_old, row_max * c) : m_old;
  const reg vc = vec::set1(c), vneg_m = vec::set1(-m_new);
  reg vsum = vec::zero();
  j = 0;
  for (; j + w <= n_valid; j += w) {
    const reg p = vec::exp2(vec::fmadd(vec::load(s + j), vc, vneg_m));
    vec::store(s + j, p);
    vsum = vec::add(vsum, p);
  }
  float sum = vec::reduce_add(vsum);
  for (; j < n_valid; ++j) {
    s[j] = std::exp2(s[j] * c - m_new);
    sum += s[j];
  }
  for (; j < n_pad; ++j) s[j] = 0.0f;
  // m starts at -1e30: alpha underflows to 0. Once the maximum settles most rows keep it:
  // alpha is exactly 1 then, without the libm call.
  const float alpha = m_new == m_old ? 1.0f : std::exp2(m_old - m_new);
  *m = m_new;
  *l = *l * alpha + sum;
  return alpha;
}

template <bool bf16>
inline vec::reg load_input(const void* base, std::int64_t index) {
  if constexpr (bf16) {
    return vec::load_bf16(static_cast<const std::uint16_t*>(base) + index);
  } else {
    return vec::load(static_cast<const float*>(base) + index);
  }
}

template <bool bf16>
inline float load_scalar(const void* base, std::int64_t index) {
  if constexpr (bf16) {
    const std::uint32_t bits = static_cast<std::uint32_t>(static_cast<const std::uint16_t*>(base)[index]) << 16;
    float value;
    std::memcpy(&value, &bits, sizeof(value));
    return value;
  } else {
    return static_cast<const float*>(base)[index];
  }
}

// Decode-shaped GEMM with a few rows of C: C(rows x cols) = (C +) A(rows x kc) * B(kc x cols).
// B is read row by row, four rows at a time, each from its start to `cols`, so a thread's reads
// of a contiguous range of rows are four sequential runs the hardware prefetchers follow; C is
// loaded and stored once per four B rows (it stays in the L1 or L2). The columns past the last
// whole vector are done one by one.
template <int rows, bool bf16>
void stream_rows_impl(std::int64_t cols, std::int64_t kc, const float* a, std::int64_t lda, const void* b,
                      std::int64_t ldb, float* c, std::int64_t ldc, bool accumulate) {
  using reg = vec::reg;
  constexpr int w = vec::width;
  const std::int64_t full = cols / w * w;
  if (!accumulate)
    for (int i = 0; i < rows; ++i) std::fill(c + i * ldc, c + i * ldc + cols, 0.0f);
  std::int64_t k = 0;
  for (; k + 4 <= kc; k += 4) {
    // Beyond what the registers hold (three rows on AVX2), the compiler keeps these on the
    // stack and each FMA reads its operand there.
    reg x[rows][4];
#pragma GCC unroll 8
    for (int i = 0; i < rows; ++i)
      for (int q = 0; q < 4; ++q) x[i][q] = vec::broadcast(a + i * lda + k + q);
    for (std::int64_t j = 0; j < full; j += w) {
      reg bq[4];
#pragma GCC unroll 4
      for (int q = 0; q < 4; ++q) bq[q] = load_input<bf16>(b, (k + q) * ldb + j);
#pragma GCC unroll 8
      for (int i = 0; i < rows; ++i) {
        reg acc = vec::load(c + i * ldc + j);
        acc = vec::fmadd(x[i][0], bq[0], acc);
        acc = vec::fmadd(x[i][1], bq[1], acc);
        acc = vec::fmadd(x[i][2], bq[2], acc);
        acc = vec::fmadd(x[i][3], bq[3], acc);
        vec::store(c + i * ldc + j, acc);
      }
    }
  }
  for (; k < kc; ++k) {
    for (std::int64_t j = 0; j < full; j += w) {
      const reg bk = load_input<bf16>(b, k * ldb + j);
      for (int i = 0; i < rows; ++i)
        vec::store(c + i * ldc + j, vec::fmadd(vec::broadcast(a + i * lda + k), bk, vec::load(c + i * ldc + j)));
    }
  }
  for (std::int64_t j = full; j < cols; ++j)
    for (int i = 0; i < rows; ++i) {
      float sum = c[i * ldc + j];
      for (k = 0; k < kc; ++k) sum += a[i * lda + k] * load_scalar<bf16>(b, k * ldb + j);
      c[i * ldc + j] = sum;
    }
}

template <bool bf16, int... r>
void stream_rows_typed(int rows, std::int64_t cols, std::int64_t kc, const float* a, std::int64_t lda, const void* b,
                       std::int64_t ldb, float* c, std::int64_t ldc, bool accumulate,
                       std::integer_sequence<int, r...>) {
  using fn = void (*)(std::int64_t, std::int64_t, const float*, std::int64_t, const void*, std::int64_t, float*,
                      std::int64_t, bool);
  static constexpr fn table[] = {stream_rows_impl<r + 1, bf16>...};
  table[rows - 1](cols, kc, a, lda, b, ldb, c, ldc, accumulate);
}

void stream_rows(int rows, std::int64_t cols, std::int64_t kc, const float* a, std::int64_t lda, const void* b,
                 bool bf16, std::int64_t ldb, float* c, std::int64_t ldc, bool accumulate) {
  constexpr auto all = std::make_integer_sequence<int, isa_kernels::stream_rows_max>{};
  if (bf16) {
    stream_rows_typed<true>(rows, cols, kc, a, lda, b, ldb, c, ldc, accumulate, all);
  } else {
    stream_rows_typed<false>(rows, cols, kc, a, lda, b, ldb, c, ldc, accumulate, all);
  }
}

constexpr std::int64_t decode_chunk = 64;  // keys per online-softmax step (scratch = heads * 64)

// hb query heads (1..4) of one GQA group against `keys` K/V rows: each K and V row is read
// once for all hb heads, which is what makes GQA decode cheaper than hb separate heads.
template <int hb, bool bf16>
void decode_heads(const float* q, const void* k, const void* v, std::int64_t keys, std::int64_t d, float c, float* m,
                  float* l, float* o, float* s) {
  using reg = vec::reg;
  constexpr int w = vec::width;
  const std::int64_t d_vec = d / w * w;
  for (std::int64_t j0 = 0; j0 < keys; j0 += decode_chunk) {
    const std::int64_t n = std::min(decode_chunk, keys - j0);
    // The P.V loop below walks V a column block at a time, down rows d elements apart: a stride
    // the hardware prefetchers follow badly. Ask for the chunk's V rows now, while the score
    // loop streams K, so they are in cache when needed (measured: 2.3x on bf16 decode).
    // The prefetches are spread over the score loop, one V row (and one K row ahead) per key,
    // so they never fill the miss queue at once.
    constexpr std::int64_t element = bf16 ? 2 : 4;
    constexpr std::int64_t k_ahead = 8;  // rows
    const std::int64_t row_bytes = d * element;
    const char* v_chunk = static_cast<const char*>(v) + j0 * row_bytes;
    const char* k_chunk = static_cast<const char*>(k) + j0 * row_bytes;
    const std::int64_t k_rows_left = keys - j0;
    // Scores s[h][j] = q_h . k_j. (An AVX512-BF16 vdpbf16ps version of this loop, with its V
    // prefetches issued per block of 16 keys, measured 1.1-1.5x slower on Emerald Rapids than
    // this one, which widens and spreads one V row's prefetch per key: docs/performance.md.)
    for (std::int64_t j = 0; j < n; ++j) {
      const std::int64_t row = (j0 + j) * d;
      for (std::int64_t off = 0; off < row_bytes; off += 64) {
        __builtin_prefetch(v_chunk + j * row_bytes + off);
        if (j + k_ahead < k_rows_left) __builtin_prefetch(k_chunk + (j + k_ahead) * row_bytes + off);
      }
      reg acc[hb];
#pragma GCC unroll 4
      for (int h = 0; h < hb; ++h) acc[h] = vec::zero();
      for (std::int64_t x = 0; x < d_vec; x += w) {
        const reg kx = load_input<bf16>(k, row + x);
#pragma GCC unroll 4
        for (int h = 0; h < hb; ++h) acc[h] = vec::fmadd(vec::load(q + h * d + x), kx, acc[h]);
      }
#pragma GCC unroll 4
      for (int h = 0; h < hb; ++h) {
        float dot = vec::reduce_add(acc[h]);
        for (std::int64_t x = d_vec; x < d; ++x) dot += q[h * d + x] * load_scalar<bf16>(k, row + x);
        s[h * decode_chunk + j] = dot;
      }
    }
    float alpha[hb];
    for (int h = 0; h < hb; ++h) alpha[h] = softmax_row(s + h * decode_chunk, n, n, c, m + h, l + h);
    // o_h = alpha_h * o_h + sum_j p[h][j] v_j, two vectors of columns at a time.
    std::int64_t x = 0;
    for (; x + 2 * w <= d; x += 2 * w) {
      reg acc0[hb], acc1[hb];
#pragma GCC unroll 4
      for (int h = 0; h < hb; ++h) {
        const reg a = vec::set1(alpha[h]);
        acc0[h] = vec::mul(a, vec::load(o + h * d + x));
        acc1[h] = vec::mul(a, vec::load(o + h * d + x + w));
      }
      for (std::int64_t j = 0; j < n; ++j) {
        const std::int64_t row = (j0 + j) * d;
        const reg v0 = load_input<bf16>(v, row + x), v1 = load_input<bf16>(v, row + x + w);
#pragma GCC unroll 4
        for (int h = 0; h < hb; ++h) {
          const reg p = vec::broadcast(s + h * decode_chunk + j);
          acc0[h] = vec::fmadd(p, v0, acc0[h]);
          acc1[h] = vec::fmadd(p, v1, acc1[h]);
        }
      }
#pragma GCC unroll 4
      for (int h = 0; h < hb; ++h) {
        vec::store(o + h * d + x, acc0[h]);
        vec::store(o + h * d + x + w, acc1[h]);
      }
    }
    for (; x < d; ++x) {  // column tail (d not a multiple of two vectors)
      for (int h = 0; h < hb; ++h) {
        float acc = alpha[h] * o[h * d + x];
        for (std::int64_t j = 0; j < n; ++j) acc += s[h * decode_chunk + j] * load_scalar<bf16>(v, (j0 + j) * d + x);
        o[h * d + x] = acc;
      }
    }
  }
}

template <bool bf16>
void decode_typed(const float* q, std::int64_t heads, const void* k, const void* v, std::int64_t keys, std::int64_t d,
                  float c, float* m, float* l, float* o, float* s) {
  for (std::int64_t h = 0; h < heads; h += 4) {
    const std::int64_t count = std::min<std::int64_t>(4, heads - h);
    switch (count) {
      case 4:
        decode_heads<4, bf16>(q + h * d, k, v, keys, d, c, m + h, l + h, o + h * d, s);
        break;
      case 3:
        decode_heads<3, bf16>(q + h * d, k, v, keys, d, c, m + h, l + h, o + h * d, s);
        break;
      case 2:
        decode_heads<2, bf16>(q + h * d, k, v, keys, d, c, m + h, l + h, o + h * d, s);
        break;
      default:
        decode_heads<1, bf16>(q + h * d, k, v, keys, d, c, m + h, l + h, o + h * d, s);
        break;
    }
  }
}

void decode(const float* q, std::int64_t heads, const void* k, const void* v, bool bf16, std::int64_t keys,
            std::int64_t d, float c, float* m, float* l, float* o, float* scratch) {
  if (bf16) {
    decode_typed<true>(q, heads, k, v, keys, d, c, m, l, o, scratch);
  } else {
    decode_typed<false>(q, heads, k, v, keys, d, c, m, l, o, scratch);
  }
}

isa_kernels make_table(isa id, const char* name) {
  isa_kernels t;
  t.id = id;
  t.name = name;
  t.mr = mr;
  t.nr = nr;
  t.vector_floats = vec::width;
  t.tile_packed = tile_packed;
  t.tile_rows = tile_rows;
  t.stream_tile = stream_tile;
  t.stream_edge = stream_edge;
  t.stream_rows = stream_rows;
  t.softmax_row = softmax_row;
  t.decode = decode;
  return t;
}

}  // namespace
