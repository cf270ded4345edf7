#pragma once
// GEMM on the same microkernels as the attention (cpu/isa_dispatch.hpp). f32 tiles: op(A)
// packed once in mr-row panels, then each thread owns mc x nc blocks of C over all of k, packing
// its own kc x nc block of B per k block and running each A micro-panel (L1) across the B panels
// (L2); no barrier inside the k loop. f32 or bf16 inputs (bf16 widened to f32 while packing), f32
// accumulation, f32 or bf16 output (bf16 output goes through an f32 workspace and is rounded
// once at the end). Layouts: the ABI's (row-major, A m x k or k x m with trans_a, B k x n or
// n x k with trans_b, dense batches).
// bf16 inputs on a CPU with AMX take the AMX-BF16 tiles instead (the attention's tile kernel):
// B packed in 16-column VNNI panels, A as bf16 rows, 32 x 32 tiles of C, k padded to 32.
// bf16 inputs on a CPU with AVX512-BF16 but no AMX take vdpbf16ps (bf16_dot.hpp): A and B
// packed as bf16 pairs along k, 12 x 32 tiles of C.
// Decode-shaped products (m <= 32, B not transposed) never pack B: the stream kernel reads each
// B element once per call straight from the input, threads split n (up to eight rows: threads
// split k, each reading a contiguous range of B's rows into its own partial C). bf16 ones with
// 12 to 32 rows on AMX pack B into VNNI panels one 512-column slab and 256-row k pass at a
// time, for the tiles. Batches of small products run one whole product per thread (no per-item
// dispatch, packing into per-thread buffers).
#include <cstdint>
#include <string>
#include <vector>

#include "kernels/cpu/aligned_buffer.hpp"
#include "kernels/cpu/cache_info.hpp"
#include "kernels/cpu/isa_dispatch.hpp"
#include "kernels/cpu/thread_pool.hpp"
#include "kernels/spec/workload.hpp"

namespace accelbench::cpu_kernels {

struct gemm_blocking {
  std::int64_t mc = 0, kc = 0, nc = 0;
};

// f32 tiles: kc so the A micro-panel (mr x kc) takes 3/8 of the L1 (at most 384), nc so a
// thread's B block (kc x nc) takes at most half the L2 and there are about four work items per
// thread, mc splitting the rows only when the column blocks are too few. vdpbf16ps: kc so a B
// panel (kc x nr bf16 pairs) fills the L1, mc so the A block fills half the L2, evened out over
// `threads`, nc a quarter of the L3. AMX: the vdpbf16ps rules with 32 x 32 tiles (kc a multiple
// of 32).
gemm_blocking choose_gemm_blocking(const gemm_workload& w, const isa_kernels& kernels, const cache_sizes& caches,
                                   int threads);

bool tiled_gemm_supports(const gemm_workload& w, std::string& why);

// Whether `w` runs on the AMX tiles with these kernels (bf16 inputs, kernels.amx set, not
// decode-shaped).
bool gemm_runs_on_amx(const gemm_workload& w, const isa_kernels& kernels);
// Whether `w` runs on vdpbf16ps with these kernels (bf16 inputs, kernels.bf16_dot set, not
// decode-shaped).
bool gemm_runs_on_bf16_dot(const gemm_workload& w, const isa_kernels& kernels);
// Whether `w` streams B (B not transposed; m <= 32: decode-shaped, memory-bound; or a batch of
// small products, whose B is in cache).
bool gemm_streams_b(const gemm_workload& w);
// Whether each thread runs whole products of the batch (many small products).
bool gemm_parallel_over_batch(const gemm_workload& w, int threads);
// Whether `w` streams B with the threads splitting k (up to isa_kernels::stream_rows_max rows
// of C, one product at a time).
bool gemm_splits_k(const gemm_workload& w, const isa_kernels& kernels, int threads);
// The layout of a k split's partial C, m rows of n (tiled_gemm.cpp says why): its row stride,
// the floats its buffer holds, and where it starts in that buffer when its thread's B rows start
// at b_start (its rows are then 4 KiB / (m + 1) apart modulo 4 KiB, the first one gap past B).
std::int64_t k_split_part_stride(std::int64_t m, std::int64_t n);
std::int64_t k_split_part_floats(std::int64_t m, std::int64_t n);
float* k_split_part_origin(float* buffer, std::int64_t m, const void* b_start);
// Whether `w` streams B on the AMX tiles (bf16 inputs, kernels.amx set, decode-shaped with
// 12 to 32 rows, not whole products per thread): B packed one slab and k pass at a time.
bool gemm_streams_on_amx(const gemm_workload& w, const isa_kernels& kernels, int threads);
// Whether `w` streams B on vdpbf16ps (bf16 inputs, kernels.bf16_dot set and no AMX, decode-shaped
// with 6 to 32 rows, not whole products per thread): B packed one slab and k pass at a time.
bool gemm_streams_on_bf16_dot(const gemm_workload& w, const isa_kernels& kernels, int threads);

class tiled_gemm {
 public:
  tiled_gemm(const gemm_workload& w, const isa_kernels& kernels, thread_pool& pool, gemm_blocking blocking = {});
  void run(const void* a, const void* b, void* c);
  std::string description() const;
  std::int64_t workspace_bytes() const;

