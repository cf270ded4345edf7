// The native backend's CPU kernels (kernels/cpu/) against the fp64 reference: fused attention
// on odd shapes (sq not a multiple of the query tile, skv below one key tile, d = 64/128/256
// and odd d, causal with sq != skv, GQA, decode with key splits, bf16, sliding windows with
// W = 1, W >= skv and W off the tiles), the GEMM on odd shapes, transposes and batches, each
// with deliberately small tiles so every edge and every multi-tile path runs; the backend
// through the C ABI with the harness's own verification; and the O(S·D) memory bound of the
// fused attention. Every ISA this CPU runs is tested (AVX-512 and AMX kernels are skipped with
// a warning on CPUs without them).
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "backends/common/abi_conversion.hpp"
#include "backends/loader/registry.hpp"
#include "bench/engine/verification.hpp"
#include "kernels/cpu/flash_attention.hpp"
#include "kernels/cpu/gemm_packing.hpp"
#include "kernels/cpu/isa_dispatch.hpp"
#include "kernels/cpu/thread_pool.hpp"
#include "kernels/cpu/tiled_gemm.hpp"
#include "kernels/spec/host_tensor.hpp"
#include "kernels/spec/reference.hpp"
#include "kernels/spec/workload.hpp"
#include "tests/support/skip.hpp"

using namespace accelbench;
namespace ck = accelbench::cpu_kernels;

namespace {

std::vector<const ck::isa_kernels*> runnable_isas() {
  std::vector<const ck::isa_kernels*> tables;
  for (ck::isa id : {ck::isa::avx2, ck::isa::avx512, ck::isa::avx512_bf16, ck::isa::amx}) {
    if (const ck::isa_kernels* k = ck::kernels_for(id)) {
      tables.push_back(k);
    } else {
      WARN("this CPU cannot run the " << ck::to_string(id) << " kernels; they are not tested here");
    }
  }
  return tables;
}

struct attention_inputs {
  attention_workload w;
  host_tensor q, k, v;
  explicit attention_inputs(const std::string& text)
      : w(std::get<attention_workload>(parse_workload(text))),
        q(w.dt.in, w.b * w.hq * w.sq * w.d),
        k(w.dt.in, w.b * w.hkv * w.skv * w.d),
        v(w.dt.in, w.b * w.hkv * w.skv * w.d) {
    fill_random(q, 11);
    fill_random(k, 12);
    fill_random(v, 13);
  }
  // Every output row of the fp64 reference, [b][hq][sq][d], computed on first use and shared by
  // all the kernels, thread counts and tiles checked against it (the sanitizer build runs the
  // reference unoptimized).
  const std::vector<double>& reference() const {
    if (m_reference.empty()) {
      for (std::int64_t b = 0; b < w.b; ++b)
        for (std::int64_t h = 0; h < w.hq; ++h)
          for (std::int64_t r = 0; r < w.sq; ++r) {
            const std::vector<double> row = reference_attention_row(w, q, k, v, b, h, r);
            m_reference.insert(m_reference.end(), row.begin(), row.end());
          }
    }
    return m_reference;
  }

