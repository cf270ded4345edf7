#pragma once
// Fused ("flash") attention forward on the CPU: Q, K, V in the ABI layout
// (Q[b][hq][sq][d], K/V[b][hkv][skv][d], f32 or bf16), output in f32 or bf16.
//
// Prefill: per (batch, query head, query tile of `query_tile` rows) the kernel walks key tiles of
// `key_tile` keys with an online softmax (running max m, running sum l, rescaled f32 output
// accumulator), so the sq x skv score matrix never exists: workspace is the packed K and V
// (one copy: f32 panels, or bf16 pair-interleaved panels where bf16 runs on AMX tiles or on
// vdpbf16ps) plus a few tiles per thread, O(S·D). Causal key tiles beyond a query tile's
// last visible key are never computed; tiles on the diagonal mask per row. With a sliding
// window, key tiles before a query tile's first visible key are never computed either, and the
// tiles on the window's edge mask per row from below. GQA: query head h
// reads K/V head h / (hq / hkv), packed once and shared by the group.
// Decode (sq == 1): per (batch, KV head, key split) all query heads of the group read each K/V
// row once, straight from the input (no packing: it is memory-bound); key splits are combined
// with their (m, l) afterwards.
#include <cstdint>
#include <string>
#include <vector>

#include "kernels/cpu/aligned_buffer.hpp"
#include "kernels/cpu/cache_info.hpp"
#include "kernels/cpu/isa_dispatch.hpp"
#include "kernels/cpu/thread_pool.hpp"
#include "kernels/spec/workload.hpp"

namespace accelbench::cpu_kernels {

struct attention_tiles {
  std::int64_t query_tile = 0;  // rows per query tile, a multiple of the kernels' mr
  std::int64_t key_tile = 0;    // keys per key tile, a multiple of the kernels' nr
};

// Whether `w` runs its prefill on the AMX tiles with these kernels (bf16 inputs, sq > 1,
// kernels.amx set); the probabilities are then rounded to bf16 before P.V.
bool attention_runs_on_amx(const attention_workload& w, const isa_kernels& kernels);

// Whether `w` runs its prefill on vdpbf16ps (bf16 inputs, sq > 1, kernels.bf16_attention set,
// no AMX); the probabilities are then rounded to bf16 before P.V, as on AMX.
bool attention_runs_on_bf16_dot(const attention_workload& w, const isa_kernels& kernels);

// Whether the probabilities are rounded to bf16 before P.V (AMX or vdpbf16ps prefill).
bool attention_rounds_probabilities(const attention_workload& w, const isa_kernels& kernels);

// What tile sizes must be multiples of for `w` on these kernels: (mr, nr) of the f32 tile
// kernel, (32, 32) where bf16 prefill runs on AMX tiles, (12, 32) where it runs on vdpbf16ps.
attention_tiles attention_tile_granule(const attention_workload& w, const isa_kernels& kernels);

// Tiles such that a query tile's Q, S and O and a key tile's K and V use about half the L2.
attention_tiles choose_attention_tiles(const attention_workload& w, const isa_kernels& kernels,
                                       const cache_sizes& caches);

// Whether `w` runs on this kernel: f32 or bf16 inputs, f32 or bf16 output, f32 accumulation.
// On false, `why` says what is accepted.
bool flash_attention_supports(const attention_workload& w, std::string& why);

class flash_attention {
 public:
  // Allocates all workspace (never timed). tiles == {} picks choose_attention_tiles.
  flash_attention(const attention_workload& w, const isa_kernels& kernels, thread_pool& pool,
                  attention_tiles tiles = {});
  void run(const void* q, const void* k, const void* v, void* out);

  bool uses_decode_path() const { return m_decode; }
  const attention_tiles& tiles() const { return m_tiles; }
  std::int64_t workspace_bytes() const;
  std::string description() const;

 private:
  void run_prefill(const void* q, const void* k, const void* v, void* out);
  void run_decode(const void* q, const void* k, const void* v, void* out);
  void pack_kv(const void* k, const void* v);
  // One prefill work item: a query tile of one (batch, query head).
  struct query_tile_span {
    std::int64_t first_row = 0, rows = 0;  // query rows [first_row, first_row + rows)
    std::int64_t out_base = 0;             // element offset of its first row in Q and O
    std::int64_t kv = 0;                   // batch * hkv + K/V head
    std::int64_t last_limit = 0;           // keys visible to its last (most-seeing) row
    std::int64_t first_start = 0;          // first key visible to its first row (sliding window)
    std::int64_t key_begin = 0;            // first key tile's start: first_start rounded down to a granule
  };
  // Work item -> tile, costly (late, causal) tiles first so the dynamic schedule ends balanced.
  query_tile_span locate_query_tile(std::int64_t item) const;
  // Keys visible to row r of the tile are [key_start, key_limit) (rows past the tile count as its
  // last row).
  std::int64_t key_limit(const query_tile_span& t, std::int64_t r) const;
  std::int64_t key_start(const query_tile_span& t, std::int64_t r) const;
  // A tile with no visible key (causal, sq > skv) is all zeros: written, true.
  bool write_if_fully_masked(const query_tile_span& t, void* out) const;
  void query_tile(const void* q, void* out, std::int64_t item, int thread);
  void pack_kv_amx(const void* k, const void* v);
  void query_tile_amx(const void* q, void* out, std::int64_t item, int thread);
  void pack_kv_bf16_dot(const void* k, const void* v);
  void query_tile_bf16_dot(const void* q, void* out, std::int64_t item, int thread);

  attention_workload m_w;
  const isa_kernels& m_k;
  thread_pool& m_pool;
  attention_tiles m_tiles;
  bool m_decode = false;
  bool m_bf16_in = false;
  // bf16 prefill on AMX tiles (nullptr: the f32 tile kernel). K and V are then packed as bf16
  // VNNI panels of 16 keys / 16 columns, d and skv padded to multiples of 32.
  const amx_bf16_kernels* m_amx = nullptr;
  std::int64_t m_d_amx = 0, m_skv_amx = 0;
  // bf16 prefill on vdpbf16ps (nullptr: not this path). K is packed in panels of 32 keys with
  // pairs along d (d padded to even), V in panels of 32 columns with pairs along the keys (d
  // padded to 32, skv to 32).
  const bf16_attention_kernels* m_dot = nullptr;
  std::int64_t m_d_even = 0, m_d_cols = 0, m_skv_dot = 0;
  float m_c = 0.0f;  // softmax scale * log2(e)
  std::int64_t m_group = 1, m_d_pad = 0, m_key_panels = 0, m_value_panels = 0, m_query_tiles = 0;
  std::int64_t m_splits = 1, m_split_keys = 0;
  aligned_buffer m_k_packed, m_v_packed;  // prefill: [b][hkv][key panel][d][nr], [b][hkv][column panel][skv][nr]
  aligned_buffer m_partial;               // decode: per item [group][d + 2] (o, then m, l)
  struct scratch {
    aligned_buffer q, s, o, m, l, alpha;
    aligned_buffer p;  // AMX and vdpbf16ps paths: the probabilities as bf16 (Q is bf16 in `q` too)
  };
  std::vector<scratch> m_scratch;  // one per pool thread
};

}  // namespace accelbench::cpu_kernels