 private:
  void run_amx(const void* a, const void* b, void* c);
  void run_amx_stream(const void* a, const void* b, void* c);
  void run_stream(const void* a, const void* b, void* c);
  // Up to eight rows of C: each thread streams a contiguous range of B's rows into its own
  // partial C, and the partials are summed.
  void run_k_split(const void* a, const void* b, void* c);
  void run_bf16_dot(const void* a, const void* b, void* c);
  void run_bf16_dot_stream(const void* a, const void* b, void* c);
  // The bf16 stream paths (AMX, vdpbf16ps): op(A) of one product as m bf16 rows lda apart, zero
  // past k; and C's rows of one slab (columns j0 .. j0 + cols, row stride ld) into C, as f32 or bf16.
  void copy_a_bf16_rows(const std::uint16_t* a, std::uint16_t* rows, std::int64_t lda) const;
  void store_c_slab(const float* slab, std::int64_t ld, std::int64_t j0, std::int64_t cols, void* c) const;
  // op(A) of one product as f32 rows: A itself, or this thread's widened/transposed copy.
  const float* a_rows(const void* a, int thread);
  // Columns [j0, j1) of one product with B streamed, on the calling thread.
  void stream_columns(const float* rows, const void* b, float* c, std::int64_t j0, std::int64_t j1, int thread);
  // One whole product on the calling thread with its own buffers (packed B and A).
  void product_on_thread(const void* a, const void* b, float* c, int thread);
  // The packed-B block product: columns [jc, jc + nc) x k-block [pc, pc + kc) of C over the row
  // blocks and panels given.
  void pack_b_panels(const void* b, std::int64_t jc, std::int64_t pc, std::int64_t kc, std::int64_t p0, std::int64_t p1,
                     float* packed) const;
  // op(A) rows [row0, row0 + mr) x k [pc, pc + kc) as one mr-row panel (zero rows past m).
  void pack_a_panel(const void* a, std::int64_t row0, std::int64_t pc, std::int64_t kc, float* panel) const;
  // One work item of the f32 path: C rows [ic, ic + mc) x columns [jc, jc + nc), all of k.
  void owned_block(const void* b, float* c, std::int64_t jc, std::int64_t nc, std::int64_t ic, std::int64_t mc,
                   int thread);
  void block_product(const void* a, const float* packed_b, float* c, std::int64_t jc, std::int64_t pc, std::int64_t kc,
                     std::int64_t ic, std::int64_t mc, std::int64_t p0, std::int64_t p1, int thread);

  gemm_workload m_w;
  const isa_kernels& m_k;
  thread_pool& m_pool;
  gemm_blocking m_block;
  aligned_buffer m_b_packed;                // kc x nc block of B
  aligned_buffer m_c_f32;                   // one batch of C when the output is bf16
  aligned_buffer m_a_all;                   // f32 path: all of op(A) in mr-row panels, k block by k block
                                            // (AMX stream: op(A) as 32 bf16 rows; vdpbf16ps stream:
                                            // as m bf16 rows)
  std::vector<aligned_buffer> m_a_packed;   // per thread (over batch): mc x kc block of A
  std::vector<aligned_buffer> m_edge;       // per thread: one mr x nr tile for partial tiles (stream:
                                            // bf16 B's column tail widened, one k pass)
  const amx_bf16_kernels* m_amx = nullptr;  // set: bf16 on AMX (B and A packed as bf16)
  const bf16_dot_kernels* m_dot = nullptr;  // set: bf16 on vdpbf16ps (B and A packed in bf16 pairs)
  bool m_stream = false;                    // decode-shaped: B streamed, never packed
  bool m_over_batch = false;                // one whole product per thread
  std::int64_t m_k_pass = 0;                // stream: rows of B per pass (op(A)'s columns copied per pass)
  bool m_k_split = false;                   // stream, up to eight rows: threads split k, not n
  std::vector<aligned_buffer> m_c_part;     // per k range (k split): room for its partial C, m rows
  std::vector<const float*> m_c_part_at;    // per k range: where this call's partial C starts in it
  std::vector<aligned_buffer> m_a_rows;     // per thread (stream): op(A) as f32 rows, when not already
  std::vector<aligned_buffer> m_a_block;    // per thread (stream): one k pass of op(A), compact rows, then
                                            // one block of B for the row chunks after the first
  std::vector<aligned_buffer> m_c_slab;     // per thread (stream, not over batch): one slab of C, compact rows
                                            // (AMX stream: 32 f32 rows)
  std::vector<aligned_buffer> m_b_thread;   // per thread (f32 path, over batch; AMX and vdpbf16ps stream):
                                            // its packed B block
  std::vector<aligned_buffer> m_c_thread;   // per thread (over batch, bf16 output): one f32 product
};

}  // namespace accelbench::cpu_kernels