 private:
  mutable std::vector<double> m_reference;
};

// Every output row against the fp64 reference; returns the worst row error relative to
// the row's norm, in units of `tolerance` (<= 1 passes).
double worst_attention_row(const attention_inputs& in, const host_tensor& o, double tolerance) {
  const attention_workload& w = in.w;
  double worst = 0.0;
  std::vector<double> actual(static_cast<std::size_t>(w.d));
  const std::vector<double>& reference = in.reference();
  for (std::int64_t b = 0; b < w.b; ++b)
    for (std::int64_t h = 0; h < w.hq; ++h)
      for (std::int64_t r = 0; r < w.sq; ++r) {
        const std::int64_t row = ((b * w.hq + h) * w.sq + r) * w.d;
        const double* expected = reference.data() + row;
        o.read(row, w.d, actual.data());
        double error = 0.0, norm = 0.0;
        for (std::int64_t x = 0; x < w.d; ++x) {
          error += (actual[x] - expected[x]) * (actual[x] - expected[x]);
          norm += expected[x] * expected[x];
        }
        if (causal_key_limit(w, r) == 0) {
          REQUIRE(error == 0.0);  // fully masked rows are exactly zero
          continue;
        }
        worst = std::max(worst, std::sqrt(error) / (std::sqrt(norm) + 1e-6) / tolerance);
      }
  return worst;
}

double attention_tolerance(const attention_workload& w, const ck::isa_kernels& kernels) {
  // f32 math throughout; bf16 output adds one rounding (2^-9 relative) per element, and so
  // does the AMX and vdpbf16ps paths' bf16 rounding of the probabilities before P.V.
  return w.dt.out == dtype::bf16 || ck::attention_rounds_probabilities(w, kernels)
             ? 8e-3
             : 2e-5 * std::max(1.0, std::sqrt(w.skv / 4096.0));
}

void check_attention(const ck::isa_kernels& kernels, ck::thread_pool& pool, const attention_inputs& in,
                     ck::attention_tiles tiles = {}) {
  INFO(kernels.name << ", " << pool.description() << ": " << to_string(workload{in.w}) << " tiles " << tiles.query_tile
                    << "x" << tiles.key_tile);
  ck::flash_attention attention(in.w, kernels, pool, tiles);
  host_tensor o(in.w.dt.out, in.w.b * in.w.hq * in.w.sq * in.w.d);
  for (int call = 0; call < 2; ++call) {  // re-runnable: nothing left over from the first call
    fill_random(o, 99 + call);            // stale output must be overwritten everywhere
    attention.run(in.q.data(), in.k.data(), in.v.data(), o.data());
  }
  CHECK(worst_attention_row(in, o, attention_tolerance(in.w, kernels)) <= 1.0);
  CHECK(attention.uses_decode_path() == (in.w.sq == 1));
  // The bf16 prefill path is the one the table promises, not a silent fallback to widening.
  if (ck::attention_runs_on_amx(in.w, kernels)) CHECK(attention.description().find("AMX-BF16") != std::string::npos);
  if (ck::attention_runs_on_bf16_dot(in.w, kernels))
    CHECK(attention.description().find("vdpbf16ps") != std::string::npos);
  CHECK(ck::attention_runs_on_bf16_dot(in.w, kernels) ==
        (kernels.id == ck::isa::avx512_bf16 && in.w.dt.in == dtype::bf16 && in.w.sq > 1));
}

// Shapes chosen to hit the edges: tiles are multiples of (mr, nr) = (6, 16) or (12, 32), or of
// (32, 32) for bf16 on AMX (bf16 on vdpbf16ps: (12, 32)).
const std::vector<std::string> odd_attention_shapes = {
    "attn:b=1,hq=2,hkv=2,sq=37,skv=53,d=64,causal=0,dt={}",  // sq, skv not multiples of any tile
    "attn:b=1,hq=2,hkv=2,sq=37,skv=53,d=64,causal=1,dt={}",
    "attn:b=2,hq=2,hkv=1,sq=20,skv=5,d=64,causal=0,dt={}",      // skv < one key panel
    "attn:b=1,hq=4,hkv=2,sq=29,skv=70,d=128,causal=1,dt={}",    // causal, sq < skv (bottom-right)
    "attn:b=1,hq=2,hkv=1,sq=70,skv=29,d=128,causal=1,dt={}",    // causal, sq > skv: masked leading rows
    "attn:b=1,hq=3,hkv=1,sq=40,skv=40,d=256,causal=1,dt={}",    // d=256, GQA 3:1
    "attn:b=1,hq=8,hkv=2,sq=13,skv=100,d=20,causal=0,dt={}",    // odd d (padded panels), GQA 4:1
    "attn:b=1,hq=2,hkv=1,sq=130,skv=200,d=80,causal=1,dt={}",   // several 32-row groups and 32-key blocks, d = 80
    "attn:b=1,hq=2,hkv=2,sq=300,skv=300,d=128,causal=1,dt={}",  // several key tiles, diagonal blocks
    "attn:b=2,hq=8,hkv=2,sq=1,skv=300,d=128,causal=0,dt={}",    // decode, GQA 4:1
    "attn:b=1,hq=5,hkv=1,sq=1,skv=2000,d=64,causal=1,dt={}",    // decode, 5 heads (4 + 1), key splits
    "attn:b=1,hq=2,hkv=2,sq=1,skv=3,d=20,causal=0,dt={}",       // decode, tiny, odd d
    // Decode, every head count per group (1, 2, 3, 4, 8 = 4 + 4) and key counts that leave a
    // partial 64-key chunk; d = 64, 80 (not a multiple of a vector pair), 128, 256.
    "attn:b=1,hq=3,hkv=3,sq=1,skv=1000,d=256,causal=0,dt={}",  // 1 head per K/V head
    "attn:b=2,hq=4,hkv=2,sq=1,skv=130,d=64,causal=0,dt={}",    // 2 per group
    "attn:b=1,hq=6,hkv=2,sq=1,skv=515,d=128,causal=1,dt={}",   // 3 per group
    "attn:b=1,hq=8,hkv=1,sq=1,skv=777,d=80,causal=0,dt={}",    // 8 per group, odd d
    "attn:b=1,hq=4,hkv=1,sq=1,skv=65,d=128,causal=0,dt={}",    // 4 per group, one key past a chunk
    // Sliding window: W = 1 (each row sees only its own position), W >= skv (plain causal), W
    // not a multiple of any tile (edges mid-tile, whole tiles skipped), sq != skv both ways,
    // and decode over the last W keys with key splits.
    "attn:b=1,hq=2,hkv=1,sq=70,skv=70,d=64,causal=1,dt={},window=1",
    "attn:b=1,hq=2,hkv=2,sq=37,skv=53,d=64,causal=1,dt={},window=100",
    "attn:b=1,hq=2,hkv=2,sq=300,skv=300,d=128,causal=1,dt={},window=77",
    "attn:b=1,hq=4,hkv=2,sq=29,skv=170,d=80,causal=1,dt={},window=45",
    "attn:b=1,hq=2,hkv=1,sq=130,skv=90,d=128,causal=1,dt={},window=33",
    "attn:b=1,hq=5,hkv=1,sq=1,skv=2000,d=64,causal=1,dt={},window=1100",
    "attn:b=1,hq=2,hkv=2,sq=1,skv=300,d=20,causal=1,dt={},window=1",
};

}  // namespace

TEST_CASE("native attention matches the fp64 reference on odd shapes", "[native]") {
  const std::vector<const ck::isa_kernels*> isas = runnable_isas();
  ck::thread_pool one({1, false}), two({2, false});
  for (const char* dt : {"f32", "bf16", "bf16:f32"}) {
    for (const std::string& shape : odd_attention_shapes) {
      const attention_inputs in(fmt::format(fmt::runtime(shape), dt));
      for (const ck::isa_kernels* kernels : isas) {
        for (ck::thread_pool* pool : {&one, &two}) {
          check_attention(*kernels, *pool, in);
          // Smallest tiles: many query and key tiles, diagonal tiles, panel skipping.
          const ck::attention_tiles granule = ck::attention_tile_granule(in.w, *kernels);
          check_attention(*kernels, *pool, in, granule);
          check_attention(*kernels, *pool, in, {2 * granule.query_tile, 3 * granule.key_tile});
        }
      }
    }
  }
}

