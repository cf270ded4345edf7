#pragma once
// AMX-BF16 microkernels (isa_amx.cpp, the only file compiled with -mamx-*): the bf16 tile
// matrix multiply that bf16 attention and bf16 GEMM share, the online-softmax step that turns
// f32 scores into bf16 probabilities for it, and the packing of B operands into the layout the
// tile unit reads.
//
// Operands. A is plain bf16 rows: A(i, kk) = a[i * lda + kk]. B is a sequence of VNNI panels
// of 16 columns: within a panel, B(kk, j) = panel[(kk / 2) * 32 + j * 2 + kk % 2], i.e. the
// pairs (kk, kk + 1) of one column are adjacent (tdpbf16ps multiplies such pairs and adds
// both products to one f32 lane). C is f32 rows. Every extent is a multiple of the tile: 32
// rows, 32 columns (two panels), k a multiple of 32; the drivers pad with zeros.
#include <cstdint>

namespace accelbench::cpu_kernels {

struct amx_bf16_kernels {
  static constexpr int tile_rows = 32;   // rows of C per call (two 16-row tiles)
  static constexpr int tile_cols = 32;   // columns of C per call (two 16-column panels)
  static constexpr int panel_cols = 16;  // columns per VNNI panel
  static constexpr int k_step = 32;      // bf16 per tile row: k must be a multiple of this

  // Loads the tile configuration on the calling thread (once per work item) / releases it.
  void (*begin)() = nullptr;
  void (*end)() = nullptr;

  // C(32 x 32) = (accumulate ? C : 0) + A(32 x k) * B(k x 32); the two B panels start at b and
  // b + panel_stride (bf16 elements); C has row stride ldc.
  void (*tile)(std::int64_t k, const std::uint16_t* a, std::int64_t lda, const std::uint16_t* b,
               std::int64_t panel_stride, float* c, std::int64_t ldc, bool accumulate) = nullptr;

  // The online-softmax step of isa_kernels::softmax_row, writing the probabilities as bf16:
  // p[j] = bf16(2^(c s_j - m_new)) for j < n_valid, 0 up to n_pad. m and l are updated (l sums
  // the f32 probabilities); returns alpha = 2^(m_old - m_new).
  float (*softmax_row)(const float* s, std::uint16_t* p, std::int64_t n_valid, std::int64_t n_pad, float c, float* m,
                       float* l) = nullptr;

  // One VNNI panel (k_pad / 2 rows x 16 columns x 2) from a bf16 matrix, zero outside
  // k_count x cols: B(kk, j) = src[kk * ld + j] (rows), or src[j * ld + kk] (transposed: the
  // matrix's columns are rows in memory, as K is for Q K^T).
  void (*pack_panel)(const std::uint16_t* src, std::int64_t ld, bool transposed, std::int64_t k_count,
                     std::int64_t k_pad, std::int64_t cols, std::uint16_t* panel) = nullptr;

  // Panels [0, panel_count) of a block of B rows at once (not transposed: B(kk, j) =
  // src[kk * ld + j]), panel p at panels + p * panel_stride, zero outside k_count x cols; B is
  // read two rows at a time across all the columns (one run per row).
  void (*pack_panels)(const std::uint16_t* src, std::int64_t ld, std::int64_t k_count, std::int64_t k_pad,
                      std::int64_t cols, std::int64_t panel_count, std::uint16_t* panels,
                      std::int64_t panel_stride) = nullptr;
};

// Whether this CPU runs AMX-BF16 and the kernel granted this process the tile state
// (arch_prctl(ARCH_REQ_XCOMP_PERM), asked once). On false, `why` says which part is missing.
bool amx_bf16_available(const char** why = nullptr);
// The kernels; call only when amx_bf16_available().
const amx_bf16_kernels& amx_kernels();

}  // namespace accelbench::cpu_kernels
