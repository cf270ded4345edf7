#pragma once
// The CPU microkernels of the `native` backend, one table per instruction set, chosen at run
// time from CPUID. Each ISA's kernels live in their own translation unit compiled with that
// ISA's -m flags (isa_avx2.cpp, isa_avx512.cpp, isa_amx.cpp); nothing else in the
// program is compiled with them, so a binary built here runs on any x86-64 with AVX2+FMA.
#include <cstdint>
#include <string>

#include "kernels/cpu/amx_bf16.hpp"
#include "kernels/cpu/bf16_attention.hpp"
#include "kernels/cpu/bf16_dot.hpp"

namespace accelbench::cpu_kernels {

// avx512bf16: the avx512 table plus the vdpbf16ps GEMM and prefill-attention kernels (CPUs with
// AVX512-BF16, no AMX).
// amx: the avx512 table plus the AMX-BF16 kernels, which bf16 attention and GEMM then use.
enum class isa { invalid = 0, avx2, avx512, avx512_bf16, amx };
std::string to_string(isa value);
// "avx2" | "avx512" | "avx512bf16" | "amx"; invalid for anything else.
isa isa_from_string(const std::string& text);

// The microkernels the attention and GEMM drivers are written against.
//
// Tiles: an mr x nr block of C (nr = 2 vector widths), C(i, j) = beta_i * C(i, j) +
// sum_k A(i, k) * B(k, j), where B is a packed panel B[k * nr + j] and beta_i is 0
// (accumulate == false), 1 (row_scale == nullptr) or row_scale[i]. Rows and columns are
// always full: the drivers pad their buffers so no tile has an edge.
struct isa_kernels {
  isa id = isa::invalid;
  const char* name = "";  // for plan descriptions: "avx2+fma"
  int mr = 0;             // tile rows
  int nr = 0;             // tile columns (a multiple of the vector width)
  int vector_floats = 0;  // f32 lanes per vector register

  // A packed in mr-row panels: A(i, k) = a[k * mr + i] (the GEMM's A, the attention's Q).
  void (*tile_packed)(std::int64_t kc, const float* a, const float* b, float* c, std::int64_t ldc,
                      const float* row_scale, bool accumulate) = nullptr;
  // A as rows: A(i, k) = a[i * lda + k] (the attention's probabilities P).
  void (*tile_rows)(std::int64_t kc, const float* a, std::int64_t lda, const float* b, float* c, std::int64_t ldc,
                    const float* row_scale, bool accumulate) = nullptr;

  // Decode-shaped GEMM, B streamed from the input instead of packed: C(i, j) = [C(i, j) +]
  // sum_k a[i * lda + k] * B(k, j) for i < rows (1..mr) and j < nr, B(k, j) the element
  // k * ldb + j of b, f32 or bf16 (bf16 == true). `prefetch` > 0: each B row is prefetched that
  // many elements ahead. `copy` != nullptr: the kernel also writes the B block it read as f32,
  // copy[k * nr + j], for the other row chunks to read (ldb = nr, bf16 = false).
  void (*stream_tile)(int rows, std::int64_t kc, const float* a, std::int64_t lda, const void* b, bool bf16,
                      std::int64_t ldb, float* c, std::int64_t ldc, bool accumulate, std::int64_t prefetch,
                      float* copy) = nullptr;

  // The same for the columns past the last whole nr block: j < cols (1 .. nr - 1), B f32 only,
  // C and B touched only in those columns (masked loads and stores).
  void (*stream_edge)(int rows, int cols, std::int64_t kc, const float* a, std::int64_t lda, const float* b,
                      std::int64_t ldb, float* c, std::int64_t ldc, bool accumulate) = nullptr;

  // Decode-shaped GEMM with `rows` (1 .. stream_rows_max) rows of C: C (row stride ldc) =
  // (C +) A (row stride lda) * B (kc x cols, f32 or bf16, row stride ldb), B read row by row in
  // sequential runs of `cols`; C is overwritten when accumulate is false.
  static constexpr int stream_rows_max = 8;
  void (*stream_rows)(int rows, std::int64_t cols, std::int64_t kc, const float* a, std::int64_t lda, const void* b,
                      bool bf16, std::int64_t ldb, float* c, std::int64_t ldc, bool accumulate) = nullptr;

  // One online-softmax step for one query row (exp2 domain: c = scale * log2(e)).
  // s[0, n_valid) holds raw scores q.k; they are replaced by p_j = 2^(c s_j - m_new), and
  // s[n_valid, n_pad) by 0. m (running max of c*s) and l (running sum of p) are updated;
  // returns alpha = 2^(m_old - m_new), the factor the row's output accumulator must take.
  float (*softmax_row)(float* s, std::int64_t n_valid, std::int64_t n_pad, float c, float* m, float* l) = nullptr;

  // Decode (few queries, memory-bound): `heads` query rows q[heads][d] (f32) against keys
  // [0, keys) of one K/V head, stored row-major with row stride d as f32 or bf16 (bf16 == true).
  // Online softmax state per head: m[heads], l[heads], unnormalized o[heads][d], updated in
  // place (start from m = -1e30, l = 0, o = 0). scratch holds heads * 64 floats.
  void (*decode)(const float* q, std::int64_t heads, const void* k, const void* v, bool bf16, std::int64_t keys,
                 std::int64_t d, float c, float* m, float* l, float* o, float* scratch) = nullptr;

  // Set only in the amx table: bf16 prefill attention and bf16 GEMM run on these tiles.
  const amx_bf16_kernels* amx = nullptr;
  // Set only in the avx512bf16 table: bf16 GEMM runs on vdpbf16ps.
  const bf16_dot_kernels* bf16_dot = nullptr;
  // Set only in the avx512bf16 table: bf16 prefill attention runs on vdpbf16ps.
  const bf16_attention_kernels* bf16_attention = nullptr;
};

// The best ISA this CPU (and OS) supports (amx, then avx512bf16, then avx512, then avx2), or the
// one ACCELBENCH_NATIVE_ISA=avx2|avx512|avx512bf16|amx names; a value that is not one of those, or names an ISA
// this CPU cannot run, throws std::invalid_argument naming the variable and the accepted
// values. nullptr when the CPU lacks AVX2+FMA.
const isa_kernels* select_kernels();
// The table for one ISA, or nullptr when this CPU cannot run it.
const isa_kernels* kernels_for(isa id);
// Per-ISA tables (each defined in its own -m compiled file; call only when supported).
const isa_kernels& avx2_kernels();
const isa_kernels& avx512_kernels();
const isa_kernels& amx_table();
const isa_kernels& avx512_bf16_table();

}  // namespace accelbench::cpu_kernels