TEST_CASE("native attention: the tile choice follows the caches and respects the microkernel", "[native]") {
  const ck::isa_kernels* kernels = ck::select_kernels();
  REQUIRE(kernels != nullptr);
  const attention_workload w =
      std::get<attention_workload>(parse_workload("attn:b=1,hq=8,hkv=8,sq=4096,skv=4096,d=128,causal=0,dt=f32"));
  ck::cache_sizes small, big;
  small.l2 = 256 << 10;
  big.l2 = 2 << 20;
  const ck::attention_tiles a = ck::choose_attention_tiles(w, *kernels, small);
  const ck::attention_tiles b = ck::choose_attention_tiles(w, *kernels, big);
  for (const ck::attention_tiles& t : {a, b}) {
    CHECK(t.query_tile % kernels->mr == 0);
    CHECK(t.key_tile % kernels->nr == 0);
    CHECK(t.query_tile >= kernels->mr);
  }
  CHECK(a.query_tile < b.query_tile);  // a bigger L2 holds a taller query tile
  // A short query is not padded to a full tile: 7 rows take one granule (6 rows on AVX2 -> 2).
  const attention_workload shortq =
      std::get<attention_workload>(parse_workload("attn:b=1,hq=1,hkv=1,sq=7,skv=4096,d=128,causal=0,dt=f32"));
  CHECK(ck::choose_attention_tiles(shortq, *kernels, big).query_tile ==
        (7 + kernels->mr - 1) / kernels->mr * kernels->mr);
  // bf16 prefill on vdpbf16ps (avx512bf16 table): multiples of its 12 x 32 tile, from the same budget.
  if (const ck::isa_kernels* dot = ck::kernels_for(ck::isa::avx512_bf16)) {
    const attention_workload wb =
        std::get<attention_workload>(parse_workload("attn:b=1,hq=8,hkv=8,sq=4096,skv=4096,d=128,causal=0,dt=bf16"));
    REQUIRE(ck::attention_runs_on_bf16_dot(wb, *dot));
    const ck::attention_tiles granule = ck::attention_tile_granule(wb, *dot);
    CHECK(granule.query_tile == ck::bf16_attention_kernels::mr);
    CHECK(granule.key_tile == ck::bf16_attention_kernels::nr);
    const ck::attention_tiles sa = ck::choose_attention_tiles(wb, *dot, small);
    const ck::attention_tiles sb = ck::choose_attention_tiles(wb, *dot, big);
    for (const ck::attention_tiles& t : {sa, sb}) {
      CHECK(t.query_tile % granule.query_tile == 0);
      CHECK(t.key_tile % granule.key_tile == 0);
    }
    CHECK(sa.query_tile < sb.query_tile);
  } else {
    WARN("this CPU cannot run the avx512bf16 kernels; their tile choice is not tested here");
  }
  std::string why;
  CHECK_FALSE(ck::flash_attention_supports(
      std::get<attention_workload>(parse_workload("attn:b=1,hq=1,hkv=1,sq=7,skv=7,d=8,causal=0,dt=f16")), why));
  CHECK(why.find("f16") != std::string::npos);
}

namespace {

void check_gemm(const ck::isa_kernels& kernels, ck::thread_pool& pool, const std::string& text,
                ck::gemm_blocking blocking = {}) {
  INFO(kernels.name << ", " << pool.description() << ": " << text << " blocking mc=" << blocking.mc
                    << " kc=" << blocking.kc << " nc=" << blocking.nc);
  const gemm_workload w = std::get<gemm_workload>(parse_workload(text));
  host_tensor a(w.dt.in, w.batch * w.m * w.k), b(w.dt.in, w.batch * w.k * w.n), c(w.dt.out, w.batch * w.m * w.n);
  fill_random(a, 21);
  fill_random(b, 22);
  ck::tiled_gemm gemm(w, kernels, pool, blocking);
  for (int call = 0; call < 2; ++call) {
    fill_random(c, 30 + call);
    gemm.run(a.data(), b.data(), c.data());
  }
  const std::vector<double> expected = reference_gemm(w, a, b);
  // Each element against its natural scale sqrt(k) (inputs are standard normal).
  const double scale = std::sqrt(static_cast<double>(std::max<std::int64_t>(w.k, 1)));
  // bf16 output adds one rounding: at most the unit roundoff (2^-8) of the value.
  const double rounding = w.dt.out == dtype::bf16 ? unit_roundoff(dtype::bf16) : 0.0;
  double worst = 0.0;
  for (std::int64_t i = 0; i < w.batch * w.m * w.n; ++i) {
    const double allowed = 1e-5 * (1 + scale) + rounding * std::fabs(expected[i]);
    worst = std::max(worst, std::fabs(c.get(i) - expected[i]) / allowed);
  }
  CHECK(worst <= 1.0);
  const verification_result r = verify_gemm(w, a, b, c, 5);
  INFO(r.reason);
  CHECK(r.passed);
}

}  // namespace

