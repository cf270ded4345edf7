#include "kernels/cpu/tiled_gemm.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "kernels/cpu/gemm_packing.hpp"

namespace accelbench::cpu_kernels {
namespace {

std::int64_t round_up(std::int64_t x, std::int64_t to) { return (x + to - 1) / to * to; }
std::int64_t ceil_div(std::int64_t x, std::int64_t to) { return (x + to - 1) / to; }

inline float load_in(const void* base, bool bf16, std::int64_t index) {
  if (bf16) {
    const std::uint32_t wide = static_cast<std::uint32_t>(static_cast<const std::uint16_t*>(base)[index]) << 16;
    float value;
    std::memcpy(&value, &wide, sizeof(value));
    return value;
  }
  return static_cast<const float*>(base)[index];
}

// One product's f32 result, rounded once to bf16 output (round to nearest even).
void store_bf16(const float* cf, void* out, std::int64_t count) {
  auto* bits = static_cast<std::uint16_t*>(out);
  for (std::int64_t i = 0; i < count; ++i) bits[i] = float_to_bf16_bits(cf[i]);
}

// Rows of a C tile into L2 ahead of the kernel's loads at its start. C rows n floats apart fall
// in the same L1 sets (all of them when n is a multiple of 1024), so the next tile is fetched
// into L2 only, where it does not evict the tile being computed.
void prefetch_c_tile(const float* c, std::int64_t ldc, std::int64_t rows, std::int64_t cols) {
  for (std::int64_t r = 0; r < rows; ++r)
    for (std::int64_t x = 0; x < cols; x += 16) __builtin_prefetch(c + r * ldc + x, 1, 2);
}

// One vdpbf16ps panel (bf16_dot.hpp): `count` lines (A rows or B columns) from `first` on, k
// from pc to pc + kc, as pairs along k: panel[(kk / 2) * 2 * width + 2 * line + kk % 2], k
// padded to even with a zero. `strided_k`: element (line, kk) lies at src[kk * ld + line] (an
// untransposed B, a transposed A), so a pair's elements come from two rows and are interleaved;
// else at src[line * ld + kk] (an untransposed A, a transposed B), where a pair is one 32-bit
// word and the panel is a transpose of words. The caller zeroes lines past `count`.
void pack_bf16_pairs(const std::uint16_t* src, std::int64_t ld, bool strided_k, std::int64_t first, std::int64_t pc,
                     std::int64_t count, std::int64_t kc, std::int64_t width, std::uint16_t* panel) {
  const std::int64_t whole_pairs = kc / 2;
  if (strided_k) {
    for (std::int64_t q = 0; q < ceil_div(kc, 2); ++q) {
      const std::uint16_t* row = src + (pc + 2 * q) * ld + first;
      interleave_pairs(row, 2 * q + 1 < kc ? row + ld : nullptr, count, panel + q * 2 * width);
    }
    return;
  }
  transpose_words(src + first * ld + pc, ld * 2, count, whole_pairs, reinterpret_cast<std::uint32_t*>(panel), width);
  if (kc % 2 == 0) return;
  std::uint16_t* last = panel + whole_pairs * 2 * width;  // odd kc: the last pair is (kk, 0)
  for (std::int64_t x = 0; x < count; ++x) {
    last[2 * x] = src[(first + x) * ld + pc + kc - 1];
    last[2 * x + 1] = 0;
  }
}

}  // namespace

bool tiled_gemm_supports(const gemm_workload& w, std::string& why) {
  const bool in_ok = w.dt.in == dtype::f32 || w.dt.in == dtype::bf16;
  const bool out_ok = w.dt.out == dtype::f32 || w.dt.out == dtype::bf16;
  if (!in_ok || !out_ok || w.dt.acc != dtype::f32) {
    why = fmt::format("native GEMM takes f32 or bf16 inputs, f32 or bf16 output and f32 accumulation; not dt={}:{}:{}",
                      to_string(w.dt.in), to_string(w.dt.out), to_string(w.dt.acc));
    return false;
  }
  return true;
}

// Decode-shaped: few rows, so the product is bound by reading B; packing B would read it twice.
constexpr std::int64_t stream_max_rows = 32;
// Stream path: columns per work item (threads split n in these), k rows per pass over them.
// Wider, shallower passes read longer runs of each B row: 512 x 32 streamed B at 1.1-1.3x the
// rate of 256 x 64 at m = 8, 16 and 32 (CPU time per thread; docs/performance.md).
constexpr std::int64_t stream_slab = 512, stream_k_block = 32;
// Rows of A or B at most this many bytes apart are read where they are: a chunk's 12 A rows and a
// pass's 32 B rows spread over at least 8 of the L1's 64 sets, few enough per set for its ways.
constexpr std::int64_t stream_near_bytes = 512;
// Products up to this many multiply-adds run whole on one thread when the batch feeds the threads.
constexpr std::int64_t small_product_macs = std::int64_t{1} << 24;
// Decode-shaped bf16 products on AMX: B packed into VNNI panels one slab of columns and one k pass
// at a time (runs of 1 KiB along each B row, 256 KiB of panels in the L2), op(A) padded to the 32
// rows of a tile pair, its rows 64 bytes longer than k so that a tile's 16 rows do not share
// one L1 set (m = 32: 2.9 against 3.7 ms hot). From 12 rows: below, the widening stream kernel
// is faster (m = 8, n = k = 4096: 2.9 against 3.5 ms; m = 12: 3.6 against 3.3).
constexpr std::int64_t amx_stream_min_rows = 12, amx_stream_slab = 512, amx_stream_k_block = 256;
// Decode-shaped bf16 products on vdpbf16ps (no AMX): B packed into pair panels one slab of
// columns and one k pass at a time (read along its rows; 256 KiB of panels in the L2), op(A) as
// bf16 rows 64 bytes longer than k, so that its rows do not share one L1 set. From 6 rows:
// below, the widening k split is as fast or faster (Zen 5, n = k = 4096, cold, medians of five
// alternating rounds: m = 4 1.46 against 1.40 ms, m = 6 1.37 against 1.64, m = 16 1.80 against
// 2.44, m = 32 2.65 against 4.41; docs/performance.md).
constexpr std::int64_t dot_stream_min_rows = 6;
constexpr std::int64_t dot_stream_slab = 512, dot_stream_k_block = 256;
// The stream paths' op(A) rows are this much longer than k (rounded up to their kernel's k step).
constexpr std::int64_t stream_a_row_pad = 32;      // bf16
constexpr std::int64_t dot_stream_panel_pad = 32;  // bf16
// A product's C up to this size is prefetched for writing before the product runs.
constexpr std::int64_t prefetch_c_max_bytes = 32 * 1024;
// A whole batch of streamed products this small runs on the calling thread alone.
constexpr std::int64_t tiny_batch_macs = std::int64_t{1} << 20;

bool gemm_streams_b(const gemm_workload& w) {
  // Small products of a batch stream too: their B is in cache, so packing it only costs.
  return !w.trans_b && (w.m <= stream_max_rows || (w.batch > 1 && w.m * w.n * w.k <= small_product_macs));
}

bool gemm_parallel_over_batch(const gemm_workload& w, int threads) {
  return w.batch >= threads && threads > 1 && w.m * w.n * w.k <= small_product_macs;
}

// A k split's partial C (m rows) is placed against its B rows modulo 4 KiB, the span within which
// the L1 picks a set and the core first compares a load's address with older stores'. Its rows
// are `part_gap` apart there and its first row one gap past B's first element, so its rows, and
// B's rows (all at one offset when B's rows are a multiple of 4 KiB long), are at least a gap
// apart: never in one L1 set at a column, and a load of B or C a few columns later is never
// held behind a store to another row at the same low address bits ("4K aliasing"; at n = 4096,
// B hot in the L3: m = 8 f32 in 0.89-0.94x the time of rows one line apart; docs/performance.md).
namespace {
constexpr std::int64_t page_floats = 1024;                                         // 4 KiB
std::int64_t part_gap(std::int64_t m) { return page_floats / (m + 1) / 16 * 16; }  // floats, whole lines
}  // namespace

std::int64_t k_split_part_stride(std::int64_t m, std::int64_t n) { return round_up(n, page_floats) + part_gap(m); }
std::int64_t k_split_part_floats(std::int64_t m, std::int64_t n) { return m * k_split_part_stride(m, n) + page_floats; }

float* k_split_part_origin(float* buffer, std::int64_t m, const void* b_start) {
  const auto page = static_cast<std::uintptr_t>(page_floats * sizeof(float));
  const auto target =
      reinterpret_cast<std::uintptr_t>(b_start) + static_cast<std::uintptr_t>(part_gap(m)) * sizeof(float);
  const std::uintptr_t shift = (target - reinterpret_cast<std::uintptr_t>(buffer)) % page / 64 * 64;
  return buffer + shift / sizeof(float);
}

bool gemm_splits_k(const gemm_workload& w, const isa_kernels& kernels, int threads) {
  return kernels.stream_rows != nullptr && w.m <= isa_kernels::stream_rows_max && gemm_streams_b(w) &&
         !gemm_parallel_over_batch(w, threads);
}

bool gemm_streams_on_amx(const gemm_workload& w, const isa_kernels& kernels, int threads) {
  return kernels.amx != nullptr && w.dt.in == dtype::bf16 && w.m >= amx_stream_min_rows && w.m <= stream_max_rows &&
         gemm_streams_b(w) && !gemm_parallel_over_batch(w, threads);
}

bool gemm_streams_on_bf16_dot(const gemm_workload& w, const isa_kernels& kernels, int threads) {
  return kernels.bf16_dot != nullptr && kernels.amx == nullptr && w.dt.in == dtype::bf16 &&
         w.m >= dot_stream_min_rows && w.m <= stream_max_rows && gemm_streams_b(w) &&
         !gemm_parallel_over_batch(w, threads);
}

bool gemm_runs_on_bf16_dot(const gemm_workload& w, const isa_kernels& kernels) {
  return kernels.bf16_dot != nullptr && w.dt.in == dtype::bf16 && !gemm_streams_b(w);
}

bool gemm_runs_on_amx(const gemm_workload& w, const isa_kernels& kernels) {
  return kernels.amx != nullptr && w.dt.in == dtype::bf16 && !gemm_streams_b(w);
}

gemm_blocking choose_gemm_blocking(const gemm_workload& w, const isa_kernels& kernels, const cache_sizes& caches,
                                   int threads) {
  gemm_blocking b;
  if (gemm_runs_on_amx(w, kernels)) {
    constexpr std::int64_t tile = amx_bf16_kernels::tile_rows;  // 32 rows, columns and k
    b.kc = std::clamp<std::int64_t>(caches.l1d / 2 / (tile * 2) / tile * tile, tile, 512);
    b.kc = std::min(b.kc, round_up(w.k, tile));
    const std::int64_t mc_max = std::max<std::int64_t>(tile, caches.l2 / 2 / (b.kc * 2) / tile * tile);
    const std::int64_t blocks = round_up(ceil_div(w.m, mc_max), threads);
    b.mc = std::min(mc_max, round_up(ceil_div(w.m, blocks), tile));
    b.nc = std::max<std::int64_t>(tile, caches.l3 / 4 / (b.kc * 2) / tile * tile);
    b.nc = std::min(b.nc, round_up(w.n, tile));
    return b;
  }
  if (gemm_runs_on_bf16_dot(w, kernels)) {
    // The B panel (kc x nr bf16 pairs) fills the L1: every C tile is loaded and stored once per
    // kc, so a deeper kc halves that traffic (measured: kc = 768 took 0.85x the CPU time of 384
    // at 4096^3 on Emerald Rapids; docs/performance.md).
    constexpr std::int64_t element = 2;
    b.kc = std::clamp<std::int64_t>(caches.l1d / (kernels.nr * element), 64, 768) / 2 * 2;
    b.kc = std::min(b.kc, w.k);
    const std::int64_t mc_max =
        std::max<std::int64_t>(kernels.mr, caches.l2 / 2 / (b.kc * element) / kernels.mr * kernels.mr);
    const std::int64_t blocks = round_up(ceil_div(w.m, mc_max), threads);
    b.mc = std::min(mc_max, round_up(ceil_div(w.m, blocks), kernels.mr));
    b.nc = std::max<std::int64_t>(kernels.nr, caches.l3 / 4 / (b.kc * element) / kernels.nr * kernels.nr);
    b.nc = std::min(b.nc, round_up(w.n, kernels.nr));
    return b;
  }
  // f32 tiles (bf16 widened while packing). The A micro-panel (mr x kc) stays in 3/8 of the L1
  // while the tile walks the B panels, which stream from the L2: the kernel ran at 1.2-1.4x the
  // rate it had the other way round (B panel resident in the L1, A streaming: broadcasts that
  // miss the L1 stall the FMAs; docs/performance.md, 2026-12-06 evening). 384 deep on AVX-512
  // (18 KiB of a 48 KiB L1) measured 3 % faster than 256, within the noise, and passes over C
  // 11 times at k = 4096 instead of 16. At most 384 kernel steps: the 6 x 16 AVX2 tile ran 1.13x
  // slower at kc = 768 than at 256.
  b.kc = std::clamp<std::int64_t>(caches.l1d * 3 / 8 / (kernels.mr * 4), 64, 384);
  b.kc = std::min(b.kc, w.k);
  // Work items of nc columns x mc rows, each a thread's own from the first k block to the last
  // (no barrier inside the k loop): its packed B block (kc x nc) fills at most half the L2, and
  // there are about four items per thread, so a thread the OS deschedules for a while holds up
  // a quarter of its share, not all of it.
  const std::int64_t items = threads > 1 ? 4 * std::int64_t{threads} : 1;  // 1: whole products per thread
  const std::int64_t nc_max = std::max<std::int64_t>(kernels.nr, caches.l2 / 2 / (b.kc * 4) / kernels.nr * kernels.nr);
  b.nc = std::min(nc_max, round_up(ceil_div(w.n, items), kernels.nr));
  const std::int64_t row_chunks = std::max<std::int64_t>(1, ceil_div(items, ceil_div(w.n, b.nc)));
  b.mc = round_up(ceil_div(w.m, row_chunks), kernels.mr);
  return b;
}

tiled_gemm::tiled_gemm(const gemm_workload& w, const isa_kernels& kernels, thread_pool& pool, gemm_blocking blocking)
    : m_w(w), m_k(kernels), m_pool(pool) {
  std::string why;
  if (!tiled_gemm_supports(w, why)) throw std::invalid_argument(why);
  m_block = blocking.mc > 0 ? blocking : choose_gemm_blocking(w, kernels, host_cache_sizes(), pool.size());
  if (gemm_runs_on_amx(w, kernels)) {
    constexpr std::int64_t tile = amx_bf16_kernels::tile_rows;
    if (m_block.mc % tile != 0 || m_block.nc % tile != 0 || m_block.kc % tile != 0 || m_block.kc <= 0)
      throw std::invalid_argument("GEMM blocking on AMX: mc, kc and nc must be positive multiples of 32");
    m_amx = kernels.amx;
    m_b_packed = aligned_buffer(m_block.kc * m_block.nc / 2);  // bf16
    if (w.dt.out != dtype::f32) m_c_f32 = aligned_buffer(w.m * w.n);
    for (int t = 0; t < pool.size(); ++t) {
      m_a_packed.emplace_back(m_block.mc * m_block.kc / 2);  // bf16
      m_edge.emplace_back(tile * tile);
    }
    return;
  }
  m_over_batch = gemm_parallel_over_batch(w, pool.size());
  if (gemm_streams_on_amx(w, kernels, pool.size())) {
    constexpr std::int64_t tile = amx_bf16_kernels::tile_rows;
    m_amx = kernels.amx;
    m_stream = true;
    m_a_all = aligned_buffer(tile * (round_up(w.k, tile) + stream_a_row_pad) / 2);  // bf16: op(A), 32 rows
    for (int t = 0; t < pool.size(); ++t) {
      m_b_thread.emplace_back(amx_stream_slab * amx_stream_k_block / 2);  // bf16 VNNI panels
      m_c_slab.emplace_back(tile * amx_stream_slab);
    }
    return;
  }
  if (gemm_streams_on_bf16_dot(w, kernels, pool.size())) {
    m_dot = kernels.bf16_dot;
    m_stream = true;
    m_a_all = aligned_buffer(ceil_div(w.m * (round_up(w.k, 2) + stream_a_row_pad), 2));  // bf16: op(A) as rows
    for (int t = 0; t < pool.size(); ++t) {
      m_b_thread.emplace_back((dot_stream_slab * dot_stream_k_block +  // bf16 pair panels
                               dot_stream_slab / bf16_dot_kernels::nr * dot_stream_panel_pad) /
                              2);
      m_c_slab.emplace_back(w.m * (dot_stream_slab + 16));
    }
    return;
  }
  if (gemm_splits_k(w, kernels, pool.size())) {
    m_stream = true;
    m_k_split = true;
    m_a_rows.emplace_back(w.dt.in == dtype::f32 && !w.trans_a ? 0 : w.m * w.k);  // the caller's, as for slabs
    for (int t = 0; t < pool.size(); ++t) m_c_part.emplace_back(k_split_part_floats(w.m, w.n));
    m_c_part_at.resize(m_c_part.size());
    if (w.dt.out != dtype::f32) m_c_f32 = aligned_buffer(w.m * w.n);
    return;
  }
  if (gemm_streams_b(w)) {
    m_stream = true;
    // A small product of a batch is in the L1 or L2 whole: with op(A)'s rows read in place, one
    // pass over all of k loads and stores each C tile once instead of once per 32 rows of B
    // (m = 40, n = 40, k = 64: 0.8x the time on Zen 3; docs/performance.md).
    m_k_pass = m_over_batch && w.k * 4 <= stream_near_bytes ? w.k : stream_k_block;
    // op(A) is read in place when it is f32 rows already; else each thread widens a copy.
    const bool a_as_rows = w.dt.in == dtype::f32 && !w.trans_a;
    for (int t = 0; t < pool.size(); ++t) {
      m_a_rows.emplace_back(a_as_rows ? 0 : w.m * w.k);
      m_c_thread.emplace_back(m_over_batch && w.dt.out != dtype::f32 ? w.m * w.n : 0);
      m_edge.emplace_back(w.n % kernels.nr != 0 && w.dt.in == dtype::bf16 ? m_k_pass * kernels.nr : 0);
      m_a_block.emplace_back((w.m + kernels.nr) * m_k_pass);  // op(A)'s k pass, then a block of B
    }
    if (!m_over_batch && w.dt.out != dtype::f32) m_c_f32 = aligned_buffer(w.m * w.n);
    if (!m_over_batch)
      for (int t = 0; t < pool.size(); ++t) m_c_slab.emplace_back(w.m * (stream_slab + 16));
    return;
  }
  if (gemm_runs_on_bf16_dot(w, kernels)) {
    constexpr std::int64_t mr = bf16_dot_kernels::mr, nr = bf16_dot_kernels::nr;
    if (m_block.mc % mr != 0 || m_block.nc % nr != 0 || m_block.kc <= 0)
      throw std::invalid_argument("GEMM blocking on vdpbf16ps: mc a multiple of 12, nc of 32, kc positive");
    m_dot = kernels.bf16_dot;
    m_over_batch = false;
    const std::int64_t kc_pad = round_up(m_block.kc, 2);
    m_b_packed = aligned_buffer(kc_pad * m_block.nc / 2);  // bf16
    if (w.dt.out != dtype::f32) m_c_f32 = aligned_buffer(w.m * w.n);
    for (int t = 0; t < pool.size(); ++t) {
      m_a_packed.emplace_back(m_block.mc * kc_pad / 2);  // bf16
      m_edge.emplace_back(mr * nr);
    }
    return;
  }
  if (m_over_batch && blocking.mc <= 0) m_block = choose_gemm_blocking(w, kernels, host_cache_sizes(), 1);
  if (m_block.mc % kernels.mr != 0 || m_block.nc % kernels.nr != 0 || m_block.kc <= 0)
    throw std::invalid_argument("GEMM blocking: mc must be a multiple of mr, nc of nr, kc positive");
  if (!m_over_batch) m_a_all = aligned_buffer(round_up(w.m, kernels.mr) * w.k);
  if (!m_over_batch && w.dt.out != dtype::f32) m_c_f32 = aligned_buffer(w.m * w.n);
  for (int t = 0; t < pool.size(); ++t) {
    m_edge.emplace_back(static_cast<std::int64_t>(kernels.mr) * kernels.nr);
    m_b_thread.emplace_back(m_block.kc * m_block.nc);
    if (m_over_batch) {
      m_a_packed.emplace_back(m_block.mc * m_block.kc);
      m_c_thread.emplace_back(w.dt.out != dtype::f32 ? w.m * w.n : 0);
    }
  }
}

std::int64_t tiled_gemm::workspace_bytes() const {
  std::int64_t total = m_b_packed.bytes() + m_c_f32.bytes() + m_a_all.bytes();
  for (const auto* buffers :
       {&m_a_packed, &m_edge, &m_a_rows, &m_a_block, &m_b_thread, &m_c_thread, &m_c_slab, &m_c_part})
    for (const aligned_buffer& x : *buffers) total += x.bytes();
  return total;
}

std::string tiled_gemm::description() const {
  if (m_amx != nullptr && m_stream) {
    return fmt::format(
        "native GEMM, decode-shaped on AMX: threads split n in {}-column slabs, B packed into VNNI panels one "
        "{}-row k pass at a time (never whole), op(A) padded to 32 rows, 32x32 AMX-BF16 tiles (tdpbf16ps, f32 "
        "accumulation); {}; {}",
        amx_stream_slab, amx_stream_k_block, host_cache_sizes().to_string(), m_pool.description());
  }
  if (m_amx != nullptr) {
    return fmt::format("native GEMM: mc={} kc={} nc={}, 32x32 AMX-BF16 tiles (tdpbf16ps, f32 accumulation); {}; {}",
                       m_block.mc, m_block.kc, m_block.nc, host_cache_sizes().to_string(), m_pool.description());
  }
  if (m_dot != nullptr && m_stream) {
    return fmt::format(
        "native GEMM, decode-shaped on vdpbf16ps: threads split n in {}-column slabs, B packed into bf16 pair "
        "panels one {}-row k pass at a time (never whole), up to 12x32 AVX512-BF16 tiles (f32 accumulation); {}; {}",
        dot_stream_slab, dot_stream_k_block, host_cache_sizes().to_string(), m_pool.description());
  }
  if (m_dot != nullptr) {
    return fmt::format(
        "native GEMM: mc={} kc={} nc={}, 12x32 AVX512-BF16 microkernel (vdpbf16ps on bf16 pairs, f32 "
        "accumulation); {}; {}",
        m_block.mc, m_block.kc, m_block.nc, host_cache_sizes().to_string(), m_pool.description());
  }
  const char* widened = m_w.dt.in == dtype::bf16 ? ", bf16 widened to f32" : "";
  const char* batched = m_over_batch ? ", one whole product of the batch per thread" : "";
  if (m_k_split) {
    return fmt::format(
        "native GEMM, decode-shaped: B streamed from the input (never packed), each thread reading one contiguous "
        "range of B's rows whole into its own partial C (threads split k; partials summed), four B rows per pass over "
        "C, {} vectors{}; {}; {}",
        m_k.name, widened, host_cache_sizes().to_string(), m_pool.description());
  }
  if (m_stream) {
    // Threads take whole products of a batch, or split n in slabs of one product.
    const std::string split = m_over_batch ? "" : fmt::format(", threads split n in {}-column slabs", stream_slab);
    return fmt::format(
        "native GEMM, decode-shaped: B streamed from the input (never packed){}, {}-row k passes, up to {}x{} {} "
        "stream microkernel{}{}; {}; {}",
        split, m_k_pass, m_k.mr, m_k.nr, m_k.name, widened, batched, host_cache_sizes().to_string(),
        m_pool.description());
  }
  if (m_over_batch) {
    return fmt::format("native GEMM: mc={} kc={} nc={}, {}x{} {} microkernel{}{}; {}; {}", m_block.mc, m_block.kc,
                       m_block.nc, m_k.mr, m_k.nr, m_k.name, widened, batched, host_cache_sizes().to_string(),
                       m_pool.description());
  }
  return fmt::format(
      "native GEMM: op(A) packed once, then each thread owns mc x nc blocks of C over all of k (mc={} kc={} nc={}, "
      "its own packed B block, no barrier in the k loop), {}x{} {} microkernel{}; {}; {}",
      m_block.mc, m_block.kc, m_block.nc, m_k.mr, m_k.nr, m_k.name, widened, host_cache_sizes().to_string(),
      m_pool.description());
}

void tiled_gemm::run(const void* a, const void* b, void* c) {
  if (m_stream && m_amx != nullptr) {
    run_amx_stream(a, b, c);
    return;
  }
  if (m_stream && m_dot != nullptr) {
    run_bf16_dot_stream(a, b, c);
    return;
  }
  if (m_k_split) {
    run_k_split(a, b, c);
    return;
  }
  if (m_stream) {
    run_stream(a, b, c);
    return;
  }
  if (m_amx != nullptr) {
    run_amx(a, b, c);
    return;
  }
  if (m_dot != nullptr) {
    run_bf16_dot(a, b, c);
    return;
  }
  const std::int64_t m = m_w.m, n = m_w.n, k = m_w.k;
  const std::int64_t in_bytes = storage_bytes(m_w.dt.in), out_bytes = storage_bytes(m_w.dt.out);
  if (m_over_batch) {  // one whole product per thread: no dispatch per block, no shared buffers
    m_pool.parallel_for(m_w.batch, [&](std::int64_t batch, int thread) {
      const char* a_batch = static_cast<const char*>(a) + batch * m * k * in_bytes;
      const char* b_batch = static_cast<const char*>(b) + batch * k * n * in_bytes;
      char* c_batch = static_cast<char*>(c) + batch * m * n * out_bytes;
      float* cf = m_w.dt.out == dtype::f32 ? reinterpret_cast<float*>(c_batch)
                                           : m_c_thread[static_cast<std::size_t>(thread)].data();
      product_on_thread(a_batch, b_batch, cf, thread);
      if (m_w.dt.out == dtype::bf16) {
        store_bf16(cf, c_batch, m * n);
      }
    });
    return;
  }
  const std::int64_t mr = m_k.mr, groups = ceil_div(m, mr), rows_pad = groups * mr;
  const std::int64_t k_blocks = ceil_div(k, m_block.kc);
  const std::int64_t column_blocks = ceil_div(n, m_block.nc), row_chunks = ceil_div(m, m_block.mc);
  for (std::int64_t batch = 0; batch < m_w.batch; ++batch) {
    const char* a_batch = static_cast<const char*>(a) + batch * m * k * in_bytes;
    const char* b_batch = static_cast<const char*>(b) + batch * k * n * in_bytes;
    float* cf = m_w.dt.out == dtype::f32 ? reinterpret_cast<float*>(static_cast<char*>(c) + batch * m * n * out_bytes)
                                         : m_c_f32.data();
    // op(A) -> mr-row panels, k block by k block (a_all_panel), once for all column blocks.
    m_pool.parallel_for(k_blocks * groups, [&](std::int64_t item, int) {
      const std::int64_t pc = (item / groups) * m_block.kc, g = item % groups;
      const std::int64_t kc = std::min(m_block.kc, k - pc);
      pack_a_panel(a_batch, g * mr, pc, kc, m_a_all.data() + pc * rows_pad + g * mr * kc);
    });
    m_pool.parallel_for(column_blocks * row_chunks, [&](std::int64_t item, int thread) {
      const std::int64_t jc = (item % column_blocks) * m_block.nc, ic = (item / column_blocks) * m_block.mc;
      owned_block(b_batch, cf, jc, std::min(m_block.nc, n - jc), ic, std::min(m_block.mc, m - ic), thread);
    });
    if (m_w.dt.out == dtype::bf16) {
      store_bf16(cf, static_cast<char*>(c) + batch * m * n * out_bytes, m * n);
    }
  }
}

// C rows [ic, ic + mc) x columns [jc, jc + nc) over all of k on the calling thread: per k block,
// its own B block packed into the L2, then each packed A micro-panel (in the L1) across the B
// panels. The next C tile (the row's next columns) is prefetched into the L2.
void tiled_gemm::owned_block(const void* b, float* cf, std::int64_t jc, std::int64_t nc, std::int64_t ic,
                             std::int64_t mc, int thread) {
  const std::int64_t m = m_w.m, n = m_w.n, k = m_w.k, mr = m_k.mr, nr = m_k.nr;
  const std::int64_t rows_pad = ceil_div(m, mr) * mr, panels = ceil_div(nc, nr);
  float* packed_b = m_b_thread[static_cast<std::size_t>(thread)].data();
  float* edge = m_edge[static_cast<std::size_t>(thread)].data();
  for (std::int64_t pc = 0; pc < k; pc += m_block.kc) {
    const std::int64_t kc = std::min(m_block.kc, k - pc);
    const bool accumulate = pc > 0;
    pack_b_panels(b, jc, pc, kc, 0, panels, packed_b);
    for (std::int64_t i = ic; i < ic + mc; i += mr) {
      const std::int64_t rows = std::min(mr, m - i);
      const float* ap = m_a_all.data() + pc * rows_pad + i * kc;
      // The next A micro-panel comes from L3 or memory (all of op(A) is packed): a slice of it
      // into the L2 with each tile, so its first tile does not wait on its loads.
      const float* next_a = i + mr < ic + mc ? ap + mr * kc : nullptr;
      const std::int64_t slice = round_up(ceil_div(mr * kc, panels), 16);
      for (std::int64_t p = 0; p < panels; ++p) {
        if (next_a != nullptr)
          for (std::int64_t x = p * slice; x < std::min(mr * kc, (p + 1) * slice); x += 16)
            __builtin_prefetch(next_a + x, 0, 2);
        const std::int64_t j = jc + p * nr, cols = std::min(nr, n - j);
        float* ct = cf + i * n + j;
        if (p + 1 < panels) {
          prefetch_c_tile(ct + nr, n, rows, std::min(nr, n - j - nr));
        } else if (i + mr < ic + mc) {
          prefetch_c_tile(cf + (i + mr) * n + jc, n, std::min(mr, m - i - mr), std::min(nr, nc));
        }
        const float* bp = packed_b + p * kc * nr;
        if (rows == mr && cols == nr) {
          m_k.tile_packed(kc, ap, bp, ct, n, nullptr, accumulate);
          continue;
        }
        // Partial tile: through a full-size scratch tile.
        for (std::int64_t r = 0; r < mr; ++r)
          for (std::int64_t x = 0; x < nr; ++x)
            edge[r * nr + x] = accumulate && r < rows && x < cols ? ct[r * n + x] : 0.0f;
        m_k.tile_packed(kc, ap, bp, edge, nr, nullptr, accumulate);
        for (std::int64_t r = 0; r < rows; ++r)
          for (std::int64_t x = 0; x < cols; ++x) ct[r * n + x] = edge[r * nr + x];
      }
    }
  }
}

void tiled_gemm::product_on_thread(const void* a, const void* b, float* c, int thread) {
  const std::int64_t m = m_w.m, n = m_w.n, k = m_w.k, nr = m_k.nr;
  float* packed = m_b_thread[static_cast<std::size_t>(thread)].data();
  for (std::int64_t jc = 0; jc < n; jc += m_block.nc) {
    const std::int64_t panels = ceil_div(std::min(m_block.nc, n - jc), nr);
    for (std::int64_t pc = 0; pc < k; pc += m_block.kc) {
      const std::int64_t kc = std::min(m_block.kc, k - pc);
      pack_b_panels(b, jc, pc, kc, 0, panels, packed);
      for (std::int64_t ic = 0; ic < m; ic += m_block.mc)
        block_product(a, packed, c, jc, pc, kc, ic, std::min(m_block.mc, m - ic), 0, panels, thread);
    }
  }
}

// B block -> panels[p][kk][j] (zero columns past n); rows of B copied whole where they can be.
void tiled_gemm::pack_b_panels(const void* b, std::int64_t jc, std::int64_t pc, std::int64_t kc, std::int64_t p0,
                               std::int64_t p1, float* packed) const {
  const std::int64_t n = m_w.n, k = m_w.k, nr = m_k.nr;
  const bool bf16 = m_w.dt.in == dtype::bf16;
  for (std::int64_t p = p0; p < p1; ++p) {
    float* panel = packed + p * kc * nr;
    const std::int64_t col0 = jc + p * nr, cols = std::min(nr, n - col0);
    if (!m_w.trans_b && cols == nr && !bf16) {
      const float* src = static_cast<const float*>(b) + pc * n + col0;
      for (std::int64_t kk = 0; kk < kc; ++kk) std::memcpy(panel + kk * nr, src + kk * n, sizeof(float) * nr);
    } else if (!m_w.trans_b && cols == nr) {
      const std::uint16_t* src = static_cast<const std::uint16_t*>(b) + pc * n + col0;
      for (std::int64_t kk = 0; kk < kc; ++kk)
        for (std::int64_t j = 0; j < nr; ++j) panel[kk * nr + j] = load_in(src, true, kk * n + j);
    } else if (m_w.trans_b && !bf16) {  // B stored n x k: column j of op(B) is a contiguous row
      if (cols < nr) std::fill(panel, panel + kc * nr, 0.0f);
      transpose_words(static_cast<const float*>(b) + col0 * k + pc, k * 4, cols, kc,
                      reinterpret_cast<std::uint32_t*>(panel), nr);
    } else if (m_w.trans_b) {
      for (std::int64_t j = 0; j < nr; ++j)
        for (std::int64_t kk = 0; kk < kc; ++kk)
          panel[kk * nr + j] = j < cols ? load_in(b, bf16, (col0 + j) * k + pc + kk) : 0.0f;
    } else {
      for (std::int64_t kk = 0; kk < kc; ++kk)
        for (std::int64_t j = 0; j < nr; ++j)
          panel[kk * nr + j] = j < cols ? load_in(b, bf16, (pc + kk) * n + col0 + j) : 0.0f;
    }
  }
}

// op(A) rows [row0, row0 + mr) x k [pc, pc + kc) -> panel[kk * mr + i], zero rows past m.
void tiled_gemm::pack_a_panel(const void* a, std::int64_t row0, std::int64_t pc, std::int64_t kc, float* panel) const {
  const std::int64_t m = m_w.m, k = m_w.k, mr = m_k.mr, rows = std::min(mr, m - row0);
  if (rows < mr) std::fill(panel, panel + kc * mr, 0.0f);
  if (m_w.dt.in == dtype::bf16) {
    for (std::int64_t i = 0; i < rows; ++i)
      for (std::int64_t kk = 0; kk < kc; ++kk)
        panel[kk * mr + i] = load_in(a, true, m_w.trans_a ? (pc + kk) * m + row0 + i : (row0 + i) * k + pc + kk);
  } else if (m_w.trans_a) {  // A stored k x m: a panel row is a piece of an A row
    const float* src = static_cast<const float*>(a) + pc * m + row0;
    for (std::int64_t kk = 0; kk < kc; ++kk) std::memcpy(panel + kk * mr, src + kk * m, sizeof(float) * rows);
  } else {
    transpose_words(static_cast<const float*>(a) + row0 * k + pc, k * 4, rows, kc,
                    reinterpret_cast<std::uint32_t*>(panel), mr);
  }
}

void tiled_gemm::block_product(const void* a, const float* packed_b, float* cf, std::int64_t jc, std::int64_t pc,
                               std::int64_t kc, std::int64_t ic, std::int64_t mc, std::int64_t p0, std::int64_t p1,
                               int thread) {
  const std::int64_t m = m_w.m, n = m_w.n, mr = m_k.mr, nr = m_k.nr;
  const bool accumulate = pc > 0;
  // A block -> panels[g][kk][i].
  float* ap = m_a_packed[static_cast<std::size_t>(thread)].data();
  const std::int64_t groups = ceil_div(mc, mr);
  for (std::int64_t g = 0; g < groups; ++g) pack_a_panel(a, ic + g * mr, pc, kc, ap + g * kc * mr);
  float* edge = m_edge[static_cast<std::size_t>(thread)].data();
  for (std::int64_t p = p0; p < p1; ++p) {
    const std::int64_t j = jc + p * nr, cols = std::min(nr, n - j);
    const float* bp = packed_b + p * kc * nr;
    for (std::int64_t g = 0; g < groups; ++g) {
      const std::int64_t i = ic + g * mr, rows = std::min(mr, m - i);
      float* ct = cf + i * n + j;
      // The next tile: the next row group, or the first of the next panel.
      if (g + 1 < groups) {
        prefetch_c_tile(ct + mr * n, n, std::min(mr, m - i - mr), cols);
      } else if (p + 1 < p1) {
        prefetch_c_tile(cf + ic * n + j + nr, n, std::min(mr, m - ic), std::min(nr, n - j - nr));
      }
      if (rows == mr && cols == nr) {
        m_k.tile_packed(kc, ap + g * kc * mr, bp, ct, n, nullptr, accumulate);
        continue;
      }
      // Partial tile: through a full-size scratch tile.
      for (std::int64_t r = 0; r < mr; ++r)
        for (std::int64_t x = 0; x < nr; ++x)
          edge[r * nr + x] = accumulate && r < rows && x < cols ? ct[r * n + x] : 0.0f;
      m_k.tile_packed(kc, ap + g * kc * mr, bp, edge, nr, nullptr, accumulate);
      for (std::int64_t r = 0; r < rows; ++r)
        for (std::int64_t x = 0; x < cols; ++x) ct[r * n + x] = edge[r * nr + x];
    }
  }
}

void tiled_gemm::run_stream(const void* a, const void* b, void* c) {
  const std::int64_t m = m_w.m, n = m_w.n, k = m_w.k;
  const std::int64_t in_bytes = storage_bytes(m_w.dt.in), out_bytes = storage_bytes(m_w.dt.out);
  const auto store = [&](float* cf, char* c_batch) {
    if (m_w.dt.out != dtype::bf16) return;
    store_bf16(cf, c_batch, m * n);
  };
  if (m_over_batch) {
    // Runs of consecutive products, claimed one at a time: few claims, and still enough runs that
    // a thread the OS deschedules does not hold up much of the batch.
    const std::int64_t runs = std::min<std::int64_t>(m_w.batch, 64 * m_pool.size());
    const auto run_products = [&](std::int64_t run, int thread) {
      const std::int64_t last = (run + 1) * m_w.batch / runs;
      for (std::int64_t batch = run * m_w.batch / runs; batch < last; ++batch) {
        // No software prefetch of the next product's A and B: the hardware prefetchers follow
        // these sequential runs, and without a burst of one prefetch per line before each
        // product (20 KiB at m = n = 40, k = 64) the batch took 0.83x the time, cold, on Zen 3
        // (docs/performance.md).
        char* c_batch = static_cast<char*>(c) + batch * m * n * out_bytes;
        // Ask for this product's C for writing before computing it: its stores then find their
        // lines owned instead of each waiting in turn on its own read for ownership (cold cache,
        // m = 4, n = 128, k = 1: 0.6x the time; docs/performance.md).
        if (m * n * out_bytes <= prefetch_c_max_bytes)
          for (std::int64_t off = 0; off < m * n * out_bytes; off += 64) __builtin_prefetch(c_batch + off, 1);
        float* cf = m_w.dt.out == dtype::f32 ? reinterpret_cast<float*>(c_batch)
                                             : m_c_thread[static_cast<std::size_t>(thread)].data();
        const float* rows = a_rows(static_cast<const char*>(a) + batch * m * k * in_bytes, thread);
        stream_columns(rows, static_cast<const char*>(b) + batch * k * n * in_bytes, cf, 0, n, thread);
        store(cf, c_batch);
      }
    };
    // Too little work to wake the workers for (waking them costs tens of microseconds): the
    // calling thread does it all.
    if (m_w.batch * m * n * k <= tiny_batch_macs) {
      for (std::int64_t run = 0; run < runs; ++run) run_products(run, 0);
    } else {
      m_pool.parallel_for(runs, run_products);
    }
    return;
  }
  for (std::int64_t batch = 0; batch < m_w.batch; ++batch) {
    char* c_batch = static_cast<char*>(c) + batch * m * n * out_bytes;
    float* cf = m_w.dt.out == dtype::f32 ? reinterpret_cast<float*>(c_batch) : m_c_f32.data();
    const float* rows = a_rows(static_cast<const char*>(a) + batch * m * k * in_bytes, 0);
    const char* b_batch = static_cast<const char*>(b) + batch * k * n * in_bytes;
    m_pool.parallel_for(ceil_div(n, stream_slab), [&](std::int64_t slab, int thread) {
      stream_columns(rows, b_batch, cf, slab * stream_slab, std::min(n, (slab + 1) * stream_slab), thread);
    });
    store(cf, c_batch);
  }
}

void tiled_gemm::run_k_split(const void* a, const void* b, void* c) {
  const std::int64_t m = m_w.m, n = m_w.n, k = m_w.k;
  const std::int64_t in_bytes = storage_bytes(m_w.dt.in), out_bytes = storage_bytes(m_w.dt.out);
  const std::int64_t parts = static_cast<std::int64_t>(m_c_part.size());
  for (std::int64_t batch = 0; batch < m_w.batch; ++batch) {
    char* c_batch = static_cast<char*>(c) + batch * m * n * out_bytes;
    float* cf = m_w.dt.out == dtype::f32 ? reinterpret_cast<float*>(c_batch) : m_c_f32.data();
    const float* rows = a_rows(static_cast<const char*>(a) + batch * m * k * in_bytes, 0);
    const char* b_batch = static_cast<const char*>(b) + batch * k * n * in_bytes;
    // One contiguous range of B's rows per part: each thread reads it front to back, four rows
    // at a time, which the hardware prefetchers follow (slabs of 512 columns, 2 KiB runs of
    // each row, streamed at 0.6 of this rate; docs/performance.md).
    const std::int64_t ldp = k_split_part_stride(m, n);
    m_pool.parallel_for(parts, [&](std::int64_t part, int) {
      const std::int64_t k0 = part * k / parts, k1 = (part + 1) * k / parts;
      const char* b_rows = b_batch + k0 * n * in_bytes;
      float* c_part = k_split_part_origin(m_c_part[static_cast<std::size_t>(part)].data(), m, b_rows);
      m_c_part_at[static_cast<std::size_t>(part)] = c_part;
      m_k.stream_rows(static_cast<int>(m), n, k1 - k0, rows + k0, k, b_rows, m_w.dt.in == dtype::bf16, n, c_part, ldp,
                      false);
    });
    // The partials are summed by all threads, each over a range of C's columns (16-float
    // multiples), part after part so that the adds vectorise: one thread alone took 0.05-0.1 ms
    // of a 3.5 ms call at m = 8 (docs/performance.md). The order of the sum is fixed: part 0 +
    // part 1 + ..., whichever thread sums.
    m_pool.parallel_for(parts, [&](std::int64_t range, int) {
      const std::int64_t j0 = range * n / parts / 16 * 16;
      const std::int64_t j1 = range + 1 == parts ? n : (range + 1) * n / parts / 16 * 16;
      for (std::int64_t i = 0; i < m; ++i) {
        float* __restrict out = cf + i * n;
        const float* first = m_c_part_at.front() + i * ldp;
        std::copy(first + j0, first + j1, out + j0);
        for (std::size_t part = 1; part < m_c_part_at.size(); ++part) {
          const float* __restrict next = m_c_part_at[part] + i * ldp;
          for (std::int64_t j = j0; j < j1; ++j) out[j] += next[j];
        }
        if (m_w.dt.out == dtype::bf16) store_bf16(out + j0, c_batch + (i * n + j0) * out_bytes, j1 - j0);
      }
    });
  }
}

const float* tiled_gemm::a_rows(const void* a, int thread) {
  aligned_buffer& copy = m_a_rows[static_cast<std::size_t>(thread)];
  if (copy.bytes() == 0) return static_cast<const float*>(a);  // f32 rows already
  const std::int64_t m = m_w.m, k = m_w.k;
  const bool bf16 = m_w.dt.in == dtype::bf16;
  float* dst = copy.data();
  for (std::int64_t i = 0; i < m; ++i)
    for (std::int64_t kk = 0; kk < k; ++kk) dst[i * k + kk] = load_in(a, bf16, m_w.trans_a ? kk * m + i : i * k + kk);
  return dst;
}

void tiled_gemm::stream_columns(const float* rows, const void* b, float* c, std::int64_t j0, std::int64_t j1,
                                int thread) {
  const std::int64_t m = m_w.m, n = m_w.n, k = m_w.k, nr = m_k.nr;
  const bool bf16 = m_w.dt.in == dtype::bf16;
  const std::int64_t element = bf16 ? 2 : 4;
  // Row chunks of at most mr, as even as possible (m = 16 on mr = 12: 8 + 8; m = 32 on mr = 6:
  // 5, 5, 6, 5, 5, 6, not five of 6 and one of 2, whose 4 accumulator chains leave the FMA
  // units idle on FMA latency).
  const std::int64_t chunks = ceil_div(m, m_k.mr);
  const auto chunk_start = [&](std::int64_t chunk) { return chunk * m / chunks; };
  const std::int64_t full_end = j0 + (j1 - j0) / nr * nr, edge_cols = j1 - full_end;
  float* a_block = m_a_block[static_cast<std::size_t>(thread)].data();
  float* b_copy = a_block + m * m_k_pass;  // one block of B (m_k_pass x nr)
  // Rows of op(A) or of B close together do not fall in the same L1 sets: read in place.
  const bool a_in_place = k * 4 <= stream_near_bytes;
  const bool b_shared = chunks > 1 && n * element > stream_near_bytes;
  // C rows n floats apart share L1 sets with each other and with B's rows: a slab's C is
  // accumulated in compact rows (stream_slab + 16 floats apart) and copied out at the end.
  const bool compact = !m_c_slab.empty() && j1 - j0 <= stream_slab;
  float* cw = compact ? m_c_slab[static_cast<std::size_t>(thread)].data() : c + j0;
  const std::int64_t ldw = compact ? stream_slab + 16 : n;
  for (std::int64_t k0 = 0; k0 < k; k0 += m_k_pass) {
    const std::int64_t kc = std::min(m_k_pass, k - k0);
    const bool accumulate = k0 > 0;
    // This pass's columns of op(A): rows k floats apart (16 KiB at k = 4096) would all fall in
    // one L1 set and evict each other, so long rows are copied 128 bytes apart.
    const float* a_pass = rows + k0;
    std::int64_t lda = k;
    if (!a_in_place) {
      for (std::int64_t i = 0; i < m; ++i) std::copy(rows + i * k + k0, rows + i * k + k0 + kc, a_block + i * m_k_pass);
      a_pass = a_block;
      lda = m_k_pass;
    }
    for (std::int64_t j = j0; j < full_end; j += nr) {
      const char* b_block = static_cast<const char*>(b) + (k0 * n + j) * element;
      // The first chunk brings B in: it prefetches two column blocks ahead along each row, and
      // when more chunks follow it leaves the block in b_copy, where they read it (B's rows, n
      // elements apart, share L1 sets: read there, m = 32 ran at a third of the memory rate).
      m_k.stream_tile(static_cast<int>(chunk_start(1)), kc, a_pass, lda, b_block, bf16, n, cw + (j - j0), ldw,
                      accumulate, j + 3 * nr <= j1 ? 2 * nr : 0, b_shared ? b_copy : nullptr);
      for (std::int64_t chunk = 1; chunk < chunks; ++chunk) {
        const std::int64_t i0 = chunk_start(chunk);
        m_k.stream_tile(static_cast<int>(chunk_start(chunk + 1) - i0), kc, a_pass + i0 * lda, lda,
                        b_shared ? static_cast<const void*>(b_copy) : b_block, bf16 && !b_shared, b_shared ? nr : n,
                        cw + i0 * ldw + (j - j0), ldw, accumulate, 0, nullptr);
      }
    }
    if (edge_cols == 0) continue;
    // Columns past the last whole nr block (n not a multiple of nr): masked loads and stores
    // on B and C in place; bf16 B is widened into an f32 block first.
    const float* b_edge = nullptr;
    std::int64_t ldb_edge = n;
    if (bf16) {
      float* widened = m_edge[static_cast<std::size_t>(thread)].data();
      for (std::int64_t kk = 0; kk < kc; ++kk)
        for (std::int64_t x = 0; x < edge_cols; ++x)
          widened[kk * nr + x] = load_in(b, true, (k0 + kk) * n + full_end + x);
      b_edge = widened;
      ldb_edge = nr;
    } else {
      b_edge = static_cast<const float*>(b) + k0 * n + full_end;
    }
    for (std::int64_t chunk = 0; chunk < chunks; ++chunk) {
      const std::int64_t i0 = chunk_start(chunk);
      m_k.stream_edge(static_cast<int>(chunk_start(chunk + 1) - i0), static_cast<int>(edge_cols), kc, a_pass + i0 * lda,
                      lda, b_edge, ldb_edge, c + i0 * n + full_end, n, accumulate);
    }
  }
  if (compact)
    for (std::int64_t i = 0; i < m; ++i) std::copy(cw + i * ldw, cw + i * ldw + (full_end - j0), c + i * n + j0);
}

void tiled_gemm::copy_a_bf16_rows(const std::uint16_t* a, std::uint16_t* rows, std::int64_t lda) const {
  const std::int64_t m = m_w.m, k = m_w.k;
  for (std::int64_t i = 0; i < m; ++i) {
    std::uint16_t* row = rows + i * lda;
    if (m_w.trans_a) {
      for (std::int64_t kk = 0; kk < k; ++kk) row[kk] = a[kk * m + i];
    } else {
      std::copy(a + i * k, a + (i + 1) * k, row);
    }
    std::fill(row + k, row + lda, std::uint16_t{0});
  }
}

void tiled_gemm::store_c_slab(const float* slab, std::int64_t ld, std::int64_t j0, std::int64_t cols, void* c) const {
  const std::int64_t n = m_w.n;
  for (std::int64_t i = 0; i < m_w.m; ++i) {
    const float* row = slab + i * ld;
    if (m_w.dt.out == dtype::f32) {
      std::copy(row, row + cols, static_cast<float*>(c) + i * n + j0);
    } else {
      store_bf16(row, static_cast<std::uint16_t*>(c) + i * n + j0, cols);
    }
  }
}

void tiled_gemm::run_amx_stream(const void* a, const void* b, void* c) {
  constexpr std::int64_t tile = amx_bf16_kernels::tile_rows, panel = amx_bf16_kernels::panel_cols;
  const std::int64_t m = m_w.m, n = m_w.n, k = m_w.k, k_pad = round_up(k, tile), lda = k_pad + stream_a_row_pad;
  const std::int64_t out_bytes = storage_bytes(m_w.dt.out);
  auto* a_tiles = reinterpret_cast<std::uint16_t*>(m_a_all.data());
  for (std::int64_t batch = 0; batch < m_w.batch; ++batch) {
    const auto* a_batch = static_cast<const std::uint16_t*>(a) + batch * m * k;
    const auto* b_batch = static_cast<const std::uint16_t*>(b) + batch * k * n;
    char* c_batch = static_cast<char*>(c) + batch * m * n * out_bytes;
    // op(A) as 32 bf16 rows (lda apart), zero past m and past k: the tile kernel's A operand.
    copy_a_bf16_rows(a_batch, a_tiles, lda);
    std::fill(a_tiles + m * lda, a_tiles + tile * lda, std::uint16_t{0});
    m_pool.parallel_for(ceil_div(n, amx_stream_slab), [&](std::int64_t slab, int thread) {
      const std::int64_t j0 = slab * amx_stream_slab, cols = std::min(amx_stream_slab, n - j0);
      const std::int64_t pairs = ceil_div(cols, tile);  // 32-column tiles = pairs of 16-column panels
      auto* panels = reinterpret_cast<std::uint16_t*>(m_b_thread[static_cast<std::size_t>(thread)].data());
      float* c_slab = m_c_slab[static_cast<std::size_t>(thread)].data();  // 32 rows x slab, compact
      m_amx->begin();
      for (std::int64_t k0 = 0; k0 < k; k0 += amx_stream_k_block) {
        const std::int64_t kc = std::min(amx_stream_k_block, k - k0), kc_pad = round_up(kc, tile);
        m_amx->pack_panels(b_batch + k0 * n + j0, n, kc, kc_pad, cols, 2 * pairs, panels, kc_pad * panel);
        for (std::int64_t t = 0; t < pairs; ++t) {
          m_amx->tile(kc_pad, a_tiles + k0, lda, panels + 2 * t * kc_pad * panel, kc_pad * panel, c_slab + t * tile,
                      amx_stream_slab, k0 > 0);
        }
      }
      m_amx->end();
      store_c_slab(c_slab, amx_stream_slab, j0, cols, c_batch);
    });
  }
}

void tiled_gemm::run_bf16_dot_stream(const void* a, const void* b, void* c) {
  constexpr std::int64_t mr = bf16_dot_kernels::mr, nr = bf16_dot_kernels::nr, ldw = dot_stream_slab + 16;
  const std::int64_t m = m_w.m, n = m_w.n, k = m_w.k, lda = round_up(k, 2) + stream_a_row_pad;
  const std::int64_t out_bytes = storage_bytes(m_w.dt.out);
  // Row chunks of at most mr, as even as possible (m = 16: 8 + 8).
  const std::int64_t chunks = ceil_div(m, mr);
  const auto chunk_start = [&](std::int64_t chunk) { return chunk * m / chunks; };
  auto* a_rows = reinterpret_cast<std::uint16_t*>(m_a_all.data());
  for (std::int64_t batch = 0; batch < m_w.batch; ++batch) {
    const auto* a_batch = static_cast<const std::uint16_t*>(a) + batch * m * k;
    const auto* b_batch = static_cast<const std::uint16_t*>(b) + batch * k * n;
    char* c_batch = static_cast<char*>(c) + batch * m * n * out_bytes;
    // op(A) as m bf16 rows (lda apart), zero past k: an odd k's last pair is (a, 0).
    copy_a_bf16_rows(a_batch, a_rows, lda);
    m_pool.parallel_for(ceil_div(n, dot_stream_slab), [&](std::int64_t slab, int thread) {
      const std::int64_t j0 = slab * dot_stream_slab, cols = std::min(dot_stream_slab, n - j0);
      const std::int64_t panels = ceil_div(cols, nr);
      auto* b_panels = reinterpret_cast<std::uint16_t*>(m_b_thread[static_cast<std::size_t>(thread)].data());
      float* c_slab = m_c_slab[static_cast<std::size_t>(thread)].data();  // m rows x slab, compact
      for (std::int64_t k0 = 0; k0 < k; k0 += dot_stream_k_block) {
        const std::int64_t kc = std::min(dot_stream_k_block, k - k0), kc_pad = round_up(kc, 2);
        // Panels a multiple of 4 KiB long would put each row pair's 16 panel stores in one L1
        // set: they are 64 bytes longer.
        const std::int64_t panel_stride = kc_pad * nr + dot_stream_panel_pad;
        m_dot->pack_rows(b_batch + k0 * n + j0, n, kc, kc_pad, cols, b_panels, panel_stride);
        for (std::int64_t p = 0; p < panels; ++p) {
          for (std::int64_t chunk = 0; chunk < chunks; ++chunk) {
            const std::int64_t i0 = chunk_start(chunk);
            m_dot->tile_rows(static_cast<int>(chunk_start(chunk + 1) - i0), kc_pad / 2, a_rows + i0 * lda + k0, lda,
                             b_panels + p * panel_stride, c_slab + i0 * ldw + p * nr, ldw, k0 > 0);
          }
        }
      }
      store_c_slab(c_slab, ldw, j0, cols, c_batch);
    });
  }
}

void tiled_gemm::run_amx(const void* a, const void* b, void* c) {
  constexpr std::int64_t tile = amx_bf16_kernels::tile_rows, panel = amx_bf16_kernels::panel_cols;
  const std::int64_t m = m_w.m, n = m_w.n, k = m_w.k, out_bytes = storage_bytes(m_w.dt.out);
  const std::int64_t m_blocks = ceil_div(m, m_block.mc);
  for (std::int64_t batch = 0; batch < m_w.batch; ++batch) {
    const auto* a_batch = static_cast<const std::uint16_t*>(a) + batch * m * k;
    const auto* b_batch = static_cast<const std::uint16_t*>(b) + batch * k * n;
    float* cf = m_w.dt.out == dtype::f32 ? reinterpret_cast<float*>(static_cast<char*>(c) + batch * m * n * out_bytes)
                                         : m_c_f32.data();
    for (std::int64_t jc = 0; jc < n; jc += m_block.nc) {
      const std::int64_t nc = std::min(m_block.nc, n - jc);
      const std::int64_t pairs = ceil_div(nc, tile);  // 32-column tiles = pairs of 16-column panels
      for (std::int64_t pc = 0; pc < k; pc += m_block.kc) {
        const std::int64_t kc = std::min(m_block.kc, k - pc), kc_pad = round_up(kc, tile);
        const bool accumulate = pc > 0;
        auto* b_panels = reinterpret_cast<std::uint16_t*>(m_b_packed.data());
        // B block -> 16-column VNNI panels, zero past n and past k.
        m_pool.parallel_for(2 * pairs, [&](std::int64_t p, int) {
          const std::int64_t col = jc + p * panel, cols = std::clamp<std::int64_t>(n - col, 0, panel);
          const std::int64_t first = std::min(col, n - 1);  // never read when cols == 0
          const std::uint16_t* src = m_w.trans_b ? b_batch + first * k + pc : b_batch + pc * n + first;
          m_amx->pack_panel(src, m_w.trans_b ? k : n, m_w.trans_b, kc, kc_pad, cols, b_panels + p * kc_pad * panel);
        });
        const std::int64_t chunks = std::clamp<std::int64_t>(ceil_div(2 * m_pool.size(), m_blocks), 1, pairs);
        const std::int64_t chunk_pairs = ceil_div(pairs, chunks);
        m_pool.parallel_for(m_blocks * chunks, [&](std::int64_t item, int thread) {
          const std::int64_t ic = (item / chunks) * m_block.mc, mc = std::min(m_block.mc, m - ic);
          const std::int64_t t0 = (item % chunks) * chunk_pairs, t1 = std::min(pairs, t0 + chunk_pairs);
          if (t0 >= t1) return;
          // A block -> bf16 rows of kc_pad, zero past m and past k.
          auto* ap = reinterpret_cast<std::uint16_t*>(m_a_packed[static_cast<std::size_t>(thread)].data());
          const std::int64_t rows_pad = round_up(mc, tile);
          for (std::int64_t i = 0; i < rows_pad; ++i) {
            std::uint16_t* dst = ap + i * kc_pad;
            const std::int64_t row = ic + i;
            std::int64_t kk = 0;
            if (row < m && !m_w.trans_a) {
              std::memcpy(dst, a_batch + row * k + pc, static_cast<std::size_t>(kc) * 2);
              kk = kc;
            } else if (row < m) {
              for (; kk < kc; ++kk) dst[kk] = a_batch[(pc + kk) * m + row];
            }
            std::fill(dst + kk, dst + kc_pad, std::uint16_t{0});
          }
          float* edge = m_edge[static_cast<std::size_t>(thread)].data();
          m_amx->begin();
          for (std::int64_t t = t0; t < t1; ++t) {
            const std::int64_t j = jc + t * tile, cols = std::min(tile, n - j);
            const std::uint16_t* bp = b_panels + 2 * t * kc_pad * panel;
            for (std::int64_t g = 0; g < rows_pad; g += tile) {
              const std::int64_t i = ic + g, rows = std::min(tile, m - i);
              float* ct = cf + i * n + j;
              if (rows == tile && cols == tile) {
                m_amx->tile(kc_pad, ap + g * kc_pad, kc_pad, bp, kc_pad * panel, ct, n, accumulate);
                continue;
              }
              // Partial tile: through a full-size scratch tile.
              for (std::int64_t r = 0; r < tile; ++r)
                for (std::int64_t x = 0; x < tile; ++x)
                  edge[r * tile + x] = accumulate && r < rows && x < cols ? ct[r * n + x] : 0.0f;
              m_amx->tile(kc_pad, ap + g * kc_pad, kc_pad, bp, kc_pad * panel, edge, tile, accumulate);
              for (std::int64_t r = 0; r < rows; ++r)
                for (std::int64_t x = 0; x < cols; ++x) ct[r * n + x] = edge[r * tile + x];
            }
          }
          m_amx->end();
        });
      }
    }
    if (k == 0) std::fill(cf, cf + m * n, 0.0f);  // an empty sum
    if (m_w.dt.out == dtype::bf16) {
      store_bf16(cf, static_cast<char*>(c) + batch * m * n * out_bytes, m * n);
    }
  }
}

void tiled_gemm::run_bf16_dot(const void* a, const void* b, void* c) {
  constexpr std::int64_t mr = bf16_dot_kernels::mr, nr = bf16_dot_kernels::nr;
  const std::int64_t m = m_w.m, n = m_w.n, k = m_w.k, out_bytes = storage_bytes(m_w.dt.out);
  const std::int64_t m_blocks = ceil_div(m, m_block.mc);
  auto* b_panels = reinterpret_cast<std::uint16_t*>(m_b_packed.data());
  for (std::int64_t batch = 0; batch < m_w.batch; ++batch) {
    const auto* a_batch = static_cast<const std::uint16_t*>(a) + batch * m * k;
    const auto* b_batch = static_cast<const std::uint16_t*>(b) + batch * k * n;
    float* cf = m_w.dt.out == dtype::f32 ? reinterpret_cast<float*>(static_cast<char*>(c) + batch * m * n * out_bytes)
                                         : m_c_f32.data();
    for (std::int64_t jc = 0; jc < n; jc += m_block.nc) {
      const std::int64_t panels = ceil_div(std::min(m_block.nc, n - jc), nr);
      for (std::int64_t pc = 0; pc < k; pc += m_block.kc) {
        const std::int64_t kc = std::min(m_block.kc, k - pc), pairs = ceil_div(kc, 2);
        const bool accumulate = pc > 0;
        // B block -> pair-interleaved panels [p][kk / 2][j][2], zero past n and past k.
        m_pool.parallel_for(panels, [&](std::int64_t p, int) {
          std::uint16_t* panel = b_panels + p * pairs * 2 * nr;
          const std::int64_t col0 = jc + p * nr, cols = std::min(nr, n - col0);
          if (cols < nr) std::fill(panel, panel + pairs * 2 * nr, std::uint16_t{0});
          pack_bf16_pairs(b_batch, m_w.trans_b ? k : n, !m_w.trans_b, col0, pc, cols, kc, nr, panel);
        });
        const std::int64_t chunks = std::clamp<std::int64_t>(ceil_div(2 * m_pool.size(), m_blocks), 1, panels);
        const std::int64_t chunk_panels = ceil_div(panels, chunks);
        m_pool.parallel_for(m_blocks * chunks, [&](std::int64_t item, int thread) {
          const std::int64_t ic = (item / chunks) * m_block.mc, mc = std::min(m_block.mc, m - ic);
          const std::int64_t p0 = (item % chunks) * chunk_panels, p1 = std::min(panels, p0 + chunk_panels);
          if (p0 >= p1) return;
          // A block -> pair-interleaved panels [g][kk / 2][i][2], zero past m and past k.
          auto* ap = reinterpret_cast<std::uint16_t*>(m_a_packed[static_cast<std::size_t>(thread)].data());
          const std::int64_t groups = ceil_div(mc, mr);
          for (std::int64_t g = 0; g < groups; ++g) {
            std::uint16_t* panel = ap + g * pairs * 2 * mr;
            const std::int64_t row0 = ic + g * mr, rows = std::min(mr, m - row0);
            if (rows < mr) std::fill(panel, panel + pairs * 2 * mr, std::uint16_t{0});
            pack_bf16_pairs(a_batch, m_w.trans_a ? m : k, m_w.trans_a, row0, pc, rows, kc, mr, panel);
          }
          float* edge = m_edge[static_cast<std::size_t>(thread)].data();
          for (std::int64_t p = p0; p < p1; ++p) {
            const std::int64_t j = jc + p * nr, cols = std::min(nr, n - j);
            const std::uint16_t* bp = b_panels + p * pairs * 2 * nr;
            for (std::int64_t g = 0; g < groups; ++g) {
              const std::int64_t i = ic + g * mr, rows = std::min(mr, m - i);
              const std::uint16_t* panel_a = ap + g * pairs * 2 * mr;
              float* ct = cf + i * n + j;
              if (g + 1 < groups) {
                prefetch_c_tile(ct + mr * n, n, std::min(mr, m - i - mr), cols);
              } else if (p + 1 < p1) {
                prefetch_c_tile(cf + ic * n + j + nr, n, std::min(mr, m - ic), std::min(nr, n - j - nr));
              }
              if (rows == mr && cols == nr) {
                m_dot->tile(pairs, panel_a, bp, ct, n, accumulate);
                continue;
              }
              // Partial tile: through a full-size scratch tile.
              for (std::int64_t r = 0; r < mr; ++r)
                for (std::int64_t x = 0; x < nr; ++x)
                  edge[r * nr + x] = accumulate && r < rows && x < cols ? ct[r * n + x] : 0.0f;
              m_dot->tile(pairs, panel_a, bp, edge, nr, accumulate);
              for (std::int64_t r = 0; r < rows; ++r)
                for (std::int64_t x = 0; x < cols; ++x) ct[r * n + x] = edge[r * nr + x];
            }
          }
        });
      }
    }
    if (m_w.dt.out == dtype::bf16) {
      store_bf16(cf, static_cast<char*>(c) + batch * m * n * out_bytes, m * n);
    }
  }
}

}  // namespace accelbench::cpu_kernels
