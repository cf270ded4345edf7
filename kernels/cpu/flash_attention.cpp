#include "kernels/cpu/flash_attention.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

namespace accelbench::cpu_kernels {
namespace {

constexpr float log2e = 1.4426950408889634f;
constexpr float no_max = -1e30f;  // finite "minus infinity": 2^(no_max - m) is 0, never NaN

// `rows` bf16 rows of d elements (row stride d) as rows_pad rows of `width` (>= d), zero past d
// and past `rows`: the query tile of the bf16 tile kernels (AMX, vdpbf16ps).
void copy_bf16_rows(const std::uint16_t* src, std::int64_t rows, std::int64_t rows_pad, std::int64_t d,
                    std::int64_t width, std::uint16_t* dst) {
  for (std::int64_t r = 0; r < rows_pad; ++r) {
    std::uint16_t* row = dst + r * width;
    if (r < rows) std::memcpy(row, src + r * d, static_cast<std::size_t>(d) * 2);
    std::fill(row + (r < rows ? d : 0), row + width, std::uint16_t{0});
  }
}

// AMX tiles: 128 query rows x 256 keys, among the fastest of 32-256 x 64-512 measured
// (docs/performance.md).
constexpr std::int64_t amx_max_query_tile = 128, amx_key_tile = 256;
// vdpbf16ps tiles: 256 keys (as on AMX), query rows from the L2 budget, at most 192.
constexpr std::int64_t dot_max_query_tile = 192, dot_key_tile = 256;

std::int64_t round_up(std::int64_t x, std::int64_t to) { return (x + to - 1) / to * to; }
std::int64_t ceil_div(std::int64_t x, std::int64_t to) { return (x + to - 1) / to; }

inline float bf16_to_f32(std::uint16_t bits) {
  const std::uint32_t wide = static_cast<std::uint32_t>(bits) << 16;
  float value;
  std::memcpy(&value, &wide, sizeof(value));
  return value;
}

inline float load_in(const void* base, bool bf16, std::int64_t index) {
  return bf16 ? bf16_to_f32(static_cast<const std::uint16_t*>(base)[index]) : static_cast<const float*>(base)[index];
}

inline void store_out(void* base, dtype out, std::int64_t index, float value) {
  if (out == dtype::bf16) {
    static_cast<std::uint16_t*>(base)[index] = float_to_bf16_bits(value);
  } else {
    static_cast<float*>(base)[index] = value;
  }
}

std::string mask_description(const attention_workload& w) {
  if (w.window > 0) return fmt::format("causal and window {}: tiles outside both skipped", w.window);
  return w.causal ? "causal tiles skipped" : "no mask";
}

}  // namespace

bool flash_attention_supports(const attention_workload& w, std::string& why) {
  const bool in_ok = w.dt.in == dtype::f32 || w.dt.in == dtype::bf16;
  const bool out_ok = w.dt.out == dtype::f32 || w.dt.out == dtype::bf16;
  if (!in_ok || !out_ok || w.dt.acc != dtype::f32) {
    why = fmt::format(
        "native attention takes f32 or bf16 inputs, f32 or bf16 output and f32 accumulation; not dt={}:{}:{}",
        to_string(w.dt.in), to_string(w.dt.out), to_string(w.dt.acc));
    return false;
  }
  if (w.hkv <= 0 || w.hq % w.hkv != 0) {
    why = "hq must be a multiple of hkv";
    return false;
  }
  return true;
}

bool attention_runs_on_amx(const attention_workload& w, const isa_kernels& kernels) {
  return kernels.amx != nullptr && w.dt.in == dtype::bf16 && w.sq > 1;
}

bool attention_runs_on_bf16_dot(const attention_workload& w, const isa_kernels& kernels) {
  return kernels.bf16_attention != nullptr && kernels.amx == nullptr && w.dt.in == dtype::bf16 && w.sq > 1;
}

bool attention_rounds_probabilities(const attention_workload& w, const isa_kernels& kernels) {
  return attention_runs_on_amx(w, kernels) || attention_runs_on_bf16_dot(w, kernels);
}

attention_tiles attention_tile_granule(const attention_workload& w, const isa_kernels& kernels) {
  if (attention_runs_on_amx(w, kernels)) return {amx_bf16_kernels::tile_rows, amx_bf16_kernels::tile_cols};
  if (attention_runs_on_bf16_dot(w, kernels)) return {bf16_attention_kernels::mr, bf16_attention_kernels::nr};
  return {kernels.mr, kernels.nr};
}

attention_tiles choose_attention_tiles(const attention_workload& w, const isa_kernels& kernels,
                                       const cache_sizes& caches) {
  attention_tiles t;
  if (attention_runs_on_amx(w, kernels)) {
    // bf16 Q and P, f32 S and O per query row; bf16 K and V tiles.
    const std::int64_t granule = amx_bf16_kernels::tile_rows, d_pad = round_up(w.d, granule);
    t.key_tile = std::min<std::int64_t>(amx_key_tile, round_up(w.skv, granule));
    const std::int64_t budget = caches.l2 / 2 - 2 * t.key_tile * d_pad * 2;
    const std::int64_t per_row = (2 * d_pad + 4 * d_pad + 6 * t.key_tile);
    std::int64_t rows = std::clamp<std::int64_t>(budget / per_row, granule, amx_max_query_tile);
    rows = std::max<std::int64_t>(granule, rows / granule * granule);
    t.query_tile = std::min(rows, round_up(w.sq, granule));
    return t;
  }
  if (attention_runs_on_bf16_dot(w, kernels)) {
    // bf16 Q and P, f32 S and O per query row; bf16 K and V tiles.
    constexpr std::int64_t mr = bf16_attention_kernels::mr, nr = bf16_attention_kernels::nr;
    const std::int64_t d_cols = round_up(w.d, nr);
    t.key_tile = std::min<std::int64_t>(dot_key_tile, round_up(w.skv, nr));
    const std::int64_t budget = caches.l2 / 2 - 2 * t.key_tile * d_cols * 2;
    const std::int64_t per_row = 2 * d_cols + 4 * d_cols + 6 * t.key_tile;
    std::int64_t rows = std::clamp<std::int64_t>(budget / per_row, mr, dot_max_query_tile);
    rows = std::max<std::int64_t>(mr, rows / mr * mr);
    t.query_tile = std::min(rows, round_up(w.sq, mr));
    return t;
  }
  const std::int64_t d_pad = round_up(w.d, kernels.nr);
  // Key tile: 128 keys (the softmax works on whole rows of it), fewer for short sequences.
  t.key_tile = std::min<std::int64_t>(round_up(128, kernels.nr), round_up(w.skv, kernels.nr));
  // Query tile: what is left of half the L2 after the K and V tiles, at 4 bytes per element of
  // Q, O (d_pad each) and S (key_tile) per row.
  const std::int64_t budget = caches.l2 / 2 - 2 * t.key_tile * d_pad * 4;
  const std::int64_t per_row = (w.d + d_pad + t.key_tile) * 4;
  std::int64_t rows = std::clamp<std::int64_t>(budget / per_row, kernels.mr, 192);
  rows = std::max<std::int64_t>(kernels.mr, rows / kernels.mr * kernels.mr);
  t.query_tile = std::min(rows, round_up(w.sq, kernels.mr));
  return t;
}

flash_attention::flash_attention(const attention_workload& w, const isa_kernels& kernels, thread_pool& pool,
                                 attention_tiles tiles)
    : m_w(w), m_k(kernels), m_pool(pool) {
  std::string why;
  if (!flash_attention_supports(w, why)) throw std::invalid_argument(why);
  m_tiles = tiles.query_tile > 0 ? tiles : choose_attention_tiles(w, kernels, host_cache_sizes());
  const attention_tiles granule = attention_tile_granule(w, kernels);
  if (m_tiles.query_tile % granule.query_tile != 0 || m_tiles.key_tile % granule.key_tile != 0 || m_tiles.key_tile <= 0)
    throw std::invalid_argument(
        fmt::format("attention tiles must be multiples of {}x{}", granule.query_tile, granule.key_tile));
  m_bf16_in = w.dt.in == dtype::bf16;
  m_group = w.hq / w.hkv;
  m_c = static_cast<float>(default_softmax_scale(w)) * log2e;
  m_decode = w.sq == 1;
  const auto threads = static_cast<std::size_t>(pool.size());
  m_scratch.resize(threads);
  if (m_decode) {
    // Enough (batch, KV head, key split) items for ~4 per thread, at least 512 keys a split.
    const std::int64_t heads = w.b * w.hkv;
    const std::int64_t visible = causal_key_limit(w, 0) - window_key_start(w, 0);
    m_splits = std::clamp<std::int64_t>(ceil_div(4 * pool.size(), heads), 1, std::max<std::int64_t>(1, visible / 512));
    m_split_keys = std::max<std::int64_t>(1, ceil_div(visible, m_splits));
    m_partial = aligned_buffer(heads * m_splits * m_group * (w.d + 2));
    for (scratch& s : m_scratch) {
      s.q = aligned_buffer(m_group * w.d);
      s.s = aligned_buffer(m_group * 64);
    }
    return;
  }
  if (attention_runs_on_amx(w, kernels)) {
    m_amx = kernels.amx;
    m_d_amx = round_up(w.d, amx_bf16_kernels::tile_cols);
    m_skv_amx = round_up(w.skv, amx_bf16_kernels::tile_cols);
    m_query_tiles = ceil_div(w.sq, m_tiles.query_tile);
    const std::int64_t panel_elements = w.b * w.hkv * m_skv_amx * m_d_amx;  // bf16, K and V alike
    m_k_packed = aligned_buffer(panel_elements / 2);
    m_v_packed = aligned_buffer(panel_elements / 2);
    const std::int64_t rows = m_tiles.query_tile;
    for (scratch& s : m_scratch) {
      s.q = aligned_buffer(rows * m_d_amx / 2);
      s.s = aligned_buffer(rows * m_tiles.key_tile);
      s.p = aligned_buffer(rows * m_tiles.key_tile / 2);
      s.o = aligned_buffer(rows * m_d_amx);
      s.m = aligned_buffer(rows);
      s.l = aligned_buffer(rows);
      s.alpha = aligned_buffer(rows);
    }
    return;
  }
  if (attention_runs_on_bf16_dot(w, kernels)) {
    m_dot = kernels.bf16_attention;
    constexpr std::int64_t nr = bf16_attention_kernels::nr;
    m_d_even = round_up(w.d, 2);
    m_d_cols = round_up(w.d, nr);
    m_skv_dot = round_up(w.skv, nr);
    m_query_tiles = ceil_div(w.sq, m_tiles.query_tile);
    // bf16, two per float of the buffers
    m_k_packed = aligned_buffer(w.b * w.hkv * m_skv_dot * m_d_even / 2);
    m_v_packed = aligned_buffer(w.b * w.hkv * m_skv_dot * m_d_cols / 2);
    const std::int64_t rows = m_tiles.query_tile;
    for (scratch& s : m_scratch) {
      s.q = aligned_buffer(rows * m_d_even / 2);
      s.s = aligned_buffer(rows * m_tiles.key_tile);
      s.p = aligned_buffer(rows * m_tiles.key_tile / 2);
      s.o = aligned_buffer(rows * m_d_cols);
      s.m = aligned_buffer(rows);
      s.l = aligned_buffer(rows);
      s.alpha = aligned_buffer(rows);
    }
    return;
  }
  m_d_pad = round_up(w.d, kernels.nr);
  m_key_panels = ceil_div(w.skv, kernels.nr);
  m_value_panels = m_d_pad / kernels.nr;
  m_query_tiles = ceil_div(w.sq, m_tiles.query_tile);
  m_k_packed = aligned_buffer(w.b * w.hkv * m_key_panels * w.d * kernels.nr);
  m_v_packed = aligned_buffer(w.b * w.hkv * m_value_panels * w.skv * kernels.nr);
  const std::int64_t rows = m_tiles.query_tile;
  for (scratch& s : m_scratch) {
    s.q = aligned_buffer(rows * w.d);
    s.s = aligned_buffer(rows * m_tiles.key_tile);
    s.o = aligned_buffer(rows * m_d_pad);
    s.m = aligned_buffer(rows);
    s.l = aligned_buffer(rows);
    s.alpha = aligned_buffer(rows);
  }
}

std::int64_t flash_attention::workspace_bytes() const {
  std::int64_t total = m_k_packed.bytes() + m_v_packed.bytes() + m_partial.bytes();
  for (const scratch& s : m_scratch) total += s.q.bytes() + s.s.bytes() + s.p.bytes() + s.o.bytes() + s.m.bytes() * 3;
  return total;
}

std::string flash_attention::description() const {
  if (m_decode) {
    return fmt::format("native flash attention, decode path ({} query heads per K/V read, {} key splits), {}{}; {}",
                       m_group, m_splits, m_k.name, m_bf16_in ? ", bf16 K/V widened in registers" : "",
                       m_pool.description());
  }
  if (m_amx != nullptr) {
    return fmt::format(
        "native flash attention: {}x{} query x key tiles, 32x32 AMX-BF16 tiles (tdpbf16ps, f32 "
        "accumulation; probabilities rounded to bf16 for P.V), {} softmax, {}; {}; {}",
        m_tiles.query_tile, m_tiles.key_tile, m_k.name, mask_description(m_w), host_cache_sizes().to_string(),
        m_pool.description());
  }
  if (m_dot != nullptr) {
    return fmt::format(
        "native flash attention: {}x{} query x key tiles, {}x{} vdpbf16ps tiles (bf16 pairs, f32 "
        "accumulation; probabilities rounded to bf16 for P.V), {} softmax, {}; {}; {}",
        m_tiles.query_tile, m_tiles.key_tile, bf16_attention_kernels::mr, bf16_attention_kernels::nr, m_k.name,
        mask_description(m_w), host_cache_sizes().to_string(), m_pool.description());
  }
  return fmt::format("native flash attention: {}x{} query x key tiles, {}x{} {} microkernel, {}{}; {}; {}",
                     m_tiles.query_tile, m_tiles.key_tile, m_k.mr, m_k.nr, m_k.name,
                     m_bf16_in ? "bf16 widened to f32, " : "", mask_description(m_w), host_cache_sizes().to_string(),
                     m_pool.description());
}

void flash_attention::run(const void* q, const void* k, const void* v, void* out) {
  if (m_decode) {
    run_decode(q, k, v, out);
  } else {
    run_prefill(q, k, v, out);
  }
}

namespace {

template <bool bf16>
inline float input_at(const void* base, std::int64_t index) {
  if constexpr (bf16) {
    return bf16_to_f32(static_cast<const std::uint16_t*>(base)[index]);
  } else {
    return static_cast<const float*>(base)[index];
  }
}

// panel[x][j] = K[first_key + j][x] for j < keys, 0 for the rest of the nr keys.
template <bool bf16>
void pack_key_panel(const void* k, std::int64_t first_key, std::int64_t keys, std::int64_t d, std::int64_t nr,
                    float* panel) {
  for (std::int64_t j = 0; j < nr; ++j) {
    if (j >= keys) {
      for (std::int64_t x = 0; x < d; ++x) panel[x * nr + j] = 0.0f;
      continue;
    }
    const std::int64_t row = (first_key + j) * d;
    for (std::int64_t x = 0; x < d; ++x) panel[x * nr + j] = input_at<bf16>(k, row + x);
  }
}

// panel[j][x] = V[j][first_column + x] for x < columns, 0 for the rest of the nr columns.
template <bool bf16>
void pack_value_panel(const void* v, std::int64_t first_column, std::int64_t columns, std::int64_t skv, std::int64_t d,
                      std::int64_t nr, float* panel) {
  for (std::int64_t j = 0; j < skv; ++j) {
    const std::int64_t row = j * d + first_column;
    float* out = panel + j * nr;
    for (std::int64_t x = 0; x < columns; ++x) out[x] = input_at<bf16>(v, row + x);
    for (std::int64_t x = columns; x < nr; ++x) out[x] = 0.0f;
  }
}

}  // namespace

void flash_attention::pack_kv(const void* k, const void* v) {
  const std::int64_t nr = m_k.nr, d = m_w.d, skv = m_w.skv;
  // One item per (head, panel) of K and of V, so a single head still uses every thread.
  const std::int64_t per_head = m_key_panels + m_value_panels;
  m_pool.parallel_for(m_w.b * m_w.hkv * per_head, [&](std::int64_t item, int) {
    const std::int64_t head = item / per_head, p = item % per_head;
    const void* k_head = static_cast<const char*>(k) + head * skv * d * (m_bf16_in ? 2 : 4);
    const void* v_head = static_cast<const char*>(v) + head * skv * d * (m_bf16_in ? 2 : 4);
    if (p < m_key_panels) {  // K transposed into panels of nr keys, zero past skv
      float* panel = m_k_packed.data() + (head * m_key_panels + p) * d * nr;
      const std::int64_t keys = std::min(nr, skv - p * nr);
      if (m_bf16_in) {
        pack_key_panel<true>(k_head, p * nr, keys, d, nr, panel);
      } else {
        pack_key_panel<false>(k_head, p * nr, keys, d, nr, panel);
      }
    } else {  // V in panels of nr columns, zero past d
      const std::int64_t q = p - m_key_panels, columns = std::min(nr, d - q * nr);
      float* panel = m_v_packed.data() + (head * m_value_panels + q) * skv * nr;
      if (m_bf16_in) {
        pack_value_panel<true>(v_head, q * nr, columns, skv, d, nr, panel);
      } else {
        pack_value_panel<false>(v_head, q * nr, columns, skv, d, nr, panel);
      }
    }
  });
}

void flash_attention::run_prefill(const void* q, const void* k, const void* v, void* out) {
  if (m_amx != nullptr) {
    pack_kv_amx(k, v);
    m_pool.parallel_for(m_w.b * m_w.hq * m_query_tiles,
                        [&](std::int64_t item, int thread) { query_tile_amx(q, out, item, thread); });
    return;
  }
  if (m_dot != nullptr) {
    pack_kv_bf16_dot(k, v);
    m_pool.parallel_for(m_w.b * m_w.hq * m_query_tiles,
                        [&](std::int64_t item, int thread) { query_tile_bf16_dot(q, out, item, thread); });
    return;
  }
  pack_kv(k, v);
  // Costly (late, causal) query tiles first so the dynamic schedule ends balanced.
  m_pool.parallel_for(m_w.b * m_w.hq * m_query_tiles,
                      [&](std::int64_t item, int thread) { query_tile(q, out, item, thread); });
}

flash_attention::query_tile_span flash_attention::locate_query_tile(std::int64_t item) const {
  const std::int64_t heads = m_w.b * m_w.hq;
  const std::int64_t tile = m_query_tiles - 1 - item / heads;
  const std::int64_t bh = item % heads;  // b * hq + h
  const std::int64_t batch = bh / m_w.hq, head = bh % m_w.hq;
  query_tile_span t;
  t.first_row = tile * m_tiles.query_tile;
  t.rows = std::min(m_tiles.query_tile, m_w.sq - t.first_row);
  t.out_base = (bh * m_w.sq + t.first_row) * m_w.d;
  t.kv = batch * m_w.hkv + head / m_group;
  t.last_limit = key_limit(t, t.rows - 1);  // limits grow with the row
  t.first_start = key_start(t, 0);          // and so do window starts
  // Key tiles start on a granule of the packed K and V (nr keys, or 32 on the AMX tiles).
  const std::int64_t granule = attention_tile_granule(m_w, m_k).key_tile;
  t.key_begin = t.first_start / granule * granule;
  return t;
}

std::int64_t flash_attention::key_limit(const query_tile_span& t, std::int64_t r) const {
  return causal_key_limit(m_w, t.first_row + std::min(r, t.rows - 1));
}

std::int64_t flash_attention::key_start(const query_tile_span& t, std::int64_t r) const {
  return window_key_start(m_w, t.first_row + std::min(r, t.rows - 1));
}

bool flash_attention::write_if_fully_masked(const query_tile_span& t, void* out) const {
  if (t.last_limit > 0) return false;
  for (std::int64_t i = 0; i < t.rows * m_w.d; ++i) store_out(out, m_w.dt.out, t.out_base + i, 0.0f);
  return true;
}

void flash_attention::query_tile(const void* q, void* out, std::int64_t item, int thread) {
  const query_tile_span t = locate_query_tile(item);
  if (write_if_fully_masked(t, out)) return;
  const std::int64_t mr = m_k.mr, nr = m_k.nr, d = m_w.d;
  const std::int64_t rows = t.rows, rows_pad = round_up(rows, mr), out_base = t.out_base, last_limit = t.last_limit;
  const auto limit = [&](std::int64_t r) { return key_limit(t, r); };
  const auto start = [&](std::int64_t r) { return key_start(t, r); };

  scratch& sc = m_scratch[static_cast<std::size_t>(thread)];
  // Q tile in mr-row panels: qp[g][x][i] = Q[i0 + g * mr + i][x], zero rows past the tile.
  float* qp = sc.q.data();
  for (std::int64_t g = 0; g < rows_pad / mr; ++g)
    for (std::int64_t i = 0; i < mr; ++i) {
      const std::int64_t r = g * mr + i;
      for (std::int64_t x = 0; x < d; ++x)
        qp[(g * d + x) * mr + i] = r < rows ? load_in(q, m_bf16_in, out_base + r * d + x) : 0.0f;
    }
  float* s = sc.s.data();
  float* o = sc.o.data();
  float* m = sc.m.data();
  float* l = sc.l.data();
  float* alpha = sc.alpha.data();
  const std::int64_t lds = m_tiles.key_tile, ldo = m_d_pad;
  std::fill(o, o + rows_pad * ldo, 0.0f);
  std::fill(m, m + rows_pad, no_max);
  std::fill(l, l + rows_pad, 0.0f);

  const float* k_panels = m_k_packed.data() + t.kv * m_key_panels * d * nr;
  const float* v_panels = m_v_packed.data() + t.kv * m_value_panels * m_w.skv * nr;

  // Key tiles before t.key_begin (outside the window) and past last_limit are never touched.
  for (std::int64_t j0 = t.key_begin; j0 < last_limit; j0 += m_tiles.key_tile) {
    const std::int64_t keys = std::min(m_tiles.key_tile, last_limit - j0);
    const std::int64_t keys_pad = round_up(keys, nr);
    // S = Q K^T for this key tile, skipping panels no row of a row group can see.
    for (std::int64_t p = 0; p < keys_pad / nr; ++p) {
      const float* k_panel = k_panels + (j0 / nr + p) * d * nr;
      for (std::int64_t g = 0; g < rows_pad / mr; ++g) {
        if (j0 + p * nr >= limit(g * mr + mr - 1) || j0 + p * nr + nr <= start(g * mr)) continue;
        m_k.tile_packed(d, qp + g * d * mr, k_panel, s + g * mr * lds + p * nr, lds, nullptr, false);
      }
    }
    // Online softmax, row by row: entries before the window [lo, ...) and past the causal limit
    // (and padding) become 0.
    for (std::int64_t r = 0; r < rows_pad; ++r) {
      const std::int64_t valid = r < rows ? std::clamp<std::int64_t>(limit(r) - j0, 0, keys) : 0;
      const std::int64_t lo = std::clamp<std::int64_t>(start(r) - j0, 0, valid);
      float* row = s + r * lds;
      std::fill(row, row + lo, 0.0f);
      alpha[r] = m_k.softmax_row(row + lo, valid - lo, keys_pad - lo, m_c, m + r, l + r);
    }
    // O = diag(alpha) O + P V, each row group only over the keys from its first row's window
    // start to its last row's limit.
    for (std::int64_t g = 0; g < rows_pad / mr; ++g) {
      const std::int64_t group_keys = std::clamp<std::int64_t>(limit(g * mr + mr - 1) - j0, 0, keys);
      const std::int64_t lo = std::clamp<std::int64_t>(start(g * mr) - j0, 0, keys);
      if (group_keys <= lo) continue;  // nothing visible to any of its rows: alpha is 1 for all
      for (std::int64_t p = 0; p < m_value_panels; ++p) {
        m_k.tile_rows(group_keys - lo, s + g * mr * lds + lo, lds, v_panels + (p * m_w.skv + j0 + lo) * nr,
                      o + g * mr * ldo + p * nr, ldo, alpha + g * mr, true);
      }
    }
  }
  for (std::int64_t r = 0; r < rows; ++r) {
    const float inverse = l[r] > 0.0f ? 1.0f / l[r] : 0.0f;
    for (std::int64_t x = 0; x < d; ++x) store_out(out, m_w.dt.out, out_base + r * d + x, o[r * ldo + x] * inverse);
  }
}

// K and V of every (batch, K/V head) as bf16 VNNI panels for the AMX tiles:
//   K: [key panel of 16 keys][d_amx / 2][16][2], the B of S = Q K^T (K's rows are its columns);
//   V: [column panel of 16][skv_amx / 2][16][2], the B of O += P V;
// zeros past skv and d, so padded keys score 0 and carry no value.
void flash_attention::pack_kv_amx(const void* k, const void* v) {
  constexpr std::int64_t panel = amx_bf16_kernels::panel_cols;
  const std::int64_t d = m_w.d, skv = m_w.skv, head_elements = m_skv_amx * m_d_amx;
  const auto* k_in = static_cast<const std::uint16_t*>(k);
  const auto* v_in = static_cast<const std::uint16_t*>(v);
  auto* k_out = reinterpret_cast<std::uint16_t*>(m_k_packed.data());
  auto* v_out = reinterpret_cast<std::uint16_t*>(m_v_packed.data());
  const std::int64_t key_panels = m_skv_amx / panel, column_panels = m_d_amx / panel;
  // One item per (head, panel) of K and of V, so a single head still uses every thread.
  const std::int64_t per_head = key_panels + column_panels;
  m_pool.parallel_for(m_w.b * m_w.hkv * per_head, [&](std::int64_t item, int) {
    const std::int64_t head = item / per_head, p = item % per_head;
    const std::int64_t in_base = head * skv * d;
    if (p < key_panels) {
      const std::int64_t key = p * panel;
      m_amx->pack_panel(k_in + in_base + std::min(key, skv) * d, d, true, d, m_d_amx,
                        std::clamp<std::int64_t>(skv - key, 0, panel),
                        k_out + head * head_elements + p * m_d_amx * panel);
    } else {
      const std::int64_t column = (p - key_panels) * panel;
      m_amx->pack_panel(v_in + in_base + std::min(column, d), d, false, skv, m_skv_amx,
                        std::clamp<std::int64_t>(d - column, 0, panel),
                        v_out + head * head_elements + (p - key_panels) * m_skv_amx * panel);
    }
  });
}

void flash_attention::query_tile_amx(const void* q, void* out, std::int64_t item, int thread) {
  constexpr std::int64_t granule = amx_bf16_kernels::tile_rows, panel = amx_bf16_kernels::panel_cols;
  const query_tile_span t = locate_query_tile(item);
  if (write_if_fully_masked(t, out)) return;
  const std::int64_t d = m_w.d, d_amx = m_d_amx, bc = m_tiles.key_tile;
  const std::int64_t rows = t.rows, rows_pad = round_up(rows, granule), out_base = t.out_base,
                     last_limit = t.last_limit;
  const auto limit = [&](std::int64_t r) { return key_limit(t, r); };
  const auto start = [&](std::int64_t r) { return key_start(t, r); };

  scratch& sc = m_scratch[static_cast<std::size_t>(thread)];
  // The Q tile as bf16 rows of d_amx, zero past d and past the tile's rows.
  auto* qb = reinterpret_cast<std::uint16_t*>(sc.q.data());
  copy_bf16_rows(static_cast<const std::uint16_t*>(q) + out_base, rows, rows_pad, d, d_amx, qb);
  float* s = sc.s.data();
  auto* p = reinterpret_cast<std::uint16_t*>(sc.p.data());
  float* o = sc.o.data();
  float* m = sc.m.data();
  float* l = sc.l.data();
  float* alpha = sc.alpha.data();
  std::fill(o, o + rows_pad * d_amx, 0.0f);
  std::fill(m, m + rows_pad, no_max);
  std::fill(l, l + rows_pad, 0.0f);

  const auto* k_panels = reinterpret_cast<const std::uint16_t*>(m_k_packed.data()) + t.kv * m_skv_amx * d_amx;
  const auto* v_panels = reinterpret_cast<const std::uint16_t*>(m_v_packed.data()) + t.kv * m_skv_amx * d_amx;
  const std::int64_t k_panel_stride = d_amx * panel, v_panel_stride = m_skv_amx * panel;

  m_amx->begin();
  // Key tiles before t.key_begin (outside the window) and past last_limit are never touched.
  for (std::int64_t j0 = t.key_begin; j0 < last_limit; j0 += bc) {
    const std::int64_t keys = std::min(bc, last_limit - j0);
    const std::int64_t keys_pad = round_up(keys, granule);
    // S = Q K^T, 32 keys at a time, skipping blocks no row of a 32-row group can see.
    for (std::int64_t kb = 0; kb < keys_pad; kb += granule) {
      const std::uint16_t* k_block = k_panels + (j0 + kb) / panel * k_panel_stride;
      for (std::int64_t g = 0; g < rows_pad; g += granule) {
        if (j0 + kb >= limit(g + granule - 1) || j0 + kb + granule <= start(g)) continue;
        m_amx->tile(d_amx, qb + g * d_amx, d_amx, k_block, k_panel_stride, s + g * bc + kb, bc, false);
      }
    }
    // Online softmax row by row: bf16 probabilities; keys before the window, past the causal
    // limit and padding 0.
    for (std::int64_t r = 0; r < rows_pad; ++r) {
      const std::int64_t valid = r < rows ? std::clamp<std::int64_t>(limit(r) - j0, 0, keys) : 0;
      const std::int64_t lo = std::clamp<std::int64_t>(start(r) - j0, 0, valid);
      std::fill(p + r * bc, p + r * bc + lo, std::uint16_t{0});
      alpha[r] = m_amx->softmax_row(s + r * bc + lo, p + r * bc + lo, valid - lo, keys_pad - lo, m_c, m + r, l + r);
    }
    // O = diag(alpha) O + P V, each row group over the 32-key blocks from its first row's window
    // start to its last row's limit.
    for (std::int64_t g = 0; g < rows_pad; g += granule) {
      const std::int64_t group_keys = std::clamp<std::int64_t>(limit(g + granule - 1) - j0, 0, keys);
      const std::int64_t lo = std::clamp<std::int64_t>(start(g) - j0, 0, keys) / granule * granule;
      if (group_keys <= lo) continue;  // nothing visible to any of its rows: alpha is 1 for all
      for (std::int64_t r = g; r < g + granule; ++r) {
        if (alpha[r] == 1.0f) continue;  // the common case once the row maximum settles
        float* row = o + r * d_amx;
        for (std::int64_t x = 0; x < d_amx; ++x) row[x] *= alpha[r];
      }
      for (std::int64_t c0 = 0; c0 < d_amx; c0 += amx_bf16_kernels::tile_cols) {
        m_amx->tile(round_up(group_keys - lo, granule), p + g * bc + lo, bc,
                    v_panels + c0 / panel * v_panel_stride + (j0 + lo) * panel, v_panel_stride, o + g * d_amx + c0,
                    d_amx, true);
      }
    }
  }
  m_amx->end();
  for (std::int64_t r = 0; r < rows; ++r) {
    const float inverse = l[r] > 0.0f ? 1.0f / l[r] : 0.0f;
    for (std::int64_t x = 0; x < d; ++x) store_out(out, m_w.dt.out, out_base + r * d + x, o[r * d_amx + x] * inverse);
  }
}

// K and V of every (batch, K/V head) as pair-interleaved bf16 panels for vdpbf16ps:
//   K: [key panel of 32 keys][d_even / 2][32][2], the B of S = Q K^T (K's rows are its columns);
//   V: [column panel of 32][skv_dot / 2][32][2], the B of O += P V;
// zeros past skv and d, so padded keys score 0 and carry no value.
void flash_attention::pack_kv_bf16_dot(const void* k, const void* v) {
  constexpr std::int64_t panel = bf16_attention_kernels::nr;
  const std::int64_t d = m_w.d, skv = m_w.skv;
  const std::int64_t k_head = m_skv_dot * m_d_even, v_head = m_skv_dot * m_d_cols;
  const auto* k_in = static_cast<const std::uint16_t*>(k);
  const auto* v_in = static_cast<const std::uint16_t*>(v);
  auto* k_out = reinterpret_cast<std::uint16_t*>(m_k_packed.data());
  auto* v_out = reinterpret_cast<std::uint16_t*>(m_v_packed.data());
  const std::int64_t key_panels = m_skv_dot / panel, column_panels = m_d_cols / panel;
  // One item per (head, panel) of K and of V, so a single head still uses every thread.
  const std::int64_t per_head = key_panels + column_panels;
  m_pool.parallel_for(m_w.b * m_w.hkv * per_head, [&](std::int64_t item, int) {
    const std::int64_t head = item / per_head, p = item % per_head;
    const std::int64_t in_base = head * skv * d;
    if (p < key_panels) {
      const std::int64_t key = p * panel;
      m_dot->pack_panel(k_in + in_base + std::min(key, skv) * d, d, true, d, m_d_even,
                        std::clamp<std::int64_t>(skv - key, 0, panel), k_out + head * k_head + p * m_d_even * panel);
    } else {
      const std::int64_t column = (p - key_panels) * panel;
      m_dot->pack_panel(v_in + in_base + std::min(column, d), d, false, skv, m_skv_dot,
                        std::clamp<std::int64_t>(d - column, 0, panel),
                        v_out + head * v_head + (p - key_panels) * m_skv_dot * panel);
    }
  });
}

void flash_attention::query_tile_bf16_dot(const void* q, void* out, std::int64_t item, int thread) {
  constexpr std::int64_t mr = bf16_attention_kernels::mr, nr = bf16_attention_kernels::nr;
  const query_tile_span t = locate_query_tile(item);
  if (write_if_fully_masked(t, out)) return;
  const std::int64_t d = m_w.d, d_even = m_d_even, d_cols = m_d_cols, bc = m_tiles.key_tile;
  const std::int64_t rows = t.rows, rows_pad = round_up(rows, mr), out_base = t.out_base, last_limit = t.last_limit;
  const auto limit = [&](std::int64_t r) { return key_limit(t, r); };
  const auto start = [&](std::int64_t r) { return key_start(t, r); };

  scratch& sc = m_scratch[static_cast<std::size_t>(thread)];
  // The Q tile as bf16 rows of d_even (pairs of d adjacent), zero past d and past the tile's rows.
  auto* qb = reinterpret_cast<std::uint16_t*>(sc.q.data());
  copy_bf16_rows(static_cast<const std::uint16_t*>(q) + out_base, rows, rows_pad, d, d_even, qb);
  float* s = sc.s.data();
  auto* p = reinterpret_cast<std::uint16_t*>(sc.p.data());
  float* o = sc.o.data();
  float* m = sc.m.data();
  float* l = sc.l.data();
  float* alpha = sc.alpha.data();
  std::fill(o, o + rows_pad * d_cols, 0.0f);
  std::fill(m, m + rows_pad, no_max);
  std::fill(l, l + rows_pad, 0.0f);

  const auto* k_panels = reinterpret_cast<const std::uint16_t*>(m_k_packed.data()) + t.kv * m_skv_dot * d_even;
  const auto* v_panels = reinterpret_cast<const std::uint16_t*>(m_v_packed.data()) + t.kv * m_skv_dot * d_cols;
  const std::int64_t k_panel_stride = d_even * nr, v_panel_stride = m_skv_dot * nr;

  // Key tiles before t.key_begin (outside the window) and past last_limit are never touched.
  for (std::int64_t j0 = t.key_begin; j0 < last_limit; j0 += bc) {
    const std::int64_t keys = std::min(bc, last_limit - j0);
    const std::int64_t keys_pad = round_up(keys, nr);
    // S = Q K^T, one 32-key panel at a time, skipping panels no row of a 12-row group can see.
    for (std::int64_t kb = 0; kb < keys_pad; kb += nr) {
      const std::uint16_t* k_panel = k_panels + (j0 + kb) / nr * k_panel_stride;
      for (std::int64_t g = 0; g < rows_pad; g += mr) {
        if (j0 + kb >= limit(g + mr - 1) || j0 + kb + nr <= start(g)) continue;
        m_dot->tile_rows(d_even / 2, qb + g * d_even, d_even, k_panel, s + g * bc + kb, bc, nullptr, false);
      }
    }
    // Online softmax row by row: bf16 probabilities; keys before the window, past the causal
    // limit and padding 0.
    for (std::int64_t r = 0; r < rows_pad; ++r) {
      const std::int64_t valid = r < rows ? std::clamp<std::int64_t>(limit(r) - j0, 0, keys) : 0;
      const std::int64_t lo = std::clamp<std::int64_t>(start(r) - j0, 0, valid);
      std::fill(p + r * bc, p + r * bc + lo, std::uint16_t{0});
      alpha[r] = m_dot->softmax_row(s + r * bc + lo, p + r * bc + lo, valid - lo, keys_pad - lo, m_c, m + r, l + r);
    }
    // O = diag(alpha) O + P V, each row group over the key pairs from its first row's window
    // start (rounded down to a pair: P is 0 there) to its last row's limit (rounded up: P and
    // the packed V are 0 past it).
    for (std::int64_t g = 0; g < rows_pad; g += mr) {
      const std::int64_t group_keys = std::clamp<std::int64_t>(limit(g + mr - 1) - j0, 0, keys);
      const std::int64_t lo = std::clamp<std::int64_t>(start(g) - j0, 0, keys) / 2 * 2;
      if (group_keys <= lo) continue;  // nothing visible to any of its rows: alpha is 1 for all
      const std::int64_t pairs = (group_keys - lo + 1) / 2;
      for (std::int64_t c0 = 0; c0 < d_cols; c0 += nr) {
        m_dot->tile_rows(pairs, p + g * bc + lo, bc, v_panels + c0 / nr * v_panel_stride + (j0 + lo) * nr,
                         o + g * d_cols + c0, d_cols, alpha + g, true);
      }
    }
  }
  for (std::int64_t r = 0; r < rows; ++r) {
    const float inverse = l[r] > 0.0f ? 1.0f / l[r] : 0.0f;
    for (std::int64_t x = 0; x < d; ++x) store_out(out, m_w.dt.out, out_base + r * d + x, o[r * d_cols + x] * inverse);
  }
}

void flash_attention::run_decode(const void* q, const void* k, const void* v, void* out) {
  const std::int64_t d = m_w.d, group = m_group, in_bytes = m_bf16_in ? 2 : 4;
  // sq == 1: the whole cache, or its last `window` keys.
  const std::int64_t first = window_key_start(m_w, 0), visible = causal_key_limit(m_w, 0);
  const std::int64_t state = group * (d + 2);
  m_pool.parallel_for(m_w.b * m_w.hkv * m_splits, [&](std::int64_t item, int thread) {
    const std::int64_t kv = item / m_splits, split = item % m_splits;
    const std::int64_t batch = kv / m_w.hkv, kv_head = kv % m_w.hkv;
    const std::int64_t k0 = std::min(visible, first + split * m_split_keys), k1 = std::min(visible, k0 + m_split_keys);
    float* o = m_partial.data() + item * state;
    float* m = o + group * d;
    float* l = m + group;
    std::fill(o, o + group * d, 0.0f);
    std::fill(m, m + group, no_max);
    std::fill(l, l + group, 0.0f);
    if (k1 <= k0) return;
    scratch& sc = m_scratch[static_cast<std::size_t>(thread)];
    const std::int64_t q_first = (batch * m_w.hq + kv_head * group) * d;  // sq == 1: heads are rows
    for (std::int64_t i = 0; i < group * d; ++i) sc.q.data()[i] = load_in(q, m_bf16_in, q_first + i);
    const std::int64_t kv_first = (kv * m_w.skv + k0) * d * in_bytes;
    m_k.decode(sc.q.data(), group, static_cast<const char*>(k) + kv_first, static_cast<const char*>(v) + kv_first,
               m_bf16_in, k1 - k0, d, m_c, m, l, o, sc.s.data());
  });
  // Combine the key splits of each query head: weights 2^(m_s - max m).
  for (std::int64_t kv = 0; kv < m_w.b * m_w.hkv; ++kv) {
    for (std::int64_t h = 0; h < group; ++h) {
      float top = no_max;
      for (std::int64_t s = 0; s < m_splits; ++s)
        top = std::max(top, m_partial.data()[(kv * m_splits + s) * state + group * d + h]);
      float total = 0.0f;
      float acc[512];
      const std::int64_t chunk = 512;
      for (std::int64_t x0 = 0; x0 < d; x0 += chunk) {
        const std::int64_t n = std::min(chunk, d - x0);
        std::fill(acc, acc + n, 0.0f);
        total = 0.0f;
        for (std::int64_t s = 0; s < m_splits; ++s) {
          const float* part = m_partial.data() + (kv * m_splits + s) * state;
          const float weight = std::exp2(part[group * d + h] - top);
          total += weight * part[group * d + group + h];
          for (std::int64_t x = 0; x < n; ++x) acc[x] += weight * part[h * d + x0 + x];
        }
        const float inverse = total > 0.0f ? 1.0f / total : 0.0f;
        const std::int64_t batch = kv / m_w.hkv, kv_head = kv % m_w.hkv;
        const std::int64_t out_base = (batch * m_w.hq + kv_head * group + h) * d + x0;
        for (std::int64_t x = 0; x < n; ++x) store_out(out, m_w.dt.out, out_base + x, acc[x] * inverse);
      }
    }
  }
}

}  // namespace accelbench::cpu_kernels