TEST_CASE("native GEMM matches the fp64 reference on odd shapes, transposes and batches", "[native]") {
  const std::vector<std::string> shapes = {
      "gemm:m=17,n=33,k=65,dt={}",
      "gemm:m=17,n=33,k=65,ta=t,dt={}",
      "gemm:m=17,n=33,k=65,tb=t,dt={}",
      "gemm:m=31,n=7,k=129,ta=t,tb=t,dt={},batch=3",
      "gemm:m=1,n=1,k=1,dt={}",
      "gemm:m=64,n=1,k=300,dt={}",
      "gemm:m=1,n=200,k=64,tb=t,dt={}",
      "gemm:m=100,n=50,k=700,dt={},batch=2",
      // Decode-shaped (B streamed): several slabs and k passes, a column tail, row chunks.
      "gemm:m=16,n=600,k=300,dt={}",
      "gemm:m=32,n=256,k=64,ta=t,dt={}",
      // Three row chunks reading the first one's copy of B, three slabs of C in compact rows, a
      // column tail, a short last k pass.
      "gemm:m=29,n=1100,k=70,dt={}",
      // Up to eight rows: threads split k (odd ranges, k not a multiple of 4, a column tail, an
      // empty range at k = 1); with a batch on one thread, product after product.
      "gemm:m=1,n=300,k=333,dt={}",
      "gemm:m=2,n=1030,k=2051,dt={}",
      "gemm:m=2,n=37,k=6,ta=t,dt={},batch=3",
      "gemm:m=5,n=300,k=333,dt={}",
      "gemm:m=8,n=1030,k=203,dt={}",
      "gemm:m=6,n=50,k=19,ta=t,dt={},batch=3",
      "gemm:m=3,n=24,k=1,dt={}",
      // Batches of small products, one whole product per thread (packed, and streamed).
      "gemm:m=40,n=40,k=64,dt={},batch=7",
      "gemm:m=4,n=128,k=1,dt={},batch=9",
      "gemm:m=5,n=70,k=33,ta=t,dt={},batch=4",
      "gemm:m=40,n=33,k=20,tb=t,dt={},batch=5",
      // One pass over all of k per product, later row chunks reading the first one's copy of B.
      "gemm:m=13,n=150,k=100,dt={},batch=4",
      // On one thread a batch of decode-shaped products (on AMX: one A tile, a partial and an
      // empty panel, odd k).
      "gemm:m=13,n=45,k=41,ta=t,dt={},batch=3",
      // Decode-shaped on vdpbf16ps: two slabs, the second one partial panel; three k passes, the
      // last one odd; three row chunks of a pass that is one odd row.
      "gemm:m=12,n=530,k=517,dt={}",
      "gemm:m=25,n=64,k=3,dt={}",
  };
  for (const ck::isa_kernels* kernels : runnable_isas()) {
    for (int threads : {1, 2}) {
      ck::thread_pool pool({threads, false});
      for (const char* dt : {"f32", "bf16", "bf16:f32"}) {
        for (const std::string& shape : shapes) {
          const std::string text = fmt::format(fmt::runtime(shape), dt);
          check_gemm(*kernels, pool, text);
          const gemm_workload w = std::get<gemm_workload>(parse_workload(text));
          CHECK(ck::gemm_streams_b(w) == (!w.trans_b && (w.m <= 32 || (w.batch > 1 && w.m * w.n * w.k <= (1 << 24)))));
          // Decode-shaped bf16 products stream on the AMX tiles, on its table only, unless each
          // thread runs whole products.
          CHECK(ck::gemm_streams_on_amx(w, *kernels, threads) ==
                (kernels->id == ck::isa::amx && w.dt.in == dtype::bf16 && w.m >= 12 && w.m <= 32 &&
                 ck::gemm_streams_b(w) && !ck::gemm_parallel_over_batch(w, threads)));
          // Up to eight rows of a product streamed on its own split k (every table).
          CHECK(ck::gemm_splits_k(w, *kernels, threads) ==
                (w.m <= 8 && ck::gemm_streams_b(w) && !ck::gemm_parallel_over_batch(w, threads)));
          // From 6 rows decode-shaped bf16 products stream on vdpbf16ps, on its table only,
          // unless each thread runs whole products.
          CHECK(ck::gemm_streams_on_bf16_dot(w, *kernels, threads) ==
                (kernels->id == ck::isa::avx512_bf16 && w.dt.in == dtype::bf16 && w.m >= 6 && w.m <= 32 &&
                 ck::gemm_streams_b(w) && !ck::gemm_parallel_over_batch(w, threads)));
          // The vdpbf16ps path takes bf16 products that do not stream, on its table only.
          CHECK(ck::gemm_runs_on_bf16_dot(w, *kernels) ==
                (kernels->id == ck::isa::avx512_bf16 && w.dt.in == dtype::bf16 && !ck::gemm_streams_b(w)));
          // Small blocks: several row blocks, k blocks (accumulation) and column blocks; the
          // AMX tiles need multiples of 32 everywhere.
          if (ck::gemm_runs_on_amx(std::get<gemm_workload>(parse_workload(text)), *kernels)) {
            check_gemm(*kernels, pool, text, {32, 32, 32});
            check_gemm(*kernels, pool, text, {64, 64, 96});
          } else {
            check_gemm(*kernels, pool, text, {kernels->mr, 16, kernels->nr});
            check_gemm(*kernels, pool, text, {3 * kernels->mr, 40, 2 * kernels->nr});
            // Odd kc: k blocks start at odd offsets (unaligned words in the packing) and end in
            // a half pair on vdpbf16ps.
            check_gemm(*kernels, pool, text, {2 * kernels->mr, 17, kernels->nr});
          }
        }
      }
    }
  }
}

TEST_CASE("k split: the partial C fits its buffer, its rows and B's are a gap apart modulo 4 KiB", "[native]") {
  // The placement's promise (tiled_gemm.cpp): rows 4 KiB / (m + 1) apart modulo 4 KiB, rounded
  // down to a cache line, and B's first element at least that far from every row, whatever the
  // allocator's offsets of B and of the buffer.
  constexpr std::int64_t page = 4096;
  const auto low = [](const void* p) { return static_cast<std::int64_t>(reinterpret_cast<std::uintptr_t>(p) % page); };
  const auto apart = [](std::int64_t x, std::int64_t y) {  // distance on the 4 KiB circle
    const std::int64_t d = ((x - y) % page + page) % page;
    return std::min(d, page - d);
  };
  std::vector<char> b_memory(2 * page);
  for (std::int64_t m = 1; m <= ck::isa_kernels::stream_rows_max; ++m)
    for (std::int64_t n : {1, 24, 300, 1030, 4096}) {
      const std::int64_t stride = ck::k_split_part_stride(m, n), floats = ck::k_split_part_floats(m, n);
      const std::int64_t gap_bytes = page / (m + 1) / 64 * 64;
      CHECK(stride >= n);
      ck::aligned_buffer buffer(floats);
      for (std::int64_t b_offset : {0, 2, 64, 1000, 2048, 4094}) {
        const void* b_start = b_memory.data() + b_offset;
        float* c = ck::k_split_part_origin(buffer.data(), m, b_start);
        INFO("m=" << m << " n=" << n << " B at +" << b_offset);
        CHECK(reinterpret_cast<std::uintptr_t>(c) % 64 == 0);
        CHECK(c >= buffer.data());
        CHECK(c + (m - 1) * stride + n <= buffer.data() + floats);
        for (std::int64_t i = 0; i < m; ++i) {
          CHECK(apart(low(c + i * stride), low(b_start)) >= gap_bytes - 64);  // the origin rounds down a line
          for (std::int64_t r = 0; r < i; ++r) CHECK(apart(low(c + i * stride), low(c + r * stride)) >= gap_bytes);
        }
      }
    }
}

TEST_CASE("GEMM packing: word transpose and pair interleave, every edge", "[native]") {
  // Source rows 2 words longer than used and starting at a 2-byte offset: strides and alignment
  // are the caller's, not the routine's.
  for (std::int64_t rows : {1, 3, 4, 5, 12, 13}) {
    for (std::int64_t cols : {1, 3, 4, 7, 8, 33}) {
      const std::int64_t stride_words = cols + 2, dst_stride = rows + 3;
      std::vector<std::uint16_t> src(static_cast<std::size_t>(2 * rows * stride_words + 1));
      for (std::size_t i = 0; i < src.size(); ++i) src[i] = static_cast<std::uint16_t>(i * 7 + 1);
      std::vector<std::uint32_t> dst(static_cast<std::size_t>(cols * dst_stride), 0xdeadbeef);
      ck::transpose_words(src.data() + 1, stride_words * 4, rows, cols, dst.data(), dst_stride);
      for (std::int64_t c = 0; c < cols; ++c)
        for (std::int64_t r = 0; r < dst_stride; ++r) {
          INFO("rows " << rows << " cols " << cols << " at " << r << ", " << c);
          std::uint32_t expected = 0xdeadbeef;  // past `rows`: untouched
          if (r < rows) std::memcpy(&expected, src.data() + 1 + r * 2 * stride_words + 2 * c, 4);
          REQUIRE(dst[static_cast<std::size_t>(c * dst_stride + r)] == expected);
        }
    }
  }
  for (std::int64_t count : {1, 7, 8, 9, 16, 37}) {
    std::vector<std::uint16_t> first(static_cast<std::size_t>(count)), second(first.size());
    for (std::int64_t j = 0; j < count; ++j) {
      first[static_cast<std::size_t>(j)] = static_cast<std::uint16_t>(100 + j);
      second[static_cast<std::size_t>(j)] = static_cast<std::uint16_t>(900 + j);
    }
    std::vector<std::uint16_t> dst(static_cast<std::size_t>(2 * count + 2), 7);
    ck::interleave_pairs(first.data(), second.data(), count, dst.data());
    std::vector<std::uint16_t> lone(dst.size(), 7);
    ck::interleave_pairs(first.data(), nullptr, count, lone.data());
    for (std::int64_t j = 0; j < count; ++j) {
      INFO("count " << count << " at " << j);
      CHECK(dst[static_cast<std::size_t>(2 * j)] == 100 + j);
      CHECK(dst[static_cast<std::size_t>(2 * j + 1)] == 900 + j);
      CHECK(lone[static_cast<std::size_t>(2 * j)] == 100 + j);
      CHECK(lone[static_cast<std::size_t>(2 * j + 1)] == 0);
    }
    CHECK(dst[static_cast<std::size_t>(2 * count)] == 7);  // nothing written past the end
  }
}

TEST_CASE("vdpbf16ps row packing: pair panels from B's rows, zeros past k and past the columns", "[native]") {
  const ck::isa_kernels* dot = ck::kernels_for(ck::isa::avx512_bf16);
  if (dot == nullptr) {
    WARN("this CPU cannot run the avx512bf16 kernels; their row packing is not tested here");
    return;
  }
  constexpr std::int64_t nr = ck::bf16_dot_kernels::nr;
  // Pair counts around pack_rows's prefetch distance, odd and padded k, whole and partial panels.
  for (std::int64_t k_count : {1, 2, 7, 18, 21}) {
    for (std::int64_t k_pad : {(k_count + 1) / 2 * 2, (k_count + 1) / 2 * 2 + 4}) {
      for (std::int64_t cols : {1, 31, 32, 33, 96, 100}) {
        const std::int64_t ld = cols + 5, panels = (cols + nr - 1) / nr, stride = k_pad * nr + 32;
        // The source starts at an odd element: no alignment is assumed.
        std::vector<std::uint16_t> src(static_cast<std::size_t>(k_count * ld + 1));
        for (std::size_t i = 0; i < src.size(); ++i) src[i] = static_cast<std::uint16_t>(i * 13 + 1);
        std::vector<std::uint16_t> out(static_cast<std::size_t>(panels * stride), 0xbeef);
        dot->bf16_dot->pack_rows(src.data() + 1, ld, k_count, k_pad, cols, out.data(), stride);
        for (std::int64_t p = 0; p < panels; ++p)
          for (std::int64_t kk = 0; kk < k_pad; ++kk)
            for (std::int64_t j = 0; j < nr; ++j) {
              const std::int64_t col = p * nr + j;
              const std::uint16_t expected =
                  kk < k_count && col < cols ? src[static_cast<std::size_t>(1 + kk * ld + col)] : 0;
              INFO("k " << k_count << "/" << k_pad << " cols " << cols << ": panel " << p << " kk " << kk << " j "
                        << j);
              REQUIRE(out[static_cast<std::size_t>(p * stride + (kk / 2) * 2 * nr + 2 * j + kk % 2)] == expected);
            }
      }
    }
  }
}

TEST_CASE("GEMM blocking: A micro-panels in the L1, each thread's B block in the L2, items to share", "[native]") {
  ck::cache_sizes caches;
  caches.l1d = 48 << 10;
  caches.l2 = 2 << 20;
  caches.l3 = 300 << 20;
  for (const ck::isa_kernels* kernels : runnable_isas()) {
    for (const char* shape : {"m=4096,n=4096,k=4096", "m=4096,n=64,k=1000", "m=100,n=20000,k=4096"}) {
      for (const char* dt : {"f32", "bf16"}) {
        const gemm_workload w = std::get<gemm_workload>(parse_workload(fmt::format("gemm:{},dt={}", shape, dt)));
        if (ck::gemm_runs_on_amx(w, *kernels)) continue;  // 32 x 32 tiles, their own rule
        INFO(kernels->name << " " << shape << " " << dt);
        const ck::gemm_blocking b = ck::choose_gemm_blocking(w, *kernels, caches, 2);
        CHECK(b.mc % kernels->mr == 0);
        CHECK(b.nc % kernels->nr == 0);
        if (ck::gemm_runs_on_bf16_dot(w, *kernels)) {
          // vdpbf16ps: the B panel (bf16 pairs) fills the L1, the A block half the L2, row
          // blocks even over the threads.
          CHECK(b.kc == std::min<std::int64_t>({768, caches.l1d / (kernels->nr * 2), w.k}) / 2 * 2);
          CHECK(b.mc * b.kc * 2 <= caches.l2 / 2);
          CHECK((w.m + b.mc - 1) / b.mc % 2 == 0);
          continue;
        }
        // f32 tiles: the A micro-panel takes at most 3/8 of the L1, a thread's B block at
        // most half its L2, and there are at least four work items per thread.
        CHECK(b.kc == std::min<std::int64_t>({384, caches.l1d * 3 / 8 / (kernels->mr * 4), w.k}));
        CHECK(kernels->mr * b.kc * 4 <= caches.l1d * 3 / 8);
        CHECK(b.kc * b.nc * 4 <= caches.l2 / 2);
        const std::int64_t items = (w.n + b.nc - 1) / b.nc * ((w.m + b.mc - 1) / b.mc);
        CHECK(items >= 8);
        CHECK(b.mc < w.m + kernels->mr);  // no item is all padding
      }
    }
  }
}

TEST_CASE("thread pool: every item once, exceptions come back, description names the pinning", "[native]") {
  ck::thread_pool pool({3, false});
  CHECK(pool.size() == 3);
  CHECK(pool.description() == "3 threads, not pinned");
  std::vector<std::atomic<int>> hits(1000);
  pool.parallel_for(1000, [&](std::int64_t i, int thread) {
    REQUIRE(thread >= 0);
    REQUIRE(thread < 3);
    hits[static_cast<std::size_t>(i)]++;
  });
  for (const auto& h : hits) CHECK(h.load() == 1);
  CHECK_THROWS_WITH(pool.parallel_for(50,
                                      [](std::int64_t i, int) {
                                        if (i == 17) throw std::runtime_error("item 17");
                                      }),
                    "item 17");
  pool.parallel_for(4, [](std::int64_t, int) {});  // still usable afterwards
  // Calls back to back, with fewer items than threads at times: workers that wake late join the
  // next call or none, and no item is still running when its call returns. The worker's items
  // take longer than the caller's, so a caller that did not wait for it would see one running.
  ck::thread_pool pair({2, false});
  std::atomic<int> running{0}, worker_items{0};
  const auto busy = [](int microseconds) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(microseconds);
    while (std::chrono::steady_clock::now() < until) {
    }
  };
  for (int call = 0; call < 200; ++call) {
    const int count = 1 + call % 4;
    std::vector<int> seen(static_cast<std::size_t>(count), 0);  // destroyed before the next call
    pair.parallel_for(count, [&](std::int64_t i, int thread) {
      running++;
      seen[static_cast<std::size_t>(i)]++;
      if (thread != 0) worker_items++;
      busy(thread == 0 ? 50 : 500);
      running--;
    });
    REQUIRE(running.load() == 0);
    REQUIRE(std::count(seen.begin(), seen.end(), 1) == count);
  }
  CHECK(worker_items.load() > 0);
  // wake(): workers asleep after an idle period (well past their 200 us watch) all answer, and
  // the pool works as before afterwards; a pool without workers has none to wake.
  ck::thread_pool trio({3, false});
  for (int round = 0; round < 3; ++round) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    CHECK(trio.wake() == 2);
    std::vector<std::atomic<int>> woken_hits(64);
    trio.parallel_for(64, [&](std::int64_t i, int) { woken_hits[static_cast<std::size_t>(i)]++; });
    for (const auto& h : woken_hits) CHECK(h.load() == 1);
  }
  // Right after a call, while they still watch (100 us), it leaves them be: asserted on a try
  // that took less than that from the call's start to wake's return, whatever the machine's load.
  bool quick_try = false;
  for (int attempt = 0; attempt < 100 && !quick_try; ++attempt) {
    const auto before = std::chrono::steady_clock::now();
    trio.parallel_for(3, [](std::int64_t, int) {});
    const int woken = trio.wake();
    if (std::chrono::steady_clock::now() - before < std::chrono::microseconds(100)) {
      CHECK(woken == 0);
      quick_try = true;
    }
  }
  CHECK(quick_try);
  CHECK(ck::thread_pool({1, false}).wake() == 0);
  ck::thread_pool pinned({1, true});
  CHECK(pinned.description().find("pinned to CPUs") != std::string::npos);
}

namespace {

std::int64_t status_kib(const char* key) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(key, 0) == 0) return std::stoll(line.substr(std::strlen(key)));
  }
  return -1;
}

}  // namespace

TEST_CASE("native attention memory stays O(S·D): no S x S buffer", "[native]") {
  // sq = skv = 8192, d = 64: the score matrix of one head alone would be 256 MiB.
  attention_inputs in("attn:b=1,hq=1,hkv=1,sq=8192,skv=8192,d=64,causal=1,dt=f32");
  host_tensor o(in.w.dt.out, in.w.sq * in.w.d);
  fill_random(o, 1);
  // Reset the peak-RSS mark (Linux >= 4.0), so VmHWM measures only what follows.
  { std::ofstream("/proc/self/clear_refs") << "5"; }
  const std::int64_t before = status_kib("VmRSS:");
  if (before < 0 || status_kib("VmHWM:") < 0) {
    return accelbench::testing::skip_test(
        "no VmRSS/VmHWM in /proc/self/status here: the memory bound cannot be measured");
  }
  {
    ck::thread_pool pool({2, false});
    ck::flash_attention attention(in.w, *ck::select_kernels(), pool);
    // Packed K and V (f32) plus per-thread tiles: a few MiB, linear in S.
    CHECK(attention.workspace_bytes() < 8 << 20);
    attention.run(in.q.data(), in.k.data(), in.v.data(), o.data());
  }
  const std::int64_t peak_growth_kib = status_kib("VmHWM:") - before;
  INFO("peak RSS growth " << peak_growth_kib << " KiB");
  CHECK(peak_growth_kib < 16 * 1024);  // vs 262144 KiB for one S x S f32 score matrix
  // Spot-check correctness of this long case with the harness's sampled-row verification.
  const verification_result r = verify_attention(in.w, in.q, in.k, in.v, o, 3);
  INFO(r.reason);
  CHECK(r.passed);
}

namespace {

const backend_entry* native_backend() {
  static std::vector<backend_entry> entries = load_backends();
  for (const backend_entry& e : entries)
    if (e.name == "native") return e.available ? &e : nullptr;
  return nullptr;
}

// supports -> prepare -> run twice -> read_output -> harness verification; returns support status.
ab_status run_abi(const std::string& text, std::string& reason_out) {
  const backend_entry* backend = native_backend();
  REQUIRE(backend != nullptr);
  const workload w = parse_workload(text);
  const std::string canonical = to_string(w);
  const ab_workload abi = to_abi(w, canonical);
  std::array<char, 512> reason{};
  const ab_status support = backend->table->supports(0, &abi, reason.data(), reason.size());
  reason_out = reason.data();
  if (support != AB_OK) return support;
  std::vector<host_tensor> inputs;
  for (std::int64_t count : input_element_counts(w)) inputs.emplace_back(dtypes_of(w).in, count);
  const std::int64_t out_count = output_element_count(w);
  std::vector<ab_host_tensor> views;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    fill_random(inputs[i], 40 + i);
    views.push_back({inputs[i].data(), static_cast<std::uint64_t>(inputs[i].bytes())});
  }
  ab_plan* raw = nullptr;
  REQUIRE(backend->table->prepare(0, &abi, views.data(), static_cast<uint32_t>(views.size()), &raw, reason.data(),
                                  reason.size()) == AB_OK);
  plan_handle plan(raw, plan_deleter{backend->table});
  const std::string description = backend->table->plan_description(plan.get());
  CHECK(description.find("thread") != std::string::npos);  // thread count and pinning recorded
  REQUIRE(backend->table->run(plan.get()) == AB_OK);
  REQUIRE(backend->table->run(plan.get()) == AB_OK);
  host_tensor out(dtypes_of(w).out, out_count);
  REQUIRE(backend->table->read_output(plan.get(), out.data(), static_cast<std::uint64_t>(out.bytes())) == AB_OK);
  CHECK(backend->table->read_output(plan.get(), out.data(), static_cast<std::uint64_t>(out.bytes()) - 1) == AB_ERROR);
  const verification_result r =
      std::holds_alternative<gemm_workload>(w)
          ? verify_gemm(std::get<gemm_workload>(w), inputs[0], inputs[1], out, 7)
          : verify_attention(std::get<attention_workload>(w), inputs[0], inputs[1], inputs[2], out, 7);
  INFO(text << ": " << description << ": " << r.reason);
  CHECK(r.passed);
  return support;
}

}  // namespace

TEST_CASE("native backend through the ABI: verified results, honest refusals", "[native]") {
  if (native_backend() == nullptr) {
    return accelbench::testing::skip_test("native backend unavailable here (needs AVX2+FMA)");
  }
  std::string reason;
  for (const char* text :
       {"gemm:m=300,n=257,k=1000,ta=t,tb=t,dt=f32", "gemm:m=512,n=512,k=512,dt=bf16",
        "gemm:m=70,n=90,k=33,dt=bf16:f32,batch=2", "attn:b=1,hq=4,hkv=2,sq=256,skv=512,d=64,causal=1,dt=f32",
        "attn:b=1,hq=8,hkv=8,sq=300,skv=300,d=128,causal=0,dt=bf16",
        "attn:b=2,hq=32,hkv=8,sq=1,skv=4096,d=128,causal=0,dt=bf16"}) {
    INFO(text);
    CHECK(run_abi(text, reason) == AB_OK);
  }
  for (const char* text : {"gemm:m=8,n=8,k=8,dt=f16", "gemm:m=8,n=8,k=8,dt=s8", "gemm:m=8,n=8,k=8,dt=f64",
                           "attn:b=1,hq=2,hkv=2,sq=16,skv=16,d=8,causal=0,dt=f16"}) {
    INFO(text);
    CHECK(run_abi(text, reason) == AB_UNSUPPORTED);
    CHECK_FALSE(reason.empty());
  }
}

TEST_CASE("ACCELBENCH_NATIVE_ISA/THREADS/PIN: a bad value names the variable, never the silent default", "[native]") {
  struct bad_value {
    const char* variable;
    const char* value;
    const char* message;
  };
  const std::vector<bad_value> cases = {
      {"ACCELBENCH_NATIVE_ISA", "avx9",
       "ACCELBENCH_NATIVE_ISA='avx9': accepted values are avx2, avx512, avx512bf16, amx"},
      {"ACCELBENCH_NATIVE_THREADS", "abc",
       "ACCELBENCH_NATIVE_THREADS='abc': accepted values are 0 (one per CPU) to 1024 threads"},
      {"ACCELBENCH_NATIVE_THREADS", "-1",
       "ACCELBENCH_NATIVE_THREADS='-1': accepted values are 0 (one per CPU) to 1024 threads"},
      {"ACCELBENCH_NATIVE_THREADS", "2x",
       "ACCELBENCH_NATIVE_THREADS='2x': accepted values are 0 (one per CPU) to 1024 threads"},
      {"ACCELBENCH_NATIVE_PIN", "yes", "ACCELBENCH_NATIVE_PIN='yes': accepted values are 0, 1"},
  };
  for (const bad_value& c : cases) {
    INFO(c.variable << "=" << c.value);
    REQUIRE(setenv(c.variable, c.value, 1) == 0);
    if (std::string(c.variable) == "ACCELBENCH_NATIVE_ISA") {
      CHECK_THROWS_WITH(ck::select_kernels(), c.message);
    } else {
      CHECK_THROWS_WITH(ck::thread_settings::from_environment(), c.message);
    }
    // Through the backend table: unavailable with that reason, so `run -b native` exits 2 with it.
    std::vector<backend_entry> entries = load_backends();
    for (const backend_entry& e : entries) {
      if (e.name != "native") continue;
      CHECK_FALSE(e.available);
      // (A plugin build prefixes the plugin's path.)
      CHECK_THAT(e.reason, Catch::EndsWith(std::string("initialization failed: ") + c.message));
    }
    shutdown_backends(entries);
    unsetenv(c.variable);
  }
  // Good values are taken.
  REQUIRE(setenv("ACCELBENCH_NATIVE_THREADS", "3", 1) == 0);
  REQUIRE(setenv("ACCELBENCH_NATIVE_PIN", "0", 1) == 0);
  const ck::thread_settings s = ck::thread_settings::from_environment();
  CHECK(s.threads == 3);
  CHECK_FALSE(s.pin);
  unsetenv("ACCELBENCH_NATIVE_THREADS");
  unsetenv("ACCELBENCH_NATIVE_PIN");
  REQUIRE(setenv("ACCELBENCH_NATIVE_ISA", "avx2", 1) == 0);
  CHECK(ck::select_kernels()->id == ck::isa::avx2);
  // An ISA this CPU lacks is named as such (only checkable where one is missing).
  for (ck::isa id : {ck::isa::avx512, ck::isa::amx}) {
    if (ck::kernels_for(id) != nullptr) continue;
    REQUIRE(setenv("ACCELBENCH_NATIVE_ISA", ck::to_string(id).c_str(), 1) == 0);
    CHECK_THROWS_WITH(ck::select_kernels(), Catch::Contains("this CPU cannot run it"));
  }
  unsetenv("ACCELBENCH_NATIVE_ISA");
}
